import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { writeFileAtomically } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a file is replaced whole, with exactly the mode asked for, and nothing is left beside it', async () => {
  const path = join(dir, 'manifest.json');
  writeFileSync(path, 'old');
  await writeFileAtomically(path, '{"new":true}', { mode: 0o600 });
  expect(readFileSync(path, 'utf8')).toBe('{"new":true}');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  await writeFileAtomically(join(dir, 'report.html'), '<p>');
  expect(statSync(join(dir, 'report.html')).mode & 0o777).toBe(0o644);
  expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'report.html']);
});

test('a write that fails throws the file system error and leaves no temporary file', async () => {
  await expect(writeFileAtomically(join(dir, 'missing', 'x.json'), '{}')).rejects.toMatchObject({
    code: 'ENOENT',
  });
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('a symlink planted where the file goes is replaced, never followed: its target is untouched', async () => {
  const target = join(dir, 'precious.txt');
  writeFileSync(target, 'keep me');
  const path = join(dir, 'summary.md');
  symlinkSync(target, path);
  await writeFileAtomically(path, '# report');
  expect(readFileSync(target, 'utf8')).toBe('keep me');
  expect(lstatSync(path).isSymbolicLink()).toBe(false);
  expect(readFileSync(path, 'utf8')).toBe('# report');
});
