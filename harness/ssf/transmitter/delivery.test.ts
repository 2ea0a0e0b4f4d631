/**
 * The transmitter delivering SETs, in virtual time: push (RFC 8935) with retries and dead-lettering,
 * poll (RFC 8936) with long polls, acks and redelivery, paused/disabled streams, stream-updated events,
 * verification, subject filtering, inactivity and key rotation.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { EVENT_URIS, generateSigningKey, jwksFromObject, validateSet } from '../../protocol/index.ts';
import {
  claimsOf,
  type Harness,
  harness,
  ISSUER,
  PUSH_URL,
  pushDelivery,
  SUPPORTED,
  TOKEN_A,
  TOKEN_B,
} from './transmitter.testing.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const STREAMS = '/tenant-1/ssf/streams';
const USER = { format: 'email', email: 'pat.doe@acme.example' } as const;
const revoke = (subject: Record<string, unknown> = USER) => ({
  eventType: EVENT_URIS.sessionRevoked,
  payload: { event_timestamp: 1767225590, reason_admin: { en: 'test' } },
  subject,
});

async function pushStream(extra: Record<string, unknown> = {}): Promise<string> {
  const response = await h.call('POST', STREAMS, { delivery: pushDelivery(extra) });
  return response.json().stream_id as string;
}

async function pollStream(): Promise<{ id: string; url: string }> {
  const config = (await h.call('POST', STREAMS, {})).json();
  return { id: config.stream_id, url: new URL(config.delivery.endpoint_url).pathname };
}

const poll = async (
  path: string,
  body: unknown,
): Promise<{ sets: Record<string, string>; moreAvailable: boolean }> =>
  (await h.call('POST', path, body)).json();

test('a push carries the SET with the RFC 8935 headers and the authorization_header verbatim', async () => {
  h = await harness();
  await pushStream({ authorization_header: 'Bearer push_token_123' });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.advance(0);
  expect(h.receiver.calls).toHaveLength(1);
  const call = h.receiver.calls[0];
  expect(call?.url).toBe(PUSH_URL);
  expect(call?.headers['content-type']).toBe('application/secevent+jwt');
  expect(call?.headers.accept).toBe('application/json');
  expect(call?.headers.authorization).toBe('Bearer push_token_123');
  expect(call?.body).toBe(record?.token);
  expect(record?.state).toBe('delivered');
  expect(record?.attempts).toEqual([expect.objectContaining({ status: 202 })]);
});

test('a push to a stream without authorization_header sends no Authorization header at all', async () => {
  h = await harness();
  await pushStream();
  await h.transmitter.emit(revoke());
  await h.scheduler.advance(0);
  expect(h.receiver.calls[0]?.headers).not.toHaveProperty('authorization');
});

test('every SET passes the strict ssf profile against the published JWKS', async () => {
  h = await harness();
  const id = await pushStream();
  const [record] = await h.transmitter.emit({ ...revoke(), txn: 'txn-1' });
  const result = await validateSet(record?.token ?? '', {
    profile: 'ssf',
    keys: jwksFromObject(h.transmitter.jwks()),
    clock: h.scheduler,
    expectedIssuer: ISSUER,
    expectedAudience: 'https://rx-a.example.com',
  });
  expect(result.findings).toEqual([]);
  expect(result.signature).toBe('valid');
  expect(claimsOf(record?.token ?? '')).toMatchObject({
    iss: ISSUER,
    aud: 'https://rx-a.example.com',
    sub_id: USER,
    txn: 'txn-1',
  });
  expect(record?.streamId).toBe(id);
});

test('503s and a network error are retried with growing, jittered waits until a 202', async () => {
  h = await harness();
  await pushStream();
  h.receiver.answer({ status: 503 }, 'network-error', { status: 500 }, { status: 202 });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  expect(record?.state).toBe('delivered');
  expect(record?.attempts.map((a) => a.status)).toEqual([503, 0, 500, 202]);
  expect(record?.attempts[1]?.error).toMatch(/ECONNREFUSED/);
  const times = h.receiver.calls.map((c) => c.at);
  const waits = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  // 1 s, 2 s, 4 s, each within ±20 % jitter.
  [1000, 2000, 4000].forEach((base, i) => {
    expect(waits[i]).toBeGreaterThanOrEqual(base * 0.8);
    expect(waits[i]).toBeLessThanOrEqual(base * 1.2);
  });
});

test('a 429 with Retry-After is honoured: the next attempt waits at least that long', async () => {
  h = await harness();
  await pushStream();
  h.receiver.answer({ status: 429, headers: { 'retry-after': '30' } }, { status: 202 });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  const [first, second] = h.receiver.calls;
  expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
  expect(record?.attempts[0]?.retryInMs).toBeGreaterThanOrEqual(30_000);
  expect(record?.state).toBe('delivered');
});

test('an attempt that gets no answer times out and is retried', async () => {
  h = await harness({ retry: { timeoutMs: 5000 } });
  await pushStream();
  h.receiver.answer('hang', { status: 202 });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  expect(record?.attempts[0]).toMatchObject({ status: 0, error: 'timeout', latencyMs: 5000 });
  expect(record?.state).toBe('delivered');
});

test('a 400 such as invalid_audience is not retried: the SET is dead-lettered with the err', async () => {
  h = await harness();
  await pushStream();
  h.receiver.answer({
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ err: 'invalid_audience', description: 'not for us' }),
  });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(1);
  expect(record?.state).toBe('dead-lettered');
  expect(record?.attempts[0]?.err).toBe('invalid_audience: not for us');
  expect(record?.reason).toMatch(/invalid_audience/);
});

test('after the maximum number of attempts the SET is dead-lettered where the lab can see it', async () => {
  h = await harness({ retry: { maxAttempts: 3 } });
  await pushStream();
  h.receiver.answer({ status: 503 }, { status: 503 }, { status: 503 });
  const [record] = await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(3);
  expect(record?.state).toBe('dead-lettered');
  expect(record?.reason).toMatch(/gave up after 3 attempts/);
  expect(h.transmitter.records({ state: 'dead-lettered' })).toEqual([record]);
});

test('SETs are pushed in order: one waiting on a retry holds back the next', async () => {
  h = await harness();
  await pushStream();
  h.receiver.answer({ status: 503 }, { status: 202 }, { status: 202 });
  const [first] = await h.transmitter.emit({ ...revoke(), txn: 'first' });
  const [second] = await h.transmitter.emit({ ...revoke(), txn: 'second' });
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls.map((c) => claimsOf(c.body).txn)).toEqual(['first', 'first', 'second']);
  expect([first?.state, second?.state]).toEqual(['delivered', 'delivered']);
});

test('a paused stream holds events and sends them, in order, when enabled again', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'paused' });
  const records = [
    ...(await h.transmitter.emit({ ...revoke(), txn: 'a' })),
    ...(await h.transmitter.emit({ ...revoke(), txn: 'b' })),
  ];
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(0);
  expect(records.map((r) => r.state)).toEqual(['held', 'held']);
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'enabled' });
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls.map((c) => claimsOf(c.body).txn)).toEqual(['a', 'b']);
  expect(records.map((r) => r.state)).toEqual(['delivered', 'delivered']);
});

test('the held events of a paused stream are capped: the oldest are dropped and recorded', async () => {
  h = await harness({ heldCap: 2 });
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'paused' });
  const records = [];
  for (const txn of ['1', '2', '3']) records.push(...(await h.transmitter.emit({ ...revoke(), txn })));
  expect(records.map((r) => r.state)).toEqual(['dropped', 'held', 'held']);
  expect(records[0]?.reason).toMatch(/cap/);
});

test('a disabled stream drops events (recorded as dropped) and sends nothing', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'disabled' });
  const [record] = await h.transmitter.emit(revoke());
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'enabled' });
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(0);
  expect(record?.state).toBe('dropped');
  expect(record?.reason).toBe('stream-disabled');
});

test('a transmitter-initiated pause sends stream-updated before stopping, and again on re-enabling', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.transmitter.setStatus(stream_id, 'paused', 'maintenance');
  await h.transmitter.emit(revoke());
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls).toHaveLength(1);
  const paused = claimsOf(h.receiver.calls[0]?.body ?? '');
  expect(paused.events).toEqual({ [EVENT_URIS.streamUpdated]: { status: 'paused', reason: 'maintenance' } });
  expect(paused.sub_id).toEqual({ format: 'opaque', id: stream_id });
  await h.transmitter.setStatus(stream_id, 'enabled');
  await h.scheduler.runUntilIdle();
  const types = h.receiver.calls.map((c) => Object.keys(claimsOf(c.body).events as object)[0]);
  expect(types).toEqual([EVENT_URIS.streamUpdated, EVENT_URIS.streamUpdated, EVENT_URIS.sessionRevoked]);
  expect(Object.values(claimsOf(h.receiver.calls[1]?.body ?? '').events as object)[0]).toEqual({
    status: 'enabled',
  });
});

test('inactivity_timeout pauses an idle stream (with stream-updated); activity restarts the clock', async () => {
  h = await harness({ inactivityTimeoutSeconds: 60 });
  const stream_id = await pushStream();
  expect(h.transmitter.stream(stream_id)?.config.inactivity_timeout).toBe(60);
  await h.scheduler.advance(50_000);
  await h.call('GET', `${STREAMS}?stream_id=${stream_id}`);
  await h.scheduler.advance(50_000);
  expect(h.transmitter.stream(stream_id)?.status).toBe('enabled');
  await h.scheduler.advance(11_000);
  expect(h.transmitter.stream(stream_id)?.status).toBe('paused');
  expect(h.transmitter.stream(stream_id)?.reason).toBe('receiver inactive');
  // Signing the announcement runs on the crypto thread pool, in real time.
  await vi.waitFor(() => expect(h.receiver.calls).toHaveLength(1));
  expect(Object.values(claimsOf(h.receiver.calls[0]?.body ?? '').events as object)[0]).toEqual({
    status: 'paused',
    reason: 'receiver inactive',
  });
});

test("a receiver account's own inactivity_timeout applies to its streams only", async () => {
  h = await harness({
    receivers: [
      { id: 'a', audience: 'https://rx-a.example.com', tokens: [TOKEN_A], inactivityTimeoutSeconds: 5 },
      { id: 'b', audience: 'https://rx-b.example.com', tokens: [TOKEN_B] },
    ],
  });
  const mine = await pushStream();
  const theirs = (await h.call('POST', STREAMS, { delivery: pushDelivery() }, TOKEN_B)).json()
    .stream_id as string;
  expect(h.transmitter.stream(mine)?.config.inactivity_timeout).toBe(5);
  expect(h.transmitter.stream(theirs)?.config.inactivity_timeout).toBeUndefined();
  await h.scheduler.advance(6_000);
  expect(h.transmitter.stream(mine)?.status).toBe('paused');
  expect(h.transmitter.stream(theirs)?.status).toBe('enabled');
});

test('verification answers 204 and the event echoes the state, naming the stream', async () => {
  h = await harness();
  const stream_id = await pushStream();
  const response = await h.call('POST', '/tenant-1/ssf/verify', { stream_id, state: 'abc-123' });
  expect(response.statusCode).toBe(204);
  await h.scheduler.advance(0);
  const claims = claimsOf(h.receiver.calls[0]?.body ?? '');
  expect(claims.events).toEqual({ [EVENT_URIS.verification]: { state: 'abc-123' } });
  expect(claims.sub_id).toEqual({ format: 'opaque', id: stream_id });
});

test('an unsolicited verification carries no state', async () => {
  h = await harness();
  const stream_id = await pushStream();
  const record = await h.transmitter.sendVerification(stream_id);
  expect(claimsOf(record.token).events).toEqual({ [EVENT_URIS.verification]: {} });
});

test('verification faster than min_verification_interval gets 429 with Retry-After', async () => {
  h = await harness({ minVerificationIntervalSeconds: 30 });
  const stream_id = await pushStream();
  expect(h.transmitter.stream(stream_id)?.config.min_verification_interval).toBe(30);
  expect((await h.call('POST', '/tenant-1/ssf/verify', { stream_id })).statusCode).toBe(204);
  await h.scheduler.advance(10_000);
  const limited = await h.call('POST', '/tenant-1/ssf/verify', { stream_id });
  expect(limited.statusCode).toBe(429);
  expect(limited.headers['retry-after']).toBe('20');
  await h.scheduler.advance(20_000);
  expect((await h.call('POST', '/tenant-1/ssf/verify', { stream_id })).statusCode).toBe(204);
});

test('with default_subjects NONE only added subjects are delivered; complex subjects match with wildcards', async () => {
  h = await harness({ defaultSubjects: 'NONE' });
  const stream_id = await pushStream();
  expect(await h.transmitter.emit(revoke())).toEqual([]);
  const tenant = { format: 'opaque', id: 'tenant-42' };
  await h.call('POST', '/tenant-1/ssf/subjects/add', { stream_id, subject: { format: 'complex', tenant } });
  const inTenant = { format: 'complex', tenant, user: USER };
  expect(await h.transmitter.emit(revoke(inTenant))).toHaveLength(1);
  expect(
    await h.transmitter.emit(
      revoke({ format: 'complex', tenant: { format: 'opaque', id: 'other' }, user: USER }),
    ),
  ).toEqual([]);
});

test('with default_subjects ALL a removed subject gets no events, and adding it back restores them', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/subjects/remove', { stream_id, subject: USER });
  expect(await h.transmitter.emit(revoke())).toEqual([]);
  expect(
    await h.transmitter.emit(
      revoke({ format: 'complex', user: USER, device: { format: 'opaque', id: 'd' } }),
    ),
  ).toEqual([]);
  expect(
    await h.transmitter.emit(revoke({ format: 'email', email: 'someone.else@acme.example' })),
  ).toHaveLength(1);
  await h.call('POST', '/tenant-1/ssf/subjects/add', { stream_id, subject: USER });
  expect(await h.transmitter.emit(revoke())).toHaveLength(1);
});

test('default_subjects changed later applies to new streams; an event in a receiver-specific shape matches by what it is about', async () => {
  h = await harness();
  const all = await pushStream();
  h.transmitter.setDefaultSubjects('NONE');
  const metadata = await h.call('GET', '/.well-known/ssf-configuration/tenant-1');
  expect(metadata.json().default_subjects).toBe('NONE');
  const none = await pushStream();
  const device = { format: 'opaque', id: 'device-1' };
  // Okta's in-event subject has no "format": on its own it is no identifier a receiver could have added.
  const event = {
    ...revoke(),
    subject: { user: USER, device },
    about: { format: 'complex', user: USER, device },
  };
  const streamsOf = (records: { streamId: string }[]): string[] => records.map((r) => r.streamId);
  expect(streamsOf(await h.transmitter.emit(event))).toEqual([all]);
  expect(
    (await h.call('POST', '/tenant-1/ssf/subjects/add', { stream_id: none, subject: USER })).statusCode,
  ).toBe(200);
  expect(streamsOf(await h.transmitter.emit(event))).toEqual([all, none]);
  // Without `about` the format-less shape is matched as it is, and the added email is not it.
  const { about: _about, ...shapeOnly } = event;
  expect(streamsOf(await h.transmitter.emit(shapeOnly))).toEqual([all]);
  expect(() => h.transmitter.setDefaultSubjects('SOME' as 'ALL')).toThrow(TypeError);
});

test('events of a type the stream does not deliver are not sent', async () => {
  h = await harness();
  await h.call('POST', STREAMS, { delivery: pushDelivery(), events_requested: [SUPPORTED[1]] });
  expect(await h.transmitter.emit(revoke())).toEqual([]);
});

test('each receiver gets its own SET with its own aud', async () => {
  h = await harness();
  await pushStream();
  await h.call('POST', STREAMS, { delivery: pushDelivery() }, 'token-receiver-b');
  const records = await h.transmitter.emit(revoke());
  expect(records.map((r) => claimsOf(r.token).aud).sort()).toEqual([
    'https://rx-a.example.com',
    'https://rx-b.example.com',
  ]);
});

test('a poll returns SETs keyed by jti, at most maxEvents, with moreAvailable', async () => {
  h = await harness();
  const stream = await pollStream();
  const records = [];
  for (const txn of ['1', '2', '3']) records.push(...(await h.transmitter.emit({ ...revoke(), txn })));
  const first = await poll(stream.url, { maxEvents: 2, returnImmediately: true });
  expect(Object.keys(first.sets)).toEqual([records[0]?.jti, records[1]?.jti]);
  expect(first.sets[records[0]?.jti ?? '']).toBe(records[0]?.token);
  expect(first.moreAvailable).toBe(true);
  const second = await poll(stream.url, { returnImmediately: true, ack: Object.keys(first.sets) });
  expect(Object.keys(second.sets)).toEqual([records[2]?.jti]);
  expect(second.moreAvailable).toBe(false);
  expect(records.map((r) => r.state)).toEqual(['acked', 'acked', 'in-flight']);
});

test('an acknowledge-only poll (maxEvents 0) acks and returns no SETs at once', async () => {
  h = await harness();
  const stream = await pollStream();
  const [record] = await h.transmitter.emit(revoke());
  await poll(stream.url, { returnImmediately: true });
  const response = await poll(stream.url, { maxEvents: 0, ack: [record?.jti] });
  expect(response.sets).toEqual({});
  expect(record?.state).toBe('acked');
});

test('a long poll waits for a SET and returns as soon as one is emitted', async () => {
  h = await harness();
  const stream = await pollStream();
  const pending = poll(stream.url, {});
  await h.scheduler.advance(5_000);
  const [record] = await h.transmitter.emit(revoke());
  const response = await pending;
  expect(Object.keys(response.sets)).toEqual([record?.jti]);
});

test('a long poll with nothing to send returns an empty set after the bounded wait', async () => {
  h = await harness({ poll: { maxWaitMs: 20_000 } });
  const stream = await pollStream();
  let done = false;
  const pending = poll(stream.url, {}).then((r) => {
    done = true;
    return r;
  });
  await h.scheduler.advance(19_000);
  expect(done).toBe(false);
  await h.scheduler.advance(1_000);
  expect(await pending).toEqual({ sets: {}, moreAvailable: false });
});

test('a SET handed out and not acknowledged is redelivered after the redelivery period', async () => {
  h = await harness({ poll: { redeliverAfterMs: 60_000 } });
  const stream = await pollStream();
  const [record] = await h.transmitter.emit(revoke());
  expect(Object.keys((await poll(stream.url, { returnImmediately: true })).sets)).toEqual([record?.jti]);
  expect((await poll(stream.url, { returnImmediately: true })).sets).toEqual({});
  await h.scheduler.advance(60_000);
  expect(Object.keys((await poll(stream.url, { returnImmediately: true })).sets)).toEqual([record?.jti]);
});

test("setErrs dead-letters the SET with the receiver's err and it is not offered again", async () => {
  h = await harness({ poll: { redeliverAfterMs: 1000 } });
  const stream = await pollStream();
  const [record] = await h.transmitter.emit(revoke());
  await poll(stream.url, { returnImmediately: true });
  await poll(stream.url, {
    returnImmediately: true,
    setErrs: { [record?.jti ?? '']: { err: 'invalid_issuer', description: 'unknown issuer' } },
  });
  await h.scheduler.advance(5000);
  expect((await poll(stream.url, { returnImmediately: true })).sets).toEqual({});
  expect(record?.state).toBe('dead-lettered');
  expect(record?.reason).toMatch(/invalid_issuer/);
});

test('a poll request that is not an RFC 8936 request is 400; polling a push stream is 400', async () => {
  h = await harness();
  const stream = await pollStream();
  expect((await h.call('POST', stream.url, { maxEvents: -1 })).statusCode).toBe(400);
  expect((await h.call('POST', stream.url, { ack: 'jti-1' })).statusCode).toBe(400);
  const push = await pushStream();
  expect((await h.call('POST', `/tenant-1/ssf/poll/${push}`, {})).statusCode).toBe(400);
  expect((await h.call('POST', stream.url, {}, 'token-receiver-b')).statusCode).toBe(404);
});

test('a paused poll stream hands out only the stream-updated event sent before pausing', async () => {
  h = await harness();
  const stream = await pollStream();
  await h.transmitter.emit(revoke());
  await h.transmitter.setStatus(stream.id, 'paused');
  const response = await poll(stream.url, { returnImmediately: true });
  const events = Object.values(response.sets).map((t) => Object.keys(claimsOf(t).events as object)[0]);
  expect(events).toEqual([EVENT_URIS.streamUpdated]);
});

test('deleting a stream drops what it still held, so nothing vanishes from the ledger', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'paused' });
  const [record] = await h.transmitter.emit(revoke());
  await h.call('DELETE', `${STREAMS}?stream_id=${stream_id}`);
  expect(record?.state).toBe('dropped');
  expect(record?.reason).toBe('stream-deleted');
  expect(h.transmitter.ledger.counts()).toMatchObject({ dropped: 1, held: 0, queued: 0 });
});

test('after a key rotation new SETs carry the new kid and the JWKS publishes both keys', async () => {
  h = await harness();
  await pushStream();
  const { key } = await generateSigningKey('RS256', { kid: 'tx-key-2' });
  h.transmitter.rotateKey(key);
  const [record] = await h.transmitter.emit(revoke());
  const header = JSON.parse(Buffer.from(record?.token.split('.')[0] ?? '', 'base64url').toString()) as {
    kid: string;
  };
  expect(header.kid).toBe('tx-key-2');
  expect(h.transmitter.jwks().keys.map((k) => k.kid)).toEqual(['tx-key-2', 'tx-key-1']);
  h.transmitter.retireKey('tx-key-1');
  expect(h.transmitter.jwks().keys.map((k) => k.kid)).toEqual(['tx-key-2']);
});

test('switching a stream from poll to push moves the unacknowledged SETs to the push queue', async () => {
  h = await harness();
  const stream = await pollStream();
  const [record] = await h.transmitter.emit(revoke());
  const response = await h.call('PATCH', STREAMS, { stream_id: stream.id, delivery: pushDelivery() });
  expect(response.statusCode).toBe(200);
  await h.scheduler.runUntilIdle();
  expect(h.receiver.calls.map((c) => c.body)).toEqual([record?.token]);
  expect(record?.state).toBe('delivered');
});

test('switching a stream from push to poll hands the queued SETs to the poll endpoint', async () => {
  h = await harness();
  const stream_id = await pushStream();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'paused' });
  const [record] = await h.transmitter.emit(revoke());
  const config = (
    await h.call('PATCH', STREAMS, { stream_id, delivery: { method: 'urn:ietf:rfc:8936' } })
  ).json();
  await h.call('POST', '/tenant-1/ssf/status', { stream_id, status: 'enabled' });
  const path = new URL(config.delivery.endpoint_url).pathname;
  expect(Object.keys((await poll(path, { returnImmediately: true })).sets)).toEqual([record?.jti]);
  expect(h.receiver.calls).toHaveLength(0);
});

test('with pushConcurrency above one, several SETs are in flight at once', async () => {
  h = await harness({ pushConcurrency: 3 });
  await pushStream();
  h.receiver.answer('hang', 'hang', 'hang');
  for (const txn of ['1', '2', '3', '4']) await h.transmitter.emit({ ...revoke(), txn });
  await h.scheduler.advance(0);
  expect(h.receiver.calls.map((c) => claimsOf(c.body).txn)).toEqual(['1', '2', '3']);
  expect(h.transmitter.ledger.counts()['in-flight']).toBe(3);
});

test('emit can be limited to some streams, and receivers can be added after start', async () => {
  h = await harness();
  const first = await pushStream();
  h.transmitter.addReceiver({ id: 'c', audience: 'https://rx-c.example.com' });
  const second = h.transmitter.createStream('c', { delivery: pushDelivery() }).stream_id;
  const onlySecond = await h.transmitter.emit({ ...revoke(), streams: [second] });
  expect(onlySecond.map((r) => r.streamId)).toEqual([second]);
  expect(claimsOf(onlySecond[0]?.token ?? '').aud).toBe('https://rx-c.example.com');
  expect((await h.transmitter.emit(revoke())).map((r) => r.streamId).sort()).toEqual([first, second].sort());
  expect(() => h.transmitter.addReceiver({ id: 'c', audience: 'x' })).toThrow(/exists/);
});
