/**
 * How callers reach the Okta mock's Management API, through HTTP (inject): the conventions every answer
 * follows (Okta's headers, its error object, unknown paths and methods, bad input that must never be a 500,
 * per-minute rate limits), and OAuth 2.0 service apps — client credentials with a private_key_jwt assertion
 * and every rule Okta puts on it, Okta API scopes enforced per operation, apps and grants made through the
 * Apps API, keys from a jwks_uri, and DPoP: the nonce handshake, bound tokens and the proof every call needs.
 */
import Fastify from 'fastify';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../harness/kernel/index.ts';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { buildOktaMock, type OktaMock } from './index.ts';
import {
  api,
  clientAssertion,
  clientKeyPair,
  dpopProof,
  type KeyPair,
  registerServiceApp,
  tokenRequest,
} from './okta.testing.ts';

let signingKey: SigningKey;
let key: KeyPair;
let otherKey: KeyPair;
let okta: OktaMock;
beforeAll(async () => {
  [signingKey, key, otherKey] = await Promise.all([
    generateSigningKey('ES256', { kid: 'org-test' }).then((k) => k.key),
    clientKeyPair('client-1'),
    clientKeyPair('client-2'),
  ]);
});
afterEach(async () => {
  await okta.close();
});

const START = Date.UTC(2026, 0, 1, 12, 0, 30);

test('every Management API answer carries Content-Type, Date, X-Okta-Request-Id and X-Rate-Limit headers', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({ signingKey, clock: scheduler });
  const first = await api(okta, 'GET', '/api/v1/users');
  const second = await api(okta, 'GET', '/api/v1/users');
  expect(first.statusCode).toBe(200);
  expect(first.headers['content-type']).toBe('application/json');
  expect(first.headers.date).toBe('Thu, 01 Jan 2026 12:00:30 GMT');
  expect(first.headers['x-okta-request-id']).toMatch(/^[\w-]{27}$/);
  expect(second.headers['x-okta-request-id']).not.toBe(first.headers['x-okta-request-id']);
  expect(first.headers['x-rate-limit-limit']).toBe('600');
  expect(first.headers['x-rate-limit-remaining']).toBe('599');
  expect(second.headers['x-rate-limit-remaining']).toBe('598');
  // Reset is the next minute boundary, in epoch seconds.
  expect(first.headers['x-rate-limit-reset']).toBe(String(Date.UTC(2026, 0, 1, 12, 1, 0) / 1000));
  const denied = await api(okta, 'GET', '/api/v1/users', undefined, 'SSWS wrong');
  expect(denied.headers['content-type']).toBe('application/json');
  expect(denied.headers['x-okta-request-id']).toMatch(/^[\w-]{27}$/);
  expect(denied.headers['x-rate-limit-remaining']).toBe('597');
});

test.each([
  ['no Authorization header', undefined],
  ['an unknown SSWS token', 'SSWS 00nottherighttoken'],
  ['an unknown bearer token', 'Bearer abc.def.ghi'],
  ['an unknown scheme', 'Basic dXNlcjpwYXNz'],
  ['a bare scheme', 'SSWS'],
])("%s is 401 E0000011 in Okta's error object", async (_name, authorization) => {
  okta = await buildOktaMock({ signingKey });
  const response = await okta.app.inject({
    method: 'GET',
    url: '/api/v1/users',
    headers: authorization === undefined ? {} : { authorization },
  });
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({
    errorCode: 'E0000011',
    errorSummary: 'Invalid token provided',
    errorLink: 'E0000011',
    errorId: expect.stringMatching(/^oae\w{22}$/),
    errorCauses: [],
  });
});

test.each([
  ['malformed JSON', 'application/json', '{"name": "oidc_client",'],
  ['a JSON array', 'application/json', '[1, 2]'],
  ['an empty JSON body', 'application/json', ''],
  ['a prototype-polluting body', 'application/json', '{"__proto__": {"admin": true}}'],
  ['text/plain', 'text/plain', 'name=oidc_client'],
])('%s sent to the Apps API is 400 E0000003, never a 500', async (_name, type, payload) => {
  okta = await buildOktaMock({ signingKey });
  const response = await okta.app.inject({
    method: 'POST',
    url: '/api/v1/apps',
    headers: { authorization: `SSWS ${okta.apiToken}`, 'content-type': type },
    payload,
  });
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({
    errorCode: 'E0000003',
    errorSummary: 'The request body was not well-formed.',
  });
});

