/**
 * The set-up the plans need before they can grade the lab, done only over HTTP — the services' public
 * APIs and the mocks' `/_lab/` routes — through whichever fetch reaches the lab. The in-process builders
 * (lab-targets/*.ts) call these with `lab.fetch`; the black-box target (black-box-target.ts) calls them with
 * a real fetch against `ssf-lab serve`. One code path for both is what makes "the same verdict in both
 * modes" mean something: a set-up that only works with lab internals could not be repeated on a tenant.
 */
import type { SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import type { SessionProbe, UniversalLogoutOptions } from '../../../suites/universal-logout/index.ts';
import { apiCall, LAB_CLIENT_AUDIENCE, type LabManifest } from '../../lab/index.ts';
import { generateSigningKey, type JwkSet, publicJwks } from '../../protocol/index.ts';

/** Okta's push endpoint for SETs, below the org URL. */
export const SET_ENDPOINT_PATH = '/security/api/v1/security-events';

/**
 * Makes a public JWKS fetchable at `path` below a base URL it returns, the base being unique to `name`.
 * The lab attaches a small app for it; outside the lab it is the user's own static hosting.
 */
export type PublishJwks = (name: string, path: string, jwks: JwkSet) => Promise<string>;

export interface HarnessKeys {
  /** The harness's issuer: the base URL its JWKS is published under. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly privateJwk: Readonly<Record<string, unknown>>;
}

/** A fresh RS256 key for the harness, its public JWKS published at `path` (what `ssf-lab keys generate` does). */
export async function harnessKeys(
  publish: PublishJwks,
  name: string,
  path = '/jwks.json',
): Promise<HarnessKeys> {
  const { key, privateJwk } = await generateSigningKey('RS256');
  const issuer = await publish(name, path, publicJwks(key));
  return { issuer, jwksUrl: `${issuer}${path}`, privateJwk };
}

const ssws = (okta: LabManifest['okta']): Record<string, string> => ({
  authorization: `SSWS ${okta.apiToken}`,
});

/**
 * Registers the harness issuer as a security events provider, as an Okta admin does (issuer + jwks_url,
 * the form that needs no SSF metadata). Returns the provider's id.
 */
export async function registerProvider(
  fetchImpl: typeof fetch,
  okta: LabManifest['okta'],
  keys: HarnessKeys,
  name: string,
): Promise<string> {
  const answer = await apiCall(
    fetchImpl,
    'lab set-up: register the harness as a security events provider',
    `${okta.url}/api/v1/security-events-providers`,
    {
      headers: ssws(okta),
      json: { name, type: 'ssf-lab', settings: { issuer: keys.issuer, jwks_url: keys.jwksUrl } },
      expect: [200],
    },
  );
  return String((answer.body as { id: unknown }).id);
}

export async function deleteProvider(
  fetchImpl: typeof fetch,
  okta: LabManifest['okta'],
  id: string,
): Promise<void> {
  await apiCall(
    fetchImpl,
    'lab clean-up: delete the harness security events provider',
    `${okta.url}/api/v1/security-events-providers/${encodeURIComponent(id)}`,
    { method: 'DELETE', headers: ssws(okta) },
  );
}

/** A fleet user on one of their Jamf Trust devices, as the Risk API names them. */
export interface FleetSubject {
  readonly email: string;
  /** The Jamf Security Cloud device id (what the JSC transmitter puts in its SETs). */
  readonly deviceId: string;
}

/** A device as the Risk API lists it. */
export interface RiskDevice {
  readonly deviceId: string;
  readonly externalId?: string;
  readonly osType?: string;
  readonly user?: { readonly email?: string };
}

/**
 * Every device as the Jamf Security Cloud Risk API lists it (`/v1/login` with the Radar application,
 * then `/risk/v1/devices` page by page), in the tenant's order.
 */
export async function riskDevices(
  fetchImpl: typeof fetch,
  jsc: LabManifest['jamfSecurityCloud'],
): Promise<RiskDevice[]> {
  const login = await apiCall(fetchImpl, 'lab set-up: Radar API login', `${jsc.url}/v1/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${jsc.appId}:${jsc.appSecret}`).toString('base64')}` },
  });
  const token = String((login.body as { token: unknown }).token);
  const out: RiskDevice[] = [];
  for (let page = 0; ; page++) {
    const answer = await apiCall(
      fetchImpl,
      'lab set-up: list devices (Risk API)',
      `${jsc.url}/risk/v1/devices?page=${page}&pageSize=100`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const { records, pagination } = answer.body as {
      records: RiskDevice[];
      pagination: { totalPages: number };
    };
    out.push(...records);
    if (page + 1 >= pagination.totalPages || records.length === 0) break;
  }
  return out;
}

/**
 * The distinct users with an activated device, each on their first such device, in the tenant's device
 * order. A device has a user in the Risk API once Jamf Trust was activated on it.
 */
export async function fleetSubjects(
  fetchImpl: typeof fetch,
  jsc: LabManifest['jamfSecurityCloud'],
): Promise<FleetSubject[]> {
  const byUser = new Map<string, FleetSubject>();
  for (const d of await riskDevices(fetchImpl, jsc)) {
    const email = d.user?.email;
    if (email !== undefined && !byUser.has(email)) byUser.set(email, { email, deviceId: d.deviceId });
  }
  return [...byUser.values()];
}

/**
 * Okta's in-event subject for the `fromEnd`-th fleet user counted from the end (0 the last). The receiver
 * plans take users from the end so that they never touch the fleet's first user, whom the logout plan signs
 * in to an app — nor each other's: the okta plan's HIGH report logs its user out.
 */
export function subjectFromEnd(subjects: readonly FleetSubject[], fromEnd: number): Record<string, unknown> {
  const s = subjects[Math.max(0, subjects.length - 1 - fromEnd)];
  if (s === undefined) throw new Error('lab set-up: no activated device with a user');
  return { user: { format: 'email', email: s.email }, device: { format: 'opaque', id: s.deviceId } };
}

/**
 * The `ssf-transmitter` plan's options for the lab's JSC transmitter and the manifest's receiver account.
 * The timing bounds are tight because the lab answers in milliseconds; the retry cases follow the
 * reference engine's DEFAULT_RETRY (1 s base delay). A lab on loopback has plain http URLs: `allowHttp`.
 */
export function transmitterOptions(
  jsc: LabManifest['jamfSecurityCloud'],
  secondToken?: string,
): SsfTransmitterOptions {
  return {
    issuer: jsc.issuer,
    token: jsc.streamToken,
    ...(secondToken === undefined ? {} : { secondToken }),
    audience: LAB_CLIENT_AUDIENCE,
    delivery: 'both',
    eventTimeoutMs: 8000,
    quietWindowMs: 400,
    allowHttp: new URL(jsc.issuer).protocol === 'http:',
    retry: { timeoutCase: false, noRetryWindowMs: 2500, retryAfterSeconds: 2 },
  };
}

/** What an app mock tells about itself at `GET /_lab/state` (the members the logout set-up reads). */
export interface AppState {
  readonly kind: string;
  readonly label: string;
  readonly gtrEndpoint: string;
  readonly clientId: string;
  /** Office 365's partial logout: only refresh tokens are revoked. */
  readonly partial: boolean;
}

async function labJson(fetchImpl: typeof fetch, url: string, json?: unknown): Promise<unknown> {
  const answer = await apiCall(
    fetchImpl,
    'lab set-up',
    url,
    json === undefined ? {} : { method: 'POST', json },
  );
  return answer.body;
}

export async function appState(fetchImpl: typeof fetch, appUrl: string): Promise<AppState> {
  return (await labJson(fetchImpl, `${appUrl}/_lab/state`)) as AppState;
}

/**
 * The `universal-logout` plan's options for one app. The harness must not hold mock Okta's key (a suite
 * never knows its target is a mock), so this does what an admin of a real app does to let another caller
 * in: the harness gets its own key, its JWKS published like Okta's `/oauth2/v1/keys`, and the app is told
 * to trust that issuer too (`POST /_lab/trusted-issuers`) — it then judges the harness's JWTs with the very
 * checks it applies to Okta's. The app's first user signs in first, so the plan's session probe can show
 * the logout take effect: the session cookie on `/api/me` for a full logout, the refresh grant for a
 * partial one.
 */
export async function universalLogoutOptions(
  fetchImpl: typeof fetch,
  appUrl: string,
  publish: PublishJwks,
): Promise<UniversalLogoutOptions> {
  const app = await appState(fetchImpl, appUrl);
  const keys = await harnessKeys(publish, `universal-logout-${app.kind}`, '/oauth2/v1/keys');
  await labJson(fetchImpl, `${appUrl}/_lab/trusted-issuers`, {
    issuer: keys.issuer,
    jwksUri: keys.jwksUrl,
    clientId: app.clientId,
  });
  const { users } = (await labJson(fetchImpl, `${appUrl}/_lab/users`)) as { users: { email: string }[] };
  const email = users[0]?.email;
  if (email === undefined) throw new Error(`lab set-up: ${app.label} knows no user`);
  const signIn = (await labJson(fetchImpl, `${appUrl}/_lab/sessions`, { email })) as {
    sessionCookie: string;
    refreshToken: string;
  };
  const sessionProbe: SessionProbe = app.partial
    ? {
        url: `${appUrl}/oauth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: signIn.refreshToken,
        }).toString(),
      }
    : { url: `${appUrl}/api/me`, headers: { cookie: signIn.sessionCookie } };
  return {
    endpoint: app.gtrEndpoint,
    issuer: keys.issuer,
    privateJwk: keys.privateJwk,
    clientId: app.clientId,
    user: { format: 'email', email },
    sessionProbe,
  };
}
