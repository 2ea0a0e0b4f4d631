/**
 * The entity risk policy acting on risk changes, through HTTP and the ITP hub (`org.itp.publish` stands in
 * for the risk engine): which rule matches (priority, people, detections, level, inactive rules), each action
 * — ending sessions and revoking tokens, Universal Logout into all, specified or no apps, a delegated flow —
 * the System Log chain under one TraceId, and the risk reset. The apps' Global Token Revocation endpoints and
 * the delegated flows are a small fastify app reached through the mock's `fetch`; it verifies every GTR JWT
 * with jose against the org's `/oauth2/v1/keys`, so a wrong header or claim fails the call.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createLocalJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../../harness/protocol/index.ts';
import { createInjectFetch } from '../../../harness/ssf/index.ts';
import { buildOktaMock, OKTA_LAB_PASSWORD, type OktaMock } from '../index.ts';
import { api, createJamfTrustApp, injectFetch, signIn, tokenRequest } from '../okta.testing.ts';
import type { RiskChange } from './itp-hub.ts';

const APPS = 'https://apps.lab';
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/;

interface Received {
  readonly name: string;
  readonly url: string;
  readonly header?: ProtectedHeaderParameters;
  readonly claims?: JWTPayload;
  readonly body: unknown;
  readonly contentType?: string;
  readonly error?: string;
}

interface UserJson {
  id: string;
  profile: { login: string; email: string };
}

let signingKey: SigningKey;
let apps: FastifyInstance;
let current: OktaMock;
const received: Received[] = [];
const flowCalls: { name: string; body: unknown }[] = [];
/** Status each GTR endpoint answers after verifying the JWT (204 unless named). */
const STATUS: Record<string, number> = { broken: 401, gone: 404 };

beforeAll(async () => {
  signingKey = (await generateSigningKey('ES256', { kid: 'org-test' })).key;
  apps = Fastify();
  apps.post('/gtr/:name', async (request, reply) => {
    const name = (request.params as { name: string }).name;
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const keys = (
      await current.app.inject({ method: 'GET', url: '/oauth2/v1/keys' })
    ).json() as JSONWebKeySet;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys), {
        issuer: current.org.url,
        audience: `${APPS}${request.url.split('?')[0]}`,
        typ: 'global-token-revocation+jwt',
        algorithms: ['ES256'],
      });
      received.push({
        name,
        url: request.url,
        header: protectedHeader,
        claims: payload,
        body: request.body,
        contentType: String(request.headers['content-type']),
      });
    } catch (error) {
      received.push({ name, url: request.url, body: request.body, error: String(error) });
      return reply.code(401).send({ error: 'invalid_token', error_description: 'the JWT did not verify' });
    }
    const status = STATUS[name] ?? 204;
    if (status === 204) return reply.code(204).send();
    return reply.code(status).send({ error: 'refused', error_description: `answered ${status}` });
  });
  apps.post('/flows/:name', async (request, reply) => {
    const name = (request.params as { name: string }).name;
    flowCalls.push({ name, body: request.body });
    return reply.code(name === 'fail' ? 500 : 200).send({});
  });
  await apps.ready();
}, 20_000);
afterAll(async () => {
  await apps.close();
});

/** The org's outbound fetch: apps.lab by inject; `/gtr/slow` never answers (only its abort signal ends it). */
const orgFetch: typeof fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.includes('/gtr/slow'))
    return new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });
  return createInjectFetch(new Map([[APPS, apps]]))(input, init);
};

interface Setup {
  readonly okta: OktaMock;
  readonly rules: string;
  readonly policyId: string;
  readonly users: UserJson[];
  readonly resets: [string, string][];
  readonly jamfTrust: { readonly id: string; readonly clientId: string };
}

