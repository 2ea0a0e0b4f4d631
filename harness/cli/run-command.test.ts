/**
 * `ssf-lab demo` and `ssf-lab run`, in-process through `main` with captured output: the narrated timeline,
 * the certification reports on disk (the HTML needing no network), and the exit codes — 0 only when every
 * scenario passed, 1 when a check failed, 2 for a bad option, ledger or scenario file (and then nothing
 * runs).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ITP_CHAIN } from '../../suites/okta-receiver/index.ts';
import { cli } from './cli.testing.ts';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-run-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The seed's seven System Log steps. */
const CHAIN = ITP_CHAIN;

test('demo narrates the seed flow, writes the certification reports, and exits 0', async () => {
  const out = join(dir, 'demo');
  const { code, stdout, stderr } = await cli(['demo', '--out', out]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  // Each of the seven System Log steps, in order, with elapsed milliseconds.
  const logLines = stdout.split('\n').filter((l) => /^\+\s*\d+ ms {2}System Log /.test(l));
  // Twice: the Mac's threat (scenario 2), then the iPhone's (scenario 3, the seed's mobile flow). A user
  // with two Okta sessions has each ended: one step, told once per session.
  const steps = logLines.map((l) => /System Log (\S+)/.exec(l)?.[1]);
  expect(steps.filter((step, i) => step !== steps[i - 1])).toEqual([...CHAIN, ...CHAIN]);
  expect(stdout).toMatch(/okta → salesforce: Universal Logout — 204/);
  expect(stdout).toContain('3 of 3 scenario(s) passed.');
  expect(stdout).toContain('━━ Mobile device threat → Universal Logout');
  expect(readdirSync(out).sort()).toEqual(['certification.json', 'junit.xml', 'report.html', 'summary.md']);

  const record = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')) as {
    schema: string;
    passed: boolean;
    plans: { name: string; modules: { story?: { file?: string }; checks: { status: string }[] }[] }[];
  };
  expect(record.schema).toBe('urn:ssf-lab:certification:2');
  expect(record.passed).toBe(true);
  expect(record.plans.map((p) => p.name)).toEqual(['scenarios']);
  expect(record.plans[0]?.modules.map((m) => m.story?.file)).toEqual([
    join('scenarios', '01-seed-configuration.yaml'),
    join('scenarios', '02-macos-threat-logout.yaml'),
    join('scenarios', '03-mobile-threat-logout.yaml'),
  ]);
  expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('scenario-system-log-chain');
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  // Self-contained: nothing is fetched when it renders (no external script, style, image or font).
  expect(html).not.toMatch(/<(script|img|link|iframe)\b[^>]*\s(src|href)=["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/@import/i);
  expect(html).toContain('<svg');
  for (const type of CHAIN) expect(html).toContain(type);
  // No secret of the lab made it in: no SSWS token, no bearer token value.
  expect(html).not.toMatch(/SSWS (?!\[redacted\])\S/);
  expect(html).not.toMatch(/Bearer (?!\[redacted\])[A-Za-z0-9_-]{8}/);
});

test('run: a scenario whose expectation is wrong exits 1 and says what differed', async () => {
  const file = join(dir, 'wrong.yaml');
  writeFileSync(
    file,
    [
      'name: Medium risk logs the user out (it does not)',
      'steps:',
      '  - threat: { device: mac, category: Phishing }',
      '  - wait: { until: { risk: { user: mac, level: MEDIUM } }, within: 10s }',
      'expect:',
      '  - logout: { user: mac, salesforce: full }',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'wrong-out');
  const { code, stdout } = await cli(['run', file, '--out', out]);
  expect(code).toBe(1);
  expect(stdout).toMatch(/✗ .*salesforce/);
  expect(stdout).toContain('0 of 1 scenario(s) passed.');
  const record = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')) as {
    passed: boolean;
    plans: { modules: { checks: { id: string; status: string; requirement: string }[] }[] }[];
  };
  expect(record.passed).toBe(false);
  expect(record.plans[0]?.modules[0]?.checks).toEqual([
    expect.objectContaining({
      id: 'scenario-app-logouts',
      status: 'failed',
      requirement: 'OKTA-ITP-APP-LOGOUT',
    }),
  ]);
  // The ledger tolerates it like a plan's finding: the run then passes, and says so.
  const ledger = join(dir, 'ledger.json');
  writeFileSync(
    ledger,
    JSON.stringify([{ check: 'scenario-app-logouts', reason: 'medium risk only logs, on purpose' }]),
  );
  const tolerated = await cli(['run', file, '--ledger', ledger]);
  expect(tolerated.code).toBe(0);
  expect(tolerated.stdout).toContain('1 tolerated');
  // A misspelt check id is a bad ledger: exit 2 before anything runs, with the check it was meant to be.
  writeFileSync(ledger, JSON.stringify([{ check: 'scenario-app-logout', reason: 'typo' }]));
  const typo = await cli(['run', file, '--ledger', ledger]);
  expect(typo.code).toBe(2);
  expect(typo.stdout).toBe('');
  expect(typo.stderr).toContain(
    '"scenario-app-logout" is no check of ssf-lab; did you mean "scenario-app-logouts"?',
  );
});

test('run: an invalid scenario file exits 2 with file, line and what is wrong; nothing runs', async () => {
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'name: fine\nsteps:\n  - advance: 1s\nexpect:\n  - sets: { to: okta, count: 0 }\n');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'name: broken\nsteps:\n  - threat: { device: mac, category: Malware, severity: CATASTROPHIC }\nexpect:\n  - sets: { to: okta, count: 0 }\n',
  );
  const { code, stdout, stderr } = await cli(['run', good, bad]);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(
    new RegExp(`^ssf-lab: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` + ':3:\\d+: .*severity'),
  );
  expect(stderr).not.toMatch(/^\s+at /m);
});

