import { describe, expect, test } from 'vitest';
import { judge } from '../core/index.ts';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, ISSUER, ok, STREAMS_CASES } from './streams.cases.testing.ts';
import { type StreamsCapture, streamsChecks, streamsModule } from './streams.ts';

/** Each check's outcome as the run records it (blocked ones with their blocker). */
function outcomes(captured: StreamsCapture): Record<string, string> {
  return Object.fromEntries(
    judge('ssf-transmitter', streamsModule, captured).map((c) => [
      c.id,
      c.blockedBy === undefined ? c.status : `blocked by ${c.blockedBy}`,
    ]),
  );
}

describe('stream management checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(streamsChecks, good));

  test.each(rows(STREAMS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('a refused create fails one check; every check that needed the stream is blocked by it', () => {
    const refused = { issuer: ISSUER, requested: [], create: ok('POST', 403, { err: 'forbidden' }) };
    expect(outcomes(refused)).toEqual({
      'transmitter-create-answers-201': 'failed',
      'transmitter-create-returns-the-configuration': 'blocked by transmitter-create-answers-201',
      'transmitter-stream-iss-is-the-issuer': 'blocked by transmitter-create-answers-201',
      'transmitter-events-delivered-within-supported-and-requested':
        'blocked by transmitter-create-answers-201',
      'transmitter-read-stream-returns-the-object': 'blocked by transmitter-create-answers-201',
      'transmitter-read-all-returns-an-array': 'blocked by transmitter-create-answers-201',
      'transmitter-patch-leaves-omitted-members-unchanged': 'blocked by transmitter-create-answers-201',
      'transmitter-put-deletes-omitted-members': 'blocked by transmitter-create-answers-201',
      'transmitter-delete-answers-204': 'blocked by transmitter-create-answers-201',
      'transmitter-deleted-stream-is-gone': 'blocked by transmitter-create-answers-201',
    });
    // Each says what is missing in the words of the refusal, not of a member the refusal never had.
    const reasons = judge('ssf-transmitter', streamsModule, refused).map((c) => c.reason);
    expect(new Set(reasons.slice(1))).toEqual(
      new Set(['the create was refused (HTTP 403): there is no stream to judge']),
    );
  });

  test('a 201 without a stream_id fails the configuration check; what needed the stream is blocked by it', () => {
    const bare = { issuer: ISSUER, requested: [], create: ok('POST', 201, { iss: ISSUER }) };
    const got = outcomes(bare);
    expect(got['transmitter-create-answers-201']).toBe('passed');
    expect(got['transmitter-create-returns-the-configuration']).toBe('failed');
    expect(got['transmitter-stream-iss-is-the-issuer']).toBe('passed');
    expect(got['transmitter-events-delivered-within-supported-and-requested']).toBe(
      'blocked by transmitter-create-returns-the-configuration',
    );
    expect(got['transmitter-read-stream-returns-the-object']).toBe(
      'blocked by transmitter-create-returns-the-configuration',
    );
  });

  test('a missing "iss" is one failure, not two; a DELETE that failed blocks the read after it', () => {
    const { iss: _iss, ...noIss } = good.create.body as Record<string, unknown>;
    const got = outcomes({ ...good, create: ok('POST', 201, noIss), del: ok('DELETE', 200, {}) });
    expect(got['transmitter-create-returns-the-configuration']).toBe('failed');
    expect(got['transmitter-stream-iss-is-the-issuer']).toBe(
      'blocked by transmitter-create-returns-the-configuration',
    );
    expect(got['transmitter-delete-answers-204']).toBe('failed');
    expect(got['transmitter-deleted-stream-is-gone']).toBe('blocked by transmitter-delete-answers-204');
  });
});
