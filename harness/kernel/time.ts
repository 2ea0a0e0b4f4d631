/**
 * Time is injected (ARCHITECTURE principle 6): code that stamps or judges a SET takes a Clock, and code
 * that waits — retry backoff, long polls, inactivity and verification intervals, token expiry — takes a
 * Scheduler (a Clock with timers), so tests run in fixed or virtual time and never sleep for real, while
 * the lab runs on `systemScheduler`. The mocks take one as their `clock` option.
 */

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export interface Timer {
  cancel(): void;
}

export interface Scheduler extends Clock {
  /** Runs `fn` once, `ms` milliseconds from now. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

export function secondsNow(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
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

/** The timers of a clock that only moves when it is told to: due in time order, then in the order set. */
class TimerQueue {
  #seq = 0;
  #timers: PendingTimer[] = [];

  add(at: number, fn: () => void): Timer {
    const timer: PendingTimer = { at, seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers) if (!t.cancelled && (next === undefined || t.at < next)) next = t.at;
    return next;
  }

  /** Removes and returns the first timer due by `until`. */
  takeDue(until: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    if (best) this.#timers.splice(this.#timers.indexOf(best), 1);
    return best;
  }

  prune(): void {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
  }
}

/** A Scheduler that stays where it is put: `set` and `advance` move it, synchronously. */
export interface FixedClock extends Scheduler {
  /** Puts the clock at `ms` (backwards too); timers due by then fire first, in order. */
  set(ms: number): void;
  /** Moves the clock forward by `delta` ms, firing the timers due on the way. */
  advance(delta: number): void;
}

/**
 * A clock that stays where it is put; tests move it explicitly. It is a whole Scheduler, so it can be
 * given wherever time is (a mock's `clock`): its timers fire synchronously when the clock is moved past
 * them. For async chains that a timer starts, use VirtualScheduler.
 */
export function fixedClock(ms: number): FixedClock {
  let current = ms;
  const timers = new TimerQueue();
  const moveTo = (target: number): void => {
    for (let timer = timers.takeDue(target); timer; timer = timers.takeDue(target)) {
      current = Math.max(current, timer.at);
      timer.fn();
    }
    current = target;
    timers.prune();
  };
  const clock: FixedClock = {
    now: () => current,
    setTimer: (delay, fn) => timers.add(current + Math.max(0, delay), fn),
    sleep: (delay, signal) => sleepWith(clock, delay, signal),
    set: (value) => moveTo(value),
    advance: (delta) => moveTo(current + delta),
  };
  return clock;
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
  readonly #timers = new TimerQueue();

  constructor(startMs = 1_767_225_600_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): Timer {
    return this.#timers.add(this.#now + Math.max(0, ms), fn);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Timers set and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.pending;
  }

  /** When the next timer is due, if any. */
  nextAt(): number | undefined {
    return this.#timers.nextAt();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await flush();
    for (;;) {
      const timer = this.#timers.takeDue(until);
      if (!timer) break;
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flush();
    }
    this.#now = until;
    this.#timers.prune();
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
