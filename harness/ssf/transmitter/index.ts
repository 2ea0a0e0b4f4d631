/**
 * The reference SSF transmitter (SSF 1.0, RFC 8935 push, RFC 8936 poll).
 * @module
 */
export { Authenticator, type Principal, type ReceiverAccount, type Scope } from './auth.ts';
export {
  DEVIANT_AUDIENCE,
  DEVIANT_ISSUER,
  DEVIANT_SUBJECT_FORMAT,
  TRANSMITTER_DEVIATIONS,
  type TransmitterDeviation,
} from './deviations.ts';
export { SsfApiError } from './errors.ts';
export { ssfTransmitterPlugin, type TransmitterPluginOptions } from './plugin.ts';
export { DEFAULT_POLL, type PollSettings } from './poll-queue.ts';
export { type DeliveryAttempt, SetLedger, type SetRecord, type SetState } from './records.ts';
export { DEFAULT_RETRY, type RetrySettings } from './retry-policy.ts';
export { JWK_SET_SCHEMA, SSF_API_ERROR_SCHEMA, TRANSMITTER_ROUTE_SCHEMAS } from './route-schemas.ts';
export { type Subject, subjectsMatch } from './subject-matching.ts';
export {
  DEFAULT_MAX_STREAMS_PER_RECEIVER,
  type EmitInput,
  type RetryView,
  type StreamView,
  Transmitter,
  type TransmitterOptions,
  type TransmitterPaths,
  transmitterPaths,
} from './transmitter.ts';
