/**
 * Replay protection that does not forget: the one store every receiver in the lab uses (the reference
 * Receiver's SetIntake, Okta's SET receiver, the apps' logout tokens), after the signature is verified.
 *
 * A SET is accepted only while its `iat` lies in an acceptance window — at most `maxAgeSeconds` in the past
 * (default 24 h) and `maxFutureSeconds` in the future (default 5 min of clock skew). Its `jti` is then
 * remembered, per issuer (RFC 8417 §2.2: `jti` is unique within an issuer's feed), until the window has
 * passed for that `iat`: after that a replay is refused as stale anyway, so forgetting it is safe. Entries
 * are kept in arrival order and forgotten from the oldest arrival once expired; an expired entry behind an
 * unexpired older one waits for it (it is kept longer than needed, never shorter).
 *
 * The store has a hard capacity (default 1,000,000 ids). When it is full of ids still inside their window
 * it does not forget one to make room — that is how a replay slipped through the old 100,000-id cache — it
 * refuses the new SET with a retryable answer (`full`, with the seconds until the oldest id expires), so
 * the transmitter tries again later and nothing is lost.
 *
 * Memory stays compact: ids are held per issuer in a Map of id → expiry (seconds from the store's epoch, a
 * small integer V8 keeps unboxed); an id longer than 64 characters is held as a 128-bit SHA-256 digest, so
 * one entry costs about the same whatever the transmitter's ids look like.
 *
 * Why 24 h and 5 min: a transmitter retries a push for minutes to hours (ours gives up after ~10 min of
 * backoff, Retry-After capped at 5 min), and a poll receiver may be down for a day; a SET older than a day
 * is no longer a timely signal about a session or a device. Five minutes of future skew matches the usual
 * JWT leeway (Okta's own tokens use ±5 min `nbf`/`exp`).
 */
import { createHash } from 'node:crypto';

export interface ReplayGuardOptions {
  /** Oldest `iat` accepted, in seconds before now (default 86,400: 24 h). */
  readonly maxAgeSeconds?: number;
  /** Newest `iat` accepted, in seconds after now (default 300: clock skew). */
  readonly maxFutureSeconds?: number;
  /** Most ids remembered at once (default 1,000,000); when full of unexpired ids, new SETs are refused. */
  readonly capacity?: number;
  /** Milliseconds since the epoch (a Scheduler's `now`). */
  readonly now: () => number;
}

export const DEFAULT_REPLAY_WINDOW = Object.freeze({
  maxAgeSeconds: 86_400,
  maxFutureSeconds: 300,
  capacity: 1_000_000,
});

/** What the guard says about one SET. */
export type ReplayVerdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay' }
  /** `iat` missing, not a number, or outside the acceptance window. */
  | { readonly kind: 'outside-window'; readonly description: string }
  /** The store is full of unexpired ids: refuse for now; the transmitter may retry after `retryAfterSeconds`. */
  | { readonly kind: 'full'; readonly retryAfterSeconds: number; readonly description: string };

const LONG_ID = 64;

function compactId(jti: string): string {
  return jti.length <= LONG_ID
    ? jti
    : `#${createHash('sha256').update(jti).digest('base64url').slice(0, 22)}`;
}

export class ReplayGuard {
  readonly maxAgeSeconds: number;
  readonly maxFutureSeconds: number;
  readonly capacity: number;
  readonly #now: () => number;
  /** Seconds since the epoch at construction: expiries are stored relative to it, as small integers. */
  readonly #epoch: number;
  /** issuer → (id → expiry), each Map in arrival order. */
  readonly #byIssuer = new Map<string, Map<string, number>>();
  /** Arrival order across issuers, as two parallel arrays (no tuple per entry), consumed from `#head`. */
  #orderMaps: Map<string, number>[] = [];
  #orderIds: string[] = [];
  #head = 0;
  #size = 0;
  #refusedFull = 0;

  constructor(options: ReplayGuardOptions) {
    const whole = (value: number, name: string, least: number): number => {
      if (!Number.isSafeInteger(value) || value < least)
        throw new RangeError(`${name} must be an integer of at least ${least}, not ${String(value)}`);
      return value;
    };
    this.maxAgeSeconds = whole(
      options.maxAgeSeconds ?? DEFAULT_REPLAY_WINDOW.maxAgeSeconds,
      'maxAgeSeconds',
      1,
    );
    this.maxFutureSeconds = whole(
      options.maxFutureSeconds ?? DEFAULT_REPLAY_WINDOW.maxFutureSeconds,
      'maxFutureSeconds',
      0,
    );
    this.capacity = whole(options.capacity ?? DEFAULT_REPLAY_WINDOW.capacity, 'capacity', 1);
    this.#now = options.now;
    this.#epoch = Math.floor(options.now() / 1000);
  }

  /** Ids remembered now. */
  get size(): number {
    return this.#size;
  }

  /** SETs refused so far because the store was full. */
  get refusedFull(): number {
    return this.#refusedFull;
  }

