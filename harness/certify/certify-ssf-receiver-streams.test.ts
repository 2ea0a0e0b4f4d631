/**
 * The ssf-receiver plan's stream-management module against a receiver built from the reference receiver
 * engine (discovery, stream client, push endpoint), over real loopback sockets: the receiver discovers
 * the harness transmitter, creates a push stream to its own endpoint, requests a verification and deletes
 * the stream — every check passes. Then the proof it can fail: the same receiver answering 400 to every
 * push fails both verification checks.
 *
 * How the receiver learns the issuer: as a real one does, from configuration made before the run. The
 * harness transmitter's issuer is the public URL the harness is reached at plus `issuerPath`, both fixed
 * in the options, so it is known up front; the receiver starts when the module starts (the run's
 * `module-start` event, standing in for the person who starts their receiver when told to) and retries
 * discovery until the transmitter answers. A tunnel is simulated by mapping the https public origin to the
 * harness's loopback port.
 */
import { createServer } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { expect, test } from 'vitest';
import { type PlanRun, runPlans } from '../../suites/core/index.ts';
import { ssfReceiverPlan } from '../../suites/ssf-receiver/index.ts';
import { EVENT_URIS, generateSigningKey, jwksFromUrl, type TransmitterMetadata } from '../protocol/index.ts';
import { type CertificationRecord, type CheckResult, checksOf } from '../records/index.ts';
import {
  discoverTransmitter,
  type ReceivedSet,
  SetIntake,
  SsfStreamClient,
  ssfPushEndpoint,
  VerificationStates,
} from '../ssf/index.ts';
import { remoteContext } from './engine.ts';

const PUBLIC_URL = 'https://harness.ssf-lab.test';
const ISSUER_PATH = '/ssf-transmitter';
const ISSUER = `${PUBLIC_URL}${ISSUER_PATH}`;
const TOKEN = 'receiver-mgmt-token-4b1d';
const AUDIENCE = 'https://receiver.ssf-lab.test';

/** Only the module under test: the push-battery modules are graded in certify-ssf-receiver.test.ts. */
const streamPlan: PlanRun['plan'] = {
  ...ssfReceiverPlan,
  modules: ssfReceiverPlan.modules.filter((m) => m.id === 'stream-management'),
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The tunnel: requests for the public origin go to the harness's loopback port. */
function tunnelFetch(port: number): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.origin !== PUBLIC_URL) return fetch(url, init);
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
}

async function until<T>(what: string, look: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      const value = await look();
      if (value !== undefined) return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A receiver under test: the reference engine's discovery, stream client and push endpoint. With
 * `refuseEverything` its push endpoint answers 400 to every SET instead (the stream is still managed).
 */
async function runReceiver(fetchVia: typeof fetch, refuseEverything: boolean): Promise<void> {
  const metadata: TransmitterMetadata = await until('the harness transmitter', () =>
    discoverTransmitter(ISSUER, { fetch: fetchVia }),
  );
  const verification = new VerificationStates();
  const processed: ReceivedSet[] = [];
  let pushes = 0;
  const app: FastifyInstance = Fastify();
  if (refuseEverything) {
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.post('/ssf/push', async (_request, reply) => {
      pushes += 1;
      return reply.code(400).header('content-language', 'en').send({ err: 'invalid_request' });
    });
  } else {
    const intake = new SetIntake({
      profile: 'ssf',
      keys: jwksFromUrl(metadata.jwks_uri ?? '', { fetch: fetchVia }),
      expectedIssuer: ISSUER,
      expectedAudience: AUDIENCE,
      verification,
      onSet: (set) => {
        pushes += 1;
        processed.push(set);
      },
    });
    await app.register(ssfPushEndpoint, { path: '/ssf/push', intake });
  }
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const client = new SsfStreamClient({ metadata, auth: { bearer: TOKEN }, fetch: fetchVia, verification });
    const stream = await client.createStream({
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `${address}/ssf/push` },
      events_requested: [EVENT_URIS.sessionRevoked],
    });
    const state = await client.requestVerification(stream.stream_id);
    // Both Verification events arrived (the harness's own, stateless, and the answer to this request)
    // before the receiver leaves; refusing everything, it waits for three pushes instead (those two and
    // the one with a state it never asked for).
    const states = (): (string | undefined)[] =>
      processed.flatMap((s) => {
        const event = (s.claims.events as Record<string, { state?: string }>)[EVENT_URIS.verification];
        return event === undefined ? [] : [event.state];
      });
    await until(
      'both verification events',
      () =>
        (refuseEverything ? pushes >= 3 : states().includes(state) && states().includes(undefined)) ||
        undefined,
    );
    await client.deleteStream(stream.stream_id);
  } finally {
    await app.close();
  }
}

