/**
 * JSC's SET ledger over HTTP (`GET /_lab/sets`, `GET /_lab/state`'s `streamDelivery`): a SET whose stream is
 * deleted while it waits out a Retry-After ends `dropped` (`stream-deleted`) where the lab can read it, the
 * stall before that is visible with its cap, and dead letters are listed in full. Driven through the SSF
 * management API with a lab receiver account; the receiver is a scripted fetch; virtual time.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../harness/kernel/index.ts';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { buildJscMock, type JscMock } from './index.ts';

let jsc: JscMock;
let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = (await generateSigningKey('RS256', { kid: 'jsc-ledger-test' })).key;
});
afterEach(async () => {
  await jsc.close();
});

const PUSH_URL = 'https://receiver.example/push';

/** A receiver that answers each push with the next scripted response (then 202). */
function scriptedFetch(answers: Response[]): typeof fetch {
  return async (input) => {
    if (String(input) !== PUSH_URL) throw new TypeError(`unexpected request to ${String(input)}`);
    return answers.shift() ?? new Response(null, { status: 202 });
  };
}

async function setUp(answers: Response[]) {
  const scheduler = new VirtualScheduler();
  jsc = await buildJscMock({
    signingKey,
    clock: scheduler,
    customerId: 'cust-ledger',
    fetch: scriptedFetch(answers),
  });
  const made = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/ssf-receivers',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ audience: 'urn:example:rx' }),
  });
  const token = (made.json() as { token: string }).token;
  const call = (method: 'POST' | 'DELETE', url: string, body?: unknown) =>
    jsc.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const created = await call('POST', '/sse/cust-ledger/ssf/streams', {
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpoint_url: PUSH_URL,
      authorization_header: 'Bearer rx-secret',
    },
  });
  expect(created.statusCode).toBe(201);
  const streamId = (created.json() as { stream_id: string }).stream_id;
  const verify = async (): Promise<void> => {
    expect((await call('POST', '/sse/cust-ledger/ssf/verify', { stream_id: streamId })).statusCode).toBe(204);
    await scheduler.advance(0);
  };
  return { scheduler, streamId, call, verify };
}

const get = async (url: string) => {
  const answer = await jsc.app.inject({ method: 'GET', url });
  return { status: answer.statusCode, body: answer.json() as Record<string, unknown>, raw: answer.body };
};

test('a SET stalled on a Retry-After shows the stall; deleting its stream leaves it dropped (stream-deleted) over HTTP', async () => {
  const { streamId, call, verify } = await setUp([
    new Response(null, { status: 503, headers: { 'retry-after': '86400' } }),
  ]);
  await verify();
  const state = await get('/_lab/state');
  const delivery = (state.body.streamDelivery as { streamId: string; retrying: unknown[] }[]).find(
    (s) => s.streamId === streamId,
  );
  expect(delivery?.retrying).toEqual([
    expect.objectContaining({
      attempts: 1,
      retryAfterMs: 86_400_000,
      waiting: expect.stringContaining('capped at 300 s'),
      retryAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    }),
  ]);
  // The stream's authorization_header is a credential: the lab views never show it.
  expect(state.raw).not.toContain('rx-secret');
  expect((await call('DELETE', `/sse/cust-ledger/ssf/streams?stream_id=${streamId}`)).statusCode).toBe(204);
  const sets = await get(`/_lab/sets?streamId=${streamId}`);
  expect(sets.status).toBe(200);
  expect(sets.body.sets).toEqual([
    expect.objectContaining({
      streamId,
      state: 'dropped',
      reason: 'stream-deleted',
      attempts: [expect.objectContaining({ status: 503, retryAfterMs: 86_400_000 })],
    }),
  ]);
  expect(sets.body.counts).toMatchObject({ queued: 0, 'in-flight': 0, dropped: 1 });
  expect(sets.raw).not.toContain('rx-secret');
});

test('dead letters are listed in full: reason, the err the receiver gave, every attempt', async () => {
  const { verify } = await setUp([
    new Response(JSON.stringify({ err: 'invalid_audience', description: 'not for us' }), {
      status: 400,
      headers: { 'content-type': 'application/json' },
    }),
  ]);
  await verify();
  const sets = await get('/_lab/sets?state=dead-lettered');
  expect(sets.body.matching).toBe(1);
  expect(sets.body.sets).toEqual([
    expect.objectContaining({
      state: 'dead-lettered',
      reason: expect.stringContaining('invalid_audience'),
      attempts: [expect.objectContaining({ status: 400, err: 'invalid_audience: not for us' })],
    }),
  ]);
  expect(sets.body).toMatchObject({ cap: 10_000, forgotten: 0 });
});

test('bad filters on /_lab/sets are a 400 naming the problem', async () => {
  await setUp([]);
  for (const [query, message] of [
    ['state=lost', /"state" must be one of/],
    ['limit=0', /"limit" must be an integer/],
    ['limit=abc', /"limit" must be an integer/],
    ['limit=99999999', /"limit" must be an integer/],
  ] as const) {
    const answer = await get(`/_lab/sets?${query}`);
    expect(answer.status, query).toBe(400);
    expect(answer.body.message, query).toMatch(message);
  }
});
