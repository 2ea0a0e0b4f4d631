/**
 * The schema registry as a whole, the SET schemas against the validator's corpus, and the subject
 * identifier types against their schemas.
 */
import { expect, test } from 'vitest';
import { exampleEvent } from '../event-examples.ts';
import { EVENT_TYPES } from '../event-types.ts';
import type {
  EmailSubject,
  IssSubSubject,
  JwtIdSubject,
  OpaqueSubject,
  SamlAssertionIdSubject,
} from '../types/subject-identifiers.ts';
import { validClaims } from '../validator/corpus.testing.ts';
import { ALL_SCHEMAS, getValidator, schemaIds, validateWithSchema } from './registry.ts';
import { SET_CLAIMS_SCHEMA_ID, SET_HEADER_SCHEMA_ID } from './set-claims.ts';
import { SUBJECT_FORMAT_MEMBERS, subjectFormatSchemaId } from './subject-identifiers.ts';

test('every schema has a unique urn:ssf-lab $id and compiles in the one registry', () => {
  const ids = schemaIds();
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    expect(id).toMatch(/^urn:ssf-lab:schema:/);
    expect(typeof getValidator(id)).toBe('function');
  }
  expect(ALL_SCHEMAS.length).toBeGreaterThan(50);
});

test('asking for an unknown schema id is a harness error, not a silent pass', () => {
  expect(() => validateWithSchema('urn:ssf-lab:schema:nope', {})).toThrow(/no schema registered/);
});

test('every event example validates against its own payload schema', () => {
  for (const e of EVENT_TYPES) {
    const ssf = exampleEvent(e.uri, 'ssf');
    if (ssf) expect(validateWithSchema(e.schemaId, ssf.payload).errors, e.uri).toEqual([]);
    const okta = exampleEvent(e.uri, 'okta');
    if (okta && e.okta) {
      const result = validateWithSchema(e.okta.schemaId, { ...okta.payload, subject: okta.subject });
      expect(result.errors, e.uri).toEqual([]);
    }
  }
});

test('valid SSF SETs satisfy the SET claims schema', () => {
  for (const e of EVENT_TYPES.filter((t) => !t.deprecated)) {
    expect(validateWithSchema(SET_CLAIMS_SCHEMA_ID, validClaims(e.uri, 'ssf')).errors, e.uri).toEqual([]);
  }
  expect(
    validateWithSchema(SET_HEADER_SCHEMA_ID, { alg: 'RS256', typ: 'secevent+jwt', kid: 'k' }).valid,
  ).toBe(true);
});

const uri = EVENT_TYPES[0]?.uri ?? '';
const broken: readonly [string, (c: Record<string, unknown>) => void, string][] = [
  [
    'sub present',
    (c) => {
      c.sub = 'x';
    },
    '/sub',
  ],
  [
    'exp present',
    (c) => {
      c.exp = 1;
    },
    '/exp',
  ],
  [
    'no sub_id',
    (c) => {
      delete c.sub_id;
    },
    '',
  ],
  [
    'http issuer',
    (c) => {
      c.iss = 'http://x.example';
    },
    '/iss',
  ],
  [
    'numeric txn',
    (c) => {
      c.txn = 5;
    },
    '/txn',
  ],
  [
    'empty events',
    (c) => {
      c.events = {};
    },
    '/events',
  ],
  [
    'event payload not an object',
    (c) => {
      c.events = { [uri]: 'x' };
    },
    `/events/${uri.replaceAll('/', '~1')}`,
  ],
];

test.each(broken)('the SET claims schema rejects a SET with %s', (_name, edit, path) => {
  const claims = validClaims(uri, 'ssf');
  edit(claims);
  const result = validateWithSchema(SET_CLAIMS_SCHEMA_ID, claims);
  expect(result.valid).toBe(false);
  expect(result.errors.map((e) => e.path)).toContain(path);
});

test.each([
  [{ alg: 'none', typ: 'secevent+jwt' }, '/alg'],
  [{ alg: 'RS256', typ: 'JWT' }, '/typ'],
  [{ typ: 'secevent+jwt' }, ''],
])('the SET header schema rejects %j', (header, path) => {
  const result = validateWithSchema(SET_HEADER_SCHEMA_ID, header);
  expect(result.valid).toBe(false);
  expect(result.errors.map((e) => e.path)).toContain(path);
});

// The TypeScript shapes list exactly the members the schemas describe (a missing or extra key fails to compile).
const typeMembers = {
  email: { format: true, email: true } satisfies Record<keyof EmailSubject, true>,
  iss_sub: { format: true, iss: true, sub: true } satisfies Record<keyof IssSubSubject, true>,
  opaque: { format: true, id: true } satisfies Record<keyof OpaqueSubject, true>,
  jwt_id: { format: true, iss: true, jti: true } satisfies Record<keyof JwtIdSubject, true>,
  saml_assertion_id: { format: true, issuer: true, assertion_id: true } satisfies Record<
    keyof SamlAssertionIdSubject,
    true
  >,
} as const;

test.each(Object.entries(typeMembers))(
  'the %s subject type and schema describe the same members',
  (format, members) => {
    const schema = ALL_SCHEMAS.find((s) => s.$id === subjectFormatSchemaId(format as 'email'));
    const properties = Object.keys((schema?.properties ?? {}) as object).sort();
    expect(properties).toEqual(Object.keys(members).sort());
    expect([...((schema?.required ?? []) as string[])].sort()).toEqual(Object.keys(members).sort());
    expect(['format', ...SUBJECT_FORMAT_MEMBERS[format as 'email']].sort()).toEqual(properties);
  },
);
