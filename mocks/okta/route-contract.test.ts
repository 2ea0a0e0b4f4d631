/**
 * Route contract of mock Okta: every route the org serves — Okta's operations, the undocumented endpoints
 * and the lab's `/_lab/` controls — declares its schemas, is exercised with a request that succeeds (and
 * the main error paths), and every answer matches the schema its route declares for that status
 * (harness/ssf/route-contract.testing.ts). The routes are read from the app itself, so a route added
 * without a declaration or an exercise fails here. Needs no ../shared: the schemas are the generated module.
 * Also: a refused request gets Okta's error naming the field, and credentials are checked before the body.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { type RouteLedger, watchRoutes } from '../../harness/ssf/route-contract.testing.ts';
import { exerciseOktaOperations, transmitterFetch } from './exercise.testing.ts';
import { buildOktaMock, type OktaMock } from './index.ts';
import {
  api,
  clientKeyPair,
  createJamfTrustApp,
  JAMF_TRUST_REDIRECT_URI,
  type KeyPair,
  pkce,
  tokenRequest,
} from './okta.testing.ts';

/**
 * Routes that cannot succeed in the lab, with why. The org's one ENTITY_RISK policy is the system's:
 * Okta refuses to create a second one or to delete it, and so does the mock (contract.test.ts).
 */
const CANNOT_SUCCEED: Readonly<Record<string, string>> = {
  'POST /api/v1/policies': 'only the system ENTITY_RISK policy exists; creating another is refused',
  'DELETE /api/v1/policies/:policyId': 'the system ENTITY_RISK policy cannot be deleted',
};

let signingKey: SigningKey;
let key: KeyPair;
let okta: OktaMock;
let ledger: RouteLedger;
/** The seed's Jamf Trust app, created by the lab exercise. */
let jamfTrust: { readonly id: string; readonly clientId: string };

const lab = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  okta.app.inject({
    method,
    url,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, payload: body as object }),
  });

beforeAll(async () => {
  [signingKey, key] = await Promise.all([
    generateSigningKey('ES256', { kid: 'route-contract' }).then((k) => k.key),
    clientKeyPair('route-contract-client'),
  ]);
  okta = await buildOktaMock({ signingKey, fleet: { devices: 6 }, fetch: transmitterFetch(signingKey) });
  ledger = watchRoutes(okta.app);
  await exerciseOktaOperations(okta, signingKey, key);
  await exerciseLabRoutes();
}, 30_000);

afterAll(async () => {
  ledger?.stop();
  await okta?.close();
});

