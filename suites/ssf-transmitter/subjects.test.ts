import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { at, good, SUBJECTS_CASES } from './subjects.cases.testing.ts';
import { subjectsChecks } from './subjects.ts';

describe('subject checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(subjectsChecks, good));
  test('a 204 to an add is tolerated (SSF §9.1 mentions it)', () =>
    expectAllHold(subjectsChecks, { ...good, add: at(204) }));
  test.each(rows(SUBJECTS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));
  test('absent endpoints skip', () =>
    expectAllHold(
      subjectsChecks,
      {},
      subjectsChecks.map((c) => c.id),
    ));
});
