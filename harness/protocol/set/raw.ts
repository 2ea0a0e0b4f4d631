/**
 * Tokens from raw text: signs whatever header and payload bytes it is given, so negative tests can
 * produce what no well-behaved library would — duplicate members, non-JSON segments, odd encodings —
 * and still carry a genuine signature.
 */
import type { SigningKey } from './keys.ts';

const subtleParams = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
} as const;

export function base64url(input: string | Uint8Array): string {
  return Buffer.from(typeof input === 'string' ? Buffer.from(input, 'utf8') : input).toString('base64url');
}

/** Signs `<b64(header)>.<b64(payload)>` exactly as given; bytes may be any text or binary. */
export async function signRaw(
  header: string | Uint8Array,
  payload: string | Uint8Array,
  key: SigningKey,
): Promise<string> {
  return signCompactInput(`${base64url(header)}.${base64url(payload)}`, key);
}

/**
 * Signs a JWS signing input given as it goes on the wire — segments already encoded, or deliberately
 * mis-encoded (standard base64, padding) — and appends the signature, so a token whose only fault is its
 * encoding still carries a signature over exactly those bytes.
 */
export async function signCompactInput(input: string, key: SigningKey): Promise<string> {
  const signature = await crypto.subtle.sign(
    subtleParams[key.alg],
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** An HMAC-signed token, for algorithm-confusion tests (e.g. a public key's bytes used as the secret). */
export async function signHmacRaw(header: string, payload: string, secret: Uint8Array): Promise<string> {
  const input = `${base64url(header)}.${base64url(payload)}`;
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}
