/**
 * The import rules of ARCHITECTURE.md and docs/architecture.md, enforced. harness/ shows its floors,
 * bottom to top: kernel → protocol → records → ssf → [mocks, suites, reports] → lab → runner and certify
 * → cli; an import points down, never up or sideways. Four rules:
 * - floors: each unit imports only the units ALLOWED names (mocks never each other);
 * - deep imports: from outside a unit, an import of it is its index.ts (or one of the entry files ENTRIES
 *   lists), never a file behind it;
 * - suite to suite: a suite reaches another suite only through that suite's index.ts;
 * - environment: only harness/config reads environment variables.
 * The checker is a pure function over `{ file, imports, readsEnv }`, so each rule is also shown failing on
 * a planted violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOP = ['harness', 'mocks', 'suites', 'scenarios', 'reports'];

/** One source file as the rules see it: its path, the relative imports it names, whether it reads env. */
interface Source {
  readonly file: string;
  /** Module specifiers as written (relative ones are checked; packages are not the rules' business). */
  readonly imports: readonly string[];
  readonly readsEnv: boolean;
}

type Rule = 'floor' | 'deep-import' | 'suite-to-suite' | 'env' | 'unknown-unit';

interface Violation {
  readonly rule: Rule;
  readonly file: string;
  readonly message: string;
}

/**
 * The unit a file belongs to: `harness/protocol`, `mocks/okta`, `suites/events`, `reports`, … Files
 * directly under harness/ are the package's root entry points (`harness`): index.ts is `ssf-lab`,
 * protocol-entry.ts is `ssf-lab/protocol`.
 */
function unitOf(file: string): string {
  const parts = file.split('/');
  if ((parts[0] === 'harness' || parts[0] === 'mocks' || parts[0] === 'suites') && parts.length > 2)
    return parts.slice(0, 2).join('/');
  return parts[0] ?? file;
}

/** Which units each unit may import (besides itself). `mocks/*` and `suites/*` stand for every one. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The package's root entry points only re-export units' indexes.
  harness: [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/lab',
    'harness/runner',
  ],
  // Time, ids, errors and redaction: the ground floor imports nothing.
  'harness/kernel': [],
  'harness/protocol': ['harness/kernel'],
  'harness/records': ['harness/kernel', 'harness/protocol'],
  // The fleet generator is a leaf the mocks share, so all of them describe the same people and devices.
  'harness/fleet': [],
  'harness/ssf': ['harness/kernel', 'harness/protocol', 'harness/records'],
  'harness/config': ['harness/kernel', 'harness/protocol', 'harness/records'],
  'mocks/*': ['harness/kernel', 'harness/protocol', 'harness/records', 'harness/ssf', 'harness/fleet'],
  // Besides these, a suite may import another suite through its index (suites/core is the shared base).
  'suites/*': ['harness/kernel', 'harness/protocol', 'harness/records', 'harness/ssf', 'suites/*'],
  reports: ['harness/kernel', 'harness/protocol', 'harness/records'],
  'harness/lab': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/config',
    'harness/fleet',
    'mocks/*',
  ],
  // The scenario runner reaches a lab only as a client does: the manifest, the vendors' APIs, /_lab/.
  'harness/runner': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'suites/*',
  ],
  // Certification from code (`ssf-lab/certify`): the engine the CLI uses, without the CLI.
  'harness/certify': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'reports',
    'suites/*',
  ],
  // The lab console: a client of a running lab (its manifest, the vendors' APIs, /_lab/) that also
  // follows the lab's timeline, runs scenarios against it and renders their reports; served by the CLI.
  'harness/console': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/lab',
    'harness/runner',
    'reports',
  ],
  'harness/cli': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'harness/console',
    'reports',
    'suites/*',
  ],
  // ssf-lab inside other tools (`ssf-lab/vitest`, `ssf-lab/msw`, `ssf-lab/testcontainers`).
  'harness/integrations': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'reports',
    'suites/*',
  ],
  scenarios: [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/lab',
    'harness/runner',
    'harness/config',
    'mocks/*',
    'suites/*',
  ],
  // The package as users install it: pack, install, run. Tests and their helpers only (never shipped), so
  // they may reach whatever they check the installed package against.
  'harness/distribution': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/config',
    'harness/lab',
    'harness/runner',
    'harness/certify',
    'suites/*',
  ],
  'harness/bench': [
    'harness/kernel',
    'harness/protocol',
    'harness/records',
    'harness/ssf',
    'harness/lab',
    'harness/console',
    'harness/runner',
    'harness/certify',
    'mocks/*',
    'suites/*',
  ],
};

/**
 * The files another unit may import, for the units whose way in is not (only) index.ts: units of several
 * independent entry points, each loaded on its own so a caller pays only for the one it needs.
 */
