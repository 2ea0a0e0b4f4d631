/**
 * Failing cases: for every check, a capture in which it fails. Each plan keeps its cases in
 * `suites/<plan>/failing-cases.testing.ts` (test data: not shipped), its own checks tests read them, and
 * one test over every plan (`harness/certify/every-check-fails.test.ts`) proves that each check of each
 * plan — scenarios included — has at least one, and that each one really makes its check fail.
 */
import type { Check } from './check.ts';

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
