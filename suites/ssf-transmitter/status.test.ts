import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type StatusCapture, statusChecks } from './status.ts';
import type { Captured } from './wire.ts';

const at = (status: number, body?: unknown): Captured => ({
  method: 'POST',
  url: 'https://tx.example/status',
  status,
  ...(body === undefined ? {} : { body }),
});

const good: StatusCapture = {
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

const nonSet = statusChecks.filter((c) => !c.id.startsWith('transmitter-status-sets-'));
const setIds = statusChecks.filter((c) => c.id.startsWith('transmitter-status-sets-')).map((c) => c.id);

describe('status checks', () => {
  test('all hold over a conforming conversation (the SET checks skip without SETs)', () =>
    expectAllHold(statusChecks, good, setIds));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(nonSet, {
      'transmitter-status-read-answers-200': {
        ...good,
        read: at(200, { stream_id: 's1', status: 'paused' }),
      },
      'transmitter-status-of-unknown-stream-is-404': { ...good, readUnknown: at(200, {}) },
      'transmitter-status-update-echoes-the-status': {
        ...good,
        updates: [{ requested: 'paused', response: at(200, { stream_id: 's1', status: 'enabled' }) }],
      },
      'transmitter-paused-stream-sends-nothing': {
        ...good,
        paused: { verify: at(204), arrivedWhilePaused: true, arrivedAfterEnable: false },
      },
      'transmitter-paused-stream-delivers-held-events': {
        ...good,
        paused: { verify: at(204), arrivedWhilePaused: false, arrivedAfterEnable: false },
      },
      'transmitter-disabled-stream-drops-events': { ...good, disabled: { verify: at(204), arrived: true } },
      'transmitter-disabling-discards-held-events': {
        ...good,
        heldThenDisabled: { verify: at(204), arrived: true },
      },
    }));

  test('a refused verification while disabled skips the drop check', () => {
    const { heldThenDisabled: _h, ...rest } = good;
    expectAllHold(statusChecks, { ...rest, disabled: { verify: at(400), arrived: false } }, [
      ...setIds,
      'transmitter-disabled-stream-drops-events',
      'transmitter-disabling-discards-held-events',
    ]);
  });
});
