/**
 * Poll delivery (RFC 8936) against a stub transmitter in virtual time: the exact request bodies and
 * headers, acks and setErrs carried into the next request, Retry-After honoured to the millisecond,
 * backoff with jitter, recovery without losing an ack, stopping on errors that retrying cannot fix, and the
 * final acknowledge-only request. Request timestamps are the scheduler's clock when the stub was called.
 */
import { beforeAll, expect, test } from 'vitest';
import { seededRandom, VirtualScheduler } from '../../kernel/index.ts';
import type { PushErrorBody } from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError } from './http-errors.ts';
import { type PollingEnd, pollOnce, type StartPollingOptions, startPolling } from './poll-loop.ts';
import {
  AUD,
  ISS,
  jsonResponse,
  makeReceiverKeys,
  never,
  type ReceiverTestKeys,
  type RecordedRequest,
  type Responder,
  recordingFetch,
  sessionRevokedSet,
  until,
} from './receiver.testing.ts';
import { type ReceivedSet, SetIntake } from './set-intake.ts';

const ENDPOINT = 'https://tx.example.com/ssf/poll/st-1';
const AUTHORIZATION = 'Bearer poll-token';

let keys: ReceiverTestKeys;
beforeAll(async () => {
  keys = await makeReceiverKeys();
});

interface Stub {
  readonly scheduler: VirtualScheduler;
  readonly intake: SetIntake;
  readonly received: ReceivedSet[];
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
}

function stub(responder: Responder): Stub {
  const scheduler = new VirtualScheduler();
  const received: ReceivedSet[] = [];
  const intake = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
    onSet: (set) => {
      received.push(set);
    },
  });
  return { scheduler, intake, received, ...recordingFetch(responder, scheduler) };
}

interface SentBody {
  maxEvents?: number;
  returnImmediately?: boolean;
  ack?: string[];
  setErrs?: Record<string, PushErrorBody>;
}

function sent(request: RecordedRequest | undefined): SentBody {
  return JSON.parse(request?.body ?? 'null') as SentBody;
}

/** Signed SETs keyed by jti, as a poll response carries them. */
async function sets(scheduler: VirtualScheduler, ...jtis: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    jtis.map(async (jti) => [jti, await sessionRevokedSet(keys, scheduler, { jti })] as const),
  );
  return Object.fromEntries(entries);
}

function loop(s: Stub, options: Partial<StartPollingOptions> = {}) {
  const errors: { error: unknown; fatal: boolean; retryInMs?: number }[] = [];
  const handle = startPolling({
    endpointUrl: ENDPOINT,
    authorization: AUTHORIZATION,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
    random: seededRandom(7),
    onError: (error, notice) => errors.push({ error, ...notice }),
    ...options,
  });
  return { handle, errors };
}

const EMPTY = () => jsonResponse(200, { sets: {} });

test('pollOnce sends the RFC 8936 request and sorts the SETs into acks and setErrs', async () => {
  let body: Record<string, string> = {};
  const s = stub(() => jsonResponse(200, { sets: body, moreAvailable: true }));
  body = {
    ...(await sets(s.scheduler, 'a', 'b')),
    bad: await sessionRevokedSet(keys, s.scheduler, { jti: 'bad', aud: 'https://other.example.com' }),
  };
  const result = await pollOnce({
    endpointUrl: ENDPOINT,
    authorization: AUTHORIZATION,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
    maxEvents: 10,
    returnImmediately: true,
  });
  const request = s.requests[0];
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe(ENDPOINT);
  expect(request?.headers['content-type']).toBe('application/json');
  expect(request?.headers.authorization).toBe(AUTHORIZATION);
  expect(request?.headers['content-language']).toBeUndefined();
  // Empty ack and setErrs are left out.
  expect(sent(request)).toEqual({ maxEvents: 10, returnImmediately: true });
  expect(result.status).toBe(200);
  expect(result.acks).toEqual(['a', 'b']);
  expect(Object.keys(result.setErrs)).toEqual(['bad']);
  expect(result.setErrs.bad?.err).toBe('invalid_audience');
  expect(result.moreAvailable).toBe(true);
  expect(result.received).toBe(3);
  expect(result.fresh).toBe(3);
  await s.intake.idle();
  expect(s.received.map((r) => [r.jti, r.via])).toEqual([
    ['a', 'poll'],
    ['b', 'poll'],
  ]);
});

