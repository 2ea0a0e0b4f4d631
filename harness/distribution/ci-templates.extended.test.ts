/**
 * The CI templates for vendors — docs/ci/github-actions.yml, docs/ci/gitlab-ci.yml and the composite
 * action.yml — run step by step the way their CI service runs them (ci-runner.testing.ts), against ssf-lab
 * as a vendor gets it: the packed tarball installed into an empty project. Only what exists on the CI
 * service alone is stood in for (checkout, setup-node, cache, upload-artifact, the JUnit publisher, the
 * GitLab image), and the templates' one registry install, `npm install … ssf-lab@<pinned version>`, becomes
 * the packed install (the tarball is not on the registry; installing it again per template would cost
 * ~15 s each).
 *
 * What they certify: `ssf-lab serve` started from the packed install, its Jamf Security Cloud transmitter
 * graded by the ssf-transmitter plan over poll, as a vendor's staging transmitter would be — the target
 * file names its stream token `{ "env": "ACME_SSF_TOKEN" }` and the token comes from the CI's secret
 * store (GitHub `secrets`, GitLab CI/CD variables).
 */
import { type ChildProcess, spawn } from 'node:child_process';
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
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, type ExpectStatic, test } from 'vitest';
import { parse } from 'yaml';
import type { LabManifest } from '../lab/index.ts';
import {
  type GithubJobResult,
  type Machine,
  machine,
  npmCalls,
  runGithubJob,
  runGitlabJob,
  type StepRecord,
  writeNpmStub,
} from './ci-runner.testing.ts';
import { installedBin, packedInstall, REPO } from './packed.testing.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const WORKFLOW = join(REPO, 'docs', 'ci', 'github-actions.yml');
const GITLAB = join(REPO, 'docs', 'ci', 'gitlab-ci.yml');
const ACTION = join(REPO, 'action.yml');
const GUIDE = join(REPO, 'docs', 'ci', 'README.md');
const REPORTS = ['junit.xml', 'certification.json', 'summary.md', 'report.html'];
/** The `uses:` actions that exist only on GitHub: recorded, not run. */
const GITHUB_ONLY = [
  'actions/checkout',
  'actions/setup-node',
  'actions/cache',
  'actions/upload-artifact',
  'mikepenz/action-junit-report',
];
/** The secret the target file names; its value is the served lab's stream token. */
const SECRET = 'ACME_SSF_TOKEN';

