/**
 * Mock Jamf Security Cloud's APIs that need no devices, through HTTP (inject): Radar login and tokens,
 * the SSF stream configuration, the threat prevention policy, the Risk API's paging rules, identity
 * providers ("Test and Save" discovery) and activation profiles, and bad input.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../harness/kernel/index.ts';
import {
  generateSigningKey,
  type SigningKey,
  TRANSMITTER_METADATA_SCHEMA_ID,
  validateWithSchema,
} from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { JAMF_TRUST_REDIRECT_URI } from './identity.ts';
import { buildJscMock, type JscMock } from './index.ts';
import { startOktaStub } from './okta-stub.testing.ts';

let jsc: JscMock;
let signingKey: SigningKey;
beforeAll(async () => {
  // One key for every mock built here: RSA key generation is the slow part of building one.
  signingKey = (await generateSigningKey('RS256', { kid: 'jsc-test' })).key;
});
afterEach(async () => {
  await jsc.close();
});

const APP = { appId: 'app-1', appSecret: 's3cret-value' };
const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(): Promise<string> {
  const response = await jsc.app.inject({
    method: 'POST',
    url: '/v1/login',
    headers: { authorization: basic(APP.appId, APP.appSecret) },
  });
  expect(response.statusCode).toBe(200);
  return response.json().token;
}

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, bearer?: string) {
  return jsc.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${bearer ?? (await token())}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

test('login with the application id and secret gives a 15-minute JWT carrying customer_id', async () => {
  const scheduler = new VirtualScheduler();
  jsc = await buildJscMock({ signingKey, apps: [APP], clock: scheduler, customerId: 'cust-7f3e' });
  const jwt = await token();
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    number | string
  >;
  expect(claims.customer_id).toBe('cust-7f3e');
  expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  expect((await call('GET', '/risk/v1/devices', undefined, jwt)).statusCode).toBe(200);
  await scheduler.advance(901_000);
  const expired = await call('GET', '/risk/v1/devices', undefined, jwt);
  expect(expired.statusCode).toBe(401);
  expect(expired.json()).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED' });
});

test('login with a wrong secret or without Basic is 401; API calls without a token are 401', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  expect(
    (
      await jsc.app.inject({
        method: 'POST',
        url: '/v1/login',
        headers: { authorization: basic('app-1', 'nope') },
      })
    ).statusCode,
  ).toBe(401);
  expect((await jsc.app.inject({ method: 'POST', url: '/v1/login' })).statusCode).toBe(401);
  expect((await jsc.app.inject({ method: 'GET', url: '/risk/v1/devices' })).statusCode).toBe(401);
  expect((await call('GET', '/risk/v1/devices', undefined, 'forged.jwt.value')).statusCode).toBe(401);
});

test('the Risk API refuses bad paging with the documented codes', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  const t = await token();
  expect((await call('GET', '/risk/v1/devices?page=-1', undefined, t)).json().error).toBe('NEGATIVE_PAGE');
  expect((await call('GET', '/risk/v1/devices?pageSize=0', undefined, t)).json().error).toBe(
    'NEGATIVE_PAGE_SIZE',
  );
  expect((await call('GET', '/risk/v1/devices?pageSize=101', undefined, t)).json().error).toBe(
    'MAX_LIMIT_PER_PAGE',
  );
  const empty = await call('GET', '/risk/v1/devices?page=0&pageSize=100', undefined, t);
  expect(empty.json()).toEqual({
    records: [],
    pagination: { page: 0, pageSize: 100, totalRecords: 0, totalPages: 0 },
  });
});

test('too many Radar calls in a second get 429 with X-Rate-Limit-Retry-After-Milliseconds', async () => {
  const scheduler = new VirtualScheduler();
  jsc = await buildJscMock({ signingKey, apps: [APP], rateLimitPerSecond: 2, clock: scheduler });
  const t = await token();
  expect((await call('GET', '/risk/v1/devices', undefined, t)).statusCode).toBe(200);
  expect((await call('GET', '/risk/v1/devices', undefined, t)).statusCode).toBe(200);
  const third = await call('GET', '/risk/v1/devices', undefined, t);
  expect(third.statusCode).toBe(429);
  expect(third.json().error).toBe('TOO_MANY_REQUESTS');
  expect(third.headers['x-rate-limit-retry-after-milliseconds']).toBe('1000');
  await scheduler.advance(1000);
  expect((await call('GET', '/risk/v1/devices', undefined, t)).statusCode).toBe(200);
});

test('the SSF stream the seed configures: push to the org, no authorization header, both events, Okta format', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP], customerId: 'cust-1' });
  const created = await call('POST', '/sse/v1/stream', {
    audience: 'https://acme.okta.lab',
    endpointUrl: 'https://acme.okta.lab/security/api/v1/security-events',
    events: ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'],
  });
  expect(created.statusCode).toBe(201);
  expect(created.json()).toMatchObject({
    format: 'okta',
    audience: 'https://acme.okta.lab',
    events: ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'],
  });
  const stream = jsc.transmitter.stream(created.json().streamId);
  expect(stream?.config.delivery).toEqual({
    method: 'urn:ietf:rfc:8935',
    endpoint_url: 'https://acme.okta.lab/security/api/v1/security-events',
  });
  expect(stream?.config.aud).toBe('https://acme.okta.lab');
  expect(stream?.subjectPlacement).toBe('in-event');
  expect(stream?.config.events_delivered).toEqual([
    'https://schemas.okta.com/secevent/okta/event-type/device-risk-change',
    'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change',
  ]);
  expect((await call('GET', '/sse/v1/stream')).json()).toHaveLength(1);
  expect(
    (await call('DELETE', `/sse/v1/stream?streamId=${created.json().streamId as string}`)).statusCode,
  ).toBe(204);
  expect(jsc.transmitter.streams()).toEqual([]);
});

test('the transmitter metadata is served at the path-inserted well-known URL and at /sse/.well-known', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP], customerId: 'cust-1', baseUrl: 'https://jsc.lab' });
  const wellKnown = await jsc.app.inject({ method: 'GET', url: '/.well-known/ssf-configuration/sse/cust-1' });
  expect(wellKnown.statusCode).toBe(200);
  expect(wellKnown.json().issuer).toBe('https://jsc.lab/sse/cust-1');
  expect(validateWithSchema(TRANSMITTER_METADATA_SCHEMA_ID, wellKnown.json()).errors).toEqual([]);
  expect((await jsc.app.inject({ method: 'GET', url: '/sse/.well-known' })).json()).toEqual(wellKnown.json());
  expect((await jsc.app.inject({ method: 'GET', url: '/sse/v1/jwks.json' })).json().keys).toHaveLength(1);
});

test.each([
  [{ endpointUrl: 'https://x/e' }, /audience/],
  [{ audience: 'https://x', endpointUrl: 'not a url' }, /http\(s\) URL/],
  [{ audience: 'https://x', endpointUrl: 'https://x/e', events: ['SOMETHING_ELSE'] }, /events/],
  [{ audience: 'https://x', endpointUrl: 'https://x/e', format: 'xml' }, /format/],
  ['{ not json', /not valid JSON/],
])('configuring a stream with %j is a 400 that names the problem', async (body, message) => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  const response = await call('POST', '/sse/v1/stream', body);
  expect(response.statusCode).toBe(400);
  expect(response.json().message).toMatch(message);
  expect(jsc.transmitter.streams()).toEqual([]);
});

test('the threat prevention policy is readable and replaceable; a bad policy changes nothing', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  const before = (await call('GET', '/threat-prevention/v1/policy')).json();
  expect(before.categories.Malware).toEqual({ severity: 'HIGH' });
  const policy = {
    categories: { Phishing: { severity: 'HIGH', uemTag: 'JSC Phishing' } },
    uemSignaling: { enabled: true, riskAttribute: 'JSC Risk' },
  };
  const put = await call('PUT', '/threat-prevention/v1/policy', policy);
  expect(put.statusCode).toBe(200);
  expect(put.json()).toEqual(policy);
  const bad = await call('PUT', '/threat-prevention/v1/policy', {
    categories: { Phishing: { severity: 'CRITICAL' } },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().message).toMatch(/severity must be LOW, MEDIUM or HIGH/);
  expect((await call('GET', '/threat-prevention/v1/policy')).json()).toEqual(policy);
});

test('"Test and Save" for the Okta identity provider runs OIDC discovery against the org', async () => {
  const okta = await startOktaStub({ redirectUri: JAMF_TRUST_REDIRECT_URI, users: {} });
  jsc = await buildJscMock({
    signingKey,
    apps: [APP],
    fetch: createInjectFetch(new Map([[okta.issuer, okta.app]])),
  });
  const ok = await call('POST', '/v1/identity-providers', {
    type: 'OKTA',
    domain: 'acme.okta.lab',
    clientId: okta.clientId,
  });
  expect(ok.statusCode).toBe(201);
  expect(ok.json()).toMatchObject({
    issuer: 'https://acme.okta.lab',
    status: 'CONNECTED',
    tokenEndpoint: 'https://acme.okta.lab/oauth2/v1/token',
  });
  expect(okta.seen).toContain('/.well-known/openid-configuration');
  const unreachable = await call('POST', '/v1/identity-providers', {
    type: 'OKTA',
    domain: 'other.okta.lab',
    clientId: 'x',
  });
  expect(unreachable.statusCode).toBe(400);
  expect(unreachable.json().error).toBe('IDP_CONNECTION_FAILED');
  await okta.app.close();
});

test('activation profiles need a name, platforms and one capability; an unknown identity provider is refused', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  const ok = await call('POST', '/v1/activation-profiles', {
    name: 'Corp devices',
    platforms: ['MAC_OS', 'IOS'],
    capabilities: { networkSecurity: true },
  });
  expect(ok.statusCode).toBe(201);
  expect((await call('GET', `/v1/activation-profiles/${ok.json().id as string}`)).json().name).toBe(
    'Corp devices',
  );
  for (const [body, message] of [
    [{ platforms: ['MAC_OS'], capabilities: { networkSecurity: true } }, /name/],
    [{ name: 'x', platforms: ['WINDOWS'], capabilities: { networkSecurity: true } }, /platforms/],
    [{ name: 'x', platforms: ['IOS'], capabilities: { networkSecurity: false } }, /at least one capability/],
    [
      { name: 'x', platforms: ['IOS'], capabilities: { networkSecurity: true }, identityProviderId: 'nope' },
      /identity provider/,
    ],
  ] as const) {
    const response = await call('POST', '/v1/activation-profiles', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  }
});

test('lab threats on unknown devices are 404, and an unknown threat cannot be resolved', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP] });
  const threat = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: 'nope', category: 'Malware' },
  });
  expect(threat.statusCode).toBe(404);
  expect((await jsc.app.inject({ method: 'DELETE', url: '/_lab/threats/nope' })).statusCode).toBe(404);
  expect(
    (await jsc.app.inject({ method: 'POST', url: '/_lab/threats', payload: { category: 'Malware' } }))
      .statusCode,
  ).toBe(400);
});

test('/_lab/ssf-receivers adds a receiver account whose token manages its own streams; bad input is 400', async () => {
  jsc = await buildJscMock({ signingKey, apps: [APP], customerId: 'cust-2' });
  const lab = (payload: string) =>
    jsc.app.inject({
      method: 'POST',
      url: '/_lab/ssf-receivers',
      headers: { 'content-type': 'application/json' },
      payload,
    });
  const made = await lab(JSON.stringify({ audience: 'urn:example:second', inactivityTimeoutSeconds: 30 }));
  expect(made.statusCode).toBe(201);
  const { token: streamToken, audience } = made.json() as { token: string; audience: string };
  expect(audience).toBe('urn:example:second');
  const configuration = await jsc.app.inject({
    method: 'GET',
    url: '/.well-known/ssf-configuration/sse/cust-2',
  });
  const endpoint = new URL(configuration.json().configuration_endpoint as string).pathname;
  const stream = await jsc.app.inject({
    method: 'POST',
    url: endpoint,
    headers: { authorization: `Bearer ${streamToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ delivery: { method: 'urn:ietf:rfc:8936' } }),
  });
  expect(stream.statusCode).toBe(201);
  expect(stream.json()).toMatchObject({ aud: 'urn:example:second', inactivity_timeout: 30 });
  for (const [payload, message] of [
    ['{}', /audience.{0,2} is required/],
    ['{"audience":"a","inactivityTimeoutSeconds":0}', /inactivityTimeoutSeconds/],
    ['[1]', /JSON object|audience/],
    ['{nope', /JSON/],
  ] as const) {
    const answer = await lab(payload);
    expect(answer.statusCode, payload).toBe(400);
    expect(answer.body, payload).toMatch(message);
  }
});

// Issue 15: the seed's identity-provider connection has a name, and its activation profile an expiry.
// Jamf publishes neither field: `name` and `expirationDate` are the lab's choices (README).
test('an identity provider keeps its name (default "Okta"); a bad name is 400 and connects nothing', async () => {
  const okta = await startOktaStub({ redirectUri: JAMF_TRUST_REDIRECT_URI, users: {} });
  jsc = await buildJscMock({
    signingKey,
    apps: [APP],
    fetch: createInjectFetch(new Map([[okta.issuer, okta.app]])),
  });
  const named = await call('POST', '/v1/identity-providers', {
    type: 'OKTA',
    name: 'Acme Okta',
    domain: 'acme.okta.lab',
    clientId: okta.clientId,
  });
  expect([named.statusCode, named.json().name]).toEqual([201, 'Acme Okta']);
  const unnamed = await call('POST', '/v1/identity-providers', {
    type: 'OKTA',
    domain: 'acme.okta.lab',
    clientId: okta.clientId,
  });
  expect(unnamed.json().name).toBe('Okta');
  for (const name of ['', 42, 'x'.repeat(101)]) {
    const bad = await call('POST', '/v1/identity-providers', {
      type: 'OKTA',
      name,
      domain: 'acme.okta.lab',
      clientId: 'c',
    });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'INVALID_REQUEST']);
  }
  expect((await call('GET', '/v1/identity-providers')).json().map((p: { name: string }) => p.name)).toEqual([
    'Acme Okta',
    'Okta',
  ]);
  await okta.app.close();
});

test('an activation profile keeps its expirationDate, readable after it passed; a past or malformed one is 400', async () => {
  const scheduler = new VirtualScheduler(Date.parse('2026-01-01T00:00:00Z'));
  jsc = await buildJscMock({ signingKey, apps: [APP], clock: scheduler, fleet: { devices: 2 } });
  const base = { name: 'Corp', platforms: ['MAC_OS', 'IOS'], capabilities: { networkSecurity: true } };
  const created = await call('POST', '/v1/activation-profiles', {
    ...base,
    expirationDate: '2026-02-01T00:00:00Z',
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  expect((await call('GET', `/v1/activation-profiles/${id}`)).json().expirationDate).toBe(
    '2026-02-01T00:00:00.000Z',
  );
  for (const expirationDate of ['2025-12-31T00:00:00Z', 'next week', 20260201]) {
    const bad = await call('POST', '/v1/activation-profiles', { ...base, expirationDate });
    expect([bad.statusCode, bad.json().message]).toEqual([400, expect.stringMatching(/expirationDate/)]);
  }
  // Activation past the expiry (409 ACTIVATION_PROFILE_EXPIRED) needs synced devices: seed-details.test.ts.
  await scheduler.advance(32 * 86_400_000);
  // Still readable after it expired.
  expect((await call('GET', `/v1/activation-profiles/${id}`)).statusCode).toBe(200);
});
