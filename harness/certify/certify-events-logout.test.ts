/**
 * The `events` and `universal-logout` plans against the lab, in-process (loopback and black box: with every
 * other plan in harness/cli/self-test-black-box.extended.test.ts): no check fails or
 * errs, and checks really pass (not just skip). Then proof the universal-logout checks can fail: a fake
 * app that answers 204 to everything — however broken the request — fails every 401, 400 and 404 check.
 */
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { universalLogoutPlan } from '../../suites/universal-logout/index.ts';
import { configureSeed, LAB_CLIENT_AUDIENCE, labManifest, startLab } from '../lab/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { type CertificationRecord, type CheckResult, checksOf } from '../records/index.ts';
import { certifyLab, type PlanEntry } from './engine.ts';
import { eventsEntry, eventsOptions } from './lab-targets/events.ts';
import { universalLogoutEntryFor } from './lab-targets/universal-logout.ts';

function failing(record: CertificationRecord): string {
  return checksOf(record)
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map(
      (c) =>
        `${c.plan}/${c.id}: ${c.status} ${c.reason ?? ''} ${c.findings.map((f) => f.message).join(' | ')}`,
    )
    .join('\n');
}

function byPlan(record: CertificationRecord, plan: string): CheckResult[] {
  return checksOf(record).filter((c) => c.plan === plan);
}

describe.each(['in-process'] as const)('against the lab (%s)', (transport) => {
  test('events and universal-logout (Salesforce) pass', async () => {
    const record = await certifyLab([eventsEntry, universalLogoutEntryFor('salesforce')], { transport });
    expect(failing(record), failing(record)).toBe('');
    expect(record.passed).toBe(true);
    const events = byPlan(record, 'events');
    // Every (event type, profile) pair passes; so do the captured-SET checks, over the SETs the lab's JSC
    // really sent for a test threat: pushed to Okta (read back from the lab's timeline, okta profile) and
    // delivered on an SSF poll stream (ssf profile). Nothing is skipped.
    const profiles = events.filter((c) => c.module !== 'captured-sets');
    expect(profiles.length).toBeGreaterThan(30);
    expect(profiles.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(events.filter((c) => c.module === 'captured-sets').map((c) => [c.id, c.status])).toEqual([
      ['events-captured-sets-meet-every-must', 'passed'],
      ['events-captured-sets-meet-every-should', 'passed'],
      ['events-captured-sets-use-catalogued-types-and-formats', 'passed'],
    ]);
    expect(events.filter((c) => c.status === 'skipped')).toEqual([]);
    const logout = byPlan(record, 'universal-logout');
    expect(logout.map((c) => [c.id, c.status])).toEqual([
      ['logout-bad-signature-answers-401', 'passed'],
      ['logout-expired-token-answers-401', 'passed'],
      ['logout-wrong-audience-answers-401', 'passed'],
      ['logout-missing-authorization-answers-401', 'passed'],
      ['logout-malformed-body-answers-400', 'passed'],
      ['logout-unsupported-subject-format-answers-400', 'passed'],
      ['logout-unknown-user-answers-404', 'passed'],
      ['logout-valid-request-answers-204', 'passed'],
      ['logout-ends-the-users-session', 'passed'],
    ]);
    // Each module's exchanges are in the record, and no bearer token is.
    const exchanges = record.plans.flatMap((p) => p.modules.flatMap((m) => m.exchanges));
    expect(exchanges.length).toBeGreaterThan(10);
    expect(JSON.stringify(exchanges)).not.toMatch(/Bearer eyJ/);
  });
});

test("the events set-up captures JSC's SETs to Okta and on an SSF poll stream, which it deletes after", async () => {
  const lab = await startLab({ seed: 1, devices: 8, intercept: false });
  try {
    await configureSeed(lab);
    const streams = lab.jsc.transmitter.streams().length;
    const { sets = [] } = await eventsOptions(lab.fetch, labManifest(lab));
    // Secure → Low → Secure: one SET per change on each stream.
    expect(sets.map((s) => (typeof s === 'string' ? s : [s.profile, s.audience]))).toEqual([
      ['okta', lab.urls.okta],
      ['okta', lab.urls.okta],
      ['ssf', LAB_CLIENT_AUDIENCE],
      ['ssf', LAB_CLIENT_AUDIENCE],
    ]);
    expect(lab.jsc.transmitter.streams()).toHaveLength(streams);
  } finally {
    await lab.close();
  }
});

test('Google Workspace (full) and Office 365 (partial: refresh tokens only) pass too', async () => {
  const record = await certifyLab([
    universalLogoutEntryFor('google-workspace'),
    universalLogoutEntryFor('office365'),
  ]);
  expect(failing(record), failing(record)).toBe('');
  const checks = checksOf(record);
  expect(checks).toHaveLength(18);
  expect(checks.every((c) => c.status === 'passed')).toBe(true);
});

test('an app that answers 204 to everything fails every refusal check', async () => {
  const { privateJwk } = await generateSigningKey('ES256');
  const fakeApp: PlanEntry = {
    plan: universalLogoutPlan,
    lab: async (lab) => {
      const app = Fastify({ logger: false });
      app.post('/gtr', async (_request, reply) => reply.code(204).send());
      const { url } = await lab.attach('always-204', app);
      return {
        endpoint: `${url}/gtr`,
        issuer: 'https://issuer.always-204.example',
        privateJwk,
        clientId: 'any-client',
        user: { format: 'email', email: 'pat@always-204.example' },
      };
    },
  };
  const record = await certifyLab([fakeApp]);
  expect(record.passed).toBe(false);
  const status = Object.fromEntries(checksOf(record).map((c) => [c.id, c.status]));
  expect(status).toEqual({
    'logout-bad-signature-answers-401': 'failed',
    'logout-expired-token-answers-401': 'failed',
    'logout-wrong-audience-answers-401': 'failed',
    'logout-missing-authorization-answers-401': 'failed',
    'logout-malformed-body-answers-400': 'failed',
    'logout-unsupported-subject-format-answers-400': 'failed',
    'logout-unknown-user-answers-404': 'failed',
    'logout-valid-request-answers-204': 'passed',
    'logout-ends-the-users-session': 'skipped',
  });
  const missing = checksOf(record).find((c) => c.id === 'logout-missing-authorization-answers-401');
  expect(missing?.findings[0]).toMatchObject({
    requirement: 'GTR-3-AUTH',
    level: 'failure',
    message: expect.stringMatching(/expected HTTP 401, got HTTP 204/),
  });
});
