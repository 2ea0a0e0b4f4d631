import { describe, expect, test } from 'vitest';
import { isSkip } from '../core/index.ts';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type InactivityCapture, inactivityChecks } from './inactivity.ts';

const good: InactivityCapture = {
  streamId: 's1',
  inactivityTimeoutSeconds: 2,
  statusAfter: 'paused',
  updates: [
    { status: 'paused', reason: 'receiver inactive', subId: { format: 'opaque', id: 's1' }, atMs: 2010 },
  ],
  sets: [],
};

const nonSet = inactivityChecks.filter((c) => !c.id.startsWith('transmitter-inactivity-sets-'));
const setIds = inactivityChecks
  .filter((c) => c.id.startsWith('transmitter-inactivity-sets-'))
  .map((c) => c.id);

describe('inactivity checks', () => {
  test('all hold when the transmitter announces its own pause (the SET checks skip without SETs)', () =>
    expectAllHold(inactivityChecks, good, setIds));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(nonSet, {
      'transmitter-own-status-change-sends-stream-updated': { ...good, updates: [] },
      'transmitter-stream-updated-names-the-stream': {
        ...good,
        updates: [{ status: 'paused', subId: { format: 'email', email: 'a@b.example' }, atMs: 2000 }],
      },
    }));

  test('a stream the transmitter leaves enabled is no finding: pausing an inactive stream is a MAY', () => {
    const check = nonSet.find((c) => c.id === 'transmitter-own-status-change-sends-stream-updated');
    const verdict = check?.evaluate({ ...good, statusAfter: 'enabled', updates: [] });
    expect(verdict && isSkip(verdict) && verdict.skip).toMatch(/still "enabled"/);
  });

  test('an announcement with the wrong status does not count', () => {
    const check = nonSet.find((c) => c.id === 'transmitter-own-status-change-sends-stream-updated');
    expect(check?.evaluate({ ...good, statusAfter: 'disabled' })).toHaveLength(1);
  });
});
