/**
 * Test helpers for the app mocks: a stand-in for the Okta org's JWKS endpoint (a tiny fastify app reached
 * through harness/ssf's inject fetch, so no socket opens), a minter of Global Token Revocation JWTs with
 * every claim Okta's guide lists (each overridable or removable, to build defective tokens), and HTTP
 * shortcuts over `inject()`. Mock Okta mints the real ones; this is only what the tests need.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { type JWTPayload, SignJWT } from 'jose';
import { fixedClock } from '../../harness/kernel/index.ts';
import { generateSigningKey, type SigningAlgorithm, type SigningKey } from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { type AppMock, type AppMockOptions, buildAppMock } from './index.ts';

export const OKTA_ISSUER = 'https://acme.okta.lab';
/** The fixed "now" of the tests (an hour after the fleet's reference time). */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

/** The org's published signing keys, served at `${OKTA_ISSUER}/oauth2/v1/keys`. */
export interface FakeOktaKeys {
  /** The fetch the app mock gets: routes the org's origin to the keys app. */
  readonly fetch: typeof fetch;
  /** The key tokens are signed with by default. */
  current: SigningKey;
  /** Publishes these keys (replacing the published set). */
  publish(...keys: SigningKey[]): void;
  /** A new key, published next to the current one and made current (Okta's key rotation). */
  rotate(alg?: SigningAlgorithm): Promise<SigningKey>;
  /** How many times the JWKS was fetched. */
  readonly fetches: () => number;
  /** Make the JWKS endpoint answer 500 (true) or recover (false). */
  fail(on: boolean): void;
}

export async function fakeOktaKeys(alg: SigningAlgorithm = 'RS256'): Promise<FakeOktaKeys> {
  const first = (await generateSigningKey(alg)).key;
  let published: SigningKey[] = [first];
  let fetches = 0;
  let failing = false;
  const keysApp: FastifyInstance = Fastify();
  keysApp.get('/oauth2/v1/keys', async (_request, reply) => {
    fetches += 1;
    if (failing) return reply.code(500).send({ errorCode: 'E0000009' });
    return { keys: published.map((k) => k.publicJwk) };
  });
  await keysApp.ready();
  const handle: FakeOktaKeys = {
    fetch: createInjectFetch(new Map([[new URL(OKTA_ISSUER).origin, keysApp]])),
    current: first,
    publish: (...keys) => {
      published = keys;
    },
    rotate: async (next = alg) => {
      const key = (await generateSigningKey(next)).key;
      published = [...published, key];
      handle.current = key;
      return key;
    },
    fetches: () => fetches,
    fail: (on) => {
      failing = on;
    },
  };
  return handle;
}

export interface MintOptions {
  /** Signing key (default: the org's current key). */
  readonly key?: SigningKey;
  /** "Now" in ms for iat/nbf/exp (default: the test clock's now). */
  readonly now?: number;
  /** Claims to set or override (`undefined` removes a claim). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Header parameters to set or override (`alg` and `kid` come from the key unless given). */
  readonly header?: Readonly<Record<string, unknown>>;
}

let jtiCounter = 0;

/** A GTR JWT as Okta's guide describes it: typ global-token-revocation+jwt, 5-minute life, ±5 min nbf. */
export async function mintGtrToken(
  app: Pick<AppMock, 'oktaIssuer' | 'clientId' | 'gtrEndpoint'>,
  keys: Pick<FakeOktaKeys, 'current'>,
  nowMs: number,
  options: MintOptions = {},
): Promise<string> {
  const key = options.key ?? keys.current;
  const now = Math.floor((options.now ?? nowMs) / 1000);
  jtiCounter += 1;
  const claims: Record<string, unknown> = {
    jti: `gtr-test-${jtiCounter}-${now}`,
    iss: app.oktaIssuer,
    sub: app.clientId,
    aud: app.gtrEndpoint,
    exp: now + 300,
    nbf: now - 300,
    iat: now,
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const header: Record<string, unknown> = {
    typ: 'global-token-revocation+jwt',
    alg: key.alg,
    kid: key.kid,
    ...options.header,
  };
  for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
  return new SignJWT(claims as JWTPayload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}

export interface Lab {
  readonly mock: AppMock;
  readonly keys: FakeOktaKeys;
  readonly clock: ReturnType<typeof fixedClock>;
  /** A fresh valid GTR token for this app (options build defective ones). */
  token(options?: MintOptions): Promise<string>;
  /** POST to the GTR endpoint; `token: null` sends no Authorization, a string sends it as the Bearer. */
  gtr(
    body: unknown,
    options?: { token?: string | null; contentType?: string; authorization?: string },
  ): Promise<LightMyRequestResponse>;
  /** `POST /_lab/sessions`: a user signs in through Okta SSO. */
  signIn(email: string, oktaUserId?: string): Promise<SignIn>;
  me(credential: { cookie?: string; accessToken?: string }): Promise<LightMyRequestResponse>;
  refresh(refreshToken: string): Promise<LightMyRequestResponse>;
  /** The app's fleet users' emails (from `GET /_lab/users`). */
  emails(): Promise<string[]>;
  close(): Promise<void>;
}

export interface SignIn {
  readonly sessionId: string;
  readonly sessionCookie: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** An app mock on a fixed clock, wired to a fake Okta JWKS. */
export async function lab(
  options: Partial<AppMockOptions> & Pick<AppMockOptions, 'kind'>,
  keys?: FakeOktaKeys,
): Promise<Lab> {
  const clock = fixedClock(T0);
  const okta = keys ?? (await fakeOktaKeys());
  const mock = await buildAppMock({ oktaIssuer: OKTA_ISSUER, fetch: okta.fetch, clock, ...options });
  const { app } = mock;
  const token = (o: MintOptions = {}) => mintGtrToken(mock, okta, clock.now(), o);
  return {
    mock,
    keys: okta,
    clock,
    token,
    gtr: async (body, o = {}) => {
      const bearer = o.token === undefined ? await token() : o.token;
      const authorization = o.authorization ?? (bearer === null ? undefined : `Bearer ${bearer}`);
      return app.inject({
        method: 'POST',
        url: new URL(mock.gtrEndpoint).pathname,
        headers: {
          ...(authorization === undefined ? {} : { authorization }),
          ...(body === undefined ? {} : { 'content-type': o.contentType ?? 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
    signIn: async (email, oktaUserId) => {
      const r = await app.inject({
        method: 'POST',
        url: '/_lab/sessions',
        payload: { email, ...(oktaUserId === undefined ? {} : { oktaUserId }) },
      });
      if (r.statusCode !== 201) throw new Error(`sign-in failed: ${r.statusCode} ${r.body}`);
      return r.json() as SignIn;
    },
    me: (c) =>
      app.inject({
        method: 'GET',
        url: '/api/me',
        headers: {
          ...(c.cookie === undefined ? {} : { cookie: c.cookie }),
          ...(c.accessToken === undefined ? {} : { authorization: `Bearer ${c.accessToken}` }),
        },
      }),
    refresh: (refreshToken) =>
      app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      }),
    emails: async () => {
      const r = await app.inject({ method: 'GET', url: '/_lab/users' });
      return (r.json() as { users: { email: string }[] }).users.map((u) => u.email);
    },
    close: () => mock.close(),
  };
}
