/**
 * The `ssf-transmitter` plan against the lab: it grades the Jamf Security Cloud mock's transmitter with
 * the receiver account the lab manifest hands out (`ssf-lab-client`, audience `urn:ssf-lab:lab-client`).
 * For the stream isolation check the builder adds a second receiver account, as a JSC admin would
 * configure a second receiver, through JSC's lab control `POST /_lab/ssf-receivers` (no Jamf API does it;
 * the black-box target goes without, and that check then skips). Likewise a third account whose streams
 * time out after 2 s of inactivity (same audience as the lab client's), for the Stream Updated check. The
 * options themselves are set-up.ts's transmitterOptions, with the lab's event trigger: a LOW test threat
 * raised through JSC's `POST /_lab/threats` on the device of signalSubject's user and resolved when the
 * module ends, so the events module grades real device-risk-change SETs.
 */
import type { SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import { ssfTransmitterPlan } from '../../../suites/ssf-transmitter/index.ts';
import { apiCall, LAB_CLIENT_AUDIENCE, type Lab, type LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import { fleetSubjects, signalSubject, transmitterOptions } from './set-up.ts';

/** A receiver account at the lab's JSC transmitter; its bearer token. */
async function receiverAccount(
  lab: Lab,
  manifest: LabManifest,
  account: { readonly audience: string; readonly inactivityTimeoutSeconds?: number },
): Promise<string> {
  const answer = await apiCall(
    lab.fetch,
    'lab set-up: a receiver account at the JSC transmitter',
    `${manifest.jamfSecurityCloud.url}/_lab/ssf-receivers`,
    { json: account, expect: [201] },
  );
  return String((answer.body as { token: unknown }).token);
}

export async function ssfTransmitterLabOptions(
  lab: Lab,
  manifest: LabManifest,
): Promise<SsfTransmitterOptions> {
  const secondToken = await receiverAccount(lab, manifest, { audience: 'urn:ssf-lab:conformance-second' });
  const idleToken = await receiverAccount(lab, manifest, {
    audience: LAB_CLIENT_AUDIENCE,
    inactivityTimeoutSeconds: 2,
  });
  const signal = signalSubject(await fleetSubjects(lab.fetch, manifest.jamfSecurityCloud));
  return {
    ...transmitterOptions(manifest.jamfSecurityCloud, {
      secondToken,
      signal,
      ...(manifest.lab === undefined ? {} : { adminToken: manifest.lab.adminToken }),
    }),
    inactivity: { token: idleToken, maxWaitSeconds: 5 },
  };
}

export const ssfTransmitterEntry: PlanEntry = {
  plan: ssfTransmitterPlan,
  lab: ssfTransmitterLabOptions,
};