  #nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Forgets ids whose window has passed, oldest arrival first, stopping at the first one still inside. */
  #sweep(nowSeconds: number): void {
    const now = nowSeconds - this.#epoch;
    while (this.#head < this.#orderIds.length) {
      const ids = this.#orderMaps[this.#head] as Map<string, number>;
      const id = this.#orderIds[this.#head] as string;
      const expiry = ids.get(id);
      if (expiry !== undefined && expiry >= now) break;
      if (expiry !== undefined) {
        ids.delete(id);
        this.#size -= 1;
      }
      this.#head += 1;
    }
    // Compact the arrival list now and then, so the consumed prefix does not pin memory.
    if (this.#head > 1024 && this.#head * 2 > this.#orderIds.length) {
      this.#orderMaps = this.#orderMaps.slice(this.#head);
      this.#orderIds = this.#orderIds.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Judges `iat` against the window and `(iss, jti)` against what was seen, without remembering anything
   * (a SET may still be refused for another reason). Call `remember` once it is accepted; nothing may
   * await in between, or two copies could both be judged new.
   */
  inspect(iss: string, jti: string, iat: unknown, options: { window?: boolean } = {}): ReplayVerdict {
    const nowSeconds = this.#nowSeconds();
    this.#sweep(nowSeconds);
    // `window: false` (a lab deviation that never reads "iat") judges only the id and the capacity.
    if (options.window === false) {
      if (this.seen(iss, jti)) return { kind: 'replay' };
      return this.#room(nowSeconds) ?? { kind: 'new' };
    }
    if (typeof iat !== 'number' || !Number.isFinite(iat))
      return {
        kind: 'outside-window',
        description:
          '"iat" is not a NumericDate, so the SET cannot be placed in this Receiver\'s acceptance window',
      };
    const age = nowSeconds - iat;
    if (age > this.maxAgeSeconds || -age > this.maxFutureSeconds) {
      const when = age > 0 ? `${Math.round(age)} s in the past` : `${Math.round(-age)} s in the future`;
      return {
        kind: 'outside-window',
        description: `"iat" is ${when}, outside this Receiver's acceptance window (${this.maxAgeSeconds} s past, ${this.maxFutureSeconds} s future); RFC 8935 defines no error code for a stale SET, hence invalid_request`,
      };
    }
    if (this.seen(iss, jti)) return { kind: 'replay' };
    return this.#room(nowSeconds) ?? { kind: 'new' };
  }

  /** Whether `(iss, jti)` is remembered now. */
  seen(iss: string, jti: string): boolean {
    this.#sweep(this.#nowSeconds());
    return this.#byIssuer.get(iss)?.has(compactId(jti)) === true;
  }

  /** Undefined when there is room for one more id; else the `full` verdict to answer with. */
  full(): (ReplayVerdict & { kind: 'full' }) | undefined {
    const nowSeconds = this.#nowSeconds();
    this.#sweep(nowSeconds);
    return this.#room(nowSeconds);
  }

  #room(nowSeconds: number): (ReplayVerdict & { kind: 'full' }) | undefined {
    if (this.#size < this.capacity) return undefined;
    this.#refusedFull += 1;
    return {
      kind: 'full',
      retryAfterSeconds: this.#untilOldestExpires(nowSeconds),
      description: `this Receiver remembers ${this.#size} ids still inside their acceptance window, its capacity; it refuses new ones rather than forget one (retry later)`,
    };
  }

  #untilOldestExpires(nowSeconds: number): number {
    const expiry = this.#orderMaps[this.#head]?.get(this.#orderIds[this.#head] as string);
    return expiry === undefined ? 1 : Math.max(1, expiry + this.#epoch - nowSeconds + 1);
  }

  /**
   * Remembers `(iss, jti)` until its window ends (`iat + maxAgeSeconds`). False, and nothing remembered,
   * when it was already remembered or the store is full (call `inspect` first).
   */
  remember(iss: string, jti: string, iat: number): boolean {
    return this.rememberUntil(iss, jti, Math.ceil(iat) + this.maxAgeSeconds);
  }

  /**
   * Remembers `(iss, jti)` until `untilSeconds` (epoch seconds), for tokens whose acceptance ends at a time
   * of their own (a logout token's `exp`). False when already remembered or full.
   */
  rememberUntil(iss: string, jti: string, untilSeconds: number): boolean {
    if (this.#size >= this.capacity) return false;
    let ids = this.#byIssuer.get(iss);
    if (ids === undefined) {
      ids = new Map();
      this.#byIssuer.set(iss, ids);
    }
    const id = compactId(jti);
    if (ids.has(id)) return false;
    ids.set(id, Math.ceil(untilSeconds) - this.#epoch);
    this.#orderMaps.push(ids);
    this.#orderIds.push(id);
    this.#size += 1;
    return true;
  }

  /** Forgets everything (a lab reset). */
  clear(): void {
    this.#byIssuer.clear();
    this.#orderMaps = [];
    this.#orderIds = [];
    this.#head = 0;
    this.#size = 0;
  }
}
