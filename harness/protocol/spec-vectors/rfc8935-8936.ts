/**
 * RFC 8935 (push delivery) and RFC 8936 (poll delivery) examples: the literal SETs they carry, the push
 * error bodies, and the poll request and response bodies.
 */
import {
  POLL_REQUEST_SCHEMA_ID,
  POLL_RESPONSE_SCHEMA_ID,
  PUSH_ERROR_SCHEMA_ID,
} from '../schemas/ssf-wire.ts';
import { fail, info, type SpecVector, warn } from './types.ts';

const NO_SUB_ID = fail(
  'SSF §3.1: "A top-level claim named sub_id MUST be used to describe the primary subject"; this pre-SSF example has none.',
);
const HAS_SUB = fail(
  'SSF §4.1.2: the JWT "sub" claim MUST NOT be present in a SET; RFC 8417 allows it, the SSF profiles judge every SET as an SSF SET.',
);
const NO_TXN = warn('SSF §4.1.9: Transmitters SHOULD set "txn"; the example has none.');
const OKTA_REFUSES = (what: string): ReturnType<typeof fail> =>
  fail(`Okta's receiver accepts six event types (OKTA-SET-EVENTS); ${what} is not one of them.`);
const OKTA_AUD_ARRAY = fail('Okta models "aud" as a single string (its org URL); the example has an array.');
const SUBJECT_TYPE = fail(
  'A pre-final shape: the in-event subject names its format with "subject_type": "iss-sub" (RISC 1.0 §3.1: new services MUST NOT use this field name); RFC 9493 §3 requires "format", here "iss_sub".',
);
const HMAC = fail(
  '"alg": "HS256" is a shared-secret MAC: a receiver resolves the transmitter\'s keys from "jwks_uri" (SSF §4.1.4), which publishes public keys, so this SET cannot be authenticated.',
);
const UNSECURED = fail(
  'Unsecured ("alg": "none"): SSF SETs are signed so the receiver can authenticate them.',
);
const NO_TYP = fail(
  'No "typ": SSF §4.1.1: "SSF events MUST use explicit typing as defined in Section 2.3 of RFC 8417" — RFC 8936 shows bare {"alg":"none"} headers.',
);
const SCIM = (uri: string) =>
  info(`${uri} is not a CAEP, RISC or SSF event type, so its payload is not checked (SSF §4.2.2).`);

/** The SETs of RFC 8936 Figure 6: the two SETs of RFC 8417 Figures 5 and 1, unsecured, with no "typ". */
const POLL_SET_1 =
  'eyJhbGciOiJub25lIn0.' +
  'eyJqdGkiOiI0ZDM1NTllYzY3NTA0YWFiYTY1ZDQwYjAzNjNmYWFkOCIsImlhdCI6MTQ1ODQ5NjQwNCwiaXNzIjoiaHR0cHM6Ly9zY2lt' +
  'LmV4YW1wbGUuY29tIiwiYXVkIjpbImh0dHBzOi8vc2NpbS5leGFtcGxlLmNvbS9GZWVkcy85OGQ1MjQ2MWZhNWJiYzg3OTU5M2I3NzU0' +
  'IiwiaHR0cHM6Ly9zY2ltLmV4YW1wbGUuY29tL0ZlZWRzLzVkNzYwNDUxNmIxZDA4NjQxZDc2NzZlZTciXSwiZXZlbnRzIjp7InVybjpp' +
  'ZXRmOnBhcmFtczpzY2ltOmV2ZW50OmNyZWF0ZSI6eyJyZWYiOiJodHRwczovL3NjaW0uZXhhbXBsZS5jb20vVXNlcnMvNDRmNjE0MmRm' +
  'OTZiZDZhYjYxZTc1MjFkOSIsImF0dHJpYnV0ZXMiOlsiaWQiLCJuYW1lIiwidXNlck5hbWUiLCJwYXNzd29yZCIsImVtYWlscyJdfX19.';
const POLL_SET_2 =
  'eyJhbGciOiJub25lIn0.' +
  'eyJqdGkiOiIzZDBjM2NmNzk3NTg0YmQxOTNiZDBmYjFiZDRlN2QzMCIsImlhdCI6MTQ1ODQ5NjAyNSwiaXNzIjoiaHR0cHM6Ly9zY2lt' +
  'LmV4YW1wbGUuY29tIiwiYXVkIjpbImh0dHBzOi8vamh1Yi5leGFtcGxlLmNvbS9GZWVkcy85OGQ1MjQ2MWZhNWJiYzg3OTU5M2I3NzU0' +
  'IiwiaHR0cHM6Ly9qaHViLmV4YW1wbGUuY29tL0ZlZWRzLzVkNzYwNDUxNmIxZDA4NjQxZDc2NzZlZTciXSwic3ViIjoiaHR0cHM6Ly9z' +
  'Y2ltLmV4YW1wbGUuY29tL1VzZXJzLzQ0ZjYxNDJkZjk2YmQ2YWI2MWU3NTIxZDkiLCJldmVudHMiOnsidXJuOmlldGY6cGFyYW1zOnNj' +
  'aW06ZXZlbnQ6cGFzc3dvcmRSZXNldCI6eyJpZCI6IjQ0ZjYxNDJkZjk2YmQ2YWI2MWU3NTIxZDkifSwiaHR0cHM6Ly9leGFtcGxlLmNv' +
  'bS9zY2ltL2V2ZW50L3Bhc3N3b3JkUmVzZXRFeHQiOnsicmVzZXRBdHRlbXB0cyI6NX19fQ.';

