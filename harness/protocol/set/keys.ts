/**
 * Signing keys for SETs: generate one, import one from a private JWK, and publish its public half as a
 * JWKS. The `kid` defaults to the RFC 7638 thumbprint, so the same key always gets the same kid.
 */
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { HarnessError } from '../../kernel/index.ts';
import type { JwkSet } from './jwks.ts';

/** Algorithms ssf-lab signs SETs with. */
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export interface SigningKey {
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as a JWK, with kid, alg and use set. */
  readonly publicJwk: JWK;
}

export function isSigningAlgorithm(value: string): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

function publicPart(jwk: JWK): JWK {
  const {
    d: _d,
    p: _p,
    q: _q,
    dp: _dp,
    dq: _dq,
    qi: _qi,
    oth: _oth,
    k: _k,
    key_ops: _ops,
    ext: _ext,
    ...pub
  } = jwk;
  return pub;
}

export interface GenerateOptions {
  readonly kid?: string;
  /** RSA modulus length (default 2048). */
  readonly modulusLength?: number;
}

/** Generates a new signing key pair; returns the key and its private JWK (for saving to a file). */
export async function generateSigningKey(
  alg: SigningAlgorithm = 'RS256',
  options: GenerateOptions = {},
): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' || alg === 'PS256' ? { modulusLength: options.modulusLength ?? 2048 } : {}),
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  const privateJwk = await exportJWK(pair.privateKey);
  const kid = options.kid ?? (await calculateJwkThumbprint(privateJwk));
  const full: JWK = { ...privateJwk, kid, alg, use: 'sig' };
  return {
    key: { alg, kid, privateKey: pair.privateKey, publicJwk: publicPart(full) },
    privateJwk: full,
  };
}

/** The algorithm a private JWK signs with: its "alg", or the usual one for its key type. */
function algorithmFor(jwk: JWK): SigningAlgorithm {
  if (typeof jwk.alg === 'string') {
    if (isSigningAlgorithm(jwk.alg)) return jwk.alg;
    throw new HarnessError(
      'ERR_KEY_INVALID',
      `the key's "alg" is ${jwk.alg}; ssf-lab signs with ${SIGNING_ALGORITHMS.join(', ')}`,
    );
  }
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw new HarnessError(
    'ERR_KEY_INVALID',
    `cannot sign with a ${jwk.kty ?? 'typeless'} key${jwk.crv ? ` on ${jwk.crv}` : ''}`,
  );
}

/** Imports a private JWK (as saved by `ssf-lab keys generate`) as a signing key. */
export async function importSigningKey(jwk: unknown, algOverride?: SigningAlgorithm): Promise<SigningKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || typeof (jwk as JWK).kty !== 'string') {
    throw new HarnessError('ERR_KEY_INVALID', 'the key is not a JWK object with a "kty"');
  }
  const key = jwk as JWK;
  if (key.d === undefined) {
    throw new HarnessError(
      'ERR_KEY_INVALID',
      'the JWK has no private part ("d"); signing needs the private key',
    );
  }
  const alg = algOverride ?? algorithmFor(key);
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(key, alg)) as CryptoKey;
  } catch (error) {
    throw new HarnessError(
      'ERR_KEY_INVALID',
      `the JWK cannot be used for ${alg}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const kid = key.kid ?? (await calculateJwkThumbprint(key));
  return { alg, kid, privateKey, publicJwk: publicPart({ ...key, kid, alg, use: 'sig' }) };
}

export function publicJwks(...keys: readonly SigningKey[]): JwkSet {
  return { keys: keys.map((k) => k.publicJwk) };
}
