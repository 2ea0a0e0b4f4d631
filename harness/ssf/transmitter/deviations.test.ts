/**
 * The transmitter's deviations, one SET at a time: what a deviation changes in the SETs it makes, judged
 * by the validator the plans use. docs/self-test.md shows each failing its plan's checks end to end
 * against the lab; this pins what the SET looks like.
 */
import { afterEach, expect, test } from 'vitest';
import { Deviations } from '../../kernel/index.ts';
import { EVENT_URIS, type Finding, lintSet } from '../../protocol/index.ts';
import { DEVIANT_SUBJECT_FORMAT, TRANSMITTER_DEVIATIONS } from './deviations.ts';
import { claimsOf, type Harness, harness, ISSUER } from './transmitter.testing.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const STREAMS = '/tenant-1/ssf/streams';
const USER = { format: 'email', email: 'pat.doe@acme.example' } as const;
const DEVICE = { format: 'opaque', id: 'device-7' } as const;
const EVENT_TIMESTAMP = 1767225590;

const deviating = (...names: (keyof typeof TRANSMITTER_DEVIATIONS)[]) =>
  harness({ deviations: new Deviations(TRANSMITTER_DEVIATIONS, names) });

/** The findings of `level` the ssf profile (or `profile`) raises on `token`, by check id. */
function findings(token: string, level: Finding['level'], profile: 'ssf' | 'okta' = 'ssf'): string[] {
  const { findings } = lintSet(token, {
    profile,
    clock: h.scheduler,
    expectedIssuer: ISSUER,
  });
  return findings.filter((f) => f.level === level).map((f) => `${f.check} ${f.path ?? ''}`.trim());
}

test('transmitter-proprietary-subject-format: simple and complex subjects in sub_id are renamed, control events are not', async () => {
  h = await deviating('transmitter-proprietary-subject-format');
  const streamId = (await h.call('POST', STREAMS, { delivery: { method: 'urn:ietf:rfc:8936' } })).json()
    .stream_id as string;

  const [simple] = await h.transmitter.emit({
    eventType: EVENT_URIS.sessionRevoked,
    payload: { event_timestamp: EVENT_TIMESTAMP },
    subject: USER,
  });
  expect(claimsOf(simple?.token ?? '').sub_id).toEqual({ format: DEVIANT_SUBJECT_FORMAT, id: USER.email });
  expect(findings(simple?.token ?? '', 'info')).toEqual([
    'subject-format-is-registered /payload/sub_id/format',
  ]);
  expect(findings(simple?.token ?? '', 'failure')).toEqual([]);

  const [complex] = await h.transmitter.emit({
    eventType: EVENT_URIS.deviceComplianceChange,
    payload: {
      event_timestamp: EVENT_TIMESTAMP,
      previous_status: 'compliant',
      current_status: 'not-compliant',
    },
    subject: { format: 'complex', user: USER, device: DEVICE },
  });
  // "complex" is registered; its members are what is renamed.
  expect(claimsOf(complex?.token ?? '').sub_id).toEqual({
    format: 'complex',
    user: { format: DEVIANT_SUBJECT_FORMAT, id: USER.email },
    device: { format: DEVIANT_SUBJECT_FORMAT, id: DEVICE.id },
  });
  expect(findings(complex?.token ?? '', 'info')).toEqual([
    'subject-format-is-registered /payload/sub_id/user/format',
    'subject-format-is-registered /payload/sub_id/device/format',
  ]);
  expect(findings(complex?.token ?? '', 'failure')).toEqual([]);

  // A verification event names the stream, as SSF §8.1.4.1 says, deviation or not.
  const verification = await h.transmitter.sendVerification(streamId);
  expect(claimsOf(verification.token).sub_id).toEqual({ format: 'opaque', id: streamId });
  expect(findings(verification.token, 'info')).toEqual([]);
});

test("transmitter-proprietary-subject-format: Okta's in-event subject keeps its email user, its device is renamed", async () => {
  h = await deviating('transmitter-proprietary-subject-format');
  h.transmitter.createStream(
    'a',
    { delivery: { method: 'urn:ietf:rfc:8936' }, events_requested: [EVENT_URIS.oktaDeviceRiskChange] },
    { subjectPlacement: 'in-event' },
  );
  const [record] = await h.transmitter.emit({
    eventType: EVENT_URIS.oktaDeviceRiskChange,
    payload: { event_timestamp: EVENT_TIMESTAMP, current_level: 'low', previous_level: 'secure' },
    subject: { user: USER, device: DEVICE },
  });
  const event = (claimsOf(record?.token ?? '').events as Record<string, { subject: unknown }>)[
    EVENT_URIS.oktaDeviceRiskChange
  ];
  expect(event?.subject).toEqual({ user: USER, device: { format: DEVIANT_SUBJECT_FORMAT, id: DEVICE.id } });
  // Okta documents the device as an opaque id (SecurityEventSubject), so under its contract the renamed
  // device is a schema failure — the one thing wrong with the SET.
  expect(findings(record?.token ?? '', 'failure', 'okta')).toEqual([
    `event-payload-matches-event-schema /payload/events/${EVENT_URIS.oktaDeviceRiskChange.replaceAll('/', '~1')}/subject/device/format`,
  ]);
});

test('without the deviation the same subjects go out as given', async () => {
  h = await harness();
  await h.call('POST', STREAMS, { delivery: { method: 'urn:ietf:rfc:8936' } });
  const [record] = await h.transmitter.emit({
    eventType: EVENT_URIS.sessionRevoked,
    payload: { event_timestamp: EVENT_TIMESTAMP },
    subject: USER,
  });
  expect(claimsOf(record?.token ?? '').sub_id).toEqual(USER);
  expect(findings(record?.token ?? '', 'info')).toEqual([]);
});
