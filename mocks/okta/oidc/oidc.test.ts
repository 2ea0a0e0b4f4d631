/**
 * The Apps API and the sign-in its native app runs, through HTTP: the exact steps of mock Jamf Security
 * Cloud's identity.ts `signIn` with plain fetch over loopback (discovery, authn, authorize with the session
 * token and PKCE, token, ID token verified against /oauth2/v1/keys); then through inject the rules of each step
 * — assignments, redirect URIs, PKCE, scopes, codes, refresh tokens, the session cookie — what the System Log
 * records, and the Apps API itself: Okta's defaults and validation, replace, lifecycle, user and group
 * assignments, and the groups claim the Admin Console keeps at an internal path.
 */
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../../harness/kernel/index.ts';
import { generateSigningKey, type SigningKey } from '../../../harness/protocol/index.ts';
import { buildOktaMock, OKTA_LAB_PASSWORD, type OktaMock } from '../index.ts';
import {
  api,
  createJamfTrustApp,
  injectFetch,
  JAMF_TRUST_REDIRECT_URI,
  listenOnLoopback,
  pkce,
  signIn,
  tokenRequest,
} from '../okta.testing.ts';

let signingKey: SigningKey;
let okta: OktaMock;
beforeAll(async () => {
  signingKey = (await generateSigningKey('RS256', { kid: 'org-test' })).key;
});
afterEach(async () => {
  await okta.close();
});

interface UserJson {
  id: string;
  profile: { login: string; email: string; displayName: string; department: string };
}

async function firstUsers(n: number): Promise<UserJson[]> {
  return ((await api(okta, 'GET', `/api/v1/users?limit=${n}`)).json() as UserJson[]).slice(0, n);
}

test("mock Jamf Security Cloud's sign-in works over loopback with plain fetch, ending in a verified ID token", async () => {
  okta = await listenOnLoopback({ signingKey });
  const org = okta.org.url;
  const app = await createJamfTrustApp(okta, { groupsRegex: '.*' });
  const [user] = await firstUsers(1);

  // "Test and Save": discovery, issuer = the org itself.
  const discovery = (await (await fetch(`${org}/.well-known/openid-configuration`)).json()) as Record<
    string,
    string
  >;
  expect(discovery.issuer).toBe(org);

  const authn = await fetch(`${org}/api/v1/authn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username: user?.profile.login, password: OKTA_LAB_PASSWORD }),
  });
  const authnBody = (await authn.json()) as {
    status: string;
    sessionToken: string;
    expiresAt: string;
    _embedded: { user: { id: string } };
  };
  expect(authn.status).toBe(200);
  expect(authnBody.status).toBe('SUCCESS');
  expect(authnBody._embedded.user.id).toBe(user?.id);

  const { verifier, challenge } = pkce();
  const authorize = new URL(String(discovery.authorization_endpoint));
  for (const [k, v] of Object.entries({
    client_id: app.clientId,
    response_type: 'code',
    scope: 'openid profile email groups offline_access',
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    sessionToken: authnBody.sessionToken,
  }))
    authorize.searchParams.set(k, v);
  const redirected = await fetch(authorize.href, { redirect: 'manual' });
  expect(redirected.status).toBe(302);
  const back = new URL(redirected.headers.get('location') ?? '');
  expect(`${back.protocol}${back.pathname}`).toBe(JAMF_TRUST_REDIRECT_URI);
  expect(back.searchParams.get('state')).toBe('state-123');
  const code = String(back.searchParams.get('code'));

  const token = await fetch(String(discovery.token_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      client_id: app.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const tokens = (await token.json()) as Record<string, string>;
  expect(token.status).toBe(200);
  expect(tokens).toMatchObject({
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'openid profile email groups offline_access',
  });
  expect(typeof tokens.refresh_token).toBe('string');

  const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as JSONWebKeySet;
  const { payload, protectedHeader } = await jwtVerify(String(tokens.id_token), createLocalJWKSet(jwks), {
    issuer: org,
    audience: app.clientId,
  });
  expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'org-test' });
  expect(payload).toMatchObject({
    sub: user?.id,
    email: user?.profile.email,
    name: user?.profile.displayName,
    preferred_username: user?.profile.login,
    nonce: 'nonce-456',
    amr: ['pwd'],
    ver: 1,
  });
  expect(payload.groups).toEqual(expect.arrayContaining(['Everyone', String(user?.profile.department)]));
  expect(typeof payload.at_hash).toBe('string');
});

test('a sign-in starts an Okta session and logs user.session.start then user.authentication.sso for the app', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const [user] = await firstUsers(1);
  await signIn(injectFetch(okta), okta.org.url, app.clientId, String(user?.profile.login), OKTA_LAB_PASSWORD);
  const sessions = (await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json();
  expect(sessions).toEqual([expect.objectContaining({ userId: user?.id, login: user?.profile.login })]);
  const events = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent(`actor.id eq "${user?.id}"`)}`)
  ).json() as {
    eventType: string;
    outcome: { result: string };
    target: { id: string; type: string }[];
    authenticationContext: { externalSessionId: string };
  }[];
  expect(events.map((e) => e.eventType)).toEqual(['user.session.start', 'user.authentication.sso']);
  expect(events.every((e) => e.outcome.result === 'SUCCESS')).toBe(true);
  expect(events[1]?.target).toEqual([expect.objectContaining({ id: app.id, type: 'AppInstance' })]);
  expect(events[0]?.authenticationContext.externalSessionId).toBe(sessions[0].id);
  const fresh = (await api(okta, 'GET', `/api/v1/users/${user?.id}`)).json();
  expect(fresh.lastLogin).not.toBeNull();
});

