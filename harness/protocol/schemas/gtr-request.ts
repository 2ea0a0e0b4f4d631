/**
 * The Global Token Revocation request body (draft-parecki-oauth-global-token-revocation-05 §3.2): a JSON
 * object holding one RFC 9493 subject identifier, under `sub_id` (the draft's name since -02) or `subject`
 * (the name in Okta's "Build Universal Logout for your app" examples) — exactly one of them, and nothing
 * else (Okta's guide answers 400 for "invalid or unrecognized properties"). Okta's apps identify users by
 * `email` or `iss_sub`. The app mocks declare this schema on their endpoint and judge the raw body with
 * the same rules (mocks/apps/gtr-request.ts), after authenticating the caller.
 */
import type { JsonSchema } from './json-schema.ts';
import { subjectFormatSchemaId } from './subject-identifiers.ts';

export const GTR_REQUEST_SCHEMA_ID = 'urn:ssf-lab:schema:gtr:request';

const subject: JsonSchema = {
  anyOf: [{ $ref: subjectFormatSchemaId('email') }, { $ref: subjectFormatSchemaId('iss_sub') }],
};

export const GTR_SCHEMAS: readonly JsonSchema[] = [
  {
    $id: GTR_REQUEST_SCHEMA_ID,
    title: 'Global Token Revocation request body',
    type: 'object',
    oneOf: [
      { type: 'object', required: ['sub_id'], properties: { sub_id: subject }, additionalProperties: false },
      { type: 'object', required: ['subject'], properties: { subject }, additionalProperties: false },
    ],
  },
];
