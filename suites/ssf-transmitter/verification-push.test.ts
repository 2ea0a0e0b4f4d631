import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { at, good, VERIFICATION_PUSH_CASES } from './verification-push.cases.testing.ts';
import { verificationPushChecks } from './verification-push.ts';

describe('verification over push checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(verificationPushChecks, good));

  test('a 429 is fine when the stream has a min_verification_interval and a later request succeeds', () =>
    expectAllHold(verificationPushChecks, {
      ...good,
      rate: { again: at(429), intervalSeconds: 1, afterInterval: at(204) },
    }));

  test.each(rows(VERIFICATION_PUSH_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));
});
