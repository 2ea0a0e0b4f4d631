/**
 * The `universal-logout` plan against the lab. The lab's apps trust mock Okta's key, which the harness does
 * not hold (and must not: a suite never knows the target is a mock). So the builder does what an admin of a
 * real app does to let another caller in: it makes the app trust one more issuer — the harness, with its own
 * freshly generated key, its JWKS served on the lab like Okta's `/oauth2/v1/keys` — through the app mock's
 * lab-only `POST /_lab/trusted-issuers`. The app then judges the harness's JWTs with the very checks it
 * applies to Okta's. A fleet user signs in to the app first, so the plan's session probe can show the
 * logout take effect: the session cookie on `/api/me` for a full logout, the refresh grant for Office 365's
 * partial one (only refresh tokens are revoked there).
 */
import Fastify from 'fastify';
import type { AppKind } from '../../../mocks/apps/index.ts';
import type { UniversalLogoutOptions } from '../../../suites/universal-logout/index.ts';
import { universalLogoutPlan } from '../../../suites/universal-logout/index.ts';
import type { Lab } from '../../lab/index.ts';
import { generateSigningKey, publicJwks } from '../../protocol/index.ts';
import type { PlanEntry } from '../certify.ts';

async function labCall(lab: Lab, url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await lab.fetch(url, {
    ...init,
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`lab set-up: ${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Options that grade one of the lab's apps, after making it trust the harness as an extra issuer. */
export async function universalLogoutLabOptions(lab: Lab, kind: AppKind): Promise<UniversalLogoutOptions> {
  const app = lab.apps[kind];
  const appUrl = lab.urls.apps[kind];
  const { key, privateJwk } = await generateSigningKey('RS256');
  const keysPath = '/oauth2/v1/keys';
  const keys = Fastify({ logger: false });
  keys.get(keysPath, async () => publicJwks(key));
  const { url: issuer } = await lab.attach(`universal-logout-${kind}`, keys);
  await labCall(lab, `${appUrl}/_lab/trusted-issuers`, {
    method: 'POST',
    body: JSON.stringify({ issuer, jwksUri: `${issuer}${keysPath}`, clientId: app.clientId }),
  });
  const { users } = (await labCall(lab, `${appUrl}/_lab/users`)) as { users: { email: string }[] };
  const email = users[0]?.email;
  if (email === undefined) throw new Error(`lab set-up: ${app.label} knows no user`);
  const signIn = (await labCall(lab, `${appUrl}/_lab/sessions`, {
    method: 'POST',
    body: JSON.stringify({ email }),
  })) as { sessionCookie: string; refreshToken: string };
  const sessionProbe = app.partial
    ? {
        url: `${appUrl}/oauth/token`,
        method: 'POST' as const,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: signIn.refreshToken,
        }).toString(),
      }
    : { url: `${appUrl}/api/me`, headers: { cookie: signIn.sessionCookie } };
  return {
    endpoint: app.gtrEndpoint,
    issuer,
    privateJwk,
    clientId: app.clientId,
    user: { format: 'email', email },
    sessionProbe,
  };
}

/** The plan against one lab app (Salesforce by default; every app in the lab can be chosen). */
export function universalLogoutEntryFor(kind: AppKind = 'salesforce'): PlanEntry {
  return { plan: universalLogoutPlan, lab: (lab) => universalLogoutLabOptions(lab, kind) };
}

export const universalLogoutEntry: PlanEntry = universalLogoutEntryFor('salesforce');
