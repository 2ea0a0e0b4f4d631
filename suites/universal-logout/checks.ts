/**
 * The universal-logout checks: pure judgements of the answers the app gave to the harness's revocation
 * requests. Draft-parecki-oauth-global-token-revocation §3 and Okta's guide fix one status per outcome, and
 * Okta reads only the status, so each check asks for exactly that status.
 */
import { type Check, defineCheck, expectThat, HOLDS, type Problem, problem, skip } from '../core/index.ts';
import type { Answer } from './requests.ts';

export interface AuthCapture {
  readonly badSignature: Answer;
  readonly expired: Answer;
  readonly wrongAudience: Answer;
  readonly missingAuthorization: Answer;
}

export interface RequestErrorsCapture {
  readonly notJson: Answer;
  readonly noSubject: Answer;
  readonly unsupportedFormat: Answer;
}

export interface UnknownUserCapture {
  readonly who: string;
  readonly answer: Answer;
}

export interface LogoutCapture {
  readonly who: string;
  readonly answer: Answer;
  /** The session probe before and after the logout, when one was configured. */
  readonly probe?: { readonly before: Answer; readonly after: Answer };
}

function said(answer: Answer): string {
  return answer.status === null ? `no answer (${answer.excerpt})` : `HTTP ${answer.status}`;
}

function evidence(answer: Answer): Record<string, unknown> {
  return { status: answer.status, body: answer.excerpt };
}

/** One problem unless the app answered `status`. */
function answered(answer: Answer, status: number, what: string): readonly Problem[] {
  return expectThat(
    answer.status === status,
    `${what}: expected HTTP ${status}, got ${said(answer)}`,
    evidence(answer),
  );
}

const auth = (
  id: string,
  title: string,
  pick: (c: AuthCapture) => Answer,
  what: string,
): Check<AuthCapture> =>
  defineCheck<AuthCapture>({
    id,
    title,
    requirement: 'GTR-3-AUTH',
    evaluate: (c) => answered(pick(c), 401, what),
  });

export const badSignatureAnswers401 = auth(
  'logout-bad-signature-answers-401',
  'A revocation request whose JWT is signed by a key the app does not trust is refused with 401.',
  (c) => c.badSignature,
  'a JWT signed by an unknown key (with the trusted kid)',
);

export const expiredTokenAnswers401 = auth(
  'logout-expired-token-answers-401',
  'A revocation request whose JWT expired is refused with 401.',
  (c) => c.expired,
  'a JWT that expired ten minutes ago',
);

export const wrongAudienceAnswers401 = auth(
  'logout-wrong-audience-answers-401',
  "A revocation request whose JWT is for another endpoint ('aud') is refused with 401.",
  (c) => c.wrongAudience,
  'a JWT whose aud is another endpoint',
);

export const missingAuthorizationAnswers401 = auth(
  'logout-missing-authorization-answers-401',
  'A revocation request without an Authorization header is refused with 401.',
  (c) => c.missingAuthorization,
  'a request without Authorization',
);

export const AUTH_CHECKS: readonly Check<AuthCapture>[] = [
  badSignatureAnswers401,
  expiredTokenAnswers401,
  wrongAudienceAnswers401,
  missingAuthorizationAnswers401,
];

export const malformedBodyAnswers400 = defineCheck<RequestErrorsCapture>({
  id: 'logout-malformed-body-answers-400',
  title:
    'An authenticated revocation request whose body is not JSON, or names no subject, is refused with 400.',
  requirement: 'GTR-3-ERRORS',
  evaluate: (c) => [
    ...answered(c.notJson, 400, 'a body that is not JSON'),
    ...answered(c.noSubject, 400, 'a JSON body without "sub_id"'),
  ],
});

export const unsupportedFormatAnswers400 = defineCheck<RequestErrorsCapture>({
  id: 'logout-unsupported-subject-format-answers-400',
  title:
    'An authenticated revocation request naming the user in an unsupported subject format is refused with 400.',
  requirement: 'GTR-3-ERRORS',
  evaluate: (c) => answered(c.unsupportedFormat, 400, 'a subject of format "opaque"'),
});

export const REQUEST_ERROR_CHECKS: readonly Check<RequestErrorsCapture>[] = [
  malformedBodyAnswers400,
  unsupportedFormatAnswers400,
];

export const unknownUserAnswers404 = defineCheck<UnknownUserCapture>({
  id: 'logout-unknown-user-answers-404',
  title: 'An authenticated revocation request for a user the app does not know is answered 404.',
  requirement: 'GTR-3-ERRORS',
  evaluate: (c) => answered(c.answer, 404, `a request for the unknown user ${c.who}`),
});

export const validRequestAnswers204 = defineCheck<LogoutCapture>({
  id: 'logout-valid-request-answers-204',
  title: 'A valid revocation request for a known user is answered 204.',
  requirement: 'GTR-3',
  evaluate: (c) => answered(c.answer, 204, `a valid request for ${c.who}`),
});

const is2xx = (a: Answer): boolean => a.status !== null && a.status >= 200 && a.status < 300;
const is4xx = (a: Answer): boolean => a.status !== null && a.status >= 400 && a.status < 500;

export const logoutEndsTheSession = defineCheck<LogoutCapture>({
  id: 'logout-ends-the-users-session',
  title: "After a 204, the user's session no longer works at the app.",
  requirement: 'GTR-3.3',
  evaluate: (c) => {
    if (!c.probe)
      return skip('no sessionProbe configured: the app exposes no way to see the logout take effect');
    if (c.answer.status !== 204) return skip(`the revocation was not accepted (${said(c.answer)})`);
    if (!is2xx(c.probe.before))
      return skip(
        `the session probe did not work before the logout (${said(c.probe.before)}), so it cannot show the logout`,
      );
    if (is4xx(c.probe.after)) return HOLDS;
    return [
      problem(
        is2xx(c.probe.after)
          ? `the session still works after the logout (${said(c.probe.after)})`
          : `the session probe after the logout answered ${said(c.probe.after)}, not a refusal (4xx)`,
        { before: evidence(c.probe.before), after: evidence(c.probe.after) },
      ),
    ];
  },
});

export const LOGOUT_CHECKS: readonly Check<LogoutCapture>[] = [validRequestAnswers204, logoutEndsTheSession];
