import { describe, expect, test } from 'vitest';
import { expectAllHold, expectFails, rows, verdict } from './checks.testing.ts';
import { at, good, STATUS_CASES } from './status.cases.testing.ts';
import { type DisabledTrigger, type StatusCapture, statusChecks } from './status.ts';

const setIds = statusChecks.filter((c) => c.id.startsWith('transmitter-status-sets-')).map((c) => c.id);

describe('status checks', () => {
  test('all hold over a conforming conversation (the SET checks skip without SETs)', () =>
    expectAllHold(statusChecks, good, setIds));

  test.each(rows(STATUS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  describe('verification refused while disabled, an event trigger fired instead', () => {
    const { heldThenDisabled: _h, ...rest } = good;
    const triggered = (t: Partial<DisabledTrigger>): StatusCapture => ({
      ...rest,
      disabled: {
        verify: at(400),
        arrived: false,
        triggered: { trigger: at(201), arrived: false, undo: at(204), controlArrived: true, ...t },
      },
    });
    const drop = (c: StatusCapture) => verdict(statusChecks, 'transmitter-disabled-stream-drops-events', c);

    test('nothing arrived while disabled and the undo’s event did once enabled: the drop check holds', () =>
      expect(drop(triggered({}))).toEqual([]));
    test('the undo made no event that arrived: inconclusive', () =>
      expect(drop(triggered({ controlArrived: false }))).toEqual({
        skip: expect.stringMatching(/the trigger's undo made no event/),
        inconclusive: true,
      }));
    test('no resolve configured: inconclusive, saying so', () => {
      const { undo: _u, ...noUndo } = triggered({ controlArrived: false }).disabled?.triggered ?? {};
      const c = {
        ...rest,
        disabled: { verify: at(400), arrived: false, triggered: noUndo as DisabledTrigger },
      };
      expect(drop(c)).toEqual({
        skip: expect.stringMatching(/no resolve is configured/),
        inconclusive: true,
      });
    });
    test('a trigger that failed skips with its answer', () =>
      expect(drop(triggered({ trigger: at(500) }))).toEqual({
        skip: expect.stringMatching(/event trigger answered HTTP 500/),
      }));
  });

  test('a refused verification while disabled skips the drop check', () => {
    const { heldThenDisabled: _h, ...rest } = good;
    expectAllHold(statusChecks, { ...rest, disabled: { verify: at(400), arrived: false } }, [
      ...setIds,
      'transmitter-disabled-stream-drops-events',
      'transmitter-disabling-discards-held-events',
    ]);
  });
});
