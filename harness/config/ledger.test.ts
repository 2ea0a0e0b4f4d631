/**
 * Ledger files: entries as written, and every way one could not be applied as meant refused up front.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadLedger, parseLedger } from './ledger.ts';

function errorOf(text: string): string {
  try {
    parseLedger(text, 'ledger.json');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

test('entries are read as written', () => {
  const text = `[
  { "check": "stream-create-answers-201", "reason": "Vendor ticket 123: answers 200." },
  { "check": "push-accepts-set", "reason": "Known.", "plan": "ssf-receiver", "module": "push", "requirement": "RFC8935-2.2", "message": "202" }
]`;
  expect(parseLedger(text, 'ledger.json')).toEqual([
    { check: 'stream-create-answers-201', reason: 'Vendor ticket 123: answers 200.' },
    {
      check: 'push-accepts-set',
      reason: 'Known.',
      plan: 'ssf-receiver',
      module: 'push',
      requirement: 'RFC8935-2.2',
      message: '202',
    },
  ]);
  expect(parseLedger('[]', 'ledger.json')).toEqual([]);
});

test('a bad entry is named with its index, field and position', () => {
  expect(errorOf('[{ "check": "a-b" }]')).toBe(
    'ledger.json:1:2: [0].reason: is required: say why this finding is tolerated',
  );
  expect(errorOf('[{ "check": "a-b", "reason": "  " }]')).toContain(
    '[0].reason: must be a non-empty sentence',
  );
  expect(errorOf('[{ "check": "a-b", "reason": "x", "reson": "y" }]')).toContain(
    ':1:44: [0].reson: is not a ledger member',
  );
  expect(errorOf('[{ "check": "Not Kebab", "reason": "x" }]')).toContain('[0].check: must be a check id');
  expect(errorOf('[{ "check": "a-b", "reason": "x", "requirement": "NOPE-1" }]')).toContain(
    '[0].requirement: "NOPE-1" is not a requirement id',
  );
  expect(errorOf('[{ "check": "a-b", "reason": "x", "plan": 3 }]')).toContain(
    '[0].plan: must be a non-empty string',
  );
  expect(errorOf('[{ "check": "a-b", "reason": "x" },\n { "check": "a-b", "reason": "y" }]')).toBe(
    'ledger.json:2:2: [1]: matches the same findings as entry [0]; the second could never match — remove it',
  );
  expect(errorOf('{}')).toContain('a ledger is a JSON array');
  expect(errorOf('[1]')).toContain('[0]: must be an object');
  expect(errorOf('[')).toMatch(/not valid JSON/);
});

test('loadLedger reads a file and says when it cannot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-ledger-'));
  try {
    writeFileSync(join(dir, 'l.json'), '[{ "check": "a-b", "reason": "x" }]');
    expect(await loadLedger(join(dir, 'l.json'))).toEqual([{ check: 'a-b', reason: 'x' }]);
    await expect(loadLedger(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read ledger file .* no such file/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an expected skip, and an entry naming a module instead of a check', () => {
  const text = `[
  { "check": "transmitter-hides-other-receivers-streams", "expect": "skip", "reason": "One receiver account only." },
  { "module": "retry", "plan": "ssf-transmitter", "reason": "Vendor ticket 9: no backoff yet." },
  { "module": "events", "expect": "skip", "reason": "No test hook." }
]`;
  expect(parseLedger(text, 'ledger.json')).toEqual([
    {
      check: 'transmitter-hides-other-receivers-streams',
      expect: 'skip',
      reason: 'One receiver account only.',
    },
    { module: 'retry', plan: 'ssf-transmitter', reason: 'Vendor ticket 9: no backoff yet.' },
    { module: 'events', expect: 'skip', reason: 'No test hook.' },
  ]);
  expect(errorOf('[{ "reason": "x" }]')).toBe(
    'ledger.json:1:2: [0].check: is required (or "module", for an entry about each check of a module)',
  );
  expect(errorOf('[{ "check": "a-b", "reason": "x", "expect": "pass" }]')).toContain(
    '[0].expect: must be "failure" (a tolerated failure, the default) or "skip" (an expected skip)',
  );
  expect(errorOf('[{ "check": "a-b", "expect": "skip" }]')).toContain(
    '[0].reason: is required: say why this skip is expected',
  );
  // A tolerated failure and an expected skip of the same check are two entries, not a duplicate.
  expect(
    parseLedger(
      '[{ "check": "a-b", "reason": "x" }, { "check": "a-b", "reason": "y", "expect": "skip" }]',
      'l.json',
    ),
  ).toHaveLength(2);
  expect(
    errorOf('[{ "module": "m", "reason": "x" },\n { "module": "m", "reason": "y", "expect": "failure" }]'),
  ).toBe(
    'ledger.json:2:2: [1]: matches the same findings as entry [0]; the second could never match — remove it',
  );
});
