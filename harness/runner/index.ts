/**
 * The scenario runner: scenarios (YAML or TypeScript), run end to end in a lab, into run records.
 * @module
 */
export {
  checkScenario,
  loadScenario,
  parseScenario,
  ScenarioError,
  scenarioProblem,
} from './load-scenario.ts';
export { type NarratorOptions, narrator } from './narrate.ts';
export { describeStep, type RunEvent, type RunOptions, runScenario } from './run-scenario.ts';
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
