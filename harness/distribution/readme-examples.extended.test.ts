/**
 * The README's code examples, run as a user would copy them: every fenced block whose first line is
 * `// file: NAME` is written, from the README the package ships, into a directory of a project where the
 * packed ssf-lab is installed; the scripts run with node, the test files with that project's vitest.
 * Blocks that need Docker (`*.container.test.ts`) are run by the container test instead.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PLANS } from '../certify/index.ts';
import { fileExamples, type PackedInstall, packedInstall, runIn, runVitest } from './packed.testing.ts';

let installed: PackedInstall;
let dir = '';
let examples = new Map<string, string>();

beforeAll(async () => {
  installed = await packedInstall();
  examples = fileExamples(readFileSync(join(installed.dir, 'node_modules', 'ssf-lab', 'README.md'), 'utf8'));
  // Inside the project, so `import 'ssf-lab'` resolves to the installed package.
  dir = mkdtempSync(join(installed.dir, 'readme-'));
  for (const [name, code] of examples)
    if (!name.includes('.container.')) writeFileSync(join(dir, name), code);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the README has the examples this test runs', () => {
  expect([...examples.keys()].filter((n) => !n.includes('.container.')).sort()).toEqual([
    'certify.mjs',
    'lab-with-msw.test.ts',
    'my-receiver.js',
    'receiver.conformance.test.ts',
  ]);
  // The vendor's vitest file is the ~30 lines the README promises.
  expect(examples.get('receiver.conformance.test.ts')?.split('\n').length).toBeLessThanOrEqual(32);
});

test('certify.mjs: certification from code passes against the lab and writes the reports', async () => {
  const ran = await runIn(dir, process.execPath, ['certify.mjs']);
  expect(ran.stdout).toContain('events › ssf-profile');
  expect(ran.stdout).toContain('universal-logout › logout');
  expect(ran.stdout).toMatch(/^passed /m);
  expect(ran.code, ran.stderr).toBe(0);
  for (const report of ['junit.xml', 'certification.json', 'summary.md', 'report.html'])
    expect(existsSync(join(dir, 'reports', 'ssf-lab', report)), report).toBe(true);
}, 120_000);

test('the vitest examples: the receiver graded one test per check, and msw beside the lab', async () => {
  const ran = await runVitest(dir, join(installed.dir, 'node_modules', 'vitest', 'vitest.mjs'), [
    '--root',
    dir,
  ]);
  const { results } = ran;
  const failed = results.filter((r) => r.status === 'failed');
  expect(failed.map((r) => `${r.title}: ${r.failureMessages.join(' ')}`)).toEqual([]);
  expect(ran.code, ran.stderr).toBe(0);

  const plan = PLANS.find((p) => p.name === 'ssf-receiver');
  const checks = plan?.modules.flatMap((m) => m.checks) ?? [];
  const graded = results.filter((r) => r.ancestorTitles[0] === 'ssf-lab conformance: my receiver');
  expect(graded.map((r) => r.title.split(':')[0]).sort()).toEqual(checks.map((c) => c.id).sort());
  // The example receiver passes every check that applies; the stream-management ones do not apply.
  expect(graded.filter((r) => r.status === 'passed').length).toBeGreaterThanOrEqual(15);
  expect(results.find((r) => r.title === 'your handlers and the lab answer side by side')?.status).toBe(
    'passed',
  );
  expect(existsSync(join(dir, 'reports', 'ssf-lab', 'junit.xml'))).toBe(true);
}, 180_000);
