/**
 * A few end-to-end runs of the built `ssf-lab` bin as a real process: the wiring of argv, stdin, stdout,
 * stderr and the exit code that the in-process tests in main.test.ts cannot see. `npm test` builds dist/
 * with `tsc` before vitest runs; without a build these tests are skipped.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EVENT_URIS, exampleEvent } from '../protocol/index.ts';

const BIN = fileURLToPath(new URL('../../dist/harness/cli/bin.js', import.meta.url));
const MISSING = !existsSync(BIN);
const e2e = test.skipIf(MISSING);
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let dir = '';

function bin(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    ...(input === undefined ? {} : { input }),
  });
  if (result.error) throw result.error;
  return result;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-bin-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

if (MISSING) {
  test.skip(`end-to-end runs need ${BIN}; build it first with "npx tsc -p tsconfig.json"`, () => {});
}

e2e('node bin.js --help prints the overview and exits 0', () => {
  const r = bin(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Usage: ssf-lab <command>');
  expect(r.stderr).toBe('');
});

e2e('node bin.js --version prints the package version from inside dist/', () => {
  const r = bin(['--version']);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${VERSION}\n`);
});

e2e('keys generate, set sign and set lint on real stdin round-trip a valid Okta SET with exit 0', () => {
  const keyFile = join(dir, 'key.json');
  const generated = bin(['keys', 'generate', '--alg', 'ES256', '--out', keyFile]);
  expect(generated.status).toBe(0);
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, generated.stdout);
  const example = exampleEvent(EVENT_URIS.oktaDeviceRiskChange, 'okta');
  if (!example) throw new TypeError('no okta example for device-risk-change');
  const sign = bin([
    'set',
    'sign',
    '--profile',
    'okta',
    '--key',
    keyFile,
    '--event',
    EVENT_URIS.oktaDeviceRiskChange,
    '--payload',
    JSON.stringify(example.payload),
    '--subject',
    JSON.stringify(example.subject),
  ]);
  expect(sign.status).toBe(0);
  expect(sign.stderr).toBe('');
  const token = sign.stdout.trim();
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

  const lint = bin(['set', 'lint', '--profile', 'okta', '--json', '--jwks', jwksFile], sign.stdout);
  expect(lint.status).toBe(0);
  const output = JSON.parse(lint.stdout) as Record<string, unknown>;
  expect(Object.keys(output).sort()).toEqual(['findings', 'header', 'payload']);
  expect(output.findings).toEqual([]);
  expect(output.header).toMatchObject({ alg: 'ES256', typ: 'secevent+jwt' });
  const privateD = String((JSON.parse(readFileSync(keyFile, 'utf8')) as { d?: unknown }).d);
  expect(lint.stdout + lint.stderr).not.toContain(privateD);
});

e2e('set lint of garbage on real stdin exits 1 with token-is-compact-jws', () => {
  const r = bin(['set', 'lint', '--json'], 'not a token\n');
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('"token-is-compact-jws"');
});

e2e('set lint of an unreadable file exits 2 with a one-line message and no stack trace', () => {
  const missing = join(dir, 'missing.jwt');
  const r = bin(['set', 'lint', missing]);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`ssf-lab: cannot read token file "${missing}": no such file\n`);
  const directory = bin(['set', 'lint', dir]);
  expect(directory.status).toBe(2);
  expect(directory.stderr).toContain('it is a directory');
  expect(directory.stderr).not.toContain('    at ');
});

e2e('an unknown option exits 2 naming the option and no stack trace', () => {
  const r = bin(['set', 'lint', '--frob']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--frob');
  expect(r.stderr).not.toContain('    at ');
});
