/**
 * Every deviation the lab's services can be told to show (harness/kernel/deviations.ts), by service: the
 * catalogue a lab's switch accepts, `ssf-lab serve --deviate NAME` validates against, and docs/self-test.md
 * lists. A service's names start with its role (`transmitter-…`, `okta-…`, `app-…`), so a name says which
 * service misbehaves.
 */
// The catalogues alone, not the mocks: listen.ts loads this module through the lab's controls, and it must
// not load a mock (harness/architecture.test.ts, ENTRIES).
import { APP_DEVIATIONS } from '../../mocks/apps/deviations.ts';
import { OKTA_DEVIATIONS } from '../../mocks/okta/deviations.ts';
import type { DeviationCatalogue } from '../kernel/index.ts';
import { RECEIVER_DEVIATIONS, TRANSMITTER_DEVIATIONS } from '../ssf/index.ts';

/**
 * Which lab service shows each family of deviations. The apps share one family: an `app-…` deviation
 * applies to all three lab apps at once, since the universal-logout plan grades one app (whichever it is
 * pointed at) and the integration plan all of them.
 */
export const DEVIATIONS_BY_SERVICE: Readonly<Record<string, DeviationCatalogue>> = {
  'jamf-security-cloud': TRANSMITTER_DEVIATIONS,
  okta: OKTA_DEVIATIONS,
  apps: APP_DEVIATIONS,
  // The strict SSF receiver `certify --lab` attaches for the ssf-receiver plan: not a service of `serve`.
  'reference-receiver': RECEIVER_DEVIATIONS,
};

/** Services that only `certify --lab` starts: `serve --deviate` refuses their deviations. */
export const CERTIFY_ONLY_SERVICES: readonly string[] = ['reference-receiver'];

export const LAB_DEVIATIONS: DeviationCatalogue = Object.assign({}, ...Object.values(DEVIATIONS_BY_SERVICE));

/** The service that shows `name`. */
export function deviationService(name: string): string | undefined {
  return Object.entries(DEVIATIONS_BY_SERVICE).find(([, catalogue]) => Object.hasOwn(catalogue, name))?.[0];
}
