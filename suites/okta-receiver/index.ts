/**
 * The `okta-receiver` plan: Okta's SET contract and Identity Threat Protection's outcomes.
 * @module
 */
export * from './checks.ts';
export { type LogSummary, type OktaAccess, summarizeLogEvent } from './okta-api.ts';
export { OKTA_RECEIVER_OPTIONS_SCHEMA, type OktaReceiverOptions } from './options.ts';
export { chainFor, oktaReceiverPlan, receiveCount } from './plan.ts';
