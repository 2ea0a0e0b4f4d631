/**
 * One scenario, two targets, one kind of record: `ssf-lab run scenarios/02-macos-threat-logout.yaml` in a
 * lab of its own, and the same file with `--target` naming the manifest of a running `ssf-lab serve` —
 * which the runner reaches only as any client would (the manifest, the vendors' APIs, the lab's `/_lab/`
 * controls, real time). Both pass, and both write the certification reports with the same module and the
 * same checks, judged the same. Then the same lab as real endpoints, named only by a certification target
 * file: the scenario runs through Okta's API and the file's trigger, and what only a lab shows is skipped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseCertificationRecord } from '../../reports/index.ts';
import { blackBoxTarget } from '../certify/black-box-target.ts';
import type { LabManifest } from '../lab/index.ts';
import type { CertificationRecord } from '../records/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { cli, type Serving, serveInProcess } from './cli.testing.ts';

const SCENARIO = fileURLToPath(new URL('../../scenarios/02-macos-threat-logout.yaml', import.meta.url));

let dir = '';
let serving: Serving | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-run-serve-'));
});

afterAll(async () => {
  if (serving) {
    serving.stop();
    await serving.done;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function recordIn(out: string): CertificationRecord {
  expect(readdirSync(out).sort()).toEqual(['certification.json', 'junit.xml', 'report.html', 'summary.md']);
  // Read as any consumer reads it: validated against the record's published JSON Schema.
  return parseCertificationRecord(readFileSync(join(out, 'certification.json'), 'utf8'));
}

/** A client of the served lab: it is on https (serve's default), so this trusts the CA its manifest names. */
const trusting = (manifest: LabManifest): typeof fetch => createHttpFetch({ ca: manifest.tls?.caCert ?? '' });

/** What must be the same wherever the scenario ran: the module and each check's verdict. */
function verdicts(record: CertificationRecord): unknown {
  return record.plans.map((p) => ({
    plan: p.name,
    modules: p.modules.map((m) => ({
      id: m.id,
      error: m.error,
      steps: m.story?.steps.map((s) => [s.kind, s.ok]),
      checks: m.checks.map((c) => [c.id, c.requirement, c.status]),
    })),
  }));
}

test('scenario 02 passes in its own lab and against ssf-lab serve, with the same record and reports', {
  timeout: 60_000,
}, async () => {
  const manifestFile = join(dir, 'manifest.json');
  serving = serveInProcess(['--manifest', manifestFile, '--devices', '12']);
  await serving.manifest;

  const own = await cli(['run', SCENARIO, '--out', join(dir, 'own')]);
  expect(own.stderr).toBe('');
  expect(own.code).toBe(0);
  const served = await cli(['run', SCENARIO, '--target', manifestFile, '--out', join(dir, 'served')]);
  expect(served.stderr).toBe('');
  expect(served.code).toBe(0);
  expect(served.stdout).toContain(`(${manifestFile})`);
  // The narration tells the same story: the SET, the seven System Log steps, the logouts.
  for (const out of [own.stdout, served.stdout]) {
    expect(out).toMatch(/jamf-security-cloud → okta: SET device-risk-change secure → high — 202/);
    expect(out).toMatch(/System Log user\.risk\.change/);
    expect(out).toMatch(/okta → office365: Universal Logout — 204/);
  }

  const a = recordIn(join(dir, 'own'));
  const b = recordIn(join(dir, 'served'));
  expect(a.passed).toBe(true);
  expect(b.passed).toBe(true);
  expect([a.target.kind, b.target]).toEqual([
    'lab',
    { name: manifestFile, kind: 'manifest', file: manifestFile },
  ]);
  expect(verdicts(b)).toEqual(verdicts(a));
  // The evidence came over HTTP from the running lab: its SET to Okta and Okta's calls to the apps.
  const exchanges = b.plans[0]?.modules[0]?.exchanges ?? [];
  expect(exchanges.some((x) => x.from === 'jamf-security-cloud' && x.to === 'okta' && x.set)).toBe(true);
  expect(exchanges.filter((x) => x.from === 'okta' && x.to === 'salesforce').length).toBeGreaterThan(0);
  // The run tidied up after itself: the threat it raised is resolved in the running lab.
  const manifest = await serving.manifest;
  const state = (await (
    await trusting(manifest)(`${manifest.jamfSecurityCloud.url}/_lab/state`, {
      headers: { authorization: `Bearer ${manifest.lab?.adminToken}` },
    })
  ).json()) as {
    threats: { resolvedAt?: unknown }[];
  };
  expect(state.threats.length).toBeGreaterThan(0);
  expect(state.threats.every((t) => t.resolvedAt !== undefined)).toBe(true);

  // Real endpoints: the same lab seen only through a certification target file (Okta's API and the
  // file's trigger, its secrets in the environment). What needs the lab's view is skipped, saying why.
  const blackBox = await blackBoxTarget(manifest);
  try {
    const targetFile = join(dir, 'real.target.json');
    writeFileSync(targetFile, JSON.stringify(blackBox.target));
    const real = await cli(
      ['run', SCENARIO, '--target', targetFile, '--out', join(dir, 'real')],
      blackBox.env,
    );
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
    const c = recordIn(join(dir, 'real'));
    expect(c.target).toEqual({ name: targetFile, kind: 'file', file: targetFile });
    const checks = c.plans[0]?.modules[0]?.checks ?? [];
    expect(checks.map((x) => [x.id, x.status])).toEqual([
      ['scenario-sets-accepted', 'skipped'],
      ['scenario-user-risk', 'passed'],
      ['scenario-policy-rule-matched', 'passed'],
      ['scenario-okta-sessions', 'skipped'],
      ['scenario-app-logouts', 'skipped'],
      ['scenario-system-log-chain', 'passed'],
    ]);
    expect(checks.find((x) => x.status === 'skipped')?.reason).toMatch(/is real endpoints: .*timeline/);
    // Two more threats, both resolved: the one building the target raised to capture JSC's SETs for the
    // events plan, and the one the file's trigger raised for this run (its resolve undid it afterwards).
    const after = (await (
      await trusting(manifest)(`${manifest.jamfSecurityCloud.url}/_lab/state`, {
        headers: { authorization: `Bearer ${manifest.lab?.adminToken}` },
      })
    ).json()) as {
      threats: { resolvedAt?: unknown }[];
    };
    expect(after.threats.length).toBe(state.threats.length + 2);
    expect(after.threats.every((t) => t.resolvedAt !== undefined)).toBe(true);
    // No secret of the file's environment reached the reports.
    const written = ['certification.json', 'report.html', 'summary.md', 'junit.xml']
      .map((f) => readFileSync(join(dir, 'real', f), 'utf8'))
      .join('\n');
    for (const value of Object.values(blackBox.env)) expect(written).not.toContain(value);
  } finally {
    await blackBox.close();
  }
});