async function setup(): Promise<Setup> {
  const okta = await buildOktaMock({ signingKey, fleet: { devices: 12 }, fetch: orgFetch });
  current = okta;
  received.length = 0;
  flowCalls.length = 0;
  const resets: [string, string][] = [];
  okta.org.itp.setResetter({ reset: (userId, traceId) => void resets.push([userId, traceId]) });
  const [policy] = (await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK')).json();
  const users = (await api(okta, 'GET', '/api/v1/users')).json() as UserJson[];
  const jamfTrust = await createJamfTrustApp(okta);
  return {
    okta,
    rules: `/api/v1/policies/${policy.id}/rules`,
    policyId: policy.id,
    users,
    resets,
    jamfTrust,
  };
}

async function lab(okta: OktaMock, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  return okta.app.inject({
    method,
    url,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  });
}

async function samlApp(okta: OktaMock, label: string, id?: string): Promise<string> {
  const r = await lab(okta, 'POST', '/_lab/saml-apps', { label, ...(id ? { id } : {}) });
  expect(r.statusCode).toBe(201);
  return r.json().id;
}

async function oidcApp(okta: OktaMock, label: string, clientId: string, assign: boolean): Promise<string> {
  const r = await api(okta, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label,
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { client_id: clientId } },
    settings: {
      oauthClient: {
        application_type: 'web',
        grant_types: ['authorization_code'],
        redirect_uris: [`https://${clientId}.lab/cb`],
      },
    },
  });
  expect(r.statusCode).toBe(200);
  const id = r.json().id as string;
  if (assign) await api(okta, 'PUT', `/api/v1/apps/${id}/groups/${okta.org.directory.everyone.id}`, {});
  return id;
}

async function configure(okta: OktaMock, appId: string, config: Record<string, unknown>): Promise<void> {
  const r = await lab(okta, 'PUT', `/_lab/apps/${appId}/universal-logout`, config);
  expect([r.statusCode, r.body]).toEqual([200, expect.any(String)]);
}

async function createRule(s: Setup, body: Record<string, unknown>, activate = true): Promise<string> {
  const r = await api(s.okta, 'POST', `${s.rules}?activate=${activate}`, { type: 'ENTITY_RISK', ...body });
  expect([r.statusCode, r.json().errorCauses]).toEqual([200, undefined]);
  return r.json().id;
}

async function publish(okta: OktaMock, userId: string, over: Partial<RiskChange> = {}): Promise<RiskChange> {
  const change: RiskChange = {
    userId,
    previous: 'LOW',
    current: 'HIGH',
    detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
    traceId: randomUUID(),
    at: okta.org.now(),
    provider: { id: 'sse1jamf', name: 'Jamf Security Cloud', issuer: 'https://jsc.lab/ssf' },
    reason: 'Device risk is high',
    ...over,
  };
  await okta.org.itp.publish(change);
  return change;
}

interface LogJson {
  eventType: string;
  actor: { type: string };
  target: { id: string; type: string; detailEntry: Record<string, unknown> | null }[];
  outcome: { result: string; reason: string | null };
  transaction: { id: string; type: string };
  debugContext: { debugData: Record<string, unknown> };
}

async function chain(okta: OktaMock, traceId: string): Promise<LogJson[]> {
  const filter = encodeURIComponent(`debugContext.debugData.TraceId eq "${traceId}"`);
  const r = await api(okta, 'GET', `/api/v1/logs?limit=100&filter=${filter}`);
  expect(r.statusCode).toBe(200);
  return r.json();
}

async function sessionsOf(okta: OktaMock, userId: string): Promise<number> {
  const all = (await lab(okta, 'GET', '/_lab/sessions')).json() as { userId: string }[];
  return all.filter((s) => s.userId === userId).length;
}