const ENTRIES: Readonly<Record<string, readonly string[]>> = {
  // The only code that reads env vars, argv or files: one module per input, no barrel (the CLI's start
  // would pay for ajv, which only the target file's reader needs, to print its version).
  'harness/config': [
    'argv.ts',
    'inputs.ts',
    'ledger.ts',
    'outputs.ts',
    'package.ts',
    'serve-env.ts',
    'target.ts',
    'terminal.ts',
  ],
  // The `ssf-lab` command: the bin and the composition root.
  'harness/cli': ['bin.ts', 'main.ts'],
  // One package entry point per tool (`ssf-lab/vitest`, `ssf-lab/msw`, `ssf-lab/testcontainers`).
  'harness/integrations': ['vitest.ts', 'msw.ts', 'testcontainers.ts'],
  // index.ts is the whole lab (it loads every mock). The integrations that run in a user's test process
  // take only what they need: the msw handlers (`ssf-lab/msw`) and the readiness path
  // (`ssf-lab/testcontainers`, listen.ts), neither of which loads a mock.
  'harness/lab': ['index.ts', 'msw-handlers.ts', 'listen.ts'],
  // A mock's deviation catalogue on its own (names and sentences, no server): the lab's controls check
  // deviation names against it, and listen.ts loads them, which must not load a mock.
  'mocks/okta': ['index.ts', 'deviations.ts'],
  'mocks/apps': ['index.ts', 'deviations.ts'],
  // index.ts is `ssf-lab/certify` (certify(), writeReports, PLANS). The CLI, the bench and the vitest
  // integration drive the engine beneath it, which the package does not offer: preparing a run and its
  // plan names (certify.ts), running plans against a lab or a target (engine.ts), the plans (plan-entries.ts).
  'harness/certify': ['index.ts', 'certify.ts', 'engine.ts', 'plan-entries.ts'],
  // Tests and their helpers only: any test may run the package as users install it.
  'harness/distribution': ['packed.testing.ts', 'node-range.testing.ts', 'ci-runner.testing.ts'],
  // The route-contract ledger every mock's contract test shares (a test helper, never shipped).
  'harness/ssf': ['index.ts', 'route-contract.testing.ts'],
};

const isTest = (file: string): boolean => /\.(test|testing)\.ts$/.test(file);
/** A fixture module: what a test reaches into another unit for. */
const isFixture = (file: string): boolean => /\.testing\.ts$/.test(file);

function rulesFor(unit: string): readonly string[] | undefined {
  if (ALLOWED[unit]) return ALLOWED[unit];
  if (unit.startsWith('mocks/')) return ALLOWED['mocks/*'];
  if (unit.startsWith('suites/')) return ALLOWED['suites/*'];
  return undefined;
}

function floorAllows(from: string, to: string, file: string): boolean {
  if (from === to) return true;
  // Any test may run the package as users install it (harness/distribution's helper modules).
  if (isTest(file) && to === 'harness/distribution') return true;
  // A test of a composition layer may build its fixtures from the floors below the unit's own.
  if (isTest(file) && ['harness/kernel', 'harness/protocol', 'harness/records'].includes(to)) return true;
  return (rulesFor(from) ?? []).some(
    (r) =>
      r === to ||
      (r === 'mocks/*' && to.startsWith('mocks/')) ||
      (r === 'suites/*' && to.startsWith('suites/')),
  );
}

/** The ways into a unit from outside it. */
function entriesOf(unit: string): readonly string[] {
  return (ENTRIES[unit] ?? ['index.ts']).map((f) => `${unit}/${f}`);
}

/**
 * Deep imports a test may make (tests only, never shipped code), each for a fixture it cannot build from
 * the unit's index. Within one top-level area a test may also import another unit's fixture modules
 * (`*.testing.ts`: the one name a test helper has).
 */