test('an unknown path is 404 E0000007; a known path with another method is 405 E0000022 with Allow', async () => {
  okta = await buildOktaMock({ signingKey });
  const missing = await api(okta, 'GET', '/api/v1/nothing-here');
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({
    errorCode: 'E0000007',
    errorSummary: 'Not found: /api/v1/nothing-here',
  });
  const wrongMethod = await api(okta, 'PUT', '/api/v1/users', {});
  expect(wrongMethod.statusCode).toBe(405);
  expect(wrongMethod.headers.allow).toBe('GET');
  expect(wrongMethod.json().errorCode).toBe('E0000022');
});

test('a path that is not valid percent-encoding, or a parameter over 1000 characters, is 400 E0000001', async () => {
  okta = await buildOktaMock({ signingKey });
  for (const url of ['/api/v1/users/%E0%A4%A', `/api/v1/users/${'a'.repeat(1001)}`]) {
    const response = await api(okta, 'GET', url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-okta-request-id']).toMatch(/^[\w-]{27}$/);
    expect(response.json()).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: request',
    });
  }
});

test('a bad limit is 400 E0000001 naming the parameter', async () => {
  okta = await buildOktaMock({ signingKey });
  for (const limit of ['-1', 'ten', '1.5']) {
    const response = await api(okta, 'GET', `/api/v1/users?limit=${limit}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: limit',
    });
    expect(response.json().errorCauses[0].errorSummary).toContain('limit');
  }
});

test('with rate limits set, a request over the bucket limit is 429 E0000047 until the minute resets', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({
    signingKey,
    clock: scheduler,
    rateLimit: { buckets: { 'GET /api/v1/users': 2 } },
  });
  expect((await api(okta, 'GET', '/api/v1/users')).statusCode).toBe(200);
  expect((await api(okta, 'GET', '/api/v1/users')).statusCode).toBe(200);
  const limited = await api(okta, 'GET', '/api/v1/users');
  expect(limited.statusCode).toBe(429);
  expect(limited.json()).toMatchObject({
    errorCode: 'E0000047',
    errorSummary: 'API call exceeded rate limit due to too many requests.',
  });
  expect(limited.headers['x-rate-limit-limit']).toBe('2');
  expect(limited.headers['x-rate-limit-remaining']).toBe('0');
  const reset = Number(limited.headers['x-rate-limit-reset']);
  expect(reset).toBe(Date.UTC(2026, 0, 1, 12, 1, 0) / 1000);
  expect(typeof limited.headers.date).toBe('string');
  // Another bucket is counted on its own.
  expect((await api(okta, 'GET', '/api/v1/groups')).statusCode).toBe(200);
  await scheduler.advance(reset * 1000 - scheduler.now());
  expect((await api(okta, 'GET', '/api/v1/users')).statusCode).toBe(200);
});

test('without the rateLimit option the headers count down to 0 but nothing is refused', async () => {
  okta = await buildOktaMock({ signingKey, clock: new VirtualScheduler(START) });
  let last: Awaited<ReturnType<typeof api>> | undefined;
  for (let i = 0; i < 602; i++) last = await api(okta, 'GET', '/.well-known/openid-configuration');
  expect(last?.statusCode).toBe(200);
  expect(last?.headers['x-rate-limit-remaining']).toBe('0');
});

test('the OAuth endpoints answer errors as {error, error_description} with no-store, also for a bad body', async () => {
  okta = await buildOktaMock({ signingKey });
  const json = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/json' },
    payload: '{"grant_type": "client_credentials"}',
  });
  expect(json.statusCode).toBe(400);
  expect(json.json()).toEqual({
    error: 'invalid_request',
    error_description: expect.stringContaining('x-www-form-urlencoded'),
  });
  expect(json.headers['cache-control']).toBe('no-store');
  const unsupported = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=password&username=a&password=b',
  });
  expect(unsupported.statusCode).toBe(400);
  expect(unsupported.json().error).toBe('unsupported_grant_type');
  const badType = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'text/plain' },
    payload: 'grant_type=client_credentials',
  });
  expect(badType.statusCode).toBe(400);
  expect(badType.json().error).toBe('invalid_request');
});

test('an orgUrl with a path, or that is not http(s), is refused when the mock is built', async () => {
  await expect(buildOktaMock({ signingKey, orgUrl: 'https://acme.okta.lab/oauth2' })).rejects.toThrow(
    RangeError,
  );
  await expect(buildOktaMock({ signingKey, orgUrl: 'ftp://acme.okta.lab' })).rejects.toThrow(RangeError);
  okta = await buildOktaMock({ signingKey, orgUrl: 'https://acme.okta.lab/' });
  const config = await api(okta, 'GET', '/.well-known/openid-configuration');
  expect(config.json().issuer).toBe('https://acme.okta.lab');
});

const TOKEN_URL = 'https://acme.okta.lab/oauth2/v1/token';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function credentialsGrant(
  _clientId: string,
  assertion: string,
  scope: string,
  headers: Record<string, string> = {},
) {
  return tokenRequest(
    okta,
    {
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    },
    headers,
  );
}

test('client credentials with a private_key_jwt assertion gives a Bearer token that calls the granted APIs', async () => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.read', 'okta.logs.read']);
  const response = await credentialsGrant(
    clientId,
    await clientAssertion(key, clientId, TOKEN_URL),
    'okta.users.read',
  );
  expect(response.statusCode).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  const body = response.json();
  expect(body).toEqual({
    token_type: 'Bearer',
    expires_in: 3600,
    access_token: expect.any(String),
    scope: 'okta.users.read',
  });
  const users = await api(okta, 'GET', '/api/v1/users?limit=2', undefined, `Bearer ${body.access_token}`);
  expect(users.statusCode).toBe(200);
  expect(users.json()).toHaveLength(2);
});

test.each([
  ['a wrong audience', { aud: 'https://acme.okta.lab/oauth2/default/v1/token' }, 'audience'],
  ['an expiry more than an hour ahead', { expInSeconds: 3700 }, 'too far into the future'],
  ['an expired assertion', { expInSeconds: -60 }, 'expired'],
  ['a sub that is not the client', { sub: 'someone-else' }, "'iss' and 'sub'"],
])('an assertion with %s is 401 invalid_client', async (_name, overrides, message) => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.read']);
  const response = await credentialsGrant(
    clientId,
    await clientAssertion(key, clientId, TOKEN_URL, overrides),
    'okta.users.read',
  );
  expect(response.statusCode).toBe(401);
  expect(response.json().error).toBe('invalid_client');
  expect(response.json().error_description).toContain(message);
});

test('an assertion signed by another key, for an unknown client, or used twice is 401 invalid_client', async () => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.read']);
  const forged = await clientAssertion({ ...otherKey, publicJwk: key.publicJwk }, clientId, TOKEN_URL);
  expect((await credentialsGrant(clientId, forged, 'okta.users.read')).json().error).toBe('invalid_client');
  const unknown = await clientAssertion(key, '0oanobody', TOKEN_URL);
  expect((await credentialsGrant('0oanobody', unknown, 'okta.users.read')).statusCode).toBe(401);
  const once = await clientAssertion(key, clientId, TOKEN_URL, { jti: 'only-once' });
  expect((await credentialsGrant(clientId, once, 'okta.users.read')).statusCode).toBe(200);
  const replay = await credentialsGrant(clientId, once, 'okta.users.read');
  expect(replay.statusCode).toBe(401);
  expect(replay.json().error_description).toContain('already been used');
  const wrongType = await tokenRequest(okta, {
    grant_type: 'client_credentials',
    scope: 'okta.users.read',
    client_assertion_type: 'urn:example:other',
    client_assertion: await clientAssertion(key, clientId, TOKEN_URL),
  });
  expect(wrongType.json().error).toBe('invalid_request');
});

test('asking for a scope the app was not granted is 400 invalid_scope; a missing scope parameter too', async () => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.read']);
  const denied = await credentialsGrant(
    clientId,
    await clientAssertion(key, clientId, TOKEN_URL),
    'okta.users.read okta.users.manage',
  );
  expect(denied.statusCode).toBe(400);
  expect(denied.json().error).toBe('invalid_scope');
  expect(denied.json().error_description).toContain('okta.users.manage');
  const none = await credentialsGrant(clientId, await clientAssertion(key, clientId, TOKEN_URL), '');
  expect(none.json().error).toBe('invalid_scope');
});

test('each operation needs its scope: 403 E0000006 with an insufficient_scope challenge otherwise; manage implies read', async () => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.manage']);
  const token = (
    await credentialsGrant(clientId, await clientAssertion(key, clientId, TOKEN_URL), 'okta.users.manage')
  ).json().access_token as string;
  const bearer = `Bearer ${token}`;
  expect((await api(okta, 'GET', '/api/v1/users', undefined, bearer)).statusCode).toBe(200);
  const logs = await api(okta, 'GET', '/api/v1/logs', undefined, bearer);
  expect(logs.statusCode).toBe(403);
  expect(logs.json()).toMatchObject({
    errorCode: 'E0000006',
    errorSummary: 'You do not have permission to perform the requested action',
  });
  expect(logs.headers['www-authenticate']).toContain('error="insufficient_scope"');
  expect(logs.headers['www-authenticate']).toContain('scope="okta.logs.read"');
  expect(logs.headers['www-authenticate']).toContain('resource="/api/v1/logs"');
  expect((await api(okta, 'GET', '/api/v1/groups', undefined, bearer)).statusCode).toBe(403);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1', undefined, bearer)).json() as {
    id: string;
  }[];
  expect(
    (await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions`, undefined, bearer)).statusCode,
  ).toBe(204);
  const [clear] = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "user.session.clear"')}`)
  ).json();
  expect(clear.actor).toMatchObject({ id: clientId, type: 'PublicClientApp' });
  const bogus = await api(okta, 'GET', '/api/v1/users', undefined, `Bearer ${token.slice(0, -2)}xx`);
  expect(bogus.statusCode).toBe(401);
  expect(bogus.headers['www-authenticate']).toContain('error="invalid_token"');
});

