/** The status module's conforming capture and its failing cases (its SET checks' included). */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { setCheckCases, VERIFICATION_SET } from './set-checks.cases.testing.ts';
import { type StatusCapture, statusChecks } from './status.ts';
import type { Captured } from './wire.ts';

export const at = (status: number, body?: unknown): Captured => ({
  method: 'POST',
  url: 'https://tx.example/status',
  status,
  ...(body === undefined ? {} : { body }),
});

export const good: StatusCapture = {
  streamId: 's1',
  read: at(200, { stream_id: 's1', status: 'enabled' }),
  readUnknown: at(404),
  updates: (['paused', 'enabled', 'disabled', 'enabled'] as const).map((s) => ({
    requested: s,
    response: at(200, { stream_id: 's1', status: s }),
  })),
  paused: { verify: at(204), arrivedWhilePaused: false, arrivedAfterEnable: true },
  disabled: { verify: at(204), arrived: false },
  heldThenDisabled: { verify: at(204), arrived: false },
  sets: [],
};

const fails = casesFor(statusChecks);

export const STATUS_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-status-read-answers-200',
    { ...good, read: at(200, { stream_id: 's1', status: 'paused' }) },
    'A stream just created reads as "paused" instead of "enabled".',
    /status is "paused", not "enabled"/,
  ),
  fails(
    'transmitter-status-read-answers-200',
    { ...good, read: at(401, { error: 'unauthorized' }) },
    "Reading the status of the receiver's own stream answers 401.",
    /HTTP 401, not 200/,
  ),
  fails(
    'transmitter-status-of-unknown-stream-is-404',
    { ...good, readUnknown: at(200, {}) },
    'Reading the status of a stream that does not exist answers 200.',
    /unknown stream answered HTTP 200, not 404/,
  ),
  fails(
    'transmitter-status-update-echoes-the-status',
    {
      ...good,
      updates: [{ requested: 'paused', response: at(200, { stream_id: 's1', status: 'enabled' }) }],
    },
    'Pausing the stream answers 200 but with status "enabled".',
    /POST status "paused" answered .*"enabled"/,
  ),
  fails(
    'transmitter-status-update-echoes-the-status',
    { ...good, updates: [{ requested: 'disabled', response: at(204) }] },
    'Disabling the stream answers 204 without the resulting status.',
    /POST status "disabled" answered HTTP 204, not 200/,
  ),
  fails(
    'transmitter-paused-stream-sends-nothing',
    { ...good, paused: { verify: at(204), arrivedWhilePaused: true, arrivedAfterEnable: false } },
    'The verification event requested while the stream is paused is pushed while it is still paused.',
    /delivered while paused/,
  ),
  fails(
    'transmitter-paused-stream-delivers-held-events',
    { ...good, paused: { verify: at(204), arrivedWhilePaused: false, arrivedAfterEnable: false } },
    'The verification event requested while paused is lost: it never arrives after the stream is enabled.',
    /never arrived after the stream was enabled/,
  ),
  fails(
    'transmitter-disabled-stream-drops-events',
    { ...good, disabled: { verify: at(204), arrived: true } },
    'The verification event requested while the stream is disabled is delivered.',
    /requested while disabled was delivered/,
  ),
  fails(
    'transmitter-disabled-stream-drops-events',
    {
      ...good,
      disabled: {
        verify: at(400),
        arrived: false,
        triggered: { trigger: at(201), arrived: true, undo: at(204), controlArrived: true },
      },
    },
    'Verifying a disabled stream is refused, and the event the trigger makes while it is disabled is delivered.',
    /the trigger made while the stream was disabled was delivered/,
  ),
  fails(
    'transmitter-disabling-discards-held-events',
    { ...good, heldThenDisabled: { verify: at(204), arrived: true } },
    'An event held while paused is still delivered after the stream was disabled and enabled again.',
    /delivered after disable and enable/,
  ),
  ...(await setCheckCases(statusChecks, good, VERIFICATION_SET('push'))),
];
