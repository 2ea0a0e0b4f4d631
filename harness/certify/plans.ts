/**
 * What each conformance plan holds — its modules and their checks, with the requirement and level each
 * check cites — known before anything runs, so a test runner can lay out one test per check.
 */
import { type FindingLevel, REQUIREMENTS } from '../protocol/index.ts';
import type { PlanEntry } from './engine.ts';
import { PLAN_ENTRIES } from './plan-entries.ts';

export interface CheckInfo {
  readonly id: string;
  /** The assertion, as a sentence. */
  readonly title: string;
  /** The requirement it cites (`RFC8935-2.3`, `SSF-8.1.1.1`, …). */
  readonly requirement: string;
  /** `failure` (MUST), `warning` (SHOULD) or `info` (MAY). */
  readonly level: FindingLevel;
}

export interface ModuleInfo {
  readonly id: string;
  readonly title: string;
  readonly checks: readonly CheckInfo[];
}

export interface PlanInfo {
  readonly name: string;
  readonly title: string;
  /** What the harness plays against the target. */
  readonly role: string;
  /** JSON Schema of the plan's section of a target. */
  readonly optionsSchema: object;
  /** Whether `certify({ lab })` can run it. */
  readonly lab: boolean;
  readonly modules: readonly ModuleInfo[];
}

export function planInfo(entry: PlanEntry): PlanInfo {
  const { plan } = entry;
  return {
    name: plan.name,
    title: plan.title,
    role: plan.role,
    optionsSchema: plan.optionsSchema,
    lab: entry.lab !== undefined,
    modules: plan.modules.map((m) => ({
      id: m.id,
      title: m.title,
      checks: m.checks.map((c) => ({
        id: c.id,
        title: c.title,
        requirement: c.requirement,
        level: REQUIREMENTS[c.requirement].level,
      })),
    })),
  };
}

/** Every plan this ssf-lab has, in run order. */
export const PLANS: readonly PlanInfo[] = PLAN_ENTRIES.map(planInfo);
