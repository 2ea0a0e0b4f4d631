/**
 * One scenario, two targets, one kind of record: `ssf-lab run scenarios/02-macos-threat-logout.yaml` in a
 * lab of its own, and the same file with `--target` naming the manifest of a running `ssf-lab serve` —
 * which the runner reaches only as any client would (the manifest, the vendors' APIs, the lab's `/_lab/`
 * controls, real time). Both pass, and both write the certification reports with the same module and the
 * same checks, judged the same.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseCertificationRecord } from '../../reports/index.ts';
import type { CertificationRecord } from '../records/index.ts';
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
  const state = (await (await fetch(`${manifest.jamfSecurityCloud.url}/_lab/state`)).json()) as {
    threats: { resolvedAt?: unknown }[];
  };
  expect(state.threats.length).toBeGreaterThan(0);
  expect(state.threats.every((t) => t.resolvedAt !== undefined)).toBe(true);
});
