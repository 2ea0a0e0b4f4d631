#!/usr/bin/env node
/**
 * Entry point of the `ssf-lab` bin: wires the real process into `main`.
 */
import { colorEnabled } from '../config/terminal.ts';
import { main } from './main.ts';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
  color: colorEnabled(process.stdout),
});
process.exitCode = code;
