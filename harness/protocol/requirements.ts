/**
 * The requirement registry: every normative statement a check can cite, with the spec it comes from,
 * an anchor URL into that spec, and its BCP 14 keyword. A finding's level is derived from the keyword,
 * never chosen by the check, so the severity of a deviation is traceable to the text that forbids it.
 *
 * Ids are `<SPEC>-<section>[-<topic>]`. They are stable: a retired id is never reused for another
 * statement (see RETIRED_REQUIREMENT_IDS).
 */

import { INTEGRATION_SUITE_REQUIREMENTS } from './requirements-integration.ts';
import { LOGOUT_SUITE_REQUIREMENTS } from './requirements-logout.ts';
import { OKTA_SUITE_REQUIREMENTS } from './requirements-okta.ts';
import { RECEIVER_SUITE_REQUIREMENTS } from './requirements-receiver.ts';
import { SSF_SUITE_REQUIREMENTS } from './requirements-ssf.ts';
import { TRANSMITTER_SUITE_REQUIREMENTS } from './requirements-transmitter.ts';

export type Keyword =
  | 'MUST'
  | 'MUST NOT'
  | 'REQUIRED'
  | 'SHALL'
  | 'SHALL NOT'
  | 'SHOULD'
  | 'SHOULD NOT'
  | 'RECOMMENDED'
  | 'MAY'
  | 'OPTIONAL';

export type FindingLevel = 'failure' | 'warning' | 'info';

export interface SpecDocument {
  readonly title: string;
  readonly version: string;
  readonly url: string;
}

/** The documents requirements are drawn from. */
export const SPECS = {
  RFC7515: {
    title: 'JSON Web Signature (JWS)',
    version: 'RFC 7515',
    url: 'https://www.rfc-editor.org/rfc/rfc7515.html',
  },
  RFC7517: {
    title: 'JSON Web Key (JWK)',
    version: 'RFC 7517',
    url: 'https://www.rfc-editor.org/rfc/rfc7517.html',
  },
  RFC7519: {
    title: 'JSON Web Token (JWT)',
    version: 'RFC 7519',
    url: 'https://www.rfc-editor.org/rfc/rfc7519.html',
  },
  RFC8259: {
    title: 'The JavaScript Object Notation (JSON) Data Interchange Format',
    version: 'RFC 8259',
    url: 'https://www.rfc-editor.org/rfc/rfc8259.html',
  },
  RFC8417: {
    title: 'Security Event Token (SET)',
    version: 'RFC 8417',
    url: 'https://www.rfc-editor.org/rfc/rfc8417.html',
  },
  RFC8935: {
    title: 'Push-Based Security Event Token (SET) Delivery Using HTTP',
    version: 'RFC 8935',
    url: 'https://www.rfc-editor.org/rfc/rfc8935.html',
  },
  RFC8936: {
    title: 'Poll-Based Security Event Token (SET) Delivery Using HTTP',
    version: 'RFC 8936',
    url: 'https://www.rfc-editor.org/rfc/rfc8936.html',
  },
  RFC9493: {
    title: 'Subject Identifiers for Security Event Tokens',
    version: 'RFC 9493',
    url: 'https://www.rfc-editor.org/rfc/rfc9493.html',
  },
  SSF: {
    title: 'OpenID Shared Signals Framework',
    version: '1.0 final',
    url: 'https://openid.net/specs/openid-sharedsignals-framework-1_0-final.html',
  },
  CAEP: {
    title: 'OpenID Continuous Access Evaluation Profile',
    version: '1.0 final',
    url: 'https://openid.net/specs/openid-caep-1_0-final.html',
  },
  RISC: {
    title: 'OpenID RISC Profile Specification',
    version: '1.0 final',
    url: 'https://openid.net/specs/openid-risc-1_0-final.html',
  },
  'CAEP-IOP': {
    title: 'CAEP Interoperability Profile',
    version: '1.0 draft 02',
    url: 'https://openid.github.io/sharedsignals/openid-caep-interoperability-profile-1_0.html',
  },
  OKTA: {
    title: 'Okta Management API: SSF Security Event Token and the SSF receiver guide',
    version: 'release 2026.06.3',
    url: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/SSFSecurityEventToken/',
  },
  'OIDF-CS': {
    title: 'OpenID Foundation conformance suite, SSF plans (FAILURE-level conditions)',
    version: '12f2a4d',
    url: 'https://gitlab.com/openid/conformance-suite',
  },
  RFC6585: {
    title: 'Additional HTTP Status Codes',
    version: 'RFC 6585',
    url: 'https://www.rfc-editor.org/rfc/rfc6585.html',
  },
  GTR: {
    title: 'OAuth 2.0 Global Token Revocation (as Okta Universal Logout calls it)',
    version: 'draft-parecki-oauth-global-token-revocation',
    url: 'https://datatracker.ietf.org/doc/html/draft-parecki-oauth-global-token-revocation',
  },
  LAB: {
    title: 'ssf-lab operating limits (documented in README, configurable)',
    version: '1',
    url: 'README.md',
  },
} as const satisfies Record<string, SpecDocument>;

