/**
 * The `events` plan against the lab. The plan builds and judges its own SETs for every profile; the lab
 * also gives it SETs its Jamf Security Cloud really transmitted (`sets`): set-up.ts's capturedLabSets
 * raises and resolves a test threat and reads JSC's pushes to Okta back from the lab's timeline, judged
 * under Okta's profile, and — when JSC's issuer is https (in-process, and on loopback unless the lab runs
 * on plain http: `serve --http`) — polls the SETs JSC delivered on an SSF poll stream the set-up created through JSC's stream
 * management API, judged under the `ssf` profile. So the captured-SET checks grade the lab's real output
 * under both contracts, the `ssf` one being the only one with catalogued event types and subject formats.
 */
import { type EventsOptions, eventsPlan } from '../../../suites/events/index.ts';
import type { Lab, LabManifest } from '../../lab/index.ts';
import type { PlanEntry } from '../engine.ts';
import { type LabWaits, labWaits, realWaits } from '../lab-time.ts';
import { capturedLabSets, fleetSubjects, signalSubject } from './set-up.ts';

/** The plan's options for a lab, through any fetch that reaches it (shared with the black-box target). */
export async function eventsOptions(
  fetchImpl: typeof fetch,
  manifest: LabManifest,
  waits: LabWaits = realWaits,
): Promise<EventsOptions> {
  const device = signalSubject(await fleetSubjects(fetchImpl, manifest.jamfSecurityCloud));
  return { sets: await capturedLabSets(fetchImpl, manifest, device, waits) };
}

export const eventsEntry: PlanEntry = {
  plan: eventsPlan,
  lab: (lab: Lab, manifest: LabManifest) => eventsOptions(lab.fetch, manifest, labWaits(lab)),
};
