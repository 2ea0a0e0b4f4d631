/**
 * SSF engine benchmarks, each checked against the baseline the issue names, measured in the same run:
 * - push deliveries per second, transmitter → receiver (its own process) over loopback with RS256, next
 *   to raw jose sign at the same concurrency, 16 in flight (issue 17 item 3: ≥ 0.8×; issue 3 asked 0.6×);
 * - the reference receiver (push endpoint + intake) under concurrent load from a second process, next to
 *   a bare fastify endpoint that only runs jose's compactVerify under the same load (issue 17 item 2:
 *   ≥ 0.95×).
 * Context rows separate the engines' own cost from the HTTP transport's: the transmitter's CPU per SET
 * with a no-op transport next to raw signing, CPU per delivered SET on each side of the push, and the
 * receiver next to raw in-process verify and to a no-op endpoint. On two cores, Node's HTTP client and
 * server cost more per SET than an RSA-2048 verification, and in the push benchmark the receiver process
 * shares the cores with the transmitter: both show in the rows.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { CompactSign, compactVerify, importJWK } from 'jose';
import {
  buildEventSet,
  EVENT_URIS,
  generateSigningKey,
  jwksFromObject,
  publicJwks,
  type SigningKey,
  signSet,
} from '../protocol/index.ts';
import { createHttpFetch, SetIntake, ssfPushEndpoint, Transmitter } from '../ssf/index.ts';
import { median, type Row, timedPool } from './measure.ts';

const ISSUER = 'https://tx.bench.test/t1';
const AUDIENCE = 'https://rx.bench.test';

function claimsFor(i: number): Record<string, unknown> {
  return buildEventSet({
    iss: ISSUER,
    aud: AUDIENCE,
    eventType: EVENT_URIS.sessionRevoked,
    payload: { event_timestamp: 1767225590, reason_admin: { en: 'bench' } },
    subject: { format: 'email', email: `user${i}@acme.example` },
    txn: `txn-${i}`,
  });
}

async function startReceiver(
  key: SigningKey,
): Promise<{ url: string; intake: SetIntake; close(): Promise<void> }> {
  const intake = new SetIntake({
    profile: 'ssf',
    keys: jwksFromObject(publicJwks(key)),
    expectedIssuer: ISSUER,
    expectedAudience: AUDIENCE,
  });
  const app = Fastify();
  await app.register(ssfPushEndpoint, { path: '/push', intake });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/push`, intake, close: () => app.close() };
}

/** Raw jose signing of the same kind of SET, `count` of them with `inFlight` at a time: signs per second. */
async function rawSignRate(key: SigningKey, count: number, inFlight: number): Promise<number> {
  const encoder = new TextEncoder();
  const ms = await timedPool(count, inFlight, (i) =>
    new CompactSign(encoder.encode(JSON.stringify(claimsFor(i))))
      .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid: key.kid })
      .sign(key.privateKey),
  );
  return (count * 1000) / ms;
}

interface ReceiverProcess {
  readonly url: string;
  /** SETs accepted and CPU used (µs) so far. */
  stats(): Promise<{ accepted: number; cpuUs: number }>;
  stop(): void;
}

/** The receiver runs in its own process, as a separate party would: transmitter and receiver share only the machine. */
async function startReceiverProcess(key: SigningKey): Promise<ReceiverProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'receiver-server.js');
  const child = spawn(process.execPath, [script, JSON.stringify(key.publicJwk), ISSUER, AUDIENCE], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<{ url: string; stats: string }>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { url: string; stats: string }),
    );
  });
  return {
    url: info.url,
    stats: async () => (await (await fetch(info.stats)).json()) as { accepted: number; cpuUs: number },
    stop: () => child.kill('SIGTERM'),
  };
}

/** Emits `count` events and waits until the transmitter has pushed them all: deliveries per second. */
async function pushRate(transmitter: Transmitter, count: number, inFlight: number): Promise<number> {
  const before = transmitter.ledger.totals().delivered;
  const start = performance.now();
  await timedPool(count, inFlight, (i) =>
    transmitter.emit({
      eventType: EVENT_URIS.sessionRevoked,
      payload: { event_timestamp: 1767225590, reason_admin: { en: 'bench' } },
      subject: { format: 'email', email: `user${i}@acme.example` },
    }),
  );
  const settled = (): number =>
    transmitter.ledger.totals().delivered + transmitter.ledger.totals()['dead-lettered'] - before;
  while (settled() < count) await new Promise((resolve) => setTimeout(resolve, 2));
  const ms = performance.now() - start;
  if (transmitter.ledger.totals()['dead-lettered'] > 0)
    throw new Error('push bench: SETs were dead-lettered');
  return (count * 1000) / ms;
}

