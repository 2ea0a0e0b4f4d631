/**
 * The CLI in-process for tests: `cli(args)` runs a command to its end with captured output;
 * `serveInProcess(args, env)` runs `ssf-lab serve` until `stop()`, handing over the manifest it prints.
 */
import type { LabManifest } from '../lab/index.ts';
import type { CliIo } from './io.ts';
import { main } from './main.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An io that keeps what a command writes (no colour, no stdin), `env` as its environment. */
export function capturingIo(env?: Readonly<Record<string, string>>): {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
} {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => Buffer.alloc(0),
    stdinIsTty: true,
    color: false,
    ...(env === undefined ? {} : { env }),
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** Runs `ssf-lab …args` to its end with captured output (no colour, no stdin), `env` as its environment. */
export async function cli(
  args: readonly string[],
  env?: Readonly<Record<string, string>>,
): Promise<CliResult> {
  const { io, stdout, stderr } = capturingIo(env);
  const code = await main(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

export interface Serving {
  /** The exit code, once the command returns. */
  readonly done: Promise<number>;
  /** The first line on stdout, parsed (rejects if the command returns first). */
  readonly manifest: Promise<LabManifest>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** What the bin does on SIGINT/SIGTERM: abort the command's stop signal. */
  stop(reason?: string): void;
}

/** Runs `ssf-lab serve …args` in-process until `stop()`, with `env` as its whole environment. */
export function serveInProcess(args: readonly string[], env: Record<string, string> = {}): Serving {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  let firstLine: (line: string) => void = () => undefined;
  const line = new Promise<string>((resolve) => {
    firstLine = resolve;
  });
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      if (stdout.includes('\n')) firstLine(stdout.slice(0, stdout.indexOf('\n')));
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => Buffer.alloc(0),
    stdinIsTty: true,
    color: false,
    stopSignal: () => controller.signal,
    env,
  };
  const done = main(['serve', ...args], io);
  const serving: Serving = {
    done,
    manifest: Promise.race([
      line.then((l) => JSON.parse(l) as LabManifest),
      done.then((code) => Promise.reject(new Error(`serve exited ${code} first: ${stderr}`))),
    ]),
    stdout: () => stdout,
    stderr: () => stderr,
    stop: (reason = 'SIGTERM') => controller.abort(reason),
  };
  // Awaited later or not at all (a run that exits first); never an unhandled rejection.
  serving.manifest.catch(() => undefined);
  return serving;
}