test('pollOnce sends acks and setErrs, with Content-Language when it carries errors', async () => {
  const s = stub(EMPTY);
  const setErrs = { x: { err: 'invalid_key', description: 'unknown kid' } };
  const result = await pollOnce({
    endpointUrl: ENDPOINT,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
    ack: ['a'],
    setErrs,
  });
  expect(sent(s.requests[0])).toEqual({ ack: ['a'], setErrs });
  expect(s.requests[0]?.headers['content-language']).toBe('en');
  expect(s.requests[0]?.headers.authorization).toBeUndefined();
  expect(result.moreAvailable).toBe(false);
});

test('pollOnce acknowledges a redelivered SET again without processing it twice', async () => {
  let body: Record<string, string> = {};
  const s = stub(() => jsonResponse(200, { sets: body }));
  body = await sets(s.scheduler, 'again');
  const options = { endpointUrl: ENDPOINT, intake: s.intake, fetch: s.fetch, scheduler: s.scheduler };
  expect(await pollOnce(options)).toMatchObject({ acks: ['again'], fresh: 1 });
  expect(await pollOnce(options)).toMatchObject({ acks: ['again'], received: 1, fresh: 0 });
  await s.intake.idle();
  expect(s.received).toHaveLength(1);
});

test('pollOnce refuses a SET delivered under a key that is not its jti', async () => {
  let body: Record<string, string> = {};
  const s = stub(() => jsonResponse(200, { sets: body }));
  body = { 'key-1': await sessionRevokedSet(keys, s.scheduler, { jti: 'jti-1' }) };
  const result = await pollOnce({
    endpointUrl: ENDPOINT,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
  });
  expect(result.acks).toEqual([]);
  expect(result.setErrs['key-1']?.err).toBe('invalid_request');
  expect(result.setErrs['key-1']?.description).toContain('"jti-1"');
  expect(s.intake.stats.accepted).toBe(0);
});

test('pollOnce leaves unacknowledged, without an error, a SET it cannot judge for want of keys', async () => {
  let body: Record<string, string> = {};
  const scheduler = new VirtualScheduler();
  const server = recordingFetch(() => jsonResponse(200, { sets: body }), scheduler);
  const intake = new SetIntake({
    profile: 'ssf',
    keys: {
      description: 'jwks',
      keysFor: async () => ({ ok: false, problem: 'unavailable', message: 'down' }),
    },
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
  });
  body = await sets(scheduler, 'later');
  const result = await pollOnce({ endpointUrl: ENDPOINT, intake, fetch: server.fetch, scheduler });
  expect(result).toMatchObject({ acks: [], setErrs: {}, deferred: ['later'], fresh: 0 });
});

test.each([
  ['sets as an array', { sets: [] }],
  ['no sets', { moreAvailable: false }],
  ['a SET that is not a compact JWS', { sets: { a: 'not a jws' } }],
])('pollOnce refuses a response with %s', async (_label, body) => {
  const s = stub(() => jsonResponse(200, body));
  const error = await pollOnce({
    endpointUrl: ENDPOINT,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfResponseError);
  expect((error as Error).message).toContain('is not an RFC 8936 poll response');
});

test('pollOnce reports 429 with its Retry-After', async () => {
  const s = stub(() => jsonResponse(429, { err: 'slow_down' }, { 'retry-after': '30' }));
  const error = await pollOnce({
    endpointUrl: ENDPOINT,
    intake: s.intake,
    fetch: s.fetch,
    scheduler: s.scheduler,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfHttpError);
  expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000, operation: 'poll' });
});

test('each poll carries the acks of the previous response (combined request)', async () => {
  let first: Record<string, string> = {};
  const s = stub((_r, i) => (i === 0 ? jsonResponse(200, { sets: first }) : EMPTY()));
  first = await sets(s.scheduler, 'a', 'b');
  const { handle } = loop(s);
  await until(() => s.requests.length === 2, 'the second poll');
  expect(sent(s.requests[0])).toEqual({ returnImmediately: true });
  expect(sent(s.requests[1])).toEqual({ returnImmediately: true, ack: ['a', 'b'] });
  // Acks go out at once (RFC 8936 §2.4: promptly), not after the interval.
  expect(s.requests[1]?.at).toBe(s.requests[0]?.at);
  handle.stop();
  expect(await handle.done).toEqual({ reason: 'stopped' });
});

