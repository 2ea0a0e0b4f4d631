/**
 * OutboundCalls against real servers on 127.0.0.1: stopping aborts a call still waiting for its answer
 * and one whose answer's body is still coming (the server sees its socket closed), refuses calls made
 * afterwards without sending them, and a call is forgotten once its answer is read or cancelled — while
 * the caller's own signal keeps working. Every server here is closed by the test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { wholeResponse } from '../kernel/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { LabStoppedError, OutboundCalls } from './outbound-calls.ts';

/** Requests the server has seen, by path, with a promise of when each one's socket closed. */
const seen = new Map<string, Promise<void>>();
let server: Server;
let base = '';

function answer(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? '/';
  seen.set(path, new Promise((resolve) => request.socket.once('close', () => resolve())));
  request.resume();
  if (path.startsWith('/never')) return; // headers never come
  if (path === '/no-content') {
    response.writeHead(204).end();
    return;
  }
  if (path.startsWith('/trickle')) {
    // Headers and a first chunk, then the rest never comes.
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first chunk');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' }).end('whole answer');
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('stopping aborts a call waiting for its answer, and the server sees its socket closed', async () => {
  const calls = new OutboundCalls();
  const fetch = calls.wrap(createHttpFetch());
  const pending = fetch(`${base}/never`);
  await expect.poll(() => seen.has('/never')).toBe(true);
  expect(calls.open).toBe(1);

  expect(calls.stop()).toBe(1);
  await expect(pending).rejects.toBeInstanceOf(LabStoppedError);
  await seen.get('/never');
  expect(calls.open).toBe(0);
});

test('stopping aborts a body still coming; a call after the stop is refused without being sent', async () => {
  const calls = new OutboundCalls();
  let sent = 0;
  const inner = createHttpFetch();
  const fetch = calls.wrap((input, init) => {
    sent += 1;
    return inner(input, init);
  });
  const response = await fetch(`${base}/trickle`);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  expect(new TextDecoder().decode((await reader.read()).value)).toBe('first chunk');
  // The answer's headers are in, yet the call is open until its body ends.
  expect(calls.open).toBe(1);

  calls.stop();
  await expect(reader.read()).rejects.toThrow();
  await seen.get('/trickle');

  await expect(fetch(`${base}/whole`)).rejects.toBeInstanceOf(LabStoppedError);
  expect(sent).toBe(1);
  expect(calls.stopped).toBe(true);
});

test('a call is forgotten once its answer is read, cancelled, or carries no body', async () => {
  const calls = new OutboundCalls();
  const fetch = calls.wrap(createHttpFetch());
  const read = await fetch(`${base}/whole`);
  expect(calls.open).toBe(1);
  expect(await read.text()).toBe('whole answer');
  expect(read.status).toBe(200);
  expect(read.headers.get('content-type')).toBe('text/plain');
  expect(calls.open).toBe(0);

  const cancelled = await fetch(`${base}/trickle-cancelled`);
  expect(calls.open).toBe(1);
  await cancelled.body?.cancel();
  expect(calls.open).toBe(0);

  const empty = await fetch(`${base}/no-content`);
  expect(empty.status).toBe(204);
  expect(calls.open).toBe(0);
  expect(calls.stop()).toBe(0);
});

test("the caller's own signal still aborts its call, and the call is forgotten", async () => {
  const calls = new OutboundCalls();
  const fetch = calls.wrap(createHttpFetch());
  const caller = new AbortController();
  const pending = fetch(`${base}/never?caller`, { signal: caller.signal });
  await expect.poll(() => seen.has('/never?caller')).toBe(true);
  caller.abort(new Error('caller gave up'));
  await expect(pending).rejects.toThrow('caller gave up');
  expect(calls.open).toBe(0);
  await expect(fetch(`${base}/whole`, { signal: caller.signal })).rejects.toThrow('caller gave up');
  expect(calls.open).toBe(0);
});

test('an answer already whole in memory (in-process) ends its call at once and reaches the caller as it is', async () => {
  const calls = new OutboundCalls();
  const whole = wholeResponse(new TextEncoder().encode('in memory'), { status: 200 });
  const fetch = calls.wrap(async () => whole);
  const answer = await fetch('https://svc.lab/x');
  expect(answer).toBe(whole); // not re-wrapped in a tracking stream
  expect(calls.open).toBe(0);
  expect(calls.stop()).toBe(0);
  expect(await answer.text()).toBe('in memory'); // nothing of it was left to abort
});
