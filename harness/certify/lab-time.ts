/**
 * The clock a certification runs on against a lab (issue 17 item 4). An in-process lab runs on virtual
 * time: every wait of the run — a retry's backoff, a held push, a stream's inactivity_timeout, a plan
 * polling for an event, a set-up waiting for the lab to settle — is a timer on one VirtualScheduler, and
 * time moves on to the next timer as soon as the run has nothing else to do. A check still judges the same
 * behaviour: a retry comes no sooner than its backoff on the lab's clock; only the wall-clock wait is gone.
 * A loopback lab (its services reached over sockets, as outside clients reach `ssf-lab serve`) runs on
 * real time.
 *
 * When may time move on? Only when the harness waits on it — a plan (or a system it grades, like the
 * lab's reference receiver) sleeping — and only once the process has been quiet for a few turns of the
 * event loop: no timer set or fired, no exchange completed, no call started or answered, and little CPU
 * time spent (work on the thread pool — signing, verifying — shows nowhere else), watched over a longer
 * window after a lab timer fired. Quiet is judged, not known: on a machine so loaded that the process
 * barely runs, time may move on while a signature is under way, so a wait whose outcome matters polls in
 * short steps (the suites' `waitUntil`) rather than sleeping once and looking. Time never moves
 * while the harness works or awaits an answer: a call's handler signs and verifies on the thread pool
 * between exchanges, and time moving on then would let the lab's periodic timers (a UEM sync every few
 * minutes) race ahead of it. A call still unanswered after CALL_STALL_MS of real time may be waiting on a
 * timer (a long poll): from then on, while nothing else waits, the lab's time keeps pace with real time —
 * no faster, since a call may as well be slow only because the machine is — so that nothing waits forever.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { type Scheduler, type Timer, VirtualScheduler } from '../kernel/index.ts';
import { type Lab, type LabOptions, startLab } from '../lab/index.ts';

/**
 * Time as the harness (and a system it grades beside the lab) keeps it against a lab: the lab's clock, and
 * a `sleep` during which the lab's time may move on.
 */
export type LabWaits = Scheduler;

/**
 * Real time, stoppable, its timers keeping the process alive (unlike systemScheduler's): a run against an
 * in-process lab on real time has nothing else holding the event loop open while a module waits.
 */
export const realWaits: LabWaits = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Real time after which a harness call still in flight is taken to wait on the lab's time. */
export const CALL_STALL_MS = 1000;
/** How often (real ms) the lab's time catches up with real time while only a stalled call waits. */
const PACE_MS = 10;

/**
 * Real time the process must stay quiet after one of the lab's timers fired before time moves on again:
 * what a lab timer starts (a retry, an inactivity pause, a verification) signs a SET on the thread pool
 * before anything the clock sees happens (the push), and a few loop turns are shorter than a signature
 * on two busy cores. Harness sleeps ending need no such wait: what the harness does next, it does
 * before it sleeps again, and time only moves while it sleeps.
 */
export const SETTLE_MS = 15;

/** The share of a quiet turn's wall time the process may spend on the CPU and still count as idle. */
const BUSY_SHARE = 0.3;
/** Whether the process spent more than BUSY_SHARE of the `wallMs` since `from` on the CPU. */
function busy(from: NodeJS.CpuUsage, wallMs: number): boolean {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000 > BUSY_SHARE * wallMs;
}

/** A quiet turn (two immediates and a 1 ms timer) slower than this was kept waiting by the machine. */
const SLOW_TURN_MS = 5;
/** Slow turns in a row after which one counts anyway, so that a loaded machine still moves on. */
const MAX_SLOW_TURNS = 20;

export interface IdleClockOptions {
  /** Where virtual time starts (default: now). */
  readonly startMs?: number;
  /** Turns of the event loop with nothing happening before time moves on (default 2). */
  readonly quietTurns?: number;
  /** Real ms after which a call in flight counts as waiting on the lab's time (default CALL_STALL_MS). */
  readonly callStallMs?: number;
  /** Real ms of quiet required after a lab timer fired (default SETTLE_MS). */
  readonly settleMs?: number;
}

/**
 * Virtual time that moves on by itself when the harness waits and nothing else happens. `scheduler` is
 * what the lab's services get (their timers count as activity); `sleep` and `calls` are the harness's.
 */
