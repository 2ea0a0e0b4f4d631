/**
 * Every universal-logout check, judged purely: each of the plan's failing cases (failing-cases.testing.ts)
 * makes its check fail, saying what is wrong; a captured answer that holds; and, for the session check,
 * the captures that make it not apply.
 */
import { describe, expect, test } from 'vitest';
import { describeFailingCases } from '../core/failing.testing.ts';
import { type Check, isSkip, type Verdict } from '../core/index.ts';
import {
  AUTH_CHECKS,
  type AuthCapture,
  badSignatureAnswers401,
  expiredTokenAnswers401,
  logoutEndsTheSession,
  malformedBodyAnswers400,
  missingAuthorizationAnswers401,
  unknownUserAnswers404,
  unsupportedFormatAnswers400,
  validRequestAnswers204,
  wrongAudienceAnswers401,
} from './checks.ts';
import {
  answer as a,
  LOGGED_OUT as done,
  FAILING_CASES,
  REFUSED_BODIES as good,
  REFUSED_ALL as refusedAll,
} from './failing-cases.testing.ts';
import { universalLogoutPlan } from './index.ts';

const messages = (v: Verdict): string[] => (isSkip(v) ? [`skip: ${v.skip}`] : v.map((p) => p.message));

/** The verdicts of the failing cases of `check` whose `why` matches (at least one). */
function verdictsOf(check: Check<unknown>, why: RegExp): Verdict[] {
  const found = FAILING_CASES.filter((c) => c.check.id === check.id && why.test(c.why));
  expect(found.length, `no failing case of ${check.id} says ${why}`).toBeGreaterThan(0);
  return found.map((c) => c.check.evaluate(c.captured));
}

describeFailingCases(universalLogoutPlan.modules, FAILING_CASES);

describe('authentication checks', () => {
  test.each([
    badSignatureAnswers401,
    expiredTokenAnswers401,
    wrongAudienceAnswers401,
    missingAuthorizationAnswers401,
  ])('$id holds on 401 and says what it got on 204, 403 or no answer', (check) => {
    expect(check.evaluate(refusedAll)).toEqual([]);
    for (const v of verdictsOf(check, /with 204/))
      expect(messages(v)).toEqual([expect.stringMatching(/expected HTTP 401, got HTTP 204/)]);
    for (const v of verdictsOf(check, /with 403/))
      expect(messages(v)).toEqual([expect.stringMatching(/expected HTTP 401, got HTTP 403/)]);
    for (const v of verdictsOf(check, /does not answer/))
      expect(messages(v)).toEqual([expect.stringMatching(/no answer \(ECONNREFUSED\)/)]);
  });

  test('each authentication check judges only its own request', () => {
    const oneWrong: AuthCapture = { ...refusedAll, expired: a(204) };
    expect(AUTH_CHECKS.map((c) => messages(c.evaluate(oneWrong)).length)).toEqual([0, 1, 0, 0]);
  });
});

describe('request error checks', () => {
  test('malformed bodies: holds when both are 400, names each one that is not', () => {
    expect(malformedBodyAnswers400.evaluate(good)).toEqual([]);
    for (const v of verdictsOf(malformedBodyAnswers400, /not JSON with 500/))
      expect(messages(v)).toEqual([
        expect.stringMatching(/not JSON: expected HTTP 400, got HTTP 500/),
        expect.stringMatching(/without "sub_id": expected HTTP 400, got HTTP 204/),
      ]);
  });

  test('unsupported subject format: holds on 400, fails on 404', () => {
    expect(unsupportedFormatAnswers400.evaluate(good)).toEqual([]);
    for (const v of verdictsOf(unsupportedFormatAnswers400, /with 404/))
      expect(messages(v)).toEqual([expect.stringMatching(/"opaque": expected HTTP 400, got HTTP 404/)]);
  });

  test('unknown user: holds on 404, fails on 204 naming the user', () => {
    expect(unknownUserAnswers404.evaluate({ who: 'x@y.invalid', answer: a(404) })).toEqual([]);
    for (const v of verdictsOf(unknownUserAnswers404, /with 204/))
      expect(messages(v)).toEqual([
        expect.stringMatching(/unknown user x@y\.invalid: expected HTTP 404, got HTTP 204/),
      ]);
  });
});

describe('logout checks', () => {
  test('valid request: holds on 204, fails on 401 with the evidence', () => {
    expect(validRequestAnswers204.evaluate(done)).toEqual([]);
    for (const v of verdictsOf(validRequestAnswers204, /with 401/))
      expect(v).toEqual([
        {
          message: expect.stringMatching(/expected HTTP 204, got HTTP 401/),
          evidence: { status: 401, body: '{"error":"invalid_token"}' },
        },
      ]);
  });

  test('the session ends: holds when the probe is refused after, fails when it still works', () => {
    expect(logoutEndsTheSession.evaluate(done)).toEqual([]);
    expect(logoutEndsTheSession.evaluate({ ...done, probe: { before: a(200), after: a(400) } })).toEqual([]);
    for (const v of verdictsOf(logoutEndsTheSession, /still works/))
      expect(messages(v)).toEqual([expect.stringMatching(/still works after the logout/)]);
    for (const v of verdictsOf(logoutEndsTheSession, /answers 503/))
      expect(messages(v)).toEqual([expect.stringMatching(/not a refusal/)]);
  });

  test('the session check does not apply without a probe, a 204, or a probe that worked before', () => {
    const { probe: _probe, ...noProbe } = done;
    expect(messages(logoutEndsTheSession.evaluate(noProbe))).toEqual([
      expect.stringMatching(/^skip: no sessionProbe/),
    ]);
    expect(messages(logoutEndsTheSession.evaluate({ ...done, answer: a(401) }))).toEqual([
      expect.stringMatching(/^skip: the revocation was not accepted/),
    ]);
    expect(
      messages(logoutEndsTheSession.evaluate({ ...done, probe: { before: a(401), after: a(401) } })),
    ).toEqual([expect.stringMatching(/^skip: the session probe did not work before/)]);
  });
});
