/**
 * What a run records besides its verdicts, as plain JSON: every HTTP exchange in order (the lab's
 * timeline, `timeline.ts`), and — for a scenario — the steps it took, Okta's System Log as read back
 * through its API and each app's Universal Logout calls. The certification record
 * (`certification-record.ts`) carries them: a module's exchanges, and a scenario module's story
 * (`ModuleStory`). Every string in them is already redacted; every string from a system under test must
 * still be escaped by whatever renders it.
 */

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

/** One step a scenario took, as it ran: a module's story lists them in order. */
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

/**
 * Where one SET the lab's transmitter (JSC) made ended up, as `GET /_lab/sets` lists it at the end of a
 * run: every SET is in exactly one state, and a dead letter or a drop says why.
 */
export interface SetDeliveryRecord {
  readonly jti: string;
  readonly streamId: string;
  readonly eventType: string;
  /** queued, held, in-flight, delivered, acked, dead-lettered or dropped. */
  readonly state: string;
  /** Why a SET was dead-lettered or dropped (`stream-deleted`, `lab-stopped`, …). */
  readonly reason?: string;
  /** Delivery attempts made (push), or 0. */
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One Universal Logout call as the app received it. */
export interface LogoutRecord {
  readonly app: string;
  readonly status: number;
  readonly outcome: string;
  readonly user: string | null;
  readonly at: string;
}
