/**
 * One bounded HTTP exchange: Retry-After parsing, the size limit, strict JSON, time limits in virtual
 * time, cancellation by the caller, network failures reported as status 0, and no redirects.
 */
import { expect, test } from 'vitest';
import { VirtualScheduler } from '../../kernel/index.ts';
import { SsfHttpError, SsfResponseError } from './http-errors.ts';
import { exchange } from './http-exchange.ts';
import { jsonResponse, never, recordingFetch, until } from './receiver.testing.ts';

const GET = { url: 'https://tx.example.com/x', method: 'GET', headers: {} } as const;

test('a JSON body is parsed and redirects are not followed', async () => {
  const { fetch, requests } = recordingFetch(() => jsonResponse(200, { a: 1 }));
  const response = await exchange(GET, { operation: 'op', fetch, timeoutMs: 1000, maxBytes: 1000 });
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ a: 1 });
  expect(response.notJson).toBeUndefined();
  expect(requests[0]?.redirect).toBe('error');
});

test('a body with a duplicate member is not taken as JSON', async () => {
  const { fetch } = recordingFetch(() => new Response('{"iss":"a","iss":"b"}', { status: 200 }));
  const response = await exchange(GET, { operation: 'op', fetch, timeoutMs: 1000, maxBytes: 1000 });
  expect(response.notJson).toContain('"iss" twice');
  expect(response.body).toBe('{"iss":"a","iss":"b"}');
});

test('an empty body and a non-JSON body are reported as such', async () => {
  const empty = recordingFetch(() => new Response(null, { status: 204 }));
  const text = recordingFetch(() => new Response('<html>', { status: 500 }));
  const options = { operation: 'op', timeoutMs: 1000, maxBytes: 1000 };
  const a = await exchange(GET, { ...options, fetch: empty.fetch });
  const b = await exchange(GET, { ...options, fetch: text.fetch });
  expect([a.body, a.notJson]).toEqual([null, 'is empty']);
  expect(b.body).toBe('<html>');
  expect(b.notJson).toMatch(/^is not JSON/);
});

test('a body over the size limit is refused, whether or not Content-Length announces it', async () => {
  const announced = recordingFetch(() => new Response('x'.repeat(2000), { status: 200 }));
  const streamed = recordingFetch(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(600));
            controller.close();
          },
        }),
        { status: 200 },
      ),
  );
  for (const { fetch } of [announced, streamed]) {
    const error = await exchange(GET, { operation: 'op', fetch, timeoutMs: 1000, maxBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SsfResponseError);
    expect((error as Error).message).toContain('larger than 1000 bytes');
  }
});

test('a server that never answers times out in scheduler time with status 0', async () => {
  const scheduler = new VirtualScheduler();
  const { fetch, requests } = recordingFetch(never, scheduler);
  const pending = exchange(GET, { operation: 'op', fetch, timeoutMs: 5000, maxBytes: 1000, scheduler }).catch(
    (e: unknown) => e,
  );
  await until(() => requests.length === 1, 'the request');
  await scheduler.advance(4999);
  let settled = false;
  void pending.then(() => {
    settled = true;
  });
  await scheduler.advance(0);
  expect(settled).toBe(false);
  await scheduler.advance(1);
  const error = await pending;
  expect(error).toBeInstanceOf(SsfHttpError);
  expect((error as SsfHttpError).status).toBe(0);
  expect((error as Error).message).toContain('no answer within 5000 ms');
});

test('a network failure is status 0 and names its cause', async () => {
  const fetch = (() =>
    Promise.reject(
      new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }),
    )) as typeof globalThis.fetch;
  const error = await exchange(GET, { operation: 'op', fetch, timeoutMs: 1000, maxBytes: 1000 }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SsfHttpError);
  expect((error as SsfHttpError).status).toBe(0);
  expect((error as Error).message).toBe(
    'op: GET https://tx.example.com/x failed: fetch failed (connect ECONNREFUSED)',
  );
});

test("the caller's abort is passed through as itself, not as an HTTP error", async () => {
  const controller = new AbortController();
  const { fetch, requests } = recordingFetch(never);
  const pending = exchange(GET, {
    operation: 'op',
    fetch,
    timeoutMs: 60_000,
    maxBytes: 1000,
    signal: controller.signal,
  }).catch((e: unknown) => e);
  await until(() => requests.length === 1, 'the request');
  const reason = new Error('stopped by caller');
  controller.abort(reason);
  expect(await pending).toBe(reason);
});