test('a wrong password or an unknown user is 401 E0000004 and a failed user.session.start', async () => {
  okta = await buildOktaMock({ signingKey });
  const [user] = await firstUsers(1);
  for (const [username, password] of [
    [user?.profile.login, 'not-the-password'],
    ['nobody@acme.example', OKTA_LAB_PASSWORD],
  ]) {
    const response = await okta.app.inject({
      method: 'POST',
      url: '/api/v1/authn',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username, password }),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ errorCode: 'E0000004', errorSummary: 'Authentication failed' });
  }
  const missing = await okta.app.inject({
    method: 'POST',
    url: '/api/v1/authn',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username: 'x' }),
  });
  expect(missing.json().errorCode).toBe('E0000001');
  const failures = (
    await api(okta, 'GET', `/api/v1/logs?filter=${encodeURIComponent('outcome.result eq "FAILURE"')}`)
  ).json();
  expect(failures.map((e: { outcome: { reason: string } }) => e.outcome.reason)).toEqual([
    'INVALID_CREDENTIALS',
    'VERIFICATION_ERROR',
  ]);
});

async function authorize(params: Record<string, string>, cookie?: string) {
  const url = new URL('https://acme.okta.lab/oauth2/v1/authorize');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return okta.app.inject({
    method: 'GET',
    url: `${url.pathname}${url.search}`,
    headers: cookie ? { cookie } : {},
  });
}

async function sessionToken(login: string): Promise<string> {
  const r = await okta.app.inject({
    method: 'POST',
    url: '/api/v1/authn',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username: login, password: OKTA_LAB_PASSWORD }),
  });
  return r.json().sessionToken;
}

test('a user not assigned to the app is sent back with access_denied; assignment through a group works', async () => {
  okta = await buildOktaMock({ signingKey });
  const [assigned, other] = await firstUsers(2);
  const app = await createJamfTrustApp(okta, { assign: [String(assigned?.id)] });
  const base = {
    client_id: app.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
    state: 's1',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  };
  const refused = await authorize({
    ...base,
    sessionToken: await sessionToken(String(other?.profile.login)),
  });
  expect(refused.statusCode).toBe(302);
  const back = new URL(String(refused.headers.location));
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('error_description')).toBe('User is not assigned to the client application.');
  expect(back.searchParams.get('state')).toBe('s1');
  expect(back.searchParams.get('code')).toBeNull();
  const group = (await api(okta, 'GET', `/api/v1/users/${other?.id}/groups`))
    .json()
    .find((g: { type: string }) => g.type === 'OKTA_GROUP');
  expect(
    (await api(okta, 'PUT', `/api/v1/apps/${app.id}/groups/${group.id}`, { priority: 1 })).statusCode,
  ).toBe(200);
  const allowed = await authorize({
    ...base,
    sessionToken: await sessionToken(String(other?.profile.login)),
  });
  expect(new URL(String(allowed.headers.location)).searchParams.get('code')).toEqual(expect.any(String));
});

