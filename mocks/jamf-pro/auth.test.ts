/**
 * Authentication over HTTP: the OAuth client-credentials grant and the user bearer token, what a token
 * carries, where it works, how it expires on the injected clock, keep-alive rotation, invalidation, and
 * the exact 401 shapes of the Pro and Classic APIs.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { JamfProMockOptions } from './index.ts';
import { basic, type Harness, harness, T0 } from './jamf-pro.testing.ts';

// One default mock serves the tests that need no options; a test with options gets its own.
let shared: Harness;
let h: Harness;
beforeAll(async () => {
  shared = await harness();
});
afterAll(async () => {
  await shared.close();
});
afterEach(async () => {
  if (h !== shared) await h.close();
  shared.clock.set(T0);
});

async function use(options?: JamfProMockOptions): Promise<Harness> {
  h = options ? await harness(options) : shared;
  return h;
}

function claims(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = '', payload = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function oauth(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  });
}

async function userToken(): Promise<string> {
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    headers: { authorization: basic(h.username, h.password) },
  });
  expect(r.statusCode).toBe(200);
  return (r.json() as { token: string }).token;
}

test('the client-credentials grant returns a Bearer JWT with Jamf claims, the scope and expires_in seconds', async () => {
  await use();
  const r = await oauth({
    grant_type: 'client_credentials',
    client_id: h.clientId,
    client_secret: h.clientSecret,
  });
  expect(r.statusCode).toBe(200);
  expect(r.headers['cache-control']).toBe('no-store');
  const body = r.json();
  expect(body).toEqual({
    access_token: expect.any(String),
    scope: 'api-role:1',
    token_type: 'Bearer',
    expires_in: 1200,
  });
  const { header, payload } = claims(body.access_token);
  expect(header).toEqual({ alg: 'HS512' });
  expect(payload).toMatchObject({
    sub: h.clientId,
    aud: h.clientId,
    'subject-type': 'REGISTERED_CLIENT_ID',
    'authentication-type': 'CLIENT_CREDENTIALS',
    scope: ['api-role:1'],
    iss: 'https://jamf-pro.lab',
    iat: T0 / 1000,
    nbf: T0 / 1000,
    exp: T0 / 1000 + 1200,
  });
  expect(payload['token-uuid']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a client may authenticate with HTTP Basic instead of form fields', async () => {
  await use();
  const r = await oauth(
    { grant_type: 'client_credentials' },
    { authorization: basic(h.clientId, h.clientSecret) },
  );
  expect(r.statusCode).toBe(200);
});

test('token endpoint errors use the RFC 6749 shape and status', async () => {
  await use();
  const wrong = await oauth({
    grant_type: 'client_credentials',
    client_id: h.clientId,
    client_secret: 'nope',
  });
  expect(wrong.statusCode).toBe(401);
  expect(wrong.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  const unknownClient = await oauth({
    grant_type: 'client_credentials',
    client_id: 'who',
    client_secret: 'x',
  });
  expect(unknownClient.json().error).toBe('invalid_client');
  expect((await oauth({ client_id: h.clientId, client_secret: h.clientSecret })).json().error).toBe(
    'invalid_request',
  );
  const password = await oauth({
    grant_type: 'password',
    client_id: h.clientId,
    client_secret: h.clientSecret,
  });
  expect(password.statusCode).toBe(400);
  expect(password.json().error).toBe('unsupported_grant_type');
  const scope = await oauth({
    grant_type: 'client_credentials',
    client_id: h.clientId,
    client_secret: h.clientSecret,
    scope: 'api-role:1 api-role:99',
  });
  expect(scope.statusCode).toBe(400);
  expect(scope.json()).toEqual({
    error: 'invalid_scope',
    error_description: 'scope not granted: api-role:99',
  });
  const json = await h.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  expect(json.statusCode).toBe(400);
  expect(json.json().error).toBe('invalid_request');
});

test('a client with several roles gets only the scope it asks for', async () => {
  await use({ clients: [{ clientId: 'c1', clientSecret: 's1', scopes: ['api-role:1', 'api-role:2'] }] });
  const r = await oauth({
    grant_type: 'client_credentials',
    client_id: 'c1',
    client_secret: 's1',
    scope: 'api-role:2',
  });
  expect(r.json().scope).toBe('api-role:2');
  expect(claims(r.json().access_token).payload.scope).toEqual(['api-role:2']);
});

test('Basic credentials buy a user token whose expires is an ISO instant 30 minutes out', async () => {
  await use();
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    headers: { authorization: basic(h.username, h.password) },
  });
  expect(r.statusCode).toBe(200);
  const body = r.json();
  expect(body.expires).toBe(new Date(T0 + 1800_000).toISOString());
  expect(claims(body.token).payload).toMatchObject({
    'authentication-type': 'JSS',
    'subject-type': 'JSS_USER_ID',
    sub: '1',
    exp: T0 / 1000 + 1800,
  });
});

test('wrong or missing Basic credentials get 401 with an ApiError body', async () => {
  await use();
  for (const headers of [{ authorization: basic(h.username, 'wrong') }, {}, { authorization: 'Basic !!!' }]) {
    const r = await h.app.inject({ method: 'POST', url: '/api/v1/auth/token', headers });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ httpStatus: 401, errors: [] });
  }
});

test('both kinds of token work on the Pro API and on the Classic API', async () => {
  await use();
  const user = await userToken();
  for (const token of [h.token, user]) {
    expect((await h.call('GET', '/api/v1/jamf-pro-version', undefined, token)).statusCode).toBe(200);
    expect((await h.classic('GET', '/JSSResource/computers', { token })).statusCode).toBe(200);
  }
});

test('the version endpoint needs a token and reports the configured version', async () => {
  await use({ version: '11.7.1-t1700000000' });
  expect((await h.call('GET', '/api/v1/jamf-pro-version', undefined, null)).statusCode).toBe(401);
  expect((await h.call('GET', '/api/v1/jamf-pro-version')).json()).toEqual({ version: '11.7.1-t1700000000' });
});

test('a missing token gets an empty 401; a malformed or forged one gets INVALID_TOKEN', async () => {
  await use();
  const missing = await h.call('GET', '/api/v1/computers-inventory', undefined, null);
  expect(missing.statusCode).toBe(401);
  expect(missing.json()).toEqual({ httpStatus: 401, errors: [] });
  const invalid = {
    httpStatus: 401,
    errors: [{ code: 'INVALID_TOKEN', field: null, description: 'Unauthorized', id: '0' }],
  };
  expect((await h.call('GET', '/api/v1/computers-inventory', undefined, 'not-a-jwt')).json()).toEqual(
    invalid,
  );
  const [head, body] = h.token.split('.');
  const forged = `${head}.${body}.${Buffer.from('forged').toString('base64url')}`;
  expect((await h.call('GET', '/api/v1/computers-inventory', undefined, forged)).json()).toEqual(invalid);
});

test('tokens expire on the injected clock, on both APIs', async () => {
  await use({ tokenLifetimeSeconds: { oauth: 60 } });
  const token = await h.oauthToken();
  h.clock.advance(59_999);
  expect((await h.call('GET', '/api/v1/auth', undefined, token)).statusCode).toBe(200);
  h.clock.advance(1);
  const pro = await h.call('GET', '/api/v1/auth', undefined, token);
  expect(pro.statusCode).toBe(401);
  expect(pro.json().errors[0].code).toBe('INVALID_TOKEN');
  const classic = await h.classic('GET', '/JSSResource/computers', { token });
  expect(classic.statusCode).toBe(401);
  expect(classic.headers['www-authenticate']).toBe(
    'Basic realm="Restful JSS Access -- Please supply your credentials"',
  );
  expect(classic.headers['content-type']).toBe('text/html;charset=UTF-8');
  expect(classic.body).toContain('The request requires user authentication');
});

test('keep-alive returns a new user token, later expiry, and the old token stops working', async () => {
  await use();
  const first = await userToken();
  h.clock.advance(600_000);
  const r = await h.call('POST', '/api/v1/auth/keep-alive', undefined, first);
  expect(r.statusCode).toBe(200);
  const renewed = r.json();
  expect(renewed.token).not.toBe(first);
  expect(renewed.expires).toBe(new Date(T0 + 600_000 + 1800_000).toISOString());
  expect((await h.call('GET', '/api/v1/auth', undefined, first)).json()).toEqual({
    httpStatus: 401,
    errors: [],
  });
  expect((await h.call('GET', '/api/v1/auth', undefined, renewed.token)).statusCode).toBe(200);
});

test('keep-alive accepts an empty JSON body, as curl scripts send one', async () => {
  await use();
  const token = await userToken();
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/keep-alive',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  expect(r.statusCode).toBe(200);
});

test('keep-alive is refused for API client tokens, which renew through the token endpoint', async () => {
  await use();
  const r = await h.call('POST', '/api/v1/auth/keep-alive');
  expect(r.statusCode).toBe(403);
  expect(r.json().errors[0].code).toBe('ACCESS_DENIED');
  expect((await h.call('GET', '/api/v1/auth')).statusCode).toBe(200);
});

test('invalidate-token answers 204 and the token is then refused with an empty 401', async () => {
  await use();
  const token = await userToken();
  const r = await h.call('POST', '/api/v1/auth/invalidate-token', undefined, token);
  expect(r.statusCode).toBe(204);
  expect(r.body).toBe('');
  expect((await h.call('GET', '/api/v1/jamf-pro-version', undefined, token)).json()).toEqual({
    httpStatus: 401,
    errors: [],
  });
  const client = await h.oauthToken();
  expect((await h.call('POST', '/api/v1/auth/invalidate-token', undefined, client)).statusCode).toBe(204);
  expect((await h.call('GET', '/api/v1/auth', undefined, client)).statusCode).toBe(401);
  expect((await h.call('GET', '/api/v1/auth')).statusCode).toBe(200);
});

test('GET /api/v1/auth describes the caller: a JSS user or an API client', async () => {
  await use();
  const asUser = (await h.call('GET', '/api/v1/auth', undefined, await userToken())).json();
  expect(asUser.authenticationType).toBe('JSS');
  expect(asUser.account).toMatchObject({ id: '1', username: h.username, privilegeSet: 'ADMINISTRATOR' });
  const asClient = (await h.call('GET', '/api/v1/auth')).json();
  expect(asClient.authenticationType).toBe('CLIENT_CREDENTIALS');
  expect(asClient.account.username).toBe(h.clientId);
});

test('Basic on the Classic API is refused by default and accepted when the mock allows it', async () => {
  await use();
  const headers = { authorization: basic(h.username, h.password) };
  expect((await h.app.inject({ method: 'GET', url: '/JSSResource/computers', headers })).statusCode).toBe(
    401,
  );
  await use({ classicBasicAuth: true });
  const ok = await h.app.inject({
    method: 'GET',
    url: '/JSSResource/computers',
    headers: { authorization: basic(h.username, h.password) },
  });
  expect(ok.statusCode).toBe(200);
  const bad = await h.app.inject({
    method: 'GET',
    url: '/JSSResource/computers',
    headers: { authorization: basic(h.username, 'x') },
  });
  expect(bad.statusCode).toBe(401);
  // Basic never works on the Pro API.
  expect(
    (
      await h.app.inject({
        method: 'GET',
        url: '/api/v1/auth',
        headers: { authorization: basic(h.username, h.password) },
      })
    ).statusCode,
  ).toBe(401);
});

test('configured users and lifetimes are honoured', async () => {
  await use({ users: [{ username: 'ops', password: 'pw' }], tokenLifetimeSeconds: { user: 300 } });
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    headers: { authorization: basic('ops', 'pw') },
  });
  expect(r.json().expires).toBe(new Date(T0 + 300_000).toISOString());
});
