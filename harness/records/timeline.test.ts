import { expect, test } from 'vitest';
import { REDACTED, wholeResponse } from '../kernel/index.ts';
import { Timeline } from './timeline.ts';

test('an exchange the harness served is recorded redacted, with its SET decoded, in sequence', async () => {
  const timeline = new Timeline({
    services: new Map([['https://jsc.lab', 'jamf-security-cloud']]),
    now: () => 1000,
  });
  const fetched = timeline.recording(async () => new Response('{}', { status: 200 }), 'harness');
  await fetched('https://jsc.lab/x');
  const set = 'eyJhbGciOiJub25lIiwidHlwIjoic2VjZXZlbnQrand0In0.eyJpc3MiOiJodHRwczovL2pzYy5sYWIifQ.';
  timeline.record({
    from: 'jamf-security-cloud',
    to: 'harness',
    method: 'post',
    url: 'https://harness.lab/push?code=abc',
    requestHeaders: { Authorization: 'Bearer secret-token', 'Content-Type': 'application/secevent+jwt' },
    requestBody: set,
    status: 202,
    responseHeaders: { 'set-cookie': 'sid=1' },
    responseBody: '',
    durationMs: 4,
  });
  const [first, second] = timeline.entries;
  expect(first?.seq).toBe(1);
  expect(second).toMatchObject({
    seq: 2,
    at: 996,
    method: 'POST',
    status: 202,
    url: `https://harness.lab/push?code=${encodeURIComponent(REDACTED)}`,
    requestHeaders: { authorization: `Bearer ${REDACTED}`, 'content-type': 'application/secevent+jwt' },
    responseHeaders: { 'set-cookie': REDACTED },
    set: { claims: { iss: 'https://jsc.lab' } },
  });
  expect(second?.responseBody).toBeUndefined();
});

test('a cursor reader sees every exchange once, in the order they completed, even a call made inside another', async () => {
  const timeline = new Timeline({ services: new Map(), now: () => 0, cap: 3 });
  const inner = timeline.recording(async () => new Response(null, { status: 204 }), 'okta');
  // The outer call leaves first (seq 1) and completes after the call it makes (seq 2).
  const outer = timeline.recording(async () => {
    await inner('https://app.lab/logout');
    return new Response('', { status: 200 });
  }, 'jamf-security-cloud');
  await outer('https://okta.lab/push');
  const first = timeline.completedSince(0);
  expect(first.exchanges.map((x) => x.seq)).toEqual([2, 1]);
  expect(first.cursor).toBe(2);
  expect(timeline.completedSince(first.cursor).exchanges).toEqual([]);
  // Past the cap, a slow reader is told how many it missed.
  for (let i = 0; i < 4; i++) await inner(`https://app.lab/${i}`);
  const late = timeline.completedSince(first.cursor, 2);
  expect(late).toMatchObject({ missed: 1, cursor: 5 });
  expect(late.exchanges).toHaveLength(2);
  expect(timeline.realNowMs()).toBeGreaterThanOrEqual(0);
});

/** A lazily generated answer of up to `chunks` KiB that counts the chunks pulled from it. */
function endless(chunks: number, first = ''): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) return controller.close();
        const chunk = new Uint8Array(1024).fill(0x20);
        if (pulled === 0) chunk.set(new TextEncoder().encode(first));
        pulled++;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled: () => pulled };
}

test('the recorder reads only the start of a huge answer, notes the cut, and leaves the caller the whole stream', async () => {
  const timeline = new Timeline({ services: new Map() });
  const answer = endless(100_000); // 100 MB were it read to the end
  const fetched = timeline.recording(async () => new Response(answer.body, { status: 400 }), 'okta');
  const response = await fetched('https://app.lab/logout', { method: 'POST' });
  // 16 KiB kept, the chunk that showed there was more, and at most one the copy's tee pulled ahead.
  expect(answer.pulled()).toBeGreaterThanOrEqual(17);
  expect(answer.pulled()).toBeLessThanOrEqual(18);
  const [entry] = timeline.entries;
  expect(entry?.status).toBe(400);
  expect(entry?.responseBody).toMatch(
    /… \[cut: the answer is more than 16384 bytes; only the first 16384 were read\]$/,
  );
  expect(entry?.responseBody?.length).toBeLessThan(16 * 1024 + 100);
  // The caller's side of the copy still streams from the first byte on, past what the recorder read.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let read = 0;
  while (read < 40 * 1024) read += (await reader.read()).value?.byteLength ?? 0;
  await reader.cancel();
  expect(read).toBeGreaterThanOrEqual(40 * 1024);
  expect(answer.pulled()).toBeLessThan(60);
});

test('a JSON answer cut inside a credential does not record the part of it that was read', async () => {
  const timeline = new Timeline({ services: new Map() });
  const secret = 's'.repeat(20 * 1024);
  const body = `{"error":"x","sessionToken":"${secret}"}`;
  const fetched = timeline.recording(
    async () =>
      new Response(body, {
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      }),
    'harness',
  );
  await fetched('https://okta.lab/api/v1/authn');
  const recorded = timeline.entries[0]?.responseBody ?? '';
  expect(recorded).toContain('"error":"x"');
  expect(recorded).toContain(`cut: the answer is ${Buffer.byteLength(body)} bytes declared`);
  expect(recorded).not.toContain('sss');
});

test('an answer of exactly the record cap is kept whole and not marked cut', async () => {
  const timeline = new Timeline({ services: new Map() });
  const fetched = timeline.recording(async () => new Response('a'.repeat(16 * 1024)), 'harness');
  await fetched('https://x.lab/');
  expect(timeline.entries[0]?.responseBody).toBe('a'.repeat(16 * 1024));
});

test('an answer already whole in memory is recorded from its bytes: no clone, the caller reads it all', async () => {
  const timeline = new Timeline({ services: new Map([['https://okta.lab', 'okta']]) });
  const answer = wholeResponse(new TextEncoder().encode(`{"token":"t","big":"${'x'.repeat(20_000)}"}`), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
  Object.defineProperty(answer, 'clone', {
    value: () => {
      throw new Error('the recorder teed a body it had whole');
    },
  });
  const fetched = timeline.recording(async () => answer, 'harness');
  const response = await fetched('https://okta.lab/x');
  expect(response.bodyUsed).toBe(false);
  expect(((await response.json()) as { big: string }).big).toHaveLength(20_000);
  const [entry] = timeline.entries;
  expect(entry?.responseBody).toMatch(
    /^\{"token":"\[redacted\]","big":… \[cut: the answer is more than 16384 bytes/,
  );
});
