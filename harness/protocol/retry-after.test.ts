/** The one Retry-After reading: seconds or an HTTP-date, nothing else. */
import { expect, test } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

test.each([
  ['30', 30_000],
  [' 0 ', 0],
  ['Thu, 01 Jan 2026 00:01:00 GMT', 60_000],
  ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
  ['soon', undefined],
  ['-5', undefined],
  ['1.5', undefined],
] as const)('Retry-After %j waits %j ms', (value, ms) => {
  expect(parseRetryAfter(value, Date.UTC(2026, 0, 1))).toBe(ms);
});

test('no Retry-After header means no wait from it', () => {
  expect(parseRetryAfter(null, 0)).toBeUndefined();
});

test('an ISO 8601 timestamp is not an HTTP-date, and an empty header asks for nothing', () => {
  expect(parseRetryAfter('2026-01-01T00:01:00Z', Date.UTC(2026, 0, 1))).toBeUndefined();
  expect(parseRetryAfter('', 0)).toBeUndefined();
  expect(parseRetryAfter(undefined, 0)).toBeUndefined();
});
