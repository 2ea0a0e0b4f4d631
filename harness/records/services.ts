/**
 * The names a record gives the lab's services — in every exchange's `from` and `to`, a scenario's steps
 * and a story's logouts — and the one list of the downstream apps behind Okta's Universal Logout, which
 * the app mocks, the lab, the scenario checks, the narrator and the reports all read.
 */

/** The downstream apps, in the order the lab starts them and the reports list them. */
export const LAB_APPS = ['salesforce', 'google-workspace', 'office365'] as const;
export type LabApp = (typeof LAB_APPS)[number];

/** Every service of the lab, as a record names it. */
export const LAB_SERVICES = ['okta', 'jamf-pro', 'jamf-security-cloud', ...LAB_APPS] as const;
export type LabService = (typeof LAB_SERVICES)[number];

export function isLabApp(value: unknown): value is LabApp {
  return typeof value === 'string' && (LAB_APPS as readonly string[]).includes(value);
}
