/**
 * RISC 1.0 final examples (every event example of §2) and the CAEP interoperability profile's one example
 * (§2.3.7, an "authorization_schemes" entry). RISC examples carry no "txn", which SSF §4.1.9 asks
 * Transmitters to set, so each draws that warning under the SSF profiles.
 */
import { TRANSMITTER_METADATA_SCHEMA_ID } from '../schemas/ssf-wire.ts';
import { fail, type ProfileVerdicts, type SpecVector, warn } from './types.ts';

const RISC = 'RISC 1.0 final';
const BASE = 'https://schemas.openid.net/secevent/risc/event-type/';
const ENVELOPE = {
  iss: 'https://idp.example.com/',
  jti: '756E69717565206964656E746966696572',
  iat: 1508184845,
  aud: '636C69656E745F6964',
} as const;
const ISS_SUB = { format: 'iss_sub', iss: 'https://idp.example.com/', sub: '7375626A656374' } as const;

const NO_TXN = warn('SSF §4.1.9: Transmitters SHOULD set "txn"; RISC 1.0 examples have none.');
const OKTA_REFUSES = (what: string): ReturnType<typeof fail> =>
  fail(`Okta's receiver accepts six event types (OKTA-SET-EVENTS); ${what} is not one of them.`);

/** A well-formed RISC example of a type Okta does not accept: only the missing "txn". */
function riscVerdicts(name: string): ProfileVerdicts {
  return {
    ssf: { 'claims-have-txn': NO_TXN },
    'caep-interop': { 'claims-have-txn': NO_TXN },
    okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES(`RISC ${name}`) },
  };
}

const INVALID_JSON = fail(
  'The example is not valid JSON: a trailing comma follows "sub" inside "sub_id" (RFC 8259 §4 allows none), so the payload does not decode to a JSON object.',
);

export const RISC_VECTORS: readonly SpecVector[] = [
  {
    kind: 'claims',
    id: 'risc-figure-1',
    source: `${RISC} §2.1, Figure 1: Example: Account Credential Change Required`,
    claims: { ...ENVELOPE, sub_id: ISS_SUB, events: { [`${BASE}account-credential-change-required`]: {} } },
    expect: riscVerdicts('account-credential-change-required'),
  },
  {
    kind: 'claims',
    id: 'risc-figure-2',
    source: `${RISC} §2.3, Figure 2: Example: Account Disabled`,
    note: 'Transcribed as text, exactly as printed (indentation aside), because it is not JSON.',
    claims: `{
  "iss": "https://idp.example.com/",
  "jti": "756E69717565206964656E746966696572",
  "iat": 1508184845,
  "aud": "636C69656E745F6964",
  "sub_id": {
    "format": "iss_sub",
    "iss": "https://idp.example.com/",
    "sub": "7375626A656374",
  },
  "events": {
    "https://schemas.openid.net/secevent/risc/event-type/account-disabled": {
      "reason": "hijacking"
    }
  }
}`,
    expect: {
      ssf: { 'payload-is-json-object': INVALID_JSON },
      'caep-interop': { 'payload-is-json-object': INVALID_JSON },
      okta: { 'payload-is-json-object': INVALID_JSON },
    },
  },
  {
    kind: 'claims',
    id: 'risc-figure-3',
    source: `${RISC} §2.5, Figure 3: Example: Identifier Changed`,
    claims: {
      ...ENVELOPE,
      sub_id: { format: 'email', email: 'john.doe@example.com' },
      events: { [`${BASE}identifier-changed`]: { 'new-value': 'john.roe@example.com' } },
    },
    expect: {
      ssf: { 'claims-have-txn': NO_TXN },
      'caep-interop': { 'claims-have-txn': NO_TXN },
      okta: {
        'event-payload-matches-event-schema': fail(
          'Okta accepts identifier-changed only with the subject inside the event and an "event_timestamp" (OKTA-SET-SUBJECT, OKTA-SET-IDENTIFIER-CHANGED); the RISC example has a top-level "sub_id" and no "event_timestamp".',
        ),
      },
    },
  },
  {
    kind: 'claims',
    id: 'risc-figure-4',
    source: `${RISC} §2.6, Figure 4: Example: Identifier Recycled`,
    claims: {
      ...ENVELOPE,
      sub_id: { format: 'email', email: 'foo@example.com' },
      events: { [`${BASE}identifier-recycled`]: {} },
    },
    expect: riscVerdicts('identifier-recycled'),
  },
  {
    kind: 'claims',
    id: 'risc-figure-5',
    source: `${RISC} §2.7, Figure 5: Example: Compromised credential found`,
    claims: {
      ...ENVELOPE,
      iss: 'https://idp.example.com/3456790/',
      aud: 'https://sp.example2.net/caep',
      sub_id: { format: 'iss_sub', iss: 'https://idp.example.com/3456790/', sub: 'joe.smith@example.com' },
      events: { [`${BASE}credential-compromise`]: { credential_type: 'password' } },
    },
    expect: riscVerdicts('credential-compromise'),
  },
  {
    kind: 'no-body',
    id: 'risc-figure-6',
    source: `${RISC} §2.8, Figure 6: Opt-Out States and Opt-Out Events`,
    why: 'A state diagram, not a wire object.',
  },
];

export const CAEP_INTEROP_VECTORS: readonly SpecVector[] = [
  {
    kind: 'wire',
    id: 'caep-interop-2.3.7',
    source: 'CAEP Interoperability Profile 1.0 draft 02 §2.3.7 Authorization Schemes (unnumbered)',
    note: 'The "authorization_schemes" entry the profile requires, shown alone: judged inside minimal metadata {"issuer": "https://tr.example.com", "authorization_schemes": [entry]}.',
    schemaId: TRANSMITTER_METADATA_SCHEMA_ID,
    body: { issuer: 'https://tr.example.com', authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }] },
    errors: {},
  },
];