test('an invalid SET is reported in setErrs of the next request, with Content-Language', async () => {
  let first: Record<string, string> = {};
  const s = stub((_r, i) => (i === 0 ? jsonResponse(200, { sets: first }) : EMPTY()));
  first = { forged: await sessionRevokedSet(keys, s.scheduler, { jti: 'forged', key: keys.impostor }) };
  const { handle } = loop(s);
  await until(() => s.requests.length === 2, 'the second poll');
  const body = sent(s.requests[1]);
  expect(body.ack).toBeUndefined();
  expect(body.setErrs?.forged?.err).toBe('authentication_failed');
  expect(s.requests[1]?.headers['content-language']).toBe('en');
  handle.stop();
  await handle.done;
});

test('new SETs with moreAvailable poll again at once; an answer with nothing new waits intervalMs', async () => {
  let batch: Record<string, string> = {};
  const s = stub((_r, i) => {
    if (i === 1) return jsonResponse(200, { sets: batch, moreAvailable: true });
    // A transmitter that ignores the ack and redelivers, still claiming more: nothing new, so the loop waits.
    if (i === 2) return jsonResponse(200, { sets: batch, moreAvailable: true });
    return EMPTY();
  });
  batch = await sets(s.scheduler, 'c');
  const { handle } = loop(s, { intervalMs: 5000 });
  await until(() => s.requests.length === 1, 'the first poll');
  await s.scheduler.advance(4999);
  expect(s.requests).toHaveLength(1);
  await s.scheduler.advance(1);
  await until(() => s.requests.length === 3, 'the poll after moreAvailable');
  await until(() => s.scheduler.pending > 0, 'the wait after the repeat');
  await s.scheduler.advance(5000);
  await until(() => s.requests.length === 4, 'the poll after the wait');
  const t0 = s.requests[0]?.at ?? 0;
  expect(s.requests.map((r) => r.at - t0)).toEqual([0, 5000, 5000, 10_000]);
  expect(sent(s.requests[2]).ack).toEqual(['c']);
  expect(sent(s.requests[3]).ack).toEqual(['c']);
  handle.stop();
  await handle.done;
});

test('429 with Retry-After: 30 waits exactly 30 s of virtual time before the next request', async () => {
  const s = stub((_r, i) => (i === 0 ? jsonResponse(429, undefined, { 'retry-after': '30' }) : EMPTY()));
  const { handle, errors } = loop(s, { backoff: { baseMs: 1000, maxMs: 60_000 } });
  await until(() => errors.length === 1, 'the 429');
  expect(errors[0]).toMatchObject({ fatal: false, retryInMs: 30_000 });
  await s.scheduler.advance(29_999);
  expect(s.requests).toHaveLength(1);
  await s.scheduler.advance(1);
  await until(() => s.requests.length === 2, 'the retry');
  expect((s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0)).toBe(30_000);
  handle.stop();
  await handle.done;
});

test('503 with an HTTP-date Retry-After waits until that date', async () => {
  const s = stub((_r, i) => {
    if (i > 0) return EMPTY();
    const at = new Date(s.scheduler.now() + 90_000).toUTCString();
    return jsonResponse(503, undefined, { 'retry-after': at });
  });
  const { handle } = loop(s);
  await until(() => s.scheduler.pending > 0, 'the wait');
  await s.scheduler.advance(90_000);
  await until(() => s.requests.length === 2, 'the retry');
  expect((s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0)).toBe(90_000);
  handle.stop();
  await handle.done;
});

test('503 then recovery loses nothing: the acks of the failed request are sent again', async () => {
  let first: Record<string, string> = {};
  const s = stub((_r, i) => {
    if (i === 0) return jsonResponse(200, { sets: first });
    if (i === 1) return jsonResponse(503, { description: 'overloaded' });
    return EMPTY();
  });
  first = await sets(s.scheduler, 'a', 'b');
  const { handle, errors } = loop(s, { backoff: { baseMs: 2000, maxMs: 60_000 } });
  await until(() => errors.length === 1, 'the 503');
  expect(sent(s.requests[1]).ack).toEqual(['a', 'b']);
  expect(handle.pending().ack).toEqual(['a', 'b']);
  // No Retry-After: backoff between half the base and the base.
  const wait = errors[0]?.retryInMs ?? -1;
  expect(wait).toBeGreaterThanOrEqual(1000);
  expect(wait).toBeLessThanOrEqual(2000);
  await s.scheduler.advance(wait);
  await until(() => s.requests.length === 3, 'the retry');
  expect(sent(s.requests[2]).ack).toEqual(['a', 'b']);
  expect((s.requests[2]?.at ?? 0) - (s.requests[1]?.at ?? 0)).toBe(wait);
  await until(() => handle.pending().ack.length === 0, 'the acks to be delivered');
  await s.intake.idle();
  expect(s.received.map((r) => r.jti)).toEqual(['a', 'b']);
  handle.stop();
  await handle.done;
});

