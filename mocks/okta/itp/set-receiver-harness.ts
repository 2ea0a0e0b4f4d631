/**
 * The harness pieces the SET receiver and provider discovery use — the SET validator, the reference
 * receiver's `SetIntake`, RFC 8935 error mapping and SSF transmitter discovery. They load the protocol core's
 * whole schema registry (ajv and every wire schema, about 0.6 s per process on two cores), which no part-A
 * route needs, so the Okta mock imports this module lazily: on the first SET pushed, or the first provider
 * created from a well-known URL (`await import('./set-receiver-harness.ts')`; the module system keeps it
 * after the first time). Only harness/protocol and harness/ssf are imported, as ARCHITECTURE.md allows a
 * mock.
 */
export {
  decodeSet,
  type Finding,
  lintSet,
  makeFinding,
  type PushErrorCode,
  pushErrorFor,
} from '../../../harness/protocol/index.ts';
export { discoverTransmitter, SsfDiscoveryError } from '../../../harness/ssf/receiver/discovery.ts';
export {
  type IntakeResult,
  IntakeUnavailableError,
  type ReceivedSet,
  SetIntake,
} from '../../../harness/ssf/receiver/set-intake.ts';

/** What `await import('./set-receiver-harness.ts')` gives (type-only imports of it stay free). */
export type ReceiverHarness = typeof import('./set-receiver-harness.ts');
