/**
 * The `ssf-receiver` plan: the harness pushes SETs as a transmitter and grades the receiver's answers.
 * @module
 */
export * from './checks.ts';
export {
  eventsOf,
  profileOf,
  SSF_RECEIVER_OPTIONS_SCHEMA,
  type SsfReceiverOptions,
  type StreamAction,
  type StreamManagementOptions,
} from './options.ts';
export { ssfReceiverPlan } from './plan.ts';
export { describeAnswer, errOf, type PushAnswer, pushSet } from './push.ts';
export * from './stream-management.ts';
