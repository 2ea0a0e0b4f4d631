/**
 * The `ssf-transmitter` plan against the lab: it grades the Jamf Security Cloud mock's transmitter with
 * the receiver account the lab manifest hands out (`ssf-lab-client`, audience `urn:ssf-lab:lab-client`).
 * For the stream isolation check the builder adds a second receiver account, as a JSC admin would
 * configure a second receiver — the one step with no HTTP API in the lab, so the black-box target goes
 * without it (that check then skips). The options themselves are set-up.ts's transmitterOptions.
 */
import { randomBytes } from 'node:crypto';
import type { SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import { ssfTransmitterPlan } from '../../../suites/ssf-transmitter/index.ts';
import type { Lab, LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../certify.ts';
import { transmitterOptions } from './set-up.ts';

/** The second receiver account's id at the lab's JSC transmitter. */
export const SECOND_RECEIVER_ID = 'ssf-lab-conformance-second';

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
  return transmitterOptions(manifest.jamfSecurityCloud, secondToken);
}

export const ssfTransmitterEntry: PlanEntry = {
  plan: ssfTransmitterPlan,
  lab: ssfTransmitterLabOptions,
};