test('an unknown client or an unregistered redirect URI is a 400 page, never a redirect', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const base = {
    response_type: 'code',
    scope: 'openid',
    state: 's',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  };
  for (const params of [
    { ...base, client_id: '0oaunknown', redirect_uri: JAMF_TRUST_REDIRECT_URI },
    { ...base, client_id: app.clientId, redirect_uri: 'com.jamf.trust:/oauth2/callback/evil' },
    { ...base, client_id: app.clientId },
  ]) {
    const response = await authorize(params);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers.location).toBeUndefined();
  }
});

test.each([
  ['no PKCE challenge', { code_challenge: '', code_challenge_method: '' }, 'invalid_request'],
  ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
  ['no openid scope', { scope: 'profile' }, 'invalid_scope'],
  ['an unknown scope', { scope: 'openid okta.users.read' }, 'invalid_scope'],
  ['an implicit response type', { response_type: 'token' }, 'unsupported_response_type'],
  ['no session token', { sessionToken: '' }, 'login_required'],
  ['a used session token', { sessionToken: 'reuse' }, 'login_required'],
])(
  'an authorization request with %s is redirected with error=%s',
  async (_name, change: Record<string, string>, error) => {
    okta = await buildOktaMock({ signingKey });
    const app = await createJamfTrustApp(okta);
    const [user] = await firstUsers(1);
    const token = await sessionToken(String(user?.profile.login));
    const params: Record<string, string> = {
      client_id: app.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      state: 'xyz',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      sessionToken: token,
    };
    if (change.sessionToken === 'reuse') await authorize(params);
    for (const [k, v] of Object.entries(change)) {
      if (k === 'sessionToken' && v === 'reuse') continue;
      if (v === '') delete params[k];
      else params[k] = v;
    }
    const response = await authorize(params);
    expect(response.statusCode).toBe(302);
    const back = new URL(String(response.headers.location));
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('state')).toBe('xyz');
  },
);

async function codeFor(
  app: { clientId: string },
  login: string,
  challenge: string,
  scope = 'openid offline_access',
) {
  const response = await authorize({
    client_id: app.clientId,
    response_type: 'code',
    scope,
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    sessionToken: await sessionToken(login),
  });
  return {
    code: String(new URL(String(response.headers.location)).searchParams.get('code')),
    cookie: String(response.headers['set-cookie']),
  };
}

test('the code is exchanged once, with its exact redirect URI and PKCE verifier, and expires after 60 s', async () => {
  const scheduler = new VirtualScheduler();
  okta = await buildOktaMock({ signingKey, clock: scheduler });
  const app = await createJamfTrustApp(okta);
  const [user] = await firstUsers(1);
  const login = String(user?.profile.login);
  const { verifier, challenge } = pkce();
  const exchange = (code: string, overrides: Record<string, string> = {}) =>
    tokenRequest(okta, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      client_id: app.clientId,
      code_verifier: verifier,
      ...overrides,
    });
  const wrongVerifier = await exchange((await codeFor(app, login, challenge)).code, {
    code_verifier: pkce().verifier,
  });
  expect(wrongVerifier.json()).toEqual({
    error: 'invalid_grant',
    error_description: 'PKCE verification failed.',
  });
  const wrongRedirect = await exchange((await codeFor(app, login, challenge)).code, {
    redirect_uri: 'com.jamf.trust:/other',
  });
  expect(wrongRedirect.json().error).toBe('invalid_grant');
  const { code } = await codeFor(app, login, challenge);
  expect((await exchange(code)).statusCode).toBe(200);
  expect((await exchange(code)).json().error).toBe('invalid_grant');
  const late = (await codeFor(app, login, challenge)).code;
  await scheduler.advance(61_000);
  expect((await exchange(late)).json()).toEqual({
    error: 'invalid_grant',
    error_description: 'The authorization code is invalid or has expired.',
  });
  const noClient = await tokenRequest(okta, {
    grant_type: 'authorization_code',
    code: 'x',
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
  });
  expect(noClient.statusCode).toBe(401);
  expect(noClient.json().error).toBe('invalid_client');
});

