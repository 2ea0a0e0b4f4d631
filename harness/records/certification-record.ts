/**
 * The certification record: one run of conformance plans against one target — each plan's modules, the
 * HTTP exchanges each module made and received (redacted), and each check's verdict with its findings and
 * the requirement it cites. The suites write it; `ssf-lab certify`, `npm test` and the reports read it.
 * It is plain, versioned JSON and holds no secret.
 */
import type { FindingLevel, RequirementId } from '../protocol/index.ts';
import type { ExchangeRecord, LogoutRecord, StepRecord, SystemLogEntry } from './exchange.ts';

/**
 * Version 2 (this one): a module may carry its story (a scenario's steps, the System Log it read back and
 * each app's logouts) and a target may be a scenario run's (`kind` 'manifest': a running lab reached
 * through its manifest). Version 1 records are still read (reports/certification-json.ts).
 */
export const CERTIFICATION_RECORD_SCHEMA = 'urn:ssf-lab:certification:2';
/** The previous version, still read. */
export const CERTIFICATION_RECORD_SCHEMA_V1 = 'urn:ssf-lab:certification:1';

/**
 * What a scenario module leaves besides its exchanges: the steps it took, Okta's System Log as read back
 * through `GET /api/v1/logs`, and each app's Universal Logout calls. Reports draw it; they never judge it.
 */
export interface ModuleStory {
  /** Where the scenario came from (a file path), when it came from one. */
  readonly file?: string;
  readonly description?: string;
  readonly steps: readonly StepRecord[];
  readonly systemLog: readonly SystemLogEntry[];
  readonly logouts: readonly LogoutRecord[];
}

/**
 * passed: the check held. failed: it did not (its findings say why; the level comes from the
 * requirement). tolerated: it failed, and the expected-failures ledger names each finding with a reason.
 * skipped: it did not apply (an optional endpoint absent, a dry run) — the reason says which.
 * error: the harness could not get far enough to judge (the module's run threw; the message says why).
 */
export type CheckStatus = 'passed' | 'failed' | 'tolerated' | 'skipped' | 'error';

export interface SuiteFinding {
  readonly check: string;
  readonly requirement: RequirementId;
  readonly level: FindingLevel;
  /** What is wrong, in a sentence a user can act on. */
  readonly message: string;
  /** The offending value or an excerpt (already redacted; never key material). */
  readonly evidence?: unknown;
  /** When the ledger tolerates this finding: its reason. */
  readonly toleratedBecause?: string;
}

export interface CheckResult {
  /** Stable kebab-case id, unique across every plan (`transmitter-create-answers-201`). */
  readonly id: string;
  /** The assertion, as a sentence. */
  readonly title: string;
  readonly plan: string;
  readonly module: string;
  readonly requirement: RequirementId;
  /** The level a failure of this check has (from the requirement's keyword). */
  readonly level: FindingLevel;
  readonly status: CheckStatus;
  readonly findings: readonly SuiteFinding[];
  /** skipped / error: why. */
  readonly reason?: string;
}

export interface ModuleResult {
  readonly id: string;
  readonly title: string;
  readonly plan: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The module's run threw: the message (the module's checks are then `error`). */
  readonly error?: string;
  /** skipped as a whole: why (its checks are then `skipped`). */
  readonly skipped?: string;
  /** What the harness created in the target and removed again (or failed to remove). */
  readonly cleanup: readonly { readonly what: string; readonly ok: boolean; readonly error?: string }[];
  readonly exchanges: readonly ExchangeRecord[];
  readonly checks: readonly CheckResult[];
  /** A scenario module's story (steps, System Log, logouts), drawn by the reports. */
  readonly story?: ModuleStory;
}

export interface PlanResult {
  readonly name: string;
  readonly title: string;
  readonly modules: readonly ModuleResult[];
}

export interface LedgerProblem {
  /** The ledger entry, as written. */
  readonly entry: unknown;
  readonly message: string;
}

export interface CertificationRecord {
  /**
   * Writers write this version. A record read from version 1 keeps its version's name (it is a version 2
   * record without a story or a manifest target: version 2 only adds).
   */
  readonly schema: typeof CERTIFICATION_RECORD_SCHEMA | typeof CERTIFICATION_RECORD_SCHEMA_V1;
  readonly tool: { readonly name: 'ssf-lab'; readonly version: string };
  /**
   * What was graded: the lab ssf-lab started (`lab`: in-process or loopback), a target file (`file`), a
   * target given in code (`code`), or a running lab reached through its manifest (`manifest`, e.g.
   * `ssf-lab serve`'s).
   */
  readonly target: {
    readonly name: string;
    readonly kind: 'lab' | 'file' | 'code' | 'manifest';
    readonly file?: string;
  };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly dryRun: boolean;
  /** No failure-level finding outside the ledger, no check in error and no ledger problem. */
  readonly passed: boolean;
  readonly plans: readonly PlanResult[];
  /** Ledger entries that matched nothing (each fails the run) or could not be read. */
  readonly ledgerProblems: readonly LedgerProblem[];
}

/** Every check of a record, flattened. */
export function checksOf(record: CertificationRecord): CheckResult[] {
  return record.plans.flatMap((p) => p.modules.flatMap((m) => m.checks));
}

/** Counts per status. */
export function countStatuses(record: CertificationRecord): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, tolerated: 0, skipped: 0, error: 0 };
  for (const c of checksOf(record)) counts[c.status] += 1;
  return counts;
}
