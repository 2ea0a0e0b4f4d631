/**
 * Remembers the `jti` of every Global Token Revocation JWT the app accepted until that JWT expires, so a
 * captured token cannot be sent again (with the same or another subject) inside its five-minute life.
 * RFC 7519 §4.1.7 makes `jti` the tool for exactly this. It is the lab's one replay store
 * (harness/ssf ReplayGuard) with each id kept until its token's `exp` (plus skew): it never forgets a live
 * id to make room. At its capacity (default 1,000,000 ids) a new token is refused for now — the route
 * answers 503 `temporarily_unavailable` with Retry-After — rather than accepted unremembered.
 */
import { ReplayGuard } from '../../harness/ssf/index.ts';

/** Logout tokens come from one issuer per store (the org, or a registered trusted issuer): one namespace. */
const ANY_ISSUER = '';

export class ReplayCache {
  readonly #guard: ReplayGuard;

  constructor(options: { readonly now: () => number; readonly capacity?: number }) {
    this.#guard = new ReplayGuard({
      now: options.now,
      ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
    });
  }

  /** True when `jti` was accepted before and its token has not expired yet. */
  has(jti: string): boolean {
    return this.#guard.seen(ANY_ISSUER, jti);
  }

  /**
   * Remembers `jti` until `untilMs` (ms since the epoch). False, and nothing remembered, when the store is
   * full of ids whose tokens are still live: the caller refuses the token for now.
   */
  add(jti: string, untilMs: number): boolean {
    if (this.#guard.full()) return false;
    return this.#guard.rememberUntil(ANY_ISSUER, jti, Math.ceil(untilMs / 1000));
  }

  get size(): number {
    return this.#guard.size;
  }

  clear(): void {
    this.#guard.clear();
  }
}
