/**
 * Compact JWS signing and verification straight on node:crypto, for the hot paths: a receiver verifying
 * every pushed SET and a transmitter signing every SET it emits. jose does the same through WebCrypto,
 * whose per-call set-up (a job object, key and parameter normalisation, a second parse of the header and
 * payload) costs three to four times an RSA-2048 verification on the main thread (profiled with
 * `npm run bench -- receiver`); here the key is converted to a KeyObject once and each call hands one
 * OpenSSL operation to libuv's thread pool. Only the plain case takes this path — a known algorithm, no `crit`, no `b64` — and
 * callers hand anything else to jose, so what is accepted or refused never depends on which path ran.
 */
import {
  constants,
  sign as cryptoSign,
  verify as cryptoVerify,
  KeyObject,
  type webcrypto,
} from 'node:crypto';
import type { CryptoKey } from 'jose';

interface AlgorithmParams {
  /** The digest, or null for EdDSA, which hashes internally. */
  readonly digest: string | null;
  readonly padding?: number;
  readonly saltLength?: number;
  /** JWS ECDSA signatures are R || S (RFC 7518 §3.4), not DER. */
  readonly dsaEncoding?: 'ieee-p1363';
}

const rsa = (bits: number): AlgorithmParams => ({
  digest: `sha${bits}`,
  padding: constants.RSA_PKCS1_PADDING,
});
// RFC 7518 §3.5: the PSS salt is as long as the hash output.
const pss = (bits: number): AlgorithmParams => ({
  digest: `sha${bits}`,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: bits / 8,
});
const ecdsa = (bits: number): AlgorithmParams => ({ digest: `sha${bits}`, dsaEncoding: 'ieee-p1363' });

const PARAMS: Readonly<Record<string, AlgorithmParams>> = {
  RS256: rsa(256),
  RS384: rsa(384),
  RS512: rsa(512),
  PS256: pss(256),
  PS384: pss(384),
  PS512: pss(512),
  ES256: ecdsa(256),
  ES384: ecdsa(384),
  ES512: ecdsa(512),
  EdDSA: { digest: null },
  Ed25519: { digest: null },
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Whether a token with this protected header can take the node:crypto path: an asymmetric algorithm
 * listed above, and none of the header parameters (`crit`, `b64`) that change how jose reads the token.
 */
export function nodeJwsHandles(header: Readonly<Record<string, unknown>>): boolean {
  return (
    typeof header.alg === 'string' &&
    Object.hasOwn(PARAMS, header.alg) &&
    !Object.hasOwn(header, 'crit') &&
    !Object.hasOwn(header, 'b64')
  );
}

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/** The KeyObject behind a WebCrypto key, converted once per key. */
export function keyObjectOf(key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key as webcrypto.CryptoKey);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function keyInput(params: AlgorithmParams, key: KeyObject) {
  return {
    key,
    ...(params.padding === undefined ? {} : { padding: params.padding }),
    ...(params.saltLength === undefined ? {} : { saltLength: params.saltLength }),
    ...(params.dsaEncoding === undefined ? {} : { dsaEncoding: params.dsaEncoding }),
  };
}

/**
 * Verifies a compact JWS under `alg` with `key` on libuv's thread pool, like WebCrypto but without its
 * per-call overhead: the event loop spends a few microseconds handing the job over and keeps serving
 * requests while it runs (verifying on the event loop itself made a receiver under load slower, not
 * faster, since its second core then sat idle). Resolves true or false; returns undefined when this path
 * does not take the token — an algorithm not listed, a payload segment that is not plain base64url, a key
 * that is not a CryptoKey — and the caller must verify it another way. The caller has checked that the
 * header passes `nodeJwsHandles` and that the key was imported for `alg`.
 */
export function verifyCompactWithNode(
  token: string,
  alg: string,
  key: CryptoKey | Uint8Array,
): Promise<boolean> | undefined {
  const params = PARAMS[alg];
  if (params === undefined || key instanceof Uint8Array) return undefined;
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  if (firstDot < 0 || lastDot === firstDot) return undefined;
  const payload = token.slice(firstDot + 1, lastDot);
  const signature = token.slice(lastDot + 1);
  // jose refuses a payload it cannot base64url-decode even when the signature over it is good: leave
  // anything unusual to it, so both paths answer alike.
  if (!BASE64URL.test(payload) || payload.length % 4 === 1 || !BASE64URL.test(signature)) return undefined;
  const keyObject = keyObjectOf(key);
  return new Promise((resolve) => {
    try {
      cryptoVerify(
        params.digest,
        Buffer.from(token.slice(0, lastDot), 'utf8'),
        keyInput(params, keyObject),
        Buffer.from(signature, 'base64url'),
        // OpenSSL refuses some malformed signatures with an error instead of answering false.
        (error, valid) => resolve(error === null && valid),
      );
    } catch {
      resolve(false);
    }
  });
}

/**
 * Signs a JWS signing input (`<b64 header>.<b64 payload>`) under `alg` on libuv's thread pool, so the
 * event loop stays free for the requests in flight while the next SETs are signed; resolves to the
 * signature, base64url-encoded. Undefined when `alg` is not one this path signs.
 */
export function signInputWithNode(input: string, alg: string, key: CryptoKey): Promise<string> | undefined {
  const params = PARAMS[alg];
  if (params === undefined) return undefined;
  const keyObject = keyObjectOf(key);
  return new Promise((resolve, reject) => {
    cryptoSign(params.digest, Buffer.from(input, 'utf8'), keyInput(params, keyObject), (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString('base64url'));
    });
  });
}
