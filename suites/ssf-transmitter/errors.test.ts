import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { ERRORS_CASES, good } from './errors.cases.testing.ts';
import { errorsChecks } from './errors.ts';

describe('refusal checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(errorsChecks, good));

  test.each(rows(ERRORS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('isolation is skipped without a second receiver', () => {
    const { foreign: _f, ...withoutSecond } = good;
    expectAllHold(errorsChecks, withoutSecond, ['transmitter-hides-other-receivers-streams']);
  });
});
