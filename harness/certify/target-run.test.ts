/**
 * certifyTarget against a fake remote target on 127.0.0.1: the plans a target file names run with its
 * options; what a module creates is removed at the end — also when the run is stopped in the middle; a
 * dry run changes nothing; 429s are waited out; credentials never reach the record.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Target } from '../config/target.ts';
import { checksOf } from '../records/index.ts';
import { FAKE_ENTRIES, type FakeTarget, startFakeTarget } from './certify.fixtures.testing.ts';
import { certifyTarget, ledgerFor, retryAfterMs, targetRuns } from './target-run.ts';

const TOKEN = 'tok-0123456789abcdef0123';
let fake: FakeTarget;

beforeEach(async () => {
  fake = await startFakeTarget(TOKEN);
});
afterEach(async () => {
  await fake.close();
});

function target(extra: Record<string, unknown> = {}): Target {
  return {
    name: 'Fake staging',
    file: '/tmp/fake.target.json',
    harness: { listenHost: '127.0.0.1' },
    plans: { 'fake-transmitter': { baseUrl: fake.url, token: TOKEN, ...extra } },
    secretPaths: ['plans.fake-transmitter.token'],
  };
}

test('runs the plan against the target, cleans up, and records redacted exchanges', async () => {
  const events: string[] = [];
  const record = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    onEvent: (e) =>
      events.push(
        e.type === 'module-end' ? `end ${e.result.id}` : e.type === 'progress' ? e.line : `start ${e.module}`,
      ),
  });
  expect(record.target).toEqual({ name: 'Fake staging', kind: 'file', file: '/tmp/fake.target.json' });
  expect(record.passed).toBe(true);
  expect(checksOf(record).map((c) => `${c.id} ${c.status}`)).toEqual([
    'fake-create-answers-201 passed',
    'fake-read-back-has-description passed',
    'fake-endpoint-answers passed',
  ]);
  expect(fake.streams.size).toBe(0);
  expect(fake.seen).toEqual(['POST /streams', 'GET /streams/s-1', 'DELETE /streams/s-1']);
  const module = record.plans[0]?.modules[0];
  expect(module?.cleanup).toEqual([{ what: 'delete stream s-1', ok: true }]);
  expect(module?.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual([
    'POST 201',
    'GET 200',
    'DELETE 204',
  ]);
  expect(JSON.stringify(record)).not.toContain(TOKEN);
  expect(events).toEqual([
    'start stream-lifecycle',
    'created stream s-1',
    'end stream-lifecycle',
    'start harness-endpoint',
    'end harness-endpoint',
  ]);
});

test('a failure-level finding fails the run; the ledger tolerates it; an unused entry fails it', async () => {
  fake.createStatus = 200;
  const failed = await certifyTarget(target(), FAKE_ENTRIES, { signal: new AbortController().signal });
  expect(failed.passed).toBe(false);
  expect(checksOf(failed)[0]?.findings[0]?.message).toBe('the create answered 200');
  const tolerated = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    ledger: [{ check: 'fake-create-answers-201', reason: 'vendor ticket 1' }],
  });
  expect(tolerated.passed).toBe(true);
  expect(checksOf(tolerated)[0]?.status).toBe('tolerated');
  fake.createStatus = 201;
  const unused = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    ledger: [{ check: 'fake-create-answers-201', reason: 'fixed since' }],
  });
  expect(unused.passed).toBe(false);
  expect(unused.ledgerProblems).toHaveLength(1);
});

test('a warning does not fail the run', async () => {
  fake.dropDescription = true;
  const record = await certifyTarget(target(), FAKE_ENTRIES, { signal: new AbortController().signal });
  expect(checksOf(record)[1]).toMatchObject({ status: 'failed', level: 'warning' });
  expect(record.passed).toBe(true);
});

test('a dry run changes nothing in the target and says what it would do', async () => {
  const lines: string[] = [];
  const record = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    dryRun: true,
    onEvent: (e) => {
      if (e.type === 'progress') lines.push(e.line);
    },
  });
  expect(fake.seen).toEqual([]);
  expect(lines).toContain('would: create a stream tagged ssf-lab');
  expect(record.dryRun).toBe(true);
  expect(record.plans[0]?.modules[0]?.skipped).toBe('dry run: would create a stream tagged ssf-lab');
});

test('stopped in the middle: the module errors, its stream is still deleted, nothing more runs', async () => {
  const stop = new AbortController();
  const record = await certifyTarget(target({ pauseMs: 10_000 }), FAKE_ENTRIES, {
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === 'progress' && e.line.startsWith('created')) stop.abort('SIGINT');
    },
  });
  expect(record.passed).toBe(false);
  expect(record.plans[0]?.modules.map((m) => m.id)).toEqual(['stream-lifecycle']);
  expect(record.plans[0]?.modules[0]?.checks.every((c) => c.status === 'error')).toBe(true);
  expect(fake.streams.size).toBe(0);
  expect(fake.seen).toEqual(['POST /streams', 'DELETE /streams/s-1']);
});

test('429s are waited out as Retry-After asks, each attempt recorded', async () => {
  fake.throttle = 2;
  const lines: string[] = [];
  const record = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    onEvent: (e) => {
      if (e.type === 'progress') lines.push(e.line);
    },
  });
  expect(record.passed).toBe(true);
  expect(record.plans[0]?.modules[0]?.exchanges.map((e) => e.status)).toEqual([429, 429, 201, 200, 204]);
  expect(lines.filter((l) => l.startsWith('429 from 127.0.0.1:'))).toHaveLength(2);
  expect(retryAfterMs('3')).toBe(3000);
  expect(retryAfterMs(null)).toBe(1000);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
});

test('--plan must name a plan of the target file', () => {
  expect(() => targetRuns(target(), FAKE_ENTRIES, ['ssf-receiver'])).toThrow(
    '--plan ssf-receiver: the target file /tmp/fake.target.json has no section for it (it names: fake-transmitter)',
  );
  expect(targetRuns(target(), FAKE_ENTRIES, ['fake-transmitter'])).toHaveLength(1);
});

test('the ledger concerns only the plans run, and a dry run does not apply it', async () => {
  const ledger = [
    { check: 'fake-create-answers-201', reason: 'ours' },
    { check: 'other-plan-check', reason: 'theirs', plan: 'ssf-receiver' },
    { check: 'misspelt-check-id', reason: 'typo' },
  ];
  expect(ledgerFor(ledger, FAKE_ENTRIES, ['fake-transmitter']).map((e) => e.check)).toEqual([
    'fake-create-answers-201',
    'misspelt-check-id',
  ]);
  expect(ledgerFor(ledger, FAKE_ENTRIES, []).map((e) => e.check)).toEqual(['misspelt-check-id']);
  const dry = await certifyTarget(target(), FAKE_ENTRIES, {
    signal: new AbortController().signal,
    dryRun: true,
    ledger,
  });
  expect(dry.ledgerProblems).toEqual([]);
  expect(dry.passed).toBe(true);
});
