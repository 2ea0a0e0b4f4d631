/**
 * DPoP (RFC 9449) as Okta applies it (developer.okta.com/docs/guides/dpop): an app with "Require DPoP"
 * (`dpop_bound_access_tokens`) gets tokens only with a proof JWT signed by the client's key; the first
 * proof without a server nonce is answered 400 `use_dpop_nonce` with a `DPoP-Nonce` header, the retry with
 * that nonce gets `token_type: DPoP` and a token bound to the key's thumbprint (`cnf.jkt`). Resource calls
 * then send `Authorization: DPoP <token>` and a fresh proof with `htm`, `htu` (no query or fragment) and
 * `ath` = base64url(SHA-256(token)). A proof is checked for its type, algorithm, embedded public key,
 * signature, freshness (`iat` within 5 minutes) and single use (`jti`, remembered 10 minutes, at most
 * 10,000). Nonces are stateless — an issue time and an HMAC under a per-org secret — and live 5 minutes.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, type JWK, jwtVerify } from 'jose';
import { ExpiringStore } from '../oidc/tokens.ts';

export const DPOP_NONCE_LIFETIME_S = 300;
export const DPOP_PROOF_WINDOW_S = 300;
export const DPOP_JTI_CAP = 10_000;
export const DPOP_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

export type DpopErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

export class DpopError extends Error {
  readonly code: DpopErrorCode;

  constructor(code: DpopErrorCode, message: string) {
    super(message);
    this.name = 'DpopError';
    this.code = code;
  }
}

export interface ProofExpectation {
  readonly method: string;
  /** The request URL the proof must name (`htu`), compared without query and fragment. */
  readonly url: string;
  /** On a resource call: the access token the proof must hash into `ath`. */
  readonly accessToken?: string;
  /** At the token endpoint of a DPoP app: a valid server nonce is required. */
  readonly requireNonce: boolean;
  /** The thumbprint the access token is bound to. */
  readonly jkt?: string;
}

function base(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

export class Dpop {
  readonly #now: () => number;
  readonly #secret = randomBytes(32);
  readonly #seen: ExpiringStore<{ readonly expiresAt: number }>;

  constructor(now: () => number) {
    this.#now = now;
    this.#seen = new ExpiringStore(now, DPOP_JTI_CAP);
  }

  #mac(issued: string): string {
    return createHmac('sha256', this.#secret).update(issued).digest('base64url');
  }

  /** A new nonce for the `DPoP-Nonce` header. */
  nonce(): string {
    const issued = String(Math.floor(this.#now() / 1000));
    return `${Buffer.from(issued).toString('base64url')}.${this.#mac(issued)}`;
  }

  #nonceIsValid(nonce: string): boolean {
    const [encoded, mac] = nonce.split('.');
    if (!encoded || !mac) return false;
    const issued = Buffer.from(encoded, 'base64url').toString();
    if (!/^\d+$/.test(issued)) return false;
    const expected = Buffer.from(this.#mac(issued));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const age = this.#now() / 1000 - Number(issued);
    return age >= -5 && age <= DPOP_NONCE_LIFETIME_S;
  }

  /** Verifies a proof; returns the thumbprint of its key. Throws DpopError. */
  async verify(proof: string | string[] | undefined, expect: ProofExpectation): Promise<{ jkt: string }> {
    if (proof === undefined || proof === '')
      throw new DpopError('invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
    if (Array.isArray(proof))
      throw new DpopError('invalid_dpop_proof', 'More than one DPoP header was sent.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw new DpopError('invalid_dpop_proof', 'The DPoP proof is not a JWS in compact serialization.');
    }
    if (header.typ !== 'dpop+jwt')
      throw new DpopError('invalid_dpop_proof', "The DPoP proof's typ header must be 'dpop+jwt'.");
    if (typeof header.alg !== 'string' || !DPOP_ALGORITHMS.includes(header.alg))
      throw new DpopError(
        'invalid_dpop_proof',
        `The DPoP proof's alg must be one of ${DPOP_ALGORITHMS.join(', ')}.`,
      );
    const jwk = header.jwk as JWK | undefined;
    if (typeof jwk !== 'object' || jwk === null || 'd' in jwk || jwk.kty === 'oct')
      throw new DpopError('invalid_dpop_proof', "The DPoP proof's jwk header must hold a public key.");
    let payload: Record<string, unknown>;
    try {
      payload = (
        await jwtVerify(proof, EmbeddedJWK, {
          typ: 'dpop+jwt',
          algorithms: DPOP_ALGORITHMS,
          currentDate: new Date(this.#now()),
        })
      ).payload;
    } catch (error) {
      throw new DpopError('invalid_dpop_proof', `The DPoP proof is invalid: ${(error as Error).message}`);
    }
    if (payload.htm !== expect.method)
      throw new DpopError('invalid_dpop_proof', `The DPoP proof's htm must be ${expect.method}.`);
    if (typeof payload.htu !== 'string' || base(payload.htu) !== base(expect.url))
      throw new DpopError(
        'invalid_dpop_proof',
        `The DPoP proof's htu must be ${base(expect.url) ?? expect.url}.`,
      );
    const now = this.#now() / 1000;
    if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > DPOP_PROOF_WINDOW_S)
      throw new DpopError('invalid_dpop_proof', 'The DPoP proof was not issued within the last 5 minutes.');
    if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 256)
      throw new DpopError('invalid_dpop_proof', "The DPoP proof's jti is missing.");
    if (expect.accessToken !== undefined) {
      const ath = createHash('sha256').update(expect.accessToken).digest('base64url');
      if (payload.ath !== ath)
        throw new DpopError(
          'invalid_dpop_proof',
          "The DPoP proof's ath is not the hash of the access token.",
        );
    }
    if (payload.nonce !== undefined) {
      if (typeof payload.nonce !== 'string' || !this.#nonceIsValid(payload.nonce))
        throw new DpopError('use_dpop_nonce', 'The DPoP proof nonce is invalid or has expired.');
    } else if (expect.requireNonce) {
      throw new DpopError('use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.');
    }
    const jkt = await calculateJwkThumbprint(jwk);
    if (expect.jkt !== undefined && expect.jkt !== jkt)
      throw new DpopError('invalid_dpop_proof', 'The DPoP proof key is not the key the token is bound to.');
    const seenKey = `${jkt}:${payload.jti}`;
    if (this.#seen.get(seenKey))
      throw new DpopError('invalid_dpop_proof', 'The DPoP proof jti has already been used.');
    this.#seen.set(seenKey, { expiresAt: this.#now() + 2 * DPOP_PROOF_WINDOW_S * 1000 });
    return { jkt };
  }
}
