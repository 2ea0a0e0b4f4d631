import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, RETRY_CASES } from './retry.cases.testing.ts';
import { retryChecks } from './retry.ts';

const setIds = retryChecks.filter((c) => c.id.startsWith('transmitter-retry-sets-')).map((c) => c.id);

describe('retry checks', () => {
  test('all hold over a transmitter that retries as it should', () =>
    expectAllHold(retryChecks, good, setIds));

  test('the timeout check skips when the case is off', () => {
    const { timeout: _t, ...cases } = good.cases;
    expectAllHold(retryChecks, { ...good, cases }, [...setIds, 'transmitter-retries-after-a-timeout']);
  });

  test.each(rows(RETRY_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));
});
