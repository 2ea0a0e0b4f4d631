/**
 * The reference transmitter and receiver talking to each other over real loopback HTTP, in push and in
 * poll mode: discovery, the management API through the stream client, verification, an outage with
 * 503s and a timeout after which every event arrives and is processed exactly once, Retry-After, key
 * rotation mid-stream, paused/disabled streams, and two receivers isolated from each other.
 * Transmitter timers run in virtual time; the sockets are real, so waits for I/O use `vi.waitFor`.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { EVENT_URIS, generateSigningKey } from '../protocol/index.ts';
import { type Interop, pushConfigFor, startInterop, streamIdOf } from './interop.testing.ts';
import { SsfHttpError, startPolling } from './receiver/index.ts';
import type { SetRecord } from './transmitter/index.ts';

let lab: Interop;
afterEach(async () => {
  await lab.close();
});

const revoke = (email: string, txn?: string) => ({
  eventType: EVENT_URIS.sessionRevoked,
  payload: { event_timestamp: 1767225590, reason_admin: { en: 'signed out by policy' } },
  subject: { format: 'email', email },
  ...(txn === undefined ? {} : { txn }),
});

const waitFor = (fn: () => void): Promise<void> => vi.waitFor(fn, { timeout: 5000, interval: 10 });

/** Moves virtual time in small steps, letting the real sockets work in between, until `done`. */
async function drive(lab: Interop, done: () => boolean, stepMs = 1000, maxSteps = 600): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) {
    await lab.scheduler.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test('push: discovery, stream creation, a solicited verification and events reach the receiver', async () => {
  lab = await startInterop();
  const config = await lab.a.client.createStream(pushConfigFor('a'));
  expect(config.iss).toBe('https://tx.ssf-lab.test/tenant-1');
  const state = await lab.a.client.requestVerification(config.stream_id);
  await waitFor(() => expect(lab.a.processed.map((s) => s.eventTypes[0])).toEqual([EVENT_URIS.verification]));
  expect(lab.a.processed[0]?.claims.events).toEqual({ [EVENT_URIS.verification]: { state } });
  for (const txn of ['e1', 'e2', 'e3']) await lab.transmitter.emit(revoke('pat@acme.example', txn));
  await waitFor(() => expect(lab.a.processed).toHaveLength(4));
  expect(lab.a.processed.slice(1).map((s) => s.claims.txn)).toEqual(['e1', 'e2', 'e3']);
  expect(lab.a.intake.stats).toMatchObject({ accepted: 4, rejected: 0, duplicates: 0 });
  await waitFor(() => expect(lab.transmitter.ledger.counts().delivered).toBe(4));
});

test('poll: the receiver polls, processes and acks; the transmitter forgets acked SETs', async () => {
  lab = await startInterop();
  const config = await lab.a.client.createStream({});
  expect(config.delivery.method).toBe('urn:ietf:rfc:8936');
  const polling = startPolling({
    endpointUrl: (config.delivery as { endpoint_url: string }).endpoint_url,
    authorization: 'Bearer mgmt-a',
    intake: lab.a.intake,
    fetch: lab.fetch,
    scheduler: lab.scheduler,
    intervalMs: 1000,
  });
  const records = [
    ...(await lab.transmitter.emit(revoke('pat@acme.example', 'p1'))),
    ...(await lab.transmitter.emit(revoke('kim@acme.example', 'p2'))),
  ];
  await drive(lab, () => records.every((r) => r.state === 'acked'));
  expect(records.map((r) => r.state)).toEqual(['acked', 'acked']);
  expect(lab.a.processed.map((s) => s.claims.txn)).toEqual(['p1', 'p2']);
  expect(lab.a.processed.every((s) => s.via === 'poll')).toBe(true);
  polling.stop();
  await polling.done;
});

test('an outage of 503s and a timed-out answer ends with every event processed exactly once, none lost', async () => {
  lab = await startInterop();
  await lab.a.client.createStream(pushConfigFor('a'));
  // The first push is processed but its answer comes too late; then three 503s; then the receiver is up.
  lab.a.holdReplies = 1;
  lab.a.modes.push(
    { kind: 'up' },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 503 },
  );
  const records: SetRecord[] = [];
  for (const txn of ['o1', 'o2', 'o3', 'o4', 'o5'])
    records.push(...(await lab.transmitter.emit(revoke('pat@acme.example', txn))));
  await waitFor(() => expect(lab.a.intake.stats.accepted).toBe(1));
  await drive(lab, () => records.every((r) => r.state === 'delivered'));
  lab.a.release();
  expect(records.map((r) => r.state)).toEqual([
    'delivered',
    'delivered',
    'delivered',
    'delivered',
    'delivered',
  ]);
  expect(records[0]?.attempts.map((a) => a.error ?? a.status)).toEqual(['timeout', 503, 503, 503, 202]);
  // Redelivery is answered 202 again, and its side effect happened once.
  expect(lab.a.intake.stats).toMatchObject({ accepted: 5, duplicates: 1, rejected: 0 });
  expect(lab.a.processed.map((s) => s.claims.txn)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
});

test('a 429 with Retry-After from the receiver is honoured before the next attempt', async () => {
  lab = await startInterop();
  await lab.a.client.createStream(pushConfigFor('a'));
  lab.a.modes.push({ kind: 'status', status: 429, headers: { 'retry-after': '20' } });
  const [record] = await lab.transmitter.emit(revoke('pat@acme.example'));
  await waitFor(() => expect(record?.attempts).toHaveLength(1));
  const first = record?.attempts[0]?.at ?? 0;
  await drive(lab, () => record?.state === 'delivered', 1000);
  expect(record?.attempts.map((a) => a.status)).toEqual([429, 202]);
  expect((record?.attempts[1]?.at ?? 0) - first).toBeGreaterThanOrEqual(20_000);
});

test('a key rotation mid-stream keeps working: the receiver refetches the JWKS for the new kid', async () => {
  lab = await startInterop();
  await lab.a.client.createStream(pushConfigFor('a'));
  await lab.transmitter.emit(revoke('pat@acme.example', 'before'));
  await waitFor(() => expect(lab.a.processed).toHaveLength(1));
  // Past the receiver's refetch cooldown, the transmitter starts signing with a new key.
  await lab.scheduler.advance(60_000);
  lab.transmitter.rotateKey((await generateSigningKey('RS256', { kid: 'tx-2' })).key);
  await lab.transmitter.emit(revoke('pat@acme.example', 'after'));
  await waitFor(() => expect(lab.a.processed).toHaveLength(2));
  expect(lab.a.processed[1]?.header.kid).toBe('tx-2');
  expect(lab.a.intake.stats.rejected).toBe(0);
});

test('a paused stream holds events until re-enabled; a disabled one drops them', async () => {
  lab = await startInterop();
  const id = streamIdOf(await lab.a.client.createStream(pushConfigFor('a')));
  await lab.a.client.updateStatus(id, 'paused');
  await lab.transmitter.emit(revoke('pat@acme.example', 'held-1'));
  await lab.transmitter.emit(revoke('pat@acme.example', 'held-2'));
  await drive(lab, () => false, 1000, 5);
  expect(lab.a.processed).toHaveLength(0);
  await lab.a.client.updateStatus(id, 'enabled');
  await waitFor(() => expect(lab.a.processed.map((s) => s.claims.txn)).toEqual(['held-1', 'held-2']));
  await lab.a.client.updateStatus(id, 'disabled');
  const [dropped] = await lab.transmitter.emit(revoke('pat@acme.example', 'lost-on-purpose'));
  await lab.a.client.updateStatus(id, 'enabled');
  await drive(lab, () => false, 1000, 5);
  expect(lab.a.processed).toHaveLength(2);
  expect(dropped?.state).toBe('dropped');
  expect(await lab.a.client.getStatus(id)).toEqual({ stream_id: id, status: 'enabled' });
});

test('two receivers are isolated: each sees only its own streams and gets SETs addressed to it', async () => {
  lab = await startInterop();
  const idA = streamIdOf(await lab.a.client.createStream(pushConfigFor('a')));
  const idB = streamIdOf(await lab.b.client.createStream(pushConfigFor('b')));
  expect((await lab.a.client.listStreams()).map((s) => s.stream_id)).toEqual([idA]);
  expect((await lab.b.client.listStreams()).map((s) => s.stream_id)).toEqual([idB]);
  await expect(lab.b.client.getStream(idA)).rejects.toMatchObject({ status: 404 });
  await expect(lab.b.client.deleteStream(idA)).rejects.toBeInstanceOf(SsfHttpError);
  await lab.transmitter.emit(revoke('pat@acme.example'));
  await waitFor(() => expect([lab.a.processed.length, lab.b.processed.length]).toEqual([1, 1]));
  expect(lab.a.processed[0]?.claims.aud).toBe('https://rx.ssf-lab.test/a');
  expect(lab.b.processed[0]?.claims.aud).toBe('https://rx.ssf-lab.test/b');
});

test('the stream client drives the whole management API of the transmitter', async () => {
  lab = await startInterop();
  const created = await lab.a.client.createStream({ ...pushConfigFor('a'), description: 'first' });
  const id = created.stream_id;
  expect(await lab.a.client.getStream(id)).toEqual(created);
  const patched = await lab.a.client.updateStream({
    stream_id: id,
    events_requested: [EVENT_URIS.credentialChange],
  });
  expect('pending' in patched ? undefined : patched.events_delivered).toEqual([EVENT_URIS.credentialChange]);
  const replaced = await lab.a.client.replaceStream({ stream_id: id, delivery: created.delivery });
  expect('pending' in replaced ? undefined : replaced.description).toBeUndefined();
  await lab.a.client.addSubject(id, { format: 'email', email: 'pat@acme.example' });
  await lab.a.client.removeSubject(id, { format: 'email', email: 'pat@acme.example' });
  expect(await lab.transmitter.emit(revoke('pat@acme.example'))).toEqual([]);
  await lab.a.client.deleteStream(id);
  expect(await lab.a.client.listStreams()).toEqual([]);
});
