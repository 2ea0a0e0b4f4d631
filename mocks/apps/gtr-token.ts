/**
 * Authenticates a Global Token Revocation request: the `Authorization: Bearer <JWT>` Okta signs with its
 * org key (Okta, "Build Universal Logout for your app", Endpoint authentication). Checked, in order:
 * the Bearer scheme; a compact JWS no larger than 8 KiB with a JSON header without duplicate members;
 * `typ` global-token-revocation+jwt (RFC 8725 §3.11 explicit typing); an asymmetric `alg` (never `none`,
 * never HMAC: a shared secret would let anyone holding it mint logouts); the signature against the org's
 * JWKS (cached, refetched once on an unknown `kid`); then the claims — `iss` the org, `aud` exactly this
 * endpoint's URL, `exp`/`nbf`/`iat` within the clock skew, `exp` at most an hour ahead, a `jti`, and `sub`
 * this app's client id — and finally that the `jti` was not accepted before.
 *
 * Statuses follow draft-parecki-oauth-global-token-revocation-05 §3.4.2: 401 when the authentication is
 * missing or invalid; 403 only for a genuine Okta token naming another app in `sub` (authenticated, but not
 * authorized for this app); 503 when the JWKS cannot be had (Okta's side, not the request, is at fault).
 * Keys come only from the configured JWKS URL: `jku`, `jwk`, `x5u` and `x5c` in the header are ignored.
 */
import { compactVerify } from 'jose';
import { type Clock, type DeviationSwitch, NO_DEVIATIONS } from '../../harness/kernel/index.ts';
import { isJsonObject, type KeySource, parseStrictJson } from '../../harness/protocol/index.ts';
import { deviates } from './deviations.ts';
import type { ReplayCache } from './replay-cache.ts';

export const GTR_TYP = 'global-token-revocation+jwt';

/** JWS algorithms accepted: asymmetric only (RFC 8725 §3.1, §3.2). */
export const GTR_ALGORITHMS: readonly string[] = [
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
];

const MAX_TOKEN_BYTES = 8 * 1024;
/** Okta's tokens live five minutes; anything meant to live longer than this is refused. */
const MAX_LIFETIME_SECONDS = 3600;
const MAX_JTI_LENGTH = 256;
const SEGMENT = /^[A-Za-z0-9_-]*$/;

export interface VerifiedGtrToken {
  readonly alg: string;
  readonly kid?: string;
  readonly jti: string;
  readonly iss: string;
  readonly sub: string;
  readonly exp: number;
}

export interface GtrAuthFailure {
  readonly ok: false;
  readonly status: 401 | 403 | 503;
  readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';
  readonly description: string;
  /** The RFC 6750 §3 challenge's error code; absent when the request carried no credentials at all. */
  readonly challengeError?: 'invalid_token' | 'insufficient_scope';
  /** What is known of the token, for the request record (only once its signature verified). */
  readonly alg?: string;
  readonly kid?: string;
  readonly jti?: string;
}

export type GtrAuth = { readonly ok: true; readonly token: VerifiedGtrToken } | GtrAuthFailure;

export interface GtrTokenExpectations {
  /** The Okta org URL: `iss` must equal it. */
  readonly issuer: string;
  /** The endpoint's absolute URL: `aud` must be (or contain) exactly it. */
  readonly audience: string;
  /** This app's client id (OIDC) or app instance id (SAML): `sub` must equal it. */
  readonly clientId: string;
  readonly clockSkewSeconds: number;
  readonly clock: Clock;
}

