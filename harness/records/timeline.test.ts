import { expect, test } from 'vitest';
import { REDACTED } from '../kernel/index.ts';
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