test('run: a JavaScript module exporting a scenario runs like a YAML file', async () => {
  const file = join(dir, 'mac.mjs');
  writeFileSync(
    file,
    `export default {
      name: 'macOS threat from a module',
      steps: [{ threat: { device: 'mac', category: 'Malware' } }, { wait: { until: { logout: 'mac' }, within: '10s' } }],
      expect: [{ logout: { user: 'mac', salesforce: 'full', 'google-workspace': 'full', office365: 'partial' } }],
    };\n`,
  );
  const { code, stdout } = await cli(['run', file, '--transport', 'loopback']);
  expect(code).toBe(0);
  expect(stdout).toContain('1 of 1 scenario(s) passed.');
  expect(stdout).toContain('(loopback)');
});

test('bad options and missing files are usage errors, with one line each', async () => {
  expect(await cli(['run'])).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/run needs at least one scenario FILE/),
  });
  expect(await cli(['demo', '--transport', 'carrier-pigeon'])).toMatchObject({
    code: 2,
    stderr: 'ssf-lab: --transport must be in-process or loopback, not "carrier-pigeon"\n',
  });
  expect(await cli(['demo', 'extra'])).toMatchObject({ code: 2 });
  const missing = await cli(['run', join(dir, 'nope.yaml')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/nope\.yaml: cannot read it: ENOENT/);
  const help = await cli(['help', 'demo']);
  expect(help.stdout).toContain('ssf-lab demo [--out DIR]');
});

test("run: a scenario's control sequences are printed visibly, never obeyed by the terminal", async () => {
  const file = join(dir, 'escapes.yaml');
  // A title that would clear the screen, retitle the window and hide what follows.
  writeFileSync(
    file,
    'name: "evil\\e[2J\\e]0;pwned\\a\\e[8m hidden"\nsetup: { configure: false, devices: 1, activate: none }\nsteps:\n  - advance: 1s\nexpect:\n  - sets: { to: okta, count: 0 }\n',
  );
  const { code, stdout, stderr } = await cli(['run', file]);
  expect(code).toBe(0);
  expect(`${stdout}${stderr}`).not.toContain('\u001b');
  expect(`${stdout}${stderr}`).not.toContain('\u0007');
  expect(stdout).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07\\x1b[8m hidden');
});

test('run and demo: an --out that cannot be written is a usage error before anything runs', async () => {
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, 'a file, not a directory');
  const demo = await cli(['demo', '--out', file]);
  expect(demo.code).toBe(2);
  expect(demo.stdout).toBe('');
  expect(demo.stderr).toBe(`ssf-lab: cannot write the reports to "${file}": it is not a directory\n`);
  const run = await cli(['run', join(dir, 'escapes.yaml'), '--out', join(file, 'below')]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/cannot write the reports to .*below": it is not a directory/);
  expect(readFileSync(file, 'utf8')).toBe('a file, not a directory');
});