test('TERMINATE_ALL_SESSIONS: sessions end, tokens are revoked, every Universal Logout app gets a verified GTR call, one TraceId from SET to logout', async () => {
  const s = await setup();
  const { okta } = s;
  const user = s.users[2] as UserJson;
  const salesforce = await samlApp(okta, 'Salesforce', '0oasalesforce0000000');
  const google = await oidcApp(okta, 'Google Workspace', '0oagoogleworkspace00', true);
  const office = await samlApp(okta, 'Microsoft Office 365');
  const unassigned = await oidcApp(okta, 'Unassigned portal', 'portal-client', false);
  const inactive = await oidcApp(okta, 'Retired portal', 'retired-client', true);
  await api(okta, 'POST', `/api/v1/apps/${inactive}/lifecycle/deactivate`);
  await configure(okta, salesforce, { endpoint: `${APPS}/gtr/salesforce` });
  await configure(okta, google, { endpoint: `${APPS}/gtr/google`, subjectFormat: 'ISS_SUB' });
  await configure(okta, office, { endpoint: `${APPS}/gtr/office?tenant=acme`, partialSupport: true });
  await configure(okta, unassigned, { endpoint: `${APPS}/gtr/unassigned` });
  await configure(okta, inactive, { endpoint: `${APPS}/gtr/inactive` });
  const listed = (await lab(okta, 'GET', '/_lab/universal-logout/apps')).json();
  expect(listed).toHaveLength(5);
  expect(listed.find((a: { appId: string }) => a.appId === google)).toMatchObject({
    signOnMode: 'OPENID_CONNECT',
    jwtSubject: '0oagoogleworkspace00',
    subjectFormat: 'ISS_SUB',
    authenticationMethod: 'SIGNED_JWT',
    partialSupport: false,
  });
  const ruleId = await createRule(s, {
    name: 'High risk: sign out everywhere',
    conditions: {
      riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'] },
      entityRisk: { level: 'HIGH' },
    },
    actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } },
  });

  const first = await signIn(
    injectFetch(okta),
    okta.org.url,
    s.jamfTrust.clientId,
    user.profile.login,
    OKTA_LAB_PASSWORD,
  );
  await signIn(injectFetch(okta), okta.org.url, s.jamfTrust.clientId, user.profile.login, OKTA_LAB_PASSWORD);
  const bystander = s.users[3] as UserJson;
  await signIn(
    injectFetch(okta),
    okta.org.url,
    s.jamfTrust.clientId,
    bystander.profile.login,
    OKTA_LAB_PASSWORD,
  );
  expect(await sessionsOf(okta, user.id)).toBe(2);

  // The receiving half's two events come first (B1 logs them before publishing the change).
  const traceId = randomUUID();
  for (const type of ['security.events.provider.receive_event', 'user.risk.detect'])
    if (!okta.org.systemLog.isDefined(type)) okta.org.systemLog.define(type, { displayMessage: type });
  for (const eventType of ['security.events.provider.receive_event', 'user.risk.detect'])
    okta.org.log({ eventType, debugData: { TraceId: traceId } });
  // The reset publishing its own change under the same trace must not start a second chain.
  okta.org.itp.setResetter({
    reset: async (userId, trace) => {
      s.resets.push([userId, trace]);
      await okta.org.itp.publish({ ...change, previous: 'HIGH', current: 'LOW' });
    },
  });
  const change: RiskChange = {
    userId: user.id,
    previous: 'LOW',
    current: 'HIGH',
    detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
    traceId,
    at: okta.org.now(),
    provider: { id: 'sse1jamf', name: 'Jamf Security Cloud', issuer: 'https://jsc.lab/ssf' },
    reason: 'Device risk is high',
  };
  await okta.org.itp.publish(change);

  // Sessions and tokens: the user's are gone, the bystander's stay.
  expect(await sessionsOf(okta, user.id)).toBe(0);
  expect(await sessionsOf(okta, bystander.id)).toBe(1);
  const refreshed = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(first.tokens.refresh_token),
    client_id: s.jamfTrust.clientId,
  });
  expect(refreshed.json().error).toBe('invalid_grant');

  // One verified GTR call per configured, active app the user has; none to the others.
  expect(received.map((r) => [r.name, r.error])).toEqual(
    expect.arrayContaining([
      ['salesforce', undefined],
      ['google', undefined],
      ['office', undefined],
    ]),
  );
  expect(received).toHaveLength(3);
  const by = (name: string): Received => received.find((r) => r.name === name) as Received;
  for (const r of received) {
    expect(r.header).toEqual({ alg: 'ES256', kid: 'org-test', typ: 'global-token-revocation+jwt' });
    expect(r.contentType).toBe('application/json');
    const c = r.claims as Required<JWTPayload>;
    expect(c.iss).toBe(okta.org.url);
    expect([c.exp - c.iat, c.iat - c.nbf]).toEqual([300, 300]);
    expect(Math.abs(c.iat - Date.now() / 1000)).toBeLessThan(60);
    expect(c.jti).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(new Set(received.map((r) => r.claims?.jti)).size).toBe(3);
  expect(by('salesforce').claims?.sub).toBe('0oasalesforce0000000');
  expect(by('google').claims?.sub).toBe('0oagoogleworkspace00');
  expect(by('office').claims?.sub).toBe(office);
  expect(by('office').url).toBe('/gtr/office?tenant=acme');
  expect(by('office').claims?.aud).toBe(`${APPS}/gtr/office`);
  expect(by('salesforce').body).toEqual({ sub_id: { format: 'email', email: user.profile.email } });
  expect(by('office').body).toEqual({ sub_id: { format: 'email', email: user.profile.email } });
  expect(by('google').body).toEqual({ sub_id: { format: 'iss_sub', iss: okta.org.url, sub: user.id } });

  // The System Log chain: six event types in order, one TraceId, one transaction from evaluation on.
  const events = await chain(okta, traceId);
  expect(events.map((e) => e.eventType)).toEqual([
    'security.events.provider.receive_event',
    'user.risk.detect',
    'policy.entity_risk.evaluate',
    'policy.entity_risk.action',
    'user.session.end',
    'user.session.end',
    'user.authentication.universal_logout',
  ]);
  const acted = events.slice(2);
  expect(new Set(acted.map((e) => e.transaction.id)).size).toBe(1);
  expect(acted.every((e) => e.actor.type === 'SystemPrincipal' && e.transaction.type === 'JOB')).toBe(true);
  const [evaluate, action, end] = acted;
  expect(evaluate?.target.map((t) => [t.type, t.id])).toEqual([
    ['User', user.id],
    ['Policy', s.policyId],
    ['Rule', ruleId],
  ]);
  expect(evaluate?.target[2]?.detailEntry).toEqual({ RuleAction: 'TERMINATE_ALL_SESSIONS' });
  expect(evaluate?.debugContext.debugData).toMatchObject({
    TraceId: traceId,
    ThreatSuspected: 'false',
    Risk: '{previousLevel=LOW, level=HIGH, detectionName=Security Events Provider Reported Risk, reasons=Device risk is high, issuer=https://jsc.lab/ssf}',
  });
  expect(action?.target[3]).toMatchObject({
    id: s.policyId,
    type: 'PolicyAction',
    detailEntry: {
      PolicyAction: 'TERMINATE_ALL_SESSIONS',
      PolicySingleLogOutEnabled: true,
      PolicySingleLogOutSelectionMode: 'ALL',
    },
  });
  expect(end?.debugContext.debugData).toMatchObject({
    TraceId: traceId,
    EndedSessionId: expect.stringMatching(/^102/),
  });
  const logout = acted.at(-1);
  expect(logout?.target.map((t) => t.id)).toEqual([user.id]);
  expect(logout?.outcome.result).toBe('SUCCESS');
  expect(logout?.debugContext.debugData.AppInstanceIds).toEqual([google, office, salesforce].sort());

  // The risk reset, once, and its own change did not start another evaluation.
  expect(s.resets).toEqual([[user.id, traceId]]);
  const evaluations = (await lab(okta, 'GET', `/_lab/entity-risk/evaluations?traceId=${traceId}`)).json();
  expect(evaluations).toHaveLength(1);
  expect(evaluations[0]).toMatchObject({
    state: 'DONE',
    rule: { id: ruleId, priority: 0 },
    action: 'TERMINATE_ALL_SESSIONS',
    endedSessions: 2,
    revokedTokens: { refreshTokens: 2 },
    riskReset: true,
    universalLogout: { selectionMode: 'ALL', appInstanceIds: [google, office, salesforce].sort() },
  });
  const attempts = (await lab(okta, 'GET', `/_lab/universal-logout?traceId=${traceId}`)).json();
  expect(
    attempts
      .map((a: { appId: string; status: number; outcome: string }) => [a.appId, a.status, a.outcome])
      .sort(),
  ).toEqual(
    [
      [google, 204, 'SUCCESS'],
      [office, 204, 'SUCCESS'],
      [salesforce, 204, 'SUCCESS'],
    ].sort(),
  );
  expect(attempts.find((a: { appId: string }) => a.appId === office)).toMatchObject({
    partialSupport: true,
    subjectFormat: 'EMAIL',
    endpoint: `${APPS}/gtr/office?tenant=acme`,
    userId: user.id,
  });
  expect((await lab(okta, 'GET', '/_lab/entity-risk/idle')).statusCode).toBe(204);

  // No bearer token or Authorization header anywhere the lab or the System Log shows.
  for (const body of [
    (await api(okta, 'GET', '/api/v1/logs?limit=1000')).body,
    (await lab(okta, 'GET', '/_lab/universal-logout')).body,
    (await lab(okta, 'GET', '/_lab/entity-risk/evaluations')).body,
  ]) {
    expect(body).not.toMatch(JWT);
    expect(body.toLowerCase()).not.toContain('bearer');
  }
});

