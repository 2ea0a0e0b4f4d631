import { describe, expect, test } from 'vitest';
import { isSkip } from '../core/index.ts';
import { expectAllHold, expectFails, rows, verdict } from './checks.testing.ts';
import { at, ERRORS_CASES, good } from './errors.cases.testing.ts';
import { type ErrorsCapture, errorsChecks } from './errors.ts';

describe('refusal checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(errorsChecks, good));

  test.each(rows(ERRORS_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('isolation is skipped without a second receiver', () => {
    const { foreign: _f, ...withoutSecond } = good;
    expectAllHold(errorsChecks, withoutSecond, ['transmitter-hides-other-receivers-streams']);
  });

  describe('when no stream could be created', () => {
    const refused = at(403, 'POST');
    const noStream: ErrorsCapture = {
      create: refused,
      noToken: { create: at(401, 'POST') },
      badToken: { create: at(401, 'POST') },
      unknown: good.unknown,
      broken: { create: at(403, 'POST') },
    };

    test('the token checks are graded on the create call, which needs no stream', () => {
      expect(verdict(errorsChecks, 'transmitter-refuses-requests-without-a-token', noStream)).toEqual([]);
      expect(verdict(errorsChecks, 'transmitter-refuses-requests-with-a-wrong-token', noStream)).toEqual([]);
      const created = { ...noStream, noToken: { create: { ...at(201, 'POST'), body: { stream_id: 'x' } } } };
      const problems = verdict(errorsChecks, 'transmitter-refuses-requests-without-a-token', created);
      expect(problems).toEqual([
        expect.objectContaining({ message: 'create without a token (POST) answered HTTP 201, not 401' }),
      ]);
    });

    test('what needs the stream is blocked by the create check; a refused broken create is inconclusive', () => {
      for (const id of [
        'transmitter-update-with-a-broken-body-is-400',
        'transmitter-patch-refuses-a-changed-transmitter-member',
      ])
        expect(verdict(errorsChecks, id, noStream), id).toEqual({
          skip: 'no stream could be created (HTTP 403)',
          blockedBy: 'transmitter-create-answers-201',
        });
      const broken = verdict(errorsChecks, 'transmitter-create-with-a-broken-body-is-400', noStream);
      expect(broken).toMatchObject({ inconclusive: true });
      expect(isSkip(broken) && broken.skip).toMatch(/well-formed create was refused too \(HTTP 403\)/);
      // A 400 is the right answer whatever else the transmitter refuses.
      const right = { ...noStream, broken: { create: at(400, 'POST') } };
      expect(verdict(errorsChecks, 'transmitter-create-with-a-broken-body-is-400', right)).toEqual([]);
    });
  });
});
