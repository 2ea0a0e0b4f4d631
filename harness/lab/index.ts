/**
 * The lab: every mock together over one fleet, in-process or on loopback, with its timeline and faults,
 * and the seed's configuration through the services' public APIs.
 * @module
 */

export { type ApiAnswer, apiCall, type CallOptions, field, StepFailedError } from './api-call.ts';
export {
  CERTIFY_ONLY_SERVICES,
  DEVIATIONS_BY_SERVICE,
  deviationService,
  LAB_DEVIATIONS,
} from './deviations.ts';
export { type Fault, Faults } from './faults.ts';
export { type Interception, interceptOrigins, type MswServerLike, OriginInUseError } from './intercept.ts';
export {
  carriesLabAdminToken,
  isLabAdminPath,
  LAB_ADMIN_REALM,
  manifestOrigins,
  withLabAdminToken,
} from './lab-admin.ts';
export { bindAddress, publicHostName, READY_PATH } from './listen.ts';
export { LISTEN_LIMITS, type ListenLimits, limitListener, stopListening } from './listen-limits.ts';
export {
  LAB_CLIENT_AUDIENCE,
  LAB_CLIENT_RECEIVER_ID,
  type LabManifest,
  type LabManifestOptions,
  labManifest,
} from './manifest.ts';
export { manifestFrom } from './manifest-check.ts';
export {
  configureSeed,
  HIGH_RISK_GROUP,
  RISK_ATTRIBUTE,
  RULE_NAME,
  type SeedConfiguration,
  type SeedOptions,
} from './seed-setup.ts';
export {
  APP_KINDS_IN_LAB,
  type Lab,
  type LabCredentials,
  type LabOptions,
  type LabStopped,
  type LabTransport,
  type LabUrls,
  onLabStarted,
  startLab,
} from './start-lab.ts';
export {
  type CertificateAuthority,
  createCertificateAuthority,
  issueServerCertificate,
  loadCertificateAuthority,
} from './tls/certificates.ts';
export { httpsFront, type LabTlsOption, labServerNames } from './tls/lab-tls.ts';