test('Universal Logout to specified apps: a failing app is recorded with its reason and does not stop the others; NONE signs out of Okta only', async () => {
  const s = await setup();
  const { okta } = s;
  const [user, other] = [s.users[4] as UserJson, s.users[5] as UserJson];
  const salesforce = await samlApp(okta, 'Salesforce');
  const google = await oidcApp(okta, 'Google Workspace', 'google-client', true);
  const broken = await samlApp(okta, 'Broken');
  const gone = await samlApp(okta, 'Gone');
  const slow = await samlApp(okta, 'Slow');
  const down = await samlApp(okta, 'Down');
  await configure(okta, salesforce, { endpoint: `${APPS}/gtr/salesforce` });
  await configure(okta, google, { endpoint: `${APPS}/gtr/google` });
  await configure(okta, broken, { endpoint: `${APPS}/gtr/broken` });
  await configure(okta, gone, { endpoint: `${APPS}/gtr/gone` });
  await configure(okta, slow, { endpoint: `${APPS}/gtr/slow`, timeoutMs: 50 });
  await configure(okta, down, { endpoint: 'https://down.lab/gtr' });
  const specified = [salesforce, broken, gone, slow, down];
  const ruleId = await createRule(s, {
    name: 'Specified apps',
    actions: {
      entityRisk: {
        actions: [
          {
            action: 'TERMINATE_ALL_SESSIONS',
            slo: { appSelectionMode: 'SPECIFIC', appInstanceIds: specified },
          },
        ],
      },
    },
  });
  await signIn(injectFetch(okta), okta.org.url, s.jamfTrust.clientId, user.profile.login, OKTA_LAB_PASSWORD);
  const { traceId } = await publish(okta, user.id);

  expect(received.map((r) => [r.name, r.error]).sort()).toEqual([
    ['broken', undefined],
    ['gone', undefined],
    ['salesforce', undefined],
  ]);
  const attempts = (await lab(okta, 'GET', `/_lab/universal-logout?traceId=${traceId}`)).json() as {
    appId: string;
    status: number | null;
    outcome: string;
    reason: string | null;
  }[];
  const outcome = (appId: string) => attempts.find((a) => a.appId === appId);
  expect(attempts).toHaveLength(5);
  expect(outcome(salesforce)).toMatchObject({ status: 204, outcome: 'SUCCESS', reason: null });
  expect(outcome(broken)).toMatchObject({
    status: 401,
    outcome: 'FAILURE',
    reason: 'the app did not accept the signed JWT (refused: answered 401)',
  });
  expect(outcome(gone)).toMatchObject({
    status: 404,
    outcome: 'FAILURE',
    reason: 'the app does not know the user (refused: answered 404)',
  });
  expect(outcome(slow)).toMatchObject({ status: null, outcome: 'FAILURE', reason: 'no answer within 50 ms' });
  expect(outcome(down)).toMatchObject({ status: null, outcome: 'FAILURE' });
  expect(outcome(down)?.reason).toMatch(/^network error: fetch failed: no route to https:\/\/down\.lab/);

  const events = await chain(okta, traceId);
  expect(events.map((e) => e.eventType)).toEqual([
    'policy.entity_risk.evaluate',
    'policy.entity_risk.action',
    'user.session.end',
    'user.authentication.universal_logout',
  ]);
  expect(events[1]?.target[3]?.detailEntry).toEqual({
    PolicyAction: 'TERMINATE_ALL_SESSIONS',
    PolicySingleLogOutEnabled: true,
    PolicySingleLogOutSelectionMode: 'SPECIFIED',
    PolicySingleLogoutAppInstanceIds: specified,
  });
  const logout = events[3];
  expect(logout?.debugContext.debugData.AppInstanceIds).toEqual([...specified].sort());
  expect(logout?.outcome.result).toBe('FAILURE');
  expect(logout?.outcome.reason).toMatch(/^4 of 5 apps failed: /);
  expect(s.resets).toEqual([[user.id, traceId]]);

  // NONE: Okta sessions only — no GTR call, no universal_logout event.
  const rule = (await api(okta, 'GET', `${s.rules}/${ruleId}`)).json();
  const none = await api(okta, 'PUT', `${s.rules}/${ruleId}`, {
    ...rule,
    actions: {
      entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS', slo: { appSelectionMode: 'NONE' } }] },
    },
  });
  expect(none.json().actions.entityRisk.actions).toEqual([
    { action: 'TERMINATE_ALL_SESSIONS', slo: { appSelectionMode: 'NONE' } },
  ]);
  received.length = 0;
  await signIn(injectFetch(okta), okta.org.url, s.jamfTrust.clientId, other.profile.login, OKTA_LAB_PASSWORD);
  const second = await publish(okta, other.id);
  expect(received).toEqual([]);
  expect(await sessionsOf(okta, other.id)).toBe(0);
  const secondChain = await chain(okta, second.traceId);
  expect(secondChain.map((e) => e.eventType)).toEqual([
    'policy.entity_risk.evaluate',
    'policy.entity_risk.action',
    'user.session.end',
  ]);
  expect(secondChain[1]?.target[3]?.detailEntry).toEqual({
    PolicyAction: 'TERMINATE_ALL_SESSIONS',
    PolicySingleLogOutEnabled: false,
    PolicySingleLogOutSelectionMode: 'NONE',
  });
  expect(s.resets.at(-1)).toEqual([other.id, second.traceId]);
});

