/**
 * The receiver plans against the lab, in-process (loopback and black box: with every other plan in
 * harness/cli/self-test-black-box.extended.test.ts): the lab's strict SSF receiver passes every check of the
 * ssf-receiver plan but the one that is no fault under the ssf profile, and mock Okta's SET endpoint — by
 * itself under the ssf-receiver plan (`--lab-target okta`) and with its Identity Threat Protection under
 * okta-receiver — every check that applies (failing findings are printed in the assertion), and some
 * checks really ran. Then the proof the plans can fail: a fake receiver that answers 200 with a body to
 * everything.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runPlans } from '../../suites/core/index.ts';
import { oktaReceiverPlan } from '../../suites/okta-receiver/index.ts';
import { ssfReceiverPlan } from '../../suites/ssf-receiver/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { type CertificationRecord, type CheckResult, checksOf } from '../records/index.ts';
import { certifyLab, remoteContext } from './engine.ts';
import { oktaReceiverEntry } from './lab-targets/okta-receiver.ts';
import { ssfReceiverEntry } from './lab-targets/ssf-receiver.ts';

function failures(record: CertificationRecord): string {
  return checksOf(record)
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map((c) => `${c.id} [${c.status}]: ${c.reason ?? c.findings.map((f) => f.message).join('; ')}`)
    .join('\n');
}

function byId(record: CertificationRecord): Map<string, CheckResult> {
  return new Map(checksOf(record).map((c) => [c.id, c]));
}

test("the ssf-receiver plan: the lab's strict receiver passes all of it, every module run", {
  timeout: 60_000,
}, async () => {
  const record = await certifyLab([ssfReceiverEntry], { devices: 4 });
  expect(failures(record), 'failed or errored checks').toBe('');
  const notPassed = checksOf(record)
    .filter((c) => c.status !== 'passed')
    .map((c) => `${c.id} [${c.status}]: ${c.reason ?? ''}`);
  expect(notPassed).toEqual([
    expect.stringMatching(/^receiver-refuses-several-events \[skipped\]: not a fault under the ssf profile/),
  ]);
  expect(record.target.name).toBe('the lab (in-process)');
});

for (const transport of ['in-process'] as const) {
  test(`the receiver plans pass against mock Okta (${transport})`, { timeout: 60_000 }, async () => {
    const record = await certifyLab([ssfReceiverEntry, oktaReceiverEntry], {
      transport,
      devices: 4,
      labTarget: 'okta',
    });
    expect(record.target.name).toBe(`the lab (${transport}), grading okta`);
    expect(failures(record), 'failed or errored checks').toBe('');
    const checks = byId(record);
    const passed = [...checks.values()].filter((c) => c.status === 'passed').map((c) => c.id);
    // The core of each plan really ran and held, not skipped.
    for (const id of [
      'receiver-accepts-valid-sets-with-202',
      'receiver-refuses-bad-signature',
      'receiver-refuses-unknown-kid',
      'receiver-refuses-wrong-issuer',
      'receiver-refuses-wrong-audience',
      'receiver-refuses-missing-typ',
      'receiver-refuses-alg-none',
      'receiver-refuses-oversized',
      'receiver-refuses-crit-unknown',
      'receiver-refuses-kid-not-string',
      'receiver-refuses-alg-hs256-public-key',
      'receiver-refuses-duplicate-claim',
      'receiver-refuses-subject-bad-email',
      'receiver-refuses-two-sets-in-body',
      'receiver-error-code-fits-the-fault',
      'receiver-error-has-content-language',
      'receiver-accepts-redelivered-set',
      'okta-accepts-its-event-types',
      'okta-refuses-missing-kid',
      'okta-logs-receive-event',
      'okta-detects-high-risk',
      'okta-policy-logs-universal-logout',
      'okta-policy-logs-risk-change',
      'okta-user-risk-reset-after-action',
      'okta-ignores-redelivered-set',
    ])
      expect(passed, id).toContain(id);
    // Okta's contract has no rule against sub/exp; no verification without stream management.
    expect(checks.get('receiver-refuses-sub-present')?.status).toBe('skipped');
    expect(checks.get('receiver-refuses-wrong-state')?.status).toBe('skipped');
    expect(checks.get('receiver-accepts-a-rotated-key')?.status).toBe('skipped');
    expect(record.passed).toBe(true);
    // The plan's provider was deleted again.
    const cleanup = record.plans.flatMap((p) => p.modules.flatMap((m) => m.cleanup));
    expect(cleanup.filter((c) => !c.ok)).toEqual([]);
    expect(cleanup.some((c) => c.what.startsWith('delete security events provider'))).toBe(true);
  });
}

let fake: FastifyInstance;
let fakeUrl: string;
let fakeRequests = 0;

beforeAll(async () => {
  fake = Fastify({ logger: false });
  fake.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  fake.all('/*', async (_request, reply) => {
    fakeRequests += 1;
    return reply.code(200).send({ ok: true });
  });
  await fake.listen({ host: '127.0.0.1', port: 0 });
  const address = fake.server.address();
  fakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await fake.close();
});

test('the receiver plans fail a receiver that answers 200 with a body to everything', async () => {
  const { privateJwk } = await generateSigningKey('RS256');
  const remote = remoteContext({ signal: new AbortController().signal });
  try {
    const common = {
      pushEndpoint: `${fakeUrl}/events`,
      audience: 'https://receiver.example',
      issuer: 'https://harness.example',
      privateJwk,
    };
    const record = await runPlans(
      [
        // The harness hosts its own JWKS here: the serving path is exercised (and taken down after).
        { plan: ssfReceiverPlan, options: { ...common, jwksPath: '/keys.json' } },
        { plan: oktaReceiverPlan, options: common },
      ],
      { target: { name: 'fake receiver', kind: 'file' }, toolVersion: 'test', context: remote.context },
    );
    const checks = byId(record);
    for (const id of [
      'receiver-accepts-valid-sets-with-202',
      'receiver-refuses-bad-signature',
      'receiver-refuses-unknown-kid',
      'receiver-refuses-wrong-issuer',
      'receiver-refuses-wrong-audience',
      'receiver-refuses-missing-typ',
      'receiver-refuses-wrong-typ',
      'receiver-refuses-sub-present',
      'receiver-refuses-exp-present',
      'receiver-refuses-alg-none',
      'receiver-refuses-oversized',
      'receiver-refuses-crit-unknown',
      'receiver-refuses-jku-elsewhere',
      'receiver-refuses-duplicate-claim',
      'receiver-refuses-wrong-content-type',
      'receiver-refuses-short-rsa-key',
      'okta-accepts-its-event-types',
      'okta-refuses-unaccepted-event-type',
      'okta-refuses-missing-kid',
      'okta-refuses-audience-array',
      'okta-accepts-set-about-unknown-user',
    ])
      expect(checks.get(id)?.status, id).toBe('failed');
    // 200 is no acceptance, so there is no redelivery to judge.
    expect(checks.get('receiver-accepts-redelivered-set')?.status).toBe('skipped');
    // Without the org's Management API the outcomes are not read back.
    expect(checks.get('okta-logs-receive-event')?.status).toBe('skipped');
    expect(record.passed).toBe(false);
    const cleanup = record.plans[0]?.modules.flatMap((m) => m.cleanup) ?? [];
    // valid-sets, invalid-sets, redelivery and signing-keys each serve it for their duration.
    expect(cleanup.filter((c) => c.what === 'stop serving the harness JWKS' && c.ok)).toHaveLength(4);
  } finally {
    await remote.close();
  }
});

test('a dry run pushes nothing and skips every module that would', async () => {
  const { privateJwk } = await generateSigningKey('RS256');
  const remote = remoteContext({ signal: new AbortController().signal });
  const before = fakeRequests;
  try {
    const options = {
      pushEndpoint: `${fakeUrl}/events`,
      audience: 'https://receiver.example',
      issuer: 'https://harness.example',
      privateJwk,
      subject: { user: { format: 'email', email: 'pat@acme.example' } },
      okta: { url: fakeUrl, apiToken: 'not-used' },
      registerProvider: true,
      jwksUrl: `${fakeUrl}/keys`,
    };
    const record = await runPlans(
      [
        {
          plan: ssfReceiverPlan,
          options: {
            pushEndpoint: options.pushEndpoint,
            audience: options.audience,
            issuer: options.issuer,
            privateJwk,
          },
        },
        { plan: oktaReceiverPlan, options },
      ],
      {
        target: { name: 'fake receiver', kind: 'file' },
        toolVersion: 'test',
        dryRun: true,
        context: remote.context,
      },
    );
    const modules = record.plans.flatMap((p) => p.modules);
    expect(modules.filter((m) => m.id !== 'stream-management').map((m) => m.skipped ?? m.error)).toEqual(
      modules.filter((m) => m.id !== 'stream-management').map(() => expect.stringMatching(/^dry run/)),
    );
    expect(fakeRequests).toBe(before);
  } finally {
    await remote.close();
  }
});
