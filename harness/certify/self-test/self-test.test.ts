/**
 * The self-test matrix, run: each row starts a lab that deviates in one named way, runs the row's modules
 * against it as `ssf-lab certify --lab --deviate` does, and asserts every check the row lists reported a
 * finding. A few in-process labs share the rows, side by side; the plans' waits on the services' timers
 * run on each lab's virtual clock (harness/certify/lab-time.ts), so a row costs its work, not its waits.
 * And the bookkeeping: every check of every plan has a row, a reason no lab deviation can exist, or is on
 * the short list of those not shown yet.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { LAB_DEVIATIONS } from '../../lab/index.ts';
import {
  NOT_YET_SHOWN,
  planChecks,
  SELF_TEST_ROWS,
  type SelfTestRow,
  WITHOUT_LAB_DEVIATION,
} from './matrix.ts';
import { renderSelfTestMarkdown } from './render.ts';
import { failedIn, runSelfTestRows, type SelfTestOutcome } from './run.ts';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'self-test.md');

/**
 * Labs at once, each running rows one after another. The rows' waits run on the labs' virtual clocks
 * (harness/certify/lab-time.ts), so a row is work, not waiting: more labs than cores only add start-ups.
 */
const LABS = 4;

describe('the matrix covers every check', () => {
  const shown = new Set(SELF_TEST_ROWS.flatMap((r) => r.fails));
  const excused = new Set(WITHOUT_LAB_DEVIATION.flatMap((w) => w.checks));
  const pending = new Set(NOT_YET_SHOWN);
  const all = planChecks();

  test('every check has a row, a reason none can exist, or is listed as not shown yet', () => {
    const orphans = all.filter((c) => !shown.has(c.check) && !excused.has(c.check) && !pending.has(c.check));
    expect(orphans.map((c) => `${c.plan} › ${c.module} › ${c.check}`)).toEqual([]);
  });

  test('a check is in exactly one of the three lists', () => {
    const twice = all.filter((c) => [shown, excused, pending].filter((set) => set.has(c.check)).length > 1);
    expect(twice.map((c) => c.check)).toEqual([]);
  });

  test('rows name real deviations, plans, modules and checks', () => {
    const ids = new Set(all.map((c) => c.check));
    for (const row of SELF_TEST_ROWS) {
      expect(Object.hasOwn(LAB_DEVIATIONS, row.deviation), row.deviation).toBe(true);
      for (const check of row.fails) {
        expect(ids.has(check), `${row.deviation}: ${check} is no check`).toBe(true);
        const where = all.find((c) => c.check === check);
        expect(where?.plan, check).toBe(row.plan);
        expect(row.modules, `${row.deviation}: ${check} is in module ${where?.module}`).toContain(
          where?.module,
        );
      }
    }
    for (const id of [...excused, ...pending]) expect(ids.has(id), `${id} is no check`).toBe(true);
  });

  test('every deviation the lab declares is shown by a row', () => {
    const used = new Set(SELF_TEST_ROWS.map((r) => r.deviation));
    expect(Object.keys(LAB_DEVIATIONS).filter((d) => !used.has(d))).toEqual([]);
  });

  test('docs/self-test.md is up to date (run `npm run docs`)', () => {
    expect(readFileSync(DOC, 'utf8'), 'docs/self-test.md drifted from the matrix: run `npm run docs`').toBe(
      renderSelfTestMarkdown(),
    );
  });
});

describe('each deviation makes its checks fail end to end', () => {
  let outcomes = new Map<SelfTestRow, SelfTestOutcome>();

  beforeAll(async () => {
    outcomes = await runSelfTestRows(SELF_TEST_ROWS, LABS);
  }, 170_000);

  test.each(SELF_TEST_ROWS.map((row) => [`${row.deviation} › ${row.plan}`, row] as const))(
    '%s',
    (_name, row) => {
      const outcome = outcomes.get(row);
      expect(outcome, 'the row did not run').toBeDefined();
      if (outcome === undefined) return;
      expect(outcome.errors, 'a module of the row threw').toEqual([]);
      const notFailing = row.fails
        .filter((check) => !failedIn(outcome, check))
        .map((check) => {
          const result = outcome.checks.get(check);
          return `${check}: ${result === undefined ? 'not run' : `${result.status}${result.reason ? ` (${result.reason})` : ''}`}`;
        });
      expect(notFailing, `under ${row.deviation}, these checks did not fail`).toEqual([]);
    },
  );
});
