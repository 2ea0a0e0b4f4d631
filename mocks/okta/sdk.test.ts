/**
 * Okta's own Node SDK (@okta/okta-sdk-nodejs 8.x), unmodified, against the mock on loopback: SSWS and the
 * `PrivateKey` (private_key_jwt) OAuth mode, collection iteration over Link headers, a user by login, clearing
 * sessions, System Log listing, scope errors as OktaApiError, the DPoP nonce handshake, and the 429 back-off
 * the SDK computes from `X-Rate-Limit-Reset` and `Date`. The SDK accepts an `http://` org URL (8.x has no HTTPS
 * check); its GET cache is turned off (`cacheMiddleware: null`) so reads after writes see the org, not the
 * SDK's memory.
 */
import {
  Client,
  DefaultRequestExecutor,
  EntityRiskPolicy,
  EntityRiskPolicyRule,
  type EntityRiskPolicyRuleActionsObject,
  type OktaApiError,
} from '@okta/okta-sdk-nodejs';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../harness/kernel/index.ts';
import { generateSigningKey, publicJwks, type SigningKey, signSet } from '../../harness/protocol/index.ts';
import { createHttpFetch, createInjectFetch } from '../../harness/ssf/index.ts';
import { OKTA_LAB_PASSWORD, type OktaMock, riskEngineOf } from './index.ts';
import {
  api,
  clientKeyPair,
  createJamfTrustApp,
  type KeyPair,
  listenOnLoopback,
  registerServiceApp,
  signIn,
  tokenRequest,
} from './okta.testing.ts';

let signingKey: SigningKey;
let key: KeyPair;
let unknownKey: KeyPair;
let okta: OktaMock;
let users: { id: string; profile: { login: string; email: string } }[];
/** An SSF transmitter the org reaches through inject-fetch (its metadata and JWKS), for part B1's tests. */
const TRANSMITTER = 'https://jsc.lab';
const TRANSMITTER_ISSUER = `${TRANSMITTER}/sse/sdk`;
const WELL_KNOWN = `${TRANSMITTER}/.well-known/ssf-configuration/sse/sdk`;
let transmitterKey: SigningKey;

beforeAll(async () => {
  [signingKey, key, unknownKey, transmitterKey] = await Promise.all([
    // The org key signs nothing the SDK checks; the client key is RSA because the SDK signs DPoP proofs RS256.
    generateSigningKey('ES256', { kid: 'org-test' }).then((k) => k.key),
    clientKeyPair('sdk-client', 'RS256'),
    clientKeyPair('unknown-key'),
    generateSigningKey('ES256', { kid: 'jsc-sdk' }).then((k) => k.key),
  ]);
  const transmitter = Fastify();
  transmitter.get('/.well-known/ssf-configuration/sse/sdk', async () => ({
    issuer: TRANSMITTER_ISSUER,
    jwks_uri: `${TRANSMITTER}/sse/sdk/jwks.json`,
  }));
  transmitter.get('/sse/sdk/jwks.json', async () => publicJwks(transmitterKey));
  okta = await listenOnLoopback({
    signingKey,
    fleet: { devices: 12 },
    fetch: createInjectFetch(new Map([[TRANSMITTER, transmitter]]), createHttpFetch()),
  });
  users = (await api(okta, 'GET', '/api/v1/users')).json();
});
afterAll(async () => {
  await okta.close();
});

function sswsClient(requestExecutor?: DefaultRequestExecutor): Client {
  return new Client({
    orgUrl: okta.org.url,
    token: okta.apiToken,
    cacheMiddleware: null,
    ...(requestExecutor ? { requestExecutor } : {}),
  });
}

async function collect<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of collection) if (item) out.push(item);
  return out;
}

test('the SDK lists every user across pages by following the absolute next links (SSWS)', async () => {
  const executor = new DefaultRequestExecutor();
  const urls: string[] = [];
  executor.on('request', (request: { url: string }) => urls.push(request.url));
  const listed = await collect(await sswsClient(executor).userApi.listUsers({ limit: 3 }));
  expect(listed.map((u) => u.id)).toEqual(users.map((u) => u.id));
  expect(users.length).toBe(11);
  expect(urls).toHaveLength(4);
  expect(urls[0]).toBe(`${okta.org.url}/api/v1/users?limit=3`);
  expect(urls[1]).toMatch(new RegExp(`^${okta.org.url}/api/v1/users\\?limit=3&after=00u\\w{17}$`));
  expect(listed[0]?.status).toBe('ACTIVE');
  expect(listed[0]?.created).toBeInstanceOf(Date);
});