test('a service app made with the Apps API and granted scopes through /grants gets tokens for those scopes', async () => {
  okta = await buildOktaMock({ signingKey });
  const created = await api(okta, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Risk reporter',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } },
    settings: {
      oauthClient: {
        application_type: 'service',
        grant_types: ['client_credentials'],
        response_types: ['token'],
        jwks: { keys: [key.publicJwk] },
      },
    },
  });
  expect(created.statusCode).toBe(200);
  const app = created.json();
  expect(app.credentials.oauthClient).toMatchObject({
    client_id: app.id,
    token_endpoint_auth_method: 'private_key_jwt',
  });
  expect(app.credentials.oauthClient.client_secret).toBeUndefined();
  const before = await credentialsGrant(
    app.id,
    await clientAssertion(key, app.id, TOKEN_URL),
    'okta.logs.read',
  );
  expect(before.json().error).toBe('invalid_scope');
  const grant = await api(okta, 'POST', `/api/v1/apps/${app.id}/grants`, {
    issuer: 'https://acme.okta.lab',
    scopeId: 'okta.logs.read',
  });
  expect(grant.statusCode).toBe(201);
  expect(grant.json()).toMatchObject({
    issuer: 'https://acme.okta.lab',
    scopeId: 'okta.logs.read',
    status: 'ACTIVE',
    clientId: app.id,
    source: 'ADMIN',
  });
  expect((await api(okta, 'GET', `/api/v1/apps/${app.id}/grants`)).json()).toHaveLength(1);
  const wrongIssuer = await api(okta, 'POST', `/api/v1/apps/${app.id}/grants`, {
    issuer: 'https://other.example',
    scopeId: 'okta.users.read',
  });
  expect(wrongIssuer.json().errorCode).toBe('E0000001');
  const after = await credentialsGrant(
    app.id,
    await clientAssertion(key, app.id, TOKEN_URL),
    'okta.logs.read',
  );
  expect(after.statusCode).toBe(200);
  const revoke = await api(okta, 'DELETE', `/api/v1/apps/${app.id}/grants/${grant.json().id}`);
  expect(revoke.statusCode).toBe(204);
  expect(
    (await credentialsGrant(app.id, await clientAssertion(key, app.id, TOKEN_URL), 'okta.logs.read'))
      .statusCode,
  ).toBe(400);
});