export class IdleAdvancingClock implements LabWaits {
  readonly #virtual: VirtualScheduler;
  readonly #quietTurns: number;
  /** Bumped by everything that shows the process is busy. */
  #activity = 0;
  /** Harness sleeps in progress: someone is waiting on the lab's time. */
  #sleeping = 0;
  /** When each harness call in flight started (real time). */
  readonly #calls = new Set<{ readonly at: number }>();
  readonly #callStallMs: number;
  #wake: (() => void) | undefined;
  #closed = false;
  #advances = 0;
  /** When a timer of the lab's last fired (real time): what it started may be on the thread pool. */
  #labWokeAt = Number.NEGATIVE_INFINITY;
  /** The process's CPU time when a lab timer last fired, until a quiet window since shows it idle. */
  #labWokeCpu: NodeJS.CpuUsage | undefined;
  #slowTurns = 0;
  readonly #settleMs: number;
  readonly #running: Promise<void>;

  constructor(options: IdleClockOptions = {}) {
    this.#virtual = new VirtualScheduler(options.startMs ?? Date.now());
    this.#quietTurns = options.quietTurns ?? 2;
    this.#callStallMs = options.callStallMs ?? CALL_STALL_MS;
    this.#settleMs = options.settleMs ?? SETTLE_MS;
    this.#running = this.#drive();
  }

