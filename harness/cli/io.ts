/**
 * What the CLI touches outside itself, passed in so tests run commands in-process with captured output.
 */
import type { InputIo } from '../config/inputs.ts';
import type { Clock } from '../kernel/index.ts';

export interface CliIo extends InputIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour human-readable output (a TTY without NO_COLOR). */
  readonly color: boolean;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /**
   * For a command that runs until it is told to stop (`serve`): a signal aborted when the user asks it to
   * (SIGINT or SIGTERM; the reason names the signal). Handlers are installed on the first call only, so
   * other commands keep the default behaviour. Absent: the command is never asked to stop.
   */
  readonly stopSignal?: () => AbortSignal;
  /** The environment a command reads its `SSF_LAB_…` settings from (default the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Exit codes: 0 clean, 1 failure-level findings, 2 usage or harness error, 3 (`certify`) a target that
 * could not be reached at all.
 */
export const EXIT = { ok: 0, failures: 1, usage: 2, unreachable: 3 } as const;