test('evaluation: the first ACTIVE rule by priority whose people, detection and level conditions all hold; resets and unknown users are not evaluated', async () => {
  const s = await setup();
  const { okta } = s;
  // Two users of one department group, one user outside it.
  const groups = (await api(okta, 'GET', '/api/v1/groups')).json() as { id: string; type: string }[];
  let team: { id: string; members: string[] } | undefined;
  for (const g of groups.filter((g) => g.type === 'OKTA_GROUP')) {
    const members = (await api(okta, 'GET', `/api/v1/groups/${g.id}/users`)).json() as { id: string }[];
    if (members.length >= 2) {
      team = { id: g.id, members: members.map((m) => m.id) };
      break;
    }
  }
  if (!team) throw new Error('the fleet has no department with two people');
  const [uB, uC] = team.members as [string, string];
  const uA = s.users.find((u) => !team.members.includes(u.id))?.id as string;

  const r0 = await createRule(s, {
    name: 'A at HIGH, not from an admin',
    conditions: {
      people: { users: { include: [uA] } },
      riskDetectionTypes: { exclude: ['ADMIN_REPORTED_USER_RISK'] },
      entityRisk: { level: 'HIGH' },
    },
  });
  const r1 = await createRule(s, { name: 'Inactive: everything' }, false);
  const r2 = await createRule(s, {
    name: 'Team but B, admin only',
    conditions: {
      people: { groups: { include: [team.id] }, users: { exclude: [uB] } },
      riskDetectionTypes: { include: ['ADMIN_REPORTED_USER_RISK'] },
      entityRisk: { level: 'ANY' },
    },
  });
  const r3 = await createRule(s, {
    name: 'Anyone at MEDIUM',
    conditions: { entityRisk: { level: 'MEDIUM' } },
  });
  const catchAll = (await api(okta, 'GET', s.rules)).json().at(-1).id as string;
  const ADMIN = 'ADMIN_REPORTED_USER_RISK';
  const matched = async (userId: string, over: Partial<RiskChange>): Promise<string | undefined> => {
    const { traceId } = await publish(okta, userId, over);
    return (await lab(okta, 'GET', `/_lab/entity-risk/evaluations/${traceId}`)).json().rule?.id;
  };
  expect(await matched(uA, {})).toBe(r0);
  expect(await matched(uA, { detection: ADMIN })).toBe(catchAll);
  expect(await matched(uA, { current: 'MEDIUM' })).toBe(r3);
  expect(await matched(uC, { current: 'LOW', detection: ADMIN })).toBe(r2);
  expect(await matched(uB, { current: 'LOW', detection: ADMIN })).toBe(catchAll);
  expect(await matched(uC, { current: 'LOW' })).toBe(catchAll);
  expect(await matched(uC, { current: 'MEDIUM', detection: ADMIN })).toBe(r2);

  // Logging mode: evaluate and action (PolicyAction NULL), nothing else.
  const { traceId } = await publish(okta, uC, { current: 'LOW' });
  const logged = await chain(okta, traceId);
  expect(logged.map((e) => e.eventType)).toEqual([
    'policy.entity_risk.evaluate',
    'policy.entity_risk.action',
  ]);
  expect(logged[0]?.target[2]).toMatchObject({ id: catchAll, detailEntry: { RuleAction: 'NULL' } });
  expect(logged[1]?.target[3]?.detailEntry).toEqual({ PolicyAction: 'NULL' });
  expect(s.resets).toEqual([]);

  // Lifecycle changes the outcome: R0 off, R1 (priority 1, no conditions) on.
  await api(okta, 'POST', `${s.rules}/${r0}/lifecycle/deactivate`);
  expect(await matched(uA, {})).toBe(catchAll);
  await api(okta, 'POST', `${s.rules}/${r1}/lifecycle/activate`);
  expect(await matched(uC, { current: 'LOW', detection: ADMIN })).toBe(r1);
  expect(await matched(uA, { current: 'MEDIUM' })).toBe(r1);

  // A reset to NONE and an unknown user are recorded as skipped and never reach the System Log.
  const reset = await publish(okta, uA, { previous: 'HIGH', current: 'NONE' });
  const stranger = await publish(okta, '00unobody000000000000');
  for (const change of [reset, stranger]) {
    expect((await lab(okta, 'GET', `/_lab/entity-risk/evaluations/${change.traceId}`)).json().state).toBe(
      'SKIPPED',
    );
    expect(await chain(okta, change.traceId)).toEqual([]);
  }
  expect((await lab(okta, 'GET', '/_lab/entity-risk/evaluations/nope')).statusCode).toBe(404);
});

