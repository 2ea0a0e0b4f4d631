/**
 * Nothing lost: every SET ends in a terminal state even when its stream goes away under it — deleted or
 * disabled while the SET waits for a retry or is on the wire — and a late answer cannot move it back.
 * Also the Retry-After cap and its visible stall, dropAllHeld, the per-receiver stream limit and the
 * ledger's count of what it forgot. Virtual time throughout.
 */
import { afterEach, expect, test } from 'vitest';
import { EVENT_URIS } from '../../protocol/index.ts';
import { SetLedger, type SetRecord } from './records.ts';
import { DEFAULT_RETRY } from './retry-policy.ts';
import { claimsOf, type Harness, harness, pushDelivery } from './transmitter.testing.ts';
import { DEFAULT_MAX_STREAMS_PER_RECEIVER } from './transmitter.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const STREAMS = '/tenant-1/ssf/streams';
const STATUS = '/tenant-1/ssf/status';
const revoke = (txn: string) => ({
  eventType: EVENT_URIS.sessionRevoked,
  payload: { event_timestamp: 1767225590 },
  subject: { format: 'email', email: 'pat.doe@acme.example' },
  txn,
});

async function pushStream(): Promise<string> {
  return (await h.call('POST', STREAMS, { delivery: pushDelivery() })).json().stream_id as string;
}

function open(): SetRecord[] {
  return h.transmitter.records().filter((r) => !SetLedger.isTerminal(r.state));
}

test('a SET waiting to be retried when its stream is deleted is dropped (stream-deleted) and never sent again', async () => {
  h = await harness();
  const stream_id = await pushStream();
  h.receiver.answer({ status: 503 });
  const [first] = await h.transmitter.emit(revoke('first'));
  const [second] = await h.transmitter.emit(revoke('second'));
  await h.scheduler.advance(0);
  expect(first?.state).toBe('queued');
  expect(first?.retryAt).toBeGreaterThan(h.scheduler.now());
  expect((await h.call('DELETE', `${STREAMS}?stream_id=${stream_id}`)).statusCode).toBe(204);
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(1);
  expect([first?.state, first?.reason]).toEqual(['dropped', 'stream-deleted']);
  expect([second?.state, second?.reason]).toEqual(['dropped', 'stream-deleted']);
  expect(first?.retryAt).toBeUndefined();
  expect(open()).toEqual([]);
});

test('a SET in flight when its stream is deleted is dropped at once; the aborted push is recorded, not obeyed', async () => {
  h = await harness();
  const stream_id = await pushStream();
  h.receiver.answer('hang');
  const [record] = await h.transmitter.emit(revoke('x'));
  await h.scheduler.advance(0);
  expect(record?.state).toBe('in-flight');
  await h.call('DELETE', `${STREAMS}?stream_id=${stream_id}`);
  expect([record?.state, record?.reason]).toEqual(['dropped', 'stream-deleted']);
  await h.scheduler.runUntilIdle();
  expect(record?.state).toBe('dropped');
  expect(record?.attempts).toEqual([
    expect.objectContaining({ status: 0, error: 'aborted: stream-deleted' }),
  ]);
  expect(h.transmitter.ledger.counts()).toMatchObject({ 'in-flight': 0, queued: 0, dropped: 1 });
});

test('a 202 that arrives after the delete does not flip the dropped SET back to delivered', async () => {
  let answer: (() => void) | undefined;
  h = await harness({
    // A receiver that ignores the abort and answers 202 later, as a slow server on the other side would.
    fetch: async () =>
      new Promise<Response>((resolve) => {
        answer = () => resolve(new Response(null, { status: 202 }));
      }),
  });
  const stream_id = await pushStream();
  const [record] = await h.transmitter.emit(revoke('late'));
  await h.scheduler.advance(0);
  h.transmitter.removeStream(stream_id);
  answer?.();
  await h.scheduler.runUntilIdle();
  expect([record?.state, record?.reason]).toEqual(['dropped', 'stream-deleted']);
  expect(record?.attempts).toEqual([expect.objectContaining({ status: 202 })]);
  expect(h.transmitter.ledger.totals()).toMatchObject({ delivered: 0, dropped: 1 });
});

test('a receiver that disables its stream drops what waits for a retry and what is in flight (stream-disabled)', async () => {
  h = await harness({ pushConcurrency: 2 });
  const stream_id = await pushStream();
  h.receiver.answer({ status: 500 }, 'hang');
  const [retrying] = await h.transmitter.emit(revoke('a'));
  const [onTheWire] = await h.transmitter.emit(revoke('b'));
  await h.scheduler.advance(0);
  expect([retrying?.state, onTheWire?.state]).toEqual(['queued', 'in-flight']);
  await h.call('POST', STATUS, { stream_id, status: 'disabled' });
  await h.scheduler.runUntilIdle();
  expect([retrying?.state, retrying?.reason]).toEqual(['dropped', 'stream-disabled']);
  expect([onTheWire?.state, onTheWire?.reason]).toEqual(['dropped', 'stream-disabled']);
  expect(h.receiver.calls.map((c) => claimsOf(c.body).txn)).toEqual(['a', 'b']);
  expect(open()).toEqual([]);
});

test('a transmitter-initiated disable still sends its stream-updated event, and drops the retrying SET', async () => {
  h = await harness();
  const stream_id = await pushStream();
  h.receiver.answer({ status: 503 });
  const [retrying] = await h.transmitter.emit(revoke('a'));
  await h.scheduler.advance(0);
  await h.transmitter.setStatus(stream_id, 'disabled', 'maintenance');
  await h.scheduler.runUntilIdle();
  expect([retrying?.state, retrying?.reason]).toEqual(['dropped', 'stream-disabled']);
  const updated = h.transmitter.records().find((r) => r.eventType === EVENT_URIS.streamUpdated);
  expect(updated?.state).toBe('delivered');
});

