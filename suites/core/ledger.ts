/**
 * The expected-failures ledger: findings a user has decided to tolerate, each with a reason
 * (`{"check": "...", "reason": "...", "plan"?, "module"?, "requirement"?, "message"?}` — `message` is a
 * substring of the finding's message; the entry's type lives with the records, harness/records). A
 * tolerated check no longer fails the run but stays visible in every report. An entry that matches
 * nothing fails the run: a fixed bug must leave the ledger.
 */
import type {
  CheckResult,
  LedgerEntry,
  LedgerProblem,
  ModuleResult,
  SuiteFinding,
} from '../../harness/records/index.ts';

function matches(entry: LedgerEntry, check: CheckResult, finding: SuiteFinding): boolean {
  return (
    entry.check === check.id &&
    (entry.plan === undefined || entry.plan === check.plan) &&
    (entry.module === undefined || entry.module === check.module) &&
    (entry.requirement === undefined || entry.requirement === finding.requirement) &&
    (entry.message === undefined || finding.message.includes(entry.message))
  );
}

/**
 * Applies the ledger: a failed check whose every finding an entry matches becomes `tolerated` (each
 * finding carries the entry's reason). Returns the new checks and the entries that matched nothing.
 */
export function applyLedger(
  checks: readonly CheckResult[],
  ledger: readonly LedgerEntry[],
): { checks: CheckResult[]; problems: LedgerProblem[] } {
  const used = new Set<LedgerEntry>();
  const out = checks.map((check): CheckResult => {
    if (check.status !== 'failed') return check;
    let all = true;
    const findings = check.findings.map((finding) => {
      const entry = ledger.find((e) => matches(e, check, finding));
      if (!entry) {
        all = false;
        return finding;
      }
      used.add(entry);
      return { ...finding, toleratedBecause: entry.reason };
    });
    return all ? { ...check, status: 'tolerated', findings } : { ...check, findings };
  });
  const problems = ledger
    .filter((e) => !used.has(e))
    .map((entry) => ({
      entry,
      message: `the ledger entry for "${entry.check}" matched no finding: remove it if the failure is fixed`,
    }));
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