test('RUN_WORKFLOW posts the user and the risk to the delegated flow and logs the run; no session ends, no reset', async () => {
  const s = await setup();
  const { okta } = s;
  const [u1, u2, u3] = s.users as [UserJson, UserJson, UserJson];
  for (const [id, name] of [
    [41, 'ok'],
    [42, 'fail'],
  ] as const) {
    const r = await lab(okta, 'PUT', `/_lab/workflows/${id}`, {
      url: `${APPS}/flows/${name}`,
      name: `Flow ${name}`,
    });
    expect(r.statusCode).toBe(200);
  }
  const ruleFor = async (userId: string, workflowId: number) =>
    createRule(s, {
      name: `Flow ${workflowId}`,
      conditions: { people: { users: { include: [userId] } } },
      actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: { id: workflowId } }] } },
    });
  const r41 = await ruleFor(u1.id, 41);
  await ruleFor(u2.id, 42);
  await ruleFor(u3.id, 43);
  await signIn(injectFetch(okta), okta.org.url, s.jamfTrust.clientId, u1.profile.login, OKTA_LAB_PASSWORD);

  const ok = await publish(okta, u1.id, { current: 'MEDIUM' });
  expect(flowCalls).toEqual([
    {
      name: 'ok',
      body: {
        userContext: { oktaUserId: u1.id },
        context: {
          caller: {
            type: 'ENTITY_RISK_POLICY',
            policy: { id: s.policyId, name: 'Entity Risk Policy' },
            rule: { id: r41, name: 'Flow 41' },
            user: expect.objectContaining({ id: u1.id, login: u1.profile.login, email: u1.profile.email }),
            risk: {
              level: 'MEDIUM',
              previousLevel: 'LOW',
              detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
              reason: 'Device risk is high',
              provider: { id: 'sse1jamf', name: 'Jamf Security Cloud', issuer: 'https://jsc.lab/ssf' },
            },
            traceId: ok.traceId,
            detectedAt: new Date(ok.at).toISOString(),
          },
        },
      },
    },
  ]);
  const events = await chain(okta, ok.traceId);
  expect(events.map((e) => e.eventType)).toEqual([
    'policy.entity_risk.evaluate',
    'policy.entity_risk.action',
    'workflows.user.delegatedflow.run',
  ]);
  expect(events[0]?.target[2]?.detailEntry).toEqual({ RuleAction: 'RUN_WORKFLOW', WorkflowId: '41' });
  expect(events[1]?.target[3]?.detailEntry).toEqual({ PolicyAction: 'RUN_WORKFLOW', PolicyWorkflowId: '41' });
  expect(events[2]?.target).toMatchObject([{ id: '41', type: 'Flow', displayName: 'Flow ok' }]);
  expect(events[2]?.outcome.result).toBe('SUCCESS');
  expect(await sessionsOf(okta, u1.id)).toBe(1);

  const failed = await publish(okta, u2.id);
  const missing = await publish(okta, u3.id);
  const runOf = async (traceId: string) =>
    (await lab(okta, 'GET', `/_lab/entity-risk/evaluations/${traceId}`)).json().workflow;
  expect(await runOf(ok.traceId)).toMatchObject({
    workflowId: 41,
    status: 200,
    outcome: 'SUCCESS',
    reason: null,
  });
  expect(await runOf(failed.traceId)).toMatchObject({
    workflowId: 42,
    status: 500,
    outcome: 'FAILURE',
    reason: 'the delegated flow answered HTTP 500',
  });
  expect(await runOf(missing.traceId)).toMatchObject({
    workflowId: 43,
    status: null,
    outcome: 'FAILURE',
    reason: 'no delegated flow 43 is registered (PUT /_lab/workflows/43)',
  });
  const runEvent = (await chain(okta, failed.traceId)).at(-1);
  expect([runEvent?.eventType, runEvent?.outcome]).toEqual([
    'workflows.user.delegatedflow.run',
    { result: 'FAILURE', reason: 'the delegated flow answered HTTP 500' },
  ]);
  expect(s.resets).toEqual([]);
  expect((await lab(okta, 'GET', `/_lab/workflows/runs?traceId=${failed.traceId}`)).json()).toHaveLength(1);

  expect((await lab(okta, 'GET', '/_lab/workflows')).json().map((f: { id: number }) => f.id)).toEqual([
    41, 42,
  ]);
  expect((await lab(okta, 'PUT', '/_lab/workflows/abc', { url: `${APPS}/x` })).statusCode).toBe(400);
  expect((await lab(okta, 'PUT', '/_lab/workflows/44', { url: 'not a url' })).statusCode).toBe(400);
  expect((await lab(okta, 'DELETE', '/_lab/workflows/42')).statusCode).toBe(204);
  expect((await lab(okta, 'GET', '/_lab/workflows/42')).statusCode).toBe(404);
});

