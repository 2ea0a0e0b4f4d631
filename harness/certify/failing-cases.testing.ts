/**
 * Every plan's failing cases in one list, for `every-check-fails.test.ts`. A new family of checks joins by
 * appending its cases to ALL_FAILING_CASES and, when its checks belong to no plan of PLAN_ENTRIES (the
 * scenarios' checks), their ids to EXTRA_CHECKS — so that each must have a case too.
 * Test data only.
 */
import type { FailingCase } from '../../suites/core/failing.testing.ts';
import { FAILING_CASES as events } from '../../suites/events/failing-cases.testing.ts';
import { FAILING_CASES as integration } from '../../suites/integration/failing-cases.testing.ts';
import { FAILING_CASES as oktaReceiver } from '../../suites/okta-receiver/failing-cases.testing.ts';
import { FAILING_CASES as scenarios } from '../../suites/scenarios/failing-cases.testing.ts';
import { SCENARIO_CHECK_IDS } from '../../suites/scenarios/index.ts';
import { FAILING_CASES as ssfReceiver } from '../../suites/ssf-receiver/failing-cases.testing.ts';
import { FAILING_CASES as ssfTransmitter } from '../../suites/ssf-transmitter/failing-cases.testing.ts';
import { FAILING_CASES as universalLogout } from '../../suites/universal-logout/failing-cases.testing.ts';

export const ALL_FAILING_CASES: readonly FailingCase[] = [
  ...events,
  ...ssfTransmitter,
  ...ssfReceiver,
  ...oktaReceiver,
  ...universalLogout,
  ...integration,
  ...scenarios,
];

/**
 * Checks outside every plan that must have failing cases all the same: the scenario checks, one per kind
 * of expectation (a scenario's module builds them from its `expect` list, so no plan lists them).
 */
export const EXTRA_CHECKS: readonly { readonly where: string; readonly id: string }[] = Object.entries(
  SCENARIO_CHECK_IDS,
).map(([kind, id]) => ({ where: `scenarios › ${kind}`, id }));
