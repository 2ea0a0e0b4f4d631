/**
 * The ledger beyond single findings: expected skips (a skip it lists carries its reason; a listed skip
 * that ran is reported) and entries naming a module instead of a check (each of its checks).
 */
import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../../harness/records/index.ts';
import { applyLedger } from './ledger.ts';

const base = { plan: 'ssf-transmitter', requirement: 'SSF-8.1.1.1' as const, level: 'failure' as const };
const finding = (check: string, message: string) => ({
  check,
  requirement: base.requirement,
  level: base.level,
  message,
});
const CHECKS: CheckResult[] = [
  {
    ...base,
    module: 'events',
    id: 'event-arrives',
    title: 't',
    status: 'skipped',
    findings: [],
    reason: 'no eventTrigger is configured',
  },
  {
    ...base,
    module: 'events',
    id: 'event-typed',
    title: 't',
    status: 'skipped',
    findings: [],
    reason: 'no eventTrigger is configured',
  },
  {
    ...base,
    module: 'retry',
    id: 'retry-backs-off',
    title: 't',
    status: 'failed',
    findings: [finding('retry-backs-off', 'retried at once')],
  },
  {
    ...base,
    module: 'retry',
    id: 'retry-honours-429',
    title: 't',
    status: 'failed',
    findings: [finding('retry-honours-429', 'ignored Retry-After')],
  },
  { ...base, module: 'retry', id: 'retry-after-400', title: 't', status: 'passed', findings: [] },
];

describe('expected skips', () => {
  test('a skip the ledger lists carries its reason and is no problem', () => {
    const { checks, problems } = applyLedger(CHECKS, [
      { check: 'event-arrives', expect: 'skip', reason: 'no test hook at Acme', message: 'eventTrigger' },
    ]);
    expect(checks[0]).toMatchObject({ status: 'skipped', expectedSkip: 'no test hook at Acme' });
    expect(checks[1]?.expectedSkip).toBeUndefined();
    expect(problems).toEqual([]);
  });

  test('a listed skip that ran is reported; so is one that matched no check, or was skipped for another reason', () => {
    const { checks, problems } = applyLedger(CHECKS, [
      { check: 'retry-after-400', expect: 'skip', reason: 'we thought it would not run' },
      { check: 'event-typed', expect: 'skip', reason: 'r', message: 'dry run' },
      { check: 'event-arrives', plan: 'ssf-receiver', expect: 'skip', reason: 'wrong plan' },
    ]);
    expect(checks[4]?.status).toBe('passed');
    expect(problems.map((p) => p.message)).toEqual([
      'the ledger expects "retry-after-400" to be skipped, but retry-after-400 (passed) was not: remove the entry if it now runs',
      'the ledger expects "event-typed" to be skipped for a reason containing "dry run", but it was skipped for another: no eventTrigger is configured',
      'the ledger entry for "event-arrives" matched no check of this run',
    ]);
  });
});

describe('entries naming a module', () => {
  test('an expected skip of a module covers each of its checks', () => {
    const { checks, problems } = applyLedger(CHECKS, [
      { module: 'events', expect: 'skip', reason: 'no test hook at Acme' },
    ]);
    expect(checks.slice(0, 2).map((c) => c.expectedSkip)).toEqual([
      'no test hook at Acme',
      'no test hook at Acme',
    ]);
    expect(problems).toEqual([]);
    // A module whose checks are not all skipped is reported, naming those that ran.
    const partly = applyLedger(CHECKS, [
      { module: 'retry', plan: 'ssf-transmitter', expect: 'skip', reason: 'r' },
    ]);
    expect(partly.problems[0]?.message).toBe(
      'the ledger expects module "ssf-transmitter.retry" to be skipped, but retry-backs-off (failed), retry-honours-429 (failed), retry-after-400 (passed) were not: remove the entry if it now runs',
    );
  });

  test('a tolerated failure of a module covers the findings of each of its checks', () => {
    const { checks, problems } = applyLedger(CHECKS, [{ module: 'retry', reason: 'vendor ticket 9' }]);
    expect(checks.slice(2).map((c) => c.status)).toEqual(['tolerated', 'tolerated', 'passed']);
    expect(checks[3]?.findings[0]?.toleratedBecause).toBe('vendor ticket 9');
    expect(problems).toEqual([]);
    const stale = applyLedger(CHECKS, [{ module: 'events', reason: 'nothing fails there' }]);
    expect(stale.problems[0]?.message).toBe(
      'the ledger entry for module "events" matched no finding: remove it if the failure is fixed',
    );
  });
});