  /** The lab's services' Scheduler: the virtual one, with every timer set, fired or cancelled noted. */
  readonly scheduler: Scheduler = {
    now: () => this.#virtual.now(),
    setTimer: (ms: number, fn: () => void): Timer => {
      this.noteActivity();
      const timer = this.#virtual.setTimer(ms, () => {
        this.noteActivity();
        this.#labWokeAt = performance.now();
        this.#labWokeCpu = process.cpuUsage();
        fn();
      });
      return {
        cancel: () => {
          this.noteActivity();
          timer.cancel();
        },
      };
    },
    // A service's own wait is not the harness waiting: it moves on when the harness does.
    sleep: (ms: number, signal?: AbortSignal) => this.#virtual.sleep(ms, signal),
  };

  now(): number {
    return this.#virtual.now();
  }

  setTimer(ms: number, fn: () => void): Timer {
    return this.scheduler.setTimer(ms, fn);
  }

  /** Times virtual time has moved on (for tests and the bench). */
  get advances(): number {
    return this.#advances;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const timer = this.#virtual.sleep(ms, signal);
    this.#sleeping++;
    this.noteActivity();
    try {
      await timer;
    } finally {
      this.#sleeping--;
      this.noteActivity();
    }
  }

  /** `inner`, each call noted as activity when it starts and ends, and tracked while in flight. */
  calls(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const call = { at: performance.now() };
      this.#calls.add(call);
      this.noteActivity();
      try {
        return await inner(input, init);
      } finally {
        this.#calls.delete(call);
        this.noteActivity();
      }
    };
  }

  /** Something happened: time waits until the process has been quiet again. */
  noteActivity(): void {
    this.#activity++;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Stops moving time on (the lab is closing); waits for the driver to let go. */
  async close(): Promise<void> {
    this.#closed = true;
    this.noteActivity();
    await this.#running;
  }

  /** Real ms until the oldest harness call in flight counts as stalled (0: it does), or undefined. */
  #untilStalled(): number | undefined {
    let oldest: number | undefined;
    for (const call of this.#calls) oldest = Math.min(oldest ?? call.at, call.at);
    return oldest === undefined ? undefined : Math.max(0, oldest + this.#callStallMs - performance.now());
  }

  /** Resolves at the next activity, or after `ms` of real time when given. */
  #change(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Whether `quietTurns` turns of the event loop passed with nothing happening. A turn lets every promise
   * and I/O callback already due run, then a 1 ms real timer lets work on the thread pool (signing,
   * verifying) come back: a key operation in progress is activity time does not see otherwise.
   */
  async #quiet(): Promise<boolean> {
    const seen = this.#activity;
    for (let i = 0; i < this.#quietTurns; i++) {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      await turn();
      await turn();
      // At least 1 ms of real time: a timer may fire early against a loop time taken before the turns.
      while (performance.now() - wall < 1) await new Promise((resolve) => setTimeout(resolve, 1));
      if (this.#activity !== seen || this.#closed) return false;
      const took = performance.now() - wall;
      // The thread pool's work shows only as the process's CPU time: a signature under way keeps it busy.
      if (busy(cpu, took)) return false;
      // A turn that took long is a process the machine kept waiting: its thread pool waited too, so
      // that turn shows nothing — unless every turn is that slow, and then time must move on anyway.
      if (took > SLOW_TURN_MS && ++this.#slowTurns < MAX_SLOW_TURNS) return false;
      this.#slowTurns = 0;
    }
    // After a lab timer fired, the CPU is watched over the whole settling window since: a turn's
    // millisecond of CPU time is too coarse to be sure of seeing a signature on the thread pool.
    const settling = this.#labWokeAt + this.#settleMs - performance.now();
    if (settling > 0) {
      await new Promise((resolve) => setTimeout(resolve, settling));
      if (this.#activity !== seen || this.#closed) return false;
    }
    if (this.#labWokeCpu !== undefined) {
      const windowMs = performance.now() - this.#labWokeAt;
      if (busy(this.#labWokeCpu, windowMs)) {
        // Still at work: watch a fresh window.
        this.#labWokeAt = performance.now();
        this.#labWokeCpu = process.cpuUsage();
        return false;
      }
      this.#labWokeCpu = undefined;
    }
    return true;
  }

  async #drive(): Promise<void> {
    // Up to when (real time) a stalled call has had its share of the lab's time.
    let paced = performance.now();
    while (!this.#closed) {
      if (this.#sleeping > 0 && this.#virtual.nextAt() !== undefined) {
        if (!(await this.#quiet())) continue;
        const next = this.#virtual.nextAt();
        if (this.#sleeping === 0 || next === undefined) continue;
        this.#advances++;
        // advance() fires the timers due by then in order, letting each one's promise callbacks run.
        await this.#virtual.advance(Math.max(0, next - this.#virtual.now()));
        paced = performance.now();
        continue;
      }
      const stalled = this.#untilStalled();
      if (stalled === 0 && this.#virtual.nextAt() !== undefined) {
        // Only a stalled call waits: the lab's time moves at the pace of real time, never faster — a
        // call that is slow only because the machine is busy must not see the lab's tokens expire.
        const step = performance.now() - paced;
        paced = performance.now();
        if (step >= 1) {
          this.#advances++;
          await this.#virtual.advance(Math.floor(step));
        }
        await this.#change(PACE_MS);
        continue;
      }
      paced = performance.now();
      await this.#change(stalled);
    }
  }
}

const clocks = new WeakMap<Lab, IdleAdvancingClock>();

/**
 * A lab for certification runs: in-process on an IdleAdvancingClock (unless `options.scheduler` gives one),
 * on loopback in real time. The lab it returns is the started one with its harness calls (`fetch`,
 * `clientFetch`) counted as waits on its clock, and closing it stops the clock.
 */
export async function startCertifyLab(options: LabOptions): Promise<Lab> {
  if ((options.transport ?? 'in-process') !== 'in-process' || options.scheduler !== undefined)
    return startLab(options);
  const clock = new IdleAdvancingClock();
  let lab: Lab;
  try {
    lab = await startLab({ ...options, scheduler: clock.scheduler });
  } catch (error) {
    await clock.close();
    throw error;
  }
  const stop: Lab['stop'] = async () => {
    try {
      return await lab.stop();
    } finally {
      await clock.close();
    }
  };
  // Every exchange the lab's timeline records is the lab at work.
  lab.timeline.subscribe(() => clock.noteActivity());
  const timed: Lab = {
    ...lab,
    fetch: clock.calls(lab.fetch),
    clientFetch: clock.calls(lab.clientFetch),
    stop,
    close: async () => {
      await stop();
    },
  };
  clocks.set(timed, clock);
  return timed;
}

/** How the harness waits in `lab`'s time: on its clock when startCertifyLab gave it one, else real time. */
export function labWaits(lab: Lab): LabWaits {
  return clocks.get(lab) ?? realWaits;
}

/** Whether `waits` is a lab's virtual time (a wait in it costs no wall time). */
export function isVirtual(waits: LabWaits): boolean {
  return waits instanceof IdleAdvancingClock;
}

/** The lab's idle-advancing clock, when it has one. */
export function labClock(lab: Lab): IdleAdvancingClock | undefined {
  return clocks.get(lab);
}
