import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { at, good, STATUS_CASES } from './status.cases.testing.ts';
import { statusChecks } from './status.ts';

const setIds = statusChecks.filter((c) => c.id.startsWith('transmitter-status-sets-')).map((c) => c.id);

describe('status checks', () => {
  test('all hold over a conforming conversation (the SET checks skip without SETs)', () =>
    expectAllHold(statusChecks, good, setIds));

  test.each(rows(STATUS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('a refused verification while disabled skips the drop check', () => {
    const { heldThenDisabled: _h, ...rest } = good;
    expectAllHold(statusChecks, { ...rest, disabled: { verify: at(400), arrived: false } }, [
      ...setIds,
      'transmitter-disabled-stream-drops-events',
      'transmitter-disabling-discards-held-events',
    ]);
  });
});