/** CPU per SET of the transmitter (emit, sign, ledger, push bookkeeping) with a transport that answers 202 at once. */
async function transmitterCpuRatio(key: SigningKey): Promise<{ transmitterUs: number; signUs: number }> {
  const transmitter = new Transmitter({
    issuer: ISSUER,
    signingKey: key,
    eventsSupported: [EVENT_URIS.sessionRevoked],
    receivers: [{ id: 'rx', audience: AUDIENCE, tokens: ['t'] }],
    pushConcurrency: 32,
    fetch: async () => new Response(null, { status: 202 }),
  });
  transmitter.createStream('rx', {
    delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://rx.bench.test/push' },
  });
  const count = 2000;
  const cpu = async (work: () => Promise<unknown>): Promise<number> => {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / count;
  };
  await pushRate(transmitter, count, 16); // warm-up
  const transmitterUs = median([
    await cpu(() => pushRate(transmitter, count, 16)),
    await cpu(() => pushRate(transmitter, count, 16)),
  ]);
  const signUs = median([
    await cpu(() => rawSignRate(key, count, 16)),
    await cpu(() => rawSignRate(key, count, 16)),
  ]);
  transmitter.close();
  return { transmitterUs, signUs };
}

/** CPU (µs, user + system) of this process while `work` runs. */
async function withCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuUs: number }> {
  const start = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(start);
  return { result, cpuUs: used.user + used.system };
}

/** Raw node:crypto RS256 signing, as the transmitter now signs: context for the jose baseline. */
async function nodeSignRate(key: SigningKey, count: number, inFlight: number): Promise<number> {
  const ms = await timedPool(count, inFlight, (i) => signSet(claimsFor(i), key));
  return (count * 1000) / ms;
}

export async function pushDeliveryBench(): Promise<Row[]> {
  const { key } = await generateSigningKey('RS256', { kid: 'bench-tx' });
  const receiver = await startReceiverProcess(key);
  const transmitter = new Transmitter({
    issuer: ISSUER,
    signingKey: key,
    eventsSupported: [EVENT_URIS.sessionRevoked],
    receivers: [{ id: 'rx', audience: AUDIENCE, tokens: ['t'] }],
    pushConcurrency: 32,
    fetch: createHttpFetch(),
  });
  transmitter.createStream('rx', { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.url } });
  try {
    const count = 1000;
    const inFlight = 16;
    // Warm-up: JIT in both processes, connection pools and the thread pool.
    await rawSignRate(key, 500, inFlight);
    await pushRate(transmitter, 2000, inFlight);
    const signs: number[] = [];
    const pushes: number[] = [];
    const ratios: number[] = [];
    const nodeSigns: number[] = [];
    let signCpuUs = 0;
    let txCpuUs = 0;
    let rxCpuUs = 0;
    for (let round = 0; round < 5; round++) {
      const s = await withCpu(() => rawSignRate(key, count, inFlight));
      const rxBefore = (await receiver.stats()).cpuUs;
      const p = await withCpu(() => pushRate(transmitter, count, inFlight));
      rxCpuUs += (await receiver.stats()).cpuUs - rxBefore;
      nodeSigns.push(await nodeSignRate(key, count, inFlight));
      signCpuUs += s.cpuUs;
      txCpuUs += p.cpuUs;
      signs.push(s.result);
      pushes.push(p.result);
      ratios.push(p.result / s.result);
    }
    const { accepted } = await receiver.stats();
    const sent = transmitter.ledger.totals().delivered;
    if (accepted !== sent)
      throw new Error(`push bench: receiver accepted ${accepted} of ${sent} delivered SETs`);
    const ratio = median(ratios);
    const perSet = (us: number): number => us / (5 * count);
    // Both processes share the machine's cores: when the push is CPU-bound, the most it can reach is raw
    // sign's CPU per SET over the CPU both sides spend per delivered SET.
    const ceiling = perSet(signCpuUs) / (perSet(txCpuUs) + perSet(rxCpuUs));
    const own = await transmitterCpuRatio(key);
    return [
      { measure: 'raw jose sign, RS256, 16 in flight (baseline)', value: `${median(signs).toFixed(0)}/s` },
      {
        measure: 'push deliveries transmitter → receiver process, loopback, RS256, 16 in flight',
        value: `${median(pushes).toFixed(0)}/s`,
        ratio: `${ratio.toFixed(2)}×`,
        target: '≥ 0.80×',
        ok: ratio >= 0.8,
      },
      {
        measure: 'context: raw node:crypto sign (how the transmitter signs) ÷ raw jose sign',
        value: `${median(nodeSigns).toFixed(0)}/s`,
        ratio: `${(median(nodeSigns) / median(signs)).toFixed(2)}×`,
      },
      {
        measure: 'context: CPU per delivered SET, transmitter + receiver process, vs raw jose sign',
        value: `${perSet(txCpuUs).toFixed(0)} + ${perSet(rxCpuUs).toFixed(0)} µs vs ${perSet(signCpuUs).toFixed(0)} µs`,
        ratio: `${ceiling.toFixed(2)}× ceiling`,
      },
      {
        // Near 1: the pipeline (scheduling, queueing, awaiting) loses little; the rest is CPU on both sides.
        measure: 'context: push ratio ÷ that CPU ceiling (what the pipeline itself loses)',
        value: `${ratio.toFixed(2)}× of ${ceiling.toFixed(2)}×`,
        ratio: `${(ratio / ceiling).toFixed(2)}×`,
      },
      {
        measure: 'context: raw-sign CPU ÷ transmitter CPU per SET, no-op transport',
        value: `${own.transmitterUs.toFixed(0)} µs vs ${own.signUs.toFixed(0)} µs`,
        ratio: `${(own.signUs / own.transmitterUs).toFixed(2)}×`,
      },
    ];
  } finally {
    transmitter.close();
    receiver.stop();
  }
}

