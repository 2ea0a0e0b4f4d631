/**
 * Which push outcomes are retried and how long the transmitter waits (RFC 8935 §2.4).
 */
import { expect, test } from 'vitest';
import { backoffDelay, classify, DEFAULT_RETRY } from './retry-policy.ts';

test.each([202, 200, 204])('HTTP %i counts as delivered', (status) => {
  expect(classify(status, undefined, undefined)).toEqual({ kind: 'delivered' });
});

test.each([0, 408, 429, 500, 502, 503, 504])('HTTP %i (0: no response) is retried', (status) => {
  expect(classify(status, undefined, undefined).kind).toBe('retry');
});

test.each([400, 401, 403, 404, 413, 415, 301])('HTTP %i is not retried', (status) => {
  expect(classify(status, undefined, 'invalid_request').kind).toBe('reject');
});

test('the backoff doubles from the base, is capped, and spreads by the jitter', () => {
  const none = (): number => 0.5;
  expect([1, 2, 3, 4].map((n) => backoffDelay(n, DEFAULT_RETRY, none))).toEqual([1000, 2000, 4000, 8000]);
  expect(backoffDelay(20, DEFAULT_RETRY, none)).toBe(DEFAULT_RETRY.maxDelayMs);
  expect(backoffDelay(1, DEFAULT_RETRY, () => 0)).toBe(800);
  expect(backoffDelay(1, DEFAULT_RETRY, () => 0.999999)).toBe(1200);
});

test('Retry-After is the least wait, and is itself capped', () => {
  const mid = (): number => 0.5;
  expect(backoffDelay(1, DEFAULT_RETRY, mid, 30_000)).toBe(30_000);
  expect(backoffDelay(5, DEFAULT_RETRY, mid, 1000)).toBe(16_000);
  expect(backoffDelay(1, DEFAULT_RETRY, mid, 10 * 3600_000)).toBe(DEFAULT_RETRY.maxRetryAfterMs);
});
