/**
 * RFC 9493 (Subject Identifiers for SETs) examples: one subject identifier per format (§3.2), the SET of
 * Figure 3, and the JWTs of §1 and §4 — which are not SETs, so only their "sub_id" is judged.
 */
import {
  fail,
  info,
  type NotApplicable,
  notApplicable,
  type ProfileVerdicts,
  type SpecVector,
  type SubjectValue,
  type SubjectVector,
  VALID,
  warn,
} from './types.ts';

/** Okta takes its subject inside the event, as {user, device}; an RFC 9493 sub_id is not its input. */
export const OKTA_NOT_FOR_SUBJECTS: NotApplicable = notApplicable(
  'Okta takes the subject inside the event as its SecurityEventSubject {user, device} (OKTA-SET-SUBJECT), not as an RFC 9493 "sub_id", so a subject identifier alone has no Okta verdict.',
);

/** Verdicts for a well-formed identifier of `format`, judged as the sub_id of a session-revoked event. */
export function wellFormedSubject(format: string): ProfileVerdicts {
  const interoperable = format === 'email' || format === 'iss_sub';
  return {
    ssf: VALID,
    'caep-interop': interoperable
      ? VALID
      : {
          'subject-format-is-interoperable': warn(
            `The interop profile §2.5 requires receivers to support email and iss_sub (opaque for the Verification event only); "${format}" on a session-revoked event is outside that list, which no sentence forbids — a warning.`,
          ),
        },
    okta: OKTA_NOT_FOR_SUBJECTS,
  };
}

function subject(id: string, source: string, value: SubjectValue, note?: string): SubjectVector {
  return {
    kind: 'subject',
    id,
    source,
    ...(note === undefined ? {} : { note }),
    subject: value,
    expect: wellFormedSubject(value.format),
  };
}

const JWT_NOTE = 'A JWT, not a SET (RFC 9493 shows "sub_id" outside SETs); only its "sub_id" is judged.';
const EMAIL = { format: 'email', email: 'user@example.com' } as const;
const PHONE = { format: 'phone_number', phone_number: '+12065550100' } as const;
const ACCOUNT = { format: 'account', uri: 'acct:example.user@service.example.com' } as const;
const ISS_SUB_JWT = { format: 'iss_sub', iss: 'issuer.example.com', sub: 'example_user' } as const;

