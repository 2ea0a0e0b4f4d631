/** The retry module's conforming capture and its failing cases (its SET checks' included). */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type CaseCapture, type RetryCapture, retryChecks } from './retry.ts';
import { setCheckCases, VERIFICATION_SET } from './set-checks.cases.testing.ts';

const verified = { method: 'POST', url: 'https://tx.example/verify', status: 204 };

/** One case's pushes: `[ms after the first, what the harness answered]` each, all the same SET. */
export function attempts(...list: [number, number][]): CaseCapture {
  return { verify: verified, attempts: list.map(([at, answered]) => ({ at, answered, jti: 'j' })) };
}

export const good: RetryCapture = {
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

const fails = casesFor(retryChecks);

export const RETRY_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-retries-after-a-5xx',
    { ...good, cases: { ...good.cases, backoff: attempts([0, 503]) } },
    'A push answered 503 is never sent again.',
    /the SET answered 503 was never sent again/,
  ),
  fails(
    'transmitter-retries-after-a-5xx',
    {
      ...good,
      cases: {
        ...good.cases,
        backoff: {
          verify: verified,
          attempts: [
            { at: 0, answered: 503, jti: 'j1' },
            { at: 1000, answered: 503, jti: 'j2' },
            { at: 3000, answered: 202, jti: 'j3' },
          ],
        },
      },
    },
    'Each retry after a 503 is a new SET with a new jti instead of the same SET sent again.',
    /the retries carry a different jti/,
  ),
  fails(
    'transmitter-backs-off-between-retries',
    { ...good, cases: { ...good.cases, backoff: attempts([0, 503], [1000, 503], [2000, 202]) } },
    'The retries after two 503s come at a fixed 1 s interval, with no backoff.',
    /the waits were 1000 ms then 1000 ms: no backoff/,
  ),
  fails(
    'transmitter-honours-retry-after',
    { ...good, cases: { ...good.cases, 'retry-after': attempts([0, 429], [900, 202]) } },
    'After a 429 with Retry-After: 2 the push is retried after 0.9 s.',
    /the retry came 900 ms after a 429 with Retry-After: 2/,
  ),
  fails(
    'transmitter-honours-retry-after',
    { ...good, cases: { ...good.cases, 'retry-after': attempts([0, 429]) } },
    'A push answered 429 with Retry-After is never retried.',
    /the SET answered 429 was never sent again/,
  ),
  fails(
    'transmitter-retried-sets-are-delivered',
    { ...good, cases: { ...good.cases, 'retry-after': attempts([0, 429], [2100, 429]) } },
    'The SET answered 429 twice is given up on and never delivered.',
    /the retry-after case's SET never got through/,
  ),
  fails(
    'transmitter-does-not-resend-a-delivered-set',
    { ...good, cases: { ...good.cases, backoff: attempts([0, 503], [1000, 503], [3000, 202], [3100, 202]) } },
    'The SET answered 202 after two 503s is pushed once more.',
    /the backoff case's SET was pushed 1 more time\(s\) after its 202/,
  ),
  fails(
    'transmitter-does-not-retry-after-400',
    { ...good, cases: { ...good.cases, 'no-retry': attempts([0, 400], [1000, 400]) } },
    'A push the receiver refused with 400 is sent again.',
    /the SET answered 400 was pushed 2 times within 2500 ms/,
  ),
  fails(
    'transmitter-retries-after-a-timeout',
    { ...good, cases: { ...good.cases, timeout: attempts([0, 0]) } },
    'A push whose answer never came within the timeout is not sent again.',
    /the SET whose push timed out was never sent again/,
  ),
  ...(await setCheckCases(retryChecks, good, VERIFICATION_SET('push'))),
];
