/**
 * RFC 8417 (Security Event Token) examples: the claim sets of §2.1.1–§2.1.4 and §2.4 (Figures 1–5) and
 * the literal unsecured SET of Figure 6. They predate SSF, so the SSF profiles flag what SSF added later
 * (a top-level "sub_id", no "sub", one event, "txn"); those findings are about the profile, not RFC 8417.
 */
import { fail, info, type SpecVector, warn } from './types.ts';

const SCIM_RESET_EXT = 'https://example.com/scim/event/passwordResetExt';

// Reasons shared by several figures.
const NO_SUB_ID = fail(
  'SSF §3.1: "A top-level claim named sub_id MUST be used to describe the primary subject"; this pre-SSF example has none.',
);
const HAS_SUB = fail(
  'SSF §4.1.2: "The JWT \\"sub\\" claim MUST NOT be present in any SET containing an SSF event"; RFC 8417 allows it, the SSF profiles judge every SET as an SSF SET.',
);
const NO_TXN = warn('SSF §4.1.9: Transmitters SHOULD set "txn"; the example has none.');
const NOT_CATALOGUED = (what: string): ReturnType<typeof info> =>
  info(`${what} is not a CAEP, RISC or SSF event type, so its payload is not checked (SSF §4.2.2).`);
const OKTA_REFUSES = (what: string): ReturnType<typeof fail> =>
  fail(`Okta's receiver accepts six event types (OKTA-SET-EVENTS); ${what} is not one of them.`);
const OKTA_AUD_ARRAY = fail('Okta models "aud" as a single string (its org URL); the example has an array.');

