/**
 * Every conformance plan ssf-lab ships, with how to point it at the lab. `ssf-lab certify`, `npm test`
 * and the docs' requirement → checks table read this list.
 */
import type { PlanEntry } from './certify.ts';

export const PLAN_ENTRIES: readonly PlanEntry[] = [];

export function planEntry(name: string): PlanEntry | undefined {
  return PLAN_ENTRIES.find((e) => e.plan.name === name);
}