export const RFC9493_VECTORS: readonly SpecVector[] = [
  subject(
    'rfc9493-figure-1',
    'RFC 9493 §1, Figure 1: Example: Subject Identifier Using the Email Identifier Format',
    EMAIL,
  ),
  subject(
    'rfc9493-figure-2',
    'RFC 9493 §1, Figure 2: Example: JWT Using a Subject Identifier with the JWT "sub_id" Claim',
    PHONE,
    JWT_NOTE,
  ),
  {
    kind: 'claims',
    id: 'rfc9493-figure-3',
    source:
      'RFC 9493 §1, Figure 3: Example: SET with an Event Payload Containing Multiple Subject Identifiers',
    claims: {
      iss: 'issuer.example.com',
      iat: 1508184845,
      aud: 'aud.example.com',
      events: {
        'https://secevent.example.com/events/message-interception': {
          from: { format: 'email', email: 'alice@example.com' },
          to: { format: 'email', email: 'bob@example.com' },
          interceptor: { format: 'email', email: 'eve@example.com' },
        },
      },
    },
    expect: {
      ssf: {
        'iss-is-https-url': fail(
          '"iss" is "issuer.example.com", not an https URL; SSF §4.1.6 requires the stream\'s Issuer, "a URL using the https scheme" (SSF §8.1.1). RFC 9493 abbreviates it.',
        ),
        'claims-have-jti': fail(
          'RFC 8417 §2.2: "jti" is REQUIRED; the example (about subjects, not SETs) leaves it out.',
        ),
        'claims-have-sub-id': fail(
          'SSF §3.1: a top-level "sub_id" MUST describe the primary subject; the example only has subjects inside the event ("from", "to", "interceptor" — extra subject members SSF §3.1.3 allows).',
        ),
        'claims-have-txn': warn('SSF §4.1.9: Transmitters SHOULD set "txn"; the example has none.'),
        'event-type-is-catalogued': info(
          'The hypothetical message-interception URI is not a CAEP, RISC or SSF event type, so its payload is not checked.',
        ),
      },
      'caep-interop': {
        'iss-is-https-url': fail('"iss" is "issuer.example.com", not an https URL (SSF §4.1.6, §8.1.1).'),
        'claims-have-jti': fail('RFC 8417 §2.2: "jti" is REQUIRED; the example leaves it out.'),
        'claims-have-sub-id': fail(
          'SSF §3.1: a top-level "sub_id" MUST describe the primary subject; there is none.',
        ),
        'claims-have-txn': warn('SSF §4.1.9: Transmitters SHOULD set "txn"; the example has none.'),
        'event-type-is-catalogued': info(
          'The hypothetical message-interception URI is not a catalogued type.',
        ),
      },
      okta: {
        'claims-have-jti': fail('Okta requires "jti" (OKTA-SET-BODY); the example leaves it out.'),
        'event-type-is-accepted-by-okta': fail(
          "Okta's receiver accepts six event types (OKTA-SET-EVENTS); message-interception is not one of them.",
        ),
      },
    },
  },
  subject(
    'rfc9493-figure-4',
    'RFC 9493 §3.2.1, Figure 4: Example: Subject Identifier for the Account Identifier Format',
    ACCOUNT,
  ),
  subject(
    'rfc9493-figure-5',
    'RFC 9493 §3.2.2, Figure 5: Example: Subject Identifier in the Email Identifier Format',
    EMAIL,
  ),
  subject(
    'rfc9493-figure-6',
    'RFC 9493 §3.2.3, Figure 6: Example: Subject Identifier in the Issuer and Subject Identifier Format',
    { format: 'iss_sub', iss: 'https://issuer.example.com/', sub: '145234573' },
  ),
  subject(
    'rfc9493-figure-7',
    'RFC 9493 §3.2.4, Figure 7: Example: Subject Identifier in the Opaque Identifier Format',
    { format: 'opaque', id: '11112222333344445555' },
  ),
  subject(
    'rfc9493-figure-8',
    'RFC 9493 §3.2.5, Figure 8: Example: Subject Identifier in the Phone Number Identifier Format',
    PHONE,
  ),
  subject(
    'rfc9493-figure-9',
    'RFC 9493 §3.2.6, Figure 9: Example: Subject Identifier for the Decentralized Identifier Format, Identifying a Subject with a Bare DID',
    { format: 'did', url: 'did:example:123456' },
  ),
  subject(
    'rfc9493-figure-10',
    'RFC 9493 §3.2.6, Figure 10: Example: Subject Identifier for the Decentralized Identifier Format, Identifying a Subject with a DID URL with Non-empty Path and Query Components',
    { format: 'did', url: 'did:example:123456/did/url/path?versionId=1' },
  ),
  subject(
    'rfc9493-figure-11',
    'RFC 9493 §3.2.7, Figure 11: Example: Subject Identifier for the URI Format, Identifying a Subject with a Website URI',
    { format: 'uri', uri: 'https://user.example.com/' },
  ),
  subject(
    'rfc9493-figure-12',
    'RFC 9493 §3.2.7, Figure 12: Example: Subject Identifier for the URI Format, Identifying a Subject with a Random URN',
    { format: 'uri', uri: 'urn:uuid:4e851e98-83c4-4743-a5da-150ecb53042f' },
  ),
  subject(
    'rfc9493-figure-13',
    'RFC 9493 §3.2.8, Figure 13: Example: Subject Identifier in the Aliases Identifier Format',
    {
      format: 'aliases',
      identifiers: [
        { format: 'email', email: 'user@example.com' },
        { format: 'phone_number', phone_number: '+12065550100' },
        { format: 'email', email: 'user+qualifier@example.com' },
      ],
    },
  ),
  subject(
    'rfc9493-figure-14',
    'RFC 9493 §4.1, Figure 14: Example: JWT Containing a JWT "sub_id" Claim and No "sub" Claim',
    EMAIL,
    JWT_NOTE,
  ),
  subject(
    'rfc9493-figure-15',
    'RFC 9493 §4.1, Figure 15: Example: JWT Where the JWT "sub" and "sub_id" Claims Identify the JWT Subject Using the Same Identifier',
    EMAIL,
    `${JWT_NOTE} Its "sub" (which a SET may not carry, SSF §4.1.2) is not part of the vector.`,
  ),
  subject(
    'rfc9493-figure-16',
    'RFC 9493 §4.1, Figure 16: Example: JWT Where the JWT "sub" and "sub_id" Claims Identify the JWT Subject Using Different Values of the Same Identifier Type',
    { format: 'email', email: 'elizabeth@example.com' },
    `${JWT_NOTE} Its "sub" is not part of the vector.`,
  ),
  subject(
    'rfc9493-figure-17',
    'RFC 9493 §4.1, Figure 17: Example: JWT Where the JWT "sub" and "sub_id" Claims Identify the JWT Subject via Different Types of Identifiers',
    ACCOUNT,
    `${JWT_NOTE} Its "sub" is not part of the vector.`,
  ),
  subject(
    'rfc9493-figure-18',
    'RFC 9493 §4.2, Figure 18: Example: JWT with an "iss_sub" Subject Identifier Where the JWT Issuer and JWT Subject Issuer Are the Same',
    ISS_SUB_JWT,
    `${JWT_NOTE} "issuer.example.com" is a valid StringOrURI (no ":"), which is all RFC 9493 §3.2.3 asks of "iss".`,
  ),
  subject(
    'rfc9493-figure-19',
    'RFC 9493 §4.2, Figure 19: Example: JWT with an "iss_sub" Subject Identifier Where the JWT Issuer and JWT Subject Issuer Are Different',
    ISS_SUB_JWT,
    JWT_NOTE,
  ),
  subject(
    'rfc9493-figure-20',
    'RFC 9493 §4.2, Figure 20: Example: JWT with an "iss_sub" Subject Identifier Where the JWT "iss" and "sub" Claims Differ from the JWT Subject\'s "iss" and "sub" Members',
    ISS_SUB_JWT,
    `${JWT_NOTE} Its "sub" is not part of the vector.`,
  ),
];
