/**
 * The app mocks' deviations (harness/kernel/deviations.ts): each breaks one rule of the Global Token
 * Revocation endpoint that the `universal-logout` or `integration` plan grades, so docs/self-test.md can
 * show those checks failing against an app that really misbehaves. A lab switches them for all three of
 * its apps at once (Salesforce, Google Workspace, Office 365 — every `app-…` name applies to each): the
 * plans grade whichever app they are pointed at. Off unless switched on; each is a mistake a real app's
 * endpoint could make.
 */
import type { DeviationCatalogue, DeviationSwitch } from '../../harness/kernel/index.ts';

export const APP_DEVIATIONS = {
  // Authentication (draft-parecki-oauth-global-token-revocation §3.1, Okta's guide: 401).
  'app-skips-signature-check':
    "accepts a revocation JWT whose signature does not verify with the issuer's keys",
  'app-accepts-expired-token': 'accepts a revocation JWT whose "exp" has passed',
  'app-accepts-any-audience': 'accepts a revocation JWT whose "aud" is another endpoint',
  'app-allows-no-authorization': 'processes a revocation request that carries no Authorization header',
  // The request and its answers (draft §3.2, §3.4; Okta's guide: 400, 404, 204).
  'app-500-on-malformed-body':
    'answers 500 to an authenticated request whose body is not JSON (it crashes reading it)',
  'app-404-for-unsupported-format':
    'answers 404, as for an unknown user, to a subject format it does not support',
  'app-204-for-unknown-user': 'answers 204 ("nothing to revoke") to a request for a user it does not know',
  'app-answers-200': 'answers a revocation with 200 and a JSON body instead of 204',
  'app-ignores-revocation': "answers a revocation 204 but leaves the user's sessions and tokens alive",
} as const satisfies DeviationCatalogue;

export type AppDeviation = keyof typeof APP_DEVIATIONS;

/** Whether `name` is on: typed, so a misspelt name is a compile error, never a silent no. */
export function deviates(deviations: DeviationSwitch, name: AppDeviation): boolean {
  return deviations.on(name);
}
