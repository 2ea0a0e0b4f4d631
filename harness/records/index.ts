/**
 * The records: what a run leaves, as plain, versioned JSON — the timeline of every HTTP exchange
 * (redacted, SETs decoded), a scenario's steps, System Log and logouts, the certification record (every
 * plan, module and check with its findings) and the ledger entries that tolerate findings. They stand on
 * the protocol core (requirement ids, the SET decoder) and the kernel (redaction); the suites and the
 * runner write them, the reports read them.
 * @module
 */
export {
  CERTIFICATION_RECORD_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_V1,
  type CertificationRecord,
  CHECK_OUTCOMES,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  checksOf,
  countStatuses,
  type LedgerProblem,
  type ModuleResult,
  type ModuleStory,
  outcomeOf,
  type PlanResult,
  passes,
  type SuiteFinding,
  TALLY_KEY,
  type Tally,
  tally,
  tallyChecks,
  type UnreachableTarget,
} from './certification-record.ts';
export type {
  ExchangeRecord,
  LogoutRecord,
  SetDeliveryRecord,
  StepRecord,
  SystemLogEntry,
} from './exchange.ts';
export type { LedgerEntry } from './ledger.ts';
export {
  isLabApp,
  LAB_APPS,
  LAB_SERVICES,
  type LabApp,
  type LabService,
} from './services.ts';
export {
  type DecodedSetOnWire,
  type Exchange,
  type ExchangeListener,
  Timeline,
} from './timeline.ts';
