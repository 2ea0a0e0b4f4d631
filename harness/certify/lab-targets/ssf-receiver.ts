/**
 * The `ssf-receiver` plan against the lab. Two of the lab's receivers can be graded:
 *
 * - by default, the lab's strict SSF receiver (reference-receiver.ts): ssf-lab's reference receiver engine
 *   attached to the lab, graded under the `ssf` profile, the plan's default. It fetches the JWKS the
 *   harness serves (`jwksPath`), so the signing-keys module's rotation and withdrawal run; it subscribes
 *   to the transmitter the plan serves (`streamManagement`), so the stream-management module runs; and it
 *   lists what it processed (`processedSets`), so the battery checks that every refused SET changed
 *   nothing. The operator's part — telling it where the harness serves each — is the LabOperator's.
 * - with `--lab-target okta`, mock Okta's SET endpoint, under Okta's contract (`okta` profile). Before the
 *   plan runs the builder does what an Okta admin does for a new security events provider: the harness
 *   gets a fresh signing key, its JWKS is served where Okta reaches it (attached to the lab), and the
 *   issuer is registered through Okta's Security Events Providers API. Okta's provider needs its JWKS URL
 *   up front and mock Okta refetches it at most every 30 s, as Okta does, so the signing-keys module skips;
 *   Okta manages no stream at a transmitter (the provider "must be configured in Okta as a Security Events
 *   Provider instance before transmitting a SET to Okta"), so the stream-management module skips too.
 *
 * All of it goes over HTTP (set-up.ts), the way the black-box target does it against `ssf-lab serve`.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { SsfReceiverOptions } from '../../../suites/ssf-receiver/index.ts';
import { ssfReceiverPlan } from '../../../suites/ssf-receiver/index.ts';
import type { Lab, LabManifest } from '../../lab/index.ts';
import { generateSigningKey } from '../../protocol/index.ts';
import type { LabOperator, PlanEntry } from '../engine.ts';
import { labWaits } from '../lab-time.ts';
import { BATTERY_ISSUER, LabReferenceReceiver, REFERENCE_RECEIVER_AUDIENCE } from './reference-receiver.ts';
import {
  fleetSubjects,
  harnessKeys,
  type PublishJwks,
  registerProvider,
  SET_ENDPOINT_PATH,
  subjectFromEnd,
} from './set-up.ts';

export { SET_ENDPOINT_PATH } from './set-up.ts';

const JWKS_PATH = '/jwks.json';

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
    const app = Fastify({ logger: false });
    app.get(path, async () => jwks);
    const { url } = await lab.attach(nextName(lab, name), app);
    return url;
  };
}

/** `name` the first time on a lab, then `<name>-2`, and so on: attached names are unique per lab. */
function nextName(lab: Lab, name: string): string {
  const counts = publications.get(lab) ?? new Map<string, number>();
  publications.set(lab, counts);
  const count = (counts.get(name) ?? 0) + 1;
  counts.set(name, count);
  return count === 1 ? name : `${name}-${count}`;
}

/** Mock Okta's SET receiver, under Okta's contract (`--lab-target okta`). */
export async function oktaReceiverLabOptions(lab: Lab, manifest: LabManifest): Promise<SsfReceiverOptions> {
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

/**
 * The lab's strict SSF receiver (reference-receiver.ts), attached to the lab and configured by the operator
 * with what the plan serves: the JWKS at `jwksPath` and the transmitter it subscribes to with
 * `streamManagement.token`. Graded under the `ssf` profile, the plan's default.
 */
export async function referenceReceiverLabOptions(
  lab: Lab,
  _manifest: LabManifest,
  operator: LabOperator,
): Promise<SsfReceiverOptions> {
  const { privateJwk } = await generateSigningKey('ES256');
  const token = `rx-${randomBytes(16).toString('base64url')}`;
  const receiver = new LabReferenceReceiver({
    deviations: lab.deviations,
    fetch: lab.fetch,
    streamToken: token,
    clock: labWaits(lab),
  });
  const attached = await lab.attach(nextName(lab, 'reference-receiver'), receiver.app);
  receiver.attached(attached.url);
  operator.onServe((name, url) => receiver.served(name, url, JWKS_PATH));
  return {
    pushEndpoint: receiver.pushEndpoint,
    audience: REFERENCE_RECEIVER_AUDIENCE,
    issuer: BATTERY_ISSUER,
    privateJwk,
    jwksPath: JWKS_PATH,
    processedSets: { url: receiver.processedUrl },
    // It refetches on an unknown kid at once: what is graded is that it does, not how long it waits.
    keyRotationWaitMs: 5000,
    // A strict receiver subscribes to https issuers only (SSF-7.1): where what the plan serves is plain
    // http (a lab without TLS) the module is left out, and skips saying no stream management is configured.
    // certifyLab gives a loopback lab TLS, so there, as in-process, it runs.
    ...(attached.url.startsWith('https:')
      ? { streamManagement: { token, waitMs: 6000, expect: ['create', 'verify', 'delete'] as const } }
      : {}),
  };
}

export const ssfReceiverEntry: PlanEntry = {
  plan: ssfReceiverPlan,
  lab: referenceReceiverLabOptions,
  // Mock Okta's SET receiver under Okta's contract: a provider registered through its Security Events
  // Providers API, no stream of its own, a JWKS cached 30 s.
  labTargets: { okta: oktaReceiverLabOptions },
};
