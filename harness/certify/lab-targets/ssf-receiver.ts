/**
 * The `ssf-receiver` plan against the lab: the receiver is mock Okta's SET endpoint. Before the plan runs,
 * the builder does what an Okta admin does for a new security events provider: the harness gets a fresh
 * signing key, its JWKS is served where Okta reaches it (attached to the lab), and the issuer is registered
 * through Okta's Security Events Providers API (issuer + jwks_url, Okta's form that needs no SSF metadata).
 * The SETs are about a fleet user on one of their devices, named as Okta expects (`okta` profile). All of
 * it goes over HTTP (set-up.ts), the way the black-box target does it against `ssf-lab serve`.
 *
 * The JWKS is published once, before the plan runs, because Okta's provider needs its URL up front: the
 * plan's signing-keys module, which changes the JWKS mid-run (a rotated key, a withdrawn one), is skipped
 * with its reason. (Mock Okta refetches a provider's JWKS at most every 30 s, as mocks/okta/README.md says, so
 * grading a rotation would cost the run half a minute per step anyway.)
 *
 * No `streamManagement`: Okta's SET receiver manages no stream at a transmitter. The transmitter's admin
 * points a stream at Okta's push endpoint, and Okta is only told the provider's issuer and keys (its SSF
 * Security Event Tokens API: the provider "must be configured in Okta as a Security Events Provider
 * instance before transmitting a SET to Okta"). Nothing in the lab plays a receiver that creates its own
 * stream, so the stream-management module, and the verification-state case that needs it, skip here.
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

/**
 * How often each name was published on a lab: a lab may run a plan more than once (the self-test runs its
 * rows on a few shared labs), and each run gets a JWKS — so an issuer — of its own.
 */
const publications = new WeakMap<Lab, Map<string, number>>();

/**
 * Publishes a JWKS on the lab: a small app attached as `https://<name>.harness.lab` (or a local port); the
 * second time on the same lab as `<name>-2`, and so on.
 */
export function publishOnLab(lab: Lab): PublishJwks {
  return async (name, path, jwks) => {
    const counts = publications.get(lab) ?? new Map<string, number>();
    publications.set(lab, counts);
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    const app = Fastify({ logger: false });
    app.get(path, async () => jwks);
    const { url } = await lab.attach(count === 1 ? name : `${name}-${count}`, app);
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