test('refresh tokens come only with offline_access; a refresh returns new tokens and the same (STATIC) refresh token', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const [user] = await firstUsers(1);
  const login = String(user?.profile.login);
  const noOffline = await signIn(
    injectFetch(okta),
    okta.org.url,
    app.clientId,
    login,
    OKTA_LAB_PASSWORD,
    'openid email',
  );
  expect(noOffline.tokens.refresh_token).toBeUndefined();
  const { tokens } = await signIn(injectFetch(okta), okta.org.url, app.clientId, login, OKTA_LAB_PASSWORD);
  const refreshed = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
  });
  expect(refreshed.statusCode).toBe(200);
  expect(refreshed.json()).toMatchObject({
    token_type: 'Bearer',
    refresh_token: tokens.refresh_token,
    id_token: expect.any(String),
  });
  expect(refreshed.json().access_token).not.toBe(tokens.access_token);
  const narrower = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
    scope: 'openid',
  });
  expect(narrower.json().scope).toBe('openid');
  const wider = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
    scope: 'openid phone',
  });
  expect(wider.json().error).toBe('invalid_scope');
  const otherApp = await createJamfTrustApp(okta);
  const stolen = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: otherApp.clientId,
  });
  expect(stolen.json().error).toBe('invalid_grant');
});

test('with rotation set to ROTATE, each refresh returns a new refresh token and retires the old one', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta, { rotate: true });
  const [user] = await firstUsers(1);
  const { tokens } = await signIn(
    injectFetch(okta),
    okta.org.url,
    app.clientId,
    String(user?.profile.login),
    OKTA_LAB_PASSWORD,
  );
  const first = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
  });
  const next = first.json().refresh_token as string;
  expect(next).not.toBe(tokens.refresh_token);
  const old = await tokenRequest(okta, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: app.clientId,
  });
  expect(old.json().error).toBe('invalid_grant');
  expect(
    (await tokenRequest(okta, { grant_type: 'refresh_token', refresh_token: next, client_id: app.clientId }))
      .statusCode,
  ).toBe(200);
});

test('the sid cookie of a session signs the user in again without a session token (SSO)', async () => {
  okta = await buildOktaMock({ signingKey });
  const app = await createJamfTrustApp(okta);
  const [user] = await firstUsers(1);
  const { challenge } = pkce();
  const { cookie } = await codeFor(app, String(user?.profile.login), challenge);
  expect(cookie).toMatch(/^sid=102[\w-]+; Path=\/; HttpOnly; SameSite=None; Secure$/);
  const sid = cookie.split(';')[0] ?? '';
  const again = await authorize(
    {
      client_id: app.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      state: 's2',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    sid,
  );
  expect(new URL(String(again.headers.location)).searchParams.get('code')).toEqual(expect.any(String));
  expect((await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json()).toHaveLength(1);
  await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions`);
  const after = await authorize(
    {
      client_id: app.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      state: 's3',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    sid,
  );
  expect(new URL(String(after.headers.location)).searchParams.get('error')).toBe('login_required');
});

test("discovery names the org as issuer and the keys endpoint serves the org's public signing key only", async () => {
  okta = await buildOktaMock({ signingKey, orgUrl: 'https://example.okta.lab' });
  const config = (await api(okta, 'GET', '/.well-known/openid-configuration')).json();
  expect(config).toMatchObject({
    issuer: 'https://example.okta.lab',
    authorization_endpoint: 'https://example.okta.lab/oauth2/v1/authorize',
    token_endpoint: 'https://example.okta.lab/oauth2/v1/token',
    jwks_uri: 'https://example.okta.lab/oauth2/v1/keys',
    code_challenge_methods_supported: ['S256'],
  });
  const keys = (await api(okta, 'GET', '/oauth2/v1/keys')).json();
  expect(keys.keys).toHaveLength(1);
  expect(keys.keys[0]).toMatchObject({ kty: 'RSA', kid: 'org-test', alg: 'RS256', use: 'sig' });
  expect(keys.keys[0].d).toBeUndefined();
});

const NATIVE = {
  name: 'oidc_client',
  label: 'Jamf Trust',
  signOnMode: 'OPENID_CONNECT',
  credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
  settings: {
    oauthClient: {
      application_type: 'native',
      redirect_uris: [JAMF_TRUST_REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      consent_method: 'TRUSTED',
    },
  },
};

test("creating a native app answers 200 with Okta's shape: client id = app id, no secret, PKCE, defaults filled in", async () => {
  okta = await buildOktaMock({ signingKey });
  const created = await api(okta, 'POST', '/api/v1/apps', NATIVE);
  expect(created.statusCode).toBe(200);
  const app = created.json();
  expect(app).toMatchObject({
    name: 'oidc_client',
    label: 'Jamf Trust',
    status: 'ACTIVE',
    signOnMode: 'OPENID_CONNECT',
    credentials: {
      signing: { kid: 'org-test' },
      oauthClient: {
        client_id: app.id,
        token_endpoint_auth_method: 'none',
        pkce_required: true,
        autoKeyRotation: true,
      },
    },
    settings: {
      oauthClient: {
        application_type: 'native',
        redirect_uris: [JAMF_TRUST_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        consent_method: 'TRUSTED',
        issuer_mode: 'ORG_URL',
        dpop_bound_access_tokens: false,
        refresh_token: { rotation_type: 'STATIC', leeway: 30 },
      },
    },
    _links: {
      users: { href: `https://acme.okta.lab/api/v1/apps/${app.id}/users` },
      deactivate: { href: `https://acme.okta.lab/api/v1/apps/${app.id}/lifecycle/deactivate` },
    },
  });
  expect(app.id).toMatch(/^0oa\w{17}$/);
  expect(app.credentials.oauthClient.client_secret).toBeUndefined();
  expect((await api(okta, 'GET', `/api/v1/apps/${app.id}`)).json()).toEqual(app);
  expect((await api(okta, 'GET', '/api/v1/apps')).json()).toEqual([app]);
  const [created_] = (
    await api(
      okta,
      'GET',
      `/api/v1/logs?filter=${encodeURIComponent('eventType eq "application.lifecycle.create"')}`,
    )
  ).json();
  expect(created_.target[0]).toMatchObject({ id: app.id, type: 'AppInstance', displayName: 'Jamf Trust' });
});