test('the SDK gets a user by login; an unknown login is an OktaApiError 404 E0000007', async () => {
  const client = sswsClient();
  const wanted = users[4];
  const user = await client.userApi.getUser({ userId: String(wanted?.profile.login) });
  expect(user.id).toBe(wanted?.id);
  expect(user.profile?.email).toBe(wanted?.profile.email);
  const error = (await client.userApi
    .getUser({ userId: 'nobody@acme.example' })
    .catch((e: unknown) => e)) as OktaApiError;
  expect(error.status).toBe(404);
  expect(error.errorCode).toBe('E0000007');
  expect(error.errorSummary).toBe('Not found: Resource not found: nobody@acme.example (User)');
});

test("the SDK clears a user's sessions with oauthTokens=true: sessions end and refresh tokens stop working", async () => {
  const app = await createJamfTrustApp(okta);
  const user = users[5];
  const { tokens } = await signIn(
    fetch,
    okta.org.url,
    app.clientId,
    String(user?.profile.login),
    OKTA_LAB_PASSWORD,
  );
  const live = async () =>
    ((await fetch(`${okta.org.url}/_lab/sessions`).then((r) => r.json())) as { userId: string }[]).filter(
      (s) => s.userId === user?.id,
    );
  expect(await live()).toHaveLength(1);
  await sswsClient().userApi.revokeUserSessions({ userId: String(user?.id), oauthTokens: true });
  expect(await live()).toHaveLength(0);
  const refreshed = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
  });
  expect(refreshed.json().error).toBe('invalid_grant');
});

test('the SDK lists the System Log of a bounded query, with the filter applied', async () => {
  const user = users[6];
  const since = new Date(Date.now() - 60_000).toISOString();
  await sswsClient().userApi.revokeUserSessions({ userId: String(user?.id) });
  const events = await collect(
    await sswsClient().systemLogApi.listLogEvents({
      since,
      until: new Date(Date.now() + 1000).toISOString(),
      filter: `eventType eq "user.session.clear" and target.id eq "${user?.id}"`,
      limit: 1,
    }),
  );
  expect(events).toHaveLength(1);
  expect(events[0]?.eventType).toBe('user.session.clear');
  expect(events[0]?.actor?.alternateId).toBe('admin@127.0.0.1');
  expect(events[0]?.target?.[0]?.id).toBe(user?.id);
});

test('the SDK in PrivateKey mode gets a token with private_key_jwt; a call outside its scopes is 403 E0000006', async () => {
  const clientId = await registerServiceApp(okta, key, ['okta.users.read', 'okta.logs.read']);
  const client = new Client({
    orgUrl: okta.org.url,
    authorizationMode: 'PrivateKey',
    clientId,
    scopes: ['okta.users.read', 'okta.logs.read'],
    privateKey: key.privateJwk as Record<string, unknown>,
    keyId: 'sdk-client',
    cacheMiddleware: null,
  });
  const listed = await collect(await client.userApi.listUsers({ limit: 5 }));
  expect(listed).toHaveLength(users.length);
  const logs = await collect(
    await client.systemLogApi.listLogEvents({
      since: new Date(Date.now() - 60_000).toISOString(),
      until: new Date(Date.now() + 1000).toISOString(),
    }),
  );
  expect(logs.length).toBeGreaterThan(0);
  const error = (await client.groupApi
    .listGroups()
    .then((c) => collect(c))
    .catch((e: unknown) => e)) as OktaApiError;
  expect(error.status).toBe(403);
  expect(error.errorCode).toBe('E0000006');
});

