import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, VERIFICATION_POLL_CASES } from './verification-poll.cases.testing.ts';
import { verificationPollChecks } from './verification-poll.ts';

const setIds = verificationPollChecks
  .filter((c) => c.id.startsWith('transmitter-poll-sets-'))
  .map((c) => c.id);

describe('verification over poll checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(verificationPollChecks, good, setIds));

  test.each(rows(VERIFICATION_POLL_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));
});