function runLoadClient(
  url: string,
  file: string,
  inFlight: number,
): Promise<{ count: number; ms: number; statuses: Record<string, number> }> {
  const here = dirname(fileURLToPath(import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'load-client.js'), url, file, String(inFlight)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load client exited with ${code}`));
      else resolve(JSON.parse(out) as { count: number; ms: number; statuses: Record<string, number> });
    });
  });
}

/** A bare endpoint that only verifies with jose: the transport-equal baseline for the receiver. */
async function startRawVerifyEndpoint(key: SigningKey): Promise<{ url: string; close(): Promise<void> }> {
  const publicKey = await importJWK(key.publicJwk, 'RS256');
  const app = Fastify();
  app.addContentTypeParser('application/secevent+jwt', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/push', async (request, reply) => {
    await compactVerify(request.body as string, publicKey);
    return reply.code(202).send();
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/push`, close: () => app.close() };
}

/** The HTTP ceiling: an endpoint that answers 202 without even reading the SET. */
async function startNoopEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify();
  app.addContentTypeParser('application/secevent+jwt', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/push', async (_request, reply) => reply.code(202).send());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/push`, close: () => app.close() };
}

async function loadRate(
  endpoint: { url: string; close(): Promise<void> },
  file: string,
  count: number,
): Promise<number> {
  const result = await runLoadClient(endpoint.url, file, 32);
  await endpoint.close();
  if (result.statuses['202'] !== count)
    throw new Error(`load run: statuses ${JSON.stringify(result.statuses)}`);
  return (count * 1000) / result.ms;
}

export async function receiverLoadBench(): Promise<Row[]> {
  const { key } = await generateSigningKey('RS256', { kid: 'bench-tx' });
  // Many short interleaved rounds rather than a few long ones: on a shared machine, load from elsewhere
  // comes in bursts of seconds, and the median of nine adjacent pairs shrugs off more of it.
  const count = 1500;
  const rounds = 9;
  const tokens: string[] = [];
  await timedPool(count, 16, async (i) => {
    tokens[i] = await signSet(claimsFor(i), key);
  });
  const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-bench-'));
  const file = join(dir, 'sets.txt');
  writeFileSync(file, `${tokens.join('\n')}\n`);
  const publicKey = await importJWK(key.publicJwk, 'RS256');
  try {
    await loadRate(await startRawVerifyEndpoint(key), file, count); // warm-up
    const bare: number[] = [];
    const ours: number[] = [];
    const ratios: number[] = [];
    const ceiling: number[] = [];
    for (let round = 0; round < rounds; round++) {
      ceiling.push(await loadRate(await startNoopEndpoint(), file, count));
      const runOurs = async (): Promise<number> => {
        const receiver = await startReceiver(key);
        const rate = await loadRate(receiver, file, count);
        if (receiver.intake.stats.accepted !== count)
          throw new Error(`receiver accepted ${receiver.intake.stats.accepted} of ${count}`);
        return rate;
      };
      const runBare = async (): Promise<number> => loadRate(await startRawVerifyEndpoint(key), file, count);
      // Which goes first alternates, so neither always meets the other engineers' load spikes second.
      const [baseline, rate] =
        round % 2 === 0
          ? [await runBare(), await runOurs()]
          : await runOurs().then(async (r) => [await runBare(), r] as const);
      bare.push(baseline);
      ours.push(rate);
      ratios.push(rate / baseline);
    }
    const inProcessMs = await timedPool(count, 16, (i) => compactVerify(tokens[i] as string, publicKey));
    const inProcess = (count * 1000) / inProcessMs;
    const ratio = median(ratios);
    return [
      {
        measure: 'bare fastify + jose compactVerify endpoint under load from a second process (baseline)',
        value: `${median(bare).toFixed(0)}/s`,
      },
      {
        measure: 'receiver (push endpoint + intake) ÷ the bare endpoint, same HTTP load, 32 in flight',
        value: `${median(ours).toFixed(0)}/s`,
        ratio: `${ratio.toFixed(2)}×`,
        target: '≥ 0.95×',
        ok: ratio >= 0.95,
      },
      {
        // Issue 3's literal comparison, kept for context: the load client takes a core of the two, and an
        // endpoint that does nothing at all under the same load stays far below raw in-process verify.
        measure: 'context: receiver under load ÷ raw jose verify, RS256, in-process, 16 in flight',
        value: `${inProcess.toFixed(0)}/s raw`,
        ratio: `${(median(ours) / inProcess).toFixed(2)}×`,
      },
      {
        measure: 'context: HTTP ceiling, a no-op 202 endpoint under the same load, ÷ the bare endpoint',
        value: `${median(ceiling).toFixed(0)}/s no-op`,
        ratio: `${(median(ceiling) / median(bare)).toFixed(2)}×`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
