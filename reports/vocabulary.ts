/**
 * The one vocabulary every report speaks — the console (`ssf-lab certify`), summary.md, junit.xml,
 * certification.json and report.html: each check has one outcome (harness/records' `outcomeOf`), the
 * outcomes are counted into one tally, and the tally is written in one line, the same words in the same
 * order everywhere, so the numbers a user reads in one place are the numbers in every other.
 */
import {
  type CertificationRecord,
  type CheckOutcome,
  type CheckResult,
  checksOf,
  outcomeOf,
  type Tally,
} from '../harness/records/index.ts';

/** What each outcome is called, one check at a time (a badge, a JUnit note). */
export const OUTCOME_LABEL: Readonly<Record<CheckOutcome, string>> = {
  passed: 'passed',
  failed: 'failed',
  warning: 'warning',
  skipped: 'skipped',
  inconclusive: 'inconclusive',
  blocked: 'blocked',
  tolerated: 'tolerated',
  error: 'error',
};

/** The sign each outcome is shown with, on the console and in the HTML report. */
export const OUTCOME_SIGN: Readonly<Record<CheckOutcome, string>> = {
  passed: '✓',
  failed: '✗',
  warning: '⚠',
  skipped: '–',
  inconclusive: '?',
  blocked: '⊘',
  tolerated: '≈',
  error: '!',
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** How many skipped checks the ledger expected to be skipped. */
export function expectedSkips(checks: readonly CheckResult[]): number {
  return checks.filter((c) => outcomeOf(c) === 'skipped' && c.expectedSkip !== undefined).length;
}

/**
 * The tally in words, every bucket always named (a zero too), in the outcomes' order: `12 checks: 5
 * passed, 1 failed, 1 warning, 2 skipped, 1 inconclusive, 1 blocked, 1 tolerated, 0 errors`. `expected`:
 * how many of the skipped ones the ledger expected, said after them when there are any.
 */
export function tallyLine(t: Tally, expected = 0): string {
  return [
    `${plural(t.total, 'check', 'checks')}: ${t.passed} passed`,
    `${t.failed} failed`,
    plural(t.warnings, 'warning', 'warnings'),
    `${t.skipped} skipped${expected > 0 ? ` (${expected} expected by the ledger)` : ''}`,
    `${t.inconclusive} inconclusive`,
    `${t.blocked} blocked`,
    `${t.tolerated} tolerated`,
    plural(t.errors, 'error', 'errors'),
  ].join(', ');
}

/** The run's verdict in a word: `passed`, `failed`, or `unreachable` when a target could not be reached. */
export function verdictWord(record: CertificationRecord): 'passed' | 'failed' | 'unreachable' {
  if ((record.unreachable?.length ?? 0) > 0) return 'unreachable';
  return record.passed ? 'passed' : 'failed';
}

/** Why a check did not judge, in words: the reason, prefixed by its kind (`blocked by <id>`, `inconclusive`). */
export function notJudgedText(check: CheckResult): string {
  const reason = check.reason ?? '';
  switch (outcomeOf(check)) {
    case 'blocked':
      return `blocked by ${check.blockedBy ?? ''}: ${reason}`;
    case 'inconclusive':
      return `inconclusive: ${reason}`;
    default:
      return check.expectedSkip === undefined
        ? reason
        : `${reason} (expected by the ledger: ${check.expectedSkip})`;
  }
}

/** Every check of a record with its outcome. */
export function outcomesOf(record: CertificationRecord): { check: CheckResult; outcome: CheckOutcome }[] {
  return checksOf(record).map((check) => ({ check, outcome: outcomeOf(check) }));
}
