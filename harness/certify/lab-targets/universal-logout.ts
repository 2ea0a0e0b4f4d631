/**
 * The `universal-logout` plan against the lab. The lab's apps trust mock Okta's key, which the harness does
 * not hold (and must not: a suite never knows the target is a mock). So the builder makes the app trust one
 * more issuer — the harness, with its own freshly generated key, its JWKS served on the lab like Okta's
 * `/oauth2/v1/keys` — through the app mock's lab-only `POST /_lab/trusted-issuers`, and signs a user in so
 * the plan's session probe can show the logout take effect (set-up.ts's universalLogoutOptions, shared with
 * the black-box target).
 */
import type { UniversalLogoutOptions } from '../../../suites/universal-logout/index.ts';
import { universalLogoutPlan } from '../../../suites/universal-logout/index.ts';
import type { Lab, LabUrls } from '../../lab/index.ts';

/** One of the lab's apps, by its short name (`salesforce`, `google-workspace`, `office365`). */
type AppKind = keyof LabUrls['apps'];

import type { PlanEntry } from '../engine.ts';
import { universalLogoutOptions } from './set-up.ts';
import { publishOnLab } from './ssf-receiver.ts';

/** Options that grade one of the lab's apps, after making it trust the harness as an extra issuer. */
export async function universalLogoutLabOptions(lab: Lab, kind: AppKind): Promise<UniversalLogoutOptions> {
  return universalLogoutOptions(lab.fetch, lab.urls.apps[kind], publishOnLab(lab));
}

/** The plan against one lab app (Salesforce by default; every app in the lab can be chosen). */
export function universalLogoutEntryFor(kind: AppKind = 'salesforce'): PlanEntry {
  return { plan: universalLogoutPlan, lab: (lab) => universalLogoutLabOptions(lab, kind) };
}

export const universalLogoutEntry: PlanEntry = universalLogoutEntryFor('salesforce');
