/**
 * ReplayGuard: the iat acceptance window, ids remembered per issuer until their window ends and only
 * then forgotten, and a hard capacity that refuses new ids rather than forget a live one — past the old
 * 100,000-id cache's limit too. Plain numbers for time; no SETs needed (set-intake.test.ts has those).
 */
import { expect, test } from 'vitest';
import { DEFAULT_REPLAY_WINDOW, ReplayGuard } from './replay-guard.ts';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, in ms
const ISS = 'https://tx.example.com';

function guard(options: { capacity?: number; maxAgeSeconds?: number; maxFutureSeconds?: number } = {}) {
  const clock = { ms: T0 };
  const g = new ReplayGuard({ ...options, now: () => clock.ms });
  const nowS = (): number => Math.floor(clock.ms / 1000);
  return { g, clock, nowS };
}

test('defaults: 24 h into the past, 5 min into the future, 1,000,000 ids', () => {
  expect(DEFAULT_REPLAY_WINDOW).toEqual({
    maxAgeSeconds: 86_400,
    maxFutureSeconds: 300,
    capacity: 1_000_000,
  });
  const { g } = guard();
  expect([g.maxAgeSeconds, g.maxFutureSeconds, g.capacity]).toEqual([86_400, 300, 1_000_000]);
});

test('a new id is new until remembered, then a replay; the same jti from another issuer is its own', () => {
  const { g, nowS } = guard();
  expect(g.inspect(ISS, 'j1', nowS()).kind).toBe('new');
  expect(g.remember(ISS, 'j1', nowS())).toBe(true);
  expect(g.inspect(ISS, 'j1', nowS()).kind).toBe('replay');
  expect(g.inspect('https://other.example.com', 'j1', nowS()).kind).toBe('new');
  expect(g.remember(ISS, 'j1', nowS())).toBe(false);
  expect(g.size).toBe(1);
});

test.each([
  [
    'a day and a second old',
    -86_401,
    /"iat" is 86401 s in the past, outside this Receiver's acceptance window/,
  ],
  ['301 s in the future', 301, /"iat" is 301 s in the future/],
  ['not a number', 'yesterday', /"iat" is not a NumericDate/],
])('an iat %s is outside the window, and the description names iat', (_what, offset, message) => {
  const { g, nowS } = guard();
  const iat = typeof offset === 'number' ? nowS() + offset : offset;
  const verdict = g.inspect(ISS, 'j', iat);
  expect(verdict.kind).toBe('outside-window');
  expect(verdict.kind === 'outside-window' && verdict.description).toMatch(message);
});

test('the window edges are inside: exactly 24 h old and exactly 5 min ahead', () => {
  const { g, nowS } = guard();
  expect(g.inspect(ISS, 'old', nowS() - 86_400).kind).toBe('new');
  expect(g.inspect(ISS, 'ahead', nowS() + 300).kind).toBe('new');
});

test('an id is remembered until its window ends, then forgotten — when its replay is refused as stale anyway', () => {
  const { g, clock, nowS } = guard({ maxAgeSeconds: 600 });
  const iat = nowS();
  g.remember(ISS, 'j', iat);
  clock.ms += 600_000;
  expect(g.inspect(ISS, 'j', iat).kind).toBe('replay');
  expect(g.size).toBe(1);
  clock.ms += 1000;
  expect(g.inspect(ISS, 'j', iat).kind).toBe('outside-window');
  expect(g.size).toBe(0);
});

test('forgetting follows arrival order: an expired id behind a live older arrival waits, never the reverse', () => {
  const { g, clock, nowS } = guard({ maxAgeSeconds: 600 });
  g.remember(ISS, 'fresh-first', nowS());
  g.remember(ISS, 'old-second', nowS() - 500);
  clock.ms += 200_000;
  // 'old-second' is past its window, but sits behind a live id: kept (longer than needed, never shorter).
  expect(g.size).toBe(2);
  expect(g.seen(ISS, 'fresh-first')).toBe(true);
  clock.ms += 401_000;
  expect(g.seen(ISS, 'fresh-first')).toBe(false);
  expect(g.size).toBe(0);
});

test('full of live ids, it refuses new ones (retryable) and still knows the first: past the old 100,000-id cache', () => {
  const capacity = 120_000;
  const { g, clock, nowS } = guard({ capacity, maxAgeSeconds: 3600 });
  const iat = nowS();
  let remembered = 0;
  for (let i = 0; i < capacity; i += 1) if (g.remember(ISS, `jti-${i}`, iat)) remembered += 1;
  expect(remembered).toBe(capacity);
  const verdict = g.inspect(ISS, 'one-more', iat);
  expect(verdict.kind).toBe('full');
  expect(verdict.kind === 'full' && verdict.retryAfterSeconds).toBe(3601);
  expect(g.remember(ISS, 'one-more', iat)).toBe(false);
  // The very first id, 120,000 ids ago, is still a replay.
  expect(g.inspect(ISS, 'jti-0', iat).kind).toBe('replay');
  expect(g.refusedFull).toBe(1);
  // Once the window passes, room comes back.
  clock.ms += 3601_000;
  expect(g.inspect(ISS, 'one-more', nowS()).kind).toBe('new');
});

test('long ids are held as digests: distinct ones stay distinct, the same one is a replay', () => {
  const { g, nowS } = guard();
  const long = (c: string): string => `${'x'.repeat(200)}${c}`;
  g.remember(ISS, long('a'), nowS());
  expect(g.inspect(ISS, long('a'), nowS()).kind).toBe('replay');
  expect(g.inspect(ISS, long('b'), nowS()).kind).toBe('new');
});

test('bad options are refused at construction', () => {
  for (const bad of [{ capacity: 0 }, { maxAgeSeconds: 0 }, { maxFutureSeconds: -1 }, { capacity: 1.5 }])
    expect(() => new ReplayGuard({ ...bad, now: () => T0 })).toThrow(RangeError);
});
