/**
 * `GET /_lab/record` on a running `ssf-lab serve`, and `ssf-lab report --from` rendering it: the record
 * holds what the lab did since it started (a Mac going High: the SET to Okta, the System Log chain, the
 * apps' logouts, where the SET ended up), needs the admin token, and renders into the usual reports.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LabManifest } from '../lab/index.ts';
import type { CertificationRecord } from '../records/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { cli, type Serving, serveInProcess } from './cli.testing.ts';

let dir = '';
let serving: Serving;
let manifest: LabManifest;
let manifestFile = '';
/** serve is https by default: this fetch trusts the lab's CA, as its manifest tells. */
let fetch: typeof globalThis.fetch = globalThis.fetch;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-report-'));
  manifestFile = join(dir, 'lab.json');
  serving = serveInProcess(['--devices', '4', '--manifest', manifestFile, '--narrate']);
  manifest = await serving.manifest;
  expect(manifest.okta.url).toMatch(/^https:/);
  fetch = createHttpFetch({ ca: manifest.tls?.caCert ?? '' });
}, 60_000);
afterAll(async () => {
  serving?.stop();
  await serving?.done;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const admin = (): Record<string, string> => ({ authorization: `Bearer ${manifest.lab?.adminToken ?? ''}` });

async function raiseAndWaitForLogout(): Promise<void> {
  const jsc = manifest.jamfSecurityCloud.url;
  const state = (await (await fetch(`${jsc}/_lab/state`, { headers: admin() })).json()) as {
    devices: { id: string; osType: string; uem?: { email?: string } }[];
  };
  const mac = state.devices.find((d) => d.osType === 'MAC_OS' && d.uem?.email);
  const raised = await fetch(`${jsc}/_lab/threats`, {
    method: 'POST',
    headers: { ...admin(), 'content-type': 'application/json' },
    body: JSON.stringify({ device: mac?.id, category: 'Malware' }),
  });
  expect(raised.status).toBe(201);
  await raised.arrayBuffer();
  // Okta's evaluation and the logouts run after the SET is answered: wait until Okta is idle.
  const idle = await fetch(`${manifest.okta.url}/_lab/entity-risk/idle?timeoutMs=10000`, {
    headers: admin(),
  });
  await idle.arrayBuffer();
}

test('GET /_lab/record answers the lab so far, only with the admin token', async () => {
  await raiseAndWaitForLogout();
  const refused = await fetch(`${manifest.okta.url}/_lab/record`);
  expect(refused.status).toBe(401);
  await refused.arrayBuffer();
  const answer = await fetch(`${manifest.okta.url}/_lab/record`, { headers: admin() });
  expect(answer.status).toBe(200);
  const record = (await answer.json()) as CertificationRecord;
  const module = record.plans[0]?.modules[0];
  expect(record.plans.map((p) => p.name)).toEqual(['session']);
  expect(module?.checks).toEqual([]);
  // The SET JSC pushed to Okta is in the exchanges, decoded.
  const pushes =
    module?.exchanges.filter((e) => e.from === 'jamf-security-cloud' && e.to === 'okta' && e.set) ?? [];
  expect(pushes.length).toBeGreaterThan(0);
  // Okta's chain and the apps' logouts, read back through their APIs.
  const types = module?.story?.systemLog.map((e) => e.eventType) ?? [];
  expect(types).toContain('security.events.provider.receive_event');
  expect(types).toContain('user.authentication.universal_logout');
  expect(module?.story?.logouts.map((l) => l.app).sort()).toEqual([
    'google-workspace',
    'office365',
    'salesforce',
  ]);
  // Where the SET ended up, per JSC's ledger.
  expect(module?.story?.deliveries?.some((d) => d.state === 'delivered')).toBe(true);
  // No credential of the manifest in it.
  const text = JSON.stringify(record);
  for (const secret of [
    manifest.okta.apiToken,
    manifest.jamfSecurityCloud.streamToken,
    manifest.lab?.adminToken ?? '',
  ])
    expect(text).not.toContain(secret);
}, 60_000);

test('serve --narrate tells on stderr what happened after it was ready: the SET, the System Log chain, the logouts', async () => {
  // The threat of the first test has run its course; the narrator looks every 500 ms.
  const told = async (pattern: RegExp): Promise<boolean> => {
    for (let i = 0; i < 40 && !pattern.test(serving.stderr()); i++)
      await new Promise((r) => setTimeout(r, 100));
    return pattern.test(serving.stderr());
  };
  expect(await told(/the lab is ready: what happens from now on/)).toBe(true);
  expect(
    await told(/\+\s*\d+ ms {2}jamf-security-cloud → okta: SET device-risk-change \S+ → high — 202/),
  ).toBe(true);
  expect(await told(/System Log user\.authentication\.universal_logout — Universal Logout fired/)).toBe(true);
  expect(await told(/okta → salesforce: Universal Logout — 20\d/)).toBe(true);
  // The set-up is not narrated, and stdout still holds the manifest line only.
  expect(serving.stderr()).not.toMatch(/System Log .* \(set-up\)/);
  expect(serving.stdout().trim().split('\n')).toHaveLength(1);
  const narration = serving.stderr().slice(serving.stderr().indexOf('what happens from now on'));
  const setAt = narration.indexOf('SET device-risk-change');
  const logoutAt = narration.indexOf('user.authentication.universal_logout');
  expect(setAt).toBeGreaterThan(-1);
  expect(logoutAt).toBeGreaterThan(setAt);
});

test('ssf-lab report --from MANIFEST renders it; a record file renders again; bad sources exit 2', async () => {
  const out = join(dir, 'reports');
  const first = await cli(['report', '--from', manifestFile, '--out', out]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/ssf-lab report: ssf-lab serve — \d+ exchanges\nReports: .*report\.html/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toContain('user.authentication.universal_logout');
  const again = await cli(['report', '--from', join(out, 'certification.json'), '--out', join(dir, 'again')]);
  expect(again.code, again.stderr).toBe(0);

  // A URL without the token: the lab's 401, said with what to do.
  const caFile = manifest.tls?.caFile ?? '';
  const bare = await cli([
    'report',
    '--from',
    `${manifest.okta.url}/_lab/record`,
    '--ca-file',
    caFile,
    '--out',
    join(dir, 'x'),
  ]);
  expect(bare.code).toBe(2);
  expect(bare.stderr).toMatch(/answered 401 \(the lab asks for its admin token: set SSF_LAB_ADMIN_TOKEN/);
  // With it in the environment, it works.
  const withEnv = await cli(
    ['report', '--from', `${manifest.okta.url}/_lab/record`, '--ca-file', caFile, '--out', join(dir, 'y')],
    {
      SSF_LAB_ADMIN_TOKEN: manifest.lab?.adminToken ?? '',
    },
  );
  expect(withEnv.code, withEnv.stderr).toBe(0);

  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{"hello": "world"}');
  expect(await cli(['report', '--from', junk])).toMatchObject({
    code: 2,
    stderr: `ssf-lab: "${junk}" is neither a run record (no "schema") nor a lab manifest (no "okta.url")\n`,
  });
  const badRecord = join(dir, 'bad-record.json');
  writeFileSync(badRecord, '{"schema": "urn:ssf-lab:certification:2"}');
  const invalid = await cli(['report', '--from', badRecord, '--out', join(dir, 'z')]);
  expect(invalid.code).toBe(2);
  expect(invalid.stderr).toMatch(/bad-record\.json: invalid certification record: /);
  expect(await cli(['report'])).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/report needs --from/),
  });
}, 60_000);
