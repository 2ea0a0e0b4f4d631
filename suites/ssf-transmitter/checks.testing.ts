/**
 * For the plan's unit tests: run every check of a module over a capture where all should hold, and
 * each over a capture made to break it. Pure — no servers.
 */
import { expect } from 'vitest';
import { type Check, isSkip, type Verdict } from '../core/index.ts';

export function verdict<C>(checks: readonly Check<C>[], id: string, captured: C): Verdict {
  const check = checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.evaluate(captured);
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

/** Each breaking capture makes its check fail; together they cover every check. */
export function expectEachFails<C>(checks: readonly Check<C>[], breaking: Readonly<Record<string, C>>): void {
  expect(Object.keys(breaking).sort()).toEqual(checks.map((c) => c.id).sort());
  for (const [id, captured] of Object.entries(breaking)) {
    const v = verdict(checks, id, captured);
    expect(isSkip(v), `${id} skipped: ${JSON.stringify(v)}`).toBe(false);
    expect((v as readonly unknown[]).length, id).toBeGreaterThan(0);
  }
}