export type SpecId = keyof typeof SPECS;

export interface RequirementInput {
  readonly spec: SpecId;
  /** Section number in the spec, or a short locator for documents without numbered sections. */
  readonly section: string;
  /** Fragment appended to the spec URL (without '#'); defaults to `section-<section>`. */
  readonly anchor?: string;
  readonly keyword: Keyword;
  /** The statement, paraphrased. */
  readonly summary: string;
}

const CORE_REQUIREMENT_DATA = {
  'RFC7515-4': {
    spec: 'RFC7515',
    section: '4',
    keyword: 'MUST',
    summary: 'Header Parameter names within a JOSE Header are unique.',
  },
  'RFC7515-4.1.1': {
    spec: 'RFC7515',
    section: '4.1.1',
    keyword: 'MUST',
    summary: 'The "alg" Header Parameter is present.',
  },
  'RFC7515-5.2': {
    spec: 'RFC7515',
    section: '5.2',
    keyword: 'MUST',
    summary: 'A JWS is rejected unless its header decodes to a JSON object and its signature validates.',
  },
  'RFC7515-7.1': {
    spec: 'RFC7515',
    section: '7.1',
    keyword: 'MUST',
    summary: 'The JWS Compact Serialization is three base64url segments joined by periods.',
  },
  'RFC7517-5': {
    spec: 'RFC7517',
    section: '5',
    keyword: 'REQUIRED',
    summary: 'A JWK Set is a JSON object whose "keys" member is an array of JWKs.',
  },
  'RFC7519-4': {
    spec: 'RFC7519',
    section: '4',
    keyword: 'MUST',
    summary: 'Claim names within a JWT Claims Set are unique.',
  },
  'RFC7519-4.1.3': {
    spec: 'RFC7519',
    section: '4.1.3',
    keyword: 'MUST',
    summary: '"aud" is a single string or an array of strings.',
  },
  'RFC7519-7.2': {
    spec: 'RFC7519',
    section: '7.2',
    keyword: 'MUST',
    summary: 'The JWT payload decodes to a JSON object (the Claims Set).',
  },
  'RFC8259-4': {
    spec: 'RFC8259',
    section: '4',
    keyword: 'SHOULD',
    summary: 'Member names within a JSON object are unique.',
  },
  'RFC8417-2.2': {
    spec: 'RFC8417',
    section: '2.2',
    keyword: 'REQUIRED',
    summary:
      '"iss", "iat", "jti" and "events" are present with their defined types; "txn" is a string and "toe" a NumericDate when present.',
  },
  'RFC8417-2.2-events': {
    spec: 'RFC8417',
    section: '2.2',
    keyword: 'MUST',
    summary:
      '"events" is a JSON object with at least one member; each member name is an event type URI, each value a JSON object, and no event type appears twice.',
  },
  'RFC8417-5.1': {
    spec: 'RFC8417',
    section: '5.1',
    keyword: 'MUST',
    summary: 'A SET is signed unless integrity is ensured by other means; "alg": "none" is not accepted.',
  },
  'RFC8935-2': {
    spec: 'RFC8935',
    section: '2',
    keyword: 'SHALL',
    summary:
      "The recipient verifies the SET: authentic, signed by the issuer's key, intended for this audience, from an accepted issuer.",
  },
  'RFC9493-3': {
    spec: 'RFC9493',
    section: '3',
    keyword: 'MUST',
    summary:
      'A Subject Identifier has a "format" and every member its Identifier Format requires, with the defined syntax.',
  },
  'RFC9493-3-members': {
    spec: 'RFC9493',
    section: '3',
    keyword: 'MUST NOT',
    summary: 'A Subject Identifier contains no member its Identifier Format does not describe.',
  },
  'SSF-3.1': {
    spec: 'SSF',
    section: '3.1',
    keyword: 'MUST',
    summary: 'The primary subject of the event is described by the top-level "sub_id" claim.',
  },
  'SSF-3.1.2': {
    spec: 'SSF',
    section: '3.1.2',
    keyword: 'MUST NOT',
    summary:
      'Event types that are not legacy CAEP/RISC types do not use a "subject" member inside the event.',
  },
  'SSF-3.3': {
    spec: 'SSF',
    section: '3.3',
    keyword: 'MUST',
    summary:
      'A complex subject has "format": "complex" and one or more members, each a simple Subject Identifier.',
  },
  'SSF-3.4': {
    spec: 'SSF',
    section: '3.4',
    keyword: 'MAY',
    summary:
      'A subject identifier format outside RFC 9493 and SSF is a proprietary format agreed between the parties.',
  },
  'SSF-3.5': {
    spec: 'SSF',
    section: '3.5',
    keyword: 'MUST',
    summary: 'The SSF formats "jwt_id", "saml_assertion_id" and "ip-addresses" carry their required members.',
  },
  'SSF-4.1.1': {
    spec: 'SSF',
    section: '4.1.1',
    keyword: 'MUST',
    summary: 'SSF SETs use explicit typing: "typ" is "secevent+jwt".',
  },
  'SSF-4.1.2': {
    spec: 'SSF',
    section: '4.1.2',
    keyword: 'MUST NOT',
    summary: 'The JWT "sub" claim is not present in a SET containing an SSF event.',
  },
  'SSF-4.1.6': {
    spec: 'SSF',
    section: '4.1.6',
    keyword: 'MUST',
    summary:
      '"iss" matches the stream\'s "iss" and the Issuer the Transmitter Configuration was fetched from.',
  },
  'SSF-4.1.7': {
    spec: 'SSF',
    section: '4.1.7',
    keyword: 'MUST NOT',
    summary: 'The "exp" claim is not used in SETs.',
  },
  'SSF-4.1.9': {
    spec: 'SSF',
    section: '4.1.9',
    keyword: 'SHOULD',
    summary: 'Transmitters set the "txn" claim.',
  },
  'SSF-4.2.1': {
    spec: 'SSF',
    section: '4.2.1',
    keyword: 'SHOULD',
    summary: 'The "events" claim contains only one event.',
  },
  'SSF-4.2.2': {
    spec: 'SSF',
    section: '4.2.2',
    keyword: 'MAY',
    summary:
      'An event object carries fields determined by its event type; unknown types cannot be checked further.',
  },
  'SSF-7.1': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: 'The Issuer is an https URL with no query or fragment, identical to the SET "iss".',
  },
  'SSF-8.1.4.1': {
    spec: 'SSF',
    section: '8.1.4.1',
    keyword: 'MUST',
    summary:
      'A Verification event has an opaque "sub_id" naming the stream, and echoes the "state" of the request that triggered it.',
  },
  'SSF-8.1.5': {
    spec: 'SSF',
    section: '8.1.5',
    keyword: 'MUST',
    summary:
      'A Stream Updated event has an opaque "sub_id" naming the stream and a "status" of enabled, paused or disabled.',
  },
  'CAEP-2': {
    spec: 'CAEP',
    section: '2',
    keyword: 'MUST',
    summary:
      'Optional event claims have their defined forms: "event_timestamp" a number, "initiating_entity" one of admin|user|policy|system, "reason_admin"/"reason_user" one or more language-tagged strings.',
  },
  'CAEP-3.1': {
    spec: 'CAEP',
    section: '3.1',
    keyword: 'MUST',
    summary: 'session-revoked carries no event-specific claims beyond the optional ones.',
  },
  'CAEP-3.2': {
    spec: 'CAEP',
    section: '3.2',
    keyword: 'REQUIRED',
    summary: 'token-claims-change carries a "claims" object with the changed claims.',
  },
  'CAEP-3.3': {
    spec: 'CAEP',
    section: '3.3',
    keyword: 'REQUIRED',
    summary: 'credential-change carries "credential_type" and "change_type" (create|revoke|update|delete).',
  },
  'CAEP-3.4': {
    spec: 'CAEP',
    section: '3.4',
    keyword: 'REQUIRED',
    summary:
      'assurance-level-change carries "namespace" and "current_level"; "change_direction" is increase|decrease.',
  },
  'CAEP-3.4-direction': {
    spec: 'CAEP',
    section: '3.4',
    keyword: 'SHOULD',
    summary: 'assurance-level-change carries "change_direction" when it carries "previous_level".',
  },
  'CAEP-3.5': {
    spec: 'CAEP',
    section: '3.5',
    keyword: 'REQUIRED',
    summary:
      'device-compliance-change carries "previous_status" and "current_status", each compliant|not-compliant.',
  },
  'CAEP-3.6': {
    spec: 'CAEP',
    section: '3.6',
    keyword: 'MUST',
    summary: 'session-established optional claims have their forms ("amr" an array of strings).',
  },
  'CAEP-3.7': {
    spec: 'CAEP',
    section: '3.7',
    keyword: 'MUST',
    summary: 'session-presented optional claims have their forms.',
  },
  'CAEP-3.8': {
    spec: 'CAEP',
    section: '3.8',
    keyword: 'REQUIRED',
    summary:
      'risk-level-change carries "principal" and "current_level" (LOW|MEDIUM|HIGH); "previous_level" uses the same values.',
  },
  'CAEP-3.8-reason': {
    spec: 'CAEP',
    section: '3.8',
    keyword: 'RECOMMENDED',
    summary: 'risk-level-change carries "risk_reason".',
  },
  'RISC-2.1': {
    spec: 'RISC',
    section: '2.1',
    keyword: 'MUST',
    summary: 'account-credential-change-required has no attributes.',
  },
  'RISC-2.2': { spec: 'RISC', section: '2.2', keyword: 'MUST', summary: 'account-purged has no attributes.' },
  'RISC-2.3': {
    spec: 'RISC',
    section: '2.3',
    keyword: 'MUST',
    summary: 'account-disabled "reason", when present, is hijacking|bulk-account.',
  },
  'RISC-2.4': {
    spec: 'RISC',
    section: '2.4',
    keyword: 'MUST',
    summary: 'account-enabled has no attributes.',
  },
  'RISC-2.5': {
    spec: 'RISC',
    section: '2.5',
    keyword: 'MUST',
    summary:
      'identifier-changed names the old identifier with an email or phone_number subject; "new-value" is a string.',
  },
  'RISC-2.6': {
    spec: 'RISC',
    section: '2.6',
    keyword: 'MUST',
    summary: 'identifier-recycled names the identifier with an email or phone_number subject.',
  },
  'RISC-2.7': {
    spec: 'RISC',
    section: '2.7',
    keyword: 'REQUIRED',
    summary: 'credential-compromise carries "credential_type".',
  },
  'RISC-2.8.1': { spec: 'RISC', section: '2.8.1', keyword: 'MUST', summary: 'opt-in has no attributes.' },
  'RISC-2.8.2': {
    spec: 'RISC',
    section: '2.8.2',
    keyword: 'MUST',
    summary: 'opt-out-initiated has no attributes.',
  },
  'RISC-2.8.3': {
    spec: 'RISC',
    section: '2.8.3',
    keyword: 'MUST',
    summary: 'opt-out-cancelled has no attributes.',
  },
  'RISC-2.8.4': {
    spec: 'RISC',
    section: '2.8.4',
    keyword: 'MUST',
    summary: 'opt-out-effective has no attributes.',
  },
  'RISC-2.9': {
    spec: 'RISC',
    section: '2.9',
    keyword: 'MUST',
    summary: 'recovery-activated has no attributes.',
  },
  'RISC-2.10': {
    spec: 'RISC',
    section: '2.10',
    keyword: 'MUST',
    summary: 'recovery-information-changed has no attributes.',
  },
  'RISC-2.11': {
    spec: 'RISC',
    section: '2.11',
    keyword: 'MUST',
    summary: 'sessions-revoked is deprecated: new implementations use CAEP session-revoked.',
  },
  'CAEP-IOP-2.5': {
    spec: 'CAEP-IOP',
    section: '2.5',
    keyword: 'MUST',
    summary:
      'Event subjects use the interoperable formats "email" or "iss_sub" ("opaque" only for the Verification event).',
  },
  'CAEP-IOP-2.6': {
    spec: 'CAEP-IOP',
    section: '2.6',
    keyword: 'MUST',
    summary: 'Events are signed with RS256 using RSA keys of at least 2048 bits.',
  },
  'CAEP-IOP-2.8.1': {
    spec: 'CAEP-IOP',
    section: '2.8.1',
    keyword: 'MUST',
    summary: 'The "events" claim contains only one event.',
  },
  'CAEP-IOP-3.1': {
    spec: 'CAEP-IOP',
    section: '3.1',
    keyword: 'MUST',
    summary: 'session-revoked carries a non-empty "reason_admin".',
  },
  'CAEP-IOP-3.2': {
    spec: 'CAEP-IOP',
    section: '3.2',
    keyword: 'MUST',
    summary: 'credential-change carries a non-empty "reason_admin".',
  },
  'OKTA-SET-HEADER': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtHeader',
    anchor: 'SecurityEventTokenRequestJwtHeader',
    keyword: 'REQUIRED',
    summary: 'The JOSE header carries "kid", "typ" ("secevent+jwt") and "alg".',
  },
  'OKTA-SET-BODY': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtBody',
    anchor: 'SecurityEventTokenRequestJwtBody',
    keyword: 'REQUIRED',
    summary: 'The SET carries "iss", "aud" (a single string), "jti", "iat" (an integer) and "events".',
  },
  'OKTA-SET-EVENTS': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtEvents',
    anchor: 'SecurityEventTokenRequestJwtEvents',
    keyword: 'MUST',
    summary:
      'The event type is one of the six Okta accepts: device-risk-change, user-risk-change, ip-change, CAEP device-compliance-change, CAEP session-revoked, RISC identifier-changed.',
  },
  'OKTA-SET-SUBJECT': {
    spec: 'OKTA',
    section: 'SecurityEventSubject',
    anchor: 'SecurityEventSubject',
    keyword: 'MUST',
    summary:
      'The event carries its subject inside the event: "user" with format email (the user\'s Okta login), "device" with format opaque.',
  },
  'OKTA-SET-DEVICE-RISK-CHANGE': {
    spec: 'OKTA',
    section: 'OktaDeviceRiskChangeEvent',
    anchor: 'OktaDeviceRiskChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'device-risk-change carries event_timestamp, subject, current_level and previous_level (low|medium|high|secure|none).',
  },
  'OKTA-SET-USER-RISK-CHANGE': {
    spec: 'OKTA',
    section: 'OktaUserRiskChangeEvent',
    anchor: 'OktaUserRiskChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'user-risk-change carries event_timestamp, subject, current_level and previous_level (low|medium|high|secure|none).',
  },
  'OKTA-SET-IP-CHANGE': {
    spec: 'OKTA',
    section: 'OktaIpChangeEvent',
    anchor: 'OktaIpChangeEvent',
    keyword: 'REQUIRED',
    summary: 'ip-change carries event_timestamp, subject, current_ip_address and previous_ip_address.',
  },
  'OKTA-SET-DEVICE-COMPLIANCE-CHANGE': {
    spec: 'OKTA',
    section: 'CaepDeviceComplianceChangeEvent',
    anchor: 'CaepDeviceComplianceChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'device-compliance-change carries event_timestamp, subject, current_status and previous_status (compliant|not-compliant).',
  },
  'OKTA-SET-SESSION-REVOKED': {
    spec: 'OKTA',
    section: 'CaepSessionRevokedEvent',
    anchor: 'CaepSessionRevokedEvent',
    keyword: 'REQUIRED',
    summary: 'session-revoked carries event_timestamp and subject.',
  },
  'OKTA-SET-IDENTIFIER-CHANGED': {
    spec: 'OKTA',
    section: 'RiscIdentifierChangedEvent',
    anchor: 'RiscIdentifierChangedEvent',
    keyword: 'REQUIRED',
    summary: 'identifier-changed carries event_timestamp and subject; "new-value" is a string.',
  },
  'OIDF-CS-AUD': {
    spec: 'OIDF-CS',
    section: 'EnsureSetHasAudClaim',
    anchor: '',
    keyword: 'MUST',
    summary: 'The SET carries "aud" (the conformance suite fails a SET without one).',
  },
  // RFC 7519 §4.1.6 defines "iat" as the time the JWT was issued, so a time still to come cannot be that —
  // yet no specification of SETs makes a future "iat" a MUST-level fault. The OpenID conformance suite
  // fails it; ssf-lab reports it as a warning, and says why.
  'LAB-IAT-NOT-FUTURE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      '"iat" is the time the SET was issued (RFC 7519 §4.1.6), so it is not in the future beyond the allowed clock skew. No SET specification makes this a MUST: a warning.',
  },
  'LAB-SIZE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'MUST',
    summary: 'A SET is no larger than the configured limit (64 KiB by default) before it is parsed.',
  },
  'LAB-DEPTH': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'MUST',
    summary: 'JSON in a SET nests no deeper than the configured limit (32 levels by default).',
  },
} as const satisfies Record<string, RequirementInput>;

