/**
 * ssf-lab as its users get it: the package packed with `npm pack` and installed into an empty project,
 * from the local npm cache — the only way to see a missing dependency, a file left out of `files` or a
 * broken `exports` entry, which tests inside this repository cannot see (they run where every dev
 * dependency is installed and every source file exists).
 *
 * Test files in different vitest workers share one install: it is keyed by the tarball's hash and built
 * under a lock directory, so a second worker waits for the first instead of installing again. Node 22 and
 * 24 come from the npm registry's `node` packages (`npx -p node@22`), never from anywhere else.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's root (where package.json is). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Packages the consumer project installs next to ssf-lab, at the versions this repository uses. */
const CONSUMER_PACKAGES = ['vitest', 'typescript', 'msw', '@types/node'] as const;

export interface PackedInstall {
  /** The consumer project: package.json, node_modules/ssf-lab, node_modules/.bin/ssf-lab. */
  readonly dir: string;
  /** The tarball `npm pack` made. */
  readonly tarball: string;
  /** `npm install`'s output (warnings such as EBADENGINE show here). */
  readonly installLog: string;
}

function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Packs the repository as it is built now (dist/ must exist: `npm run build`) into `destination`. */
export async function pack(
  destination: string = mkdtempSync(join(tmpdir(), 'ssf-lab-pack-')),
): Promise<string> {
  if (!existsSync(join(REPO, 'dist', 'harness', 'cli', 'bin.js')))
    throw new Error('dist/ is not built: run `npm run build` (npm test builds it first)');
  // --ignore-scripts: `prepare` would run tsc again; npm test has just built dist/.
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', destination],
    { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
  );
  const [info] = JSON.parse(stdout) as [{ filename: string }];
  return join(destination, info.filename);
}

/** Removes consumer projects of earlier builds (a day old or more), so temp space does not pile up. */
function sweep(keep: string): void {
  const cutoff = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('ssf-lab-consumer-') && !name.startsWith('ssf-lab-pack-')) continue;
    const path = join(tmpdir(), name);
    if (path === keep || path === `${keep}.lock`) continue;
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

async function install(tarball: string, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'ssf-lab-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const extras = CONSUMER_PACKAGES.map((name) => `${name}@${installedVersion(name)}`);
  const { stdout, stderr } = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'warn', tarball, ...extras],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
  );
  return `${stdout}${stderr}`;
}

/** What the package is made of, as a key: every file under what `files` ships from, by path, size and time. */
function fingerprint(): string {
  const hash = createHash('sha256');
  const walk = (path: string): void => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules') walk(join(path, name));
    } else hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const root of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'action.yml', 'dist', 'docs'])
    walk(join(REPO, root));
  for (const root of ['mocks', 'reports', 'scenarios', 'suites']) walk(join(REPO, root));
  return hash.digest('hex').slice(0, 16);
}

let mine: Promise<PackedInstall> | undefined;

/**
 * The packed package installed into a fresh project (with vitest, typescript, msw and @types/node beside
 * it, as a user's project would have). One per build of the package, shared by every test file and
 * worker: the first to take the lock packs and installs, the others wait for it.
 */
export function packedInstall(): Promise<PackedInstall> {
  mine ??= (async () => {
    const dir = join(tmpdir(), `ssf-lab-consumer-${fingerprint()}`);
    const ready = join(dir, '.installed');
    const lock = `${dir}.lock`;
    const shipped = (): PackedInstall => ({
      dir,
      tarball: readFileSync(join(dir, '.tarball'), 'utf8'),
      installLog: readFileSync(join(dir, '.install-log'), 'utf8'),
    });
    sweep(dir);
    for (const started = Date.now(); ; ) {
      if (existsSync(ready)) return shipped();
      try {
        mkdirSync(lock);
      } catch {
        // Another worker is installing; wait for it (a lock older than 5 minutes is a crashed run's).
        if (Date.now() - started > 300_000) throw new Error(`timed out waiting for ${lock}`);
        try {
          if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
        } catch {
          // Gone meanwhile.
        }
        await sleep(250);
        continue;
      }
      try {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const tarball = await pack(dir);
        const installLog = await install(tarball, dir);
        writeFileSync(join(dir, '.tarball'), tarball);
        writeFileSync(join(dir, '.install-log'), installLog);
        writeFileSync(ready, '');
        return shipped();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
  })();
  return mine;
}

const nodeBinaries = new Map<number, Promise<string>>();

/**
 * The path of a Node.js binary of this major version: this process's own when it is that version, else
 * the npm registry's `node` package (`npx -p node@MAJOR`, cached by npm after the first download).
 */
export function nodeBinary(major: number): Promise<string> {
  let found = nodeBinaries.get(major);
  if (found === undefined) {
    found =
      Number(process.versions.node.split('.')[0]) === major
        ? Promise.resolve(process.execPath)
        : run('npx', ['-y', '-p', `node@${major}`, '--', 'node', '-p', 'process.execPath'], {
            timeout: 240_000,
          }).then(({ stdout }) => stdout.trim());
    nodeBinaries.set(major, found);
  }
  return found;
}

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; a non-zero exit is returned, not thrown. */
export async function runIn(
  cwd: string,
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      cwd,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** The installed `ssf-lab` bin of a consumer project, as `node <bin>` runs it. */
export function installedBin(dir: string): string {
  return join(dir, 'node_modules', 'ssf-lab', 'dist', 'harness', 'cli', 'bin.js');
}

/**
 * The code examples of a Markdown text that say where they go — fenced blocks whose first line is
 * `// file: NAME` — by name, as a reader would save them.
 */
export function fileExamples(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markdown.matchAll(/```[a-z]*\n\/\/ file: (\S+)\n([\s\S]*?)```/g))
    out.set(m[1] ?? '', `// file: ${m[1]}\n${m[2]}`);
  return out;
}

/** One test as vitest's JSON reporter writes it. */
export interface VitestResult {
  readonly title: string;
  readonly ancestorTitles: readonly string[];
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending';
  readonly failureMessages: readonly string[];
  readonly meta: { readonly ssfLab?: { check: string; level: string; status: string; requirement: string } };
}

/**
 * Runs a vitest of its own (the `vitest.mjs` of `vitestEntry`'s package) with `args` in `cwd`, with the
 * default reporter for the output and the JSON one for the results: its verdicts are not this run's.
 */
export async function runVitest(
  cwd: string,
  vitestEntry: string,
  args: readonly string[],
): Promise<Ran & { readonly results: VitestResult[] }> {
  const out = join(mkdtempSync(join(tmpdir(), 'ssf-lab-vitest-')), 'report.json');
  try {
    const ran = await runIn(cwd, process.execPath, [
      vitestEntry,
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      testResults: { assertionResults: VitestResult[] }[];
    };
    return { ...ran, results: report.testResults.flatMap((r) => r.assertionResults) };
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}
