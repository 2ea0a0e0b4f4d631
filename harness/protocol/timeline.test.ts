import { expect, test } from 'vitest';
import { REDACTED } from './redact.ts';
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
