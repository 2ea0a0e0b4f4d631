/**
 * A full certification run: every conformance plan against a fresh lab, in-process and on loopback. The
 * baseline, measured in the same run, is the lab's own start-up and the seed's configuration, which every
 * run pays before the first check. Issue 17 item 4's target: in-process, where every wait of the run is on
 * the lab's virtual clock (harness/certify/lab-time.ts), all plans in ≤ 5× that baseline. On loopback the
 * lab runs in real time — the waits are real — so its row is for context.
 */
import { certifyLab } from '../certify/engine.ts';
import { PLAN_ENTRIES } from '../certify/plan-entries.ts';
import { configureSeed, startLab } from '../lab/index.ts';
import { countStatuses } from '../records/index.ts';
import { median, type Row } from './measure.ts';

/** Issue 17 item 4: all plans in-process within this many lab start-ups and set-ups. */
const TARGET_RATIO = 5;

async function setupMs(): Promise<number> {
  const start = performance.now();
  const lab = await startLab({ transport: 'in-process', seed: 1, devices: 8, intercept: false });
  await configureSeed(lab);
  await lab.close();
  return performance.now() - start;
}

export async function certifyLabBench(): Promise<Row[]> {
  await setupMs(); // warm-up: module loading and schema compilation
  // The median of three: one start-up is short enough for a neighbour's burst of work to double it.
  const base = median([await setupMs(), await setupMs(), await setupMs()]);
  const rows: Row[] = [];
  for (const transport of ['in-process', 'loopback'] as const) {
    const start = performance.now();
    const record = await certifyLab(PLAN_ENTRIES, { transport });
    const ms = performance.now() - start;
    const counts = countStatuses(record);
    const targeted = transport === 'in-process';
    rows.push({
      measure: `all ${record.plans.length} plans against the lab (${transport}${targeted ? ', virtual time' : ', real time'}): ${counts.passed} passed, ${counts.skipped} skipped, ${counts.failed + counts.error} failed`,
      value: `${(ms / 1000).toFixed(1)} s`,
      ratio: `${(ms / base).toFixed(1)}× lab start + seed set-up (${(base / 1000).toFixed(2)} s)`,
      ...(targeted
        ? { target: `≤ ${TARGET_RATIO}×, verdict passed`, ok: ms <= TARGET_RATIO * base && record.passed }
        : {}),
    });
  }
  return rows;
}
