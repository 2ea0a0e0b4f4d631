/**
 * Helpers for the Okta mock's tests, all through HTTP: serve a mock on loopback with a matching org URL,
 * create the seed's Jamf Trust native app through the Apps API, run the browserless sign-in (authn →
 * authorize → token), and build the JWTs a client makes (private_key_jwt assertions, DPoP proofs).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { buildOktaMock, type OktaMock, type OktaMockOptions } from './index.ts';

export const JAMF_TRUST_REDIRECT_URI = 'com.jamf.trust:/oauth2/callback';

export interface KeyPair {
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

/** A client key pair; ES256 unless a test needs RSA (2048-bit RSA generation costs ~0.4 s on two cores). */
export async function clientKeyPair(kid: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<KeyPair> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg };
  return { alg, privateKey: pair.privateKey, publicJwk, privateJwk };
}

/** A free loopback port (the mock's org URL must name the port it will listen on). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Builds the mock with `orgUrl` http://127.0.0.1:<port> and listens there. */
export async function listenOnLoopback(options: Omit<OktaMockOptions, 'orgUrl'> = {}): Promise<OktaMock> {
  const port = await freePort();
  const okta = await buildOktaMock({ ...options, orgUrl: `http://127.0.0.1:${port}` });
  await okta.app.listen({ host: '127.0.0.1', port });
  return okta;
}

/** A fetch that hands requests for the org URL to the mock with inject(). */
export function injectFetch(okta: OktaMock): typeof fetch {
  return createInjectFetch(new Map([[okta.org.url, okta.app]]));
}