const DEEP_IMPORT_EXCEPTIONS: readonly {
  readonly from: string;
  readonly to: RegExp;
  readonly why: string;
}[] = [
  {
    from: 'harness/certify/failing-cases.testing.ts',
    to: /^suites\/([a-z-]+\/failing-cases|core\/failing)\.testing\.ts$/,
    why: 'every check fails on some case: the cases of every suite, gathered',
  },
  {
    from: 'harness/certify/certify-ssf-transmitter.test.ts',
    to: /^suites\/ssf-transmitter\/events\.ts$/,
    why: 'runs the plan with its events module alone',
  },
  {
    from: 'harness/cli/self-test-black-box.extended.test.ts',
    to: /^(suites\/ssf-transmitter\/inactivity|harness\/certify\/black-box-target)\.ts$/,
    why: 'grades `ssf-lab serve` through the black-box target file, knowing which checks need the lab',
  },
  {
    from: 'harness/cli/run-against-serve.test.ts',
    to: /^harness\/certify\/black-box-target\.ts$/,
    why: 'runs a scenario against `ssf-lab serve` seen only through a target file, as real endpoints',
  },
  {
    from: 'harness/integrations/testcontainers.container.test.ts',
    to: /^harness\/certify\/lab-targets\/set-up\.ts$/,
    why: 'sets the container up as the in-process lab target does',
  },
  {
    from: 'harness/lab/jamf-seed-flow.test.ts',
    to: /^mocks\/jamf-security-cloud\/okta-stub\.testing\.ts$/,
    why: "the seed's Jamf flow against an Okta stand-in, the JSC mock's own fixture",
  },
];

function deepImportAllowed(file: string, target: string): boolean {
  const from = unitOf(file);
  const to = unitOf(target);
  if (entriesOf(to).includes(target)) return true;
  if (isTest(file)) {
    if (isFixture(target) && file.split('/')[0] === target.split('/')[0]) return true;
    if (DEEP_IMPORT_EXCEPTIONS.some((e) => e.from === file && e.to.test(target))) return true;
  }
  return from === to;
}

/** The checker: every rule over every source, as data. Pure, so tests can plant violations. */
function check(sources: readonly Source[]): Violation[] {
  const out: Violation[] = [];
  for (const { file, imports, readsEnv } of sources) {
    const from = unitOf(file);
    if (rulesFor(from) === undefined)
      out.push({ rule: 'unknown-unit', file, message: `${from} has no rules in ALLOWED` });
    if (readsEnv && !file.startsWith('harness/config/') && !isTest(file))
      out.push({ rule: 'env', file, message: 'reads process.env outside harness/config' });
    for (const spec of imports) {
      if (!spec.startsWith('.')) continue;
      const target = normalize(join(dirname(file), spec));
      if (target.startsWith('..') || !TOP.includes(target.split('/')[0] ?? '')) continue;
      const to = unitOf(target);
      if (from === to) continue;
      if (!floorAllows(from, to, file)) {
        out.push({ rule: 'floor', file, message: `imports ${target} (${from} → ${to})` });
        continue;
      }
      if (from.startsWith('suites/') && to.startsWith('suites/') && target !== `${to}/index.ts`) {
        // A suite's tests may use the shared base's fixtures (suites/core/failing.testing.ts), and its failing
        // cases another suite's fixtures (they grade the same kind of target).
        const coreFixture = isTest(file) && to === 'suites/core' && isFixture(target);
        const casesToCases = file.endsWith('failing-cases.testing.ts') && isFixture(target);
        if (!coreFixture && !casesToCases)
          out.push({
            rule: 'suite-to-suite',
            file,
            message: `imports ${target}: another suite is reached through ${to}/index.ts`,
          });
        continue;
      }
      if (!deepImportAllowed(file, target))
        out.push({
          rule: 'deep-import',
          file,
          message: `imports ${target}: from outside ${to}, import ${entriesOf(to).join(' or ')}`,
        });
    }
  }
  return out;
}

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

function read(file: string): Source {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // The compiler's own scanner: comments and strings that merely mention an import are not imports.
  const imports = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  return { file, imports, readsEnv: /process\.env\b/.test(text) };
}

// This test belongs to no unit and imports nothing of the project.
const sources = TOP.flatMap(sourceFiles)
  .filter((f) => f !== 'harness/architecture.test.ts')
  .map(read);

const violations = check(sources);
const of = (rule: Rule): string[] =>
  violations.filter((v) => v.rule === rule).map((v) => `${v.file} ${v.message}`);

test('every unit imports only the floors below it', () => {
  expect(of('floor')).toEqual([]);
});

test('no import reaches past another unit’s index (or its listed entry files)', () => {
  expect(of('deep-import')).toEqual([]);
});

test('a suite reaches another suite only through its index', () => {
  expect(of('suite-to-suite')).toEqual([]);
});

