/**
 * Failing cases: for every check, a capture in which it fails. Each plan keeps its cases in
 * `suites/<plan>/failing-cases.testing.ts` (test data: not shipped), its own checks tests read them, and
 * one test over every plan (`harness/certify/every-check-fails.test.ts`) proves that each check of each
 * plan — scenarios included — has at least one, and that each one really makes its check fail.
 */
import { describe, expect, test } from 'vitest';
import { type Check, isSkip } from './check.ts';

export interface FailingCase {
  // biome-ignore lint/suspicious/noExplicitAny: a table holds checks of different capture types
  readonly check: Check<any>;
  readonly captured: unknown;
  /** What is wrong in the capture, as a sentence (the test's name). */
  readonly why: string;
}

/** A capture in which `check` must fail (return at least one problem, not a skip). */
export function failsOn<C>(check: Check<C>, captured: C, why: string): FailingCase {
  return { check, captured, why };
}

/**
 * One plan's half of the enforcement, for its own checks test (the test over every plan in
 * harness/certify/every-check-fails.test.ts is the other half): every check of `modules` has a case, and
 * every case in `cases` makes its check fail — a list of problems, not a skip, not an empty one.
 */
export function describeFailingCases(
  // biome-ignore lint/suspicious/noExplicitAny: modules of any capture type
  modules: readonly { readonly checks: readonly Check<any>[] }[],
  cases: readonly FailingCase[],
): void {
  describe('failing cases', () => {
    test('every check of the plan has one', () => {
      const covered = new Set(cases.map((c) => c.check.id));
      const checks = modules.flatMap((m) => m.checks.map((c) => c.id));
      expect(checks.filter((id) => !covered.has(id))).toEqual([]);
    });
    test.each(cases.map((c) => [`${c.check.id} fails: ${c.why}`, c] as const))('%s', (_name, c) => {
      const verdict = c.check.evaluate(c.captured);
      expect(isSkip(verdict) ? verdict : null).toBeNull();
      expect((verdict as readonly unknown[]).length).toBeGreaterThan(0);
    });
  });
}
