/**
 * The check catalogue: every assertion the SET validator makes, named as the sentence it asserts.
 * Ids are stable and never reused (retired ids go to RETIRED_CHECK_IDS). Each check names the
 * requirement it cites by default — or says the requirement comes from the event type or subject
 * format being judged — and the RFC 8935 / SSF error code a receiver answers with when it fails.
 */
import type { RequirementId } from './requirements.ts';

/** RFC 8935 §2.3 error codes, plus `invalid_state` from SSF §8.1.4.1. */
export type PushErrorCode =
  | 'invalid_request'
  | 'invalid_key'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'authentication_failed'
  | 'access_denied'
  | 'invalid_state';

export interface CheckDefinition {
  /** The assertion, as a sentence. */
  readonly title: string;
  /** The requirement cited when no profile overrides it. */
  readonly requirement?: RequirementId;
  /** Where the requirement comes from when it is not fixed. */
  readonly requirementFrom?: 'event-type' | 'subject-format';
  /** What a receiver answers with when this check fails. */
  readonly err: PushErrorCode;
}

const CHECK_DATA = {
  'token-size-is-within-limit': {
    title: 'The token is no larger than the size limit.',
    requirement: 'LAB-SIZE',
    err: 'invalid_request',
  },
  'token-is-compact-jws': {
    title: 'The token is a JWS in compact serialization: three base64url segments.',
    requirement: 'RFC7515-7.1',
    err: 'invalid_request',
  },
  'header-is-json-object': {
    title: 'The protected header decodes to a JSON object.',
    requirement: 'RFC7515-5.2',
    err: 'invalid_request',
  },
  'header-parameter-names-are-unique': {
    title: 'No header parameter appears twice.',
    requirement: 'RFC7515-4',
    err: 'invalid_request',
  },
  'json-nesting-is-within-limit': {
    title: 'The header and payload JSON nest no deeper than the limit.',
    requirement: 'LAB-DEPTH',
    err: 'invalid_request',
  },
  'payload-is-json-object': {
    title: 'The payload decodes to a JSON object.',
    requirement: 'RFC7519-7.2',
    err: 'invalid_request',
  },
  'claim-names-are-unique': {
    title: 'No top-level claim appears twice.',
    requirement: 'RFC7519-4',
    err: 'invalid_request',
  },
  'json-member-names-are-unique': {
    title: 'No member name appears twice in a nested JSON object.',
    requirement: 'RFC8259-4',
    err: 'invalid_request',
  },

  'header-typ-is-secevent-jwt': {
    title:
      'The header "typ" is the media type application/secevent+jwt, short or long form, any case (Okta\'s profile: exactly "secevent+jwt").',
    requirement: 'SSF-4.1.1',
    err: 'invalid_request',
  },
  'header-typ-is-short-form': {
    title: 'The header "typ" is spelt "secevent+jwt": no "application/" prefix, lower case.',
    requirement: 'RFC7515-4.1.9',
    err: 'invalid_request',
  },
  'header-kid-is-string': {
    title: 'The header "kid", when present, is a string.',
    requirement: 'RFC7515-4.1.4',
    err: 'invalid_request',
  },
  'header-crit-is-understood': {
    title:
      'The header has no "crit": ssf-lab understands no JWS extension, so any listed one makes the JWS invalid.',
    requirement: 'RFC7515-4.1.11',
    err: 'invalid_request',
  },
  'header-has-alg': {
    title: 'The header carries "alg".',
    requirement: 'RFC7515-4.1.1',
    err: 'invalid_request',
  },
  'header-alg-is-not-none': {
    title: 'The SET is signed: "alg" is not "none".',
    requirement: 'RFC8417-5.1',
    err: 'invalid_request',
  },
  'header-alg-is-rs256': {
    title: 'The SET is signed with RS256.',
    requirement: 'CAEP-IOP-2.6',
    err: 'invalid_request',
  },
  'header-has-kid': {
    title: 'The header carries "kid".',
    requirement: 'OKTA-SET-HEADER',
    err: 'invalid_request',
  },

  'claims-have-iss': {
    title: 'The SET carries "iss" as a string.',
    requirement: 'RFC8417-2.2',
    err: 'invalid_request',
  },
  'iss-is-https-url': {
    title: '"iss" is an https URL with no query or fragment.',
    requirement: 'SSF-7.1',
    err: 'invalid_issuer',
  },
  'iss-matches-expected-issuer': {
    title: '"iss" is identical to the expected Issuer.',
    requirement: 'SSF-4.1.6',
    err: 'invalid_issuer',
  },
  'claims-have-iat': {
    title: 'The SET carries "iat" as a NumericDate.',
    requirement: 'RFC8417-2.2',
    err: 'invalid_request',
  },
  'iat-is-not-in-future': {
    title: '"iat" is not in the future beyond the allowed clock skew.',
    requirement: 'LAB-IAT-NOT-FUTURE',
    err: 'invalid_request',
  },
  'claims-have-jti': {
    title: 'The SET carries a non-empty "jti" string.',
    requirement: 'RFC8417-2.2',
    err: 'invalid_request',
  },
  'claims-have-aud': {
    title: 'The SET carries "aud".',
    requirement: 'RFC8417-2.2-aud',
    err: 'invalid_audience',
  },
  'aud-is-string-or-string-array': {
    title: '"aud" is a string or a non-empty array of strings.',
    requirement: 'RFC7519-4.1.3',
    err: 'invalid_request',
  },
  'aud-is-single-string': {
    title: '"aud" is a single string.',
    requirement: 'OKTA-SET-BODY',
    err: 'invalid_request',
  },
  'aud-includes-expected-audience': {
    title: '"aud" names the receiver.',
    requirement: 'RFC8935-2',
    err: 'invalid_audience',
  },
  'claims-have-no-sub': {
    title: 'The SET carries no "sub" claim.',
    requirement: 'SSF-4.1.2',
    err: 'invalid_request',
  },
  'claims-have-no-exp': {
    title: 'The SET carries no "exp" claim.',
    requirement: 'SSF-4.1.7',
    err: 'invalid_request',
  },
  'claims-have-sub-id': {
    title: 'The SET carries a top-level "sub_id".',
    requirement: 'SSF-3.1',
    err: 'invalid_request',
  },
  'claims-have-txn': { title: 'The SET carries "txn".', requirement: 'SSF-4.1.9', err: 'invalid_request' },
  'txn-is-string': {
    title: '"txn" is a string.',
    requirement: 'RFC8417-2.2-txn-toe',
    err: 'invalid_request',
  },
  'toe-is-numeric-date': {
    title: '"toe" is a NumericDate.',
    requirement: 'RFC8417-2.2-txn-toe',
    err: 'invalid_request',
  },
  'claims-have-events': {
    title: 'The SET carries "events".',
    requirement: 'RFC8417-2.2-events',
    err: 'invalid_request',
  },

  'events-is-non-empty-object': {
    title: '"events" is a JSON object with at least one event.',
    requirement: 'RFC8417-2.2-events',
    err: 'invalid_request',
  },
  'event-types-are-unique': {
    title: 'No event type appears twice in "events".',
    requirement: 'RFC8417-2.2-events',
    err: 'invalid_request',
  },
  'event-type-is-uri': {
    title: 'Each event type is an absolute URI.',
    requirement: 'RFC8417-2.2-events',
    err: 'invalid_request',
  },
  'event-payload-is-json-object': {
    title: 'Each event payload is a JSON object.',
    requirement: 'RFC8417-2.2-events',
    err: 'invalid_request',
  },
  'events-has-one-event': {
    title: '"events" holds exactly one event.',
    requirement: 'SSF-4.2.1',
    err: 'invalid_request',
  },
  'event-type-is-catalogued': {
    title: 'The event type is one ssf-lab knows, so its payload can be checked.',
    requirement: 'SSF-4.2.2',
    err: 'invalid_request',
  },
  'event-type-is-accepted-by-okta': {
    title: 'The event type is one Okta accepts.',
    requirement: 'OKTA-SET-EVENTS',
    err: 'invalid_request',
  },
  'event-payload-matches-event-schema': {
    title: "The event payload matches its event type's definition.",
    requirementFrom: 'event-type',
    err: 'invalid_request',
  },
  'event-type-is-not-deprecated': {
    title: 'The event type is not deprecated.',
    requirement: 'RISC-2.11',
    err: 'invalid_request',
  },
  'event-has-no-subject-member': {
    title: 'An event type that is not a legacy CAEP/RISC type carries no in-event "subject".',
    requirement: 'SSF-3.1.2',
    err: 'invalid_request',
  },
  'assurance-level-change-has-direction': {
    title: 'assurance-level-change carries "change_direction" when it carries "previous_level".',
    requirement: 'CAEP-3.4-direction',
    err: 'invalid_request',
  },
  'risk-level-change-has-reason': {
    title: 'risk-level-change carries "risk_reason".',
    requirement: 'CAEP-3.8-reason',
    err: 'invalid_request',
  },
  'risc-identifier-subject-is-email-or-phone': {
    title: 'identifier-changed and identifier-recycled name an email or phone_number subject.',
    requirementFrom: 'event-type',
    err: 'invalid_request',
  },
  'interop-event-has-reason-admin': {
    title: 'session-revoked and credential-change carry a non-empty "reason_admin".',
    requirementFrom: 'event-type',
    err: 'invalid_request',
  },
  'control-event-subject-is-stream': {
    title: 'Verification and stream-updated events name the stream with an opaque "sub_id".',
    requirementFrom: 'event-type',
    err: 'invalid_request',
  },
  'verification-state-matches-expected': {
    title: 'A verification event echoes the "state" the receiver sent (and none when unsolicited).',
    requirement: 'SSF-8.1.4.2-STATE',
    err: 'invalid_state',
  },

  'subject-identifier-is-valid': {
    title: "Each subject identifier has its format's required members with the defined syntax.",
    requirementFrom: 'subject-format',
    err: 'invalid_request',
  },
  'subject-identifier-has-only-described-members': {
    title: 'A subject identifier has no member its format does not describe.',
    requirement: 'RFC9493-3-members',
    err: 'invalid_request',
  },
  'subject-format-is-registered': {
    title: 'The subject format is defined by RFC 9493 or SSF.',
    requirement: 'SSF-3.4',
    err: 'invalid_request',
  },
  'subject-format-is-interoperable': {
    title:
      'The subject uses a format interop receivers must support: email or iss_sub (opaque for verification only).',
    requirement: 'CAEP-IOP-2.5',
    err: 'invalid_request',
  },

  'signature-is-valid': {
    title: "The signature verifies with the transmitter's published key.",
    requirement: 'RFC7515-5.2',
    err: 'authentication_failed',
  },
  'signing-key-is-published': {
    title: 'The transmitter\'s JWKS holds a key for this SET (by "kid" and algorithm).',
    requirement: 'RFC8935-2',
    err: 'invalid_key',
  },
  'signing-key-is-rsa-2048-or-larger': {
    title: 'The signing key is RSA with a modulus of at least 2048 bits.',
    requirement: 'CAEP-IOP-2.6',
    err: 'invalid_key',
  },
  'jwks-is-retrievable': {
    title: "The transmitter's JWKS can be fetched in time.",
    requirement: 'RFC8935-2',
    err: 'authentication_failed',
  },
  'jwks-is-valid-jwk-set': {
    title: "The transmitter's JWKS is a JSON JWK Set.",
    requirement: 'RFC7517-5',
    err: 'invalid_key',
  },
} as const satisfies Record<string, CheckDefinition>;

export type CheckId = keyof typeof CHECK_DATA;

export const CHECKS: Readonly<Record<CheckId, CheckDefinition>> = CHECK_DATA;

export const CHECK_IDS: readonly CheckId[] = Object.freeze(Object.keys(CHECK_DATA) as CheckId[]);

/** Ids that were once used and must never be given a new meaning. */
export const RETIRED_CHECK_IDS: readonly string[] = [];

export function isCheckId(value: string): value is CheckId {
  return Object.hasOwn(CHECK_DATA, value);
}
