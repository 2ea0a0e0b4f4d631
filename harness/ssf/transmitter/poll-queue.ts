/**
 * RFC 8936 poll delivery for one stream. SETs wait here until a poll takes them; a SET handed out and not
 * acknowledged is handed out again after `redeliverAfterMs` (RFC 8936 §2.4 lets the transmitter redeliver
 * after an agreed period), until it is acked, reported in `setErrs`, or the stream goes away.
 */
import type { Scheduler } from '../../kernel/index.ts';
import type { SetLedger, SetRecord } from './records.ts';

export interface PollSettings {
  /** Longest a long poll waits for a SET (default 30 s). */
  readonly maxWaitMs: number;
  /** A SET handed out and not acked is offered again after this long (default 60 s). */
  readonly redeliverAfterMs: number;
  /** Most SETs in one response, whatever `maxEvents` asks (default 100). */
  readonly maxEventsPerResponse: number;
}

export const DEFAULT_POLL: PollSettings = {
  maxWaitMs: 30_000,
  redeliverAfterMs: 60_000,
  maxEventsPerResponse: 100,
};

interface Entry {
  readonly record: SetRecord;
  /** When it was last handed out; undefined while never sent. */
  sentAt?: number;
}

export class PollQueue {
  readonly #ledger: SetLedger;
  readonly #scheduler: Scheduler;
  readonly #settings: PollSettings;
  readonly #entries = new Map<string, Entry>();
  #waiters: (() => void)[] = [];

  constructor(ledger: SetLedger, scheduler: Scheduler, settings: PollSettings) {
    this.#ledger = ledger;
    this.#scheduler = scheduler;
    this.#settings = settings;
  }

  get size(): number {
    return this.#entries.size;
  }

  enqueue(record: SetRecord): void {
    this.#entries.set(record.jti, { record });
    this.#ledger.transition(record, 'queued', this.#scheduler.now());
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #due(entry: Entry, now: number): boolean {
    return entry.sentAt === undefined || now - entry.sentAt >= this.#settings.redeliverAfterMs;
  }

  /**
   * Hands out up to `max` SETs that may be sent now (never sent, or due for redelivery), oldest first.
   * `again`: every SET here is due, handed out or not (the `transmitter-poll-ignores-acks` deviation: a
   * queue that keeps no record of what it handed out).
   */
  take(max: number, sendable: (record: SetRecord) => boolean, again = false): SetRecord[] {
    const now = this.#scheduler.now();
    const out: SetRecord[] = [];
    for (const entry of this.#entries.values()) {
      if (out.length >= Math.min(max, this.#settings.maxEventsPerResponse)) break;
      if (!(again || this.#due(entry, now)) || !sendable(entry.record)) continue;
      entry.sentAt = now;
      this.#ledger.transition(entry.record, 'in-flight', now);
      out.push(entry.record);
    }
    return out;
  }

  /** Whether more SETs could be handed out right now (`moreAvailable`). */
  hasMore(sendable: (record: SetRecord) => boolean, again = false): boolean {
    const now = this.#scheduler.now();
    for (const entry of this.#entries.values())
      if ((again || this.#due(entry, now)) && sendable(entry.record)) return true;
    return false;
  }

  /** RFC 8936 §2.4 `ack`: the receiver has the SET; the transmitter may forget it. */
  ack(jti: string): boolean {
    const entry = this.#entries.get(jti);
    if (!entry) return false;
    this.#entries.delete(jti);
    this.#ledger.transition(entry.record, 'acked', this.#scheduler.now());
    return true;
  }

  /** RFC 8936 §2.4 `setErrs`: the receiver refused the SET; it is not offered again. */
  reject(jti: string, err: string, description: string): boolean {
    const entry = this.#entries.get(jti);
    if (!entry) return false;
    this.#entries.delete(jti);
    this.#ledger.transition(
      entry.record,
      'dead-lettered',
      this.#scheduler.now(),
      `the receiver refused the SET: ${err}: ${description}`,
    );
    return true;
  }

  /**
   * Removes SETs that were never handed out — and with `handedOut`, also those handed out and not acked
   * (a disabled stream drops both: SSF §8.1.2) — unless `keep` keeps them; returns them.
   */
  purge(keep: (record: SetRecord) => boolean, handedOut = false): SetRecord[] {
    const removed: SetRecord[] = [];
    for (const [jti, entry] of this.#entries) {
      if ((handedOut || entry.sentAt === undefined) && !keep(entry.record)) {
        this.#entries.delete(jti);
        removed.push(entry.record);
      }
    }
    return removed;
  }

  /** Everything still here (for a deleted stream). */
  drain(): SetRecord[] {
    const all = [...this.#entries.values()].map((e) => e.record);
    this.#entries.clear();
    this.#wake();
    return all;
  }

  /** Waits until a SET is queued, `ms` passes, or `signal` aborts — a long poll (RFC 8936 §2.4). */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        timer.cancel();
        signal?.removeEventListener('abort', finish);
        // Forget this waiter, so idle long polls do not pile up between events.
        this.#waiters = this.#waiters.filter((w) => w !== finish);
        resolve();
      };
      const timer = this.#scheduler.setTimer(Math.min(ms, this.#settings.maxWaitMs), finish);
      this.#waiters.push(finish);
      if (signal?.aborted) finish();
      else signal?.addEventListener('abort', finish, { once: true });
    });
  }

  /** Ends every waiting long poll (status change, shutdown). */
  release(): void {
    this.#wake();
  }
}
