/**
 * The `ssf-transmitter` plan against the lab: it grades the Jamf Security Cloud mock's transmitter with
 * the receiver account the lab manifest hands out (`ssf-lab-client`, audience `urn:ssf-lab:lab-client`).
 * For the stream isolation check the builder adds a second receiver account, as a JSC admin would
 * configure a second receiver. On loopback the lab's URLs are plain http, so `allowHttp` is set there.
 * The timing bounds are tight because the lab answers in milliseconds; the retry cases follow the
 * reference engine's DEFAULT_RETRY (1 s base delay), so the retry module takes about three seconds.
 */
import { randomBytes } from 'node:crypto';
import type { SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import { ssfTransmitterPlan } from '../../../suites/ssf-transmitter/index.ts';
import { LAB_CLIENT_AUDIENCE, type Lab, type LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../certify.ts';

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
  return {
    issuer: manifest.jamfSecurityCloud.issuer,
    token: manifest.jamfSecurityCloud.streamToken,
    secondToken,
    audience: LAB_CLIENT_AUDIENCE,
    delivery: 'both',
    eventTimeoutMs: 8000,
    quietWindowMs: 400,
    allowHttp: lab.transport === 'loopback',
    retry: { timeoutCase: false, noRetryWindowMs: 2500, retryAfterSeconds: 2 },
  };
}

export const ssfTransmitterEntry: PlanEntry = {
  plan: ssfTransmitterPlan,
  lab: ssfTransmitterLabOptions,
};