test("a service app with a jwks_uri has its keys fetched through the org's outbound fetch", async () => {
  const keysHost = Fastify();
  let fetched = 0;
  keysHost.get('/jwks.json', async () => {
    fetched += 1;
    return { keys: [key.publicJwk] };
  });
  await keysHost.ready();
  okta = await buildOktaMock({
    signingKey,
    fetch: createInjectFetch(new Map([['https://client.example', keysHost]])),
  });
  const created = await api(okta, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    // Okta's Application schema requires signOnMode (the mock's route validates it).
    signOnMode: 'OPENID_CONNECT',
    label: 'Remote keys',
    credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } },
    settings: {
      oauthClient: {
        application_type: 'service',
        grant_types: ['client_credentials'],
        jwks_uri: 'https://client.example/jwks.json',
      },
    },
  });
  const id = created.json().id as string;
  await api(okta, 'POST', `/api/v1/apps/${id}/grants`, {
    issuer: 'https://acme.okta.lab',
    scopeId: 'okta.users.read',
  });
  for (let i = 0; i < 2; i++) {
    const response = await credentialsGrant(id, await clientAssertion(key, id, TOKEN_URL), 'okta.users.read');
    expect(response.statusCode).toBe(200);
  }
  expect(fetched).toBe(1);
  await keysHost.close();
});

