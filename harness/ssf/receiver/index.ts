/**
 * The reference SSF Receiver: a transport-independent SET intake (validation, verification state,
 * de-duplication, critical subject members, asynchronous processing), the RFC 8935 push endpoint as a
 * fastify plugin, the RFC 8936 poll loop, Transmitter discovery, and the stream management client with
 * OAuth client credentials. It imports only the protocol core and the SSF scheduler.
 * @module
 */
export { RECEIVER_DEVIATIONS } from './deviations.ts';
export {
  type DiscoveryOptions,
  discoverTransmitter,
  SSF_WELL_KNOWN,
  SsfDiscoveryError,
  ssfConfigurationUrl,
} from './discovery.ts';
export {
  errorTextOf,
  SsfHttpError,
  type SsfHttpErrorDetails,
  SsfResponseError,
  SsfUnsupportedError,
} from './http-errors.ts';
export {
  basicAuthorization,
  type ClientCredentials,
  ClientCredentialsToken,
  TOKEN_RENEWAL_MARGIN_MS,
  type TokenOptions,
} from './oauth-token.ts';
export {
  type Backoff,
  type PollAuthorization,
  type PollingEnd,
  type PollingHandle,
  type PollOnceOptions,
  type PollResult,
  pollOnce,
  type RetryNotice,
  type StartPollingOptions,
  startPolling,
} from './poll-loop.ts';
export {
  MAX_PUSH_BODY_BYTES,
  type PushEndpointOptions,
  SET_MEDIA_TYPE,
  ssfPushEndpoint,
} from './push-endpoint.ts';
export {
  DEFAULT_REPLAY_WINDOW,
  ReplayGuard,
  type ReplayGuardOptions,
  type ReplayVerdict,
} from './replay-guard.ts';
export {
  COMPLEX_SUBJECT_MEMBERS,
  DEFAULT_PROCESSED_LOG_SIZE,
  DEFAULT_REFUSE_ALSO,
  type IntakeChannel,
  IntakeFullError,
  type IntakeResult,
  type IntakeStats,
  IntakeUnavailableError,
  type ReceivedSet,
  SetIntake,
  type SetIntakeOptions,
} from './set-intake.ts';
export {
  type Pending,
  SsfStreamClient,
  type SsfStreamClientOptions,
  type StreamClientAuth,
} from './stream-client.ts';
export { STATES_KEPT_PER_STREAM, type StateJudgment, VerificationStates } from './verification-states.ts';