/** Every route Okta does not describe: the lab's controls, the undocumented endpoints, the stand-in. */
async function exerciseLabRoutes(): Promise<void> {
  const expectStatus = async (response: Promise<{ statusCode: number; body: string }>, status: number) => {
    const r = await response;
    expect(r.statusCode, r.body).toBe(status);
    return r.body === '' ? undefined : JSON.parse(r.body);
  };
  const users = await expectStatus(api(okta, 'GET', '/api/v1/users?limit=3'), 200);
  const [first, second] = users;

  await expectStatus(api(okta, 'GET', '/.well-known/oauth-authorization-server'), 200);
  const app = await createJamfTrustApp(okta, { groupsRegex: '.*' });
  jamfTrust = app;
  await expectStatus(api(okta, 'GET', `/api/v1/internal/apps/${app.id}/settings/oauth/idToken`), 200);
  await expectStatus(api(okta, 'GET', '/api/v1/internal/apps/0oanone/settings/oauth/idToken'), 404);

  await expectStatus(lab('POST', '/_lab/sessions', { login: first.profile.login }), 201);
  await expectStatus(lab('POST', '/_lab/sessions', { logins: [second.id, first.id] }), 201);
  await expectStatus(lab('POST', '/_lab/sessions', { login: 42 }), 400);
  await expectStatus(lab('POST', '/_lab/sessions', { login: 'nobody@example.com' }), 404);
  await expectStatus(lab('GET', '/_lab/sessions'), 200);
  await expectStatus(lab('POST', '/_lab/service-apps', { scopes: ['okta.users.read'] }), 400);

  await expectStatus(lab('GET', '/_lab/security-events'), 200);
  await expectStatus(lab('GET', '/_lab/security-events/processed?iss=https%3A%2F%2Ftransmitter.lab'), 200);
  await expectStatus(lab('GET', '/_lab/risk-engine'), 200);
  await expectStatus(lab('GET', `/_lab/users/${second.id}/risk-detections`), 200);
  await expectStatus(lab('GET', '/_lab/users/00unobody/risk-detections'), 404);

  const saml = await expectStatus(
    lab('POST', '/_lab/saml-apps', { label: 'Salesforce', name: 'salesforce' }),
    201,
  );
  await expectStatus(lab('GET', '/_lab/saml-apps'), 200);
  const logout = `/_lab/apps/${saml.id}/universal-logout`;
  await expectStatus(lab('PUT', logout, { endpoint: 'https://salesforce.example/global-logout' }), 200);
  await expectStatus(
    lab('PUT', logout, { endpoint: 'https://salesforce.example/x', timeoutMs: 'soon' }),
    400,
  );
  await expectStatus(lab('GET', logout), 200);
  await expectStatus(lab('GET', '/_lab/universal-logout/apps'), 200);
  await expectStatus(lab('GET', `/_lab/universal-logout?userId=${second.id}`), 200);
  await expectStatus(lab('DELETE', logout), 204);
  await expectStatus(lab('GET', logout), 404);

  const flow = '/_lab/workflows/572749';
  await expectStatus(lab('PUT', flow, { url: '/workflows/api/flo/contract/invoke', name: 'Contract' }), 200);
  await expectStatus(lab('PUT', '/_lab/workflows/not-a-number', { url: 'https://flows.example/x' }), 400);
  await expectStatus(lab('GET', '/_lab/workflows'), 200);
  await expectStatus(lab('GET', flow), 200);
  await expectStatus(lab('GET', '/_lab/workflows/runs?traceId=none'), 200);
  await expectStatus(lab('DELETE', flow), 204);
  await expectStatus(lab('GET', flow), 404);
  await expectStatus(lab('POST', '/workflows/api/flo/contract/invoke', { userId: second.id }), 200);
  await expectStatus(lab('POST', '/workflows/api/flo/contract/invoke', '"text"'), 400);
  await expectStatus(lab('GET', '/_lab/workflows/invocations'), 200);

  const evaluations = await expectStatus(lab('GET', '/_lab/entity-risk/evaluations'), 200);
  expect(evaluations.length).toBeGreaterThan(0);
  await expectStatus(lab('GET', `/_lab/entity-risk/evaluations/${evaluations[0].traceId}`), 200);
  await expectStatus(lab('GET', '/_lab/entity-risk/evaluations/trace-none'), 404);
  await expectStatus(lab('GET', '/_lab/entity-risk/idle?timeoutMs=1000'), 204);
}

test('every route declares its answers, its body (POST, PUT, PATCH) and its path parameters', () => {
  expect(ledger.undeclared()).toEqual([]);
});

test('every route was exercised, and every one that can succeed in the lab did', () => {
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual(Object.keys(CANNOT_SUCCEED));
});

test('every answer matches the schema its route declares for that status (errors included)', () => {
  expect(ledger.answers.length).toBeGreaterThan(100);
  const statuses = new Set(ledger.answers.map((a) => a.status));
  expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 202, 204, 302, 400, 401, 403, 404]));
  expect(ledger.violations()).toEqual([]);
});

test('answers over the rate limit (429) match the declared error too', async () => {
  const limited = await buildOktaMock({ signingKey, rateLimit: { perMinute: 0 } });
  const watched = watchRoutes(limited.app);
  try {
    for (const url of [
      '/api/v1/users',
      '/api/v1/logs',
      '/oauth2/v1/keys',
      '/.well-known/openid-configuration',
    ])
      expect((await api(limited, 'GET', url)).statusCode).toBe(429);
    expect(watched.answers.map((a) => a.status)).toEqual([429, 429, 429, 429]);
    expect(watched.violations()).toEqual([]);
  } finally {
    watched.stop();
    await limited.close();
  }
});