/** A short, quoted rendering of an untrusted value for messages. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function invalid(description: string, known: Partial<GtrAuthFailure> = {}): GtrAuthFailure {
  return {
    ok: false,
    status: 401,
    error: 'invalid_token',
    description,
    challengeError: 'invalid_token',
    ...known,
  };
}

function decodeJson(bytes: Uint8Array, what: string): { ok: true; value: unknown } | GtrAuthFailure {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return invalid(`the JWT ${what} is not UTF-8`);
  }
  const parsed = parseStrictJson(text, 8);
  if (!parsed.ok) return invalid(`the JWT ${what} is not JSON (${parsed.message})`);
  if (!isJsonObject(parsed.value)) return invalid(`the JWT ${what} is not a JSON object`);
  const duplicate = parsed.duplicates[0];
  if (duplicate) return invalid(`the JWT ${what} has member "${duplicate.name}" twice`);
  return { ok: true, value: parsed.value };
}

/** `typ` compares as a media type: case-insensitively, `application/` optional (RFC 7515 §4.1.9). */
function isGtrTyp(typ: string): boolean {
  const lower = typ.toLowerCase();
  return lower === GTR_TYP || lower === `application/${GTR_TYP}`;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export class GtrTokenVerifier {
  readonly #keys: KeySource;
  readonly #expect: GtrTokenExpectations;
  readonly #replay: ReplayCache;
  readonly #deviations: DeviationSwitch;

  constructor(
    keys: KeySource,
    expect: GtrTokenExpectations,
    replay: ReplayCache,
    deviations: DeviationSwitch = NO_DEVIATIONS,
  ) {
    this.#keys = keys;
    this.#expect = expect;
    this.#replay = replay;
    this.#deviations = deviations;
  }

  async verify(authorization: string | undefined): Promise<GtrAuth> {
    if (authorization === undefined || authorization.trim() === '')
      return {
        ok: false,
        status: 401,
        error: 'invalid_request',
        description: 'no Authorization header: send Authorization: Bearer <JWT signed by the Okta org>',
      };
    const scheme = authorization.trim().split(/\s+/)[0] ?? '';
    if (scheme.toLowerCase() !== 'bearer')
      return invalid(`the Authorization scheme must be Bearer, not ${quote(scheme)}`);
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) return invalid('the Authorization header must be "Bearer <JWT>", one token and nothing else');
    const token = match[1] ?? '';
    if (token.length > MAX_TOKEN_BYTES)
      return invalid(`the bearer token is longer than ${MAX_TOKEN_BYTES} bytes`);
    const segments = token.split('.');
    if (segments.length === 5)
      return invalid('the bearer token is an encrypted JWT (JWE); Okta signs, not encrypts');
    if (segments.length !== 3 || !segments.every((s) => SEGMENT.test(s)))
      return invalid('the bearer token is not a JWT (three base64url segments separated by dots)');

    const header = decodeJson(Buffer.from(segments[0] ?? '', 'base64url'), 'header');
    if (!header.ok) return header;
    const h = header.value as Record<string, unknown>;
    if (h.typ === undefined) return invalid(`the JWT header has no "typ"; expected "${GTR_TYP}"`);
    if (typeof h.typ !== 'string' || !isGtrTyp(h.typ))
      return invalid(`the JWT "typ" is ${quote(h.typ)}; expected "${GTR_TYP}"`);
    const alg = h.alg;
    if (typeof alg !== 'string') return invalid('the JWT header has no "alg"');
    if (alg.toLowerCase() === 'none')
      return invalid('the JWT is unsigned (alg "none"); Okta signs with its org key');
    if (/^HS\d+$/i.test(alg))
      return invalid(
        `the JWT uses the symmetric algorithm ${quote(alg)}; only the Okta org's key pair is trusted`,
      );
    if (!GTR_ALGORITHMS.includes(alg))
      return invalid(
        `the JWT algorithm ${quote(alg)} is not accepted (accepted: ${GTR_ALGORITHMS.join(', ')})`,
      );
    if (h.kid !== undefined && typeof h.kid !== 'string') return invalid('the JWT "kid" is not a string');
    const kid = h.kid as string | undefined;
    const known = { alg, ...(kid === undefined ? {} : { kid: kid.slice(0, 128) }) };

    const lookup = await this.#keys.keysFor(kid === undefined ? { alg } : { alg, kid });
    if (!lookup.ok) {
      if (lookup.problem === 'no-matching-key')
        return invalid(`no key in the Okta org's JWKS verifies this JWT: ${lookup.message}`, known);
      return {
        ok: false,
        status: 503,
        error: 'temporarily_unavailable',
        description: `the Okta org's keys cannot be had right now: ${lookup.message}`,
        ...known,
      };
    }
    let verifiedPayload: Uint8Array | undefined;
    let lastError = 'the signature does not verify';
    for (const candidate of lookup.keys) {
      try {
        verifiedPayload = (await compactVerify(token, candidate.key, { algorithms: [alg] })).payload;
        break;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    // app-skips-signature-check breaks GTR-3-AUTH: the payload is read without its signature.
    if (!verifiedPayload && deviates(this.#deviations, 'app-skips-signature-check'))
      verifiedPayload = Buffer.from(segments[1] ?? '', 'base64url');
    if (!verifiedPayload)
      return invalid(`the JWT signature does not verify with the Okta org's key (${lastError})`, known);

    // The verified bytes, not the segment: with `b64: false` (RFC 7797) they would differ.
    const payload = decodeJson(verifiedPayload, 'payload');
    if (!payload.ok) return { ...payload, ...known };
    return this.#judgeClaims(payload.value as Record<string, unknown>, known);
  }

  #judgeClaims(c: Record<string, unknown>, known: { alg: string; kid?: string }): GtrAuth {
    const { issuer, audience, clientId, clockSkewSeconds: skew } = this.#expect;
    const jti = typeof c.jti === 'string' && c.jti !== '' ? c.jti.slice(0, MAX_JTI_LENGTH) : undefined;
    const k = { ...known, ...(jti === undefined ? {} : { jti }) };
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'])
      if (c[claim] === undefined) return invalid(`the JWT has no "${claim}" claim`, k);

    if (c.iss !== issuer) return invalid(`the JWT "iss" is ${quote(c.iss)}; expected "${issuer}"`, k);
    const aud = c.aud;
    const audOk = aud === audience || (Array.isArray(aud) && aud.includes(audience));
    // app-accepts-any-audience breaks GTR-3-AUTH: a token minted for another endpoint is taken here.
    if (!audOk && !deviates(this.#deviations, 'app-accepts-any-audience'))
      return invalid(`the JWT "aud" is ${quote(aud)}; expected this endpoint's URL "${audience}"`, k);

    const now = this.#expect.clock.now() / 1000;
    for (const claim of ['exp', 'nbf', 'iat'])
      if (!isNumericDate(c[claim])) return invalid(`the JWT "${claim}" is not a NumericDate (seconds)`, k);
    const exp = c.exp as number;
    const nbf = c.nbf as number;
    const iat = c.iat as number;
    // app-accepts-expired-token breaks GTR-3-AUTH: "exp" is read but never compared.
    if (now > exp + skew && !deviates(this.#deviations, 'app-accepts-expired-token'))
      return invalid(`the JWT expired at ${new Date(exp * 1000).toISOString()} (allowed skew ${skew} s)`, k);
    if (exp - now > MAX_LIFETIME_SECONDS + skew)
      return invalid(
        `the JWT "exp" is more than ${MAX_LIFETIME_SECONDS} s away; Okta's tokens live 5 minutes`,
        k,
      );
    if (nbf > now + skew)
      return invalid(
        `the JWT is not valid before ${new Date(nbf * 1000).toISOString()} (allowed skew ${skew} s)`,
        k,
      );
    if (iat > now + skew)
      return invalid(`the JWT was issued in the future (${new Date(iat * 1000).toISOString()})`, k);

    if (jti === undefined || typeof c.jti !== 'string' || c.jti.length > MAX_JTI_LENGTH)
      return invalid(`the JWT "jti" must be a non-empty string of at most ${MAX_JTI_LENGTH} characters`, k);
    if (typeof c.sub !== 'string') return invalid('the JWT "sub" is not a string', k);
    if (c.sub !== clientId)
      return {
        ok: false,
        status: 403,
        error: 'insufficient_scope',
        challengeError: 'insufficient_scope',
        description: `the JWT is for app ${quote(c.sub)}, not this app (${clientId}); Okta puts the app's client id or app instance id in "sub"`,
        ...k,
      };
    if (this.#replay.has(jti))
      return invalid(
        `the JWT "jti" ${quote(jti)} was already used; Okta mints a new JWT for every request`,
        k,
      );
    // Full of live ids: refuse for now (Okta retries a 503) rather than accept a token whose replay would pass.
    if (!this.#replay.add(jti, (exp + skew) * 1000))
      return {
        ok: false,
        status: 503,
        error: 'temporarily_unavailable',
        description: 'the app remembers as many live token ids as it can; try again shortly',
        ...k,
      };
    return { ok: true, token: { ...known, jti, iss: issuer, sub: c.sub, exp } };
  }
}