const JTI_1 = '4d3559ec67504aaba65d40b0363faad8';
const JTI_2 = '3d0c3cf797584bd193bd0fb1bd4e7d30';

export const RFC8935_VECTORS: readonly SpecVector[] = [
  {
    kind: 'token',
    id: 'rfc8935-figure-1',
    source: 'RFC 8935 §2.1, Figure 1: Example SET Transmission Request (the request body)',
    note: 'The literal token, line breaks removed. Its header decodes to {"typ":"secevent+jwt","alg":"HS256"} followed by a newline; its claims are RFC 8417 Figure 4.',
    token:
      'eyJ0eXAiOiJzZWNldmVudCtqd3QiLCJhbGciOiJIUzI1NiJ9Cg.' +
      'eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbS8iLCJqdGkiOiI3NTZFNjk3MTc1NjUyMDY5NjQ2NTZFNzQ2OTY2Njk2NTcyIiwi' +
      'aWF0IjoxNTA4MTg0ODQ1LCJhdWQiOiI2MzZDNjk2NTZFNzQ1RjY5NjQiLCJldmVudHMiOnsiaHR0cHM6Ly9zY2hlbWFzLm9wZW5pZC5u' +
      'ZXQvc2VjZXZlbnQvcmlzYy9ldmVudC10eXBlL2FjY291bnQtZGlzYWJsZWQiOnsic3ViamVjdCI6eyJzdWJqZWN0X3R5cGUiOiJpc3Mt' +
      'c3ViIiwiaXNzIjoiaHR0cHM6Ly9pZHAuZXhhbXBsZS5jb20vIiwic3ViIjoiNzM3NTYyNkE2NTYzNzQifSwicmVhc29uIjoiaGlqYWNr' +
      'aW5nIn19fQ.' +
      'Y4rXxMD406P2edv00cr9Wf3_XwNtLjB9n-jTqN1_lLc',
    expectedIssuer: 'https://idp.example.com/',
    expectedAudience: '636C69656E745F6964',
    expect: {
      ssf: {
        'signature-is-valid': HMAC,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'subject-identifier-is-valid': SUBJECT_TYPE,
      },
      'caep-interop': {
        'header-alg-is-rs256': fail(
          'The interop profile §2.6: "All events MUST be signed using the RS256 algorithm".',
        ),
        'signature-is-valid': HMAC,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'subject-identifier-is-valid': SUBJECT_TYPE,
      },
      okta: {
        'header-has-kid': fail('Okta requires "kid" in the header (OKTA-SET-HEADER); the example has none.'),
        'signature-is-valid': HMAC,
        'event-type-is-accepted-by-okta': OKTA_REFUSES('RISC account-disabled'),
      },
    },
  },
  {
    kind: 'no-body',
    id: 'rfc8935-figure-2',
    source: 'RFC 8935 §2.2, Figure 2: Example Successful Delivery Response',
    why: '"HTTP/1.1 202 Accepted" with no body: "The body of the response MUST be empty".',
  },
  {
    kind: 'wire',
    id: 'rfc8935-figure-3',
    source: 'RFC 8935 §2.3, Figure 3: Example Error Response (invalid_key)',
    schemaId: PUSH_ERROR_SCHEMA_ID,
    body: { err: 'invalid_key', description: 'Key ID 12345 has been revoked.' },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8935-figure-4',
    source: 'RFC 8935 §2.3, Figure 4: Example Error Response (authentication_failed)',
    schemaId: PUSH_ERROR_SCHEMA_ID,
    body: { err: 'authentication_failed', description: 'Access token has expired.' },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8935-figure-5',
    source: 'RFC 8935 §2.3, Figure 5: Example Error Response (access_denied)',
    note: 'The example contradicts its own caption: titled "access_denied", its body says "invalid_issuer" — which matches the prose ("not willing to accept SETs issued by the specified issuer"). The body is well-formed either way.',
    schemaId: PUSH_ERROR_SCHEMA_ID,
    body: { err: 'invalid_issuer', description: 'Not authorized for issuer https://iss.example.com/' },
    errors: {},
  },
];

