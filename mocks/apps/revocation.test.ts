/**
 * What Universal Logout does to a user's credentials, seen only through the app's HTTP API: a full app
 * (Salesforce, Google Workspace) revokes sessions, access tokens and refresh tokens; a partial app
 * (Office 365, per Okta's "Universal Logout" help page) revokes refresh tokens only, and the session and
 * access tokens keep working until they expire or the user signs out. Also: lab-forced failures.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FakeOktaKeys, fakeOktaKeys, type Lab, lab } from './apps.testing.ts';

let keys: FakeOktaKeys;
const labs: Lab[] = [];

beforeAll(async () => {
  keys = await fakeOktaKeys('ES256');
});
afterAll(async () => {
  for (const l of labs) await l.close();
});

async function open(options: Parameters<typeof lab>[0]): Promise<{ l: Lab; a: string; b: string }> {
  const l = await lab(options, keys);
  labs.push(l);
  const [a = '', b = ''] = await l.emails();
  return { l, a, b };
}

const sessionsOf = async (l: Lab, email: string) =>
  (
    await l.mock.app.inject({ method: 'GET', url: `/_lab/sessions?email=${encodeURIComponent(email)}` })
  ).json() as {
    sessions: {
      state: string;
      revokedBy?: string;
      accessTokens: { state: string }[];
      refreshToken: { state: string };
    }[];
  };

test.each(['salesforce', 'google-workspace'] as const)(
  '%s: full logout revokes sessions, access and refresh tokens',
  async (kind) => {
    const { l, a, b } = await open({ kind });
    const s1 = await l.signIn(a);
    const s2 = await l.signIn(a);
    const other = await l.signIn(b);
    const refreshed = (await l.refresh(s1.refreshToken)).json() as { access_token: string };
    expect((await l.me({ cookie: s1.sessionCookie })).json()).toMatchObject({
      email: a,
      via: 'session-cookie',
    });
    expect((await l.me({ accessToken: refreshed.access_token })).json()).toMatchObject({
      email: a,
      via: 'access-token',
    });

    const r = await l.gtr({ sub_id: { format: 'email', email: a } });
    expect(r.statusCode).toBe(204);

    for (const s of [s1, s2]) {
      const byCookie = await l.me({ cookie: s.sessionCookie });
      expect(byCookie.statusCode).toBe(401);
      expect(byCookie.json().error_description).toContain('revoked by Universal Logout');
      expect((await l.me({ accessToken: s.accessToken })).statusCode).toBe(401);
      const refresh = await l.refresh(s.refreshToken);
      expect(refresh.statusCode).toBe(400);
      expect(refresh.json()).toMatchObject({ error: 'invalid_grant' });
    }
    expect((await l.me({ accessToken: refreshed.access_token })).statusCode).toBe(401);
    // Someone else's sign-in is untouched.
    expect((await l.me({ cookie: other.sessionCookie })).statusCode).toBe(200);
    expect((await l.refresh(other.refreshToken)).statusCode).toBe(200);

    const view = await sessionsOf(l, a);
    expect(view.sessions.map((s) => [s.state, s.revokedBy, s.refreshToken.state])).toEqual([
      ['revoked', 'universal-logout', 'revoked'],
      ['revoked', 'universal-logout', 'revoked'],
    ]);
    expect(l.mock.gtrRequests().at(-1)).toMatchObject({
      status: 204,
      outcome: 'logged-out',
      user: a,
      revoked: { sessions: 2, accessTokens: 3, refreshTokens: 2 },
    });

    // Re-authentication is the way back (draft §3.3): a new SSO sign-in works.
    const again = await l.signIn(a);
    expect((await l.me({ cookie: again.sessionCookie })).statusCode).toBe(200);
  },
);

test('office365: partial logout revokes refresh tokens only; the session runs until it expires', async () => {
  const { l, a } = await open({ kind: 'office365' });
  expect(l.mock.partial).toBe(true);
  const s = await l.signIn(a);
  expect((await l.gtr({ sub_id: { format: 'email', email: a } })).statusCode).toBe(204);
  expect(l.mock.gtrRequests().at(-1)).toMatchObject({
    outcome: 'refresh-tokens-revoked',
    revoked: { sessions: 0, accessTokens: 0, refreshTokens: 1 },
  });

  // No new access: the refresh grant fails at once.
  const refresh = await l.refresh(s.refreshToken);
  expect(refresh.statusCode).toBe(400);
  expect(refresh.json().error_description).toContain('revoked by Universal Logout');
  // Existing access keeps working…
  expect((await l.me({ cookie: s.sessionCookie })).statusCode).toBe(200);
  expect((await l.me({ accessToken: s.accessToken })).statusCode).toBe(200);
  // …until the access token expires (1 h)…
  l.clock.advance(3600_000);
  const expired = await l.me({ accessToken: s.accessToken });
  expect(expired.statusCode).toBe(401);
  expect(expired.json().error_description).toContain('expired');
  expect((await l.me({ cookie: s.sessionCookie })).statusCode).toBe(200);
  // …and the session until it expires (8 h).
  l.clock.advance(7 * 3600_000);
  expect((await l.me({ cookie: s.sessionCookie })).statusCode).toBe(401);
  expect((await sessionsOf(l, a)).sessions[0]).toMatchObject({
    state: 'expired',
    refreshToken: { state: 'revoked' },
  });
});

test('office365: the user signing out ends the surviving session', async () => {
  const { l, a } = await open({ kind: 'office365' });
  const s = await l.signIn(a);
  await l.gtr({ sub_id: { format: 'email', email: a } });
  const out = await l.mock.app.inject({
    method: 'POST',
    url: '/logout',
    headers: { cookie: s.sessionCookie },
  });
  expect(out.statusCode).toBe(204);
  expect(out.headers['set-cookie']).toContain('Max-Age=0');
  const me = await l.me({ cookie: s.sessionCookie });
  expect(me.statusCode).toBe(401);
  expect(me.json().error_description).toContain('signed out');
  expect((await l.me({ accessToken: s.accessToken })).statusCode).toBe(401);
});

test('partial is an option: a full office365 and a partial salesforce', async () => {
  const full = await open({ kind: 'office365', partial: false });
  const s = await full.l.signIn(full.a);
  await full.l.gtr({ sub_id: { format: 'email', email: full.a } });
  expect((await full.l.me({ cookie: s.sessionCookie })).statusCode).toBe(401);

  const partial = await open({ kind: 'salesforce', partial: true });
  const p = await partial.l.signIn(partial.a);
  await partial.l.gtr({ sub_id: { format: 'email', email: partial.a } });
  expect((await partial.l.me({ cookie: p.sessionCookie })).statusCode).toBe(200);
  expect((await partial.l.refresh(p.refreshToken)).statusCode).toBe(400);
});

test('lab behaviour: 422 for listed users only, then for everyone, then back to normal', async () => {
  const { l, a, b } = await open({ kind: 'salesforce' });
  const sa = await l.signIn(a);
  const sb = await l.signIn(b);
  const put = (body: unknown) =>
    l.mock.app.inject({ method: 'PUT', url: '/_lab/behaviour', payload: body as object });

  expect((await put({ failWith: 422, emails: [a.toUpperCase()] })).statusCode).toBe(200);
  const refused = await l.gtr({ sub_id: { format: 'email', email: a } });
  expect(refused.statusCode).toBe(422);
  expect(refused.json()).toMatchObject({ error: 'unable_to_log_out' });
  expect((await l.me({ cookie: sa.sessionCookie })).statusCode).toBe(200); // nothing was revoked
  expect((await l.gtr({ sub_id: { format: 'email', email: b } })).statusCode).toBe(204);
  expect((await l.me({ cookie: sb.sessionCookie })).statusCode).toBe(401);

  await put({ failWith: 503 });
  const down = await l.gtr({ sub_id: { format: 'email', email: b } });
  expect(down.statusCode).toBe(503);
  expect(l.mock.gtrRequests().at(-1)).toMatchObject({ status: 503, outcome: 'forced-failure' });
  // An unknown user is still 404: the failure is where the app tries to log someone out.
  expect((await l.gtr({ sub_id: { format: 'email', email: 'ghost@acme.example' } })).statusCode).toBe(404);

  await put({ failWith: null });
  expect((await l.gtr({ sub_id: { format: 'email', email: a } })).statusCode).toBe(204);
  expect((await l.me({ cookie: sa.sessionCookie })).statusCode).toBe(401);
  expect((await l.mock.app.inject({ method: 'GET', url: '/_lab/behaviour' })).json()).toEqual({
    failWith: null,
    emails: null,
  });
});
