/**
 * RFC 8935 push delivery for one stream. By default one SET is in flight at a time, in the order they
 * were queued (a retrying SET holds back the ones behind it, so the receiver sees them in order); a
 * stream may allow more in flight for throughput, at the cost of that ordering when retries happen. Each request is
 * `POST` with `Content-Type: application/secevent+jwt`, `Accept: application/json` and the stream's
 * `authorization_header` verbatim — and no Authorization header at all when none is configured (the
 * OIDF suite's reading of SSF §6.1.1). Every attempt lands in the ledger.
 */
import {
  BODY_CAPS,
  type DeviationSwitch,
  discardBody,
  NO_DEVIATIONS,
  readBodyHeadText,
  type Scheduler,
} from '../../kernel/index.ts';
import { parseRetryAfter } from '../../protocol/index.ts';
import type { SetLedger, SetRecord } from './records.ts';
import { backoffDelay, classify, type Outcome, type RetrySettings } from './retry-policy.ts';

/**
 * `transmitter-no-backoff`'s waits: the first retry after 400 ms, every later one after 50 ms — sooner each
 * time, unmistakably (a fixed interval would look like a backoff whenever timer jitter lengthens a gap).
 */
const noBackoffMs = (attempt: number): number => (attempt <= 1 ? 400 : 50);

export interface PushTarget {
  readonly endpointUrl: string;
  readonly authorizationHeader?: string;
}

export type SendDecision = 'send' | 'hold' | 'drop';

export interface PushWorkerDeps {
  readonly scheduler: Scheduler;
  readonly fetch: typeof fetch;
  readonly ledger: SetLedger;
  readonly settings: RetrySettings;
  readonly random: () => number;
  readonly target: () => PushTarget;
  /** Asked before every attempt: the stream may have been paused, disabled or deleted meanwhile. */
  readonly decide: (record: SetRecord) => SendDecision;
  /** SETs in flight at once (default 1: strictly ordered). */
  readonly maxInFlight?: number;
  readonly hold: (record: SetRecord) => void;
  readonly drop: (record: SetRecord) => void;
  /** Rules to break on purpose (TRANSMITTER_DEVIATIONS' push and retry ones). */
  readonly deviations?: DeviationSwitch;
}

/** A 400's `err` and `description` from its first BODY_CAPS.errorBody bytes; a longer body is cut unread. */
async function readErr(response: Response): Promise<string | undefined> {
  try {
    const { text } = await readBodyHeadText(response, BODY_CAPS.errorBody);
    const body = JSON.parse(text) as { err?: unknown; description?: unknown };
    if (typeof body.err !== 'string') return undefined;
    return typeof body.description === 'string' ? `${body.err}: ${body.description}` : body.err;
  } catch {
    return undefined;
  }
}

/**
 * Reads and discards a (normally empty) response body, so the connection goes back to the keep-alive
 * pool; cancelling the stream instead would close the socket. A receiver that sends more than
 * BODY_CAPS.pushAnswer (64 KiB) gets its connection closed.
 */
const drain = (response: Response): Promise<void> => discardBody(response, BODY_CAPS.pushAnswer);

/** A SET waiting for its next attempt, and why it waits that long (the lab shows it). */
export interface RetryWait {
  readonly record: SetRecord;
  /** Scheduler time (ms) of the next attempt. */
  readonly at: number;
  /** The receiver's Retry-After, in ms, when it sent one (before the cap). */
  readonly retryAfterMs?: number;
  /** True when that Retry-After was longer than `maxRetryAfterMs` and the wait was cut to the cap. */
  readonly capped: boolean;
}

export class PushWorker {
  readonly #deps: PushWorkerDeps;
  readonly #queue: SetRecord[] = [];
  #active = 0;
  #stopped = false;
  /** SETs waiting to be retried: each holds a slot, so they are counted in #active. */
  readonly #waiting = new Map<SetRecord, RetryWait & { readonly timer: { cancel(): void } }>();
  /** SETs whose request is on the wire, with the controller that aborts it. */
  readonly #inFlight = new Map<SetRecord, AbortController>();
  /**
   * In-flight SETs taken away (stream deleted or disabled, lab stopped) whose request is being aborted:
   * when its answer or abort comes back the attempt is recorded, but the SET stays where it was put.
   */
  readonly #withdrawn = new Map<SetRecord, string>();

  constructor(deps: PushWorkerDeps) {
    this.#deps = deps;
  }