/**
 * Every requirement: the validator's (above) and the conformance suites' (one file per area). An id is
 * defined once; registries.test.ts fails when two files define the same one.
 */
export const REQUIREMENT_SOURCES = {
  core: CORE_REQUIREMENT_DATA,
  ssf: SSF_SUITE_REQUIREMENTS,
  transmitter: TRANSMITTER_SUITE_REQUIREMENTS,
  receiver: RECEIVER_SUITE_REQUIREMENTS,
  okta: OKTA_SUITE_REQUIREMENTS,
  logout: LOGOUT_SUITE_REQUIREMENTS,
  integration: INTEGRATION_SUITE_REQUIREMENTS,
} as const;

const REQUIREMENT_DATA = {
  ...CORE_REQUIREMENT_DATA,
  ...SSF_SUITE_REQUIREMENTS,
  ...TRANSMITTER_SUITE_REQUIREMENTS,
  ...RECEIVER_SUITE_REQUIREMENTS,
  ...OKTA_SUITE_REQUIREMENTS,
  ...LOGOUT_SUITE_REQUIREMENTS,
  ...INTEGRATION_SUITE_REQUIREMENTS,
};

export type RequirementId = keyof typeof REQUIREMENT_DATA;

export interface Requirement extends RequirementInput {
  readonly id: RequirementId;
  readonly url: string;
  readonly level: FindingLevel;
}

