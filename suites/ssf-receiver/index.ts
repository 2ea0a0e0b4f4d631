/**
 * The `ssf-receiver` plan: the harness pushes SETs as a transmitter and grades the receiver's answers.
 * @module
 */
export * from './checks.ts';
// What `ssf-lab load` signs its SETs with: the same factory and the same unknown key as the battery.
export { harnessSideKey } from './keys.ts';
export {
  eventsOf,
  type ProcessedSetsOptions,
  profileOf,
  SSF_RECEIVER_OPTIONS_SCHEMA,
  type SsfReceiverOptions,
  type StreamAction,
  type StreamManagementOptions,
  TRANSMITTER_PROPERTIES,
} from './options.ts';
// How the plan serves its keys and pushes SETs: the Okta receiver plan pushes the same way.
export { deliver, intendPushes, prepareServing, ssfReceiverPlan } from './plan.ts';
export { describeAnswer, errOf, mediaTypeOf, type PushAnswer, pushSet } from './push.ts';
export type { ServedJwks, Serving } from './serving.ts';
export { jwksOf, type SetFactory, setFactory } from './sets.ts';
export * from './signing-keys.ts';
export * from './stream-management.ts';
