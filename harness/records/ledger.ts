/**
 * The expected-failures ledger's entry: a finding a user has decided to tolerate, with the reason
 * (`{"check": "...", "reason": "...", "plan"?, "module"?, "requirement"?, "message"?}` — `message` is a
 * substring of the finding's message). harness/config reads ledger files into it; suites/core's
 * `applyLedger` applies it to a run's checks; the certification record keeps the entries that matched
 * nothing as its ledger problems.
 */
export interface LedgerEntry {
  readonly check: string;
  readonly reason: string;
  readonly plan?: string;
  readonly module?: string;
  readonly requirement?: string;
  readonly message?: string;
}
