/**
 * The `ssf-transmitter` plan against the lab, in-process (on loopback and as a black box it runs with every
 * other plan in harness/cli/self-test-black-box.extended.test.ts): every check passes or is
 * skipped with a reason, and enough of them actually pass. Then the plan is shown able to fail: against
 * a small transmitter that gets a few things wrong on purpose, the expected checks fail.
 */
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { runPlans } from '../../suites/core/index.ts';
import { eventsModule } from '../../suites/ssf-transmitter/events.ts';
import { ssfTransmitterPlan } from '../../suites/ssf-transmitter/index.ts';
import { EVENT_URIS, generateSigningKey } from '../protocol/index.ts';
import { type CertificationRecord, type CheckResult, checksOf, Timeline } from '../records/index.ts';
import { createInjectFetch, type Injectable, ssfTransmitterPlugin, Transmitter } from '../ssf/index.ts';
import { certifyLab } from './engine.ts';
import { ssfTransmitterEntry } from './lab-targets/ssf-transmitter.ts';

function summary(checks: readonly CheckResult[]): string {
  return checks
    .map(
      (c) => `${c.status} ${c.id} [${c.module}]: ${c.reason ?? c.findings.map((f) => f.message).join(' | ')}`,
    )
    .join('\n');
}

function expectClean(record: CertificationRecord): void {
  const checks = checksOf(record);
  const bad = checks.filter((c) => c.status === 'failed' || c.status === 'error');
  expect(bad, summary(bad)).toEqual([]);
  const passed = checks.filter((c) => c.status === 'passed');
  expect(passed.length, summary(checks)).toBeGreaterThan(60);
  expect(record.passed).toBe(true);
  for (const m of record.plans.flatMap((p) => p.modules))
    expect(
      m.cleanup.filter((c) => !c.ok),
      m.id,
    ).toEqual([]);
}

