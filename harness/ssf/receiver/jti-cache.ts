/**
 * The receiver's memory of SETs it has already accepted, keyed by `jti`. RFC 8935 §2 (RFC8935-2) lets a
 * Transmitter send the same SET again and requires the Recipient to answer a repeat exactly as the first
 * delivery; RFC 8936 §2.4 says a polling Receiver SHOULD acknowledge repeats again. Either way the SET must
 * be processed once, so the intake remembers every `jti` it accepted (RFC8417-2.2: `jti` is unique within an
 * event feed). The set is bounded: at most `cap` ids (100 000 by default, a few MB of strings) are kept and
 * the oldest is forgotten first, so a long-running receiver or a Transmitter that floods it with fresh ids
 * cannot grow its memory without limit. A repeat older than the newest `cap` ids is processed again, which
 * is the price of that bound.
 */

/** How many ids a cache keeps unless told otherwise. */
export const DEFAULT_JTI_CACHE_CAP = 100_000;

export class JtiCache {
  readonly cap: number;
  // A Set iterates in insertion order (as a Map does), so its first element is always the oldest id.
  readonly #seen = new Set<string>();

  constructor(cap = DEFAULT_JTI_CACHE_CAP) {
    if (!Number.isSafeInteger(cap) || cap < 1) {
      throw new RangeError(`a JtiCache needs a positive integer cap, not ${String(cap)}`);
    }
    this.cap = cap;
  }

  /** Records `jti`; true if it was new, false if it was already remembered (its age is not refreshed). */
  remember(jti: string): boolean {
    if (this.#seen.has(jti)) return false;
    if (this.#seen.size >= this.cap) {
      // FIFO eviction: forget the id remembered first.
      const oldest = this.#seen.values().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
    this.#seen.add(jti);
    return true;
  }

  has(jti: string): boolean {
    return this.#seen.has(jti);
  }

  get size(): number {
    return this.#seen.size;
  }
}
