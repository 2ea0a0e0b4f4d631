/**
 * When a push is retried (RFC 8935 §2.4: only after a failure that might be recoverable, with backoff):
 * network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff, jitter and a cap, and
 * a `Retry-After` is honoured as the least wait; a 400 (`invalid_request`, `invalid_audience`, …) and
 * other 4xx responses will not get better by repeating, so the SET is dead-lettered at once.
 */

export interface RetrySettings {
  /** Attempts in all, the first included (default 8). */
  readonly maxAttempts: number;
  /** Wait before the second attempt (default 1 s); it doubles each time. */
  readonly baseDelayMs: number;
  /** Cap on one wait (default 5 min). */
  readonly maxDelayMs: number;
  /** ± fraction of random spread on each wait (default 0.2). */
  readonly jitter: number;
  /**
   * Cap on a receiver's Retry-After (default 5 min), so one bad header cannot stall a stream for hours: a
   * longer one is honoured up to the cap, and the stream's lab view says so (`retrying`).
   */
  readonly maxRetryAfterMs: number;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  jitter: 0.2,
  maxRetryAfterMs: 5 * 60_000,
  timeoutMs: 10_000,
};

export type Outcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly retryAfterMs?: number }
  | { readonly kind: 'reject'; readonly reason: string };

/** What to do after an attempt that got `status` (0: no response). */
export function classify(status: number, retryAfterMs: number | undefined, err: string | undefined): Outcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 0 || status === 408 || status === 429 || status >= 500) {
    return retryAfterMs === undefined ? { kind: 'retry' } : { kind: 'retry', retryAfterMs };
  }
  if (status === 400) return { kind: 'reject', reason: `the receiver refused the SET: ${err ?? 'HTTP 400'}` };
  return { kind: 'reject', reason: `the receiver answered HTTP ${status}, which retrying will not change` };
}

/** The wait before attempt `attempt + 1` (attempt counts from 1), with jitter from `random`. */
export function backoffDelay(
  attempt: number,
  settings: RetrySettings,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  const spread = 1 - settings.jitter + 2 * settings.jitter * random();
  const delay = Math.round(exponential * spread);
  if (retryAfterMs === undefined) return delay;
  // Retry-After is the least wait; never sooner, whatever the backoff says.
  return Math.max(Math.min(retryAfterMs, settings.maxRetryAfterMs), delay);
}
