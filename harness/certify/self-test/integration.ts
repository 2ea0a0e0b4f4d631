/**
 * Self-test rows for the `integration` plan: the whole chain (Jamf Security Cloud → Okta → the apps) with
 * one service breaking one rule — the same Okta and app deviations the receiver and universal-logout rows
 * show, now seen from the end of the chain.
 */
import type { SelfTestRow } from './matrix.ts';

function chain(deviation: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'integration', modules: ['device-threat-to-universal-logout'], fails };
}

export const INTEGRATION_SELF_TEST: readonly SelfTestRow[] = [
  chain('okta-logs-no-receive-event', 'integration-set-reaches-okta'),
  chain('okta-reads-high-as-medium', 'integration-risk-detected-high'),
  chain('okta-logs-no-policy-evaluation', 'integration-policy-terminates-sessions'),
  chain('okta-keeps-okta-sessions', 'integration-okta-sessions-end', 'integration-okta-sessions-all-cleared'),
  chain('okta-logs-no-universal-logout', 'integration-universal-logout-fires'),
  chain('app-ignores-revocation', 'integration-apps-show-logout'),
  chain('okta-keeps-risk-after-action', 'integration-risk-change-logged', 'integration-user-risk-reset'),
  chain('okta-logs-out-before-ending-sessions', 'integration-chain-in-order-under-one-trace'),
  chain('okta-delays-universal-logout', 'integration-logout-within-bound'),
];
