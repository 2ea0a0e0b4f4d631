/**
 * Every conformance plan ssf-lab ships, with how to point it at the lab. `ssf-lab certify`, `npm test`
 * and the docs' requirement → checks table read this list. Order is run order: the plans that only read
 * or push come first; `okta-receiver`, `universal-logout` and `integration` log a user out, so they come
 * last.
 */
import type { PlanEntry } from './engine.ts';
import { eventsEntry } from './lab-targets/events.ts';
import { integrationEntry } from './lab-targets/integration.ts';
import { oktaReceiverEntry } from './lab-targets/okta-receiver.ts';
import { ssfReceiverEntry } from './lab-targets/ssf-receiver.ts';
import { ssfTransmitterEntry } from './lab-targets/ssf-transmitter.ts';
import { universalLogoutEntry } from './lab-targets/universal-logout.ts';

export const PLAN_ENTRIES: readonly PlanEntry[] = [
  eventsEntry,
  ssfTransmitterEntry,
  ssfReceiverEntry,
  oktaReceiverEntry,
  universalLogoutEntry,
  integrationEntry,
];

export function planEntry(name: string): PlanEntry | undefined {
  return PLAN_ENTRIES.find((e) => e.plan.name === name);
}