test('an app that requires DPoP answers use_dpop_nonce with a DPoP-Nonce, then issues a DPoP-bound token', async () => {
  okta = await buildOktaMock({ signingKey });
  const clientId = await registerServiceApp(okta, key, ['okta.users.read'], true);
  const noProof = await credentialsGrant(
    clientId,
    await clientAssertion(key, clientId, TOKEN_URL),
    'okta.users.read',
  );
  expect(noProof.statusCode).toBe(400);
  expect(noProof.json().error).toBe('invalid_dpop_proof');

  const assertion = await clientAssertion(key, clientId, TOKEN_URL, { jti: 'reused-after-nonce' });
  const first = await credentialsGrant(clientId, assertion, 'okta.users.read', {
    dpop: await dpopProof(key, { htm: 'POST', htu: TOKEN_URL }),
  });
  expect(first.statusCode).toBe(400);
  expect(first.json()).toEqual({ error: 'use_dpop_nonce', error_description: expect.any(String) });
  const nonce = String(first.headers['dpop-nonce']);
  expect(nonce.length).toBeGreaterThan(10);
  // The nonce round trip did not spend the one-time assertion.
  const second = await credentialsGrant(clientId, assertion, 'okta.users.read', {
    dpop: await dpopProof(key, { htm: 'POST', htu: TOKEN_URL, nonce }),
  });
  expect(second.statusCode).toBe(200);
  expect(second.json().token_type).toBe('DPoP');
  const token = second.json().access_token as string;
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  expect(claims.cnf.jkt).toEqual(expect.any(String));

  const call = async (authorization: string, proof?: string, url = '/api/v1/users?limit=1') =>
    okta.app.inject({ method: 'GET', url, headers: { authorization, ...(proof ? { dpop: proof } : {}) } });
  const htu = 'https://acme.okta.lab/api/v1/users';
  expect(
    (await call(`DPoP ${token}`, await dpopProof(key, { htm: 'GET', htu, accessToken: token }))).statusCode,
  ).toBe(200);
  const asBearer = await call(`Bearer ${token}`);
  expect(asBearer.statusCode).toBe(401);
  expect(asBearer.headers['www-authenticate']).toMatch(/^DPoP /);
  const withoutProof = await call(`DPoP ${token}`);
  expect(withoutProof.statusCode).toBe(401);
  expect(withoutProof.headers['www-authenticate']).toContain('error="invalid_dpop_proof"');
  const wrongHtu = await call(
    `DPoP ${token}`,
    await dpopProof(key, { htm: 'GET', htu: 'https://acme.okta.lab/api/v1/groups', accessToken: token }),
  );
  expect(wrongHtu.statusCode).toBe(401);
  const wrongMethod = await call(
    `DPoP ${token}`,
    await dpopProof(key, { htm: 'POST', htu, accessToken: token }),
  );
  expect(wrongMethod.statusCode).toBe(401);
  const noAth = await call(`DPoP ${token}`, await dpopProof(key, { htm: 'GET', htu }));
  expect(noAth.statusCode).toBe(401);
  const otherKeyProof = await call(
    `DPoP ${token}`,
    await dpopProof(otherKey, { htm: 'GET', htu, accessToken: token }),
  );
  expect(otherKeyProof.statusCode).toBe(401);
  const replayed = await dpopProof(key, { htm: 'GET', htu, accessToken: token, jti: 'same-jti' });
  expect((await call(`DPoP ${token}`, replayed)).statusCode).toBe(200);
  expect((await call(`DPoP ${token}`, replayed)).statusCode).toBe(401);
  const stale = await dpopProof(key, {
    htm: 'GET',
    htu,
    accessToken: token,
    iat: Math.floor(Date.now() / 1000) - 600,
  });
  expect((await call(`DPoP ${token}`, stale)).statusCode).toBe(401);
});