test('a web app with client_secret_basic gets a generated secret that authenticates at the token endpoint', async () => {
  okta = await buildOktaMock({ signingKey });
  const web = await api(okta, 'POST', '/api/v1/apps', {
    ...NATIVE,
    label: 'Portal',
    credentials: {},
    settings: {
      oauthClient: {
        ...NATIVE.settings.oauthClient,
        application_type: 'web',
        redirect_uris: ['https://portal.example/cb'],
      },
    },
  });
  const app = web.json();
  expect(app.credentials.oauthClient.token_endpoint_auth_method).toBe('client_secret_basic');
  expect(app.credentials.oauthClient.client_secret).toMatch(/^[\w-]{64}$/);
  expect(app.credentials.oauthClient.pkce_required).toBe(false);
  const basic = (secret: string) => `Basic ${Buffer.from(`${app.id}:${secret}`).toString('base64')}`;
  const attempt = (secret: string) =>
    okta.app.inject({
      method: 'POST',
      url: '/oauth2/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(secret) },
      payload: 'grant_type=authorization_code&code=nope&redirect_uri=https%3A%2F%2Fportal.example%2Fcb',
    });
  expect((await attempt('wrong-secret-value')).json().error).toBe('invalid_client');
  // Right secret: authentication passes, the made-up code is what fails.
  expect((await attempt(app.credentials.oauthClient.client_secret)).json().error).toBe('invalid_grant');
});

