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
import type { Lab, LabManifest } from '../../lab/index.ts';
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

export async function oktaReceiverLabOptions(lab: Lab, manifest: LabManifest): Promise<OktaReceiverOptions> {
  const keys = await harnessKeys(publishOnLab(lab), 'okta-receiver-keys');
  const subjects = await fleetSubjects(lab.fetch, manifest.jamfSecurityCloud);
  return oktaReceiverOptions(manifest, keys, subjectFromEnd(subjects, 0));
}

export const oktaReceiverEntry: PlanEntry = { plan: oktaReceiverPlan, lab: oktaReceiverLabOptions };
