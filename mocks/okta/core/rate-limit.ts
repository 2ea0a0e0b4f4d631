/**
 * Okta's per-minute rate limits (developer.okta.com/docs/reference/rl-best-practices): every response says
 * where its bucket stands in `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (UTC
 * epoch seconds when the window resets), and a request over the limit gets 429 `E0000047`. okta-sdk-nodejs
 * backs off on a 429 only when it finds a single `X-Rate-Limit-Reset` and a `Date` (vendor-apis.md §1.2).
 * The mock always counts and always sends the headers; it refuses requests only when the lab asks for
 * limits (`rateLimit` option), so tests and demos are never throttled by surprise. Windows are whole
 * minutes of the injected clock; a bucket is one operation (`GET /api/v1/users`, `POST /oauth2/v1/token`).
 */

export interface RateLimitOptions {
  /** Requests per minute for every bucket without its own entry (default: the ceilings below). */
  readonly perMinute?: number;
  /** Per-bucket ceilings, keyed `METHOD /path/{template}` as in Okta's API description. */
  readonly buckets?: Readonly<Record<string, number>>;
}

/**
 * Ceilings reported when the lab sets none: Okta's published defaults are per endpoint family and differ
 * per edition; these are a plausible lab choice (600/min, the System Log 120/min), documented in
 * ../README.md.
 */
export const DEFAULT_CEILING = 600;
export const DEFAULT_BUCKET_CEILINGS: Readonly<Record<string, number>> = {
  'GET /api/v1/logs': 120,
};

export interface RateState {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds when the window resets. */
  readonly reset: number;
  readonly exceeded: boolean;
}

export class RateLimiter {
  readonly #now: () => number;
  readonly #options: RateLimitOptions | undefined;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(now: () => number, options?: RateLimitOptions) {
    this.#now = now;
    this.#options = options;
  }

  /** Whether a request over the limit is refused (the lab asked for limits). */
  get enforced(): boolean {
    return this.#options !== undefined;
  }

  ceiling(bucket: string): number {
    return (
      this.#options?.buckets?.[bucket] ??
      this.#options?.perMinute ??
      DEFAULT_BUCKET_CEILINGS[bucket] ??
      DEFAULT_CEILING
    );
  }

  /** Counts one request in `bucket`'s current minute and says where the bucket stands. */
  take(bucket: string): RateState {
    const now = this.#now();
    const start = Math.floor(now / 60_000) * 60_000;
    let window = this.#windows.get(bucket);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.#windows.set(bucket, window);
    }
    window.count += 1;
    const limit = this.ceiling(bucket);
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: (start + 60_000) / 1000,
      exceeded: this.enforced && window.count > limit,
    };
  }
}
