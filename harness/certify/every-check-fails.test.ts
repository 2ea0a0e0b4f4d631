/**
 * Every check can fail: each check of each module of each plan (and each of EXTRA_CHECKS) has at least one
 * failing case — matched by id, so a check two plans share is covered once for both — each case really
 * makes its check fail (at least one problem, not a skip), and no case names a check no plan has any more.
 */
import { describe, expect, test } from 'vitest';
import { isSkip } from '../../suites/core/index.ts';
import { ALL_FAILING_CASES, EXTRA_CHECKS } from './failing-cases.testing.ts';
import { PLAN_ENTRIES } from './plan-entries.ts';

const uses = [
  ...PLAN_ENTRIES.flatMap(({ plan }) =>
    plan.modules.flatMap((m) => m.checks.map((check) => ({ where: `${plan.name} › ${m.id}`, check }))),
  ),
]
  .map(({ where, check }) => ({ where, id: check.id }))
  .concat(EXTRA_CHECKS);

const covered = new Set(ALL_FAILING_CASES.map((c) => c.check.id));

describe('every check has a failing case', () => {
  test.each(uses.map(({ where, id }) => [`${where} › ${id}`, id] as const))('%s', (_name, id) => {
    expect(covered.has(id), `no failing case for ${id}`).toBe(true);
  });
});

describe('every failing case fails', () => {
  test.each(ALL_FAILING_CASES.map((c) => [`${c.check.id}: ${c.why}`, c] as const))('%s', (_name, c) => {
    const verdict = c.check.evaluate(c.captured);
    expect(isSkip(verdict) ? `skipped: ${verdict.skip}` : 'judged').toBe('judged');
    expect(verdict as readonly unknown[], 'no problem found').not.toHaveLength(0);
  });
});

test('no failing case names a check that is in no plan', () => {
  const known = new Set(uses.map((u) => u.id));
  const stale = [...new Set(ALL_FAILING_CASES.map((c) => c.check.id))].filter((id) => !known.has(id));
  expect(stale).toEqual([]);
});
