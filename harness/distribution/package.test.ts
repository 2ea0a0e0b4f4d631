/**
 * ssf-lab as a user installs it: `npm pack`, the tarball installed into an empty project from the npm
 * cache, then — with Node 20, 22 and 24 (the last two from the npm registry's `node` packages) — the bin
 * (`--version`; `certify --lab --plan events` on 20 and 24; `demo` and `run` on a shipped scenario on
 * Node 20) and every
 * entry point imported. The tarball's contents, its links and imports, and every dependency's `engines` are checked
 * statically, and a small TypeScript consumer is type-checked against the published types under
 * `nodenext` and `bundler` resolution. Nothing here can see the repository's own node_modules or sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { satisfiesNode } from './node-range.testing.ts';
import {
  installedBin,
  nodeBinary,
  type PackedInstall,
  packedInstall,
  REPO,
  runIn,
} from './packed.testing.ts';

const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
};
/** The oldest Node.js the package says it runs on. */
const FLOOR = (/^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(PKG.engines.node)?.[1] ?? '').replace(
  /^(\d+\.\d+)$/,
  '$1.0',
);

let installed: PackedInstall;
let files: string[] = [];
let work = '';

beforeAll(async () => {
  // The Node binaries download while the package installs.
  void nodeBinary(22).catch(() => undefined);
  void nodeBinary(24).catch(() => undefined);
  installed = await packedInstall();
  files = execFileSync('tar', ['-tzf', installed.tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
  work = mkdtempSync(join(tmpdir(), 'ssf-lab-package-'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('ships the bin, every entry point, the docs and schemas the README links to, and no test helper', () => {
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/harness/cli/bin.js',
      'docs/certify.md',
      'reports/certification-record.schema.json',
      'scenarios/02-macos-threat-logout.yaml',
      'mocks/okta/README.md',
    ])
      expect(files, required).toContain(required);
    for (const [subpath, entry] of Object.entries(PKG.exports)) {
      const targets = typeof entry === 'string' ? [entry] : [entry.types, entry.default];
      for (const t of targets) expect(files, `exports["${subpath}"]`).toContain(t.replace(/^\.\//, ''));
    }
    const helpers = files.filter((f) =>
      /\.test\.|\.testing\.|^dist\/harness\/(bench|distribution)\/|^dist\/vitest\./.test(f),
    );
    expect(helpers).toEqual([]);
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0, January 2004/,
    );
  });

  test('every relative link in a shipped Markdown file leads to a shipped file', () => {
    const broken: string[] = [];
    for (const doc of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(installed.dir, 'node_modules', 'ssf-lab', doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = (m[1] ?? '').split('#')[0] ?? '';
        if (link === '' || /^[a-z]+:/i.test(link)) continue;
        const target = normalize(join(dirname(doc), link)).replace(/\/$/, '');
        if (!files.some((f) => f === target || f.startsWith(`${target}/`))) broken.push(`${doc} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('every relative import in the shipped code leads to a shipped file', () => {
    const missing: string[] = [];
    for (const js of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(installed.dir, 'node_modules', 'ssf-lab', js), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.[^"']+)["']/g)) {
        const target = normalize(join(dirname(js), m[1] ?? ''));
        if (!files.includes(target)) missing.push(`${js} → ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test(`installs with no engine warning, and every dependency runs on Node ${FLOOR}`, () => {
    expect(FLOOR).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.installLog).not.toMatch(/EBADENGINE/);
    // No install-time script of ours: npm lists (and asks users to approve) any a dependency declares.
    expect(installed.installLog).not.toMatch(/ssf-lab@\S+ \(/);
    // ssf-lab's whole dependency tree, as npm placed it in the user's project.
    const seen = new Map<string, string | undefined>();
    const visit = (name: string, from: string): void => {
      let dir = from;
      for (;;) {
        const candidate = join(dir, 'node_modules', name);
        if (existsSync(join(candidate, 'package.json'))) {
          if (seen.has(candidate)) return;
          const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as {
            engines?: { node?: string };
            dependencies?: Record<string, string>;
          };
          seen.set(candidate, pkg.engines?.node);
          for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, candidate);
          return;
        }
        if (dir === installed.dir) return;
        dir = dirname(dir);
      }
    };
    for (const dep of Object.keys(PKG.dependencies))
      visit(dep, join(installed.dir, 'node_modules', 'ssf-lab'));
    expect(seen.size).toBeGreaterThan(Object.keys(PKG.dependencies).length);
    const refused = [...seen]
      .filter(([, range]) => range !== undefined && satisfiesNode(range, FLOOR) !== true)
      .map(([path, range]) => `${path.slice(installed.dir.length + 1)}: engines.node ${range}`);
    expect(refused).toEqual([]);
  });
});

/**
 * The type check runs once, with Node 20: tsc is JavaScript whose verdict does not depend on the Node.js
 * running it. Under `nodenext` the libraries' declarations are checked too (not TypeScript's own lib
 * files, which cost most of the time and are not ours); under `bundler`, the consumer's use of them.
 */
test('a TypeScript consumer type-checks against the published types (nodenext and bundler)', async () => {
  const dir = installed.dir;
  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { configureSeed, type LabManifest, labManifest, startLab, validateSet } from 'ssf-lab';
import { type CertificationRecord, certify, PLANS, writeReports } from 'ssf-lab/certify';
import { labHandlers } from 'ssf-lab/msw';
import { lintSet } from 'ssf-lab/protocol';
import { describeConformance } from 'ssf-lab/vitest';

const lab = await startLab({ devices: 2 });
await configureSeed(lab);
const manifest: LabManifest = labManifest(lab);
const record: CertificationRecord = await certify({ lab: true, plans: ['events'] });
const written: string = (await writeReports(record, 'out')).junit;
const names: string[] = PLANS.map((p) => p.name);
const found = await validateSet('x.y.z', { profile: 'okta' });
void [manifest.okta.apiToken, written, names, labHandlers.length, lintSet, found.findings, describeConformance];
await lab.close();
// The types are real, not \`any\`: were they missing, this would be no error and tsc would refuse the directive.
// @ts-expect-error devices is a number
await startLab({ devices: '2' });
`,
  );
  const base = { strict: true, noEmit: true, target: 'es2022', types: ['node'] };
  const configs = {
    nodenext: {
      ...base,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    },
    bundler: { ...base, module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true },
  };
  for (const [name, compilerOptions] of Object.entries(configs))
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
    );
  // Both in one tsc (build mode): one process, one read of the declarations.
  writeFileSync(
    join(dir, 'tsconfig.consumers.json'),
    JSON.stringify({
      files: [],
      references: Object.keys(configs).map((n) => ({ path: `./tsconfig.${n}.json` })),
    }),
  );
  const tsc = await runIn(dir, process.execPath, [
    join(dir, 'node_modules', 'typescript', 'bin', 'tsc'),
    '--build',
    '--force',
    'tsconfig.consumers.json',
  ]);
  expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
  expect(tsc.code).toBe(0);
}, 120_000);

describe.each([20, 22, 24])('with Node %i', (major) => {
  let node = '';
  let bin = '';
  beforeAll(async () => {
    node = await nodeBinary(major);
    bin = installedBin(installed.dir);
  }, 300_000);

  test('ssf-lab --version and certify (not on 22; demo and run on Node 20) work from the installed package', async () => {
    const version = await runIn(installed.dir, node, [bin, '--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${PKG.version}\n` });
    const probe = await runIn(installed.dir, node, ['-p', 'process.versions.node']);
    expect(probe.stdout.split('.')[0]).toBe(String(major));

    // `demo` and `run` with a shipped scenario file: on the oldest Node only — `certify --lab` below starts
    // the same lab and runs the same engine on every version, and the time of npm test is counted.
    if (major === 20) {
      const demoOut = join(work, `demo-${major}`);
      const demo = await runIn(installed.dir, node, [bin, 'demo', '--out', demoOut]);
      expect(demo.stderr + demo.stdout, 'demo').toMatch(/logged out of the apps/);
      expect(demo.code, demo.stderr).toBe(0);
      expect(existsSync(join(demoOut, 'report.html'))).toBe(true);

      const scenario = join(installed.dir, 'node_modules', 'ssf-lab', 'scenarios', '05-receiver-outage.yaml');
      const ran = await runIn(installed.dir, node, [
        bin,
        'run',
        scenario,
        '--out',
        join(work, `run-${major}`),
      ]);
      expect(ran.code, ran.stderr).toBe(0);
    }

    // `certify --lab` on the oldest and the newest Node: the one between runs the bin and imports every
    // entry point (below), and the time of npm test is counted.
    if (major === 22) return;
    const certifyOut = join(work, `certify-${major}`);
    const certified = await runIn(installed.dir, node, [
      bin,
      'certify',
      '--lab',
      '--plan',
      'events',
      '--out',
      certifyOut,
    ]);
    expect(certified.stdout).toMatch(/✓ passed — \d+ checks: \d+ passed, 0 failed/);
    expect(certified.code, certified.stderr).toBe(0);
    expect(readFileSync(join(certifyOut, 'junit.xml'), 'utf8')).toContain('<testsuites');
  }, 120_000);

  test('every entry point imports (ssf-lab/testcontainers needs its optional peer, so it names it)', async () => {
    const script = `
      const out = {};
      for (const spec of ['ssf-lab', 'ssf-lab/protocol', 'ssf-lab/certify', 'ssf-lab/msw', 'ssf-lab/vitest'])
        out[spec] = Object.keys(await import(spec)).length;
      try { await import('ssf-lab/testcontainers'); out.testcontainers = 'loaded'; }
      catch (error) { out.testcontainers = String(error.message).includes("'testcontainers'") ? 'names its peer' : error.message; }
      console.log(JSON.stringify(out));`;
    const imported = await runIn(installed.dir, node, ['--input-type=module', '-e', script]);
    expect(imported.code, imported.stderr).toBe(0);
    const counts = JSON.parse(imported.stdout) as Record<string, number | string>;
    for (const spec of ['ssf-lab', 'ssf-lab/protocol', 'ssf-lab/certify', 'ssf-lab/msw', 'ssf-lab/vitest'])
      expect(counts[spec], spec).toBeGreaterThan(0);
    expect(counts.testcontainers).toBe('names its peer');
  }, 60_000);
});
