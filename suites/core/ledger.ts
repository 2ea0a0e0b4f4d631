/**
 * The ledger: what a user has decided about checks, each with a reason (the entry's type lives with the
 * records, harness/records). Two kinds of entry:
 *
 * - a tolerated failure (`expect` absent or `"failure"`): a failed check whose every finding an entry
 *   matches becomes `tolerated` — it no longer fails the run but stays visible in every report;
 * - an expected skip (`"expect": "skip"`): a skipped check it matches carries the entry's reason
 *   (`expectedSkip`), so a skip the user knows about is told apart from one they do not.
 *
 * An entry names a check, or a module instead (then it applies to each of that module's checks); `plan`,
 * `module`, `requirement` and `message` narrow it. An entry that matches nothing is a ledger problem and
 * fails the run — a fixed bug must leave the ledger — and so is an expected skip whose check was not
 * skipped: the ledger must say what the run does.
 */
import type {
  CheckResult,
  LedgerEntry,
  LedgerProblem,
  ModuleResult,
  SuiteFinding,
} from '../../harness/records/index.ts';

/** Whether an entry concerns a check at all: its check or module, its plan, its requirement. */
function concerns(entry: LedgerEntry, check: CheckResult): boolean {
  return (
    (entry.check === undefined || entry.check === check.id) &&
    (entry.module === undefined || entry.module === check.module) &&
    (entry.plan === undefined || entry.plan === check.plan) &&
    (entry.requirement === undefined || entry.requirement === check.requirement)
  );
}

function tolerates(entry: LedgerEntry, check: CheckResult, finding: SuiteFinding): boolean {
  return (
    entry.expect !== 'skip' &&
    concerns(entry, check) &&
    (entry.requirement === undefined || entry.requirement === finding.requirement) &&
    (entry.message === undefined || finding.message.includes(entry.message))
  );
}

function expectsSkip(entry: LedgerEntry, check: CheckResult): boolean {
  return (
    entry.expect === 'skip' &&
    check.status === 'skipped' &&
    concerns(entry, check) &&
    (entry.message === undefined || (check.reason ?? '').includes(entry.message))
  );
}

/** How an entry is named in a message: its check, or its module. */
function named(entry: LedgerEntry): string {
  if (entry.check !== undefined) return `"${entry.check}"`;
  return `module "${entry.plan === undefined ? '' : `${entry.plan}.`}${entry.module ?? ''}"`;
}

function list(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}

/** Why an expected-skip entry that skipped nothing is a problem, or undefined when it is fine. */
function skipProblem(entry: LedgerEntry, checks: readonly CheckResult[], used: boolean): string | undefined {
  const scope = checks.filter((c) => concerns(entry, c));
  const ran = scope.filter((c) => c.status !== 'skipped');
  if (ran.length > 0)
    return `the ledger expects ${named(entry)} to be skipped, but ${list(ran.map((c) => `${c.id} (${c.status})`))} ${ran.length === 1 ? 'was' : 'were'} not: remove the entry if it now runs`;
  if (used) return undefined;
  if (scope.length === 0) return `the ledger entry for ${named(entry)} matched no check of this run`;
  return `the ledger expects ${named(entry)} to be skipped for a reason containing "${entry.message ?? ''}", but ${scope.length === 1 ? 'it was' : 'they were'} skipped for another: ${scope[0]?.reason ?? ''}`;
}

/**
 * Applies the ledger: a failed check whose every finding an entry matches becomes `tolerated` (each
 * finding carries the entry's reason); a skipped check an expected-skip entry matches carries its
 * reason as `expectedSkip`. Returns the new checks and the entries that did not hold.
 */
export function applyLedger(
  checks: readonly CheckResult[],
  ledger: readonly LedgerEntry[],
): { checks: CheckResult[]; problems: LedgerProblem[] } {
  const used = new Set<LedgerEntry>();
  const out = checks.map((check): CheckResult => {
    if (check.status === 'skipped') {
      const entry = ledger.find((e) => expectsSkip(e, check));
      if (entry === undefined) return check;
      used.add(entry);
      return { ...check, expectedSkip: entry.reason };
    }
    if (check.status !== 'failed') return check;
    let all = true;
    const findings = check.findings.map((finding) => {
      const entry = ledger.find((e) => tolerates(e, check, finding));
      if (!entry) {
        all = false;
        return finding;
      }
      used.add(entry);
      return { ...finding, toleratedBecause: entry.reason };
    });
    return all ? { ...check, status: 'tolerated', findings } : { ...check, findings };
  });
  const problems: LedgerProblem[] = [];
  for (const entry of ledger) {
    if (entry.expect === 'skip') {
      const message = skipProblem(entry, checks, used.has(entry));
      if (message !== undefined) problems.push({ entry, message });
    } else if (!used.has(entry))
      problems.push({
        entry,
        message: `the ledger entry for ${named(entry)} matched no finding: remove it if the failure is fixed`,
      });
  }
  return { checks: out, problems };
}

/**
 * The ledger over whole plans, as a run applies it: once over every module's checks, so an entry used by
 * any module counts as matched. Returns the plans with their checks judged and the unmatched entries.
 */
export function applyLedgerToPlans<P extends { readonly modules: readonly ModuleResult[] }>(
  plans: readonly P[],
  ledger: readonly LedgerEntry[],
): { plans: P[]; problems: LedgerProblem[] } {
  const { checks, problems } = applyLedger(
    plans.flatMap((p) => p.modules.flatMap((m) => m.checks)),
    ledger,
  );
  let i = 0;
  const judged = plans.map((p) => ({
    ...p,
    modules: p.modules.map((m) => ({ ...m, checks: m.checks.map(() => checks[i++] as CheckResult) })),
  }));
  return { plans: judged, problems };
}
