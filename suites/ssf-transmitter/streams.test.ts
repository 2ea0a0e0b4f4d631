import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, ISSUER, ok, STREAMS_CASES } from './streams.cases.testing.ts';
import { streamsChecks } from './streams.ts';

describe('stream management checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(streamsChecks, good));

  test.each(rows(STREAMS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('without a created stream the follow-up checks skip', () =>
    expectAllHold(
      streamsChecks.filter((c) => !c.id.startsWith('transmitter-create-')),
      { issuer: ISSUER, requested: [], create: ok('POST', 500) },
      streamsChecks.filter((c) => !c.id.startsWith('transmitter-create-')).map((c) => c.id),
    ));
});
