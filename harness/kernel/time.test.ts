import { expect, test } from 'vitest';
import { fixedClock, secondsNow, VirtualScheduler } from './time.ts';

test('a fixed clock stays where it is put and fires its timers, in order, as it is moved past them', () => {
  const clock = fixedClock(1_000);
  const fired: string[] = [];
  clock.setTimer(500, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
  const cancelled = clock.setTimer(200, () => fired.push('cancelled'));
  cancelled.cancel();
  clock.advance(99);
  expect(fired).toEqual([]);
  expect(clock.now()).toBe(1_099);
  clock.advance(1_000);
  expect(fired).toEqual(['a@1100', 'b@1500']);
  expect(clock.now()).toBe(2_099);
  clock.set(0); // backwards too: tests reset a shared clock
  expect(clock.now()).toBe(0);
  expect(secondsNow(clock)).toBe(0);
});

test('a fixed clock is a Scheduler: sleep resolves once the clock is moved past it, or rejects on abort', async () => {
  const clock = fixedClock(0);
  const slept = clock.sleep(1_000);
  clock.advance(1_000);
  await expect(slept).resolves.toBeUndefined();
  const abort = new AbortController();
  const aborted = clock.sleep(1_000, abort.signal);
  abort.abort(new Error('stop'));
  await expect(aborted).rejects.toThrow('stop');
});

test('virtual time runs the async chains its timers start within one advance', async () => {
  const scheduler = new VirtualScheduler(0);
  const seen: number[] = [];
  const chain = async (): Promise<void> => {
    await scheduler.sleep(100);
    seen.push(scheduler.now());
    await scheduler.sleep(100);
    seen.push(scheduler.now());
  };
  const done = chain();
  await scheduler.advance(250);
  await done;
  expect(seen).toEqual([100, 200]);
  expect(scheduler.now()).toBe(250);
  expect(scheduler.pending).toBe(0);
});
