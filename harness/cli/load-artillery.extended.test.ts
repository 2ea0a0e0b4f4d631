/**
 * `ssf-lab load --export artillery`, run by Artillery itself against `ssf-lab serve`: the exported script
 * and processor, unchanged, push the run's SETs at mock Okta's receiver, and Artillery's own counts match
 * what was asked (every request made, the valid share acknowledged with 202 and the forged share refused
 * with 400) and what mock Okta received. Artillery is installed once into ~/.cache/ssf-lab (with
 * --ignore-scripts: nothing is downloaded but npm packages) — it is a large tool, so this lives in the
 * extended suite (`npm run test:extended`, which CI runs).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { importSigningKey, publicJwks } from '../protocol/index.ts';
import { cli } from './cli.testing.ts';
import { type ServedLoadLab, serveLoadLab } from './load.testing.ts';

const ARTILLERY_VERSION = '2.0.34';
const CACHE = join(homedir(), '.cache', 'ssf-lab', `artillery-${ARTILLERY_VERSION}`);
const BIN = join(CACHE, 'node_modules', '.bin', 'artillery');

let lab: ServedLoadLab;
const jwksServer = Fastify();

beforeAll(async () => {
  if (!existsSync(BIN)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        CACHE,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        `artillery@${ARTILLERY_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
  }
  lab = await serveLoadLab();
}, 600_000);

afterAll(async () => {
  await jwksServer.close();
  await lab?.close();
});

test('the exported Artillery test runs unchanged with artillery run, and its counts match', async () => {
  const key = JSON.parse(lab.env.LOAD_KEY ?? '{}') as Record<string, unknown>;
  const jwks = publicJwks(await importSigningKey(key));
  jwksServer.get('/jwks.json', async () => jwks);
  await jwksServer.listen({ host: '127.0.0.1', port: 0 });
  const address = jwksServer.server.address();
  const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
  const okta = lab.manifest.okta.url;
  const caFetch = (await import('../ssf/index.ts')).createHttpFetch({ ca: lab.manifest.tls?.caCert ?? '' });
  const issuer = 'https://load-artillery.ssf-lab.test';
  // What the okta-receiver plan's registerProvider does for a run; here Artillery runs, so the test does it.
  const registered = await caFetch(`${okta}/api/v1/security-events-providers`, {
    method: 'POST',
    headers: { authorization: `SSWS ${lab.manifest.okta.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'ssf-lab-artillery',
      type: 'ssf-lab',
      settings: { issuer, jwks_url: jwksUrl },
    }),
  });
  expect(registered.status).toBe(200);

  const file = lab.targetFile('artillery', { count: 300, rate: 100, invalidShare: 0.1 });
  const out = join(lab.dir, 'artillery');
  const exported = await cli(['load', '--target', file, '--export', 'artillery', '--out', out], lab.env);
  expect(exported.code, exported.stderr).toBe(0);
  const report = join(out, 'report.json');
  // Asynchronously: the lab and the JWKS server answer from this process while Artillery runs.
  const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn(BIN, ['run', '--output', report, 'ssf-lab-load.yml'], {
      cwd: out,
      env: {
        ...process.env,
        SSF_LAB_LOAD_KEY: lab.env.LOAD_KEY ?? '',
        NODE_EXTRA_CA_CERTS: lab.manifest.tls?.caFile ?? '',
        ARTILLERY_DISABLE_TELEMETRY: 'true',
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
  expect(run.status, run.output).toBe(0);
  const counters = (
    JSON.parse(readFileSync(report, 'utf8')) as { aggregate: { counters: Record<string, number> } }
  ).aggregate.counters;
  expect(counters['http.requests'], JSON.stringify(counters)).toBe(300);
  expect(
    Object.keys(counters).filter((k) => k.startsWith('ssf_lab')),
    JSON.stringify(counters),
  ).toHaveLength(2);
  expect(counters['ssf_lab.valid.202']).toBe(270);
  expect(counters['ssf_lab.invalid.400']).toBe(30);
  expect(counters['http.codes.202']).toBe(270);
  // Mock Okta saw the same: 270 processed from this issuer, 30 refused.
  const receipts = (await (
    await caFetch(`${okta}/_lab/security-events`, { headers: { authorization: lab.env.LAB_AUTH ?? '' } })
  ).json()) as { iss: string | null; outcome: string }[];
  const ours = receipts.filter((r) => r.iss === issuer);
  expect(ours.filter((r) => r.outcome === 'processed' || r.outcome === 'accepted')).toHaveLength(270);
  expect(ours.filter((r) => r.outcome === 'rejected')).toHaveLength(30);
}, 600_000);
