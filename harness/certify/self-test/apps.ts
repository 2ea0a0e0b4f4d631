/**
 * Self-test rows for the `universal-logout` plan: the lab's apps (the plan grades Salesforce) told to
 * break one rule of the Global Token Revocation endpoint at a time (APP_DEVIATIONS).
 */
import type { SelfTestRow } from './matrix.ts';

function logout(deviation: string, module: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'universal-logout', modules: [module], fails };
}

export const UNIVERSAL_LOGOUT_SELF_TEST: readonly SelfTestRow[] = [
  logout('app-skips-signature-check', 'authentication', 'logout-bad-signature-answers-401'),
  logout('app-accepts-expired-token', 'authentication', 'logout-expired-token-answers-401'),
  logout('app-accepts-any-audience', 'authentication', 'logout-wrong-audience-answers-401'),
  logout('app-allows-no-authorization', 'authentication', 'logout-missing-authorization-answers-401'),
  logout('app-500-on-malformed-body', 'request-errors', 'logout-malformed-body-answers-400'),
  logout('app-404-for-unsupported-format', 'request-errors', 'logout-unsupported-subject-format-answers-400'),
  logout('app-204-for-unknown-user', 'unknown-user', 'logout-unknown-user-answers-404'),
  logout('app-answers-200', 'logout', 'logout-valid-request-answers-204'),
  logout('app-ignores-revocation', 'logout', 'logout-ends-the-users-session'),
];
