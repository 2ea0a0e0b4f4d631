/**
 * `ssf-lab certify` in-process with captured output, a fake plan and a fake remote target on 127.0.0.1:
 * live progress, the four reports, exit codes 0/1/2 and 130 on Ctrl-C (after cleanup, with reports), a
 * dry run that touches nothing, the ledger, and no secret anywhere in what it prints or writes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { defineCheck, defineModule, definePlan, HOLDS } from '../../suites/core/index.ts';
import { FAKE_ENTRIES, type FakeTarget, startFakeTarget } from '../certify/certify.fixtures.testing.ts';
import type { PlanEntry } from '../certify/engine.ts';
import { isHarnessError } from '../kernel/index.ts';
import { certifyCommand } from './certify-command.ts';
import type { CliIo } from './io.ts';
import { main } from './main.ts';

const TOKEN = 'tok-cli-0123456789abcdef';
const ENV = { FAKE_TOKEN: TOKEN };
let dir = '';
let fake: FakeTarget;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-certify-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake = await startFakeTarget(TOKEN);
});
afterEach(async () => {
  await fake.close();
});

function targetFile(
  name: string,
  plan: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify(
      {
        name: 'Fake staging',
        plans: { 'fake-transmitter': { baseUrl: fake.url, token: { env: 'FAKE_TOKEN' }, ...plan } },
        ...extra,
      },
      null,
      2,
    ),
  );
  return path;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command as main would: a HarnessError becomes exit 2 with its message. */
async function certify(
  args: readonly string[],
  options: { entries?: readonly PlanEntry[]; onStdout?: (text: string, stop: AbortController) => void } = {},
): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
      options.onStdout?.(t, stop);
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => Buffer.alloc(0),
    stdinIsTty: true,
    color: false,
    stopSignal: () => stop.signal,
  };
  try {
    const code = await certifyCommand(args, io, {
      entries: options.entries ?? FAKE_ENTRIES,
      env: ENV,
      cwd: dir,
    });
    return { code, stdout, stderr };
  } catch (error) {
    if (!isHarnessError(error)) throw error;
    return { code: 2, stdout, stderr: `${stderr}ssf-lab: ${error.message}\n` };
  }
}

function reports(out: string): string {
  return readdirSync(out)
    .sort()
    .map((f) => readFileSync(join(out, f), 'utf8'))
    .join('\n');
}

