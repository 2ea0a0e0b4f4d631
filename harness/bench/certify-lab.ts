/**
 * A full certification run (issue 7): every conformance plan against a fresh lab, in-process and on
 * loopback; target ≤ 30 s in-process. The baseline, measured in the same run, is the lab's own start-up
 * and the seed's configuration, which every run pays before the first check.
 */
import { certifyLab } from '../certify/engine.ts';
import { PLAN_ENTRIES } from '../certify/plan-entries.ts';
import { configureSeed, startLab } from '../lab/index.ts';
import { countStatuses } from '../records/index.ts';
import type { Row } from './measure.ts';

async function setupMs(): Promise<number> {
  const start = performance.now();
  const lab = await startLab({ transport: 'in-process', seed: 1, devices: 8, intercept: false });
  await configureSeed(lab);
  await lab.close();
  return performance.now() - start;
}

export async function certifyLabBench(): Promise<Row[]> {
  await setupMs(); // warm-up: module loading and schema compilation
  const base = await setupMs();
  const rows: Row[] = [];
  for (const transport of ['in-process', 'loopback'] as const) {
    const start = performance.now();
    const record = await certifyLab(PLAN_ENTRIES, { transport });
    const ms = performance.now() - start;
    const counts = countStatuses(record);
    const targeted = transport === 'in-process';
    rows.push({
      measure: `all ${record.plans.length} plans against the lab (${transport}): ${counts.passed} passed, ${counts.skipped} skipped, ${counts.failed + counts.error} failed`,
      value: `${(ms / 1000).toFixed(1)} s`,
      ratio: `${(ms / base).toFixed(1)}× lab start + seed set-up (${(base / 1000).toFixed(2)} s)`,
      ...(targeted ? { target: '≤ 30 s, verdict passed', ok: ms <= 30_000 && record.passed } : {}),
    });
  }
  return rows;
}
