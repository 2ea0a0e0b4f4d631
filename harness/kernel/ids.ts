/**
 * Randomness is injected (ARCHITECTURE principle 6): code that names what it creates takes an id source,
 * and jitter takes a random function, so the same seed gives the same fleet, the same backoff and the
 * same report.
 */
export type IdSource = () => string;

/**
 * Random UUIDs (the platform's Web Crypto: the kernel loads no module to make them). Node builds each one
 * by concatenating some twenty pieces, which V8 keeps as a tree of about 490 bytes; reading a character
 * flattens it in place (about 70 bytes) — it matters to a lab holding tens of thousands of sessions.
 */
export const randomIds: IdSource = () => {
  const id = crypto.randomUUID();
  id.charCodeAt(0);
  return id;
};

/** Deterministic ids for tests and seeded runs: `<prefix>-1`, `<prefix>-2`, … */
export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}-${n}`;
  };
}

/** Seeded randomness for jitter (mulberry32), so a seeded run backs off the same way every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
