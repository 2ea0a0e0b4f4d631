/** The events module's conforming capture and its failing cases (its SET checks' included). */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type EventsCapture, eventsChecks } from './events.ts';
import { DEVICE_COMPLIANCE_SET, setCheckCases } from './set-checks.cases.testing.ts';
import type { JudgedSet } from './wire.ts';

export const DCC = 'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change';
const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

export const set = (type: string): JudgedSet => ({
  via: 'push',
  jti: 'j',
  eventTypes: [type],
  findings: [],
  signature: 'valid',
});

export const good: EventsCapture = {
  trigger: { method: 'POST', url: 'https://tx.example/_test/threat', status: 202 },
  eventsDelivered: [DCC],
  sets: [set(DCC)],
};

const fails = casesFor(eventsChecks);

export const EVENTS_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-triggered-event-arrives',
    { ...good, sets: [set(VERIFICATION)] },
    'The trigger was accepted but only a verification event arrived, not the event it was to make.',
    /no event \(other than verification or stream-updated\) arrived/,
  ),
  fails(
    'transmitter-event-types-are-delivered-types',
    { ...good, eventsDelivered: [DCC], sets: [set(SESSION_REVOKED)] },
    'A session-revoked event arrives on a stream whose events_delivered holds only device-compliance-change.',
    /carries .*session-revoked, which is not in events_delivered/,
  ),
  ...(await setCheckCases(eventsChecks, good, DEVICE_COMPLIANCE_SET)),
];
