/**
 * The `ssf-receiver` plan against the lab: the receiver is mock Okta's SET endpoint. Before the plan runs,
 * the builder does what an Okta admin does for a new security events provider: the harness gets a fresh
 * signing key, its JWKS is served where Okta reaches it (attached to the lab), and the issuer is registered
 * through Okta's Security Events Providers API (issuer + jwks_url, Okta's form that needs no SSF metadata).
 * The SETs are about a fleet user on one of their devices, named as Okta expects (`okta` profile). All of
 * it goes over HTTP (set-up.ts), the way the black-box target does it against `ssf-lab serve`.
 */
import Fastify from 'fastify';
import type { SsfReceiverOptions } from '../../../suites/ssf-receiver/index.ts';
import { ssfReceiverPlan } from '../../../suites/ssf-receiver/index.ts';
import type { Lab, LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import {
  fleetSubjects,
  harnessKeys,
  type PublishJwks,
  registerProvider,
  SET_ENDPOINT_PATH,
  subjectFromEnd,
} from './set-up.ts';

export { SET_ENDPOINT_PATH } from './set-up.ts';

/** Publishes a JWKS on the lab: a small app attached as `https://<name>.harness.lab` (or a local port). */
export function publishOnLab(lab: Lab): PublishJwks {
  return async (name, path, jwks) => {
    const app = Fastify({ logger: false });
    app.get(path, async () => jwks);
    const { url } = await lab.attach(name, app);
    return url;
  };
}

export async function ssfReceiverLabOptions(lab: Lab, manifest: LabManifest): Promise<SsfReceiverOptions> {
  const keys = await harnessKeys(publishOnLab(lab), 'receiver-keys');
  await registerProvider(lab.fetch, manifest.okta, keys, 'ssf-lab-ssf-receiver');
  return {
    pushEndpoint: `${manifest.okta.url}${SET_ENDPOINT_PATH}`,
    audience: manifest.okta.url,
    issuer: keys.issuer,
    privateJwk: keys.privateJwk,
    profile: 'okta',
    subject: subjectFromEnd(await fleetSubjects(lab.fetch, manifest.jamfSecurityCloud), 1),
  };
}

export const ssfReceiverEntry: PlanEntry = { plan: ssfReceiverPlan, lab: ssfReceiverLabOptions };