test.each([
  ['a SAML app', { ...NATIVE, name: 'template_saml_2_0' }, 'name'],
  ['no label', { ...NATIVE, label: '' }, 'label'],
  ['no settings', { name: 'oidc_client', label: 'x' }, 'settings'],
  [
    'no grant types',
    { ...NATIVE, settings: { oauthClient: { ...NATIVE.settings.oauthClient, grant_types: [] } } },
    'grant_types',
  ],
  [
    'the implicit grant',
    { ...NATIVE, settings: { oauthClient: { ...NATIVE.settings.oauthClient, grant_types: ['implicit'] } } },
    'grant_types',
  ],
  [
    'client credentials on a native app',
    {
      ...NATIVE,
      settings: { oauthClient: { ...NATIVE.settings.oauthClient, grant_types: ['client_credentials'] } },
    },
    'grant_types',
  ],
  [
    'refresh without code',
    {
      ...NATIVE,
      settings: { oauthClient: { ...NATIVE.settings.oauthClient, grant_types: ['refresh_token'] } },
    },
    'grant_types',
  ],
  [
    'no redirect URIs',
    { ...NATIVE, settings: { oauthClient: { ...NATIVE.settings.oauthClient, redirect_uris: [] } } },
    'redirect_uris',
  ],
  [
    'a relative redirect URI',
    { ...NATIVE, settings: { oauthClient: { ...NATIVE.settings.oauthClient, redirect_uris: ['/cb'] } } },
    'redirect_uris',
  ],
  [
    'an unknown consent method',
    { ...NATIVE, settings: { oauthClient: { ...NATIVE.settings.oauthClient, consent_method: 'NEVER' } } },
    'consent_method',
  ],
  [
    'private_key_jwt without keys',
    { ...NATIVE, credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } } },
    'jwks',
  ],
  [
    'a browser app with a secret method',
    {
      ...NATIVE,
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
      settings: { oauthClient: { ...NATIVE.settings.oauthClient, application_type: 'browser' } },
    },
    'token_endpoint_auth_method',
  ],
])('an app with %s is 400 E0000001 naming the field', async (_name, body, field) => {
  okta = await buildOktaMock({ signingKey });
  const response = await api(okta, 'POST', '/api/v1/apps', body);
  expect(response.statusCode).toBe(400);
  expect(response.json().errorCode).toBe('E0000001');
  expect(`${response.json().errorSummary} ${JSON.stringify(response.json().errorCauses)}`).toContain(field);
  expect((await api(okta, 'GET', '/api/v1/apps')).json()).toEqual([]);
});

test('replacing an app changes its settings but keeps its client id; deactivated it can sign nobody in', async () => {
  okta = await buildOktaMock({ signingKey });
  const { id, clientId } = await createJamfTrustApp(okta);
  const replaced = await api(okta, 'PUT', `/api/v1/apps/${id}`, {
    ...NATIVE,
    label: 'Jamf Trust (renamed)',
    settings: {
      oauthClient: {
        ...NATIVE.settings.oauthClient,
        redirect_uris: [JAMF_TRUST_REDIRECT_URI, 'com.jamf.trust:/second'],
      },
    },
  });
  expect(replaced.statusCode).toBe(200);
  expect(replaced.json()).toMatchObject({
    label: 'Jamf Trust (renamed)',
    credentials: { oauthClient: { client_id: clientId } },
    settings: { oauthClient: { redirect_uris: [JAMF_TRUST_REDIRECT_URI, 'com.jamf.trust:/second'] } },
  });
  expect((await api(okta, 'PUT', '/api/v1/apps/0oanothere', NATIVE)).statusCode).toBe(404);
  expect((await api(okta, 'POST', `/api/v1/apps/${id}/lifecycle/deactivate`)).json()).toEqual({});
  expect((await api(okta, 'GET', `/api/v1/apps/${id}`)).json().status).toBe('INACTIVE');
  expect(
    (await api(okta, 'GET', `/api/v1/apps?filter=${encodeURIComponent('status eq "ACTIVE"')}`)).json(),
  ).toEqual([]);
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json();
  await expect(
    signIn(injectFetch(okta), okta.org.url, clientId, user.profile.login, OKTA_LAB_PASSWORD),
  ).rejects.toThrow(/authorize: 400/);
  await api(okta, 'POST', `/api/v1/apps/${id}/lifecycle/activate`);
  await expect(
    signIn(injectFetch(okta), okta.org.url, clientId, user.profile.login, OKTA_LAB_PASSWORD),
  ).resolves.toBeDefined();
});

