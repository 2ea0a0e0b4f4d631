/**
 * `ssf-lab load` against `ssf-lab serve`, as a vendor would point it at a receiver: a target file names
 * mock Okta's SET receiver (the okta-receiver plan registers the harness issuer as a provider with Okta's
 * API and serves the harness JWKS), trusts the lab's CA, and sets objectives; the run pushes every SET
 * over https, reads mock Okta's receipts to see each had its effect, and writes load.html with the
 * charts. Objectives that cannot be met fail the run with exit 1. (The 10,000-SET run is in the extended
 * suite: load-against-serve.extended.test.ts.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cli } from './cli.testing.ts';
import { type ServedLoadLab, serveLoadLab } from './load.testing.ts';

let lab: ServedLoadLab;

beforeAll(async () => {
  lab = await serveLoadLab();
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

test('a run against ssf-lab serve meets its objectives, every SET took effect, and load.html draws the run', {
  timeout: 60_000,
}, async () => {
  const out = join(lab.dir, 'out-pass');
  const file = lab.targetFile('pass', {
    count: 300,
    connections: 8,
    invalidShare: 0.1,
    p99Ms: 5000,
    minThroughput: 5,
  });
  const result = await cli(['load', '--target', file, '--out', out], lab.env);
  expect(result.stderr).toBe('');
  expect(result.code, result.stdout).toBe(0);
  expect(result.stdout).toMatch(/300 of 300 SETs answered/);
  expect(result.stdout).toMatch(/answers: 202 ×270, 400 ×30; refusals by err: [a-z_]+ ×30/);
  for (const id of [
    'load-valid-sets-accepted',
    'load-invalid-sets-refused',
    'load-accepted-sets-took-effect',
    'load-p99-within-slo',
    'load-throughput-meets-slo',
  ])
    expect(result.stdout).toMatch(new RegExp(`passed\\s+${id}`));
  const page = readFileSync(join(out, 'load.html'), 'utf8');
  expect(page).toContain('aria-label="Latency histogram');
  expect(page).toContain('aria-label="Throughput over time');
  // No credential of the run in what it wrote.
  const written = ['load.html', 'certification.json', 'report.html', 'junit.xml', 'summary.md']
    .map((f) => readFileSync(join(out, f), 'utf8'))
    .join('\n');
  for (const secret of [
    lab.manifest.okta.apiToken,
    lab.manifest.lab?.adminToken ?? 'none',
    JSON.parse(lab.env.LOAD_KEY ?? '{}').d,
  ])
    expect(written).not.toContain(secret);
});

test('objectives it cannot meet fail the run with exit 1, naming each', { timeout: 60_000 }, async () => {
  const file = lab.targetFile('fail', { count: 100, connections: 2, p50Ms: 0.001, minThroughput: 1_000_000 });
  const result = await cli(['load', '--target', file, '--out', join(lab.dir, 'out-fail')], lab.env);
  expect(result.code, result.stdout).toBe(1);
  expect(result.stdout).toMatch(
    /failed\s+load-p50-within-slo — p50 latency was \d+\.\d ms, above load\.p50Ms = 0\.0 ms/,
  );
  expect(result.stdout).toMatch(/failed\s+load-throughput-meets-slo — [\d.]+ answers\/s over/);
  expect(result.stdout).toMatch(/passed\s+load-valid-sets-accepted/);
});

test('a target file without a load section, or a load section naming a plan it lacks, is a usage error', async () => {
  const none = join(lab.dir, 'none.json');
  writeFileSync(
    none,
    JSON.stringify({
      name: 'x',
      plans: {
        'ssf-receiver': {
          pushEndpoint: 'https://r.example/p',
          audience: 'a',
          issuer: 'i',
          privateJwk: { env: 'LOAD_KEY' },
        },
      },
    }),
  );
  const missing = await cli(['load', '--target', none], lab.env);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/has no "load" section/);
  const wrong = join(lab.dir, 'wrong.json');
  writeFileSync(
    wrong,
    JSON.stringify({
      name: 'x',
      plans: {
        'ssf-receiver': {
          pushEndpoint: 'https://r.example/p',
          audience: 'a',
          issuer: 'i',
          privateJwk: { env: 'LOAD_KEY' },
        },
      },
      load: { plan: 'okta-receiver' },
    }),
  );
  const bad = await cli(['load', '--target', wrong], lab.env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/load\.plan.*no "okta-receiver" section under "plans"/);
  const both = await cli(['load', '--target', none, '--count', '5', '--duration', '5'], lab.env);
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/--count and --duration exclude each other/);
  const open = await cli(['load', '--target', lab.targetFile('open', { duration: 5 })], lab.env);
  expect(open.code).toBe(2);
  expect(open.stderr).toMatch(/a load for a duration needs a rate/);
});

test('--export artillery writes the Artillery test and its processor, without the key', async () => {
  const file = lab.targetFile('export', { count: 500, rate: 100, invalidShare: 0.1 });
  const out = join(lab.dir, 'artillery');
  const result = await cli(['load', '--target', file, '--export', 'artillery', '--out', out], lab.env);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/SSF_LAB_LOAD_KEY='<private JWK as JSON>' artillery run ssf-lab-load\.yml/);
  const script = readFileSync(join(out, 'ssf-lab-load.yml'), 'utf8');
  const processor = readFileSync(join(out, 'ssf-lab-set-processor.cjs'), 'utf8');
  expect(script).toContain('arrivalCount: 500');
  expect(script).toContain('url: "/security/api/v1/security-events"');
  expect(processor).toContain('"invalidShare": 0.1');
  for (const secret of [JSON.parse(lab.env.LOAD_KEY ?? '{}').d, lab.manifest.okta.apiToken])
    expect(script + processor).not.toContain(secret);
  const wrong = await cli(['load', '--target', file, '--export', 'k6', '--out', out], lab.env);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/--export takes "artillery", not "k6"/);
});

test('a receiver nobody answers for is unreachable: exit 3, its checks not run', async () => {
  // A port that was free a moment ago: nothing listens there.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const file = join(lab.dir, 'down.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'nobody',
      plans: {
        'ssf-receiver': {
          pushEndpoint: `http://127.0.0.1:${port}/events`,
          audience: 'a',
          issuer: 'https://i.example',
          privateJwk: { env: 'LOAD_KEY' },
        },
      },
      load: { plan: 'ssf-receiver', count: 5 },
    }),
  );
  const result = await cli(['load', '--target', file, '--out', join(lab.dir, 'out-down')], lab.env);
  expect(result.code, result.stdout).toBe(3);
  expect(result.stdout).not.toMatch(/SETs answered/);
  expect(result.stderr).toContain(`cannot reach the target at http://127.0.0.1:${port}/events (`);
  expect(result.stderr).toMatch(/ECONNREFUSED.*plan load was not run/);
});