async function certify(refuseEverything: boolean): Promise<CertificationRecord> {
  const { privateJwk } = await generateSigningKey('RS256');
  const port = await freePort();
  const remote = remoteContext({
    signal: new AbortController().signal,
    publicUrl: PUBLIC_URL,
    listenPort: port,
  });
  let receiver: Promise<void> | undefined;
  try {
    const record = await runPlans(
      [
        {
          plan: streamPlan,
          options: {
            pushEndpoint: 'https://receiver.ssf-lab.test/unused',
            audience: AUDIENCE,
            issuer: 'https://harness.ssf-lab.test/unused',
            privateJwk,
            streamManagement: {
              token: TOKEN,
              waitMs: 10_000,
              expect: ['create', 'verify', 'delete'],
              issuerPath: ISSUER_PATH,
            },
          },
        },
      ],
      {
        target: { name: 'reference receiver', kind: 'file' },
        toolVersion: 'test',
        context: remote.context,
        onEvent: (event) => {
          if (event.type === 'module-start' && event.module === 'stream-management')
            receiver = runReceiver(tunnelFetch(port), refuseEverything);
        },
      },
    );
    await receiver;
    return record;
  } finally {
    await remote.close();
  }
}

function byId(record: CertificationRecord): Map<string, CheckResult> {
  return new Map(checksOf(record).map((c) => [c.id, c]));
}

const IDS = [
  'receiver-creates-its-stream',
  'receiver-accepts-unsolicited-verification',
  'receiver-requests-verification',
  'receiver-accepts-solicited-verification',
  'receiver-refuses-wrong-state',
  'receiver-deletes-its-stream',
];

test('a receiver built on the reference engine manages its stream and passes every check', {
  timeout: 15_000,
}, async () => {
  const record = await certify(false);
  const checks = byId(record);
  const bad = [...checks.values()]
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map((c) => `${c.id}: ${c.reason ?? c.findings.map((f) => f.message).join('; ')}`);
  expect(bad).toEqual([]);
  for (const id of IDS) expect(checks.get(id)?.status, id).toBe('passed');
  expect(record.passed).toBe(true);
  const module = record.plans[0]?.modules[0];
  expect(module?.cleanup).toEqual([{ what: 'stop serving the harness transmitter', ok: true }]);
  // The pushes went through the context, so the module's timeline shows the three Verification events: the
  // harness's own without "state" and the one echoing the receiver's, each answered 202, and the one with
  // a state the receiver never asked for, refused with 400.
  const verifications = (module?.exchanges ?? []).flatMap((e) => {
    const events = e.set?.claims?.events as Record<string, { state?: string }> | undefined;
    const event = events?.[EVENT_URIS.verification];
    return event === undefined ? [] : [{ state: event.state, status: e.status }];
  });
  expect(verifications).toHaveLength(3);
  expect(verifications).toEqual(
    expect.arrayContaining([
      { state: undefined, status: 202 },
      { state: expect.any(String), status: 202 },
      { state: expect.stringMatching(/^ssf-lab-never-asked-/), status: 400 },
    ]),
  );
});

test('a receiver that refuses every push fails both verification checks', { timeout: 15_000 }, async () => {
  const record = await certify(true);
  const checks = byId(record);
  expect(checks.get('receiver-creates-its-stream')?.status).toBe('passed');
  expect(checks.get('receiver-requests-verification')?.status).toBe('passed');
  expect(checks.get('receiver-deletes-its-stream')?.status).toBe('passed');
  for (const id of ['receiver-accepts-unsolicited-verification', 'receiver-accepts-solicited-verification']) {
    expect(checks.get(id)?.status, id).toBe('failed');
    expect(checks.get(id)?.findings[0]?.message, id).toMatch(/HTTP 400/);
  }
  expect(record.passed).toBe(false);
});