function yamlFile(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

let root: string | undefined;
let packedModules = '';
let lab: ChildProcess | undefined;
let labExited: Promise<unknown> | undefined;
let manifest: LabManifest | undefined;
let token = '';

/** `ssf-lab serve` from the packed install; resolves with its one-line manifest. */
async function serve(dir: string): Promise<LabManifest> {
  const child = spawn(process.execPath, [installedBin(dir), 'serve', '--devices', '2'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  lab = child;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  labExited = new Promise((resolve) => child.once('exit', resolve));
  const first = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    labExited.then((code) =>
      Promise.reject(new Error(`serve exited ${code} before its manifest: ${stderr}`)),
    ),
  ]);
  return JSON.parse(first) as LabManifest;
}

beforeAll(async () => {
  // The first packed install of a build takes a while (npm pack, npm install); later ones are shared.
  const install = await packedInstall();
  packedModules = join(install.dir, 'node_modules');
  root = mkdtempSync(join(tmpdir(), 'ssf-lab-ci-templates-'));
  manifest = await serve(install.dir);
  token = manifest.jamfSecurityCloud.streamToken;
}, 300_000);

afterAll(async () => {
  if (lab && lab.exitCode === null) {
    lab.kill('SIGTERM');
    const late = await Promise.race([labExited, new Promise((r) => setTimeout(() => r('late'), 5000))]);
    if (late === 'late') lab.kill('SIGKILL');
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The target file: the served lab's transmitter, its token from the environment only. */
function targetFile(extra: Record<string, unknown> = {}): string {
  if (!manifest) throw new Error('the lab is not running');
  const target = {
    name: 'Acme staging transmitter (ssf-lab serve)',
    // The lab serves https with a CA of its own (named in its manifest): the file trusts that CA, as a
    // vendor's would trust its staging CA — TLS is verified, no allowHttp.
    ...(manifest.tls?.caFile === undefined ? {} : { tls: { caFile: manifest.tls.caFile } }),
    plans: {
      'ssf-transmitter': {
        issuer: manifest.jamfSecurityCloud.issuer,
        token: { env: SECRET },
        // Poll only, and a short quiet window, keep the run to about a second; a shorter window can
        // only miss an unwanted event, never invent one, so it cannot make a passing run fail.
        delivery: 'poll',
        quietWindowMs: 100,
      },
      // Named but not run: the templates' plans input selects ssf-transmitter only.
      events: {},
    },
    ...extra,
  };
  return `${JSON.stringify(target, null, 2)}\n`;
}

/** A ledger entry that matches nothing (the check passes), which fails the run by design. */
const UNUSED_LEDGER = `${JSON.stringify(
  [
    {
      check: 'transmitter-metadata-issuer-is-identical',
      plan: 'ssf-transmitter',
      reason: 'CI template test: an entry for a bug that is fixed; it must fail the run',
    },
  ],
  null,
  2,
)}\n`;

/** A target file ssf-lab refuses before running anything (exit 2): a misspelt plan. */
const BROKEN_TARGET = `${JSON.stringify({ name: 'broken', plans: { 'ssf-transmiter': {} } }, null, 2)}\n`;

/** A fresh runner with the checked-out files in its workspace and the npm stand-in on PATH. */
function runner(name: string, files: Record<string, string>): { m: Machine; npmLog: string } {
  if (!root) throw new Error('no temp root');
  const dir = join(root, name);
  const stubs = join(dir, 'stubs');
  const npmLog = writeNpmStub(stubs, VERSION, packedModules);
  const m = machine(dir, [stubs]);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(m.workspace, file)), { recursive: true });
    writeFileSync(join(m.workspace, file), content);
  }
  return { m, npmLog };
}

function flat(steps: readonly StepRecord[]): StepRecord[] {
  return steps.flatMap((s) => [s, ...flat(s.inner ?? [])]);
}

/** Everything a job printed, for failure messages and the secret check. */
function log(result: GithubJobResult): string {
  return flat(result.steps)
    .map((s) => `--- ${s.name} (${s.outcome}${s.code === undefined ? '' : `, exit ${s.code}`})\n${s.output}`)
    .join('\n');
}

/** Every file under `dir` (the reports, and for the action runs every report directory). */
function readReports(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'));
}

function expectNoSecret(expect: ExpectStatic, texts: readonly string[]): void {
  expect(token.length).toBeGreaterThan(16);
  for (const [i, text] of texts.entries())
    expect(text.includes(token), `text ${i} holds the secret`).toBe(false);
}

function expectReports(expect: ExpectStatic, dir: string): { passed: boolean; plans: string[] } {
  for (const file of REPORTS) expect(existsSync(join(dir, file)), `${dir}/${file}`).toBe(true);
  expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<testsuite');
  const record = JSON.parse(readFileSync(join(dir, 'certification.json'), 'utf8')) as {
    passed: boolean;
    plans: { name: string }[];
  };
  return { passed: record.passed, plans: record.plans.map((p) => p.name) };
}

/** The one npm call a template makes: the pinned install, with no install scripts. */
function expectPinnedInstall(expect: ExpectStatic, npmLog: string): readonly string[] {
  const calls = npmCalls(npmLog);
  expect(calls.map((c) => c.args.filter((a) => a.startsWith('ssf-lab')))).toEqual([[`ssf-lab@${VERSION}`]]);
  expect(calls[0]?.args).toContain('--ignore-scripts');
  return calls[0]?.envNames ?? [];
}

describe('the CI templates, run against a packed install of ssf-lab', () => {
  test.concurrent('GitHub Actions: installs the pinned version, certifies, writes the job summary, publishes JUnit, uploads the reports', {
    timeout: 90_000,
  }, async ({ expect }) => {
    const { m, npmLog } = runner('github', { 'ssf-lab.target.json': targetFile() });
    const workflow = yamlFile(WORKFLOW);
    const result = await runGithubJob(workflow, 'certify', {
      machine: m,
      secrets: { [SECRET]: token },
      inputs: { plans: 'ssf-transmitter' },
      stubs: GITHUB_ONLY,
    });
    expect(result.failed, log(result)).toBe(false);

    // Every step ran, in the file's order; the run steps succeeded.
    const declared = (workflow.jobs as { certify: { steps: { name: string }[] } }).certify.steps;
    expect(result.steps.map((s) => s.name)).toEqual(declared.map((s) => s.name));
    expect(result.steps.map((s) => s.outcome)).toEqual(declared.map(() => 'success'));
    const stub = (uses: string): StepRecord | undefined =>
      result.steps.find((s) => s.uses?.startsWith(`${uses}@`));
    expect(stub('actions/setup-node')?.with?.['node-version']).toBe('22');

    // Secrets stay out of the install step (npm runs there); certify read the token from the env.
    expect(expectPinnedInstall(expect, npmLog)).not.toContain(SECRET);
    const out = join(m.workspace, 'reports', 'ssf-lab');
    expect(expectReports(expect, out)).toEqual({ passed: true, plans: ['ssf-transmitter'] });

    // What GitHub would publish is where the templates point it.
    expect(result.summary).toBe(readFileSync(join(out, 'summary.md'), 'utf8'));
    const upload = stub('actions/upload-artifact');
    expect(join(m.workspace, upload?.with?.path ?? '-')).toBe(`${out}/`);
    expect(upload?.if).toBe('always()');
    const junit = stub('mikepenz/action-junit-report');
    expect(join(m.workspace, junit?.with?.report_paths ?? '-')).toBe(join(out, 'junit.xml'));
    expect(junit?.if).toBe('always()');

    expectNoSecret(expect, [log(result), result.summary, ...readReports(out)]);
  });

  test.concurrent('GitHub Actions: a bad target file fails the job with exit 2, and the summary, JUnit and upload steps still run', {
    timeout: 90_000,
  }, async ({ expect }) => {
    // Exit 1 (a failed check, an unused ledger entry) is the action's failing run below; exit 2 is
    // the cheap way to see the always() steps run after a failed Certify step.
    const { m } = runner('github-bad-target', { 'ssf-lab.target.json': BROKEN_TARGET });
    const result = await runGithubJob(yamlFile(WORKFLOW), 'certify', {
      machine: m,
      secrets: { [SECRET]: token },
      inputs: { plans: '' },
      stubs: GITHUB_ONLY,
    });
    expect(result.failed).toBe(true);
    const outcomes = Object.fromEntries(result.steps.map((s) => [s.name, s.outcome]));
    expect(outcomes).toMatchObject({
      'Install ssf-lab': 'success',
      Certify: 'failure',
      'Job summary': 'success',
      'Publish JUnit results': 'success',
      'Upload the reports': 'success',
    });
    const certify = result.steps.find((s) => s.name === 'Certify');
    expect(certify?.code, log(result)).toBe(2);
    expect(certify?.output).toContain('plans.ssf-transmiter');
    expect(certify?.output).toContain('::error title=ssf-lab::nothing was certified');
    expect(result.summary).toContain('## ssf-lab certification: no report');
    expect(existsSync(join(m.workspace, 'reports', 'ssf-lab', 'certification.json'))).toBe(false);
    expectNoSecret(expect, [log(result), result.summary]);
  });

  test.concurrent('GitLab CI: the job installs the pinned version, certifies, and leaves the JUnit report and artifacts', {
    timeout: 90_000,
  }, async ({ expect }) => {
    const { m, npmLog } = runner('gitlab', { 'ssf-lab.target.json': targetFile() });
    const result = await runGitlabJob(GITLAB, 'ssf-lab-certify', {
      machine: m,
      // CI/CD variables: the secret, and SSF_LAB_PLANS as set in "Run pipeline".
      variables: { [SECRET]: token, SSF_LAB_PLANS: 'ssf-transmitter' },
      pipelineSource: 'web',
    });
    expect(result.code, result.output).toBe(0);
    expect(result.image).toMatch(/^node:22\b/);
    // Each command was echoed before it ran, in order: install, PATH, version, certify.
    const echoed = result.output.split('\n').filter((l) => l.startsWith('$ '));
    expect(echoed.map((l) => l.split(' ')[1])).toEqual(['npm', 'export', 'ssf-lab', '#']);
    expectPinnedInstall(expect, npmLog);

    const out = join(m.workspace, 'reports', 'ssf-lab');
    expect(expectReports(expect, out)).toEqual({ passed: true, plans: ['ssf-transmitter'] });
    expect(result.artifacts.when).toBe('always');
    expect(result.artifacts.paths.map((p) => join(m.workspace, p))).toEqual([`${out}/`]);
    expect(result.artifacts.junit.map((p) => join(m.workspace, p))).toEqual([join(out, 'junit.xml')]);
    expect(result.afterScriptOutput).toContain('## ssf-lab certification');
    expectNoSecret(expect, [result.output, result.afterScriptOutput, ...readReports(out)]);
  });

  test.concurrent('the composite action: verdict passed, failed (and the step fails), error for a bad target file (exit 2) or an unpinned version', {
    timeout: 90_000,
  }, async ({ expect }) => {
    /** A caller's job: the secret in the step's env, the action's inputs in `with`, then an upload. */
    const use = async (name: string, files: Record<string, string>, inputs: Record<string, string>) => {
      const { m, npmLog } = runner(name, files);
      const result = await runGithubJob(
        {
          jobs: {
            certify: {
              'runs-on': 'ubuntu-latest',
              steps: [
                { uses: 'actions/checkout@v4' },
                {
                  name: 'ssf-lab',
                  id: 'ssf',
                  uses: './',
                  env: { [SECRET]: `\${{ secrets.${SECRET} }}` },
                  with: inputs,
                },
                {
                  name: 'Upload',
                  if: 'always()',
                  uses: 'actions/upload-artifact@v4',
                  with: { name: 'ssf-lab-reports', path: inputs.out ?? 'reports/ssf-lab' },
                },
              ],
            },
          },
        },
        'certify',
        { machine: m, secrets: { [SECRET]: token }, localActions: { './': REPO }, stubs: GITHUB_ONLY },
      );
      const step = result.steps.find((s) => s.name === 'ssf-lab');
      return { m, npmLog, result, step, outputs: result.outputs.ssf ?? {} };
    };
    const [passed, failed, error, unpinned] = await Promise.all([
      use('action-passed', { 'ssf-lab.target.json': targetFile() }, { plans: 'ssf-transmitter' }),
      use(
        'action-failed',
        { 'ssf-lab.target.json': targetFile(), 'ledgers/unused.json': UNUSED_LEDGER },
        { plans: ' ssf-transmitter,\n', ledger: 'ledgers/unused.json', out: 'reports/failing' },
      ),
      use(
        'action-error',
        {
          'broken.target.json': BROKEN_TARGET,
          // An earlier run's passing record in the same directory must not become this run's verdict.
          'reports/error/certification.json': '{ "passed": true }\n',
        },
        // Shell in an input stays text: each word becomes a --plan=… that ssf-lab refuses (exit 2).
        {
          target: 'broken.target.json',
          out: 'reports/error',
          plans: 'events $(touch injected) `touch injected`;touch injected',
        },
      ),
      // Not an exact version: refused before anything is installed; the verdict still says so.
      use('action-unpinned', { 'ssf-lab.target.json': targetFile() }, { version: 'latest' }),
    ]);

    expect(passed.outputs, log(passed.result)).toEqual({ verdict: 'passed', 'exit-code': '0' });
    expect(passed.step?.outcome).toBe('success');
    expect(passed.step?.inner?.map((s) => `${s.name}: ${s.outcome}`)).toEqual([
      'Install ssf-lab: success',
      'Certify: success',
    ]);
    expect(passed.result.failed).toBe(false);
    // The action installs its own version by default, into the runner's temp directory.
    expectPinnedInstall(expect, passed.npmLog);
    expect(existsSync(join(passed.m.temp, 'ssf-lab-action', VERSION, 'node_modules'))).toBe(true);
    const passedOut = join(passed.m.workspace, 'reports', 'ssf-lab');
    expect(expectReports(expect, passedOut)).toEqual({ passed: true, plans: ['ssf-transmitter'] });
    expect(passed.result.summary).toBe(readFileSync(join(passedOut, 'summary.md'), 'utf8'));

    expect(failed.outputs, log(failed.result)).toEqual({ verdict: 'failed', 'exit-code': '1' });
    expect(failed.step?.outcome).toBe('failure');
    expect(failed.step?.inner?.find((s) => s.name === 'Certify')?.code).toBe(1);
    expect(failed.result.failed).toBe(true);
    expect(failed.result.steps.find((s) => s.name === 'Upload')?.outcome).toBe('success');
    const failedOut = join(failed.m.workspace, 'reports', 'failing');
    expect(expectReports(expect, failedOut)).toEqual({ passed: false, plans: ['ssf-transmitter'] });

    expect(error.outputs, log(error.result)).toEqual({ verdict: 'error', 'exit-code': '2' });
    expect(error.step?.outcome).toBe('failure');
    expect(error.step?.output).toContain('ssf-lab: --plan $(touch: no such plan');
    expect(readdirSync(error.m.workspace).filter((f) => f.includes('injected'))).toEqual([]);
    expect(existsSync(join(error.m.workspace, 'reports', 'error', 'certification.json'))).toBe(false);

    expect(unpinned.outputs).toEqual({ verdict: 'error', 'exit-code': '' });
    expect(unpinned.step?.inner?.map((s) => `${s.name}: ${s.outcome}`)).toEqual([
      'Install ssf-lab: failure',
      'Certify: skipped',
    ]);
    expect(unpinned.step?.output).toContain('must be an exact version such as 0.1.0, not latest');
    expect(npmCalls(unpinned.npmLog)).toEqual([]);

    for (const run of [passed, failed, error, unpinned])
      expectNoSecret(expect, [
        log(run.result),
        run.result.summary,
        ...readReports(join(run.m.workspace, 'reports')),
      ]);
  });
});

describe('the CI templates, read', () => {
  test('pin this version of ssf-lab, everywhere', ({ expect }) => {
    const workflow = yamlFile(WORKFLOW) as { env: Record<string, unknown> };
    const gitlab = yamlFile(GITLAB) as { 'ssf-lab-certify': { variables: Record<string, unknown> } };
    const action = yamlFile(ACTION) as { inputs: Record<string, { default?: unknown }> };
    expect(workflow.env.SSF_LAB_VERSION).toBe(VERSION);
    expect(gitlab['ssf-lab-certify'].variables.SSF_LAB_VERSION).toBe(VERSION);
    expect(action.inputs.version?.default).toBe(VERSION);
  });

  test('splice no expression into a shell script: inputs and secrets reach it through env', ({ expect }) => {
    const workflow = yamlFile(WORKFLOW) as { jobs: { certify: { steps: { run?: string }[] } } };
    const action = yamlFile(ACTION) as { runs: { steps: { run?: string; shell?: string }[] } };
    const scripts = [...workflow.jobs.certify.steps, ...action.runs.steps].filter((s) => s.run !== undefined);
    expect(scripts.length).toBeGreaterThan(3);
    for (const step of scripts) expect(step.run).not.toContain('${{');
    expect(action.runs.steps.map((s) => s.shell)).toEqual(action.runs.steps.map(() => 'bash'));
  });

  test("the guide's action example uses inputs the action has, at this version", ({ expect }) => {
    const action = yamlFile(ACTION) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['target', 'plans', 'ledger', 'out', 'version']),
    );
    expect(Object.keys(action.outputs)).toContain('verdict');
    const blocks = [...readFileSync(GUIDE, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (b) => b[1] ?? '',
    );
    const uses = blocks
      .flatMap((block) => {
        const parsed = parse(block) as unknown;
        return Array.isArray(parsed) ? parsed : [];
      })
      .filter((step): step is { uses: string; with?: Record<string, unknown> } =>
        String((step as { uses?: unknown }).uses ?? '').startsWith('ssf-lab/ssf-lab@'),
      );
    expect(uses.length).toBeGreaterThan(0);
    for (const step of uses) {
      expect(step.uses).toBe(`ssf-lab/ssf-lab@v${VERSION}`);
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    }
  });
});
