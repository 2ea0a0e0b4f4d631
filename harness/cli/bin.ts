#!/usr/bin/env node
/**
 * Entry point of the `ssf-lab` bin: wires the real process into `main`.
 */
import { constants } from 'node:os';
import { colorEnabled } from '../config/terminal.ts';
import { main } from './main.ts';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let stop: AbortController | undefined;

/**
 * SIGINT and SIGTERM, once a long-running command asks: the first aborts its signal (it shuts down and
 * exits on its own), a second ends the process at once, with the status a shell gives a process the
 * signal killed (130, 143).
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