test('the check can fail: an answer tampered after the handler, and a route without schemas, are reported', async () => {
  const tampered = await buildOktaMock({
    signingKey,
    fleet: { devices: 1 },
    plugins: [
      (ctx) => {
        // Before serialization, so the answer on the wire is the tampered one.
        ctx.app.addHook('preSerialization', async (request, _reply, payload) =>
          request.routeOptions.url === '/api/v1/users/:id' ? { id: 42, status: 'SOMEWHERE' } : payload,
        );
        ctx.router.route(
          { operationId: 'lab: undeclared', method: 'POST', path: '/_lab/undeclared', spec: 'none' },
          async () => ({}),
        );
      },
    ],
  });
  const watched = watchRoutes(tampered.app);
  try {
    const [user] = (await api(tampered, 'GET', '/api/v1/users?limit=1')).json();
    expect((await api(tampered, 'GET', `/api/v1/users/${user.id}`)).statusCode).toBe(200);
    expect(watched.violations().join('\n')).toMatch(/^GET \/api\/v1\/users\/:id 200: \/id must be string/m);
    expect(watched.undeclared()).toEqual([
      'POST /_lab/undeclared (response)',
      'POST /_lab/undeclared (body)',
    ]);
    expect(watched.unanswered()).toContain('POST /_lab/undeclared');
  } finally {
    watched.stop();
    await tampered.close();
  }
});

test("a body Okta's schema refuses is 400 E0000001 naming each field; one that is not an object is E0000003", async () => {
  const [app] = (await api(okta, 'GET', '/api/v1/apps?limit=1')).json();
  const grants = `/api/v1/apps/${app.id}/grants`;
  const refused = await api(okta, 'POST', grants, { issuer: 42 });
  expect(refused.statusCode).toBe(400);
  expect(refused.json()).toMatchObject({
    errorCode: 'E0000001',
    errorSummary: 'Api validation failed: scopeId, issuer',
    errorCauses: [{ errorSummary: 'scopeId: is required' }, { errorSummary: 'issuer: must be string' }],
  });
  const notObject = await api(okta, 'POST', grants, [{ issuer: okta.org.url }]);
  expect([notObject.statusCode, notObject.json().errorCode]).toEqual([400, 'E0000003']);
});

test('a query parameter of the wrong type is 400 E0000001 naming it', async () => {
  const r = await api(okta, 'GET', '/api/v1/users?limit=many');
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({
    errorCode: 'E0000001',
    errorSummary: 'Api validation failed: limit',
    errorCauses: [{ errorSummary: 'limit: must be integer' }],
  });
});

test('credentials are checked before the body: no token and a bad body is 401 E0000011', async () => {
  const [app] = (await api(okta, 'GET', '/api/v1/apps?limit=1')).json();
  const noToken = await okta.app.inject({
    method: 'POST',
    url: `/api/v1/apps/${app.id}/grants`,
    headers: { 'content-type': 'application/json' },
    payload: { issuer: 42 },
  });
  expect([noToken.statusCode, noToken.json().errorCode]).toEqual([401, 'E0000011']);
});

test('the token endpoint refuses a repeated or missing parameter with invalid_request naming it', async () => {
  const repeated = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials&grant_type=password&scope=okta.users.read',
  });
  expect(repeated.statusCode).toBe(400);
  expect(repeated.json()).toEqual({
    error: 'invalid_request',
    error_description: "The 'grant_type' parameter must not be repeated.",
  });
  const missing = await tokenRequest(okta, { scope: 'okta.users.read' });
  expect(missing.statusCode).toBe(400);
  expect(missing.json()).toEqual({
    error: 'invalid_request',
    error_description: "The 'grant_type' parameter is required.",
  });
});

test('/authorize answers what the schema refuses, and its own checks do not word, on the redirect URI', async () => {
  const query = new URLSearchParams({
    client_id: jamfTrust.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
    state: 'contract',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    max_age: 'soon',
  });
  const r = await okta.app.inject({ method: 'GET', url: `/oauth2/v1/authorize?${query}` });
  expect(r.statusCode).toBe(302);
  const back = new URL(String(r.headers.location));
  expect(`${back.protocol}${back.pathname}`).toBe(JAMF_TRUST_REDIRECT_URI);
  expect(Object.fromEntries(back.searchParams)).toEqual({
    error: 'invalid_request',
    error_description: "The 'max_age' parameter is invalid: it must be integer.",
    state: 'contract',
  });
});