test('a passing target: live progress per module, four reports, exit 0, no secret anywhere', async () => {
  const out = join(dir, 'pass');
  const { code, stdout, stderr } = await certify(['--target', targetFile('pass.json'), '--out', out]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('ssf-lab certify: Fake staging (pass.json) — fake-transmitter\n');
  expect(stdout).toContain('      · created stream s-1\n');
  expect(stdout).toMatch(
    / {2}✓ fake-transmitter › stream-lifecycle — Create a stream and read it back: 2 ✓ 0 ✗, \d+ ms/,
  );
  expect(stdout).toMatch(/✓ fake-transmitter › harness-endpoint — Serve a harness endpoint: 1 ✓ 0 ✗/);
  expect(stdout).toContain(
    '✓ passed — 3 checks: 3 passed, 0 failed, 0 warnings, 0 skipped, 0 inconclusive, 0 blocked, 0 tolerated, 0 errors — Fake staging',
  );
  expect(readdirSync(out).sort()).toEqual(['certification.json', 'junit.xml', 'report.html', 'summary.md']);
  expect(fake.streams.size).toBe(0);
  expect(stdout + reports(out)).not.toContain(TOKEN);
});

test('a failure-level finding: the failing check with its requirement and message, exit 1', async () => {
  fake.createStatus = 200;
  fake.dropDescription = true;
  const out = join(dir, 'fail');
  const { code, stdout } = await certify(['--target', targetFile('fail.json'), '--out', out]);
  expect(code).toBe(1);
  // A SHOULD-level finding is a warning, not a second ✗.
  expect(stdout).toMatch(/ {2}✗ fake-transmitter › stream-lifecycle — .*: 0 ✓ 1 ✗ \(1 warning\)/);
  expect(stdout).toContain('      ✗ fake-create-answers-201 [RFC8417-2.2] the create answered 200\n');
  expect(stdout).toContain(
    '      ⚠ fake-read-back-has-description [SSF-4.1.9] (warning) the stream read back has no description\n',
  );
  expect(stdout).toContain('✗ failed — 3 checks: 1 passed, 1 failed, 1 warning, 0 skipped');
  expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(
    '<failure message="RFC8417-2.2: the create answered 200"',
  );
});

test('the ledger: a tolerated failure passes; an entry that matches nothing fails the run', async () => {
  fake.createStatus = 200;
  const ledger = join(dir, 'ledger.json');
  writeFileSync(ledger, JSON.stringify([{ check: 'fake-create-answers-201', reason: 'vendor ticket 7' }]));
  const tolerated = await certify([
    '--target',
    targetFile('led.json', {}, { ledger: 'ledger.json' }),
    '--out',
    join(dir, 'led'),
  ]);
  expect(tolerated.code).toBe(0);
  expect(tolerated.stdout).toContain(
    '✓ fake-transmitter › stream-lifecycle — Create a stream and read it back: 1 ✓ 0 ✗ (1 tolerated)',
  );
  expect(tolerated.stdout).toContain('≈ fake-create-answers-201 [RFC8417-2.2] tolerated: vendor ticket 7');
  fake.createStatus = 201;
  const unused = await certify([
    '--target',
    targetFile('led2.json'),
    '--ledger',
    ledger,
    '--out',
    join(dir, 'led2'),
  ]);
  expect(unused.code).toBe(1);
  expect(unused.stdout).toContain(
    '✗ ledger: the ledger entry for "fake-create-answers-201" matched no finding',
  );
});

test('a dry run changes nothing and lists what it would do', async () => {
  const { code, stdout } = await certify([
    '--target',
    targetFile('dry.json'),
    '--dry-run',
    '--out',
    join(dir, 'dry'),
  ]);
  expect(code).toBe(0);
  expect(fake.seen).toEqual([]);
  expect(stdout).toContain('dry run: nothing will be changed');
  expect(stdout).toContain('· would: create a stream tagged ssf-lab');
  expect(stdout).toContain('(dry run: nothing was changed)');
});

test('Ctrl-C: the module is cut short, its stream removed, the reports written, exit 130', async () => {
  const out = join(dir, 'stopped');
  const { code, stdout } = await certify(
    ['--target', targetFile('stop.json', { pauseMs: 10_000 }), '--out', out],
    {
      onStdout: (text, stop) => {
        if (text.includes('created stream')) stop.abort('SIGINT');
      },
    },
  );
  expect(code).toBe(130);
  expect(fake.streams.size).toBe(0);
  expect(stdout).toContain('✗ stopped (SIGINT)');
  expect(JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')).passed).toBe(false);
});

test('an invalid target fails at once naming the field, exit 2; nothing is sent', async () => {
  const literal = join(dir, 'literal.json');
  writeFileSync(
    literal,
    JSON.stringify({ name: 'x', plans: { 'fake-transmitter': { baseUrl: fake.url, token: 'abc' } } }),
  );
  const bad = await certify(['--target', literal]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/literal\.json:1:\d+: plans\.fake-transmitter\.token: holds a literal secret/);
  const url = await certify(['--target', targetFile('url.json', { baseUrl: 'nope' })]);
  expect(url.stderr).toContain('plans.fake-transmitter.baseUrl: must be a URL (found "nope")');
  const missing = await certify(['--target', join(dir, 'absent.json')]);
  expect(missing.stderr).toMatch(/cannot read target file ".*absent\.json": no such file/);
  expect(fake.seen).toEqual([]);
});

test('usage errors: exit 2 with the option named', async () => {
  const file = targetFile('usage.json');
  expect((await certify(['--target', file, '--plan', 'nope'])).stderr).toContain(
    '--plan nope: no such plan; the plans are: fake-transmitter',
  );
  expect((await certify(['--target', file, '--transport', 'loopback'])).stderr).toContain(
    '--transport applies to the lab only',
  );
  expect((await certify(['--lab', '--dry-run'])).stderr).toContain('--dry-run applies to a target file');
  expect((await certify(['--lab'])).stderr).toContain(
    'nothing to run: no conformance plan has a lab set-up yet',
  );
  expect((await certify(['extra'])).stderr).toContain('certify takes no arguments');
  expect((await certify(['--target', file, '--lab'])).code).toBe(2);
});

test('the lab: plans with a lab set-up run offline', async () => {
  const plan = definePlan<unknown>({
    name: 'noop',
    title: 'Nothing',
    role: 'Nothing at all.',
    optionsSchema: {},
    modules: [
      defineModule({
        id: 'noop',
        title: 'Does nothing',
        run: async () => ({}),
        checks: [
          defineCheck({
            id: 'noop-holds',
            title: 'It holds.',
            requirement: 'RFC8417-2.2',
            evaluate: () => HOLDS,
          }),
        ],
      }),
    ],
  });
  const { code, stdout } = await certify(['--lab', '--out', join(dir, 'lab')], {
    entries: [{ plan, lab: async () => ({}) }],
  });
  expect(code).toBe(0);
  expect(stdout).toContain('ssf-lab certify: the lab (in-process), offline');
  expect(stdout).toContain('✓ noop › noop — Does nothing: 1 ✓ 0 ✗');
});

test('main knows the command: help, and an unknown plan in a target file is exit 2', async () => {
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
  };
  expect(await main(['certify', '--help'], io)).toBe(0);
  expect(out).toContain('ssf-lab certify [--target FILE | --lab]');
  // Every exit code is documented, the unreachable target's own included; so is the one vocabulary.
  expect(out).toContain('3 the target could not be reached at all');
  expect(out).toContain('failed, so its input is missing: "blocked by <check id>")');
  const help = await certify(['--help']);
  expect(help.stdout).toContain('  fake-transmitter — A fake transmitter (target files only)');
  expect(help.stdout).toMatch(/ {4}\* baseUrl {16}string/);
  expect(help.stdout).toMatch(/ {6}pauseMs/);
  expect(await main(['help', 'certify'], io)).toBe(0);
  const file = join(dir, 'unknown-plan.json');
  writeFileSync(file, JSON.stringify({ name: 'x', plans: { 'no-such-plan': {} } }));
  expect(await main(['certify', '--target', file], io)).toBe(2);
  expect(err).toMatch(/plans\.no-such-plan: is not a plan this ssf-lab knows/);
});

test('a target that is down: one error naming its URL, exit 3, the reports written and marked unreachable', async () => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const out = join(dir, 'down');
  const file = join(dir, 'down.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Down',
      plans: { 'fake-transmitter': { baseUrl: `http://127.0.0.1:${port}`, token: { env: 'FAKE_TOKEN' } } },
    }),
  );
  const { code, stdout, stderr } = await certify(['--target', file, '--out', out]);
  expect(code).toBe(3);
  expect(stderr).toBe(
    `ssf-lab: cannot reach the target at http://127.0.0.1:${port}/streams (connect ECONNREFUSED 127.0.0.1:${port}): plan fake-transmitter was not run — is it up, and is the URL right?\n`,
  );
  // One line for the plan, not one per module or check; no check counted as failed or in error.
  expect(stdout).toContain(
    `  ✗ fake-transmitter: cannot reach http://127.0.0.1:${port}/streams (connect ECONNREFUSED 127.0.0.1:${port}) — the plan is not run\n`,
  );
  expect(stdout).not.toContain('fake-transmitter › ');
  expect(stdout).toContain('✗ unreachable — 3 checks: 0 passed, 0 failed, 0 warnings, 3 skipped');
  const json = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8'));
  expect(json).toMatchObject({ passed: false, unreachable: [{ plan: 'fake-transmitter' }] });
  expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('— ❌ unreachable');
});

test('an --out that cannot be written is a usage error before any plan runs', async () => {
  const file = join(dir, 'occupied');
  writeFileSync(file, 'not a directory');
  const target = targetFile('unwritable-out.json');
  const ran = await certify(['--target', target, '--out', join(file, 'reports')]);
  expect(ran.code).toBe(2);
  expect(ran.stdout).toBe('');
  expect(ran.stderr).toMatch(/cannot write the reports to .*occupied\/reports": it is not a directory/);
  expect(fake.seen).toEqual([]);
});
