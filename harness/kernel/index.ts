/**
 * The kernel: the ground floor every other unit stands on — time (clocks and schedulers), ids and seeded
 * randomness, the harness error catalogue, redaction, the bounded body reader (and responses already whole
 * in memory), and replacing a file atomically. It imports nothing else in the repository.
 * @module
 */

export {
  BODY_CAPS,
  type BodyHead,
  type BodyPurpose,
  type BodySource,
  BodyTooLargeError,
  discardBody,
  type ReadBodyOptions,
  readBodyBytes,
  readBodyHead,
  readBodyHeadText,
  readBodyText,
} from './bounded-body.ts';
export {
  closestNames,
  type DeviationCatalogue,
  type DeviationSwitch,
  Deviations,
  editDistance,
  NO_DEVIATIONS,
} from './deviations.ts';
export { HARNESS_ERROR_CODES, HarnessError, type HarnessErrorCode, isHarnessError } from './errors.ts';
export { writeFileAtomically } from './files.ts';
export { type IdSource, randomIds, seededRandom, sequentialIds } from './ids.ts';
export {
  ISSUED_SECRETS_CAP,
  IssuedSecrets,
  issuedSecrets,
  MIN_ISSUED_SECRET_LENGTH,
  redactIssuedSecrets,
  rememberIssuedSecret,
  rememberLabCredential,
} from './issued-secrets.ts';
export {
  isSecretHeader,
  isSecretKey,
  REDACTED,
  redactBody,
  redactHeaders,
  redactJson,
  redactUrl,
} from './redact.ts';
export { terminalSafe } from './terminal-text.ts';
export {
  type Clock,
  type FixedClock,
  fixedClock,
  type Scheduler,
  secondsNow,
  systemClock,
  systemScheduler,
  type Timer,
  VirtualScheduler,
} from './time.ts';
export { takeWholeBody, wholeBodyOf, wholeResponse } from './whole-body.ts';
