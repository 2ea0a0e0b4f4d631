import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { EVENTS_CASES, good } from './events.cases.testing.ts';
import { eventsChecks } from './events.ts';

const own = eventsChecks.filter((c) => !c.id.startsWith('transmitter-event-sets-'));

describe('triggered event checks', () => {
  test('all hold when the triggered event arrives', () => expectAllHold(eventsChecks, good));
  test.each(rows(EVENTS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));
  test('a failed trigger skips the arrival check', () =>
    expectAllHold(
      own,
      { ...good, trigger: { ...good.trigger, status: 500 }, sets: [] },
      own.map((c) => c.id),
    ));
});