/** Ids that once meant something and must never be given a new meaning. */
export const RETIRED_REQUIREMENT_IDS: readonly string[] = [];

export function levelForKeyword(keyword: Keyword): FindingLevel {
  switch (keyword) {
    case 'MUST':
    case 'MUST NOT':
    case 'REQUIRED':
    case 'SHALL':
    case 'SHALL NOT':
      return 'failure';
    case 'SHOULD':
    case 'SHOULD NOT':
    case 'RECOMMENDED':
      return 'warning';
    case 'MAY':
    case 'OPTIONAL':
      return 'info';
  }
}

function buildRequirement(id: RequirementId, input: RequirementInput): Requirement {
  const spec = SPECS[input.spec];
  const fragment = input.anchor ?? `section-${input.section}`;
  return Object.freeze({
    ...input,
    id,
    url: fragment === '' ? spec.url : `${spec.url}#${fragment}`,
    level: levelForKeyword(input.keyword),
  });
}

export const REQUIREMENTS: Readonly<Record<RequirementId, Requirement>> = Object.freeze(
  Object.fromEntries(
    Object.entries(REQUIREMENT_DATA).map(([id, input]) => [
      id,
      buildRequirement(id as RequirementId, input as RequirementInput),
    ]),
  ) as Record<RequirementId, Requirement>,
);

export function isRequirementId(value: string): value is RequirementId {
  return Object.hasOwn(REQUIREMENTS, value);
}

export function requirement(id: RequirementId): Requirement {
  return REQUIREMENTS[id];
}
