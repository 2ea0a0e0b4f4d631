/**
 * The scenario runner: scenarios (YAML or TypeScript), run end to end against a lab — one ssf-lab starts,
 * or a running one named by its manifest — into modules of the certification record.
 * @module
 */

export { type Following, type FollowOptions, followLab } from './follow-lab.ts';
export {
  checkScenario,
  loadScenario,
  parseScenario,
  ScenarioError,
  scenarioProblem,
} from './load-scenario.ts';
export { LOG_STEPS, type NarratorOptions, narrator } from './narrate.ts';
export {
  describeStep,
  modulePassed,
  type RunEvent,
  type RunOptions,
  runScenario,
  runScenarioModule,
  SCENARIO_PLAN,
  scenarioRecord,
} from './run-scenario.ts';
export {
  type AppName,
  type Duration,
  defineScenario,
  durationMs,
  type Expectation,
  expectationKind,
  type LogoutKind,
  type Scenario,
  type ServiceName,
  type Step,
  stepKind,
  type WaitCondition,
} from './scenario.ts';
export { SCENARIO_SCHEMA } from './scenario-schema.ts';
export { SESSION_PLAN, type SessionRecordOptions, sessionRecord } from './session-record.ts';
export {
  type FileTargetOptions,
  fileTarget,
  type LabTargetOptions,
  labTarget,
  manifestTarget,
  type RunClock,
  type RunServices,
  type RunTarget,
  type StandIns,
} from './target.ts';
