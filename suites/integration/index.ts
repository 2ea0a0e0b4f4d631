/**
 * The `integration` plan: a device threat at the transmitter, followed through Okta down to the apps.
 * @module
 */
export * from './checks.ts';
export * from './options.ts';
export { integrationPlan } from './plan.ts';
