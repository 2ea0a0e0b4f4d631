/**
 * The specifications' own examples as test vectors: every example SET, subject identifier and wire object
 * of RFC 8417, RFC 8935, RFC 8936, RFC 9493, SSF 1.0, CAEP 1.0, RISC 1.0 and the CAEP interoperability
 * profile, transcribed as data with the verdict each profile must reach and why.
 *
 * A verdict is the exact set of check ids the validator raises, each with its level and a reason. The
 * reason says what in the example draws the finding, and — where the example itself is wrong by its own
 * specification (invalid JSON, a non-E.164 phone number, a typo'd "iat", a pre-final shape) — says so.
 * Examples are non-normative, so a spec example drawing a finding is a statement about the example, not
 * a licence to relax a check.
 */
import type { CheckId } from '../checks.ts';
import type { FindingLevel } from '../requirements.ts';
import type { ProfileName } from '../validator/profiles.ts';

/** One expected finding: its level and why the example draws it. */
export interface Expectation {
  readonly level: FindingLevel;
  readonly why: string;
}

/** The check ids one profile must raise (empty: the example passes that profile with no finding). */
export type Verdict = Readonly<Partial<Record<CheckId, Expectation>>>;

/** A profile the vector cannot meaningfully be judged under, and why. */
export interface NotApplicable {
  readonly notApplicable: string;
}

export type ProfileVerdicts = Readonly<Record<ProfileName, Verdict | NotApplicable>>;

export const fail = (why: string): Expectation => ({ level: 'failure', why });
export const warn = (why: string): Expectation => ({ level: 'warning', why });
export const info = (why: string): Expectation => ({ level: 'info', why });
export const VALID: Verdict = {};
export const notApplicable = (why: string): NotApplicable => ({ notApplicable: why });

export function isNotApplicable(v: Verdict | NotApplicable): v is NotApplicable {
  return Object.hasOwn(v, 'notApplicable');
}

interface VectorBase {
  /** Stable slug, e.g. `rfc8417-figure-1`. */
  readonly id: string;
  /** Spec, section and figure (or example title). */
  readonly source: string;
  /** How the example was transcribed or completed, when not verbatim. */
  readonly note?: string;
}

/**
 * A SET given as its claims (the specs show claim sets, unsigned): the test signs it with a throwaway
 * RS256 key under the given header (default `{"alg":"RS256","typ":"secevent+jwt","kid":…}`) and expects
 * the example's own `iss` and `aud`, so only the content is judged.
 */
export interface ClaimsVector extends VectorBase {
  readonly kind: 'claims';
  /** The claims object, or the example's text where it is not valid JSON. */
  readonly claims: Readonly<Record<string, unknown>> | string;
  /** Header parameters the example shows (an HMAC `alg` is signed with a throwaway secret). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** The stream id a control event names (judged as the stream the receiver asked about). */
  readonly expectedStreamId?: string;
  /** The `state` the receiver asked for (a verification event). */
  readonly expectedState?: string;
  readonly expect: ProfileVerdicts;
}

/** A literal compact SET printed in a spec, judged byte for byte (its signature cannot verify with our key). */
export interface TokenVector extends VectorBase {
  readonly kind: 'token';
  readonly token: string;
  readonly expectedIssuer?: string;
  readonly expectedAudience?: string | readonly string[];
  readonly expect: ProfileVerdicts;
}

/** A subject identifier as the examples print it: a "format" and the members that format describes. */
export interface SubjectValue {
  readonly format: string;
  readonly [member: string]: unknown;
}

/**
 * A subject identifier shown alone (or the `sub_id` of a JWT that is not a SET): judged as the `sub_id` of
 * a minimal valid CAEP session-revoked SET, which the test proves draws no finding by itself.
 */
export interface SubjectVector extends VectorBase {
  readonly kind: 'subject';
  readonly subject: unknown;
  readonly expect: ProfileVerdicts;
}

/**
 * Event claims (or a header) shown alone: merged into the payload of a minimal valid event of `eventType`
 * inside a minimal valid SET (or used as that SET's header).
 */
export interface FragmentVector extends VectorBase {
  readonly kind: 'fragment';
  readonly eventType: string;
  readonly fragment: Readonly<Record<string, unknown>>;
  /** A JOSE header the example shows alone (the fragment is then `{}`): the wrapper is signed under it. */
  readonly header?: Readonly<Record<string, unknown>>;
  readonly expect: ProfileVerdicts;
}

/** A wire object (a request or response body) judged by its JSON Schema; schemas are the same for every profile. */
export interface WireVector extends VectorBase {
  readonly kind: 'wire';
  readonly schemaId: string;
  readonly body: unknown;
  /** The body is a JSON array whose items are each judged by the schema (paths then start `/<index>`). */
  readonly each?: true;
  /** Instance paths (JSON Pointers) at which the schema must fail, each with why; empty: valid. */
  readonly errors: Readonly<Record<string, string>>;
}

/** An example with no JSON to judge (an HTTP exchange with an empty body), listed so nothing is skipped silently. */
export interface NoBodyVector extends VectorBase {
  readonly kind: 'no-body';
  /** Why there is nothing to judge. */
  readonly why: string;
}

export type SpecVector =
  | ClaimsVector
  | TokenVector
  | SubjectVector
  | FragmentVector
  | WireVector
  | NoBodyVector;
