/**
 * The one vocabulary: each check has exactly one outcome, the tally's buckets sum to the total, and the
 * run's verdict follows from the tally and what lies outside the checks.
 */
import { expect, test } from 'vitest';
import {
  CHECK_OUTCOMES,
  type CheckResult,
  outcomeOf,
  passes,
  TALLY_KEY,
  tallyChecks,
} from './certification-record.ts';

const base = {
  title: 't',
  plan: 'p',
  module: 'm',
  requirement: 'SSF-4.1.9' as const,
  level: 'warning' as const,
};
const finding = (level: 'failure' | 'warning' | 'info') => ({
  check: 'x',
  requirement: base.requirement,
  level,
  message: 'm',
});

/** One check per outcome, named after the outcome it must get. */
const CHECKS: readonly (CheckResult & { readonly expected: string })[] = [
  { ...base, id: 'a', status: 'passed', findings: [], expected: 'passed' },
  // The findings' level decides: a MUST-level finding fails, whatever level the check was defined with.
  {
    ...base,
    id: 'b',
    status: 'failed',
    findings: [finding('warning'), finding('failure')],
    expected: 'failed',
  },
  { ...base, id: 'c', status: 'failed', findings: [finding('warning')], expected: 'warning' },
  { ...base, id: 'c2', status: 'failed', findings: [finding('info')], expected: 'warning' },
  { ...base, id: 'd', status: 'skipped', findings: [], reason: 'r', expected: 'skipped' },
  {
    ...base,
    id: 'd2',
    status: 'skipped',
    findings: [],
    reason: 'r',
    expectedSkip: 'known',
    expected: 'skipped',
  },
  {
    ...base,
    id: 'e',
    status: 'skipped',
    findings: [],
    reason: 'r',
    inconclusive: true,
    expected: 'inconclusive',
  },
  { ...base, id: 'f', status: 'skipped', findings: [], reason: 'r', blockedBy: 'b', expected: 'blocked' },
  { ...base, id: 'g', status: 'tolerated', findings: [finding('failure')], expected: 'tolerated' },
  { ...base, id: 'h', status: 'error', findings: [], reason: 'r', expected: 'error' },
  // A hand-made failed check without findings falls back to its own level.
  { ...base, id: 'i', level: 'failure', status: 'failed', findings: [], expected: 'failed' },
];

test('each check has exactly one outcome, and the tally counts each once', () => {
  for (const c of CHECKS) expect(outcomeOf(c), c.id).toBe(c.expected);
  const t = tallyChecks(CHECKS);
  expect(t).toEqual({
    total: 11,
    passed: 1,
    failed: 2,
    warnings: 2,
    skipped: 2,
    inconclusive: 1,
    blocked: 1,
    tolerated: 1,
    errors: 1,
  });
  expect(CHECK_OUTCOMES.map((o) => t[TALLY_KEY[o]]).reduce((a, b) => a + b, 0)).toBe(t.total);
});

test('the verdict: failed or error fails; warnings, skips of every kind and tolerated checks do not', () => {
  const ok = tallyChecks(CHECKS.filter((c) => !['failed', 'error'].includes(c.expected)));
  expect(passes(ok, { ledgerProblems: 0, unreachable: 0 })).toBe(true);
  expect(passes(ok, { ledgerProblems: 1, unreachable: 0 })).toBe(false);
  expect(passes(ok, { ledgerProblems: 0, unreachable: 1 })).toBe(false);
  expect(passes(tallyChecks(CHECKS.filter((c) => c.id === 'b')), { ledgerProblems: 0, unreachable: 0 })).toBe(
    false,
  );
  expect(passes(tallyChecks(CHECKS.filter((c) => c.id === 'h')), { ledgerProblems: 0, unreachable: 0 })).toBe(
    false,
  );
});
