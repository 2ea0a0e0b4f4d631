import { describe, expect, test } from 'vitest';
import { expectFails } from './checks.testing.ts';
import { FAILING_CASES, FAILING_CASES_BY_MODULE } from './failing-cases.testing.ts';
import { ssfTransmitterPlan } from './index.ts';

describe('the ssf-transmitter failing cases', () => {
  const modules = ssfTransmitterPlan.modules;

  test('they are kept for exactly the plan’s modules', () =>
    expect(Object.keys(FAILING_CASES_BY_MODULE).sort()).toEqual(modules.map((m) => m.id).sort()));

  describe.each(modules.map((m) => [m.id, m] as const))('module %s', (id, module) => {
    const cases = FAILING_CASES_BY_MODULE[id] ?? [];

    test('every check has at least one case', () => {
      const covered = new Set(cases.map((c) => c.check));
      expect(module.checks.filter((c) => !covered.has(c)).map((c) => c.id)).toEqual([]);
    });

    test('every case is of one of its checks and fails it', () => {
      for (const c of cases) {
        expect(module.checks, c.check.id).toContain(c.check);
        expectFails(c);
      }
    });
  });

  test('the whole table holds every case, each explained by a sentence', () => {
    expect(FAILING_CASES).toHaveLength(Object.values(FAILING_CASES_BY_MODULE).flat().length);
    for (const c of FAILING_CASES) expect(c.why, c.check.id).toMatch(/^[A-Z"].*\.$/);
  });
});
