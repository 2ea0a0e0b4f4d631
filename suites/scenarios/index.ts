/**
 * The scenario checks: a scenario's expectations judged like every plan's checks (checks.ts), over what
 * the runner captured; and the expectation types the scenario format uses (expectations.ts).
 * @module
 */
export {
  type AppSessionView,
  chainsOf,
  logoutKindOf,
  SCENARIO_CHECK_IDS,
  type ScenarioCapture,
  type ScenarioLogEvent,
  scenarioCheck,
  scenarioChecks,
  type UserCapture,
  type WorkflowInvocation,
} from './checks.ts';
export * from './expectations.ts';