test('users are assigned directly (scope USER) or through groups (scope GROUP), listed in pages, and unassigned', async () => {
  okta = await buildOktaMock({ signingKey, fleet: { devices: 12 } });
  const { id } = await createJamfTrustApp(okta, { assign: [] });
  const users = (await api(okta, 'GET', '/api/v1/users')).json() as {
    id: string;
    profile: { login: string; department: string };
  }[];
  const direct = users[0];
  const assigned = await api(okta, 'POST', `/api/v1/apps/${id}/users`, {
    id: direct?.id,
    scope: 'USER',
    profile: {},
  });
  expect(assigned.statusCode).toBe(200);
  expect(assigned.json()).toMatchObject({
    id: direct?.id,
    scope: 'USER',
    status: 'ACTIVE',
    credentials: { userName: direct?.profile.login },
  });
  expect((await api(okta, 'POST', `/api/v1/apps/${id}/users`, { id: '00unobody' })).statusCode).toBe(404);
  expect((await api(okta, 'POST', `/api/v1/apps/${id}/users`, {})).json().errorCode).toBe('E0000001');
  const groups = (await api(okta, 'GET', '/api/v1/groups')).json() as {
    id: string;
    profile: { name: string };
  }[];
  const dept = groups.find((g) => g.profile.name === users[1]?.profile.department);
  const put = await api(okta, 'PUT', `/api/v1/apps/${id}/groups/${dept?.id}`, { priority: 0 });
  expect(put.json()).toMatchObject({
    id: dept?.id,
    priority: 0,
    _links: { group: { href: `https://acme.okta.lab/api/v1/groups/${dept?.id}` } },
  });
  const members = users.filter((u) => u.profile.department === dept?.profile.name && u.id !== direct?.id);
  const all: { id: string; scope: string }[] = [];
  let url: string | undefined = `/api/v1/apps/${id}/users?limit=2`;
  while (url) {
    const page = await api(okta, 'GET', url);
    all.push(...page.json());
    const next = String(page.headers.link).match(/<https:\/\/acme\.okta\.lab([^>]+)>; rel="next"/);
    url = next?.[1];
  }
  expect(all.map((u) => u.id).sort()).toEqual([direct?.id, ...members.map((m) => m.id)].sort());
  expect(all.find((u) => u.id === direct?.id)?.scope).toBe('USER');
  expect(all.filter((u) => u.id !== direct?.id).every((u) => u.scope === 'GROUP')).toBe(true);
  expect((await api(okta, 'GET', `/api/v1/apps/${id}/groups`)).json()).toHaveLength(1);
  expect(
    (
      await api(okta, 'GET', `/api/v1/apps?filter=${encodeURIComponent(`user.id eq "${direct?.id}"`)}`)
    ).json(),
  ).toHaveLength(1);
  expect((await api(okta, 'DELETE', `/api/v1/apps/${id}/users/${direct?.id}`)).statusCode).toBe(204);
  expect((await api(okta, 'GET', `/api/v1/apps/${id}/users/${direct?.id}`)).statusCode).toBe(404);
  expect((await api(okta, 'DELETE', `/api/v1/apps/${id}/groups/${dept?.id}`)).statusCode).toBe(204);
  expect((await api(okta, 'GET', `/api/v1/apps/${id}/users`)).json()).toEqual([]);
});

test('the groups claim is set at the internal idToken path; a filter narrows the groups in the ID token', async () => {
  okta = await buildOktaMock({ signingKey });
  const { id, clientId } = await createJamfTrustApp(okta);
  const path = `/api/v1/internal/apps/${id}/settings/oauth/idToken`;
  expect((await api(okta, 'GET', path)).json()).toEqual({ issuerMode: 'ORG_URL' });
  const set = await api(okta, 'POST', path, {
    valueType: 'GROUPS',
    groupFilterType: 'REGEX',
    name: 'groups',
    value: 'Every.*',
  });
  expect(set.json()).toEqual({
    valueType: 'GROUPS',
    groupFilterType: 'REGEX',
    name: 'groups',
    value: 'Every.*',
    issuerMode: 'ORG_URL',
  });
  expect((await api(okta, 'POST', path, { groupFilterType: 'REGEX', value: '(' })).json().errorCode).toBe(
    'E0000001',
  );
  const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json();
  const { tokens } = await signIn(
    injectFetch(okta),
    okta.org.url,
    clientId,
    user.profile.login,
    OKTA_LAB_PASSWORD,
  );
  const claims = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1] ?? '', 'base64url').toString());
  expect(claims.groups).toEqual(['Everyone']);
  // Without the groups scope there is no groups claim.
  const plain = await signIn(
    injectFetch(okta),
    okta.org.url,
    clientId,
    user.profile.login,
    OKTA_LAB_PASSWORD,
    'openid email',
  );
  const plainClaims = JSON.parse(
    Buffer.from(String(plain.tokens.id_token).split('.')[1] ?? '', 'base64url').toString(),
  );
  expect(plainClaims.groups).toBeUndefined();
  expect(plainClaims.name).toBeUndefined();
  expect(plainClaims.email).toBe(user.profile.email);
});

