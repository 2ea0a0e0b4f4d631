import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { IdleAdvancingClock, isVirtual, labWaits, realWaits, startCertifyLab } from './lab-time.ts';

const clocks: IdleAdvancingClock[] = [];
function clock(options: ConstructorParameters<typeof IdleAdvancingClock>[0] = {}): IdleAdvancingClock {
  const c = new IdleAdvancingClock({ startMs: 1_000_000, ...options });
  clocks.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clocks.splice(0).map((c) => c.close()));
});

test('a harness sleep of ten minutes ends at once in real time, exactly ten minutes later on the clock', async () => {
  const c = clock();
  const started = performance.now();
  await c.sleep(10 * 60_000);
  expect(c.now()).toBe(1_000_000 + 10 * 60_000);
  expect(performance.now() - started).toBeLessThan(2000);
});

test("the lab's timers fire in order at their due time while the harness sleeps; a backoff keeps its delay", async () => {
  const c = clock();
  const attempts: number[] = [];
  // A retry chain as the transmitter runs one: each attempt sets the next timer, twice as far off.
  const attempt = (wait: number): void => {
    attempts.push(c.now());
    if (attempts.length < 4) c.scheduler.setTimer(wait, () => attempt(wait * 2));
  };
  attempt(1000);
  await c.sleep(60_000);
  expect(attempts.map((at) => at - 1_000_000)).toEqual([0, 1000, 3000, 7000]);
  expect(c.now()).toBe(1_060_000);
});

test('time stands still while nothing of the harness waits on it', async () => {
  const c = clock();
  let fired = false;
  c.scheduler.setTimer(100, () => {
    fired = true;
  });
  await realSleep(150);
  expect(fired).toBe(false);
  expect(c.now()).toBe(1_000_000);
  // As soon as the harness waits, the lab's timer is due first.
  await c.sleep(200);
  expect(fired).toBe(true);
});

test('time does not move on while a call of the harness is being answered', async () => {
  const c = clock();
  let fired = false;
  c.scheduler.setTimer(10, () => {
    fired = true;
  });
  // An answer that takes real work (100 ms of it), well short of a stalled call.
  const slow: typeof fetch = async () => {
    await realSleep(100);
    return new Response('{}');
  };
  await c.calls(slow)('https://lab.example/work');
  expect(fired).toBe(false);
  expect(c.now()).toBe(1_000_000);
});

test('a call that waits on a lab timer gets its answer, with the clock no faster than real time', async () => {
  const c = clock({ callStallMs: 50 });
  // A long poll: answered when a lab timer 300 ms off fires.
  const longPoll: typeof fetch = () =>
    new Promise((resolve) => c.scheduler.setTimer(300, () => resolve(new Response(null, { status: 204 }))));
  const started = performance.now();
  const answer = await c.calls(longPoll)('https://lab.example/poll');
  const elapsed = performance.now() - started;
  expect(answer.status).toBe(204);
  expect(c.now() - 1_000_000).toBeGreaterThanOrEqual(300);
  expect(c.now() - 1_000_000).toBeLessThanOrEqual(elapsed + 20);
});

test('an aborted sleep rejects with its reason and leaves the clock where it was', async () => {
  const c = clock();
  const stop = new AbortController();
  const sleeping = c.sleep(60_000, stop.signal);
  stop.abort(new Error('stopped'));
  await expect(sleeping).rejects.toThrow('stopped');
  expect(c.now()).toBe(1_000_000);
});

test('an in-process certification lab runs on its virtual clock; real waits are real', async () => {
  expect(isVirtual(realWaits)).toBe(false);
  const lab = await startCertifyLab({ transport: 'in-process', devices: 2, intercept: false });
  try {
    const waits = labWaits(lab);
    expect(isVirtual(waits)).toBe(true);
    const before = waits.now();
    // The lab's whole timeline is stamped on that clock: an hour's wait is an hour later there.
    await waits.sleep(3600_000);
    const answer = await lab.fetch(`${lab.urls.okta}/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    const stamped = lab.timeline.entries.at(-1);
    expect(stamped?.at).toBeGreaterThanOrEqual(before + 3600_000);
  } finally {
    await lab.close();
  }
});