test('Universal Logout configuration at /_lab/apps/{appId}/universal-logout is validated, readable and removable; SAML apps get their own ids', async () => {
  const s = await setup();
  const { okta } = s;
  const saml = await samlApp(okta, 'Salesforce', '0oasalesforce0000000');
  expect(saml).toBe('0oasalesforce0000000');
  const generated = await samlApp(okta, 'Zoom');
  expect(generated).toMatch(/^0oa\w{17}$/);
  expect((await lab(okta, 'POST', '/_lab/saml-apps', { label: 'Again', id: saml })).statusCode).toBe(400);
  expect((await lab(okta, 'POST', '/_lab/saml-apps', { label: '' })).statusCode).toBe(400);
  expect((await lab(okta, 'GET', '/_lab/saml-apps')).json().map((a: { id: string }) => a.id)).toEqual([
    saml,
    generated,
  ]);

  const bad = await lab(okta, 'PUT', `/_lab/apps/${saml}/universal-logout`, {
    endpoint: 'ftp://apps.lab/gtr#x',
    subjectFormat: 'PHONE',
    partialSupport: 'yes',
    authenticationMethod: 'SHARED_SECRET',
  });
  expect([bad.statusCode, bad.json().errorCode]).toEqual([400, 'E0000001']);
  expect(bad.json().errorCauses.map((c: { errorSummary: string }) => c.errorSummary.split(':')[0])).toEqual([
    'endpoint',
    'subjectFormat',
    'partialSupport',
    'authenticationMethod',
  ]);
  const unknown = await lab(okta, 'PUT', '/_lab/apps/0oanone/universal-logout', {
    endpoint: `${APPS}/gtr/x`,
  });
  expect([unknown.statusCode, unknown.json().errorCode]).toEqual([404, 'E0000007']);
  expect((await lab(okta, 'GET', `/_lab/apps/${saml}/universal-logout`)).statusCode).toBe(404);

  await configure(okta, saml, { endpoint: `${APPS}/gtr/salesforce` });
  expect((await lab(okta, 'GET', `/_lab/apps/${saml}/universal-logout`)).json()).toEqual({
    appId: saml,
    label: 'Salesforce',
    signOnMode: 'SAML_2_0',
    status: 'ACTIVE',
    jwtSubject: saml,
    endpoint: `${APPS}/gtr/salesforce`,
    authenticationMethod: 'SIGNED_JWT',
    subjectFormat: 'EMAIL',
    partialSupport: false,
    timeoutMs: 10_000,
    configuredAt: expect.any(String),
  });
  // A SAML app can be named in a rule's SPECIFIC selection.
  await createRule(s, {
    name: 'Salesforce only',
    actions: {
      entityRisk: {
        actions: [
          { action: 'TERMINATE_ALL_SESSIONS', slo: { appSelectionMode: 'SPECIFIC', appInstanceIds: [saml] } },
        ],
      },
    },
  });
  expect((await lab(okta, 'DELETE', `/_lab/apps/${saml}/universal-logout`)).statusCode).toBe(204);
  expect((await lab(okta, 'DELETE', `/_lab/apps/${saml}/universal-logout`)).statusCode).toBe(404);
  expect((await lab(okta, 'GET', '/_lab/universal-logout/apps')).json()).toEqual([]);
});
