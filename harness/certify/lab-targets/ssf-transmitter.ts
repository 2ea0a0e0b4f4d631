/**
 * The `ssf-transmitter` plan against the lab: it grades the Jamf Security Cloud mock's transmitter with
 * the receiver account the lab manifest hands out (`ssf-lab-client`, audience `urn:ssf-lab:lab-client`).
 * For the stream isolation check the builder adds a second receiver account, as a JSC admin would
 * configure a second receiver — the one step with no HTTP API in the lab, so the black-box target goes
 * without it (that check then skips). Likewise a third account whose streams time out after 2 s of
 * inactivity (same audience as the lab client's), for the Stream Updated check. The options themselves
 * are set-up.ts's transmitterOptions.
 */
import { randomBytes } from 'node:crypto';
import type { SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import { ssfTransmitterPlan } from '../../../suites/ssf-transmitter/index.ts';
import { LAB_CLIENT_AUDIENCE, type Lab, type LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import { transmitterOptions } from './set-up.ts';

/** The second receiver account's id at the lab's JSC transmitter. */
export const SECOND_RECEIVER_ID = 'ssf-lab-conformance-second';
/** The account whose streams the transmitter pauses after 2 s without activity. */
export const IDLE_RECEIVER_ID = 'ssf-lab-conformance-idle';

export async function ssfTransmitterLabOptions(
  lab: Lab,
  manifest: LabManifest,
): Promise<SsfTransmitterOptions> {
  const secondToken = randomBytes(32).toString('base64url');
  lab.jsc.transmitter.addReceiver({
    id: `${SECOND_RECEIVER_ID}-${randomBytes(4).toString('hex')}`,
    audience: 'urn:ssf-lab:conformance-second',
    tokens: [secondToken],
  });
  const idleToken = randomBytes(32).toString('base64url');
  lab.jsc.transmitter.addReceiver({
    id: `${IDLE_RECEIVER_ID}-${randomBytes(4).toString('hex')}`,
    audience: LAB_CLIENT_AUDIENCE,
    tokens: [idleToken],
    inactivityTimeoutSeconds: 2,
  });
  return {
    ...transmitterOptions(manifest.jamfSecurityCloud, secondToken),
    inactivity: { token: idleToken, maxWaitSeconds: 5 },
  };
}

export const ssfTransmitterEntry: PlanEntry = {
  plan: ssfTransmitterPlan,
  lab: ssfTransmitterLabOptions,
};
