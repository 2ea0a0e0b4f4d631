/**
 * Test helpers for the mock's HTTP tests: build a mock on a fixed clock, get a token the way a real client
 * does (OAuth client credentials), and make Pro API (JSON) or Classic API (XML) calls through `inject()`.
 * Everything goes over HTTP; the only programmatic access is to the credentials, as a lab would have it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../harness/kernel/index.ts';
import { buildJamfProMock, type JamfProMockOptions, jamfProOf } from './index.ts';

/** The fixed "now" of every test (an hour after the fleet's reference time). */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export interface Harness {
  readonly app: FastifyInstance;
  readonly clock: ReturnType<typeof fixedClock>;
  /** A valid OAuth bearer token. */
  readonly token: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  /** A JSON call to the Pro API (`token: null` sends no Authorization). */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    token?: string | null,
  ): Promise<LightMyRequestResponse>;
  /** A Classic API call with an XML body (for writes) and an optional Accept header. */
  classic(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    options?: { xml?: string; accept?: string; token?: string | null },
  ): Promise<LightMyRequestResponse>;
  oauthToken(): Promise<string>;
  /** `POST /_lab/reset`: back to the seeded fleet (cheaper than building a new mock per test). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function harness(options: JamfProMockOptions = {}): Promise<Harness> {
  const clock = fixedClock(T0);
  const app = await buildJamfProMock({ clock, ...options });
  const creds = jamfProOf(app).credentials;
  const client = creds.clients[0];
  const user = creds.users[0];
  if (!client || !user) throw new Error('the mock has no default credentials');
  const oauthToken = async (): Promise<string> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    });
    if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`);
    return (response.json() as { access_token: string }).access_token;
  };
  const token = await oauthToken();
  const auth = (t: string | null | undefined): Record<string, string> =>
    t === null ? {} : { authorization: `Bearer ${t ?? token}` };
  return {
    app,
    clock,
    token,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    username: user.username,
    password: user.password,
    oauthToken,
    call: (method, url, body, t) =>
      app.inject({
        method,
        url,
        headers: {
          ...auth(t),
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    classic: (method, url, o = {}) =>
      app.inject({
        method,
        url,
        headers: {
          ...auth(o.token),
          ...(o.accept ? { accept: o.accept } : {}),
          ...(o.xml === undefined ? {} : { 'content-type': 'application/xml' }),
        },
        ...(o.xml === undefined ? {} : { payload: o.xml }),
      }),
    reset: async () => {
      const r = await app.inject({ method: 'POST', url: '/_lab/reset' });
      if (r.statusCode !== 200) throw new Error(`reset failed: ${r.body}`);
    },
    close: () => app.close(),
  };
}

/** `Basic base64(user:secret)`. */
export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
