/**
 * What the CLI touches outside itself, passed in so tests run commands in-process with captured output.
 */
import type { InputIo } from '../config/inputs.ts';
import type { Clock } from '../protocol/index.ts';

export interface CliIo extends InputIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour human-readable output (a TTY without NO_COLOR). */
  readonly color: boolean;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

/** Exit codes: 0 clean, 1 failure-level findings, 2 usage or harness error. */
export const EXIT = { ok: 0, failures: 1, usage: 2 } as const;