export async function api(
  okta: OktaMock,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  authorization = `SSWS ${okta.apiToken}`,
) {
  return okta.app.inject({
    method,
    url,
    headers: {
      authorization,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** The seed's Jamf Trust app: native, code + refresh token, PKCE, consent off, assigned to `assign`. */
export async function createJamfTrustApp(
  okta: OktaMock,
  options: {
    readonly assign?: 'everyone' | readonly string[];
    readonly groupsRegex?: string;
    readonly rotate?: boolean;
  } = {},
): Promise<{ readonly id: string; readonly clientId: string }> {
  const created = await api(okta, 'POST', '/api/v1/apps', {
    name: 'oidc_client',
    label: 'Jamf Trust',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
    settings: {
      oauthClient: {
        application_type: 'native',
        redirect_uris: [JAMF_TRUST_REDIRECT_URI],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        consent_method: 'TRUSTED',
        ...(options.rotate ? { refresh_token: { rotation_type: 'ROTATE', leeway: 0 } } : {}),
      },
    },
  });
  if (created.statusCode !== 200) throw new Error(`create app: ${created.statusCode} ${created.body}`);
  const app = created.json() as { id: string; credentials: { oauthClient: { client_id: string } } };
  if (options.groupsRegex !== undefined) {
    const claim = await api(okta, 'POST', `/api/v1/internal/apps/${app.id}/settings/oauth/idToken`, {
      valueType: 'GROUPS',
      groupFilterType: 'REGEX',
      name: 'groups',
      value: options.groupsRegex,
    });
    if (claim.statusCode !== 200) throw new Error(`groups claim: ${claim.statusCode} ${claim.body}`);
  }
  const assign = options.assign ?? 'everyone';
  if (assign === 'everyone') {
    const everyone = okta.org.directory.everyone.id;
    const r = await api(okta, 'PUT', `/api/v1/apps/${app.id}/groups/${everyone}`, {});
    if (r.statusCode !== 200) throw new Error(`assign group: ${r.statusCode} ${r.body}`);
  } else {
    for (const id of assign) {
      const r = await api(okta, 'POST', `/api/v1/apps/${app.id}/users`, { id });
      if (r.statusCode !== 200) throw new Error(`assign user: ${r.statusCode} ${r.body}`);
    }
  }
  return { id: app.id, clientId: app.credentials.oauthClient.client_id };
}

export function pkce(): { readonly verifier: string; readonly challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface SignInResult {
  readonly tokens: Record<string, unknown>;
  readonly nonce: string;
  readonly location: string;
}

/**
 * The browserless sign-in of mock Jamf Security Cloud (identity.ts `signIn`), step by step with `fetchImpl`:
 * authn → authorize with the session token (302 with the code) → token with the PKCE verifier.
 */
export async function signIn(
  fetchImpl: typeof fetch,
  orgUrl: string,
  clientId: string,
  username: string,
  password: string,
  scope = 'openid profile email groups offline_access',
): Promise<SignInResult> {
  const authn = await fetchImpl(`${orgUrl}/api/v1/authn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const authnBody = (await authn.json()) as { sessionToken?: string };
  if (authn.status !== 200 || !authnBody.sessionToken) throw new Error(`authn: ${authn.status}`);
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const authorize = new URL(`${orgUrl}/oauth2/v1/authorize`);
  for (const [k, v] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    scope,
    redirect_uri: JAMF_TRUST_REDIRECT_URI,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    sessionToken: authnBody.sessionToken,
  }))
    authorize.searchParams.set(k, v);
  const redirected = await fetchImpl(authorize.href, { redirect: 'manual' });
  const location = redirected.headers.get('location') ?? '';
  const code = redirected.status === 302 ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`authorize: ${redirected.status} ${location}`);
  const token = await fetchImpl(`${orgUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      client_id: clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const tokens = (await token.json()) as Record<string, unknown>;
  if (token.status !== 200) throw new Error(`token: ${token.status} ${JSON.stringify(tokens)}`);
  return { tokens, nonce, location };
}

/** A private_key_jwt client assertion as okta-sdk-nodejs makes it (overridable claims for negative tests). */
export async function clientAssertion(
  key: KeyPair,
  clientId: string,
  aud: string,
  overrides: {
    iss?: string;
    sub?: string;
    expInSeconds?: number;
    jti?: string;
    aud?: string;
    now?: number;
  } = {},
): Promise<string> {
  const now = Math.floor((overrides.now ?? Date.now()) / 1000);
  return new SignJWT({ jti: overrides.jti ?? randomBytes(8).toString('hex') })
    .setProtectedHeader({ alg: key.alg, ...(key.publicJwk.kid ? { kid: key.publicJwk.kid } : {}) })
    .setIssuer(overrides.iss ?? clientId)
    .setSubject(overrides.sub ?? clientId)
    .setAudience(overrides.aud ?? aud)
    .setIssuedAt(now)
    .setExpirationTime(now + (overrides.expInSeconds ?? 300))
    .sign(key.privateKey);
}

/** A DPoP proof (RFC 9449 §4.2). */
export async function dpopProof(
  key: KeyPair,
  claims: { htm: string; htu: string; nonce?: string; accessToken?: string; iat?: number; jti?: string },
): Promise<string> {
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = key.publicJwk;
  return new SignJWT({
    htm: claims.htm,
    htu: claims.htu,
    jti: claims.jti ?? randomBytes(8).toString('hex'),
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
    ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
    ...(claims.accessToken === undefined
      ? {}
      : { ath: createHash('sha256').update(claims.accessToken).digest('base64url') }),
  })
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk })
    .sign(key.privateKey);
}

/** Registers a private_key_jwt service app through the lab endpoint. */
export async function registerServiceApp(
  okta: OktaMock,
  key: KeyPair,
  scopes: readonly string[],
  requireDPoP = false,
): Promise<string> {
  const r = await okta.app.inject({
    method: 'POST',
    url: '/_lab/service-apps',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ jwks: { keys: [key.publicJwk] }, scopes, requireDPoP, name: 'SDK client' }),
  });
  if (r.statusCode !== 201) throw new Error(`register: ${r.statusCode} ${r.body}`);
  return (r.json() as { clientId: string }).clientId;
}

/** Form POST to the token endpoint with inject. */
export async function tokenRequest(
  okta: OktaMock,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return okta.app.inject({
    method: 'POST',
    url: '/oauth2/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}
