/**
 * `certify()` from code: a target given as an object (secrets literal or from `{ env }`), a target file,
 * the lab; everything checked before anything is sent; the record is the one the CLI writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { validateCertificationRecord } from '../../reports/index.ts';
import type { CertifyEvent } from '../../suites/core/index.ts';
import { isHarnessError } from '../kernel/index.ts';
import { checksOf } from '../records/index.ts';
import { FAKE_ENTRIES, type FakeTarget, startFakeTarget } from './certify.fixtures.testing.ts';
import { certify, prepareCertification } from './certify.ts';
import { PLANS } from './plans.ts';
import { writeReports } from './reports.ts';

const TOKEN = 'tok-code-0123456789abcdef';
let dir = '';
let fake: FakeTarget;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-certify-code-'));
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

async function usageError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHarnessError(error), String(error)).toBe(true);
  return (error as Error).message;
}

test('a target object with a literal secret: graded, recorded as a target in code, the secret nowhere', async () => {
  const events: CertifyEvent[] = [];
  const prepared = await prepareCertification(
    {
      target: { name: 'Fake in code', plans: { 'fake-transmitter': { baseUrl: fake.url, token: TOKEN } } },
      onProgress: (e) => events.push(e),
    },
    FAKE_ENTRIES,
  );
  expect(prepared).toMatchObject({ kind: 'code', name: 'Fake in code', plans: ['fake-transmitter'] });
  expect(fake.seen).toEqual([]); // nothing is sent before run()
  const record = await prepared.run();
  expect(record.passed).toBe(true);
  expect(record.target).toEqual({ name: 'Fake in code', kind: 'code' });
  expect(events.map((e) => e.type)).toContain('module-end');
  expect(fake.streams.size).toBe(0); // cleaned up
  const paths = await writeReports(record, join(dir, 'code'));
  const json = readFileSync(paths.json, 'utf8');
  expect(validateCertificationRecord(JSON.parse(json)).target).toEqual({
    name: 'Fake in code',
    kind: 'code',
  });
  for (const path of Object.values(paths)) expect(readFileSync(path, 'utf8')).not.toContain(TOKEN);
});

test('{ env } references in a target object come from options.env; a missing variable is named', async () => {
  const target = { name: 'Env', plans: { 'fake-transmitter': { baseUrl: fake.url, token: { env: 'T' } } } };
  const record = await (await prepareCertification({ target, env: { T: TOKEN } }, FAKE_ENTRIES)).run();
  expect(record.passed).toBe(true);
  expect(await usageError(prepareCertification({ target, env: {} }, FAKE_ENTRIES))).toBe(
    'target: plans.fake-transmitter.token: the environment variable T is not set (the target file reads this value from it)',
  );
});

test('a target file and a ledger given as entries; an entry that matches nothing fails the run', async () => {
  const file = join(dir, 'fake.target.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'File',
      plans: { 'fake-transmitter': { baseUrl: fake.url, token: { env: 'T' } } },
    }),
  );
  const prepared = await prepareCertification(
    { target: file, env: { T: TOKEN }, ledger: [{ check: 'fake-create-answers-201', reason: 'ticket 9' }] },
    FAKE_ENTRIES,
  );
  expect(prepared).toMatchObject({ kind: 'file', file });
  const record = await prepared.run();
  expect(record.target).toEqual({ name: 'File', kind: 'file', file });
  expect(record.passed).toBe(false);
  expect(record.ledgerProblems.map((p) => p.message).join()).toMatch(/matched no finding/);
});

test("a target file's own ledger is read and applied", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-target-file-'));
  try {
    const file = join(dir, 't.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'From a file',
        plans: { 'fake-transmitter': { baseUrl: fake.url, token: { env: 'T' } } },
        ledger: 'ledger.json',
      }),
    );
    writeFileSync(
      join(dir, 'ledger.json'),
      JSON.stringify([{ check: 'fake-create-answers-201', reason: 'known' }]),
    );
    fake.createStatus = 200;
    const record = await (
      await prepareCertification({ target: file, env: { T: TOKEN } }, FAKE_ENTRIES)
    ).run();
    expect(record.target).toEqual({ name: 'From a file', kind: 'file', file });
    expect(record.passed).toBe(true);
    expect(checksOf(record)[0]?.status).toBe('tolerated');
    await expect(prepareCertification({ target: file, env: {} }, FAKE_ENTRIES)).rejects.toThrow(
      'the environment variable T is not set',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mistakes are refused before anything is sent, naming what was wrong and never a secret', async () => {
  const plans = { 'fake-transmitter': { baseUrl: fake.url, token: TOKEN } };
  const cases: [Parameters<typeof prepareCertification>[0], string | RegExp][] = [
    [{}, 'give exactly one of target (a target file or object) and lab'],
    [
      { target: { name: 'x', plans }, lab: true },
      'give exactly one of target (a target file or object) and lab',
    ],
    [
      { target: { name: 'x', plans }, plans: ['nope'] },
      'no such plan: "nope"; the plans are: fake-transmitter',
    ],
    [{ lab: true, dryRun: true }, /^dryRun applies to a target/],
    [{ lab: true }, 'nothing to run: no conformance plan has a lab set-up yet'],
    [
      { target: { name: 'x', plans: { 'fake-transmitter': { baseUrl: 'nope', token: TOKEN } } } },
      'target: plans.fake-transmitter.baseUrl: must be a URL (found "nope")',
    ],
    [
      { target: { name: 'x', plans: { 'fake-transmitter': { baseUrl: fake.url, token: 7 } } } },
      'target: plans.fake-transmitter.token: must be a string (found 7)',
    ],
    [{ target: { name: 'x', plans: {} } }, /^target: plans: /],
    [{ target: { name: 'x', plans }, ledger: [{ check: 'c', reason: 'r', plna: 'x' }] as never }, /plna/],
    // A misspelt check id is a bad ledger (exit 2), not a run that "matched no finding" (exit 1).
    [
      { target: { name: 'x', plans }, ledger: [{ check: 'fake-create-answer-201', reason: 'r' }] },
      'ledger entry [0]: "fake-create-answer-201" is no check of ssf-lab; did you mean "fake-create-answers-201"?',
    ],
    [
      { target: { name: 'x', plans }, ledger: [{ check: 'nothing-like-any-check-at-all', reason: 'r' }] },
      /^ledger entry \[0\]: "nothing-like-any-check-at-all" is no check of ssf-lab \(ssf-lab checks --markdown lists them\)$/,
    ],
    // So is a misspelt module id, in an entry naming a module instead of a check.
    [
      { target: { name: 'x', plans }, ledger: [{ module: 'stream-lifecycel', reason: 'r' }] },
      'ledger entry [0]: "stream-lifecycel" is no module of ssf-lab; did you mean "stream-lifecycle"?',
    ],
    [
      { target: { name: 'x', plans }, ledger: [{ module: 'zzz', expect: 'skip', reason: 'r' }] },
      'ledger entry [0]: "zzz" is no module of ssf-lab (the modules are: stream-lifecycle, harness-endpoint)',
    ],
    [{ target: '' }, 'target: a file path or a target object, not an empty string'],
    [{ target: join(dir, 'absent.json') }, /cannot read target file ".*absent\.json": no such file/],
  ];
  for (const [options, expected] of cases) {
    const message = await usageError(prepareCertification(options, FAKE_ENTRIES));
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(message).not.toContain(TOKEN);
  }
  expect(fake.seen).toEqual([]);
});

test('a lab target no running plan grades is refused, naming those there are', async () => {
  expect(await usageError(prepareCertification({ lab: { labTarget: 'okta' }, plans: ['events'] }))).toBe(
    'no plan being run grades a lab target "okta"',
  );
  expect(
    await usageError(prepareCertification({ lab: { labTarget: 'otka' }, plans: ['ssf-receiver'] })),
  ).toBe('no plan being run grades a lab target "otka"; the lab targets are: okta (ssf-receiver)');
});

test('the lab, from code: the events plan passes, recorded as the lab', async () => {
  const record = await certify({ lab: true, plans: ['events'] });
  expect(record.target).toEqual({ name: 'the lab (in-process)', kind: 'lab' });
  expect(record.plans.map((p) => p.name)).toEqual(['events']);
  expect(record.passed).toBe(true);
});

test('PLANS lists every plan, its modules and checks with their levels, before anything runs', () => {
  expect(PLANS.map((p) => p.name)).toEqual([
    'events',
    'ssf-transmitter',
    'ssf-receiver',
    'okta-receiver',
    'universal-logout',
    'integration',
  ]);
  const receiver = PLANS.find((p) => p.name === 'ssf-receiver');
  const checks = receiver?.modules.flatMap((m) => m.checks) ?? [];
  expect(checks.length).toBeGreaterThan(10);
  for (const c of checks) expect(['failure', 'warning', 'info']).toContain(c.level);
  expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
});