test('the SDK completes the DPoP nonce handshake and signs every call with a DPoP proof', async () => {
  const clientId = await registerServiceApp(okta, key, ['okta.users.read'], true);
  const executor = new DefaultRequestExecutor();
  const seen: { url: string; status: number; authorization: string; dpop: string }[] = [];
  executor.on('request', (request: { url: string; headers: Record<string, string> }) =>
    seen.push({
      url: request.url,
      status: 0,
      authorization: String(request.headers.Authorization ?? ''),
      dpop: String(request.headers.DPoP ?? ''),
    }),
  );
  executor.on('response', (response: { status: number }) => {
    const last = seen.at(-1);
    if (last) last.status = response.status;
  });
  const client = new Client({
    orgUrl: okta.org.url,
    authorizationMode: 'PrivateKey',
    clientId,
    scopes: ['okta.users.read'],
    privateKey: key.privateJwk as Record<string, unknown>,
    cacheMiddleware: null,
    requestExecutor: executor,
  });
  const listed = await collect(await client.userApi.listUsers({ limit: 4 }));
  expect(listed).toHaveLength(users.length);
  // 400 use_dpop_nonce, then the token with the nonce, then three pages with DPoP proofs (htu without query).
  expect(seen.map((r) => [r.url.replace(okta.org.url, ''), r.status])).toEqual([
    ['/oauth2/v1/token', 400],
    ['/oauth2/v1/token', 200],
    ['/api/v1/users?limit=4', 200],
    [expect.stringMatching(/^\/api\/v1\/users\?limit=4&after=/), 200],
    [expect.stringMatching(/^\/api\/v1\/users\?limit=4&after=/), 200],
  ]);
  expect(
    seen.slice(2).every((r) => r.authorization.startsWith('DPoP ') && r.dpop.split('.').length === 3),
  ).toBe(true);
});

test('an SDK client the org cannot authenticate ends with 401 E0000011 (the SDK takes the token error for a token)', async () => {
  // The app trusts another key than the one the SDK signs with.
  const clientId = await registerServiceApp(okta, unknownKey, ['okta.users.read']);
  const client = new Client({
    orgUrl: okta.org.url,
    authorizationMode: 'PrivateKey',
    clientId,
    scopes: ['okta.users.read'],
    privateKey: key.privateJwk as Record<string, unknown>,
    cacheMiddleware: null,
  });
  const error = (await client.userApi
    .getUser({ userId: String(users[0]?.id) })
    .catch((e: unknown) => e)) as OktaApiError;
  expect(error.status).toBe(401);
  expect(error.errorCode).toBe('E0000011');
});

test('a 429 from the mock is one the SDK backs off from: a single X-Rate-Limit-Reset, a Date, a request id', async () => {
  // Virtual time 0.5 s before a minute boundary; the SDK's own executor reads the answer (no real waiting).
  const scheduler = new VirtualScheduler(Date.UTC(2026, 0, 1, 9, 59, 59, 500));
  const limited = await listenOnLoopback({
    signingKey,
    clock: scheduler,
    rateLimit: { buckets: { 'GET /api/v1/users': 1 } },
  });
  try {
    const call = () =>
      fetch(`${limited.org.url}/api/v1/users`, { headers: { authorization: `SSWS ${limited.apiToken}` } });
    expect((await call()).status).toBe(200);
    const response = await call();
    expect(response.status).toBe(429);
    const executor = new DefaultRequestExecutor() as DefaultRequestExecutor & {
      validateRetryResponseHeaders(response: Response): boolean;
      getRetryDelayMs(response: Response): number;
      getOktaRequestId(response: Response): string | null;
    };
    expect(executor.validateRetryResponseHeaders(response)).toBe(true);
    // reset (10:00:00) − Date (09:59:59, whole seconds) + 1 s.
    expect(executor.getRetryDelayMs(response)).toBe(2000);
    expect(executor.getOktaRequestId(response)).toMatch(/^[\w-]{27}$/);
    await scheduler.advance(1000);
    expect((await call()).status).toBe(200);
  } finally {
    await limited.close();
  }
});

