/**
 * The `integration` plan against the lab, set up only over HTTP (the services' public APIs and the mocks'
 * `/_lab/` routes), as a user would point it at a tenant: a Mac with a user found through the Jamf
 * Security Cloud Risk API, that user signed in to every app to get session probes, every Okta session the
 * user holds named (what the user of a real org reads in each signed-in browser), the threat raised and
 * resolved through JSC's `/_lab/threats`.
 *
 * The user is one no other plan's lab builder takes: ssf-receiver and okta-receiver take fleet users from
 * the end, universal-logout an app's first user — and this plan logs its user out of everything, which
 * would break any of them that ran later with the same user.
 */
import type { IntegrationApp, IntegrationOptions } from '../../../suites/integration/index.ts';
import { integrationPlan } from '../../../suites/integration/index.ts';
import { apiCall, type Lab, type LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import { ensureOktaSession } from './okta-receiver.ts';
import { appState, fleetSubjects, labAdminHeaders, riskDevices } from './set-up.ts';

/** How many fleet users the other plans take from the end of the fleet (set-up.ts's subjectFromEnd). */
const TAKEN_FROM_END = 2;
/** A category the seed's threat prevention policy rates HIGH. */
const HIGH_CATEGORY = 'Malware';

async function appUsers(fetchImpl: typeof fetch, appUrl: string): Promise<string[]> {
  const answer = await apiCall(fetchImpl, 'lab set-up: app users', `${appUrl}/_lab/users`);
  return (answer.body as { users: { email: string }[] }).users.map((u) => u.email);
}

/**
 * The ids of every live Okta session of the user, from mock Okta's `/_lab/sessions` (the seed's Jamf Trust
 * activation signed them in). Naming all of them is what lets the plan judge that *all* were cleared.
 */
async function oktaSessionIds(fetchImpl: typeof fetch, oktaUrl: string, email: string): Promise<string[]> {
  const answer = await apiCall(fetchImpl, `lab set-up: ${email}'s Okta sessions`, `${oktaUrl}/_lab/sessions`);
  return (answer.body as { id: string; login: string }[])
    .filter((s) => s.login.toLowerCase() === email.toLowerCase())
    .map((s) => s.id);
}

export interface IntegrationChoices {
  /** Overrides the expected logout per app name (default: partial where the app says it is). */
  readonly expect?: Readonly<Record<string, 'full' | 'partial'>>;
}

/**
 * The plan's options for the lab whose manifest is given, through any fetch that reaches it (shared with
 * a black-box run). A full app is probed with the session cookie on `/api/me`, a partial one with the
 * refresh grant — what each kind of logout revokes.
 */
export async function integrationOptions(
  fetchImpl: typeof fetch,
  manifest: LabManifest,
  choices: IntegrationChoices = {},
): Promise<IntegrationOptions> {
  const jsc = manifest.jamfSecurityCloud;
  const subjects = await fleetSubjects(fetchImpl, jsc);
  const taken = new Set(subjects.slice(-TAKEN_FROM_END).map((s) => s.email));
  const known: string[][] = [];
  for (const app of manifest.apps) {
    const users = await appUsers(fetchImpl, app.url);
    if (users[0] !== undefined) taken.add(users[0]);
    known.push(users);
  }
  const mac = (await riskDevices(fetchImpl, jsc)).find((d) => {
    const email = d.user?.email;
    return (
      d.osType === 'MAC_OS' &&
      email !== undefined &&
      !taken.has(email) &&
      known.every((users) => users.includes(email))
    );
  });
  const email = mac?.user?.email;
  if (!mac || email === undefined)
    throw new Error('lab set-up: no Mac with a user that no other plan uses and every app knows');

  const apps: IntegrationApp[] = [];
  for (const app of manifest.apps) {
    const state = await appState(fetchImpl, app.url);
    const signIn = (
      await apiCall(fetchImpl, `lab set-up: ${email} signs in to ${app.name}`, `${app.url}/_lab/sessions`, {
        json: { email },
      })
    ).body as { sessionCookie: string; refreshToken: string };
    const expect = choices.expect?.[app.name] ?? (state.partial ? 'partial' : 'full');
    apps.push({
      name: app.name,
      expect,
      sessionProbe:
        expect === 'partial'
          ? {
              url: `${app.url}/oauth/token`,
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: signIn.refreshToken,
              }).toString(),
            }
          : { url: `${app.url}/api/me`, headers: { cookie: signIn.sessionCookie } },
    });
  }
  // A guarded lab's controls take its admin token (manifest `lab.adminToken`).
  const admin = labAdminHeaders(manifest.lab?.adminToken);
  return {
    trigger: {
      method: 'POST',
      url: `${jsc.url}/_lab/threats`,
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ device: mac.externalId ?? mac.deviceId, category: HIGH_CATEGORY }),
    },
    resolve: {
      method: 'DELETE',
      url: `${jsc.url}/_lab/threats/{trigger.id}`,
      ...(admin === undefined ? {} : { headers: admin }),
    },
    user: email,
    okta: manifest.okta,
    issuer: jsc.issuer,
    apps,
    oktaSessionIds: await oktaSessionIds(fetchImpl, manifest.okta.url, email),
    // The lab runs the chain in milliseconds; a real org is given a minute by default.
    waitMs: 15_000,
    settleMs: 1_000,
    latencyBoundMs: 5_000,
  };
}

export async function integrationLabOptions(
  lab: Lab,
  manifest: LabManifest,
  choices: IntegrationChoices = {},
): Promise<IntegrationOptions> {
  const options = await integrationOptions(lab.fetch, manifest, choices);
  if (options.oktaSessionIds?.length) return options;
  // The user's sessions were used up by an earlier run on this lab: sign them in again, and name the new one.
  await ensureOktaSession(lab.fetch, manifest.okta.url, options.user);
  return { ...options, oktaSessionIds: await oktaSessionIds(lab.fetch, manifest.okta.url, options.user) };
}

export const integrationEntry: PlanEntry = {
  plan: integrationPlan,
  lab: (lab, manifest) => integrationLabOptions(lab, manifest),
};
