/**
 * For the plan's unit tests: run every check of a module over a capture where all should hold, and
 * each over the plan's failing cases (`failing-cases.testing.ts`). Pure — no servers.
 */
import { expect } from 'vitest';
import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import { type Check, isSkip, type Verdict } from '../core/index.ts';

/** A failing case of this plan: also a pattern that a problem's message must match (what is wrong). */
export interface TransmitterCase extends FailingCase {
  readonly mentions: RegExp;
}

export function checkOf<C>(checks: readonly Check<C>[], id: string): Check<C> {
  const check = checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check;
}

export function verdict<C>(checks: readonly Check<C>[], id: string, captured: C): Verdict {
  return checkOf(checks, id).evaluate(captured);
}

/** Builds a module's failing cases by check id: `fails(id, captured, why, mentions)`. */
export function casesFor<C>(
  checks: readonly Check<C>[],
): (id: string, captured: C, why: string, mentions: RegExp) => TransmitterCase {
  return (id, captured, why, mentions) => ({ ...failsOn(checkOf(checks, id), captured, why), mentions });
}

/** Every check holds (and is not skipped) over `good`. */
export function expectAllHold<C>(
  checks: readonly Check<C>[],
  good: C,
  skipped: readonly string[] = [],
): void {
  for (const check of checks) {
    const v = check.evaluate(good);
    if (skipped.includes(check.id)) expect(isSkip(v), check.id).toBe(true);
    else expect(v, check.id).toEqual([]);
  }
}

/** The case makes its check fail: problems, not a skip, and (when given) one names what is wrong. */
export function expectFails(c: FailingCase & { readonly mentions?: RegExp }): void {
  const v = c.check.evaluate(c.captured);
  expect(isSkip(v), `${c.check.id} skipped: ${JSON.stringify(v)}`).toBe(false);
  const problems = v as readonly { readonly message: string }[];
  expect(problems.length, c.check.id).toBeGreaterThan(0);
  if (c.mentions) expect(problems.map((p) => p.message).join('\n'), c.check.id).toMatch(c.mentions);
}

/** Rows for `test.each`: `[check id, why, case]`. */
export function rows<T extends FailingCase>(cases: readonly T[]): [string, string, T][] {
  return cases.map((c) => [c.check.id, c.why, c]);
}
