/**
 * The Global Token Revocation endpoint's authentication, one defect at a time: every way a bearer JWT can
 * be wrong gets the status draft-parecki-oauth-global-token-revocation-05 §3.4.2 names (401, or 403 for a
 * genuine token naming another app), an RFC 6750 challenge, and a body saying what was wrong.
 */
import { webcrypto } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { generateSigningKey } from '../../harness/protocol/index.ts';
import { fakeOktaKeys, type Lab, lab, T0 } from './apps.testing.ts';

let l: Lab;
let email: string;
const body = () => ({ sub_id: { format: 'email', email } });
const nowS = () => Math.floor(l.clock.now() / 1000);

beforeAll(async () => {
  l = await lab({ kind: 'salesforce' });
  [email = ''] = await l.emails();
});
afterAll(() => l.close());
beforeEach(() => l.clock.set(T0));

async function rejected(token: string | null, status = 401, authorization?: string) {
  const r = await l.gtr(body(), { token, ...(authorization === undefined ? {} : { authorization }) });
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  return { response: r, description: (r.json() as { error_description: string }).error_description };
}

test('a token as Okta mints it is accepted: 204, empty body', async () => {
  const r = await l.gtr(body());
  expect(r.statusCode).toBe(204);
  expect(r.body).toBe('');
});

test('no Authorization header: 401 with a bare Bearer challenge (RFC 6750 §3.1: no error code)', async () => {
  const { response } = await rejected(null);
  expect(response.headers['www-authenticate']).toBe('Bearer realm="https://acme.my.salesforce.lab"');
  expect(response.json()).toMatchObject({ error: 'invalid_request' });
});

test('another scheme or a non-JWT bearer: 401 invalid_token', async () => {
  const basic = await rejected(null, 401, 'Basic dXNlcjpwYXNz');
  expect(basic.description).toContain('Bearer');
  expect(basic.response.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
  expect((await rejected('not-a-jwt')).description).toContain('not a JWT');
  expect((await rejected('a.b.c.d.e')).description).toContain('JWE');
  expect((await rejected('!!.??.**')).description).toContain('not a JWT');
  expect((await rejected(`${'a'.repeat(9000)}.b.c`)).description).toContain('longer than');
});

test('typ must be global-token-revocation+jwt (application/ prefix and case tolerated)', async () => {
  expect((await rejected(await l.token({ header: { typ: 'JWT' } }))).description).toContain('"typ" is "JWT"');
  expect((await rejected(await l.token({ header: { typ: undefined } }))).description).toContain('no "typ"');
  const prefixed = await l.gtr(body(), {
    token: await l.token({ header: { typ: 'application/Global-Token-Revocation+JWT' } }),
  });
  expect(prefixed.statusCode).toBe(204);
});

test('alg none and HMAC are refused before any key is looked up', async () => {
  const now = nowS();
  const claims = {
    jti: 'unsigned-1',
    iss: l.mock.oktaIssuer,
    sub: l.mock.clientId,
    aud: l.mock.gtrEndpoint,
    exp: now + 300,
    nbf: now - 300,
    iat: now,
  };
  const unsigned = new UnsecuredJWT(claims).encode();
  // UnsecuredJWT writes {"alg":"none"}; give it the right typ so only the alg is wrong.
  const [, payload] = unsigned.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'global-token-revocation+jwt' })).toString(
    'base64url',
  );
  expect((await rejected(`${header}.${payload}.`)).description).toContain('unsigned');

  const hs = await new SignJWT({ ...claims, jti: 'hs-1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'global-token-revocation+jwt' })
    .sign(new TextEncoder().encode('a shared secret that anyone could hold'));
  expect((await rejected(hs)).description).toContain('symmetric');
});

test('aud must be exactly this endpoint URL (an array holding it is fine)', async () => {
  const ep = l.mock.gtrEndpoint;
  for (const aud of [
    `${ep}/`,
    `${ep}?x=1`,
    'https://acme.my.salesforce.lab',
    'https://other.lab/oauth/global-token-revocation',
  ])
    expect((await rejected(await l.token({ claims: { aud } }))).description).toContain('"aud"');
  const listed = await l.gtr(body(), { token: await l.token({ claims: { aud: ['https://x.lab', ep] } }) });
  expect(listed.statusCode).toBe(204);
});

test('iss must be the Okta org', async () => {
  const { description } = await rejected(await l.token({ claims: { iss: 'https://evil.okta.lab' } }));
  expect(description).toContain('"iss"');
  expect((await rejected(await l.token({ claims: { iss: `${l.mock.oktaIssuer}/` } }))).description).toContain(
    '"iss"',
  );
});