test("the SDK manages the ENTITY_RISK policy's rules: list the policy by type, create, replace, deactivate, activate, delete", async () => {
  const { policyApi } = sswsClient();
  const [policy, ...others] = await collect(await policyApi.listPolicies({ type: 'ENTITY_RISK' }));
  expect(others).toEqual([]);
  expect(policy).toBeInstanceOf(EntityRiskPolicy);
  expect([policy?.type, policy?.system, policy?.status]).toEqual(['ENTITY_RISK', true, 'ACTIVE']);
  const policyId = String(policy?.id);
  const listRules = async () =>
    (await collect(await policyApi.listPolicyRules({ policyId }))) as EntityRiskPolicyRule[];
  const [catchAll, ...custom] = await listRules();
  expect(custom).toEqual([]);
  expect(catchAll).toBeInstanceOf(EntityRiskPolicyRule);
  expect([catchAll?.name, catchAll?.priority, catchAll?.system, catchAll?.conditions]).toEqual([
    'Catch-all rule',
    99,
    true,
    null,
  ]);

  const rule: EntityRiskPolicyRule = {
    type: 'ENTITY_RISK',
    name: 'SDK: high risk',
    conditions: {
      // The SDK's typings require both lists; an empty one is no list.
      people: {
        users: { include: [], exclude: [String(users[0]?.id)] },
        groups: { include: [], exclude: [] },
      },
      riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'], exclude: [] },
      entityRisk: { level: 'HIGH' },
    },
    actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } },
  };
  const created = (await policyApi.createPolicyRule({
    policyId,
    policyRule: rule,
    activate: false,
  })) as EntityRiskPolicyRule;
  expect(created).toBeInstanceOf(EntityRiskPolicyRule);
  expect([created.status, created.priority, created.system, created.conditions?.entityRisk?.level]).toEqual([
    'INACTIVE',
    0,
    false,
    'HIGH',
  ]);
  const ruleId = String(created.id);
  const flow = { action: 'RUN_WORKFLOW', workflow: { id: 572749 } } as EntityRiskPolicyRuleActionsObject;
  const next: EntityRiskPolicyRule = {
    ...created,
    name: 'SDK: run a flow',
    actions: { entityRisk: { actions: [flow] } },
  };
  const replaced = (await policyApi.replacePolicyRule({
    policyId,
    ruleId,
    policyRule: next,
  })) as EntityRiskPolicyRule;
  expect(replaced.name).toBe('SDK: run a flow');
  expect(replaced.actions?.entityRisk?.actions).toEqual([
    { action: 'RUN_WORKFLOW', workflow: { id: 572749 } },
  ]);
  expect(replaced.conditions?.people).toEqual({ users: { exclude: [users[0]?.id] } });
  expect(replaced.conditions?.riskDetectionTypes).toEqual({
    include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'],
  });

  await policyApi.activatePolicyRule({ policyId, ruleId });
  expect((await policyApi.getPolicyRule({ policyId, ruleId })).status).toBe('ACTIVE');
  await policyApi.deactivatePolicyRule({ policyId, ruleId });
  expect((await policyApi.getPolicyRule({ policyId, ruleId })).status).toBe('INACTIVE');
  expect((await listRules()).map((r) => [r.name, r.priority])).toEqual([
    ['SDK: run a flow', 0],
    ['Catch-all rule', 99],
  ]);
  await policyApi.deletePolicyRule({ policyId, ruleId });
  expect((await listRules()).map((r) => r.name)).toEqual(['Catch-all rule']);
  const refused = (await policyApi
    .deletePolicyRule({ policyId, ruleId: String(catchAll?.id) })
    .catch((e: unknown) => e)) as OktaApiError;
  expect([refused.status, refused.errorCode]).toEqual([403, 'E0000006']);
});

test('the SDK manages security events providers (SSFReceiverApi) and reads and sets user risk (UserApi)', async () => {
  const { ssfReceiverApi, userApi } = sswsClient();
  const created = await ssfReceiverApi.createSecurityEventsProviderInstance({
    instance: { name: 'Jamf Security Cloud', type: 'okta', settings: { well_known_url: WELL_KNOWN } },
  });
  expect([created.status, created.settings]).toEqual([
    'ACTIVE',
    { well_known_url: WELL_KNOWN, issuer: TRANSMITTER_ISSUER, jwks_url: `${TRANSMITTER}/sse/sdk/jwks.json` },
  ]);
  const id = String(created.id);
  const replaced = await ssfReceiverApi.replaceSecurityEventsProviderInstance({
    securityEventProviderId: id,
    instance: { name: 'JSC', type: 'okta', settings: { well_known_url: WELL_KNOWN } },
  });
  expect(replaced.name).toBe('JSC');
  expect(
    (await ssfReceiverApi.deactivateSecurityEventsProviderInstance({ securityEventProviderId: id })).status,
  ).toBe('INACTIVE');
  expect(
    (await ssfReceiverApi.activateSecurityEventsProviderInstance({ securityEventProviderId: id })).status,
  ).toBe('ACTIVE');
  const listed = await collect(await ssfReceiverApi.listSecurityEventsProviderInstances());
  expect(listed.map((p) => [p.id, p.name])).toEqual([[id, 'JSC']]);
  expect((await ssfReceiverApi.getSecurityEventsProviderInstance({ securityEventProviderId: id })).name).toBe(
    'JSC',
  );
  const invalid = (await ssfReceiverApi
    .createSecurityEventsProviderInstance({
      instance: { name: 'x', type: 'okta', settings: { well_known_url: 'not a URL' } },
    })
    .catch((e: unknown) => e)) as OktaApiError;
  expect([invalid.status, invalid.errorCode]).toEqual([400, 'E0000001']);
  await ssfReceiverApi.deleteSecurityEventsProviderInstance({ securityEventProviderId: id });
  const gone = (await ssfReceiverApi
    .getSecurityEventsProviderInstance({ securityEventProviderId: id })
    .catch((e: unknown) => e)) as OktaApiError;
  expect([gone.status, gone.errorCode]).toEqual([404, 'E0000007']);

  const userId = String(users[8]?.id);
  expect(await userApi.getUserRisk({ userId })).toMatchObject({ riskLevel: 'NONE' });
  const put = await userApi.upsertUserRisk({ userId, userRiskRequest: { riskLevel: 'HIGH' } });
  expect([put.riskLevel, put.reason]).toEqual(['HIGH', 'override.by.admin']);
  expect(await userApi.getUserRisk({ userId })).toMatchObject({
    riskLevel: 'HIGH',
    reason: 'override.by.admin',
  });
  const refused = (await userApi
    .upsertUserRisk({ userId, userRiskRequest: { riskLevel: 'NONE' as 'LOW' } })
    .catch((e: unknown) => e)) as OktaApiError;
  expect([refused.status, refused.errorCode]).toEqual([400, 'E0000001']);
});