describe('ssf-transmitter against the lab', () => {
  for (const transport of ['in-process'] as const) {
    test(`${transport}: no check fails, and only the costly timeout case is skipped`, {
      timeout: 40_000,
    }, async () => {
      const record = await certifyLab([ssfTransmitterEntry], { transport });
      expectClean(record);
      const checks = checksOf(record);
      // The event trigger (JSC's /_lab/threats) makes real events: the events module is graded, and the
      // disabled-stream check gets its event although JSC refuses to verify a disabled stream.
      expect(
        checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.reason}`),
        summary(checks),
      ).toEqual([
        'transmitter-retries-after-a-timeout: the timeout case is off (retry.timeoutCase: false, the default, to keep the plan fast)',
      ]);
      expect(checks.filter((c) => c.module === 'events' && c.status === 'passed')).toHaveLength(10);
      // Each threat it raised was resolved when its module ended.
      const undone = record.plans
        .flatMap((p) => p.modules.flatMap((m) => m.cleanup))
        .filter((c) => c.what.startsWith('undo the event trigger'));
      expect(undone.map((c) => c.ok)).toEqual([true, true]);
    });
  }
});

/**
 * A transmitter that gets things wrong: the metadata `issuer` has a trailing slash, create answers 200,
 * reads without stream_id answer an object, and no request is ever refused for its token.
 */
async function brokenTransmitter() {
  const app = Fastify();
  const streams = new Map<string, Record<string, unknown>>();
  let base = '';
  app.get('/.well-known/ssf-configuration/tx', async () => ({
    issuer: `${base}/tx/`,
    jwks_uri: `${base}/tx/jwks`,
    delivery_methods_supported: ['urn:ietf:rfc:8936'],
    critical_subject_members: [],
    configuration_endpoint: `${base}/tx/streams`,
  }));
  app.get('/tx/jwks', async () => ({ keys: [] }));
  app.post('/tx/streams', async (request, reply) => {
    const id = `s${streams.size + 1}`;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const stream = {
      stream_id: id,
      iss: `${base}/tx`,
      aud: 'x',
      events_delivered: [],
      delivery: body.delivery ?? { method: 'urn:ietf:rfc:8936' },
    };
    streams.set(id, stream);
    return reply.code(200).send(stream);
  });
  app.get('/tx/streams', async (request) => {
    const id = (request.query as Record<string, string>).stream_id;
    return id === undefined ? ([...streams.values()][0] ?? {}) : (streams.get(id) ?? {});
  });
  app.delete('/tx/streams', async (request, reply) => {
    streams.delete((request.query as Record<string, string>).stream_id ?? '');
    return reply.code(204).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { app, issuer: `${base}/tx` };
}

test('the plan fails a transmitter that gets things wrong', async () => {
  const { app, issuer } = await brokenTransmitter();
  try {
    const signal = new AbortController().signal;
    const timeline = new Timeline({ services: new Map() });
    const served: { close(): Promise<void> }[] = [];
    const record = await runPlans(
      [
        {
          plan: ssfTransmitterPlan,
          options: { issuer, token: 't', allowHttp: true, eventTimeoutMs: 500, quietWindowMs: 50 },
        },
      ],
      {
        target: { name: 'broken', kind: 'file' },
        toolVersion: 'test',
        context: {
          fetch: timeline.recording(fetch, 'harness'),
          serve: async (_name, endpoint) => {
            await endpoint.listen({ host: '127.0.0.1', port: 0 });
            served.push(endpoint);
            const a = endpoint.server.address();
            return {
              url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
              detach: () => endpoint.close(),
            };
          },
          timeline,
          now: () => Date.now(),
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          signal,
        },
      },
    );
    const failed = new Set(
      checksOf(record)
        .filter((c) => c.status === 'failed')
        .map((c) => c.id),
    );
    for (const id of [
      'transmitter-metadata-issuer-is-identical',
      'transmitter-metadata-has-no-empty-arrays',
      'transmitter-metadata-publishes-a-jwks',
      'transmitter-metadata-publishes-management-endpoints',
      'transmitter-create-answers-201',
      'transmitter-read-all-returns-an-array',
      'transmitter-refuses-requests-without-a-token',
      'transmitter-refuses-requests-with-a-wrong-token',
    ])
      expect(failed, summary(checksOf(record))).toContain(id);
    expect(record.passed).toBe(false);
    await Promise.allSettled(served.map((s) => s.close()));
  } finally {
    await app.close();
  }
});

/**
 * The events module needs a target with a test hook that makes it emit (the lab's is JSC's
 * `/_lab/threats`, above). Here the bare reference transmitter gets such a hook (`POST /tx/_test/emit`),
 * everything wired with inject (no sockets).
 */
test("the events module grades an event made by the target's trigger", async () => {
  const issuer = 'https://tx.test/tx';
  const routes = new Map<string, Injectable>();
  const injectFetch = createInjectFetch(routes);
  const tx = new Transmitter({
    issuer,
    signingKey: (await generateSigningKey('RS256')).key,
    eventsSupported: [EVENT_URIS.deviceComplianceChange],
    receivers: [{ id: 'rx', audience: 'urn:rx', tokens: ['rx-token'] }],
    fetch: injectFetch,
  });
  const app = Fastify();
  await app.register(ssfTransmitterPlugin, { transmitter: tx });
  app.post('/tx/_test/emit', async (_request, reply) => {
    await tx.emit({
      eventType: EVENT_URIS.deviceComplianceChange,
      payload: {
        event_timestamp: Math.floor(Date.now() / 1000),
        previous_status: 'compliant',
        current_status: 'not-compliant',
        initiating_entity: 'policy',
        reason_admin: { en: 'test' },
      },
      subject: { format: 'email', email: 'user@example.com' },
    });
    return reply.code(202).send();
  });
  routes.set('https://tx.test', app);
  const timeline = new Timeline({ services: new Map() });
  try {
    const record = await runPlans(
      [
        {
          plan: { ...ssfTransmitterPlan, modules: [eventsModule] },
          options: {
            issuer,
            token: 'rx-token',
            eventTrigger: {
              method: 'POST',
              url: `${issuer}/_test/emit`,
              eventType: EVENT_URIS.deviceComplianceChange,
            },
            eventTimeoutMs: 3000,
          },
        },
      ],
      {
        target: { name: 'reference transmitter', kind: 'file' },
        toolVersion: 'test',
        context: {
          fetch: timeline.recording(injectFetch, 'harness'),
          serve: async (name, endpoint) => {
            const origin = `https://${name}.harness.test`;
            routes.set(origin, endpoint);
            return { url: origin, detach: async () => void routes.delete(origin) };
          },
          timeline,
          now: () => Date.now(),
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          signal: new AbortController().signal,
        },
      },
    );
    const checks = checksOf(record);
    expect(
      checks.filter((c) => c.status !== 'passed'),
      summary(checks),
    ).toEqual([]);
    expect(tx.streams()).toEqual([]);
  } finally {
    tx.close();
    await app.close();
  }
});
