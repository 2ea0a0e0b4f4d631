/**
 * Remembers the `jti` of every Global Token Revocation JWT the app accepted until that JWT expires, so a
 * captured token cannot be sent again (with the same or another subject) inside its five-minute life.
 * RFC 7519 §4.1.7 makes `jti` the tool for exactly this. Bounded at 100,000 ids by default: past that the
 * oldest is forgotten (a lab trade-off; Okta sends a handful of these per incident, not thousands).
 */

export class ReplayCache {
  readonly #cap: number;
  /** jti → the time (ms) after which the token it came from is rejected as expired anyway. */
  readonly #seen = new Map<string, number>();
  #addsSinceSweep = 0;

  constructor(cap = 100_000) {
    this.#cap = cap;
  }

  /** True when `jti` was accepted before and its token has not expired yet. */
  has(jti: string, now: number): boolean {
    const until = this.#seen.get(jti);
    if (until === undefined) return false;
    if (until < now) {
      this.#seen.delete(jti);
      return false;
    }
    return true;
  }

  add(jti: string, until: number, now: number): void {
    this.#seen.set(jti, until);
    this.#addsSinceSweep += 1;
    // Expired entries are useless; sweep them now and then instead of on every add.
    if (this.#addsSinceSweep >= 1000) {
      this.#addsSinceSweep = 0;
      for (const [id, expiry] of this.#seen) if (expiry < now) this.#seen.delete(id);
    }
    while (this.#seen.size > this.#cap) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
  }

  get size(): number {
    return this.#seen.size;
  }

  clear(): void {
    this.#seen.clear();
    this.#addsSinceSweep = 0;
  }
}