// Issue 15: "an OpenID-certified relying party signing a user in to the Jamf Trust app fails" without
// userinfo. OIDC Core §5.3: the UserInfo endpoint, named by discovery, answers the standard claims for an
// access token with the openid scope; RFC 6750 §3.1: 401 invalid_token otherwise.
test('userinfo is named by discovery and answers the user claims the scopes allow; a bad, revoked or user-less token is refused', async () => {
  okta = await buildOktaMock({ signingKey });
  const org = okta.org.url;
  const discovery = (await api(okta, 'GET', '/.well-known/openid-configuration')).json();
  expect(discovery.userinfo_endpoint).toBe(`${org}/oauth2/v1/userinfo`);
  const app = await createJamfTrustApp(okta, { groupsRegex: '.*' });
  const [user] = await firstUsers(1);
  const login = String(user?.profile.login);
  const userinfo = (authorization?: string) =>
    okta.app.inject({
      method: 'GET',
      url: '/oauth2/v1/userinfo',
      headers: authorization === undefined ? {} : { authorization },
    });

  const { tokens } = await signIn(injectFetch(okta), org, app.clientId, login, OKTA_LAB_PASSWORD);
  const full = await userinfo(`Bearer ${String(tokens.access_token)}`);
  expect(full.statusCode).toBe(200);
  expect(full.headers['cache-control']).toBe('no-store');
  const claims = full.json();
  expect(claims).toMatchObject({
    sub: user?.id,
    name: user?.profile.displayName,
    preferred_username: login,
    email: user?.profile.email,
    email_verified: true,
    updated_at: expect.any(Number),
  });
  expect(claims.groups).toContain('Everyone');
  // The same sub as the ID token the relying party verified.
  const idToken = String(tokens.id_token);
  const idClaims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
  expect(claims.sub).toBe(idClaims.sub);

  const narrow = await signIn(injectFetch(okta), org, app.clientId, login, OKTA_LAB_PASSWORD, 'openid');
  const onlySub = (await userinfo(`Bearer ${String(narrow.tokens.access_token)}`)).json();
  expect(onlySub).toEqual({ sub: user?.id });

  const missing = await userinfo();
  expect(missing.statusCode).toBe(401);
  expect(missing.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  const forged = await userinfo('Bearer not-a-token-the-org-issued');
  expect(forged.statusCode).toBe(401);
  expect(forged.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  expect(forged.body).not.toContain('not-a-token');
  // An SSWS token acts for no user.
  const ssws = await userinfo(`SSWS ${okta.apiToken}`);
  expect([ssws.statusCode, ssws.headers['www-authenticate']]).toEqual([
    401,
    expect.stringMatching(/invalid_token/),
  ]);
  // Revoked with the user's sessions (oauthTokens=true): the token no longer answers.
  expect((await api(okta, 'DELETE', `/api/v1/users/${user?.id}/sessions?oauthTokens=true`)).statusCode).toBe(
    204,
  );
  const revoked = await userinfo(`Bearer ${String(tokens.access_token)}`);
  expect(revoked.statusCode).toBe(401);
  expect(revoked.headers['www-authenticate']).toMatch(/error="invalid_token"/);
});

// Issue 15: the seed's OIDC app (Jamf Trust's) has sign-out URIs — Okta's `post_logout_redirect_uris`.
test('an app keeps its sign-out redirect URIs and returns them on read; a relative or fragment URI is E0000001', async () => {
  okta = await buildOktaMock({ signingKey });
  const withLogout = (uris: unknown) => ({
    ...NATIVE,
    settings: { oauthClient: { ...NATIVE.settings.oauthClient, post_logout_redirect_uris: uris } },
  });
  const created = await api(okta, 'POST', '/api/v1/apps', withLogout(['com.jamf.trust:/oauth2/logout']));
  expect(created.statusCode).toBe(200);
  const read = (await api(okta, 'GET', `/api/v1/apps/${created.json().id}`)).json();
  expect(read.settings.oauthClient.post_logout_redirect_uris).toEqual(['com.jamf.trust:/oauth2/logout']);
  for (const bad of [['/logout'], ['https://app.example/out#x'], 'com.jamf.trust:/oauth2/logout']) {
    const refused = await api(okta, 'POST', '/api/v1/apps', withLogout(bad));
    expect([refused.statusCode, refused.json().errorCode]).toEqual([400, 'E0000001']);
    expect(JSON.stringify(refused.json().errorCauses)).toContain('post_logout_redirect_uris');
  }
});
