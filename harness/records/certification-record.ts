/**
 * The certification record: one run of conformance plans against one target — each plan's modules, the
 * HTTP exchanges each module made and received (redacted), and each check's verdict with its findings and
 * the requirement it cites. The suites write it; `ssf-lab certify`, `npm test` and the reports read it.
 * It is plain, versioned JSON and holds no secret.
 */
import type { FindingLevel, RequirementId } from '../protocol/index.ts';
import type {
  ExchangeRecord,
  LogoutRecord,
  SetDeliveryRecord,
  StepRecord,
  SystemLogEntry,
} from './exchange.ts';

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
  /** In a lab: where every SET JSC made ended up (`GET /_lab/sets`), newest last. */
  readonly deliveries?: readonly SetDeliveryRecord[];
}

/**
 * passed: the check held. failed: it did not (its findings say why; the level comes from the
 * requirement). tolerated: it failed, and the expected-failures ledger names each finding with a reason.
 * skipped: it did not judge — it did not apply (an optional endpoint absent, a dry run), or, with
 * `blockedBy` or `inconclusive`, an earlier step failed; the reason says which.
 * error: the harness could not get far enough to judge (the module's run threw; the message says why).
 *
 * The status is the record's (its values are fixed by version 2's schema); what a user is told is the
 * check's outcome (`outcomeOf`), one vocabulary for every report.
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
  /**
   * skipped, blocked: the id of the check whose failure left this one without its input (a refused
   * stream create blocks every check of the stream it would have made).
   */
  readonly blockedBy?: string;
  /**
   * skipped, inconclusive: this check's input was captured but shows nothing, because a precondition
   * failed (a receiver that refuses the battery's unbroken baseline SET refuses the broken ones for
   * nothing: those refusals prove nothing).
   */
  readonly inconclusive?: boolean;
  /** skipped, and the ledger expects it to be: the entry's reason. */
  readonly expectedSkip?: string;
  /**
   * What the reports call this check (`outcomeOf`), as certification.json writes it for its readers.
   * Derived from the members above; code reads `outcomeOf(check)`, never this.
   */
  readonly outcome?: CheckOutcome;
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

/** A plan whose target could not be reached at all: its first request failed before any answer. */
export interface UnreachableTarget {
  readonly plan: string;
  /** The URL of that first request (redacted). */
  readonly url: string;
  /** What failed: connection refused, a name that does not resolve, a TLS failure… */
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
  /**
   * Plans whose target could not be reached at all (absent: every target answered). Their checks are
   * skipped, not run, and the run fails with its own exit code; added in version 2 as an optional member.
   */
  readonly unreachable?: readonly UnreachableTarget[];
  /**
   * The checks counted by outcome, as certification.json writes it for its readers. Derived from the
   * checks; code reads `tally(record)`, never this.
   */
  readonly counts?: Tally;
}

/** Every check of a record, flattened. */
export function checksOf(record: CertificationRecord): CheckResult[] {
  return record.plans.flatMap((p) => p.modules.flatMap((m) => m.checks));
}

/**
 * Counts per recorded status. A SHOULD-level finding counts as `failed` here, as the record stores it:
 * what a user is told is `tally`'s.
 */
export function countStatuses(record: CertificationRecord): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, tolerated: 0, skipped: 0, error: 0 };
  for (const c of checksOf(record)) counts[c.status] += 1;
  return counts;
}

/**
 * What a check's verdict is called, everywhere it is shown — the console, summary.md, JUnit, the JSON
 * record's `counts` and the HTML report. Every check has exactly one:
 *
 * - passed: it held;
 * - failed: a MUST-level finding (level `failure`) — it fails the run;
 * - warning: findings, none at MUST level (SHOULD, or MAY) — it does not fail the run;
 * - skipped: it did not apply (the reason says why);
 * - inconclusive: its input shows nothing because a precondition failed;
 * - blocked: its input is missing because an earlier check failed (`blocked by <check id>`);
 * - tolerated: it failed, and the ledger accepts every finding, with a reason;
 * - error: the harness could not judge it — it fails the run.
 */
export type CheckOutcome =
  | 'passed'
  | 'failed'
  | 'warning'
  | 'skipped'
  | 'inconclusive'
  | 'blocked'
  | 'tolerated'
  | 'error';

/** The outcomes in the order every report lists them. */
export const CHECK_OUTCOMES: readonly CheckOutcome[] = [
  'passed',
  'failed',
  'warning',
  'skipped',
  'inconclusive',
  'blocked',
  'tolerated',
  'error',
];

export function outcomeOf(check: CheckResult): CheckOutcome {
  switch (check.status) {
    case 'failed': {
      // The findings' own levels decide; a failed check without findings (a hand-made record) falls
      // back to the check's level.
      const levels = check.findings.length > 0 ? check.findings.map((f) => f.level) : [check.level];
      return levels.includes('failure') ? 'failed' : 'warning';
    }
    case 'skipped':
      return check.blockedBy !== undefined
        ? 'blocked'
        : check.inconclusive === true
          ? 'inconclusive'
          : 'skipped';
    default:
      return check.status;
  }
}

/** How many checks have each outcome; the buckets sum to `total`. Named as the reports print them. */
export interface Tally {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly skipped: number;
  readonly inconclusive: number;
  readonly blocked: number;
  readonly tolerated: number;
  readonly errors: number;
}

/** The tally's member for each outcome. */
export const TALLY_KEY: Readonly<Record<CheckOutcome, Exclude<keyof Tally, 'total'>>> = {
  passed: 'passed',
  failed: 'failed',
  warning: 'warnings',
  skipped: 'skipped',
  inconclusive: 'inconclusive',
  blocked: 'blocked',
  tolerated: 'tolerated',
  error: 'errors',
};

/** Counts the outcomes of some checks (a module's, a plan's, a run's). */
export function tallyChecks(checks: readonly CheckResult[]): Tally {
  const counts = {
    total: 0,
    passed: 0,
    failed: 0,
    warnings: 0,
    skipped: 0,
    inconclusive: 0,
    blocked: 0,
    tolerated: 0,
    errors: 0,
  };
  for (const c of checks) {
    counts.total += 1;
    counts[TALLY_KEY[outcomeOf(c)]] += 1;
  }
  return counts;
}

/** Counts the outcomes of a record's checks. */
export function tally(record: CertificationRecord): Tally {
  return tallyChecks(checksOf(record));
}

/**
 * Whether a run passes, from its tally and what lies outside the checks: no failed check, no error, no
 * ledger problem, no unreachable target. Warnings, skips (of every kind) and tolerated checks do not fail it.
 */
export function passes(
  counts: Tally,
  outside: { readonly ledgerProblems: number; readonly unreachable: number },
): boolean {
  return (
    counts.failed === 0 && counts.errors === 0 && outside.ledgerProblems === 0 && outside.unreachable === 0
  );
}