export const RFC8417_VECTORS: readonly SpecVector[] = [
  {
    kind: 'claims',
    id: 'rfc8417-figure-1',
    source: 'RFC 8417 §2.1.1, Figure 1: Example SCIM Password Reset Event',
    claims: {
      iss: 'https://scim.example.com',
      iat: 1458496025,
      jti: '3d0c3cf797584bd193bd0fb1bd4e7d30',
      aud: [
        'https://jhub.example.com/Feeds/98d52461fa5bbc879593b7754',
        'https://jhub.example.com/Feeds/5d7604516b1d08641d7676ee7',
      ],
      sub: 'https://scim.example.com/Users/44f6142df96bd6ab61e7521d9',
      events: {
        'urn:ietf:params:scim:event:passwordReset': { id: '44f6142df96bd6ab61e7521d9' },
        [SCIM_RESET_EXT]: { resetAttempts: 5 },
      },
    },
    expect: {
      ssf: {
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'events-has-one-event': warn(
          'Two event URIs, the second extending the first (RFC 8417 allows it); SSF §4.2.1: "events" SHOULD contain only one event.',
        ),
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM password-reset URI'),
      },
      'caep-interop': {
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'events-has-one-event': fail(
          'Two event URIs; the interop profile §2.8.1: "The events claim of the SET MUST contain only one event".',
        ),
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM password-reset URI'),
      },
      okta: {
        'event-type-is-accepted-by-okta': OKTA_REFUSES('neither SCIM URI'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
  {
    kind: 'claims',
    id: 'rfc8417-figure-2',
    source: 'RFC 8417 §2.1.2, Figure 2: Example OpenID Back-Channel Logout Event',
    claims: {
      iss: 'https://server.example.com',
      sub: '248289761001',
      aud: 's6BhdRkqt3',
      iat: 1471566154,
      jti: 'bWJq',
      sid: '08a5019c-17e1-4977-8f42-65a12843ea02',
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    },
    expect: {
      ssf: {
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The OpenID back-channel logout URI'),
      },
      'caep-interop': {
        'claims-have-no-sub': HAS_SUB,
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The OpenID back-channel logout URI'),
      },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('back-channel logout') },
    },
  },
  {
    kind: 'claims',
    id: 'rfc8417-figure-3',
    source: 'RFC 8417 §2.1.3, Figure 3: Example Consent Event',
    claims: {
      iss: 'https://my.med.example.org',
      iat: 1458496025,
      jti: 'fb4e75b5411e4e19b6c0fe87950f7749',
      aud: ['https://rp.example.com'],
      events: {
        'https://openid.net/heart/specs/consent.html': {
          iss: 'https://connect.example.com',
          sub: '248289761001',
          consentUri: ['https://terms.med.example.org/labdisclosure.html#Agree'],
        },
      },
    },
    expect: {
      ssf: {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The HEART consent URI'),
      },
      'caep-interop': {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The HEART consent URI'),
      },
      okta: {
        'event-type-is-accepted-by-okta': OKTA_REFUSES('the HEART consent event'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
  {
    kind: 'claims',
    id: 'rfc8417-figure-4',
    source: 'RFC 8417 §2.1.4, Figure 4: Example RISC Event',
    note: 'As published in RFC 8417 (https scheme, no "cause-time"; erratum 7175 notes the prose still names "cause-time").',
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1508184845,
      aud: '636C69656E745F6964',
      events: {
        'https://schemas.openid.net/secevent/risc/event-type/account-disabled': {
          subject: { subject_type: 'iss-sub', iss: 'https://idp.example.com/', sub: '7375626A656374' },
          reason: 'hijacking',
        },
      },
    },
    expect: {
      ssf: {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'subject-identifier-is-valid': fail(
          'A pre-final shape: the in-event subject names its format with "subject_type": "iss-sub" (RISC 1.0 §3.1: "new services MUST NOT use this field name"); RFC 9493 §3 requires "format", here "iss_sub".',
        ),
      },
      'caep-interop': {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'subject-identifier-is-valid': fail(
          'A pre-final shape: "subject_type": "iss-sub" instead of RFC 9493\'s "format": "iss_sub".',
        ),
      },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('RISC account-disabled') },
    },
  },
  {
    kind: 'claims',
    id: 'rfc8417-figure-5',
    source: 'RFC 8417 §2.4, Figure 5: Example Event Claims',
    claims: {
      iss: 'https://scim.example.com',
      iat: 1458496404,
      jti: '4d3559ec67504aaba65d40b0363faad8',
      aud: [
        'https://scim.example.com/Feeds/98d52461fa5bbc879593b7754',
        'https://scim.example.com/Feeds/5d7604516b1d08641d7676ee7',
      ],
      events: {
        'urn:ietf:params:scim:event:create': {
          ref: 'https://scim.example.com/Users/44f6142df96bd6ab61e7521d9',
          attributes: ['id', 'name', 'userName', 'password', 'emails'],
        },
      },
    },
    expect: {
      ssf: {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM create URI'),
      },
      'caep-interop': {
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM create URI'),
      },
      okta: {
        'event-type-is-accepted-by-okta': OKTA_REFUSES('SCIM create'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
  {
    kind: 'token',
    id: 'rfc8417-figure-6',
    source: 'RFC 8417 §2.4, Figure 6: Example Unsecured Security Event Token',
    note: 'The literal token, line breaks removed; its header is {"typ":"secevent+jwt","alg":"none"} and its claims Figure 5.',
    token:
      'eyJ0eXAiOiJzZWNldmVudCtqd3QiLCJhbGciOiJub25lIn0.' +
      'eyJpc3MiOiJodHRwczovL3NjaW0uZXhhbXBsZS5jb20iLCJpYXQiOjE0NTg0OTY0MDQsImp0aSI6IjRkMzU1OWVjNjc1MDRhYWJh' +
      'NjVkNDBiMDM2M2ZhYWQ4IiwiYXVkIjpbImh0dHBzOi8vc2NpbS5leGFtcGxlLmNvbS9GZWVkcy85OGQ1MjQ2MWZhNWJiYzg3OTU5' +
      'M2I3NzU0IiwiaHR0cHM6Ly9zY2ltLmV4YW1wbGUuY29tL0ZlZWRzLzVkNzYwNDUxNmIxZDA4NjQxZDc2NzZlZTciXSwiZXZlbnRz' +
      'Ijp7InVybjppZXRmOnBhcmFtczpzY2ltOmV2ZW50OmNyZWF0ZSI6eyJyZWYiOiJodHRwczovL3NjaW0uZXhhbXBsZS5jb20vVXNl' +
      'cnMvNDRmNjE0MmRmOTZiZDZhYjYxZTc1MjFkOSIsImF0dHJpYnV0ZXMiOlsiaWQiLCJuYW1lIiwidXNlck5hbWUiLCJwYXNzd29y' +
      'ZCIsImVtYWlscyJdfX19.',
    expectedIssuer: 'https://scim.example.com',
    expectedAudience: [
      'https://scim.example.com/Feeds/98d52461fa5bbc879593b7754',
      'https://scim.example.com/Feeds/5d7604516b1d08641d7676ee7',
    ],
    expect: {
      ssf: {
        'header-alg-is-not-none': fail(
          'Unsecured ("alg": "none"); RFC 8417 §2.4 shows it "for the purpose of having a simpler example", but SSF SETs are signed so the receiver can authenticate them (keys from "jwks_uri", SSF §4.1.4).',
        ),
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM create URI'),
      },
      'caep-interop': {
        'header-alg-is-not-none': fail(
          'Unsecured ("alg": "none"); the interop profile §2.6: "All events MUST be signed using the RS256 algorithm".',
        ),
        'claims-have-sub-id': NO_SUB_ID,
        'claims-have-txn': NO_TXN,
        'event-type-is-catalogued': NOT_CATALOGUED('The hypothetical SCIM create URI'),
      },
      okta: {
        'header-alg-is-not-none': fail(
          'Unsecured ("alg": "none"); Okta verifies every SET against the JWKS.',
        ),
        'header-has-kid': fail(
          'Okta requires "kid" in the header (OKTA-SET-HEADER); an unsecured token has none.',
        ),
        'event-type-is-accepted-by-okta': OKTA_REFUSES('SCIM create'),
        'aud-is-single-string': OKTA_AUD_ARRAY,
      },
    },
  },
];
