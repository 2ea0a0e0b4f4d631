import { CompactSign, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { signSet } from './build.ts';
import { generateSigningKey, SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningKey } from './keys.ts';
import { nodeJwsHandles, verifyCompactWithNode } from './node-jws.ts';
import { signRaw } from './raw.ts';

/** One key per algorithm and name for the whole file: RSA key generation dominates its run time. */
const keys = new Map<string, Promise<SigningKey>>();
function keyFor(alg: SigningAlgorithm, name = 'main'): Promise<SigningKey> {
  const id = `${alg}/${name}`;
  if (!keys.has(id))
    keys.set(
      id,
      generateSigningKey(alg, { kid: 'k1' }).then((g) => g.key),
    );
  return keys.get(id) as Promise<SigningKey>;
}

const CLAIMS = {
  iss: 'https://tx.example',
  aud: 'https://rx.example',
  jti: 'j-1',
  iat: 1767225600,
  events: {},
};

async function joseAccepts(token: string, key: SigningKey): Promise<boolean> {
  const publicKey = await importJWK(key.publicJwk, key.alg);
  return compactVerify(token, publicKey, { algorithms: [key.alg] }).then(
    () => true,
    () => false,
  );
}

/** The same token with one character of a segment changed. */
function flip(token: string, segment: 1 | 2): string {
  const parts = token.split('.');
  const s = parts[segment] as string;
  parts[segment] = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
  return parts.join('.');
}

describe.each(SIGNING_ALGORITHMS)('node:crypto JWS, %s', (alg) => {
  it('signs what jose verifies and verifies what jose signs, refusing what jose refuses', async () => {
    const key = await keyFor(alg);
    const other = await keyFor(alg, 'other');
    const publicKey = await importJWK(key.publicJwk, alg);
    const ours = await signSet(CLAIMS, key);
    const theirs = await new CompactSign(new TextEncoder().encode(JSON.stringify(CLAIMS)))
      .setProtectedHeader({ alg, typ: 'secevent+jwt', kid: 'k1' })
      .sign(key.privateKey);
    // Header and payload are the bytes jose would write.
    expect(ours.split('.').slice(0, 2)).toEqual(theirs.split('.').slice(0, 2));
    expect(await joseAccepts(ours, key)).toBe(true);
    for (const token of [ours, theirs]) expect(await verifyCompactWithNode(token, alg, publicKey)).toBe(true);
    for (const token of [flip(ours, 1), flip(ours, 2), await signSet(CLAIMS, other)]) {
      expect(await joseAccepts(token, key)).toBe(false);
      expect(await verifyCompactWithNode(token, alg, publicKey)).toBe(false);
    }
  });
});

describe('node:crypto JWS, what it leaves to jose', () => {
  it('gives RS256 signatures byte for byte the same as jose (deterministic padding)', async () => {
    const key = await keyFor('RS256');
    const theirs = await new CompactSign(new TextEncoder().encode(JSON.stringify(CLAIMS)))
      .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid: 'k1' })
      .sign(key.privateKey);
    expect(await signSet(CLAIMS, key)).toBe(theirs);
  });

  it('does not verify a PS256 signature as RS256 with the same RSA key', async () => {
    const ps = await keyFor('PS256');
    const token = await signSet(CLAIMS, ps);
    const asRs256 = await importJWK({ ...ps.publicJwk, alg: 'RS256' }, 'RS256');
    expect(ps.publicJwk.kty).toBe('RSA');
    expect(await verifyCompactWithNode(token, 'RS256', asRs256)).toBe(false);
  });

  it('hands tokens with crit or b64, unknown algorithms, odd payload segments and secret keys back', async () => {
    expect(nodeJwsHandles({ alg: 'RS256', typ: 'secevent+jwt' })).toBe(true);
    expect(nodeJwsHandles({ alg: 'RS256', crit: ['x'], x: 1 })).toBe(false);
    expect(nodeJwsHandles({ alg: 'RS256', b64: true })).toBe(false);
    expect(nodeJwsHandles({ alg: 'HS256' })).toBe(false);
    expect(nodeJwsHandles({ alg: 'none' })).toBe(false);
    expect(nodeJwsHandles({})).toBe(false);
    const key = await keyFor('RS256');
    const publicKey = await importJWK(key.publicJwk, 'RS256');
    const token = await signSet(CLAIMS, key);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(verifyCompactWithNode(token, 'HS256', publicKey)).toBeUndefined();
    expect(verifyCompactWithNode(token, 'RS256', new Uint8Array(32))).toBeUndefined();
    // A payload segment jose's decoder would refuse (or read leniently) is jose's to judge.
    expect(verifyCompactWithNode(`${h}.${p}=.${s}`, 'RS256', publicKey)).toBeUndefined();
    expect(verifyCompactWithNode(`${h}.${p} .${s}`, 'RS256', publicKey)).toBeUndefined();
    expect(verifyCompactWithNode(`${h}.${p}`, 'RS256', publicKey)).toBeUndefined();
    // A signature over exactly those bytes but a mangled signature segment is refused, not thrown.
    expect(await verifyCompactWithNode(`${h}.${p}.`, 'RS256', publicKey)).toBe(false);
    expect(await verifyCompactWithNode(`${h}.${p}.${s.slice(0, 20)}`, 'RS256', publicKey)).toBe(false);
  });

  it('lets jose sign a header that overrides the algorithm or adds crit, as before', async () => {
    const key = await keyFor('RS256');
    await expect(signSet(CLAIMS, key, { header: { alg: 'ES256' } })).rejects.toThrow();
    await expect(signSet(CLAIMS, key, { header: { crit: ['exp'] } })).rejects.toThrow();
    // A header jose accepts (typ JWT) still goes out signed, over the given header.
    const token = await signSet(CLAIMS, key, { header: { typ: 'JWT' } });
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'k1',
    });
    expect(await joseAccepts(token, key)).toBe(true);
    expect(await joseAccepts(await signRaw('{"alg":"RS256"}', '{}', key), key)).toBe(true);
  });
});
