/**
 * Issue 17's done-when, as a vendor runs it: `ssf-lab load --target t.json` against `ssf-lab serve` sends
 * 10,000 SETs to mock Okta's receiver over https and grades them against the file's objectives — every
 * valid SET acknowledged and found in Okta's receipts, every forged one refused. Kept out of `npm test`
 * for its length (signing and pushing 10,000 RS256 SETs on two cores); `npm run test:extended` runs it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli } from './cli.testing.ts';
import { type ServedLoadLab, serveLoadLab } from './load.testing.ts';

let lab: ServedLoadLab;

beforeAll(async () => {
  lab = await serveLoadLab();
}, 120_000);

afterAll(async () => {
  await lab?.close();
});

test('10,000 SETs against ssf-lab serve, graded against the target file objectives', async () => {
  const file = lab.targetFile('ten-thousand', {
    count: 10_000,
    connections: 16,
    invalidShare: 0.02,
    p99Ms: 5000,
    minThroughput: 20,
  });
  const result = await cli(['load', '--target', file, '--out', join(lab.dir, 'out')], lab.env);
  expect(result.code, result.stdout).toBe(0);
  expect(result.stdout).toMatch(/10000 of 10000 SETs answered/);
  expect(result.stdout).toMatch(/answers: 202 ×9800, 400 ×200/);
  expect(result.stdout).toMatch(/passed\s+load-accepted-sets-took-effect/);
  expect(result.stdout).toMatch(/passed\s+load-p99-within-slo/);
}, 300_000);
