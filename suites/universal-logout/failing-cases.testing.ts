/**
 * The universal-logout plan's failing cases: what a misbehaving app answers to the harness's revocation
 * requests — one it should refuse but honours, refuses with the wrong status, or does not answer — and a
 * session that outlives a 204. Test data only: `checks.test.ts` and harness/certify/every-check-fails read
 * it.
 */

import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import type { Check } from '../core/index.ts';
import {
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

export const answer = (status: number | null, excerpt = ''): Answer => ({ status, excerpt });

/** Every broken-authentication request refused, as GTR §3 asks. */
export const REFUSED_ALL: AuthCapture = {
  badSignature: answer(401),
  expired: answer(401),
  wrongAudience: answer(401),
  missingAuthorization: answer(401),
};

export const REFUSED_BODIES: RequestErrorsCapture = {
  notJson: answer(400),
  noSubject: answer(400),
  unsupportedFormat: answer(400),
};

/** A logout that took: 204, and the session probe refused afterwards. */
export const LOGGED_OUT: LogoutCapture = {
  who: 'pat@acme.example',
  answer: answer(204),
  probe: { before: answer(200), after: answer(401) },
};

/** For one authentication check: the request honoured, refused as forbidden, or not answered. */
function authCases(check: Check<AuthCapture>, field: keyof AuthCapture, request: string): FailingCase[] {
  return [
    failsOn(
      check,
      { ...REFUSED_ALL, [field]: answer(204) },
      `The app honours ${request} with 204 and logs the user out.`,
    ),
    failsOn(
      check,
      { ...REFUSED_ALL, [field]: answer(403, '{"error":"forbidden"}') },
      `The app refuses ${request} with 403 instead of 401.`,
    ),
    failsOn(
      check,
      { ...REFUSED_ALL, [field]: answer(null, 'ECONNREFUSED') },
      `The app does not answer ${request} (connection refused).`,
    ),
  ];
}

export const FAILING_CASES: readonly FailingCase[] = [
  ...authCases(badSignatureAnswers401, 'badSignature', 'a JWT signed by a key it does not trust'),
  ...authCases(expiredTokenAnswers401, 'expired', 'a JWT that expired ten minutes ago'),
  ...authCases(wrongAudienceAnswers401, 'wrongAudience', "a JWT whose 'aud' is another endpoint"),
  ...authCases(missingAuthorizationAnswers401, 'missingAuthorization', 'a request without Authorization'),

  failsOn(
    malformedBodyAnswers400,
    { ...REFUSED_BODIES, notJson: answer(500), noSubject: answer(204) },
    'The app answers a body that is not JSON with 500, and one without "sub_id" with 204.',
  ),
  failsOn(
    unsupportedFormatAnswers400,
    { ...REFUSED_BODIES, unsupportedFormat: answer(404) },
    'The app answers a subject of format "opaque" with 404, as an unknown user, instead of 400.',
  ),
  failsOn(
    unknownUserAnswers404,
    { who: 'x@y.invalid', answer: answer(204) },
    'The app answers a request for a user it does not know with 204.',
  ),
  failsOn(
    validRequestAnswers204,
    { ...LOGGED_OUT, answer: answer(401, '{"error":"invalid_token"}') },
    'The app refuses a valid revocation request for a known user with 401 "invalid_token".',
  ),
  failsOn(
    logoutEndsTheSession,
    { ...LOGGED_OUT, probe: { before: answer(200), after: answer(200) } },
    "After the 204 the user's session still works at the app.",
  ),
  failsOn(
    logoutEndsTheSession,
    { ...LOGGED_OUT, probe: { before: answer(200), after: answer(503) } },
    'After the 204 the session probe answers 503, neither working nor refused.',
  ),
];
