/**
 * The ledger's entry: what a user has decided about a check, with the reason — a failure they tolerate
 * (`expect` absent or `"failure"`), or a skip they expect (`"skip"`). An entry names a check, or a module
 * instead (then it applies to each of the module's checks): `{"check"|"module": "...", "reason": "...",
 * "expect"?, "plan"?, "module"?, "requirement"?, "message"?}` — `message` is a substring of the finding's
 * message (of the skip's reason, for an expected skip). harness/config reads ledger files into it;
 * suites/core's `applyLedger` applies it to a run's checks; the certification record keeps the entries
 * that matched nothing as its ledger problems.
 */
export interface LedgerEntry {
  /** The check; absent when the entry names a module (then `module` is required). */
  readonly check?: string;
  readonly reason: string;
  /** `failure` (default): findings tolerated. `skip`: the check is expected to be skipped. */
  readonly expect?: 'failure' | 'skip';
  readonly plan?: string;
  readonly module?: string;
  readonly requirement?: string;
  readonly message?: string;
}
