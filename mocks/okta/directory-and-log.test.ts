/**
 * What the org knows and records, through HTTP (inject): the Users, Groups and Sessions APIs — the fleet's
 * people as Okta users, cursor pages with absolute Link headers, the `q`/`search`/`filter` subsets, lookups by
 * id, login and short name, groups, clearing a user's sessions — and the System Log: the full LogEvent shape
 * with Okta's nulls, `GET /api/v1/logs` polling and bounded semantics, `filter`, `q`, `sortOrder`, `limit`,
 * `after`, bad input, the documented cap and retention, and the extension points part B uses (`org.log`,
 * `systemLog.define`, plugins with routes).
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import { generateFleet } from '../../harness/fleet/index.ts';
import { VirtualScheduler } from '../../harness/kernel/index.ts';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { buildOktaMock, OKTA_LAB_PASSWORD, type OktaMock, type OktaPlugin } from './index.ts';
import { api, createJamfTrustApp, injectFetch, signIn } from './okta.testing.ts';

let signingKey: SigningKey;
let okta: OktaMock;
beforeAll(async () => {
  signingKey = (await generateSigningKey('ES256', { kid: 'org-test' })).key;
});
afterEach(async () => {
  await okta.close();
});

interface UserJson {
  id: string;
  status: string;
  profile: Record<string, string | null>;
  _links: Record<string, { href: string }>;
}

function links(header: string | string[] | number | undefined): Record<string, string> {
  const values = Array.isArray(header) ? header : [String(header ?? '')];
  const out: Record<string, string> = {};
  for (const v of values.flatMap((h) => h.split(/,\s*(?=<)/))) {
    const m = /^<([^>]+)>;\s*rel="(\w+)"$/.exec(v.trim());
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}

test("the org's users are the fleet's users: same seed, same people and ids, ACTIVE, login = email", async () => {
  const fleet = generateFleet({ seed: 7, devices: 12 });
  okta = await buildOktaMock({ signingKey, fleet: { seed: 7, devices: 12 } });
  const users = (await api(okta, 'GET', '/api/v1/users')).json() as UserJson[];
  expect(users.map((u) => u.profile.email).sort()).toEqual(fleet.users.map((u) => u.email).sort());
  expect(users.every((u) => u.status === 'ACTIVE' && u.profile.login === u.profile.email)).toBe(true);
  expect(users.every((u) => /^00u[A-Za-z0-9]{17}$/.test(u.id))).toBe(true);
  const someone = fleet.users[3];
  const match = users.find((u) => u.profile.email === someone?.email);
  expect(match?.profile).toMatchObject({
    firstName: someone?.firstName,
    lastName: someone?.lastName,
    displayName: someone?.displayName,
    department: someone?.department,
    title: someone?.title,
    mobilePhone: someone?.phone,
    secondEmail: null,
  });
  const again = await buildOktaMock({ signingKey, fleet: { seed: 7, devices: 12 } });
  const ids = ((await api(again, 'GET', '/api/v1/users')).json() as UserJson[]).map((u) => u.id);
  await again.close();
  expect(ids).toEqual(users.map((u) => u.id));
  const other = await buildOktaMock({ signingKey, fleet: { seed: 8, devices: 12 } });
  const otherIds = ((await api(other, 'GET', '/api/v1/users')).json() as UserJson[]).map((u) => u.id);
  await other.close();
  expect(otherIds).not.toEqual(ids);
});

test('users come in pages of `limit` with absolute self and next links until the last page', async () => {
  okta = await buildOktaMock({ signingKey, orgUrl: 'https://acme.okta.lab', fleet: { devices: 10 } });
  const total = ((await api(okta, 'GET', '/api/v1/users')).json() as UserJson[]).length;
  expect(total).toBe(9);
  const seen: string[] = [];
  let url: string | undefined = '/api/v1/users?limit=4';
  let pages = 0;
  while (url) {
    const response = await api(okta, 'GET', url);
    const page = response.json() as UserJson[];
    const rel = links(response.headers.link);
    expect(rel.self).toBe(`https://acme.okta.lab${url}`);
    seen.push(...page.map((u) => u.id));
    pages += 1;
    if (rel.next) {
      expect(rel.next).toMatch(/^https:\/\/acme\.okta\.lab\/api\/v1\/users\?limit=4&after=00u\w{17}$/);
      url = rel.next.slice('https://acme.okta.lab'.length);
    } else {
      url = undefined;
    }
  }
  expect(pages).toBe(3);
  expect(seen).toHaveLength(total);
  expect(new Set(seen).size).toBe(total);
  expect([...seen].sort()).toEqual(seen);
});

test('list items carry only a self link; a single user carries the lifecycle links and an ETag', async () => {
  okta = await buildOktaMock({ signingKey });
  const [first] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as UserJson[];
  expect(Object.keys(first?._links ?? {})).toEqual(['self']);
  const single = await api(okta, 'GET', `/api/v1/users/${first?.id}`);
  expect(single.statusCode).toBe(200);
  expect(single.headers.etag).toMatch(/^W\/".+"$/);
  const body = single.json() as UserJson & { credentials: unknown; type: { id: string } };
  expect(Object.keys(body._links)).toEqual(
    expect.arrayContaining(['self', 'deactivate', 'suspend', 'resetPassword', 'changePassword']),
  );
  expect(body.credentials).toEqual({ password: {}, provider: { type: 'OKTA', name: 'OKTA' } });
  expect(body.type.id).toMatch(/^oty/);
});

test('a user is found by id, by login in any case, and by an unambiguous short name; else 404 E0000007', async () => {
  okta = await buildOktaMock({ signingKey });
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as UserJson[];
  const login = String(user?.profile.login);
  for (const key of [user?.id, login, login.toUpperCase(), login.split('@')[0]]) {
    const response = await api(okta, 'GET', `/api/v1/users/${encodeURIComponent(String(key))}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().id).toBe(user?.id);
  }
  const missing = await api(okta, 'GET', '/api/v1/users/nobody%40acme.example');
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({
    errorCode: 'E0000007',
    errorSummary: 'Not found: Resource not found: nobody@acme.example (User)',
  });
});

test('search supports eq, sw, co, gt and and/or; values ignore case; ne and unknown properties are E0000031', async () => {
  okta = await buildOktaMock({ signingKey });
  const all = (await api(okta, 'GET', '/api/v1/users')).json() as UserJson[];
  const target = all[2];
  const email = String(target?.profile.email);
  const search = async (expr: string) => api(okta, 'GET', `/api/v1/users?search=${encodeURIComponent(expr)}`);
  expect(
    ((await search(`profile.email eq "${email.toUpperCase()}"`)).json() as UserJson[]).map((u) => u.id),
  ).toEqual([target?.id]);
  const firstName = String(target?.profile.firstName);
  const sw = (
    await search(`profile.firstName sw "${firstName.slice(0, 2).toLowerCase()}"`)
  ).json() as UserJson[];
  expect(sw.length).toBeGreaterThan(0);
  expect(
    sw.every((u) =>
      String(u.profile.firstName).toLowerCase().startsWith(firstName.slice(0, 2).toLowerCase()),
    ),
  ).toBe(true);
  const department = String(target?.profile.department);
  const both = (
    await search(`status eq "ACTIVE" and (profile.department eq "${department}" or profile.login eq "x")`)
  ).json() as UserJson[];
  expect(both.map((u) => u.id).sort()).toEqual(
    all
      .filter((u) => u.profile.department === department)
      .map((u) => u.id)
      .sort(),
  );
  expect(((await search('created gt "2025-06-02T16:05:00.000Z"')).json() as UserJson[]).length).toBeLessThan(
    all.length,
  );
  expect((await search('profile.title co "a"')).statusCode).toBe(400);
  for (const bad of [
    'status ne "ACTIVE"',
    'credentials.password eq "x"',
    'profile.email eq',
    'status eq "ACTIVE" and',
  ]) {
    const response = await search(bad);
    expect(response.statusCode).toBe(400);
    expect(response.json().errorCode).toBe('E0000031');
  }
});

test('filter supports eq on its seven properties, case-sensitive values, and inequalities on lastUpdated only', async () => {
  okta = await buildOktaMock({ signingKey });
  const all = (await api(okta, 'GET', '/api/v1/users')).json() as UserJson[];
  const login = String(all[1]?.profile.login);
  const filter = async (expr: string) => api(okta, 'GET', `/api/v1/users?filter=${encodeURIComponent(expr)}`);
  expect(((await filter(`profile.login eq "${login}"`)).json() as UserJson[]).map((u) => u.id)).toEqual([
    all[1]?.id,
  ]);
  expect((await filter(`profile.login eq "${login.toUpperCase()}"`)).json()).toEqual([]);
  expect(((await filter('lastUpdated gt "2020-01-01T00:00:00.000Z"')).json() as UserJson[]).length).toBe(
    all.length,
  );
  expect((await filter('profile.department eq "Sales"')).json().errorCode).toBe('E0000031');
  expect((await filter('profile.email sw "a"')).json().errorCode).toBe('E0000031');
});

test('q matches the start of first name, last name or email, defaults to 10 results and is never paged', async () => {
  okta = await buildOktaMock({ signingKey, fleet: { devices: 30 } });
  const all = (await api(okta, 'GET', '/api/v1/users')).json() as UserJson[];
  const last = String(all[0]?.profile.lastName);
  const found = await api(
    okta,
    'GET',
    `/api/v1/users?q=${encodeURIComponent(last.slice(0, 3).toLowerCase())}`,
  );
  expect((found.json() as UserJson[]).map((u) => u.id)).toContain(all[0]?.id);
  const everyone = await api(okta, 'GET', '/api/v1/users?q=');
  expect((everyone.json() as UserJson[]).length).toBe(10);
  expect(links(everyone.headers.link).next).toBeUndefined();
});

test('groups are Everyone (BUILT_IN) and one OKTA_GROUP per department, with their members', async () => {
  const fleet = generateFleet({ seed: 3 });
  okta = await buildOktaMock({ signingKey, fleet: { seed: 3 } });
  const groups = (await api(okta, 'GET', '/api/v1/groups?expand=stats')).json() as {
    id: string;
    type: string;
    profile: { name: string };
    _embedded: { stats: { usersCount: number } };
  }[];
  const departments = [...new Set(fleet.users.map((u) => u.department))].sort();
  expect(groups.map((g) => g.profile.name).sort()).toEqual(['Everyone', ...departments].sort());
  const everyone = groups.find((g) => g.profile.name === 'Everyone');
  expect(everyone?.type).toBe('BUILT_IN');
  expect(everyone?._embedded.stats.usersCount).toBe(fleet.users.length);
  const dept = groups.find((g) => g.profile.name === departments[0]);
  expect(dept?.type).toBe('OKTA_GROUP');
  const members = (await api(okta, 'GET', `/api/v1/groups/${dept?.id}/users`)).json() as UserJson[];
  expect(members.map((u) => u.profile.email).sort()).toEqual(
    fleet.users
      .filter((u) => u.department === departments[0])
      .map((u) => u.email)
      .sort(),
  );
  const userGroups = (await api(okta, 'GET', `/api/v1/users/${members[0]?.id}/groups`)).json() as {
    id: string;
  }[];
  expect(userGroups.map((g) => g.id).sort()).toEqual([everyone?.id, dept?.id].sort());
  const byName = await api(okta, 'GET', `/api/v1/groups?search=${encodeURIComponent('type eq "BUILT_IN"')}`);
  expect((byName.json() as { id: string }[]).map((g) => g.id)).toEqual([everyone?.id]);
  expect((await api(okta, 'GET', '/api/v1/groups?q=ever')).json()).toHaveLength(1);
  expect((await api(okta, 'GET', '/api/v1/groups/00gnothing')).statusCode).toBe(404);
});

test("clearing a user's sessions ends them, logs user.session.clear and user.session.end in one transaction", async () => {
  okta = await buildOktaMock({ signingKey });
  const fetchImpl = injectFetch(okta);
  const app = await createJamfTrustApp(okta);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as UserJson[];
  const login = String(user?.profile.login);
  const first = await signIn(fetchImpl, okta.org.url, app.clientId, login, OKTA_LAB_PASSWORD);
  await signIn(fetchImpl, okta.org.url, app.clientId, login, OKTA_LAB_PASSWORD);
  const sessions = (await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json() as {
    id: string;
    userId: string;
  }[];
  const mine = sessions.filter((s) => s.userId === user?.id);
  expect(mine).toHaveLength(2);
  const one = await api(okta, 'GET', `/api/v1/sessions/${mine[0]?.id}`);
  expect(one.json()).toMatchObject({
    id: mine[0]?.id,
    userId: user?.id,
    login,
    status: 'ACTIVE',
    amr: ['pwd'],
  });

  const cleared = await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions?oauthTokens=true`);
  expect(cleared.statusCode).toBe(204);
  expect(cleared.body).toBe('');
  expect((await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json()).toEqual([]);
  expect((await api(okta, 'GET', `/api/v1/sessions/${mine[0]?.id}`)).statusCode).toBe(404);
  // oauthTokens=true also revoked the refresh token the app got.
  const refreshed = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: String(first.tokens.refresh_token),
      client_id: app.clientId,
    }).toString(),
  });
  expect(refreshed.json().error).toBe('invalid_grant');

  const log = (
    await api(
      okta,
      'GET',
      `/api/v1/logs?filter=${encodeURIComponent('eventType sw "user.session.c" or eventType eq "user.session.end"')}`,
    )
  ).json() as {
    eventType: string;
    actor: { alternateId: string };
    target: { id: string }[];
    transaction: { id: string };
    debugContext: { debugData: Record<string, unknown> };
  }[];
  expect(log.map((e) => e.eventType)).toEqual(['user.session.clear', 'user.session.end', 'user.session.end']);
  expect(new Set(log.map((e) => e.transaction.id)).size).toBe(1);
  expect(log[0]?.transaction.id).toBe(cleared.headers['x-okta-request-id']);
  expect(log.every((e) => e.target[0]?.id === user?.id)).toBe(true);
  expect(log[0]?.actor.alternateId).toBe('admin@acme.okta.lab');
  expect(
    log
      .slice(1)
      .map((e) => e.debugContext.debugData.EndedSessionId)
      .sort(),
  ).toEqual(mine.map((s) => s.id).sort());
});

test('clearing sessions without oauthTokens keeps refresh tokens; bad booleans and unknown users are refused', async () => {
  okta = await buildOktaMock({ signingKey });
  const fetchImpl = injectFetch(okta);
  const app = await createJamfTrustApp(okta);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as UserJson[];
  const { tokens } = await signIn(
    fetchImpl,
    okta.org.url,
    app.clientId,
    String(user?.profile.login),
    OKTA_LAB_PASSWORD,
  );
  expect((await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions?oauthTokens=yes`)).statusCode).toBe(
    400,
  );
  expect((await api(okta, 'DELETE', '/api/v1/users/00unobody/sessions')).statusCode).toBe(404);
  expect((await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions`)).statusCode).toBe(204);
  const refreshed = await okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      client_id: app.clientId,
    }).toString(),
  });
  expect(refreshed.statusCode).toBe(200);
});

test('DELETE /api/v1/sessions/{id} ends one session and logs user.session.end', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as UserJson[];
  await signIn(injectFetch(okta), okta.org.url, app.clientId, String(user?.profile.login), OKTA_LAB_PASSWORD);
  const [session] = (await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json() as {
    id: string;
  }[];
  expect((await api(okta, 'DELETE', `/api/v1/sessions/${session?.id}`)).statusCode).toBe(204);
  expect((await api(okta, 'DELETE', `/api/v1/sessions/${session?.id}`)).statusCode).toBe(404);
  const ended = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "user.session.end"')}`)
  ).json();
  expect(ended).toHaveLength(1);
  expect(ended[0].debugContext.debugData.EndedSessionId).toBe(session?.id);
});

const START = Date.UTC(2026, 2, 1, 8, 0, 0);

interface Event {
  uuid: string;
  published: string;
  eventType: string;
  target: { id: string }[];
  debugContext: { debugData: Record<string, unknown> };
  [key: string]: unknown;
}

function rels(header: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of (Array.isArray(header) ? header : [String(header)]).map(String)) {
    const m = /^<https:\/\/acme\.okta\.lab([^>]+)>; rel="(\w+)"$/.exec(v);
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}

test("a sign-in's events have every LogEvent field, with null where Okta has no value", async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json();
  await signIn(injectFetch(okta), okta.org.url, app.clientId, user.profile.login, OKTA_LAB_PASSWORD);
  const [event] = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "user.session.start"')}`)
  ).json();
  expect(Object.keys(event).sort()).toEqual(
    [
      'uuid',
      'published',
      'eventType',
      'version',
      'severity',
      'legacyEventType',
      'displayMessage',
      'actor',
      'client',
      'device',
      'authenticationContext',
      'outcome',
      'securityContext',
      'debugContext',
      'transaction',
      'request',
      'target',
    ].sort(),
  );
  expect(event).toMatchObject({
    uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    published: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    version: '0',
    severity: 'INFO',
    legacyEventType: 'core.user_auth.login_success',
    displayMessage: 'User login to Okta',
    actor: {
      id: user.id,
      type: 'User',
      alternateId: user.profile.login,
      displayName: user.profile.displayName,
      detailEntry: null,
    },
    client: {
      userAgent: { rawUserAgent: 'lightMyRequest', os: 'Unknown', browser: 'UNKNOWN' },
      zone: null,
      id: null,
      ipAddress: '127.0.0.1',
      geographicalContext: { city: null, state: null, country: null, postalCode: null, geolocation: null },
    },
    device: null,
    authenticationContext: {
      authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
      credentialProvider: null,
      credentialType: 'PASSWORD',
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: expect.stringMatching(/^102/),
    },
    outcome: { result: 'SUCCESS', reason: null },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    debugContext: { debugData: { requestUri: '/oauth2/v1/authorize', requestId: expect.any(String) } },
    transaction: { type: 'WEB', id: expect.any(String), detail: {} },
    request: { ipChain: [{ ip: '127.0.0.1', version: 'V4', source: null }] },
    target: [],
  });
  expect(event.transaction.id).toBe(event.debugContext.debugData.requestId);
});

test('a poll (no until) always links next, even when empty, and the next page holds only newer events', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({ signingKey, clock: scheduler });
  const empty = await api(okta, 'GET', '/api/v1/logs');
  expect(empty.json()).toEqual([]);
  const first = rels(empty.headers.link);
  expect(first.self).toBe('/api/v1/logs');
  expect(first.next).toMatch(/^\/api\/v1\/logs\?after=/);
  const again = await api(okta, 'GET', String(first.next));
  expect(again.json()).toEqual([]);
  expect(rels(again.headers.link).next).toBeDefined();
  okta.org.log({ eventType: 'user.session.clear' });
  await scheduler.advance(1000);
  okta.org.log({ eventType: 'user.session.end' });
  const page = await api(okta, 'GET', String(first.next));
  expect((page.json() as Event[]).map((e) => e.eventType)).toEqual([
    'user.session.clear',
    'user.session.end',
  ]);
  const next = rels(page.headers.link).next;
  expect((await api(okta, 'GET', String(next))).json()).toEqual([]);
  okta.org.log({ eventType: 'user.session.start' });
  expect(((await api(okta, 'GET', String(next))).json() as Event[]).map((e) => e.eventType)).toEqual([
    'user.session.start',
  ]);
  // A poll with a limit follows on exactly where the page ended.
  const limited = await api(
    okta,
    'GET',
    `/api/v1/logs?limit=1&since=${new Date(START - 1000).toISOString()}`,
  );
  expect((limited.json() as Event[]).map((e) => e.eventType)).toEqual(['user.session.clear']);
  const limitedNext = rels(limited.headers.link).next;
  expect(limitedNext).not.toContain('since=');
  expect(limitedNext).toContain('limit=1');
  expect(((await api(okta, 'GET', String(limitedNext))).json() as Event[]).map((e) => e.eventType)).toEqual([
    'user.session.end',
  ]);
});

test('a bounded query (since and until) orders by published and stops linking next on its last page', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({ signingKey, clock: scheduler });
  for (let i = 0; i < 5; i++) {
    okta.org.log({ eventType: 'user.session.start', debugData: { n: i } });
    await scheduler.advance(60_000);
  }
  // Logged late but published earlier: bounded queries order by published.
  okta.org.log({ eventType: 'user.session.end', published: START + 30_000, debugData: { n: 'late' } });
  const since = new Date(START).toISOString();
  const until = new Date(START + 4 * 60_000).toISOString();
  const seen: unknown[] = [];
  let url: string | undefined = `/api/v1/logs?since=${since}&until=${until}&limit=2`;
  let pages = 0;
  while (url) {
    const response = await api(okta, 'GET', url);
    seen.push(...(response.json() as Event[]).map((e) => e.debugContext.debugData.n));
    url = rels(response.headers.link).next;
    pages += 1;
  }
  expect(seen).toEqual([0, 'late', 1, 2, 3]);
  expect(pages).toBe(3);
  const descending = await api(
    okta,
    'GET',
    `/api/v1/logs?since=${since}&until=${until}&sortOrder=DESCENDING`,
  );
  expect((descending.json() as Event[]).map((e) => e.debugContext.debugData.n)).toEqual([3, 2, 1, 'late', 0]);
  expect(rels(descending.headers.link).next).toBeUndefined();
  // DESCENDING without until is bounded by now.
  const recent = await api(okta, 'GET', '/api/v1/logs?sortOrder=DESCENDING&limit=1');
  expect((recent.json() as Event[])[0]?.debugContext.debugData.n).toBe(4);
  expect(rels(recent.headers.link).next).toBeDefined();
});

test('filter selects on eventType, target.id, actor.id and debug data with and/or; published cannot be filtered', async () => {
  okta = await buildOktaMock({ signingKey });
  const user = { id: '00uA', type: 'User', alternateId: 'a@x', displayName: 'A', detailEntry: null };
  okta.org.log({ eventType: 'user.session.start', actor: user });
  okta.org.log({
    eventType: 'user.session.clear',
    target: [
      { ...user, id: '00uB' },
      { ...user, id: '00uC' },
    ],
  });
  okta.org.log({ eventType: 'user.session.end', debugData: { EndedSessionId: '102xyz' } });
  const ids = async (filter: string) =>
    ((await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent(filter)}`)).json() as Event[]).map(
      (e) => e.eventType,
    );
  expect(await ids('eventType eq "user.session.start"')).toEqual(['user.session.start']);
  expect(await ids('target.id eq "00uC"')).toEqual(['user.session.clear']);
  expect(await ids('actor.id eq "00uA" or debugContext.debugData.EndedSessionId eq "102xyz"')).toEqual([
    'user.session.start',
    'user.session.end',
  ]);
  expect(await ids('eventType sw "user.session" and not (eventType eq "user.session.end")')).toEqual([
    'user.session.start',
    'user.session.clear',
  ]);
  // Values ignore case; attribute names do not.
  expect(await ids('eventType eq "USER.SESSION.END"')).toEqual(['user.session.end']);
  for (const bad of [
    'published gt "2026-01-01T00:00:00Z"',
    'eventType eq',
    'EVENTTYPE eq "x"',
    '(eventType eq "a"',
  ]) {
    const response = await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent(bad)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errorCode).toBe('E0000031');
  }
});

test('q keeps events containing every keyword, ignoring case; more than 10 keywords or one over 40 characters is E0000001', async () => {
  okta = await buildOktaMock({ signingKey });
  okta.org.log({ eventType: 'user.session.start', debugData: { note: 'Jamf Trust sign-in' } });
  okta.org.log({ eventType: 'user.session.end', debugData: { note: 'jamf logout' } });
  const types = async (q: string) =>
    ((await api(okta, 'GET', `/api/v1/logs?q=${encodeURIComponent(q)}`)).json() as Event[]).map(
      (e) => e.eventType,
    );
  expect(await types('JAMF')).toEqual(['user.session.start', 'user.session.end']);
  expect(await types('jamf trust')).toEqual(['user.session.start']);
  expect(await types('logout okta')).toEqual(['user.session.end']);
  expect((await api(okta, 'GET', `/api/v1/logs?q=${'a '.repeat(11)}`)).json().errorCode).toBe('E0000001');
  expect((await api(okta, 'GET', `/api/v1/logs?q=${'x'.repeat(41)}`)).json().errorCode).toBe('E0000001');
});

test.each([
  ['since=yesterday', 'since'],
  ['until=2026-13-45T99:00:00Z', 'until'],
  ['sortOrder=ASC', 'sortOrder'],
  ['limit=-1', 'limit'],
  ['after=garbage', 'after'],
  ['after=1_2&since=2026-01-01T00:00:00Z', 'after'],
  ['since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'since'],
])('%s is 400 E0000001 naming %s', async (query, field) => {
  okta = await buildOktaMock({ signingKey });
  const response = await api(okta, 'GET', `/api/v1/logs?${query}`);
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({
    errorCode: 'E0000001',
    errorSummary: `Api validation failed: ${field}`,
  });
});

test('limit=0 returns no events but a next link; limit above 1000 is served as 1000', async () => {
  okta = await buildOktaMock({ signingKey, systemLogCap: 1500 });
  for (let i = 0; i < 1200; i++) okta.org.log({ eventType: 'user.session.end' });
  const none = await api(okta, 'GET', '/api/v1/logs?limit=0');
  expect(none.json()).toEqual([]);
  expect(rels(none.headers.link).next).toBeDefined();
  expect((await api(okta, 'GET', '/api/v1/logs?limit=5000')).json()).toHaveLength(1000);
  expect((await api(okta, 'GET', '/api/v1/logs')).json()).toHaveLength(100);
});

test('the store keeps at most systemLogCap events and nothing older than 90 days', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({ signingKey, clock: scheduler, systemLogCap: 3 });
  for (let i = 0; i < 5; i++) okta.org.log({ eventType: 'user.session.end', debugData: { n: i } });
  const kept = (await api(okta, 'GET', '/api/v1/logs')).json() as Event[];
  expect(kept.map((e) => e.debugContext.debugData.n)).toEqual([2, 3, 4]);
  await scheduler.advance(91 * 86_400_000);
  okta.org.log({ eventType: 'user.session.end', debugData: { n: 'new' } });
  const since = new Date(START - 1000).toISOString();
  const after = (await api(okta, 'GET', `/api/v1/logs?since=${since}`)).json() as Event[];
  expect(after.map((e) => e.debugContext.debugData.n)).toEqual(['new']);
  expect(okta.org.systemLog.totals()).toEqual({ appended: 6, dropped: 5, kept: 1 });
});

test('part B extends the org: a plugin defines an event type and adds a scoped route that logs it', async () => {
  const riskPlugin: OktaPlugin = ({ org, router }) => {
    org.systemLog.define('user.risk.detect', { displayMessage: 'User risk detected', severity: 'WARN' });
    router.route(
      {
        operationId: 'labRiskProbe',
        method: 'POST',
        path: '/api/v1/users/{userId}/risk-probe',
        scopes: ['okta.userRisk.manage'],
        spec: 'none',
      },
      async (request, reply, principal) => {
        const userId = (request.params as { userId: string }).userId;
        org.log({
          eventType: 'user.risk.detect',
          ...(principal ? { actor: principal.actor } : {}),
          target: [{ id: userId, type: 'User', alternateId: null, displayName: null, detailEntry: null }],
          debugData: { TraceId: 'trace-1' },
        });
        return reply.code(202).send();
      },
    );
  };
  okta = await buildOktaMock({ signingKey, plugins: [riskPlugin] });
  expect(okta.operations.map((o) => o.operationId)).toContain('labRiskProbe');
  expect((await api(okta, 'POST', '/api/v1/users/00u1/risk-probe')).statusCode).toBe(202);
  expect(
    (await api(okta, 'POST', '/api/v1/users/00u1/risk-probe', undefined, 'Bearer nope')).statusCode,
  ).toBe(401);
  const [event] = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "user.risk.detect"')}`)
  ).json();
  expect(event).toMatchObject({
    severity: 'WARN',
    displayMessage: 'User risk detected',
    legacyEventType: null,
    actor: { type: 'User', alternateId: 'admin@acme.okta.lab' },
    target: [{ id: '00u1' }],
    debugContext: { debugData: { TraceId: 'trace-1' } },
    transaction: { type: 'JOB' },
  });
  expect(() => okta.org.log({ eventType: 'never.defined' })).toThrow(/not defined/);
  const seen: string[] = [];
  const stop = okta.org.systemLog.subscribe((e) => seen.push(e.eventType));
  okta.org.log({ eventType: 'user.risk.detect' });
  stop();
  okta.org.log({ eventType: 'user.risk.detect' });
  expect(seen).toEqual(['user.risk.detect']);
});

// Issue 15: in-process, every System Log event of a run had the same `published` time under the virtual
// clock. Each event has its own now — a millisecond after the last when the clock has not moved — and the
// bounded query's default `until` (now) still includes them, in order.
test('each event has its own published time, a millisecond apart at one virtual instant, and the clock catches up', async () => {
  const scheduler = new VirtualScheduler(START);
  okta = await buildOktaMock({ signingKey, clock: scheduler });
  const first = okta.org.systemLog.totals().appended;
  for (let i = 0; i < 3; i++) okta.org.log({ eventType: 'user.session.end', debugData: { n: i } });
  const mine = (events: Event[]) => events.filter((e) => e.debugContext.debugData.n !== undefined);
  const stamps = (events: Event[]) => mine(events).map((e) => Date.parse(e.published));
  const polled = (await api(okta, 'GET', '/api/v1/logs?limit=1000')).json() as Event[];
  const times = stamps(polled);
  expect(times).toHaveLength(3);
  expect(new Set(times).size).toBe(3);
  expect(times[1]).toBe((times[0] ?? 0) + 1);
  expect(times[2]).toBe((times[1] ?? 0) + 1);
  expect(times[0]).toBeGreaterThanOrEqual(START);
  // A bounded query with the default `until` (DESCENDING) still sees all three, newest first.
  const bounded = (await api(okta, 'GET', '/api/v1/logs?sortOrder=DESCENDING&limit=1000')).json() as Event[];
  expect(mine(bounded).map((e) => e.debugContext.debugData.n)).toEqual([2, 1, 0]);
  // Once the clock has moved past the burst, an event is stamped at the clock again.
  await scheduler.advance(60_000);
  okta.org.log({ eventType: 'user.session.end', debugData: { n: 'later' } });
  const last = okta.org.systemLog.events().at(-1);
  expect(Date.parse(last?.published ?? '')).toBe(START + 60_000);
  expect(okta.org.systemLog.totals().appended).toBe(first + 4);
});
