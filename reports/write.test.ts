import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { failingRun, passingRun } from './fixtures.testing.ts';
import { parseRunRecord, parseRunRecords } from './json.ts';
import { writeReports } from './write.ts';

let root = '';

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssf-lab-reports-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

test('one run: run.json, report.html and summary.md in a directory created on the way', async () => {
  const dir = join(root, 'nested', 'out');
  const paths = await writeReports([passingRun()], dir, { generatedAt: '2026-01-15T10:00:00Z' });
  expect(paths).toEqual({
    html: join(dir, 'report.html'),
    json: join(dir, 'run.json'),
    markdown: join(dir, 'summary.md'),
  });
  expect((await readdir(dir)).sort()).toEqual(['report.html', 'run.json', 'summary.md']);
  expect(parseRunRecord(await readFile(paths.json, 'utf8'))).toEqual(passingRun());
  expect(await readFile(paths.html, 'utf8')).toContain('2026-01-15T10:00:00Z');
  expect(await readFile(paths.markdown, 'utf8')).toMatch(/^## ssf-lab: 1 run, 1 passed, 0 failed/);
});

test('several runs: runs.json; writing again replaces the files', async () => {
  const first = await writeReports([passingRun(), failingRun()], root);
  expect(first.json).toBe(join(root, 'runs.json'));
  expect(parseRunRecords(await readFile(first.json, 'utf8'))).toHaveLength(2);
  await writeReports([passingRun(), failingRun()], root);
  expect((await readdir(root)).sort()).toEqual(['report.html', 'runs.json', 'summary.md']);
});