test("a SET through the SDK: 8.1's SSFSecurityEventTokenApi cannot serialize application/secevent+jwt; its generic http call delivers it", async () => {
  const client = sswsClient();
  const provider = await client.ssfReceiverApi.createSecurityEventsProviderInstance({
    instance: { name: 'JSC', type: 'okta', settings: { well_known_url: WELL_KNOWN } },
  });
  const user = users[9];
  const now = Math.floor(Date.now() / 1000);
  const token = await signSet(
    {
      iss: TRANSMITTER_ISSUER,
      jti: 'sdk-set-1',
      iat: now,
      aud: okta.org.url,
      events: {
        'https://schemas.okta.com/secevent/okta/event-type/device-risk-change': {
          subject: { user: { format: 'email', email: user?.profile.login } },
          current_level: 'medium',
          previous_level: 'secure',
          event_timestamp: now,
          reason_admin: { en: 'Outdated OS' },
        },
      },
    },
    transmitterKey,
  );
  const receipts = async (): Promise<number> =>
    ((await fetch(`${okta.org.url}/_lab/security-events`).then((r) => r.json())) as unknown[]).length;
  const before = await receipts();
  // okta-sdk-nodejs 8.1.0 picks a serializer by media type and has none for application/secevent+jwt.
  const error = (await client.ssfSecurityEventTokenApi
    .publishSecurityEventTokens({ securityEventToken: token })
    .catch((e: unknown) => e)) as Error;
  expect(error.message).toBe('None of the given media types are supported: application/secevent+jwt');
  expect(await receipts()).toBe(before);

  // The SDK's "call other API endpoints" path sends it (with the client's SSWS header, which the receiver ignores).
  const url = `${okta.org.url}/security/api/v1/security-events`;
  // The SDK's RequestOptions typings lose fetch's RequestInit; the README's own example passes these members.
  const post = (body: string) =>
    ({
      method: 'post',
      headers: { 'Content-Type': 'application/secevent+jwt', Accept: 'application/json' },
      body,
    }) as Parameters<Client['http']['http']>[1];
  const sent = await client.http.http(url, post(token));
  expect([sent.status, await sent.text()]).toEqual([202, '']);
  await riskEngineOf(okta.org)?.idle();
  expect(await client.userApi.getUserRisk({ userId: String(user?.id) })).toMatchObject({
    riskLevel: 'MEDIUM',
    reason: 'Outdated OS',
  });
  const rejected = (await client.http
    .http(url, post(token.replace(/\.[^.]+$/, '.AAAA')))
    .catch((e: unknown) => e)) as OktaApiError;
  expect(rejected.status).toBe(400);
  expect(await receipts()).toBe(before + 2);
  await client.ssfReceiverApi.deleteSecurityEventsProviderInstance({
    securityEventProviderId: String(provider.id),
  });
});
