import { describe, expect, test } from 'vitest';
import { isSkip } from '../core/index.ts';
import { checkOf, expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, INACTIVITY_CASES } from './inactivity.cases.testing.ts';
import { inactivityChecks } from './inactivity.ts';

const setIds = inactivityChecks
  .filter((c) => c.id.startsWith('transmitter-inactivity-sets-'))
  .map((c) => c.id);

describe('inactivity checks', () => {
  test('all hold when the transmitter announces its own pause (the SET checks skip without SETs)', () =>
    expectAllHold(inactivityChecks, good, setIds));

  test.each(rows(INACTIVITY_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('a stream the transmitter leaves enabled is no finding: pausing an inactive stream is a MAY', () => {
    const check = checkOf(inactivityChecks, 'transmitter-own-status-change-sends-stream-updated');
    const verdict = check.evaluate({ ...good, statusAfter: 'enabled', updates: [] });
    expect(isSkip(verdict) && verdict.skip).toMatch(/still "enabled"/);
  });
});