export const RFC8936_VECTORS: readonly SpecVector[] = [
  {
    kind: 'wire',
    id: 'rfc8936-figure-1',
    source: 'RFC 8936 §2.4.1, Figure 1: Example Initial Poll Request',
    schemaId: POLL_REQUEST_SCHEMA_ID,
    body: { returnImmediately: true },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-2',
    source: 'RFC 8936 §2.4.1, Figure 2: Example Default Poll Request',
    schemaId: POLL_REQUEST_SCHEMA_ID,
    body: {},
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-3',
    source: 'RFC 8936 §2.4.2, Figure 3: Example Acknowledge-Only Request',
    schemaId: POLL_REQUEST_SCHEMA_ID,
    body: { ack: [JTI_1, JTI_2], maxEvents: 0, returnImmediately: true },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-4',
    source: 'RFC 8936 §2.4.3, Figure 4: Example Poll with Acknowledgement and No Errors',
    schemaId: POLL_REQUEST_SCHEMA_ID,
    body: { ack: [JTI_1, JTI_2], returnImmediately: false },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-5',
    source: 'RFC 8936 §2.4.4, Figure 5: Example Poll Acknowledgement with Error',
    schemaId: POLL_REQUEST_SCHEMA_ID,
    body: {
      ack: [JTI_2],
      setErrs: {
        [JTI_1]: { err: 'authentication_failed', description: 'The SET could not be authenticated' },
      },
      returnImmediately: true,
    },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-6',
    source: 'RFC 8936 §2.5, Figure 6: Example Poll Response',
    note: 'The SET strings are printed across lines "for display purposes only" (RFC 8936 §1.1); transcribed joined. The SETs themselves are judged by the next two vectors.',
    schemaId: POLL_RESPONSE_SCHEMA_ID,
    body: { sets: { [JTI_1]: POLL_SET_1, [JTI_2]: POLL_SET_2 } },
    errors: {},
  },
  {
    kind: 'token',
    id: 'rfc8936-figure-6-set-1',
    source: `RFC 8936 §2.5, Figure 6: Example Poll Response, the SET for "${JTI_1}"`,
    note: 'Claims as RFC 8417 Figure 5 (members reordered), header {"alg":"none"}.',
    token: POLL_SET_1,
    expectedIssuer: 'https://scim.example.com',
    expectedAudience: [
      'https://scim.example.com/Feeds/98d52461fa5bbc879593b7754',
      'https://scim.example.com/Feeds/5d7604516b1d08641d7676ee7',
    ],
    expect: {
      ssf: {
        'header-typ-is-secevent-jwt': NO_TYP,
        'header-alg-is-not-none': UNSECURED,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': SCIM('The hypothetical SCIM create URI'),
      },
      'caep-interop': {
        'header-typ-is-secevent-jwt': NO_TYP,
        'header-alg-is-not-none': UNSECURED,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': SCIM('The hypothetical SCIM create URI'),
      },
      okta: {
        'header-typ-is-secevent-jwt': fail(
          'Okta requires "typ": "secevent+jwt" (OKTA-SET-HEADER); the header has none.',
        ),
        'header-alg-is-not-none': UNSECURED,
        'header-has-kid': fail('Okta requires "kid" in the header (OKTA-SET-HEADER); the header has none.'),
        'event-type-is-accepted-by-okta': OKTA_REFUSES('SCIM create'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
  {
    kind: 'token',
    id: 'rfc8936-figure-6-set-2',
    source: `RFC 8936 §2.5, Figure 6: Example Poll Response, the SET for "${JTI_2}"`,
    note: 'Claims as RFC 8417 Figure 1 (members reordered), header {"alg":"none"}.',
    token: POLL_SET_2,
    expectedIssuer: 'https://scim.example.com',
    expectedAudience: [
      'https://jhub.example.com/Feeds/98d52461fa5bbc879593b7754',
      'https://jhub.example.com/Feeds/5d7604516b1d08641d7676ee7',
    ],
    expect: {
      ssf: {
        'header-typ-is-secevent-jwt': NO_TYP,
        'header-alg-is-not-none': UNSECURED,
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'events-has-one-event': warn('Two event URIs; SSF §4.2.1: "events" SHOULD contain only one event.'),
        'event-type-is-catalogued': SCIM('The hypothetical SCIM password-reset URI'),
      },
      'caep-interop': {
        'header-typ-is-secevent-jwt': NO_TYP,
        'header-alg-is-not-none': UNSECURED,
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'events-has-one-event': fail(
          'Two event URIs; the interop profile §2.8.1: "events" MUST contain only one event.',
        ),
        'event-type-is-catalogued': SCIM('The hypothetical SCIM password-reset URI'),
      },
      okta: {
        'header-typ-is-secevent-jwt': fail(
          'Okta requires "typ": "secevent+jwt" (OKTA-SET-HEADER); the header has none.',
        ),
        'header-alg-is-not-none': UNSECURED,
        'header-has-kid': fail('Okta requires "kid" in the header (OKTA-SET-HEADER); the header has none.'),
        'event-type-is-accepted-by-okta': OKTA_REFUSES('neither SCIM URI'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
  {
    kind: 'wire',
    id: 'rfc8936-figure-7',
    source: 'RFC 8936 §2.5, Figure 7: Example No SETs Poll Response',
    schemaId: POLL_RESPONSE_SCHEMA_ID,
    body: { sets: {} },
    errors: {},
  },
  {
    kind: 'no-body',
    id: 'rfc8936-poll-error-response',
    source: 'RFC 8936 §2.5.1, Example Poll Error Response (unnumbered)',
    why: '"HTTP/1.1 400 Bad Request" with no body: "The response body for responses to invalid poll requests is left undefined".',
  },
];
