/**
 * The import rules of ARCHITECTURE.md, enforced: arrows point one way (cli → runner/lab → mocks → ssf →
 * protocol; suites → ssf/protocol; reports → protocol), protocol is a leaf, mocks never import each
 * other, and only harness/config reads environment variables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOP = ['harness', 'mocks', 'suites', 'scenarios', 'reports'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(sourceFiles(path));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The unit a file belongs to: `harness/protocol`, `mocks/okta`, `suites`, `bench`, … */
function unitOf(file: string): string {
  const parts = file.split('/');
  if ((parts[0] === 'harness' || parts[0] === 'mocks') && parts.length > 2)
    return parts.slice(0, 2).join('/');
  return parts[0] ?? file;
}

/** Which units each unit may import (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'harness/protocol': [],
  // The fleet generator is a leaf the mocks share, so all of them describe the same people and devices.
  'harness/fleet': [],
  'harness/ssf': ['harness/protocol'],
  'harness/config': ['harness/protocol'],
  'harness/lab': ['harness/protocol', 'harness/ssf', 'harness/config', 'harness/fleet', 'mocks/*'],
  // The scenario runner reaches a lab only as a client does: the manifest, the vendors' APIs, /_lab/.
  'harness/runner': ['harness/protocol', 'harness/ssf', 'harness/config', 'harness/lab', 'suites'],
  'harness/cli': [
    'harness/protocol',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'reports',
    'suites',
  ],
  // Certification from code (`ssf-lab/certify`): the engine the CLI uses, without the CLI.
  'harness/certify': [
    'harness/protocol',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'reports',
    'suites',
  ],
  // ssf-lab inside other tools (`ssf-lab/vitest`, `ssf-lab/msw`, `ssf-lab/testcontainers`).
  'harness/integrations': [
    'harness/protocol',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'reports',
    'suites',
  ],
  // The package as users install it: pack, install, run. Tests and their helpers only (never shipped), so
  // they may reach whatever they check the installed package against.
  'harness/distribution': [
    'harness/protocol',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'suites',
  ],
  'mocks/*': ['harness/protocol', 'harness/ssf', 'harness/fleet'],
  suites: ['harness/protocol', 'harness/ssf'],
  scenarios: [
    'harness/protocol',
    'harness/ssf',
    'harness/lab',
    'harness/runner',
    'harness/config',
    'mocks/*',
    'suites',
  ],
  reports: ['harness/protocol'],
  'harness/bench': [
    'harness/protocol',
    'harness/ssf',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'mocks/*',
    'suites',
  ],
};

function rulesFor(unit: string): readonly string[] | undefined {
  return ALLOWED[unit] ?? (unit.startsWith('mocks/') ? ALLOWED['mocks/*'] : undefined);
}

function allowed(from: string, to: string, isTest: boolean): boolean {
  if (from === to) return true;
  // Tests of the composition layers may reach further for fixtures; never into a sibling mock.
  if (isTest && to === 'harness/protocol') return true;
  // Any test may run the package as users install it (harness/distribution's support modules).
  if (isTest && to === 'harness/distribution') return true;
  const rules = rulesFor(from) ?? [];
  return rules.some((r) => r === to || (r === 'mocks/*' && to.startsWith('mocks/')));
}

const IMPORT = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;
/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

// Files directly under harness/ (like this test) belong to no unit and import nothing of the project.
const files = TOP.flatMap(sourceFiles).filter((f) => f.split('/').length > 2 || !f.startsWith('harness/'));

test('every unit imports only what the architecture allows', () => {
  const violations: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const from = unitOf(file);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
      if (target.startsWith('..')) continue;
      const to = target.includes('/') ? unitOf(target) : target;
      if (to === 'index.ts' || to === 'package.json') continue;
      if (!allowed(from, to, file.endsWith('.test.ts')))
        violations.push(`${file} imports ${target} (${from} → ${to})`);
    }
  }
  expect(violations).toEqual([]);
});

test('only harness/config reads environment variables', () => {
  const readers = files.filter(
    (f) =>
      !f.startsWith('harness/config/') &&
      // Tests and their helpers (never shipped: the pack-and-install test checks) may read it.
      !/\.(test|support|testing)\.ts$/.test(f) &&
      /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')),
  );
  expect(readers).toEqual([]);
});

test('the rules know every unit that exists', () => {
  const units = new Set(files.map(unitOf));
  expect([...units].filter((u) => rulesFor(u) === undefined)).toEqual([]);
});