test('a DPoP nonce expires after 5 minutes; an app without "Require DPoP" checks a proof but issues Bearer', async () => {
  okta = await buildOktaMock({ signingKey });
  const dpopApp = await registerServiceApp(okta, key, ['okta.users.read'], true);
  const bearerApp = await registerServiceApp(okta, otherKey, ['okta.users.read'], false);
  const forged = await dpopProof(key, {
    htm: 'POST',
    htu: TOKEN_URL,
    nonce: 'MTc2NzIyNTYwMA.not-a-real-mac',
  });
  const badNonce = await credentialsGrant(
    dpopApp,
    await clientAssertion(key, dpopApp, TOKEN_URL),
    'okta.users.read',
    { dpop: forged },
  );
  expect(badNonce.json().error).toBe('use_dpop_nonce');
  const bearer = await credentialsGrant(
    bearerApp,
    await clientAssertion(otherKey, bearerApp, TOKEN_URL),
    'okta.users.read',
    {
      dpop: await dpopProof(otherKey, { htm: 'POST', htu: TOKEN_URL }),
    },
  );
  expect(bearer.statusCode).toBe(200);
  expect(bearer.json().token_type).toBe('Bearer');
  const badProof = await credentialsGrant(
    bearerApp,
    await clientAssertion(otherKey, bearerApp, TOKEN_URL),
    'okta.users.read',
    {
      dpop: await dpopProof(otherKey, { htm: 'GET', htu: TOKEN_URL }),
    },
  );
  expect(badProof.json().error).toBe('invalid_dpop_proof');
});

test('the lab endpoint refuses a registration without keys or with private key material', async () => {
  okta = await buildOktaMock({ signingKey });
  const post = (payload: unknown) =>
    okta.app.inject({
      method: 'POST',
      url: '/_lab/service-apps',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  expect((await post({ scopes: ['okta.users.read'] })).json().errorCode).toBe('E0000001');
  expect(
    (await post({ jwks: { keys: [key.privateJwk] }, scopes: ['okta.users.read'] })).json().errorCode,
  ).toBe('E0000001');
  expect((await post({ jwks: { keys: [key.publicJwk] }, scopes: ['users.read'] })).json().errorCode).toBe(
    'E0000001',
  );
  expect(
    (await post({ jwks: { keys: [key.publicJwk] }, scopes: ['okta.users.read'], clientId: 'svc-1' }))
      .statusCode,
  ).toBe(201);
  expect(
    (await post({ jwks: { keys: [key.publicJwk] }, scopes: ['okta.users.read'], clientId: 'svc-1' }))
      .statusCode,
  ).toBe(400);
});

test('registering a service app through the lab is an admin act in the System Log', async () => {
  okta = await buildOktaMock({ signingKey });
  const created = await okta.app.inject({
    method: 'POST',
    url: '/_lab/service-apps',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      jwks: { keys: [key.publicJwk] },
      scopes: ['okta.users.read'],
      name: 'svc-log',
    }),
  });
  expect(created.statusCode).toBe(201);
  const logs = await okta.app.inject({
    method: 'GET',
    url: '/api/v1/logs?filter=eventType eq "application.lifecycle.create"',
    headers: { authorization: `SSWS ${okta.apiToken}` },
  });
  expect(logs.statusCode).toBe(200);
  const events = logs.json() as {
    actor: { displayName: string; detailEntry: Record<string, unknown> };
    target: { id: string; type: string }[];
    debugContext: { debugData: Record<string, unknown> };
  }[];
  expect(events).toHaveLength(1);
  expect(events[0]?.actor).toMatchObject({
    displayName: 'Lab Admin',
    detailEntry: { labControl: 'POST /_lab/service-apps' },
  });
  expect(events[0]?.target).toEqual([
    expect.objectContaining({ id: created.json().appId, type: 'AppInstance' }),
  ]);
  expect(events[0]?.debugContext.debugData.grantedScopes).toBe('okta.users.read');
});
