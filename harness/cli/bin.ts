#!/usr/bin/env node
/**
 * Entry point of the `ssf-lab` bin: wires the real process into `main`.
 */
import { constants } from 'node:os';
import { MAX_INPUT_BYTES } from '../config/inputs.ts';
import { colorEnabled } from '../config/terminal.ts';
import { BodyTooLargeError, HarnessError, readBodyBytes } from '../kernel/index.ts';
import { main } from './main.ts';

/** Standard input, at most MAX_INPUT_BYTES: past that the read stops, so a flood is never buffered. */
async function readStdin(): Promise<Buffer> {
  try {
    return Buffer.from(await readBodyBytes(process.stdin, MAX_INPUT_BYTES));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    throw new HarnessError(
      'ERR_INPUT_UNREADABLE',
      `stdin carried more than ${MAX_INPUT_BYTES} bytes; more than ${MAX_INPUT_BYTES} is not read`,
    );
  }
}

let stop: AbortController | undefined;

/**
 * SIGINT and SIGTERM, once a long-running command asks: the first aborts its signal (it shuts down and
 * returns its own exit code: 0 for `serve`, 130/143 for `certify`), a second ends the process at once,
 * with the status a shell gives a process the signal killed (130, 143) — as `serve --help`, the README
 * and docs/certify.md say.
 */
function stopSignal(): AbortSignal {
  if (stop) return stop.signal;
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(128 + (constants.signals[signal] ?? 0));
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  stop = controller;
  return controller.signal;
}

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
  color: colorEnabled(process.stdout),
  stopSignal,
});
process.exitCode = code;

/**
 * Once a command stopped by a signal has returned, its work is done: it has aborted what it started, so
 * the process normally ends by itself at once. Should anything it could not reach still hold the event
 * loop (a socket a library opened, a timer), the stop still ends within this grace, with the same code.
 */
const STOPPED_EXIT_GRACE_MS = 1_000;

if (stop?.signal.aborted)
  setTimeout(() => {
    process.stderr.write('ssf-lab: something was still pending after the stop; ending anyway\n');
    process.exit(code);
  }, STOPPED_EXIT_GRACE_MS).unref();
