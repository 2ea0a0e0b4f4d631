/**
 * Runs self-test rows: a lab configured as the seed leaves it, the row's deviation switched on, the row's
 * plan cut down to the row's modules and run by the same engine `ssf-lab certify --lab` uses, the
 * deviation switched off again. A few labs serve all the rows — starting one (keys, fleet, the seed's
 * set-up) costs far more than a row — and the plans leave a lab as they found it, as they do for each
 * other in one `certify --lab` run.
 */
import { runPlans } from '../../../suites/core/index.ts';
import { toolVersion } from '../../config/package.ts';
import { configureSeed, type Lab, labManifest } from '../../lab/index.ts';
import type { CheckResult } from '../../records/index.ts';
import { LabOperator, labBuilder, labContext, type PlanEntry } from '../engine.ts';
import { startCertifyLab } from '../lab-time.ts';
import { planEntry } from '../plan-entries.ts';
import type { SelfTestRow } from './matrix.ts';

export interface SelfTestOutcome {
  readonly row: SelfTestRow;
  readonly checks: ReadonlyMap<string, CheckResult>;
  /** Module errors (the module's run threw), which would hide what the checks say. */
  readonly errors: readonly string[];
}

/** The lab's entry for `row.plan`, with only `row.modules` (in the plan's order). */
function cutDown(row: SelfTestRow): PlanEntry {
  const entry = planEntry(row.plan);
  if (entry?.lab === undefined) throw new Error(`self-test: plan ${row.plan} has no lab set-up`);
  const modules = entry.plan.modules.filter((m) => row.modules.includes(m.id));
  const missing = row.modules.filter((id) => !modules.some((m) => m.id === id));
  if (missing.length > 0) throw new Error(`self-test: plan ${row.plan} has no module ${missing.join(', ')}`);
  return { ...entry, plan: { ...entry.plan, modules } };
}

/**
 * Shorter waits than `certify --lab` gives (8 s for an event, 15 s for Okta's chain): in-process an event
 * arrives within milliseconds, and a row that waits a timeout out waits for what its deviation stops from
 * ever happening — at the lab's waits, those rows alone took half a minute. Still far above what the lab
 * needs when two test workers share two cores; the verdicts are those the longer waits give.
 */
const SHORTER_WAITS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'ssf-transmitter': { eventTimeoutMs: 3000 },
  'okta-receiver': { waitMs: 5000 },
  // Above `okta-delays-universal-logout`'s 6 s, which must still be seen arriving late.
  integration: { waitMs: 9000 },
};

/** The lab's plan options with the shorter waits and a row's overrides merged in, one level deep. */
function withOverrides(plan: string, options: unknown, overrides: SelfTestRow['options']): unknown {
  const base = (options ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base, ...SHORTER_WAITS[plan] };
  for (const [name, value] of Object.entries(overrides ?? {}))
    merged[name] = { ...((base[name] as Record<string, unknown> | undefined) ?? {}), ...value };
  return merged;
}

/** One row on a lab that is already configured; the deviation is on only while the row runs. */
export async function runSelfTestRowOn(lab: Lab, row: SelfTestRow): Promise<SelfTestOutcome> {
  const entry = cutDown(row);
  lab.deviations.enable(row.deviation);
  try {
    const operator = new LabOperator();
    const build = labBuilder(entry, row.target);
    const options = withOverrides(row.plan, await build?.(lab, labManifest(lab), operator), row.options);
    const record = await runPlans([{ plan: entry.plan, options }], {
      target: { name: `the lab, deviating: ${row.deviation}`, kind: 'lab' },
      toolVersion: toolVersion(),
      context: labContext(lab, new AbortController().signal, operator),
    });
    const modules = record.plans.flatMap((p) => p.modules);
    return {
      row,
      checks: new Map(modules.flatMap((m) => m.checks.map((c) => [c.id, c] as const))),
      errors: modules.flatMap((m) => (m.error === undefined ? [] : [`${m.id}: ${m.error}`])),
    };
  } finally {
    lab.deviations.disable(row.deviation);
  }
}

/** A lab as `certify --lab` starts one (on virtual time: the rows' waits cost no wall time). */
export async function selfTestLab(): Promise<Lab> {
  const lab = await startCertifyLab({ seed: 1, devices: 8, intercept: false });
  try {
    await configureSeed(lab);
  } catch (error) {
    await lab.close();
    throw error;
  }
  return lab;
}

/**
 * Every row, `labs` labs at once, each taking the next row when it is done with one. The labs run on
 * virtual time (startCertifyLab): a row's waits on the services' timers cost no wall time, and labs
 * beyond the cores add little.
 */
export async function runSelfTestRows(
  rows: readonly SelfTestRow[],
  labs: number,
): Promise<Map<SelfTestRow, SelfTestOutcome>> {
  // The rows that wait longest start first, so that none is left to run alone at the end.
  const queue = [...rows].sort((a, b) => expectedWait(b) - expectedWait(a));
  const outcomes = new Map<SelfTestRow, SelfTestOutcome>();
  const worker = async (): Promise<void> => {
    const lab = await selfTestLab();
    try {
      for (let row = queue.shift(); row !== undefined; row = queue.shift())
        outcomes.set(row, await runSelfTestRowOn(lab, row));
    } finally {
      await lab.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(labs, rows.length)) }, worker));
  return outcomes;
}

/**
 * A rough rank of how long a row waits: Okta's whole chain, the retry module's real backoffs, many modules.
 * The events plan's rows come before all: their set-up captures the SETs of a test threat once the lab is
 * quiet, and a lab that earlier rows left retrying pushes to a receiver that has gone may not be quiet.
 */
function expectedWait(row: SelfTestRow): number {
  if (row.plan === 'events') return 1e9;
  return (
    (row.plan === 'integration' ? 3 : 0) +
    (row.modules.includes('retry') ? 2 + (row.options === undefined ? 0 : 1) : 0) +
    row.modules.length / 10
  );
}

/** A single row on a lab of its own (a probe while writing rows). */
export async function runSelfTestRow(row: SelfTestRow): Promise<SelfTestOutcome> {
  return (await runSelfTestRows([row], 1)).get(row) as SelfTestOutcome;
}

/** Did `check` fail in the run: judged, with at least one finding (a warning counts for a SHOULD check). */
export function failedIn(outcome: SelfTestOutcome, check: string): boolean {
  const result = outcome.checks.get(check);
  return result !== undefined && result.status !== 'skipped' && result.findings.length > 0;
}
