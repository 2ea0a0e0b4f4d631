/**
 * Time for the SSF engines: a clock plus timers. Backoff, long polls, inactivity and verification
 * intervals all go through a Scheduler, so tests drive them in virtual time (`VirtualScheduler.advance`)
 * and never sleep for real, while the lab runs on `systemScheduler`.
 */
import type { Clock } from '../protocol/index.ts';

export interface Timer {
  cancel(): void;
}

export interface Scheduler extends Clock {
  /** Runs `fn` once, `ms` milliseconds from now. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepWith(scheduler: Pick<Scheduler, 'setTimer'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = scheduler.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Real time. Timers are unref'd: a pending retry never keeps a process alive on its own. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  sleep(ms, signal) {
    return sleepWith(systemScheduler, ms, signal);
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Lets promise callbacks and I/O callbacks that are already due run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Virtual time: nothing happens until a test advances the clock. Timers fire in time order (then in the
 * order they were set), and between timers the pending promise callbacks run, so async chains that a
 * timer starts (a retry that sets the next timer) progress within one `advance`.
 */
export class VirtualScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = 1_767_225_600_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Timers set and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** When the next timer is due, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers) if (!t.cancelled && (next === undefined || t.at < next)) next = t.at;
    return next;
  }

  #takeDue(until: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    if (best) this.#timers.splice(this.#timers.indexOf(best), 1);
    return best;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await flush();
    for (;;) {
      const timer = this.#takeDue(until);
      if (!timer) break;
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flush();
    }
    this.#now = until;
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    await flush();
  }

  /** Advances to each next timer until none is left or `limitMs` of virtual time has passed. */
  async runUntilIdle(limitMs = 24 * 3600_000): Promise<void> {
    const stop = this.#now + limitMs;
    await flush();
    for (let next = this.nextAt(); next !== undefined && next <= stop; next = this.nextAt()) {
      await this.advance(next - this.#now);
    }
  }
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
