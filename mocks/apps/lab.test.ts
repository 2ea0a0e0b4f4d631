/**
 * The lab controls and the public handle: sign-in validation, the views of sessions, state and the GTR
 * record — none of which ever holds a secret (ARCHITECTURE principle 8) — reset, and the options a
 * caller can get wrong.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isHarnessError } from '../../harness/kernel/index.ts';
import { type Lab, lab, OKTA_ISSUER } from './apps.testing.ts';
import { buildAppMock } from './index.ts';

let l: Lab;
let users: string[];

beforeAll(async () => {
  l = await lab({ kind: 'google-workspace', fleet: { seed: 7, devices: 5 } });
  users = await l.emails();
});
afterAll(() => l.close());

const get = async (url: string) => l.mock.app.inject({ method: 'GET', url });
const post = (url: string, payload?: unknown) =>
  l.mock.app.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

test('the app knows the fleet of its seed, by email', async () => {
  const same = await lab({ kind: 'office365', fleet: { seed: 7, devices: 5 } }, l.keys);
  try {
    expect(await same.emails()).toEqual(users);
    expect(users.length).toBeGreaterThan(0);
  } finally {
    await same.close();
  }
});

test('defaults per kind: origin, endpoint, client id, partial', async () => {
  expect(l.mock).toMatchObject({
    kind: 'google-workspace',
    origin: 'https://workspace.google.lab',
    gtrEndpoint: 'https://workspace.google.lab/oauth/global-token-revocation',
    oktaIssuer: OKTA_ISSUER,
    jwksUrl: `${OKTA_ISSUER}/oauth2/v1/keys`,
    subjectFormat: 'email',
    partial: false,
  });
  expect(l.mock.clientId).toMatch(/^0oa\w{17}$/);
  const state = (await get('/_lab/state')).json();
  expect(state).toMatchObject({ kind: 'google-workspace', users: { count: users.length, fleetSeed: 7 } });
});

test('sign-in: 201 with the secrets once; bad input is 400, an unknown user 404, a contradicting Okta id 409', async () => {
  const ok = await post('/_lab/sessions', { email: users[0], oktaUserId: '00u1lab0000000000001' });
  expect(ok.statusCode).toBe(201);
  expect(ok.headers['cache-control']).toBe('no-store');
  expect(ok.json()).toMatchObject({
    email: users[0],
    sessionCookie: expect.stringMatching(/^SID=sess_/),
    tokenType: 'Bearer',
  });
  expect((await post('/_lab/sessions', { email: 42 })).statusCode).toBe(400);
  expect((await post('/_lab/sessions', { email: users[0], role: 'admin' })).statusCode).toBe(400);
  expect((await post('/_lab/sessions', { email: users[0], oktaUserId: '' })).statusCode).toBe(400);
  expect((await post('/_lab/sessions', [])).statusCode).toBe(400);
  const unknown = await post('/_lab/sessions', { email: 'stranger@nowhere.example' });
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().error_description).toContain('fleet seed 7');
  expect(
    (await post('/_lab/sessions', { email: users[0], oktaUserId: '00u1lab0000000000002' })).statusCode,
  ).toBe(409);
  expect(
    (await post('/_lab/sessions', { email: users[1], oktaUserId: '00u1lab0000000000001' })).statusCode,
  ).toBe(409);
});

test('no secret ever appears in a lab view or the GTR record', async () => {
  await post('/_lab/reset');
  const s = await l.signIn(users[0] ?? '', '00u1lab0000000000001');
  const refreshed = (await l.refresh(s.refreshToken)).json() as { access_token: string };
  const token = await l.token();
  expect((await l.gtr({ sub_id: { format: 'email', email: users[0] } }, { token })).statusCode).toBe(204);
  await l.gtr({ sub_id: { format: 'email', email: users[0] } }, { token }); // replay, 401
  await l.gtr('nonsense', { authorization: `Bearer ${token}x` });
  const cookieValue = s.sessionCookie.split('=')[1] ?? '';
  const secrets = [
    cookieValue,
    s.accessToken,
    s.refreshToken,
    refreshed.access_token,
    token,
    token.split('.')[2] ?? '',
  ];
  const views = await Promise.all(
    [
      '/_lab/state',
      '/_lab/sessions',
      `/_lab/sessions?email=${users[0]}`,
      '/_lab/gtr-requests',
      '/_lab/users',
    ].map(get),
  );
  for (const view of views) {
    expect(view.statusCode).toBe(200);
    for (const secret of secrets) expect(view.body).not.toContain(secret);
  }
  expect(JSON.stringify([l.mock.sessions(), l.mock.gtrRequests(), l.mock.state()])).not.toContain(
    s.accessToken,
  );
  const record = (await get('/_lab/gtr-requests')).json() as {
    total: number;
    requests: Record<string, unknown>[];
  };
  expect(record.total).toBe(3);
  expect(record.requests[0]).toMatchObject({ seq: 1, status: 204, jti: expect.any(String), alg: 'RS256' });
  expect(record.requests[1]).toMatchObject({ seq: 2, status: 401, outcome: 'unauthenticated' });
  expect(record.requests[0]).not.toHaveProperty('authorization');
  // `since` gives only what came after a record the caller has seen.
  const later = (await get('/_lab/gtr-requests?since=2')).json() as { requests: { seq: number }[] };
  expect(later.requests.map((r) => r.seq)).toEqual([3]);
  expect((await get('/_lab/gtr-requests?since=abc')).statusCode).toBe(400);
});

test('a session view: states and times of the cookie, access tokens and refresh token', async () => {
  await post('/_lab/reset');
  await l.signIn(users[1] ?? '');
  const view = (await get(`/_lab/sessions?email=${users[1]}`)).json();
  expect(view.sessions).toHaveLength(1);
  expect(view.sessions[0]).toMatchObject({
    email: users[1],
    state: 'active',
    createdAt: '2026-01-05T10:00:00.000Z',
    expiresAt: '2026-01-05T18:00:00.000Z',
    accessTokens: [{ state: 'active', expiresAt: '2026-01-05T11:00:00.000Z' }],
    refreshToken: { state: 'active' },
  });
  expect((await get('/_lab/sessions?email=nobody@x.example')).statusCode).toBe(404);
  expect((await get(`/_lab/sessions?email=a&email=b`)).statusCode).toBe(400);
});

test('reset forgets sessions, Okta ids, the record and the behaviour', async () => {
  await l.signIn(users[0] ?? '', '00u1lab0000000000001');
  await l.mock.app.inject({ method: 'PUT', url: '/_lab/behaviour', payload: { failWith: 422 } });
  await l.gtr({ sub_id: { format: 'email', email: users[0] } });
  expect((await post('/_lab/reset')).statusCode).toBe(204);
  const state = (await get('/_lab/state')).json();
  expect(state.gtr).toEqual({ total: 0, kept: 0, byStatus: {} });
  expect(state.behaviour).toEqual({ failWith: null, emails: null });
  expect(state.credentials.sessions).toEqual({ active: 0, expired: 0, revoked: 0 });
  // The Okta id is forgotten, so another one may be bound now.
  expect(
    (await post('/_lab/sessions', { email: users[0], oktaUserId: '00u1lab0000000000009' })).statusCode,
  ).toBe(201);
});

test('behaviour input is validated', async () => {
  const put = (payload: unknown) =>
    l.mock.app.inject({ method: 'PUT', url: '/_lab/behaviour', payload: payload as object });
  for (const bad of [
    { failWith: 418 },
    { failWith: '422' },
    { failWith: 422, emails: 'a@b' },
    { emails: [1] },
    { fail: 422 },
    [],
  ])
    expect((await put(bad)).statusCode, JSON.stringify(bad)).toBe(400);
  expect((await put({ failWith: null })).json()).toEqual({ failWith: null, emails: null });
});

test('options a caller can get wrong are harness errors', async () => {
  const bad = [
    { kind: 'slack' },
    { kind: 'salesforce', origin: 'not a url' },
    { kind: 'salesforce', origin: 'https://x.lab/path' },
    { kind: 'salesforce', oktaIssuer: 'https://acme.okta.lab?x' },
    { kind: 'salesforce', gtrPath: 'no-slash' },
    { kind: 'salesforce', gtrPath: '/_lab/gtr' },
    { kind: 'salesforce', subjectFormat: 'opaque' },
    { kind: 'salesforce', clockSkewSeconds: -1 },
    { kind: 'salesforce', lifetimes: { accessTokenSeconds: 0 } },
  ];
  for (const options of bad) {
    const error = await buildAppMock(options as never).catch((e: unknown) => e);
    expect(isHarnessError(error), JSON.stringify(options)).toBe(true);
  }
});

test('origin and gtrPath options shape the endpoint URL the JWT aud must carry', async () => {
  const custom = await lab(
    { kind: 'salesforce', origin: 'http://127.0.0.1:8443/', gtrPath: '/services/ul' },
    l.keys,
  );
  try {
    expect(custom.mock.gtrEndpoint).toBe('http://127.0.0.1:8443/services/ul');
    const [email] = await custom.emails();
    expect((await custom.gtr({ sub_id: { format: 'email', email } })).statusCode).toBe(204);
  } finally {
    await custom.close();
  }
});
