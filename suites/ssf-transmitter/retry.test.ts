import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type CaseCapture, type RetryCapture, retryChecks } from './retry.ts';

const verified = { method: 'POST', url: 'https://tx.example/verify', status: 204 };

function attempts(...list: [number, number][]): CaseCapture {
  return { verify: verified, attempts: list.map(([at, answered]) => ({ at, answered, jti: 'j' })) };
}

const good: RetryCapture = {
  retryAfterSeconds: 2,
  noRetryWindowMs: 2500,
  cases: {
    backoff: attempts([0, 503], [1000, 503], [3000, 202]),
    'retry-after': attempts([0, 429], [2010, 202]),
    'no-retry': attempts([0, 400]),
    timeout: attempts([0, 0], [11_000, 202]),
  },
  sets: [],
};

const own = retryChecks.filter((c) => !c.id.startsWith('transmitter-retry-sets-'));
const setIds = retryChecks.filter((c) => c.id.startsWith('transmitter-retry-sets-')).map((c) => c.id);

describe('retry checks', () => {
  test('all hold over a transmitter that retries as it should', () =>
    expectAllHold(retryChecks, good, setIds));

  test('the timeout check skips when the case is off', () => {
    const { timeout: _t, ...cases } = good.cases;
    expectAllHold(retryChecks, { ...good, cases }, [...setIds, 'transmitter-retries-after-a-timeout']);
  });

  test('each fails over a transmitter that breaks it', () =>
    expectEachFails(own, {
      'transmitter-retries-after-a-5xx': { ...good, cases: { ...good.cases, backoff: attempts([0, 503]) } },
      'transmitter-backs-off-between-retries': {
        ...good,
        cases: { ...good.cases, backoff: attempts([0, 503], [1000, 503], [2000, 202]) },
      },
      'transmitter-honours-retry-after': {
        ...good,
        cases: { ...good.cases, 'retry-after': attempts([0, 429], [900, 202]) },
      },
      'transmitter-retried-sets-are-delivered': {
        ...good,
        cases: { ...good.cases, 'retry-after': attempts([0, 429], [2100, 429]) },
      },
      'transmitter-does-not-resend-a-delivered-set': {
        ...good,
        cases: { ...good.cases, backoff: attempts([0, 503], [1000, 503], [3000, 202], [3100, 202]) },
      },
      'transmitter-does-not-retry-after-400': {
        ...good,
        cases: { ...good.cases, 'no-retry': attempts([0, 400], [1000, 400]) },
      },
      'transmitter-retries-after-a-timeout': { ...good, cases: { ...good.cases, timeout: attempts([0, 0]) } },
    }));
});
