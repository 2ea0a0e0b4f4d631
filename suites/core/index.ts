/**
 * The suites' core: checks, modules, plans, the context a suite talks to its target through, the run
 * loop and the expected-failures ledger.
 * @module
 */

// The ledger entry's type lives with the records; it is offered here too, beside applyLedger.
export type { LedgerEntry } from '../../harness/records/index.ts';
export {
  blocked,
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  inconclusive,
  isSkip,
  type Problem,
  problem,
  type Skip,
  skip,
  type Verdict,
} from './check.ts';
export type { SuiteContext } from './context.ts';
export { applyLedger, applyLedgerToPlans } from './ledger.ts';
export { defineModule, definePlan, type Module, type Plan, SkipModule } from './module.ts';
export {
  type CertifyEvent,
  judge,
  type PlanRun,
  type RunPlansOptions,
  runPlans,
  verdictOf,
} from './run-plans.ts';