test('dropAllHeld leaves no SET in a non-terminal state: held, queued, retrying, in flight and polled-unacked', async () => {
  h = await harness({ pushConcurrency: 1 });
  const pushId = await pushStream();
  const pausedId = await pushStream();
  const poll = (await h.call('POST', STREAMS, {})).json() as {
    stream_id: string;
    delivery: { endpoint_url: string };
  };
  h.receiver.answer('hang');
  await h.transmitter.emit({ ...revoke('on-the-wire'), streams: [pushId] });
  await h.transmitter.emit({ ...revoke('queued-behind'), streams: [pushId] });
  await h.call('POST', STATUS, { stream_id: pausedId, status: 'paused' });
  await h.transmitter.emit({ ...revoke('held'), streams: [pausedId] });
  await h.transmitter.emit({ ...revoke('polled'), streams: [poll.stream_id] });
  await h.call('POST', new URL(poll.delivery.endpoint_url).pathname, { returnImmediately: true });
  await h.scheduler.advance(0);
  expect(new Set(open().map((r) => r.state))).toEqual(new Set(['in-flight', 'queued', 'held']));
  const count = open().length;
  expect(h.transmitter.dropAllHeld('lab-stopped')).toBe(count);
  await h.scheduler.runUntilIdle();
  expect(open()).toEqual([]);
  const stopped = h.transmitter.records({ state: 'dropped' }).filter((r) => r.reason === 'lab-stopped');
  expect(stopped).toHaveLength(count);
  // Already terminal SETs are not counted again.
  expect(h.transmitter.dropAllHeld('lab-stopped')).toBe(0);
});

test('a Retry-After beyond the cap (default 5 min) is cut to the cap, and the stream shows the stall', async () => {
  h = await harness();
  expect(DEFAULT_RETRY.maxRetryAfterMs).toBe(5 * 60_000);
  const stream_id = await pushStream();
  h.receiver.answer({ status: 503, headers: { 'retry-after': '86400' } });
  const [record] = await h.transmitter.emit(revoke('stalled'));
  await h.scheduler.advance(0);
  const view = h.transmitter.stream(stream_id);
  expect(view?.retrying).toEqual([
    {
      jti: record?.jti,
      attempts: 1,
      retryAt: h.scheduler.now() + 5 * 60_000,
      retryAfterMs: 86_400_000,
      waiting: expect.stringMatching(/^waiting for Retry-After \(86400 s, capped at 300 s\) until \d{4}-/),
    },
  ]);
  expect(record?.attempts[0]).toMatchObject({ retryAfterMs: 86_400_000, retryInMs: 5 * 60_000 });
  await h.scheduler.advance(5 * 60_000 - 1);
  expect(h.receiver.calls).toHaveLength(1);
  await h.scheduler.advance(1);
  expect(h.receiver.calls).toHaveLength(2);
  expect(record?.state).toBe('delivered');
  expect(h.transmitter.stream(stream_id)?.retrying).toEqual([]);
});

test('the Retry-After cap is configurable', async () => {
  h = await harness({ retry: { maxRetryAfterMs: 60_000 } });
  await pushStream();
  h.receiver.answer({ status: 429, headers: { 'retry-after': '3600' } });
  await h.transmitter.emit(revoke('x'));
  await h.scheduler.advance(60_000);
  expect(h.receiver.calls.map((c) => c.at)).toEqual(
    [0, 60_000].map((d) => (h.receiver.calls[0]?.at ?? 0) + d),
  );
});

test(`one receiver may have at most ${DEFAULT_MAX_STREAMS_PER_RECEIVER} streams by default; one more is 409 in the SSF error shape`, async () => {
  h = await harness();
  for (let i = 0; i < DEFAULT_MAX_STREAMS_PER_RECEIVER; i += 1) await pushStream();
  const refused = await h.call('POST', STREAMS, { delivery: pushDelivery() });
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toEqual({
    error: 'conflict',
    error_description: expect.stringContaining(`(${DEFAULT_MAX_STREAMS_PER_RECEIVER})`),
  });
  // Another receiver (another token) is not affected.
  expect((await h.call('POST', STREAMS, { delivery: pushDelivery() }, 'token-receiver-b')).statusCode).toBe(
    201,
  );
});

test('the stream limit is configurable, and deleting a stream frees its place', async () => {
  h = await harness({ maxStreamsPerReceiver: 1 });
  const first = await pushStream();
  expect((await h.call('POST', STREAMS, { delivery: pushDelivery() })).statusCode).toBe(409);
  await h.call('DELETE', `${STREAMS}?stream_id=${first}`);
  expect((await h.call('POST', STREAMS, { delivery: pushDelivery() })).statusCode).toBe(201);
});

test('the ledger keeps the newest terminal records within its cap and counts those it forgot', async () => {
  h = await harness({ ledgerCap: 3 });
  await pushStream();
  for (const txn of ['1', '2', '3', '4', '5']) await h.transmitter.emit(revoke(txn));
  await h.scheduler.runUntilIdle();
  expect(h.transmitter.records().map((r) => claimsOf(r.token).txn)).toEqual(['3', '4', '5']);
  expect(h.transmitter.ledger.forgotten).toBe(2);
  expect(h.transmitter.ledger.totals().delivered).toBe(5);
});
