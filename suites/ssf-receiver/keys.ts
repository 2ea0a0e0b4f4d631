/**
 * The keys the receiver plans sign with besides the user's own: strangers' keys for forgeries, one key per
 * algorithm a profile allows, a rotated key, and an RSA key too short to use. Each is made once per process
 * (RSA key generation is slow) and only its public half ever leaves the harness.
 */
import { randomUUID, type webcrypto } from 'node:crypto';
import { generateSigningKey, type SigningAlgorithm, type SigningKey } from '../../harness/protocol/index.ts';

const made = new Map<string, Promise<SigningKey>>();

function once(name: string, make: () => Promise<SigningKey>): Promise<SigningKey> {
  let key = made.get(name);
  if (key === undefined) {
    key = make();
    made.set(name, key);
  }
  return key;
}

/**
 * What a key is for. `forger`: signs SETs the receiver must refuse, under the harness's kid or its own;
 * `unknown-kid`: a kid no JWKS holds; `probe`: an unpublished kid that makes a receiver refetch the JWKS;
 * `algorithm`: published to show the receiver takes that algorithm; `rotated`: published mid-run, then used.
 */
export type KeyRole = 'forger' | 'unknown-kid' | 'probe' | 'algorithm' | 'rotated';

/** A key nobody but the harness holds, one per algorithm and role for the whole process. */
export function harnessSideKey(alg: SigningAlgorithm, role: KeyRole): Promise<SigningKey> {
  return once(`${alg}/${role}`, async () => {
    const kid = role === 'forger' ? {} : { kid: `ssf-lab-${role}-${alg.toLowerCase()}-${randomUUID()}` };
    return (await generateSigningKey(alg, kid)).key;
  });
}

/** RFC 7518 §3.3 requires 2048 bits; this is half that, to be published and must still be refused. */
export const SHORT_RSA_BITS = 1024;

/**
 * An RS256 key of SHORT_RSA_BITS. jose refuses to make one, so WebCrypto does; the public half carries the
 * usual `kid`, `alg` and `use` so that nothing but its length is wrong.
 */
export function shortRsaKey(): Promise<SigningKey> {
  return once('RS256/short', async () => {
    const pair = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: SHORT_RSA_BITS,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as webcrypto.CryptoKeyPair;
    const { n, e } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const kid = `ssf-lab-rsa-${SHORT_RSA_BITS}-${randomUUID()}`;
    return {
      alg: 'RS256',
      kid,
      privateKey: pair.privateKey as SigningKey['privateKey'],
      publicJwk: { kty: 'RSA', n: String(n), e: String(e), kid, alg: 'RS256', use: 'sig' },
    };
  });
}