test('exp, nbf and iat are judged with 60 s of skew', async () => {
  const now = nowS();
  expect((await rejected(await l.token({ claims: { exp: now - 61 } }))).description).toContain('expired');
  expect((await l.gtr(body(), { token: await l.token({ claims: { exp: now - 59 } }) })).statusCode).toBe(204);
  expect((await rejected(await l.token({ claims: { nbf: now + 120 } }))).description).toContain(
    'not valid before',
  );
  expect((await rejected(await l.token({ claims: { iat: now + 120 } }))).description).toContain(
    'in the future',
  );
  expect((await rejected(await l.token({ claims: { exp: now + 7200 } }))).description).toContain(
    'more than 3600',
  );
  expect((await rejected(await l.token({ claims: { exp: String(now + 60) } }))).description).toContain(
    'NumericDate',
  );
});

test('the token expires on the app clock: 401 once exp plus the skew has passed', async () => {
  const token = await l.token();
  l.clock.advance(6 * 60_000 + 1000);
  expect((await rejected(token)).description).toContain('expired');
});

test('every claim Okta sends is required', async () => {
  for (const claim of ['jti', 'iss', 'sub', 'aud', 'exp', 'nbf', 'iat']) {
    const { description } = await rejected(await l.token({ claims: { [claim]: undefined } }));
    expect(description).toBe(`the JWT has no "${claim}" claim`);
  }
});

test('a token for another app (sub) is 403 insufficient_scope', async () => {
  const { response, description } = await rejected(
    await l.token({ claims: { sub: '0oaSomeOtherApp000000' } }),
    403,
  );
  expect(description).toContain('0oaSomeOtherApp000000');
  expect(response.json()).toMatchObject({ error: 'insufficient_scope' });
  expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
});

test('a wrong audience is still 401 when sub is also wrong (authentication first)', async () => {
  await rejected(await l.token({ claims: { sub: 'other', aud: 'https://other.lab/x' } }), 401);
});

test('a replayed jti is 401, even with another subject', async () => {
  const token = await l.token();
  expect((await l.gtr(body(), { token })).statusCode).toBe(204);
  const [, second = ''] = await l.emails();
  const replay = await l.gtr({ sub_id: { format: 'email', email: second } }, { token });
  expect(replay.statusCode).toBe(401);
  expect(replay.json().error_description).toContain('already used');
});

test('a signature by a key the org never published is 401', async () => {
  const stranger = (await generateSigningKey('RS256')).key;
  // Its own kid: no such key in the JWKS.
  expect((await rejected(await l.token({ key: stranger }))).description).toContain('no key');
  // The org's kid, but the wrong private key: the signature does not verify.
  const forged = await l.token({ key: stranger, header: { kid: l.keys.current.kid } });
  expect((await rejected(forged)).description).toContain('signature does not verify');
});

test('a header with a duplicate member is refused', async () => {
  const now = nowS();
  const header = `{"alg":"RS256","typ":"JWT","kid":"${l.keys.current.kid}","typ":"global-token-revocation+jwt"}`;
  const claims = {
    jti: 'dup-1',
    iss: l.mock.oktaIssuer,
    sub: l.mock.clientId,
    aud: l.mock.gtrEndpoint,
    exp: now + 300,
    nbf: now - 300,
    iat: now,
  };
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = await webcrypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    l.keys.current.privateKey,
    new TextEncoder().encode(input),
  );
  const token = `${input}.${Buffer.from(signature).toString('base64url')}`;
  expect((await rejected(token)).description).toContain('"typ" twice');
});

test('a rotated key: its unknown kid refetches the JWKS (at most once per 30 s)', async () => {
  const rot = await lab({ kind: 'google-workspace' }, await fakeOktaKeys('ES256'));
  try {
    const [user = ''] = await rot.emails();
    const b = { sub_id: { format: 'email', email: user } };
    expect((await rot.gtr(b)).statusCode).toBe(204);
    expect(rot.keys.fetches()).toBe(1);
    const old = rot.keys.current;
    await rot.keys.rotate('RS256');
    // Within the refetch cooldown the new kid is still unknown.
    const early = await rot.gtr(b);
    expect(early.statusCode).toBe(401);
    expect(early.json().error_description).toContain('no key');
    rot.clock.advance(31_000);
    expect((await rot.gtr(b)).statusCode).toBe(204);
    expect(rot.keys.fetches()).toBe(2);
    // The cached set now holds both keys: the old one still verifies, with no new fetch.
    expect((await rot.gtr(b, { token: await rot.token({ key: old }) })).statusCode).toBe(204);
    expect(rot.keys.fetches()).toBe(2);
  } finally {
    await rot.close();
  }
});

test('the Okta JWKS unreachable: 503 with Retry-After (Okta is at fault, not the request)', async () => {
  // Its own app, so no JWKS is cached yet; the keys host is shared (and restored).
  const down = await lab({ kind: 'office365' }, l.keys);
  try {
    down.keys.fail(true);
    const r = await down.gtr({ sub_id: { format: 'email', email } });
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.json()).toMatchObject({ error: 'temporarily_unavailable' });
  } finally {
    down.keys.fail(false);
    await down.close();
  }
});
