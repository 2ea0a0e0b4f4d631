/**
 * Validation profiles: which checks run, which requirement each cites, and the few behaviours that
 * differ. `ssf` is SSF 1.0 final read strictly; `caep-interop` adds the CAEP Interoperability Profile;
 * `okta` is Okta's SET receiver contract as its Management API description and receiver guide state it
 * (where Okta deviates from SSF, this profile follows Okta — the strict reading stays in `ssf`).
 */
import { HarnessError } from '../../kernel/index.ts';
import type { CheckId } from '../checks.ts';
import type { RequirementId } from '../requirements.ts';

export type ProfileName = 'ssf' | 'caep-interop' | 'okta';

export const PROFILE_NAMES: readonly ProfileName[] = ['ssf', 'caep-interop', 'okta'];

export interface Profile {
  readonly name: ProfileName;
  readonly title: string;
  readonly checks: ReadonlySet<CheckId>;
  /** Requirement cited by a check under this profile when it differs from the check's default. */
  readonly requirementFor: Readonly<Partial<Record<CheckId, RequirementId>>>;
  /** Which payload shape events are judged against. */
  readonly eventShape: 'ssf' | 'okta';
  /** JWS algorithms accepted for the signature. */
  readonly algorithms: readonly string[];
  /** Okta models "iat" as an int64. */
  readonly integerIat: boolean;
  /** Okta's guide shows the org URL with a trailing slash; its matching rule is undocumented. */
  readonly audienceIgnoresTrailingSlash: boolean;
  /**
   * How "typ" is matched. `media-type`: as the media type it names (RFC 7515 §4.1.9: "A recipient using
   * the media type value MUST treat it as if 'application/' were prepended to any 'typ' value not containing
   * a '/'"; RFC 6838 §4.2: type and subtype names are case-insensitive). `exact`: the one spelling a vendor
   * publishes, byte for byte. Absent: `media-type` (profiles built before this option read "typ" so).
   */
  readonly typMatching?: 'media-type' | 'exact';
}

/** Asymmetric JWS algorithms: a transmitter's keys are published, so MACs can never be verified. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

const STRUCTURE: readonly CheckId[] = [
  'token-size-is-within-limit',
  'token-is-compact-jws',
  'header-is-json-object',
  'header-parameter-names-are-unique',
  'json-nesting-is-within-limit',
  'payload-is-json-object',
  'claim-names-are-unique',
  'json-member-names-are-unique',
  'header-has-alg',
  'header-alg-is-not-none',
  'header-typ-is-secevent-jwt',
  'header-kid-is-string',
  'header-crit-is-understood',
  'claims-have-iss',
  'iss-matches-expected-issuer',
  'claims-have-iat',
  'claims-have-jti',
  'claims-have-aud',
  'aud-includes-expected-audience',
  'claims-have-events',
  'events-is-non-empty-object',
  'event-types-are-unique',
  'event-type-is-uri',
  'event-payload-is-json-object',
  'event-payload-matches-event-schema',
  'signature-is-valid',
  'signing-key-is-published',
  'jwks-is-retrievable',
  'jwks-is-valid-jwk-set',
];

const SSF_CHECKS: readonly CheckId[] = [
  ...STRUCTURE,
  'header-typ-is-short-form',
  'iss-is-https-url',
  'iat-is-not-in-future',
  'aud-is-string-or-string-array',
  'claims-have-no-sub',
  'claims-have-no-exp',
  'claims-have-sub-id',
  'claims-have-txn',
  'txn-is-string',
  'toe-is-numeric-date',
  'events-has-one-event',
  'event-type-is-catalogued',
  'event-type-is-not-deprecated',
  'event-has-no-subject-member',
  'assurance-level-change-has-direction',
  'risk-level-change-has-reason',
  'risc-identifier-subject-is-email-or-phone',
  'control-event-subject-is-stream',
  'verification-state-matches-expected',
  'subject-identifier-is-valid',
  'subject-identifier-has-only-described-members',
  'subject-format-is-registered',
];

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  ssf: {
    name: 'ssf',
    title: 'SSF 1.0 final (strict)',
    checks: new Set(SSF_CHECKS),
    requirementFor: {},
    eventShape: 'ssf',
    algorithms: ASYMMETRIC_ALGORITHMS,
    integerIat: false,
    audienceIgnoresTrailingSlash: false,
    typMatching: 'media-type',
  },
  'caep-interop': {
    name: 'caep-interop',
    title: 'SSF 1.0 final + CAEP Interoperability Profile 1.0 (draft 02)',
    checks: new Set<CheckId>([
      ...SSF_CHECKS,
      'header-alg-is-rs256',
      'signing-key-is-rsa-2048-or-larger',
      'subject-format-is-interoperable',
      'interop-event-has-reason-admin',
    ]),
    requirementFor: { 'events-has-one-event': 'CAEP-IOP-2.8.1' },
    eventShape: 'ssf',
    algorithms: ASYMMETRIC_ALGORITHMS,
    integerIat: false,
    audienceIgnoresTrailingSlash: false,
    typMatching: 'media-type',
  },
  okta: {
    name: 'okta',
    title: "Okta Identity Threat Protection's SET receiver contract",
    checks: new Set<CheckId>([
      ...STRUCTURE,
      'header-has-kid',
      'aud-is-single-string',
      'event-type-is-accepted-by-okta',
    ]),
    requirementFor: {
      'header-typ-is-secevent-jwt': 'OKTA-SET-HEADER',
      'header-has-alg': 'OKTA-SET-HEADER',
      'claims-have-iss': 'OKTA-SET-BODY',
      'claims-have-iat': 'OKTA-SET-BODY',
      'claims-have-jti': 'OKTA-SET-BODY',
      'claims-have-aud': 'OKTA-SET-BODY',
      'claims-have-events': 'OKTA-SET-BODY',
    },
    eventShape: 'okta',
    algorithms: ASYMMETRIC_ALGORITHMS,
    integerIat: true,
    audienceIgnoresTrailingSlash: true,
    // Vendor-faithful: Okta's SecurityEventTokenRequestJwtHeader documents "typ" as "secevent+jwt" and
    // nothing else, so this profile holds a SET to that spelling (OKTA-SET-HEADER) where the strict SSF
    // profiles accept the media type in any form.
    typMatching: 'exact',
  },
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export function getProfile(name: string): Profile {
  if (!isProfileName(name)) {
    throw new HarnessError(
      'ERR_PROFILE_UNKNOWN',
      `unknown profile "${name}"; use one of: ${PROFILE_NAMES.join(', ')}`,
    );
  }
  return PROFILES[name];
}
