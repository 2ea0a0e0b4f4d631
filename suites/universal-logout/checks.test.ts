/**
 * Every universal-logout check, judged purely: a captured answer that makes it fail and one that holds
 * (and, for the session check, the captures that make it not apply).
 */
import { describe, expect, test } from 'vitest';
import { isSkip, type Verdict } from '../core/index.ts';
import {
  AUTH_CHECKS,
  type AuthCapture,
  badSignatureAnswers401,
  expiredTokenAnswers401,
  type LogoutCapture,
  logoutEndsTheSession,
  malformedBodyAnswers400,
  missingAuthorizationAnswers401,
  type RequestErrorsCapture,
  unknownUserAnswers404,
  unsupportedFormatAnswers400,
  validRequestAnswers204,
  wrongAudienceAnswers401,
} from './checks.ts';
import type { Answer } from './requests.ts';

const a = (status: number | null, excerpt = ''): Answer => ({ status, excerpt });
const messages = (v: Verdict): string[] => (isSkip(v) ? [`skip: ${v.skip}`] : v.map((p) => p.message));

const refusedAll: AuthCapture = {
  badSignature: a(401),
  expired: a(401),
  wrongAudience: a(401),
  missingAuthorization: a(401),
};

describe('authentication checks', () => {
  test.each([
    [badSignatureAnswers401, 'badSignature'],
    [expiredTokenAnswers401, 'expired'],
    [wrongAudienceAnswers401, 'wrongAudience'],
    [missingAuthorizationAnswers401, 'missingAuthorization'],
  ] as const)('%s holds on 401 and fails on 204, 403 or no answer', (check, field) => {
    expect(check.evaluate(refusedAll)).toEqual([]);
    expect(messages(check.evaluate({ ...refusedAll, [field]: a(204) }))).toEqual([
      expect.stringMatching(/expected HTTP 401, got HTTP 204/),
    ]);
    expect(check.evaluate({ ...refusedAll, [field]: a(403) })).toHaveLength(1);
    expect(messages(check.evaluate({ ...refusedAll, [field]: a(null, 'ECONNREFUSED') }))).toEqual([
      expect.stringMatching(/no answer \(ECONNREFUSED\)/),
    ]);
  });

  test('each authentication check judges only its own request', () => {
    const oneWrong: AuthCapture = { ...refusedAll, expired: a(204) };
    expect(AUTH_CHECKS.map((c) => messages(c.evaluate(oneWrong)).length)).toEqual([0, 1, 0, 0]);
  });
});

describe('request error checks', () => {
  const good: RequestErrorsCapture = { notJson: a(400), noSubject: a(400), unsupportedFormat: a(400) };

  test('malformed bodies: holds when both are 400, names each one that is not', () => {
    expect(malformedBodyAnswers400.evaluate(good)).toEqual([]);
    expect(
      messages(malformedBodyAnswers400.evaluate({ ...good, notJson: a(500), noSubject: a(204) })),
    ).toEqual([
      expect.stringMatching(/not JSON: expected HTTP 400, got HTTP 500/),
      expect.stringMatching(/without "sub_id": expected HTTP 400, got HTTP 204/),
    ]);
  });

  test('unsupported subject format: holds on 400, fails on 404', () => {
    expect(unsupportedFormatAnswers400.evaluate(good)).toEqual([]);
    expect(messages(unsupportedFormatAnswers400.evaluate({ ...good, unsupportedFormat: a(404) }))).toEqual([
      expect.stringMatching(/"opaque": expected HTTP 400, got HTTP 404/),
    ]);
  });

  test('unknown user: holds on 404, fails on 204 naming the user', () => {
    expect(unknownUserAnswers404.evaluate({ who: 'x@y.invalid', answer: a(404) })).toEqual([]);
    expect(messages(unknownUserAnswers404.evaluate({ who: 'x@y.invalid', answer: a(204) }))).toEqual([
      expect.stringMatching(/unknown user x@y\.invalid: expected HTTP 404, got HTTP 204/),
    ]);
  });
});

describe('logout checks', () => {
  const done: LogoutCapture = {
    who: 'pat@acme.example',
    answer: a(204),
    probe: { before: a(200), after: a(401) },
  };

  test('valid request: holds on 204, fails on 401 with the evidence', () => {
    expect(validRequestAnswers204.evaluate(done)).toEqual([]);
    const verdict = validRequestAnswers204.evaluate({ ...done, answer: a(401, '{"error":"invalid_token"}') });
    expect(verdict).toEqual([
      {
        message: expect.stringMatching(/expected HTTP 204, got HTTP 401/),
        evidence: { status: 401, body: '{"error":"invalid_token"}' },
      },
    ]);
  });

  test('the session ends: holds when the probe is refused after, fails when it still works', () => {
    expect(logoutEndsTheSession.evaluate(done)).toEqual([]);
    expect(logoutEndsTheSession.evaluate({ ...done, probe: { before: a(200), after: a(400) } })).toEqual([]);
    expect(
      messages(logoutEndsTheSession.evaluate({ ...done, probe: { before: a(200), after: a(200) } })),
    ).toEqual([expect.stringMatching(/still works after the logout/)]);
    expect(
      messages(logoutEndsTheSession.evaluate({ ...done, probe: { before: a(200), after: a(503) } })),
    ).toEqual([expect.stringMatching(/not a refusal/)]);
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
