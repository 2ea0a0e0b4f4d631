/**
 * The requirement registry: every normative statement a check can cite, with the spec it comes from,
 * an anchor URL into that spec, and its BCP 14 keyword. A finding's level is derived from the keyword,
 * never chosen by the check, so the severity of a deviation is traceable to the text that forbids it.
 *
 * Ids are `<SPEC>-<section>[-<topic>]`. They are stable: a retired id is never reused for another
 * statement (see RETIRED_REQUIREMENT_IDS).
 */

import { INTEGRATION_SUITE_REQUIREMENTS } from './requirements-integration.ts';
import { LOAD_REQUIREMENTS } from './requirements-load.ts';
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
  RFC7518: {
    title: 'JSON Web Algorithms (JWA)',
    version: 'RFC 7518',
    url: 'https://www.rfc-editor.org/rfc/rfc7518.html',
  },
  RFC8037: {
    title: 'CFRG Elliptic Curve Diffie-Hellman (ECDH) and Signatures in JOSE',
    version: 'RFC 8037',
    url: 'https://www.rfc-editor.org/rfc/rfc8037.html',
  },
  RFC8725: {
    title: 'JSON Web Token Best Current Practices',
    version: 'RFC 8725 (BCP 225)',
    url: 'https://www.rfc-editor.org/rfc/rfc8725.html',
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

interface RequirementFields {
  /** Section number in the spec, or a short locator for documents without numbered sections. */
  readonly section: string;
  /** Fragment appended to the spec URL (without '#'); defaults to `section-<section>`. */
  readonly anchor?: string;
  /**
   * The keyword the finding's level follows. It is the quoted sentence's own; where that sentence has
   * none (RFC 8174: normative text need not use the key words), `why` says what the level rests on.
   */
  readonly keyword: Keyword;
  /** The statement, paraphrased. */
  readonly summary: string;
  /** One short line: why a finding citing this has the level it has (or why the spec is silent). */
  readonly why: string;
}

/**
 * A requirement drawn from a published document: `quote` is the normative text it rests on, verbatim
 * as the document words it (keyword included; "…" marks what was left out), so a reader can check
 * the verdict against the spec rather than against ssf-lab's paraphrase.
 */
interface SpecRequirementInput extends RequirementFields {
  readonly spec: Exclude<SpecId, 'LAB'>;
  readonly quote: string;
}

/** One of ssf-lab's own operating limits or rules: no spec sentence to quote, and `why` says so. */
interface LabRequirementInput extends RequirementFields {
  readonly spec: 'LAB';
  readonly quote?: undefined;
}

export type RequirementInput = SpecRequirementInput | LabRequirementInput;

const CORE_REQUIREMENT_DATA = {
  'RFC7515-4': {
    spec: 'RFC7515',
    section: '4',
    keyword: 'MUST',
    summary: 'Header Parameter names within a JOSE Header are unique.',
    quote:
      'The Header Parameter names within the JOSE Header MUST be unique; JWS parsers MUST either reject JWSs with duplicate Header Parameter names or use a JSON parser that returns only the lexically last duplicate member name',
    why: 'MUST on the producer: a duplicated header parameter → failure.',
  },
  'RFC7515-4.1.1': {
    spec: 'RFC7515',
    section: '4.1.1',
    keyword: 'MUST',
    summary: 'The "alg" Header Parameter is present.',
    quote: 'This Header Parameter MUST be present and MUST be understood and processed by implementations.',
    why: 'MUST be present → failure.',
  },
  // RFC 7515 §4.1.4: "Its value MUST be a case-sensitive string." A kid of another type is a malformed
  // header, whatever key it was meant to name.
  'RFC7515-4.1.4': {
    spec: 'RFC7515',
    section: '4.1.4',
    keyword: 'MUST',
    summary: 'The "kid" Header Parameter, when present, is a string.',
    quote: 'Its value MUST be a case-sensitive string.',
    why: 'MUST → failure: a "kid" of another type makes the header malformed.',
  },
  // RFC 7515 §4.1.9 only RECOMMENDS omitting "application/"; RFC 8417 §2.3 draws the conclusion: "the
  // 'typ' value used SHOULD be 'secevent+jwt'". The long form names the same media type, so it is a warning.
  'RFC7515-4.1.9': {
    spec: 'RFC7515',
    section: '4.1.9',
    keyword: 'RECOMMENDED',
    summary:
      '"typ" omits the "application/" prefix: RFC 8417 §2.3 says the value used SHOULD be "secevent+jwt" ("application/secevent+jwt" names the same media type).',
    quote:
      'To keep messages compact in common situations, it is RECOMMENDED that producers omit an "application/" prefix of a media type value in a "typ" Header Parameter when no other \'/\' appears in the media type value.',
    why: 'RECOMMENDED → warning: the long form names the same media type, so it is never a failure.',
  },
  // RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and supported
  // by the recipient, then the JWS is invalid."
  'RFC7515-4.1.11': {
    spec: 'RFC7515',
    section: '4.1.11',
    keyword: 'MUST',
    summary:
      'A JWS whose "crit" lists an extension the recipient does not understand (or is not a non-empty array of names present in the header) is invalid.',
    quote:
      'If any of the listed extension Header Parameters are not understood and supported by the recipient, then the JWS is invalid.',
    why: 'An invalid JWS is rejected (RFC 7515 §5.2: "MUST be rejected") → failure.',
  },
  'RFC7515-5.2': {
    spec: 'RFC7515',
    section: '5.2',
    keyword: 'MUST',
    summary: 'A JWS is rejected unless its header decodes to a JSON object and its signature validates.',
    quote: 'If any of the listed steps fails, then the signature or MAC cannot be validated.',
    why: 'The step list has no keyword of its own; RFC 7519 §7.2 makes it one: a JWT failing any validation step "MUST be rejected" → failure.',
  },
  'RFC7515-7.1': {
    spec: 'RFC7515',
    section: '7.1',
    keyword: 'MUST',
    summary: 'The JWS Compact Serialization is three base64url segments joined by periods.',
    quote:
      "The JWS Compact Serialization represents digitally signed or MACed content as a compact, URL-safe string. This string is: BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature)",
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative); RFC 8935 §2.1 requires the body to be "the SET itself, represented as a JWT" → failure.',
  },
  'RFC7517-5': {
    spec: 'RFC7517',
    section: '5',
    keyword: 'MUST',
    summary: 'A JWK Set is a JSON object whose "keys" member is an array of JWKs.',
    quote: 'The JSON object MUST have a "keys" member, with its value being an array of JWKs.',
    why: 'MUST → failure.',
  },
  'RFC7519-4': {
    spec: 'RFC7519',
    section: '4',
    keyword: 'MUST',
    summary: 'Claim names within a JWT Claims Set are unique.',
    quote:
      'The Claim Names within a JWT Claims Set MUST be unique; JWT parsers MUST either reject JWTs with duplicate Claim Names or use a JSON parser that returns only the lexically last duplicate member name',
    why: 'MUST on the producer: a duplicated claim → failure.',
  },
  'RFC7519-4.1.3': {
    spec: 'RFC7519',
    section: '4.1.3',
    keyword: 'MUST',
    summary: '"aud" is a single string or an array of strings.',
    quote:
      'In the general case, the "aud" value is an array of case-sensitive strings, each containing a StringOrURI value. In the special case when the JWT has one audience, the "aud" value MAY be a single case-sensitive string',
    why: 'The sentence defines the value (RFC 8174 counts text without a keyword as normative); the MAY only allows the single-string form, so a value of any other type is not an "aud" → failure.',
  },
  'RFC7519-7.2': {
    spec: 'RFC7519',
    section: '7.2',
    keyword: 'MUST',
    summary: 'The JWT payload decodes to a JSON object (the Claims Set).',
    quote:
      'Verify that the resulting octet sequence is a UTF-8-encoded representation of a completely valid JSON object conforming to RFC 7159 … If any of the listed steps fail, then the JWT MUST be rejected',
    why: 'MUST be rejected → failure.',
  },
  'RFC8259-4': {
    spec: 'RFC8259',
    section: '4',
    keyword: 'SHOULD',
    summary: 'Member names within a JSON object are unique.',
    quote: 'The names within an object SHOULD be unique.',
    why: 'SHOULD → warning.',
  },
  'RFC8417-2.2': {
    spec: 'RFC8417',
    section: '2.2',
    keyword: 'REQUIRED',
    summary: '"iss" (a string), "iat" (a NumericDate) and "jti" (a string) are present.',
    quote:
      '"iss" (Issuer) Claim … This claim is REQUIRED. "iat" (Issued At) Claim … This claim is REQUIRED. "jti" (JWT ID) Claim … This claim is REQUIRED.',
    why: 'REQUIRED → failure; the types are those of RFC 7519 §4.1.1, §4.1.6 ("MUST be a number containing a NumericDate value") and §4.1.7.',
  },
  'RFC8417-2.2-events': {
    spec: 'RFC8417',
    section: '2, 2.2',
    anchor: 'section-2.2',
    keyword: 'MUST',
    summary:
      '"events" is present and is a JSON object with at least one member; each member name is an event type URI, each value a JSON object, and no event type appears twice.',
    quote:
      'The "events" claim value MUST be a JSON object that contains at least one member. … Multiple event identifiers with the same value MUST NOT be used. … For each name present, the corresponding value MUST be a JSON object.',
    why: "MUST / MUST NOT → failure; that each member name is a URI is part of the claim's definition (§2.2, RFC 8174 counts text without a keyword as normative).",
  },
  'RFC8417-5.1': {
    spec: 'RFC8417',
    section: '5.1',
    keyword: 'MUST',
    summary: 'A SET is signed unless integrity is ensured by other means; "alg": "none" is not accepted.',
    quote:
      'Unless integrity of the JWT is ensured by other means, it MUST be signed using JWS [RFC7515] by an issuer that is trusted to do so for the use case so that the SET can be authenticated and validated by the SET recipient.',
    why: 'MUST → failure. SSF gives no other means of integrity (its SETs are verified with the keys at "jwks_uri", SSF §4.1.4), so an unsigned SET fails.',
  },
  'RFC8935-2': {
    spec: 'RFC8935',
    section: '2',
    keyword: 'SHALL',
    summary:
      "The recipient verifies the SET: authentic, signed by the issuer's key, intended for this audience, from an accepted issuer.",
    quote:
      'Upon receipt of a SET, the SET Recipient SHALL validate that all of the following are true: … The SET is authentic … The SET Recipient is identified as an intended audience of the SET.',
    why: 'SHALL → failure.',
  },
  'RFC9493-3': {
    spec: 'RFC9493',
    section: '3',
    keyword: 'MUST',
    summary:
      'A Subject Identifier has a "format" and every member its Identifier Format requires, with the defined syntax.',
    quote:
      'Every member within a Subject Identifier MUST match the rules specified for that member … A Subject Identifier … MUST contain all members required by its Identifier Format.',
    why: 'MUST → failure.',
  },
  'RFC9493-3-members': {
    spec: 'RFC9493',
    section: '3',
    keyword: 'MUST NOT',
    summary: 'A Subject Identifier contains no member its Identifier Format does not describe.',
    quote:
      'A Subject Identifier MUST NOT contain any members prohibited or not described by its Identifier Format',
    why: 'MUST NOT → failure.',
  },
  'SSF-3.1': {
    spec: 'SSF',
    section: '3.1',
    keyword: 'MUST',
    summary: 'The primary subject of the event is described by the top-level "sub_id" claim.',
    quote: 'A top-level claim named sub_id MUST be used to describe the primary subject of the event.',
    why: 'MUST → failure.',
  },
  'SSF-3.1.2': {
    spec: 'SSF',
    section: '3.1.2',
    keyword: 'MUST NOT',
    summary:
      'Event types that are not legacy CAEP/RISC types do not use a "subject" member inside the event.',
    quote:
      'New event types MUST use the top-level sub_id claim and MUST NOT use the subject field in the events claim to describe the primary Subject Principal.',
    why: 'MUST NOT → failure.',
  },
  'SSF-3.3': {
    spec: 'SSF',
    section: '3.3',
    keyword: 'MUST',
    summary:
      'A complex subject has "format": "complex" and one or more members, each a simple Subject Identifier.',
    quote:
      'A Complex Subject Member has a name and a value that is a JSON [RFC7159] object that has a format field, and one or more Simple Subject Members.',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative); an object that lacks them is not a Complex Subject → failure.',
  },
  'SSF-3.4': {
    spec: 'SSF',
    section: '3.4',
    keyword: 'MAY',
    summary:
      'A subject identifier format outside RFC 9493 and SSF is a proprietary format agreed between the parties.',
    quote:
      'A Subject Identifier in an SSF event MUST have an identifier format that is any one of: … A proprietary subject identifier format that is agreed to between parties.',
    why: 'The MUST admits any proprietary format the parties agreed on, which the lab cannot see: an unregistered format breaks no rule it can check → info.',
  },
  'SSF-3.5': {
    spec: 'SSF',
    section: '3.5',
    keyword: 'MUST',
    summary: 'The SSF formats "jwt_id", "saml_assertion_id" and "ip-addresses" carry their required members.',
    quote: 'Subject Identifiers of this type MUST contain the following members: iss … jti',
    why: 'MUST → failure (the same words define "saml_assertion_id" and "ip-addresses").',
  },
  'SSF-4.1.1': {
    spec: 'SSF',
    section: '4.1.1',
    keyword: 'MUST',
    summary:
      'SSF SETs use explicit typing: "typ" is the media type application/secevent+jwt, written "secevent+jwt" or in full (RFC 7515 §4.1.9: a recipient MUST treat a "typ" without "/" as if "application/" were prepended) and compared without regard to case (RFC 6838 §4.2).',
    quote: 'SSF events MUST use explicit typing as defined in Section 2.3 of [RFC8417].',
    why: 'MUST → failure when "typ" is missing or names another media type; how it is spelt is RFC7515-4.1.9 (RECOMMENDED).',
  },
  'SSF-4.1.2': {
    spec: 'SSF',
    section: '4.1.2',
    keyword: 'MUST NOT',
    summary: 'The JWT "sub" claim is not present in a SET containing an SSF event.',
    quote: 'The JWT "sub" claim MUST NOT be present in any SET containing an SSF event.',
    why: 'MUST NOT → failure.',
  },
  'SSF-4.1.6': {
    spec: 'SSF',
    section: '4.1.6',
    keyword: 'MUST',
    summary:
      '"iss" matches the stream\'s "iss" and the Issuer the Transmitter Configuration was fetched from.',
    quote:
      'The "iss" claim MUST match the "iss" value in the Stream Configuration data for the stream that the event is sent on.',
    why: 'MUST → failure.',
  },
  'SSF-4.1.7': {
    spec: 'SSF',
    section: '4.1.7',
    keyword: 'MUST NOT',
    summary: 'The "exp" claim is not used in SETs.',
    quote: 'The "exp" claim MUST NOT be used in SETs.',
    why: 'MUST NOT → failure.',
  },
  'SSF-4.1.9': {
    spec: 'SSF',
    section: '4.1.9',
    keyword: 'SHOULD',
    summary: 'Transmitters set the "txn" claim.',
    quote: 'Transmitters SHOULD set the "txn" claim value in Security Event Tokens (SETs).',
    why: 'SHOULD → warning.',
  },
  'SSF-4.2.1': {
    spec: 'SSF',
    section: '4.2.1',
    keyword: 'SHOULD',
    summary: 'The "events" claim contains only one event.',
    quote: 'The "events" claim SHOULD contain only one event.',
    why: 'SHOULD → warning.',
  },
  'SSF-4.2.2': {
    spec: 'SSF',
    section: '4.2.2',
    keyword: 'MAY',
    summary:
      'An event object carries fields determined by its event type; unknown types cannot be checked further.',
    quote:
      'The event object inside the events claim MAY have one or more fields that are uniquely determined by the type of the event.',
    why: 'MAY → info: a type the lab does not know is allowed; it only means its fields go unchecked.',
  },
  'SSF-7.1': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: 'The Issuer is an https URL with no query or fragment, identical to the SET "iss".',
    quote:
      'URL using the https scheme with no query or fragment component that the Transmitter asserts as its Issuer Identifier. This MUST be identical to the iss claim value in Security Event Tokens issued from this Transmitter.',
    why: 'REQUIRED / MUST → failure: an "iss" that is not such a URL cannot be identical to the Issuer.',
  },
  'SSF-8.1.4.1': {
    spec: 'SSF',
    section: '8.1.4.1',
    keyword: 'MUST',
    summary:
      'A Verification event has an opaque "sub_id" whose "id" is the stream being verified ("state", when present, is a string).',
    quote:
      'The value of the top-level sub_id claim in a Verification Event MUST always be set to have a simple value of type opaque. The id of the value MUST be the stream_id of the stream being verified.',
    why: 'MUST → failure.',
  },
  'SSF-8.1.5': {
    spec: 'SSF',
    section: '8.1.5',
    keyword: 'MUST',
    summary:
      'A Stream Updated event has an opaque "sub_id" naming the stream and a "status" of enabled, paused or disabled.',
    quote:
      'The value of the sub_id field MUST be of format opaque, and its id value MUST be the unique ID of the stream.',
    why: 'MUST → failure ("status" is REQUIRED in the same section).',
  },
  'CAEP-2': {
    spec: 'CAEP',
    section: '2',
    keyword: 'MUST',
    summary:
      'Optional event claims have their defined forms: "event_timestamp" a number, "initiating_entity" one of admin|user|policy|system, "reason_admin"/"reason_user" one or more language-tagged strings.',
    quote:
      'initiating_entity … This MUST be one of the following strings … reason_admin … The object MUST contain one or more key/value pairs, with a BCP47 [RFC5646] language tag as the key',
    why: 'MUST → failure ("event_timestamp" is defined as a JSON number, RFC 8174 counts text without a keyword as normative).',
  },
  'CAEP-3.1': {
    spec: 'CAEP',
    section: '3.1',
    keyword: 'MUST',
    summary: 'session-revoked carries no event-specific claims beyond the optional ones.',
    quote: 'There are no event-specific claims for this event type.',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; with no claims of its own and SSF §4.2.3 letting extra fields through, only CAEP §2 claims (cited as CAEP-2) can be wrong.',
  },
  'CAEP-3.2': {
    spec: 'CAEP',
    section: '3.2',
    keyword: 'REQUIRED',
    summary: 'token-claims-change carries a "claims" object with the changed claims.',
    quote: 'claims: REQUIRED, JSON object: one or more claims with their new value(s)',
    why: 'REQUIRED → failure.',
  },
  'CAEP-3.3': {
    spec: 'CAEP',
    section: '3.3',
    keyword: 'REQUIRED',
    summary: 'credential-change carries "credential_type" and "change_type" (create|revoke|update|delete).',
    quote:
      'credential_type: REQUIRED, JSON string … change_type: REQUIRED, JSON string: This MUST be one of the following strings: create, revoke, update, delete',
    why: 'REQUIRED / MUST → failure; "credential_type" also admits "any other credential type supported mutually", so any string passes.',
  },
  'CAEP-3.4': {
    spec: 'CAEP',
    section: '3.4',
    keyword: 'REQUIRED',
    summary:
      'assurance-level-change carries "namespace" and "current_level"; "change_direction" is increase|decrease.',
    quote:
      'namespace: REQUIRED, JSON string … current_level: REQUIRED, JSON string … change_direction … If present, this MUST be one of the following strings: increase, decrease',
    why: 'REQUIRED / MUST → failure.',
  },
  'CAEP-3.4-direction': {
    spec: 'CAEP',
    section: '3.4',
    keyword: 'SHOULD',
    summary: 'assurance-level-change carries "change_direction" when it carries "previous_level".',
    quote:
      'If the Transmitter has specified the previous_level, then the Transmitter SHOULD provide a value for this claim.',
    why: 'SHOULD → warning.',
  },
  'CAEP-3.5': {
    spec: 'CAEP',
    section: '3.5',
    keyword: 'REQUIRED',
    summary:
      'device-compliance-change carries "previous_status" and "current_status", each compliant|not-compliant.',
    quote:
      'previous_status: REQUIRED, JSON string … This MUST be one of the following strings: compliant, not-compliant',
    why: 'REQUIRED / MUST → failure.',
  },
  'CAEP-3.6': {
    spec: 'CAEP',
    section: '3.6',
    keyword: 'MUST',
    summary: 'session-established optional claims have their forms ("amr" an array of strings).',
    quote:
      'amr: The authentication methods reference of the session … The value of this field MUST be an array of strings',
    why: 'MUST → failure.',
  },
  'CAEP-3.7': {
    spec: 'CAEP',
    section: '3.7',
    keyword: 'MAY',
    summary:
      'session-presented may carry "fp_ua" and "ext_id" (the lab expects strings; CAEP defines no type).',
    quote: 'The following optional claims MAY be present in a Session Presented event: fp_ua … ext_id',
    why: 'MAY → info: the claims are optional and the spec gives them no type, so a value the lab does not expect (not a string) is reported for information only.',
  },
  'CAEP-3.8': {
    spec: 'CAEP',
    section: '3.8',
    keyword: 'REQUIRED',
    summary:
      'risk-level-change carries "principal" and "current_level" (LOW|MEDIUM|HIGH); "previous_level" uses the same values.',
    quote:
      'principal: REQUIRED, JSON string … current_level: REQUIRED, JSON string: indicates the current level of the risk for the subject. Value MUST be one of LOW, MEDIUM, HIGH.',
    why: 'REQUIRED / MUST → failure.',
  },
  'CAEP-3.8-reason': {
    spec: 'CAEP',
    section: '3.8',
    keyword: 'RECOMMENDED',
    summary: 'risk-level-change carries "risk_reason".',
    quote:
      'risk_reason: RECOMMENDED, JSON string: indicates the reason that contributed to the risk level changes by the Transmitter.',
    why: 'RECOMMENDED → warning.',
  },
  'RISC-2.1': {
    spec: 'RISC',
    section: '2.1',
    keyword: 'MUST',
    summary: 'account-credential-change-required has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.2': {
    spec: 'RISC',
    section: '2.2',
    keyword: 'MUST',
    summary: 'account-purged has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.3': {
    spec: 'RISC',
    section: '2.3',
    keyword: 'MUST',
    summary: 'account-disabled "reason", when present, is hijacking|bulk-account.',
    quote:
      'reason - optional, describes why was the account disabled. Possible values: hijacking, bulk-account',
    why: 'A closed list without a keyword (RFC 8174 counts text without a keyword as normative): another value is not one RISC defines → failure.',
  },
  'RISC-2.4': {
    spec: 'RISC',
    section: '2.4',
    keyword: 'MUST',
    summary: 'account-enabled has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.5': {
    spec: 'RISC',
    section: '2.5',
    keyword: 'MUST',
    summary:
      'identifier-changed names the old identifier with an email or phone_number subject; "new-value" is a string.',
    quote: 'The subject type MUST be either email or phone and it MUST specify the old value.',
    why: 'MUST → failure.',
  },
  'RISC-2.6': {
    spec: 'RISC',
    section: '2.6',
    keyword: 'MUST',
    summary: 'identifier-recycled names the identifier with an email or phone_number subject.',
    quote: 'The subject type MUST be either email or phone.',
    why: 'MUST → failure.',
  },
  'RISC-2.7': {
    spec: 'RISC',
    section: '2.7',
    keyword: 'REQUIRED',
    summary: 'credential-compromise carries "credential_type".',
    quote: 'credential_type - REQUIRED. The type of credential that is compromised.',
    why: 'REQUIRED → failure.',
  },
  'RISC-2.8.1': {
    spec: 'RISC',
    section: '2.8.1',
    keyword: 'MUST',
    summary: 'opt-in has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.8.2': {
    spec: 'RISC',
    section: '2.8.2',
    keyword: 'MUST',
    summary: 'opt-out-initiated has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.8.3': {
    spec: 'RISC',
    section: '2.8.3',
    keyword: 'MUST',
    summary: 'opt-out-cancelled has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.8.4': {
    spec: 'RISC',
    section: '2.8.4',
    keyword: 'MUST',
    summary: 'opt-out-effective has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.9': {
    spec: 'RISC',
    section: '2.9',
    keyword: 'MUST',
    summary: 'recovery-activated has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.10': {
    spec: 'RISC',
    section: '2.10',
    keyword: 'MUST',
    summary: 'recovery-information-changed has no attributes.',
    quote: 'Attributes: none',
    why: 'A definition without a keyword (RFC 8174 counts text without a keyword as normative) → failure level; SSF §4.2.3 lets extra fields through, so only a malformed legacy in-event "subject" can fail here.',
  },
  'RISC-2.11': {
    spec: 'RISC',
    section: '2.11',
    keyword: 'MUST',
    summary: 'sessions-revoked is deprecated: new implementations use CAEP session-revoked.',
    quote:
      'This event type is now deprecated. New implementations MUST use the session-revoked event defined in the CAEP Specification.',
    why: 'MUST → failure.',
  },
  // §2.5 says which formats implementations MUST support; it forbids no other format in a SET, so a
  // subject outside the list is judged as a warning (an interop receiver need not accept it).
  'CAEP-IOP-2.5': {
    spec: 'CAEP-IOP',
    section: '2.5',
    keyword: 'SHOULD',
    summary:
      'Receivers MUST support the subject formats "email" and "iss_sub" ("opaque" for the Verification event only). The profile forbids no other format, so a subject outside these is a warning: an interop receiver need not accept it.',
    quote:
      'The following subject identifier formats from "Subject Identifiers for Security Event Tokens" [RFC9493] MUST be supported: email, iss_sub, opaque (for the Verification event only)',
    why: 'The MUST is on what implementations support, not on each SET: no sentence forbids a SET another format (nor the opaque stream-updated subject SSF §8.1.5 requires, which the list leaves out) → warning at most.',
  },
  'CAEP-IOP-2.6': {
    spec: 'CAEP-IOP',
    section: '2.6',
    keyword: 'MUST',
    summary: 'Events are signed with RS256 using RSA keys of at least 2048 bits.',
    quote: 'All events MUST be signed using the RS256 algorithm using a minimum of 2048-bit keys.',
    why: 'MUST → failure.',
  },
  'CAEP-IOP-2.8.1': {
    spec: 'CAEP-IOP',
    section: '2.8.1',
    keyword: 'MUST',
    summary: 'The "events" claim contains only one event.',
    quote: 'The "events" claim of the SET MUST contain only one event.',
    why: 'MUST → failure (SSF §4.2.1 only says SHOULD).',
  },
  'CAEP-IOP-3.1': {
    spec: 'CAEP-IOP',
    section: '3.1',
    keyword: 'MUST',
    summary: 'session-revoked carries a non-empty "reason_admin".',
    quote: 'The reason_admin field of the event MUST be populated with a non-empty value.',
    why: 'MUST → failure.',
  },
  'CAEP-IOP-3.2': {
    spec: 'CAEP-IOP',
    section: '3.2',
    keyword: 'MUST',
    summary: 'credential-change carries a non-empty "reason_admin".',
    quote: 'reason_admin: Transmitters MUST populate this value with a non-empty string',
    why: 'MUST → failure.',
  },
  'OKTA-SET-HEADER': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtHeader',
    anchor: 'SecurityEventTokenRequestJwtHeader',
    keyword: 'REQUIRED',
    summary:
      'The JOSE header carries "kid", "typ" and "alg"; Okta documents "typ" as exactly "secevent+jwt", and the okta profile holds it to that spelling (vendor-faithful: Okta publishes no other form).',
    quote: 'SecurityEventTokenRequestJwtHeader … required: kid, typ, alg',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-BODY': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtBody',
    anchor: 'SecurityEventTokenRequestJwtBody',
    keyword: 'REQUIRED',
    summary: 'The SET carries "iss", "aud" (a single string), "jti", "iat" (an integer) and "events".',
    quote:
      'SecurityEventTokenRequestJwtBody … aud: type: string … iat: type: integer, format: int64 … required: iss, aud, jti, iat, events',
    why: "Required members and types of Okta's schema → failure.",
  },
  'OKTA-SET-EVENTS': {
    spec: 'OKTA',
    section: 'SecurityEventTokenRequestJwtEvents',
    anchor: 'SecurityEventTokenRequestJwtEvents',
    keyword: 'MUST',
    summary:
      'The event type is one of the six Okta accepts: device-risk-change, user-risk-change, ip-change, CAEP device-compliance-change, CAEP session-revoked, RISC identifier-changed.',
    quote:
      'SecurityEventTokenRequestJwtEvents: A non-empty collection of events (properties: okta device-risk-change, ip-change, user-risk-change; caep device-compliance-change, session-revoked; risc identifier-changed)',
    why: 'Okta documents these six types and no others; the schema does not forbid others outright, but Okta cannot ingest a type it does not define → failure under the okta profile.',
  },
  'OKTA-SET-SUBJECT': {
    spec: 'OKTA',
    section: 'SecurityEventSubject',
    anchor: 'SecurityEventSubject',
    keyword: 'MUST',
    summary:
      'The event carries its subject inside the event: "user" with format email (the user\'s Okta login), "device" with format opaque.',
    quote:
      'SecurityEventSubject: The event subjects … device: The device involved with the event (example: format: opaque) … user: The user involved with the event (example: format: email)',
    why: 'Okta\'s schema names "user" and "device"; the formats come from its documented examples and its guide (the user is found by sign-in email) → failure under the okta profile.',
  },
  'OKTA-SET-DEVICE-RISK-CHANGE': {
    spec: 'OKTA',
    section: 'OktaDeviceRiskChangeEvent',
    anchor: 'OktaDeviceRiskChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'device-risk-change carries event_timestamp, subject, current_level and previous_level (low|medium|high|secure|none).',
    quote:
      'OktaDeviceRiskChangeEvent … required: event_timestamp, subject, current_level, previous_level (enum: low, medium, high, secure, none)',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-USER-RISK-CHANGE': {
    spec: 'OKTA',
    section: 'OktaUserRiskChangeEvent',
    anchor: 'OktaUserRiskChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'user-risk-change carries event_timestamp, subject, current_level and previous_level (low|medium|high|secure|none).',
    quote:
      'OktaUserRiskChangeEvent … required: event_timestamp, subject, current_level, previous_level (enum: low, medium, high, secure, none)',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-IP-CHANGE': {
    spec: 'OKTA',
    section: 'OktaIpChangeEvent',
    anchor: 'OktaIpChangeEvent',
    keyword: 'REQUIRED',
    summary: 'ip-change carries event_timestamp, subject, current_ip_address and previous_ip_address.',
    quote: 'OktaIpChangeEvent … required: event_timestamp, subject, current_ip_address, previous_ip_address',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-DEVICE-COMPLIANCE-CHANGE': {
    spec: 'OKTA',
    section: 'CaepDeviceComplianceChangeEvent',
    anchor: 'CaepDeviceComplianceChangeEvent',
    keyword: 'REQUIRED',
    summary:
      'device-compliance-change carries event_timestamp, subject, current_status and previous_status (compliant|not-compliant).',
    quote:
      'CaepDeviceComplianceChangeEvent … required: event_timestamp, subject, current_status, previous_status',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-SESSION-REVOKED': {
    spec: 'OKTA',
    section: 'CaepSessionRevokedEvent',
    anchor: 'CaepSessionRevokedEvent',
    keyword: 'REQUIRED',
    summary: 'session-revoked carries event_timestamp and subject.',
    quote: 'CaepSessionRevokedEvent … required: event_timestamp, subject',
    why: "Required members of Okta's schema → failure.",
  },
  'OKTA-SET-IDENTIFIER-CHANGED': {
    spec: 'OKTA',
    section: 'RiscIdentifierChangedEvent',
    anchor: 'RiscIdentifierChangedEvent',
    keyword: 'REQUIRED',
    summary: 'identifier-changed carries event_timestamp and subject; "new-value" is a string.',
    quote:
      'RiscIdentifierChangedEvent … new-value: The new identifier value … required: event_timestamp, subject',
    why: "Required members of Okta's schema → failure.",
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
    why: 'No spec requires it: RFC 7519 §4.1.6 defines "iat" as the time of issue, but no SET specification makes a future "iat" a fault → warning at most (a lab rule).',
  },
  'LAB-SIZE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'MUST',
    summary: 'A SET is no larger than the configured limit (64 KiB by default) before it is parsed.',
    why: 'No spec requires it: the lab refuses to parse beyond its limit (RFC 8259 §9: "An implementation may set limits on the size of texts that it accepts"); kept a failure so an unread SET never passes.',
  },
  'LAB-DEPTH': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'MUST',
    summary: 'JSON in a SET nests no deeper than the configured limit (32 levels by default).',
    why: 'No spec requires it: the lab refuses to parse beyond its limit (RFC 8259 §9: "An implementation may set limits on the maximum depth of nesting"); kept a failure so an unread SET never passes.',
  },
  'RFC8417-2.2-aud': {
    spec: 'RFC8417',
    section: '2.2',
    keyword: 'RECOMMENDED',
    summary: 'The SET carries "aud".',
    quote:
      '"aud" (Audience) Claim: As defined by Section 4.1.3 of [RFC7519], this claim contains one or more audience identifiers for the SET. This claim is RECOMMENDED.',
    why: 'RECOMMENDED → warning; SSF 1.0 does not make it required either (§4.1.8: "The "aud" claim can be a single string or an array of strings").',
  },
  'RFC8417-2.2-txn-toe': {
    spec: 'RFC8417',
    section: '2.2',
    keyword: 'MUST',
    summary: '"txn", when present, is a string; "toe", when present, is a NumericDate.',
    quote:
      '"txn" (Transaction Identifier) Claim: An OPTIONAL string value that represents a unique transaction identifier. … "toe" (Time of Event) Claim: … This value is a NumericDate',
    why: 'The claims are optional, but their values are defined (RFC 8174 counts text without a keyword as normative): a "txn" that is not a string is not a "txn" → failure.',
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
  load: LOAD_REQUIREMENTS,
} as const;

const REQUIREMENT_DATA = {
  ...CORE_REQUIREMENT_DATA,
  ...SSF_SUITE_REQUIREMENTS,
  ...TRANSMITTER_SUITE_REQUIREMENTS,
  ...RECEIVER_SUITE_REQUIREMENTS,
  ...OKTA_SUITE_REQUIREMENTS,
  ...LOGOUT_SUITE_REQUIREMENTS,
  ...INTEGRATION_SUITE_REQUIREMENTS,
  ...LOAD_REQUIREMENTS,
};

export type RequirementId = keyof typeof REQUIREMENT_DATA;

export type Requirement = RequirementInput & {
  readonly id: RequirementId;
  readonly url: string;
  readonly level: FindingLevel;
};

/** Ids that once meant something and must never be given a new meaning. */
export const RETIRED_REQUIREMENT_IDS: readonly string[] = [
  // Another test suite's conditions, not spec text (issue 13): re-homed on the spec sentence they rest
  // on (RFC8417-2.2-aud, SSF-8.1.1.1-RX-CREATE, SSF-8.1.4-ACCEPT) or, where there is none, on a
  // lab rule at warning level (LAB-RX-STREAM-DELETE, LAB-RX-VERIFY-REQUEST).
  'OIDF-CS-AUD',
  'OIDF-CS-RX-STREAM',
  'OIDF-CS-RX-VERIFY',
  'OIDF-CS-RX-UNSOLICITED',
  // Bundled RFC 8936 §2.3's "sets" (SHALL) with §2.2's "maxEvents" (SHOULD NOT): split into
  // RFC8936-2.3 and RFC8936-2.2-MAXEVENTS so each keeps its own level.
  'RFC8936-2.4',
];

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
