/**
 * The load plan against ssf-lab's own reference receiver (harness/ssf/receiver: SetIntake behind the RFC
 * 8935 push endpoint) over loopback sockets, the harness serving the JWKS it fetches: a healthy receiver
 * meets generous objectives, refuses every forged SET and processes every acknowledged one; the same
 * receiver slowed on purpose misses the latency and throughput objectives, and one that drops what it
 * acknowledged fails the effect check.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { generateSigningKey, jwksFromUrl } from '../../harness/protocol/index.ts';
import { type CheckResult, checksOf } from '../../harness/records/index.ts';
import { SetIntake, ssfPushEndpoint } from '../../harness/ssf/index.ts';
import { runPlans } from '../core/index.ts';
import { freePort, loopbackContext } from '../core/loopback-context.testing.ts';
import type { LoadKnobs } from './options.ts';
import { loadPlan } from './plan.ts';

const AUDIENCE = 'https://receiver.ssf-lab.test';
const ISSUER = 'https://harness.ssf-lab.test';
const JWKS_PATH = '/jwks.json';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

interface ReceiverSetUp {
  readonly delayMs?: number;
  /** Leave every n-th processed SET out of the list (a receiver that loses what it acknowledged). */
  readonly loseEvery?: number;
}

async function run(load: LoadKnobs, setUp: ReceiverSetUp = {}): Promise<CheckResult[]> {
  const harnessPort = await freePort();
  const keys = jwksFromUrl(`http://127.0.0.1:${harnessPort}${JWKS_PATH}`, { cooldownMs: 0 });
  const intake = new SetIntake({ profile: 'ssf', keys, expectedIssuer: ISSUER, expectedAudience: AUDIENCE });
  const receiver: FastifyInstance = Fastify({ logger: false });
  if (setUp.delayMs !== undefined) {
    const delay = setUp.delayMs;
    receiver.addHook('onRequest', async () => new Promise((resolve) => setTimeout(resolve, delay)));
  }
  await receiver.register(ssfPushEndpoint, { path: '/events', intake });
  receiver.get('/processed', async () => ({
    jtis: intake.processed
      .map((s) => s.jti)
      .filter((_, i) => setUp.loseEvery === undefined || i % setUp.loseEvery !== 0),
  }));
  await receiver.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => receiver.close());
  const address = receiver.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { privateJwk } = await generateSigningKey('ES256');
  const record = await runPlans(
    [
      {
        plan: loadPlan,
        options: {
          plan: 'ssf-receiver',
          receiver: {
            pushEndpoint: `${origin}/events`,
            audience: AUDIENCE,
            issuer: ISSUER,
            privateJwk,
            jwksPath: JWKS_PATH,
            processedSets: { url: `${origin}/processed` },
          },
          load,
        },
      },
    ],
    {
      target: { name: 'the reference receiver', kind: 'file' },
      toolVersion: 'test',
      context: loopbackContext(harnessPort),
    },
  );
  return checksOf(record);
}

const statusOf = (checks: readonly CheckResult[]): Record<string, string> =>
  Object.fromEntries(checks.map((c) => [c.id, c.status]));

test('a healthy receiver meets generous objectives, refuses every forged SET and processes every acknowledged one', {
  timeout: 30_000,
}, async () => {
  const checks = await run({
    count: 400,
    connections: 8,
    invalidShare: 0.1,
    p50Ms: 2000,
    p95Ms: 3000,
    p99Ms: 5000,
    minThroughput: 5,
  });
  expect(statusOf(checks)).toEqual({
    'load-valid-sets-accepted': 'passed',
    'load-invalid-sets-refused': 'passed',
    'load-accepted-sets-took-effect': 'passed',
    'load-p50-within-slo': 'passed',
    'load-p95-within-slo': 'passed',
    'load-p99-within-slo': 'passed',
    'load-throughput-meets-slo': 'passed',
  });
});

test('a receiver slowed on purpose misses the latency and throughput objectives', {
  timeout: 30_000,
}, async () => {
  // 40 ms per request on 2 connections: at most ~50 answers/s, and no answer under 40 ms.
  const checks = await run({ count: 60, connections: 2, p99Ms: 20, minThroughput: 200 }, { delayMs: 40 });
  const failed = checks.filter((c) => c.status === 'failed');
  expect(failed.map((c) => c.id).sort()).toEqual(['load-p99-within-slo', 'load-throughput-meets-slo']);
  expect(failed.find((c) => c.id === 'load-p99-within-slo')?.findings[0]?.message).toMatch(
    /p99 latency was \d+\.\d ms, above load\.p99Ms = 20\.0 ms/,
  );
  // Objectives the file does not set are skipped, never passed.
  expect(statusOf(checks)['load-p50-within-slo']).toBe('skipped');
  expect(statusOf(checks)['load-invalid-sets-refused']).toBe('skipped');
});

test('a receiver that loses SETs it acknowledged fails the effect check', { timeout: 30_000 }, async () => {
  const checks = await run({ count: 50, connections: 4 }, { loseEvery: 10 });
  const effect = checks.find((c) => c.id === 'load-accepted-sets-took-effect');
  expect(effect?.status).toBe('failed');
  expect(effect?.findings[0]?.message).toMatch(
    /^5 SETs acknowledged with 202 are not in the receiver's processed list/,
  );
});
