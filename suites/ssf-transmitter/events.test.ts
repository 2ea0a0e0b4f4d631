import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type EventsCapture, eventsChecks } from './events.ts';
import type { JudgedSet } from './wire.ts';

const DCC = 'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change';
const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

const set = (type: string): JudgedSet => ({
  via: 'push',
  jti: 'j',
  eventTypes: [type],
  findings: [],
  signature: 'valid',
});

const good: EventsCapture = {
  trigger: { method: 'POST', url: 'https://tx.example/_test/threat', status: 202 },
  eventsDelivered: [DCC],
  sets: [set(DCC)],
};

const own = eventsChecks.filter((c) => !c.id.startsWith('transmitter-event-sets-'));

describe('triggered event checks', () => {
  test('all hold when the triggered event arrives', () => expectAllHold(eventsChecks, good));
  test('each fails over a conversation that breaks it', () =>
    expectEachFails(own, {
      'transmitter-triggered-event-arrives': { ...good, sets: [set(VERIFICATION)] },
      'transmitter-event-types-are-delivered-types': { ...good, eventsDelivered: [] },
    }));
  test('a failed trigger skips the arrival check', () =>
    expectAllHold(
      own,
      { ...good, trigger: { ...good.trigger, status: 500 }, sets: [] },
      own.map((c) => c.id),
    ));
});
