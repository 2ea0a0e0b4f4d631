/**
 * The `okta-receiver` plan against the lab: mock Okta's SET endpoint and Management API. The builder gives
 * the harness a fresh key and serves its JWKS on the lab; the plan itself registers the issuer as a
 * security events provider for each module (`registerProvider`, named `ssf-lab-…`, deleted after), so the
 * lab exercises the same path a user takes who lets the plan do it against a real org. The subject is a
 * fleet user other than the ssf-receiver plan's (and the fleet's first): this plan's HIGH report logs its
 * user out.
 */
import type { OktaReceiverOptions } from '../../../suites/okta-receiver/index.ts';
import { oktaReceiverPlan } from '../../../suites/okta-receiver/index.ts';
import { apiCall, type Lab, type LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import { fleetSubjects, harnessKeys, SET_ENDPOINT_PATH, subjectFromEnd } from './set-up.ts';
import { publishOnLab } from './ssf-receiver.ts';

/**
 * The options once the key is published: shared with the black-box target. The lab processes a signal in
 * milliseconds; a real org is given a minute by default.
 */
export function oktaReceiverOptions(
  manifest: LabManifest,
  keys: { issuer: string; jwksUrl: string; privateJwk: Readonly<Record<string, unknown>> },
  subject: Record<string, unknown>,
): OktaReceiverOptions {
  return {
    pushEndpoint: `${manifest.okta.url}${SET_ENDPOINT_PATH}`,
    audience: manifest.okta.url,
    issuer: keys.issuer,
    privateJwk: keys.privateJwk,
    jwksUrl: keys.jwksUrl,
    subject,
    okta: manifest.okta,
    registerProvider: true,
    expectLogout: true,
    waitMs: 15_000,
    settleMs: 300,
  };
}

/**
 * Makes sure the user holds a live Okta session, signing them in (mock Okta's `POST /_lab/sessions`) when
 * they hold none. The seed signed every fleet user in once, through Jamf Trust's activation; a plan that
 * logs the user out uses that session up, and a lab may run such a plan more than once (the self-test's
 * shared labs) — each run must find a session for the policy to end, or it proves nothing.
 */
export async function ensureOktaSession(
  fetchImpl: typeof fetch,
  oktaUrl: string,
  email: string,
): Promise<void> {
  const live = (await apiCall(fetchImpl, `lab set-up: ${email}'s Okta sessions`, `${oktaUrl}/_lab/sessions`))
    .body as { login: string }[];
  if (live.some((s) => s.login.toLowerCase() === email.toLowerCase())) return;
  await apiCall(fetchImpl, `lab set-up: ${email} signs in to Okta`, `${oktaUrl}/_lab/sessions`, {
    json: { login: email },
  });
}

export async function oktaReceiverLabOptions(lab: Lab, manifest: LabManifest): Promise<OktaReceiverOptions> {
  const keys = await harnessKeys(publishOnLab(lab), 'okta-receiver-keys');
  const subjects = await fleetSubjects(lab.fetch, manifest.jamfSecurityCloud);
  const subject = subjectFromEnd(subjects, 0);
  await ensureOktaSession(lab.fetch, manifest.okta.url, String((subject.user as { email: string }).email));
  return oktaReceiverOptions(manifest, keys, subject);
}

export const oktaReceiverEntry: PlanEntry = { plan: oktaReceiverPlan, lab: oktaReceiverLabOptions };
