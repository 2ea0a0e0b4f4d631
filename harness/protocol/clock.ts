/**
 * Time and randomness are injected (ARCHITECTURE principle 6): code that stamps or judges a SET takes a
 * Clock and an id source, so tests run in fixed or virtual time and the same seed gives the same output.
 */
import { randomUUID } from 'node:crypto';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stays where it is put; tests move it explicitly. */
export function fixedClock(ms: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let current = ms;
  return {
    now: () => current,
    set: (value: number) => {
      current = value;
    },
    advance: (delta: number) => {
      current += delta;
    },
  };
}

export type IdSource = () => string;

export const randomIds: IdSource = () => randomUUID();

/** Deterministic ids for tests and seeded runs: `<prefix>-1`, `<prefix>-2`, … */
export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}-${n}`;
  };
}

export function secondsNow(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
