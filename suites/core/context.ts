/**
 * What a suite gets to talk to its target with, and nothing else (ARCHITECTURE principle 1: a suite
 * never knows whether the target is a mock). The same context type serves the lab in-process, the lab
 * as separate processes and a real tenant; only how it is built differs (harness/certify/engine.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Timeline } from '../../harness/records/index.ts';

export interface SuiteContext {
  /** Outbound HTTP to the target, recorded (redacted) as sent by `harness`. */
  readonly fetch: typeof fetch;
  /**
   * Serves a harness endpoint — a push receiver, a transmitter's metadata and JWKS — where the target can
   * reach it; returns its base URL (the public URL from the target file when the target is remote).
   */
  serve(name: string, app: FastifyInstance): Promise<{ readonly url: string; detach(): Promise<void> }>;
  /** Every exchange, sent and served; a module's share of it goes into its result. */
  readonly timeline: Timeline;
  /** Milliseconds since the epoch, in the target's time (real time unless the lab runs virtual time). */
  now(): number;
  /** Waits in the target's time; rejects when the run is stopped. */
  sleep(ms: number): Promise<void>;
  /** Aborted when the run is stopped (Ctrl-C): modules stop talking and clean up. */
  readonly signal: AbortSignal;
  /**
   * Declares a change the module is about to make in the target ("create a stream", "register a
   * provider"). Returns false in a dry run — the module must then not make it (and usually skips).
   */
  intend(what: string): boolean;
  /** Registers how to undo a change made in the target; undone at the end of the module, also on failure. */
  defer(what: string, undo: () => Promise<void>): void;
  /** A progress line for the person watching (`ssf-lab certify` prints it; tests ignore it). */
  progress(line: string): void;
}
