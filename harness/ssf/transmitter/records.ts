/**
 * The ledger of every SET the transmitter creates (ARCHITECTURE principle 7: nothing is lost silently).
 * A SET is `queued`, `held` (stream paused), `in-flight`, `delivered` (push: 202), `acked` (poll),
 * `dead-lettered` (retries exhausted, or the receiver refused it with 400 / setErrs) or `dropped` (stream
 * disabled or deleted, or the paused-hold cap was reached) — and the lab can list which. Every delivery
 * attempt is recorded with its time, status, `err` and latency.
 *
 * A terminal state is final: once a SET is delivered, acked, dead-lettered or dropped, no later event
 * (say, the answer to a push that was aborted when its stream was deleted) moves it again.
 *
 * The ledger is bounded (default 10,000 records): when full, the oldest record in a terminal state is
 * forgotten (and counted in `forgotten`); records still queued, held or in flight are never forgotten.
 */

export type SetState = 'queued' | 'held' | 'in-flight' | 'delivered' | 'acked' | 'dead-lettered' | 'dropped';

const TERMINAL: ReadonlySet<SetState> = new Set(['delivered', 'acked', 'dead-lettered', 'dropped']);

export interface DeliveryAttempt {
  /** Scheduler time the attempt started (ms since the epoch). */
  readonly at: number;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** RFC 8935 error code from a 400 body, when there was one. */
  readonly err?: string;
  /** What went wrong without a response: `timeout`, or the network error's message. */
  readonly error?: string;
  readonly latencyMs: number;
  /** How long the transmitter waits before the next attempt, when it retries. */
  readonly retryInMs?: number;
  /** The receiver's Retry-After in ms, as asked (the wait is capped at `maxRetryAfterMs`). */
  readonly retryAfterMs?: number;
}

export interface SetRecord {
  readonly jti: string;
  readonly streamId: string;
  readonly eventType: string;
  readonly createdAt: number;
  readonly token: string;
  state: SetState;
  /**
   * Why the SET is dead-lettered or dropped. A dropped SET's reason starts with a code: `stream-deleted`,
   * `stream-disabled`, `lab-stopped`, `held-cap` or `stream-paused` (a deviation).
   */
  reason?: string;
  readonly attempts: DeliveryAttempt[];
  updatedAt: number;
  /** While it waits to be retried: the scheduler time of the next attempt. */
  retryAt?: number;
}

function zeroCounts(): Record<SetState, number> {
  return { queued: 0, held: 0, 'in-flight': 0, delivered: 0, acked: 0, 'dead-lettered': 0, dropped: 0 };
}

export class SetLedger {
  readonly #cap: number;
  readonly #records = new Map<string, SetRecord>();
  /** Running counts by state, kept current on every change (counts() is O(1)). */
  readonly #counts = zeroCounts();
  /** Every SET ever recorded, by state it reached last (not reduced by eviction). */
  readonly #totals = zeroCounts();
  #forgotten = 0;

  constructor(cap = 10_000) {
    this.#cap = cap;
  }

  add(record: SetRecord): void {
    this.#records.set(record.jti, record);
    this.#counts[record.state] += 1;
    this.#totals[record.state] += 1;
    if (this.#records.size > this.#cap) this.#evict();
  }

  #evict(): void {
    for (const [jti, r] of this.#records) {
      if (TERMINAL.has(r.state)) {
        this.#records.delete(jti);
        this.#counts[r.state] -= 1;
        this.#forgotten += 1;
        if (this.#records.size <= this.#cap) return;
      }
    }
  }

  get(jti: string): SetRecord | undefined {
    return this.#records.get(jti);
  }

  /** The most records kept at once. */
  get cap(): number {
    return this.#cap;
  }

  /** Terminal records forgotten to stay within the cap (their counts stay in `totals`). */
  get forgotten(): number {
    return this.#forgotten;
  }

  /** Moves `record` to `state`; false (and nothing changes) when it is already in a terminal state. */
  transition(record: SetRecord, state: SetState, at: number, reason?: string): boolean {
    if (TERMINAL.has(record.state)) return false;
    if (this.#records.get(record.jti) === record) {
      this.#counts[record.state] -= 1;
      this.#counts[state] += 1;
    }
    this.#totals[record.state] -= 1;
    this.#totals[state] += 1;
    record.state = state;
    record.updatedAt = at;
    if (reason !== undefined) record.reason = reason;
    if (TERMINAL.has(state)) delete record.retryAt;
    return true;
  }

  /** Whether `state` is one a SET never leaves. */
  static isTerminal(state: SetState): boolean {
    return TERMINAL.has(state);
  }

  list(filter: { state?: SetState; streamId?: string } = {}): SetRecord[] {
    return [...this.#records.values()].filter(
      (r) =>
        (filter.state === undefined || r.state === filter.state) &&
        (filter.streamId === undefined || r.streamId === filter.streamId),
    );
  }

  /** SETs in the ledger now, by state. */
  counts(): Record<SetState, number> {
    return { ...this.#counts };
  }

  /** Every SET recorded since the start, by its latest state — including those evicted from the ledger. */
  totals(): Record<SetState, number> {
    return { ...this.#totals };
  }
}
