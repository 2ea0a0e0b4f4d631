/**
 * The apps' logout-token replay cache never forgets a live id: full, it refuses new ones (the route then
 * answers 503 and Okta retries) and still recognises the oldest; ids go once their token has expired.
 */
import { expect, test } from 'vitest';
import { ReplayCache } from './replay-cache.ts';

test('full of live token ids, it refuses a new one and still knows the first, past 100,000 ids', () => {
  const clock = { ms: Date.UTC(2026, 0, 1) };
  const cache = new ReplayCache({ now: () => clock.ms, capacity: 110_000 });
  const until = clock.ms + 300_000;
  let added = 0;
  for (let i = 0; i < 110_000; i += 1) if (cache.add(`jti-${i}`, until)) added += 1;
  expect(added).toBe(110_000);
  expect(cache.add('one-more', until)).toBe(false);
  expect(cache.has('one-more')).toBe(false);
  expect(cache.has('jti-0')).toBe(true);
  // Once the tokens have expired their ids go, and there is room again.
  clock.ms = until + 1000;
  expect(cache.has('jti-0')).toBe(false);
  expect(cache.add('one-more', clock.ms + 300_000)).toBe(true);
  expect(cache.size).toBe(1);
});