test('network errors back off exponentially with jitter, and acks survive them', async () => {
  let first: Record<string, string> = {};
  const s = stub((_r, i) => {
    if (i === 0) return jsonResponse(200, { sets: first });
    if (i <= 4) return Promise.reject(new TypeError('fetch failed'));
    return EMPTY();
  });
  first = await sets(s.scheduler, 'a');
  const { handle, errors } = loop(s, { backoff: { baseMs: 1000, maxMs: 5000 } });
  for (let n = 1; n <= 4; n++) {
    await until(() => errors.length === n, `failure ${n}`);
    const ceiling = Math.min(5000, 1000 * 2 ** (n - 1));
    const wait = errors[n - 1]?.retryInMs ?? -1;
    expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
    expect(wait).toBeLessThanOrEqual(ceiling);
    expect(errors[n - 1]?.error).toMatchObject({ status: 0 });
    await s.scheduler.advance(wait);
  }
  await until(() => s.requests.length === 6, 'the recovery');
  expect(s.requests.slice(1).map((r) => sent(r).ack)).toEqual([['a'], ['a'], ['a'], ['a'], ['a']]);
  handle.stop();
  await handle.done;
});

test('a request that times out is retried after backoff, in virtual time', async () => {
  const s = stub((_r, i) => (i === 0 ? never() : EMPTY()));
  const { handle, errors } = loop(s, { timeoutMs: 10_000, backoff: { baseMs: 1000, maxMs: 1000 } });
  await until(() => s.requests.length === 1, 'the first poll');
  await s.scheduler.advance(10_000);
  await until(() => errors.length === 1, 'the timeout');
  expect(errors[0]?.error).toMatchObject({
    status: 0,
    message: expect.stringContaining('no answer within 10000 ms'),
  });
  await s.scheduler.advance(errors[0]?.retryInMs ?? 0);
  await until(() => s.requests.length === 2, 'the retry');
  handle.stop();
  await handle.done;
});

test.each([400, 401, 403, 404])(
  'HTTP %i stops the loop and is reported once, without spinning',
  async (status) => {
    const s = stub(() => jsonResponse(status, { err: 'nope' }));
    const { handle, errors } = loop(s);
    const end: PollingEnd = await handle.done;
    expect(end.reason).toBe('fatal');
    if (end.reason === 'fatal') expect(end.error.status).toBe(status);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fatal).toBe(true);
    await s.scheduler.advance(3600_000);
    expect(s.requests).toHaveLength(1);
  },
);

test('stopping sends the pending acks in one acknowledge-only request', async () => {
  let first: Record<string, string> = {};
  const s = stub((_r, i) => {
    if (i === 0) return jsonResponse(200, { sets: first });
    if (i === 1) return jsonResponse(503);
    return EMPTY();
  });
  first = await sets(s.scheduler, 'a');
  const controller = new AbortController();
  const { handle, errors } = loop(s, { signal: controller.signal });
  await until(() => errors.length === 1, 'the 503');
  controller.abort();
  expect(await handle.done).toEqual({ reason: 'stopped' });
  expect(s.requests).toHaveLength(3);
  expect(sent(s.requests[2])).toEqual({ maxEvents: 0, returnImmediately: true, ack: ['a'] });
  expect(handle.pending().ack).toEqual([]);
});

test('the loop sends the authorization given as a function, fresh for each request', async () => {
  const s = stub(EMPTY);
  let n = 0;
  const { handle } = loop(s, {
    authorization: async () => {
      n += 1;
      return `Bearer t-${n}`;
    },
    intervalMs: 1000,
  });
  await until(() => s.requests.length === 1, 'the first poll');
  await s.scheduler.advance(1000);
  await until(() => s.requests.length === 2, 'the second poll');
  expect(s.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t-1', 'Bearer t-2']);
  handle.stop();
  await handle.done;
});