test('only harness/config reads environment variables', () => {
  expect(of('env')).toEqual([]);
});

test('the rules know every unit that exists, and every listed entry file exists', () => {
  expect(of('unknown-unit')).toEqual([]);
  const files = new Set(sources.map((s) => s.file));
  const missing = Object.entries(ENTRIES).flatMap(([unit, entries]) =>
    entries.map((e) => `${unit}/${e}`).filter((f) => !files.has(f)),
  );
  expect(missing).toEqual([]);
  // Each exception is still needed: its file exists and still makes the import it excuses.
  for (const e of DEEP_IMPORT_EXCEPTIONS) {
    const source = sources.find((s) => s.file === e.from);
    const targets = (source?.imports ?? []).map((spec) => normalize(join(dirname(e.from), spec)));
    expect(
      targets.some((t) => e.to.test(t)),
      `${e.from}: ${e.why}`,
    ).toBe(true);
  }
});

describe('each rule fails on a planted violation', () => {
  const planted = (file: string, imports: string[], readsEnv = false): Violation[] =>
    check([{ file, imports, readsEnv }]);

  test('floors: protocol importing records, a mock importing another mock, kernel importing anything', () => {
    expect(planted('harness/protocol/x.ts', ['../records/index.ts'])).toEqual([
      expect.objectContaining({ rule: 'floor', file: 'harness/protocol/x.ts' }),
    ]);
    expect(planted('mocks/okta/x.ts', ['../jamf-pro/index.ts'])).toEqual([
      expect.objectContaining({ rule: 'floor' }),
    ]);
    expect(planted('harness/kernel/x.ts', ['../protocol/index.ts'])).toEqual([
      expect.objectContaining({ rule: 'floor' }),
    ]);
    expect(planted('reports/x.ts', ['../suites/core/index.ts'])).toEqual([
      expect.objectContaining({ rule: 'floor' }),
    ]);
    // …and the same imports one floor the other way hold.
    expect(planted('harness/records/x.ts', ['../protocol/index.ts', '../kernel/index.ts'])).toEqual([]);
  });

  test('deep imports: past an index, past a unit’s listed entries, from a test outside its area', () => {
    expect(planted('harness/lab/x.ts', ['../protocol/set/jwks.ts'])).toEqual([
      expect.objectContaining({ rule: 'deep-import', file: 'harness/lab/x.ts' }),
    ]);
    expect(planted('harness/cli/x.ts', ['../config/target-schema.ts'])).toEqual([
      expect.objectContaining({ rule: 'deep-import' }),
    ]);
    expect(planted('harness/lab/x.test.ts', ['../../mocks/okta/okta.testing.ts'])).toEqual([
      expect.objectContaining({ rule: 'deep-import' }),
    ]);
    expect(planted('harness/lab/x.test.ts', ['../protocol/set/raw.ts'])).toEqual([
      expect.objectContaining({ rule: 'deep-import' }),
    ]);
    // …while the index, a listed entry file and a fixture in the same area are the ways in.
    expect(
      planted('harness/cli/x.test.ts', [
        '../protocol/index.ts',
        '../config/target.ts',
        '../protocol/validator/corpus.testing.ts',
      ]),
    ).toEqual([]);
  });

  test('suite to suite: another suite’s checks, or its fixtures outside failing cases', () => {
    expect(planted('suites/integration/plan.ts', ['../events/checks.ts'])).toEqual([
      expect.objectContaining({ rule: 'suite-to-suite', file: 'suites/integration/plan.ts' }),
    ]);
    expect(planted('suites/integration/plan.test.ts', ['../events/failing-cases.testing.ts'])).toEqual([
      expect.objectContaining({ rule: 'suite-to-suite' }),
    ]);
    expect(
      planted('suites/integration/failing-cases.testing.ts', [
        '../events/index.ts',
        '../core/index.ts',
        '../events/failing-cases.testing.ts',
      ]),
    ).toEqual([]);
  });

  test('environment: process.env read outside harness/config (tests may)', () => {
    expect(planted('harness/lab/x.ts', [], true)).toEqual([
      expect.objectContaining({ rule: 'env', file: 'harness/lab/x.ts' }),
    ]);
    expect(planted('harness/config/x.ts', [], true)).toEqual([]);
    expect(planted('harness/lab/x.test.ts', [], true)).toEqual([]);
  });

  test('a unit the rules do not know', () => {
    expect(planted('harness/attic/x.ts', [])).toEqual([expect.objectContaining({ rule: 'unknown-unit' })]);
  });
});
