/**
 * The `okta-receiver` plan: Okta's SET contract and Identity Threat Protection's outcomes.
 * @module
 */
export * from './checks.ts';
// The Okta API calls the integration plan shares.
export {
  expectStatus,
  type LogSummary,
  type OktaAccess,
  type OktaAnswer,
  oktaCall,
  readLog,
  summarizeLogEvent,
} from './okta-api.ts';
export { OKTA_RECEIVER_OPTIONS_SCHEMA, type OktaReceiverOptions, transmitterOptions } from './options.ts';
export { chainFor, oktaReceiverPlan, receiveCount, setUp as prepareOktaReceiver } from './plan.ts';
