/**
 * JSON Schemas for the SET itself under the SSF 1.0 profile of RFC 8417: the JOSE header and the claims.
 * The validator checks these rules one by one (to name each deviation); these schemas are the same rules
 * as one document, for consumers that want a single schema (and a test keeps the two in agreement).
 */
import type { JsonSchema } from './json-schema.ts';
import { SUBJECT_ID_SCHEMA_ID } from './subject-identifiers.ts';

export const SET_HEADER_SCHEMA_ID = 'urn:ssf-lab:schema:set:ssf:header';
export const SET_CLAIMS_SCHEMA_ID = 'urn:ssf-lab:schema:set:ssf:claims';

export const SET_SCHEMAS: readonly JsonSchema[] = [
  {
    $id: SET_HEADER_SCHEMA_ID,
    title: 'JOSE header of an SSF 1.0 SET (RFC 7515 §4, SSF §4.1.1, RFC 8417 §5.1)',
    type: 'object',
    required: ['alg', 'typ'],
    properties: {
      alg: { type: 'string', minLength: 1, not: { const: 'none' } },
      typ: { const: 'secevent+jwt' },
      kid: { type: 'string' },
    },
  },
  {
    $id: SET_CLAIMS_SCHEMA_ID,
    title: 'Claims of an SSF 1.0 SET (RFC 8417 §2.2, SSF §3.1, §4.1)',
    type: 'object',
    required: ['iss', 'iat', 'jti', 'aud', 'sub_id', 'events'],
    properties: {
      iss: { type: 'string', format: 'uri', pattern: '^https://[^?#]+$' },
      iat: { type: 'number', minimum: 0 },
      jti: { type: 'string', minLength: 1 },
      aud: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        ],
      },
      txn: { type: 'string' },
      toe: { type: 'number', minimum: 0 },
      sub_id: { $ref: SUBJECT_ID_SCHEMA_ID },
      events: {
        type: 'object',
        minProperties: 1,
        propertyNames: { format: 'uri' },
        additionalProperties: { type: 'object' },
      },
      // SSF §4.1.2 and §4.1.7: forbidden.
      sub: false,
      exp: false,
    },
  },
];