  get queued(): number {
    return this.#queue.length;
  }

  enqueue(record: SetRecord, front = false): void {
    if (front) this.#queue.unshift(record);
    else this.#queue.push(record);
    this.#pump();
  }

  /** Takes queued records out that were never attempted or are waiting to be (e.g. to move them to poll). */
  purge(keep: (record: SetRecord) => boolean): SetRecord[] {
    const removed = this.#queue.filter((r) => !keep(r));
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter(keep));
    return removed;
  }

  /**
   * Takes out everything this worker has that `keep` does not keep — queued, waiting for a retry, and in
   * flight (its request is aborted) — so the caller can give each a terminal state (`why`: e.g.
   * `stream-deleted`). An aborted request's late answer is recorded as an attempt and changes nothing else.
   */
  withdraw(keep: (record: SetRecord) => boolean, why: string): SetRecord[] {
    const out = this.purge(keep);
    for (const [record, wait] of this.#waiting) {
      if (keep(record)) continue;
      wait.timer.cancel();
      this.#waiting.delete(record);
      delete record.retryAt;
      this.#active -= 1;
      out.push(record);
    }
    for (const [record, abort] of this.#inFlight) {
      if (keep(record)) continue;
      this.#withdrawn.set(record, why);
      abort.abort(new Error(why));
      out.push(record);
    }
    if (!this.#stopped) this.#pump();
    return out;
  }

  /** SETs waiting for their next attempt (backoff or Retry-After), soonest first. */
  retrying(): RetryWait[] {
    return [...this.#waiting.values()].map(({ timer: _timer, ...wait }) => wait).sort((a, b) => a.at - b.at);
  }

  /** Resumes after the stream was re-enabled. */
  kick(): void {
    this.#pump();
  }

  /** Stops sending: retry timers are cancelled; what was waiting keeps its ledger state (see withdraw). */
  stop(): void {
    this.#stopped = true;
    for (const wait of this.#waiting.values()) wait.timer.cancel();
    this.#waiting.clear();
  }

  #pump(): void {
    while (this.#active < (this.#deps.maxInFlight ?? 1) && !this.#stopped) {
      const record = this.#queue.shift();
      if (!record) return;
      const decision = this.#deps.decide(record);
      if (decision === 'hold') this.#deps.hold(record);
      else if (decision === 'drop') this.#deps.drop(record);
      else {
        this.#active += 1;
        void this.#attempt(record);
      }
    }
  }

  #release(): void {
    this.#active -= 1;
    this.#pump();
  }

  get #deviations(): DeviationSwitch {
    return this.#deps.deviations ?? NO_DEVIATIONS;
  }

  #headers(target: PushTarget): Record<string, string> {
    const deviate = this.#deviations;
    const headers: Record<string, string> = {
      'content-type': deviate.on('transmitter-wrong-content-type')
        ? 'application/jwt'
        : 'application/secevent+jwt',
      ...(deviate.on('transmitter-no-accept') ? {} : { accept: 'application/json' }),
    };
    if (target.authorizationHeader !== undefined) {
      if (!deviate.on('transmitter-drops-authorization-header'))
        headers.authorization = target.authorizationHeader;
    } else if (deviate.on('transmitter-invents-authorization-header')) {
      headers.authorization = 'Bearer ssf-lab-invented-credential';
    }
    return headers;
  }

  /** classify(), bent by the retry deviations. */
  #classify(
    status: number,
    retryAfterMs: number | undefined,
    err: string | undefined,
    error?: string,
  ): Outcome {
    const deviate = this.#deviations;
    if (status === 400 && deviate.on('transmitter-retries-after-400')) return { kind: 'retry' };
    const outcome = classify(status, retryAfterMs, err);
    if (outcome.kind !== 'retry') return outcome;
    if (deviate.on('transmitter-never-retries'))
      return { kind: 'reject', reason: 'gave up at the first failure (deviation transmitter-never-retries)' };
    if (error === 'timeout' && deviate.on('transmitter-no-retry-after-timeout'))
      return {
        kind: 'reject',
        reason: 'gave up after a timeout (deviation transmitter-no-retry-after-timeout)',
      };
    return outcome;
  }

  /** `transmitter-resends-delivered`: the accepted SET once more, outside the ledger (it is delivered). */
  async #resend(record: SetRecord): Promise<void> {
    try {
      const response = await this.#deps.fetch(this.#deps.target().endpointUrl, {
        method: 'POST',
        headers: this.#headers(this.#deps.target()),
        body: record.token,
        signal: AbortSignal.timeout(this.#deps.settings.timeoutMs),
        redirect: 'manual',
      });
      await drain(response);
    } catch {
      // A deviant extra push has no outcome to record.
    }
  }

  async #attempt(record: SetRecord): Promise<void> {
    const { scheduler, ledger, settings } = this.#deps;
    const decision = this.#deps.decide(record);
    if (decision !== 'send') {
      if (decision === 'hold') this.#deps.hold(record);
      else this.#deps.drop(record);
      this.#release();
      return;
    }
    const target = this.#deps.target();
    const started = scheduler.now();
    ledger.transition(record, 'in-flight', started);
    const deviate = this.#deviations;
    const headers = this.#headers(target);
    const abort = new AbortController();
    const timer = scheduler.setTimer(settings.timeoutMs, () => abort.abort(new Error('timeout')));
    this.#inFlight.set(record, abort);
    let status = 0;
    let err: string | undefined;
    let error: string | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await this.#deps.fetch(target.endpointUrl, {
        method: 'POST',
        headers,
        body: record.token,
        signal: abort.signal,
        redirect: 'manual',
      });
      status = response.status;
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), scheduler.now());
      if (status === 400) err = await readErr(response);
      else await drain(response);
    } catch (e) {
      const withdrawn = this.#withdrawn.get(record);
      error =
        withdrawn !== undefined
          ? `aborted: ${withdrawn}`
          : abort.signal.aborted
            ? 'timeout'
            : (((e as Error).cause as Error | undefined)?.message ?? (e as Error).message);
    } finally {
      timer.cancel();
      this.#inFlight.delete(record);
    }
    const latencyMs = scheduler.now() - started;
    const base = {
      at: started,
      status,
      latencyMs,
      ...(err === undefined ? {} : { err }),
      ...(error === undefined ? {} : { error }),
    };
    // Taken away while on the wire (its state is already terminal): record what came back, nothing more.
    if (this.#withdrawn.delete(record)) {
      record.attempts.push(base);
      this.#release();
      return;
    }
    if (this.#stopped) return;
    const outcome = this.#classify(status, retryAfterMs, err, error);
    const attemptNo = record.attempts.length + 1;

    if (outcome.kind === 'delivered') {
      record.attempts.push(base);
      ledger.transition(record, 'delivered', scheduler.now());
      this.#release();
      // `transmitter-resends-delivered`: the receiver said 202, and the same SET goes out once more.
      if (deviate.on('transmitter-resends-delivered') && attemptNo === record.attempts.length)
        void this.#resend(record);
      return;
    }
    if (outcome.kind === 'reject') {
      record.attempts.push(base);
      ledger.transition(record, 'dead-lettered', scheduler.now(), outcome.reason);
      this.#release();
      return;
    }
    if (attemptNo >= settings.maxAttempts) {
      record.attempts.push(base);
      const last = error ?? `HTTP ${status}`;
      ledger.transition(
        record,
        'dead-lettered',
        scheduler.now(),
        `gave up after ${attemptNo} attempts (last: ${last})`,
      );
      this.#release();
      return;
    }
    const leastWaitMs = deviate.on('transmitter-ignores-retry-after') ? undefined : outcome.retryAfterMs;
    // `transmitter-no-backoff` still honours Retry-After, so that it breaks one rule, not two.
    const wait = deviate.on('transmitter-no-backoff')
      ? Math.max(noBackoffMs(attemptNo), Math.min(leastWaitMs ?? 0, settings.maxRetryAfterMs))
      : backoffDelay(attemptNo, settings, this.#deps.random, leastWaitMs);
    record.attempts.push({
      ...base,
      retryInMs: wait,
      ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
    });
    ledger.transition(record, 'queued', scheduler.now());
    const at = scheduler.now() + wait;
    record.retryAt = at;
    // The slot stays taken: with one in flight, the SETs behind this one wait, which keeps their order.
    const retry = scheduler.setTimer(wait, () => {
      this.#waiting.delete(record);
      delete record.retryAt;
      void this.#attempt(record);
    });
    this.#waiting.set(record, {
      record,
      at,
      ...(leastWaitMs === undefined ? {} : { retryAfterMs: leastWaitMs }),
      capped: leastWaitMs !== undefined && leastWaitMs > settings.maxRetryAfterMs,
      timer: retry,
    });
  }
}
