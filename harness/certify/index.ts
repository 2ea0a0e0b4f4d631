/**
 * `ssf-lab/certify`: the conformance plans from code — `certify({ target | lab, plans?, ledger?,
 * onProgress? })` returns the certification record, the same engine as `ssf-lab certify`; `writeReports`
 * writes JUnit XML, the JSON record, a Markdown summary and the HTML report; `PLANS` lists every plan's
 * modules and checks before anything runs.
 * @module
 */
export type { CertifyEvent } from '../../suites/core/index.ts';
export type { LedgerEntry } from '../records/index.ts';
export {
  type CertificationRecord,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  checksOf,
  countStatuses,
  type ModuleResult,
  outcomeOf,
  type PlanResult,
  type SuiteFinding,
  type Tally,
  tally,
  type UnreachableTarget,
} from '../records/index.ts';
export {
  type CertificationPlan,
  type CertifyOptions,
  certify,
  type LabTargetOptions,
  prepareCertification,
  type TargetDefinition,
} from './certify.ts';
export { type LoadRunResult, type LoadTargetOptions, loadOptionsOf, runLoadTarget } from './load-run.ts';
export { type CheckInfo, type ModuleInfo, PLANS, type PlanInfo } from './plans.ts';
export { type WrittenReports, writeReports } from './reports.ts';
