/**
 * The run record: everything one scenario run leaves behind, as plain JSON — what was done (steps), what
 * was expected and what came out (expectations), every HTTP exchange in order (the timeline), the SETs
 * that crossed the wire, Okta's System Log as read back through its API, and each app's logout result.
 * The scenario runner writes it, the demo narrates it, reports render it. Every string in it is already
 * redacted; every string from a system under test must still be escaped by whatever renders it.
 *
 * Versioned: `schema` names this shape; a change that removes or renames a member gets a new version.
 */

export const RUN_RECORD_SCHEMA = 'urn:ssf-lab:run-record:1';

/** One HTTP exchange, redacted (credential headers, tokens and secrets replaced). */
export interface ExchangeRecord {
  readonly seq: number;
  /** Clock time (ms since the epoch) when the request left — the lab's clock, virtual in the runner. */
  readonly at: number;
  /**
   * Real milliseconds since the recording began when the request left. In a lab on virtual time `at`
   * stands still between waits; this does not, so a report can show how long each hop really took.
   */
  readonly realMs?: number;
  /** Who sent it: a lab service (`okta`, `jamf-security-cloud`, `jamf-pro`, an app kind) or `harness`. */
  readonly from: string;
  /** Who answered: a lab service, or the origin. */
  readonly to: string;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string;
  /** The SET the request carried (`application/secevent+jwt`), decoded. */
  readonly set?: {
    readonly header: Record<string, unknown> | null;
    readonly claims: Record<string, unknown> | null;
  };
  readonly status?: number;
  readonly responseHeaders?: Readonly<Record<string, string>>;
  readonly responseBody?: string;
  /** The network error or timeout when no answer came. */
  readonly error?: string;
  readonly durationMs: number;
}

export interface StepRecord {
  readonly index: number;
  /** The step's kind as written in the scenario (`threat`, `wait`, `call`, …). */
  readonly kind: string;
  /** What the step did, in words. */
  readonly title: string;
  /** Milliseconds since the run started. */
  readonly startedMs: number;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface ExpectationResult {
  readonly index: number;
  readonly kind: string;
  /** The expectation, in words ("user risk of …@acme.example is LOW"). */
  readonly title: string;
  readonly ok: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
  /** When it failed: what differed, in a sentence a user can act on. */
  readonly message?: string;
}

/** An Okta System Log event as the runner read it back (`GET /api/v1/logs`), summarised. */
export interface SystemLogEntry {
  readonly published: string;
  readonly eventType: string;
  readonly displayMessage: string | null;
  readonly outcome: string | null;
  readonly actor: string | null;
  readonly targets: readonly string[];
  readonly traceId: string | null;
}

/** One Universal Logout call as the app received it. */
export interface LogoutRecord {
  readonly app: string;
  readonly status: number;
  readonly outcome: string;
  readonly user: string | null;
  readonly at: string;
}

export interface RunRecord {
  readonly schema: typeof RUN_RECORD_SCHEMA;
  readonly tool: { readonly name: 'ssf-lab'; readonly version: string };
  readonly scenario: {
    readonly id: string;
    readonly name: string;
    readonly description?: string;
    readonly file?: string;
  };
  readonly transport: 'in-process' | 'loopback';
  readonly startedAt: string;
  readonly durationMs: number;
  /** Every step ran and every expectation held. */
  readonly passed: boolean;
  readonly steps: readonly StepRecord[];
  readonly expectations: readonly ExpectationResult[];
  readonly timeline: readonly ExchangeRecord[];
  readonly systemLog: readonly SystemLogEntry[];
  readonly logouts: readonly LogoutRecord[];
}
