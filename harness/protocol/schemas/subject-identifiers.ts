/**
 * JSON Schemas for subject identifiers: the RFC 9493 formats, the formats SSF 1.0 §3.5 adds, and SSF
 * complex subjects (§3.3). Each format's members are closed ("additionalProperties": false) because
 * RFC 9493 §3 says a Subject Identifier MUST NOT contain members its format does not describe; the
 * validator reports that separately from missing or malformed members so the two can be told apart.
 */
import type { JsonSchema } from './json-schema.ts';

const BASE = 'urn:ssf-lab:schema:subject-id';

/** Formats defined by RFC 9493 §3.2 and SSF 1.0 §3.5, with the members each one describes. */
export const SUBJECT_FORMAT_MEMBERS = {
  account: ['uri'],
  email: ['email'],
  iss_sub: ['iss', 'sub'],
  opaque: ['id'],
  phone_number: ['phone_number'],
  did: ['url'],
  uri: ['uri'],
  aliases: ['identifiers'],
  jwt_id: ['iss', 'jti'],
  saml_assertion_id: ['issuer', 'assertion_id'],
  'ip-addresses': ['ip-addresses'],
} as const;

export type SimpleSubjectFormat = keyof typeof SUBJECT_FORMAT_MEMBERS;

/** Which document defines each format (and so which requirement a malformed one breaks). */
export const SUBJECT_FORMAT_SOURCE: Readonly<Record<SimpleSubjectFormat | 'complex', 'RFC9493' | 'SSF'>> = {
  account: 'RFC9493',
  email: 'RFC9493',
  iss_sub: 'RFC9493',
  opaque: 'RFC9493',
  phone_number: 'RFC9493',
  did: 'RFC9493',
  uri: 'RFC9493',
  aliases: 'RFC9493',
  jwt_id: 'SSF',
  saml_assertion_id: 'SSF',
  'ip-addresses': 'SSF',
  complex: 'SSF',
};

/** The member names SSF 1.0 §3.3 lists for complex subjects; others MAY be used. */
export const COMPLEX_SUBJECT_MEMBERS = [
  'user',
  'device',
  'session',
  'application',
  'tenant',
  'org_unit',
  'group',
] as const;

export function subjectFormatSchemaId(format: SimpleSubjectFormat | 'complex'): string {
  return `${BASE}:${format}`;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;

function formatSchema(
  format: SimpleSubjectFormat,
  properties: Record<string, JsonSchema>,
  title: string,
): JsonSchema {
  return {
    $id: subjectFormatSchemaId(format),
    title,
    type: 'object',
    required: ['format', ...Object.keys(properties)],
    properties: { format: { const: format }, ...properties },
    additionalProperties: false,
  };
}

export const SUBJECT_ID_SCHEMAS: readonly JsonSchema[] = [
  formatSchema(
    'account',
    { uri: { type: 'string', pattern: '^acct:[^@\\s]+@[^@\\s]+$' } },
    'RFC 9493 §3.2.1 account',
  ),
  formatSchema('email', { email: { type: 'string', format: 'email' } }, 'RFC 9493 §3.2.2 email'),
  formatSchema('iss_sub', { iss: nonEmptyString, sub: nonEmptyString }, 'RFC 9493 §3.2.3 iss_sub'),
  formatSchema('opaque', { id: nonEmptyString }, 'RFC 9493 §3.2.4 opaque'),
  formatSchema(
    'phone_number',
    // E.164: a plus sign, then up to 15 digits with no leading zero.
    { phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' } },
    'RFC 9493 §3.2.5 phone_number',
  ),
  formatSchema('did', { url: { type: 'string', pattern: '^did:[a-z0-9]+:\\S+$' } }, 'RFC 9493 §3.2.6 did'),
  formatSchema('uri', { uri: { type: 'string', format: 'uri' } }, 'RFC 9493 §3.2.7 uri'),
  formatSchema(
    'aliases',
    {
      identifiers: {
        type: 'array',
        minItems: 1,
        // RFC 9493 §3.2.8: aliases MUST NOT nest another aliases identifier.
        items: {
          allOf: [
            { $ref: `${BASE}:simple` },
            { not: { type: 'object', properties: { format: { const: 'aliases' } }, required: ['format'] } },
          ],
        },
      },
    },
    'RFC 9493 §3.2.8 aliases',
  ),
  formatSchema('jwt_id', { iss: nonEmptyString, jti: nonEmptyString }, 'SSF 1.0 §3.5.1 jwt_id'),
  formatSchema(
    'saml_assertion_id',
    { issuer: nonEmptyString, assertion_id: nonEmptyString },
    'SSF 1.0 §3.5.2 saml_assertion_id',
  ),
  formatSchema(
    'ip-addresses',
    {
      'ip-addresses': {
        type: 'array',
        minItems: 1,
        items: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
      },
    },
    'SSF 1.0 §3.5.3 ip-addresses',
  ),
  {
    $id: `${BASE}:simple`,
    title:
      'A simple subject: any RFC 9493 or SSF format, or a proprietary one (format is then the only member checked)',
    type: 'object',
    required: ['format'],
    properties: { format: { type: 'string', minLength: 1, not: { const: 'complex' } } },
    // One if/then per known format keeps error messages pointed at the format actually used.
    allOf: (Object.keys(SUBJECT_FORMAT_MEMBERS) as SimpleSubjectFormat[]).map((format) => ({
      if: { type: 'object', properties: { format: { const: format } }, required: ['format'] },
      then: { $ref: subjectFormatSchemaId(format) },
    })),
  },
  {
    $id: subjectFormatSchemaId('complex'),
    title: 'SSF 1.0 §3.3 complex subject',
    type: 'object',
    required: ['format'],
    properties: { format: { const: 'complex' } },
    minProperties: 2,
    additionalProperties: { $ref: `${BASE}:simple` },
  },
  {
    $id: BASE,
    title: 'A subject member value: a simple or a complex subject (SSF 1.0 §3.1.4)',
    type: 'object',
    required: ['format'],
    properties: { format: { type: 'string', minLength: 1 } },
    if: { type: 'object', properties: { format: { const: 'complex' } } },
    then: { $ref: subjectFormatSchemaId('complex') },
    else: { $ref: `${BASE}:simple` },
  },
];

export const SUBJECT_ID_SCHEMA_ID = BASE;
export const SIMPLE_SUBJECT_ID_SCHEMA_ID = `${BASE}:simple`;
