/**
 * JtiCache: remembers ids once, stays within its cap, and forgets the oldest id first.
 */
import { expect, test } from 'vitest';
import { DEFAULT_JTI_CACHE_CAP, JtiCache } from './jti-cache.ts';

test('a new jti is remembered and a repeat is reported as seen', () => {
  const cache = new JtiCache();
  expect(cache.remember('a')).toBe(true);
  expect(cache.remember('a')).toBe(false);
  expect(cache.has('a')).toBe(true);
  expect(cache.has('b')).toBe(false);
  expect(cache.size).toBe(1);
});

test('the default cap is 100 000 ids', () => {
  expect(new JtiCache().cap).toBe(100_000);
  expect(DEFAULT_JTI_CACHE_CAP).toBe(100_000);
});

test('the cache never holds more than its cap', () => {
  const cache = new JtiCache(3);
  for (let i = 0; i < 10; i++) cache.remember(`j${i}`);
  expect(cache.size).toBe(3);
});

test('when full, the oldest id is forgotten first', () => {
  const cache = new JtiCache(3);
  cache.remember('a');
  cache.remember('b');
  cache.remember('c');
  cache.remember('d');
  expect(cache.has('a')).toBe(false);
  expect(['b', 'c', 'd'].every((j) => cache.has(j))).toBe(true);
  // A forgotten id counts as new again.
  expect(cache.remember('a')).toBe(true);
  expect(cache.has('b')).toBe(false);
});

test('seeing an id again does not refresh its age (eviction is first in, first out)', () => {
  const cache = new JtiCache(2);
  cache.remember('a');
  cache.remember('b');
  expect(cache.remember('a')).toBe(false);
  cache.remember('c');
  expect(cache.has('a')).toBe(false);
  expect(cache.has('b')).toBe(true);
});

test.each([0, -1, 1.5, Number.NaN])('a cap of %s is refused', (cap) => {
  expect(() => new JtiCache(cap)).toThrow(RangeError);
});
