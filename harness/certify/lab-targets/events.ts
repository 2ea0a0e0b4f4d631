/**
 * The `events` plan against the lab. The plan needs no target — it builds and judges its own SETs — so the
 * lab builder only returns the defaults: every profile, no captured SETs.
 */
import { type EventsOptions, eventsPlan } from '../../../suites/events/index.ts';
import type { PlanEntry } from '../engine.ts';

export const eventsEntry: PlanEntry = {
  plan: eventsPlan,
  lab: async (): Promise<EventsOptions> => ({}),
};
