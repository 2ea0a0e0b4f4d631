/**
 * What a scenario is: a set-up (fleet, whether the seed's configuration runs first), steps that act on the
 * lab through the services' public APIs, and expectations the runner checks afterwards. Scenarios are
 * YAML files in scenarios/ (validated by SCENARIO_SCHEMA) or TypeScript objects (`defineScenario`).
 *
 * Devices are named by reference: `mac` / `mobile` (the first activated macOS / iOS device that has a
 * user), `mac#2` (the second), or a UDID, serial number or JSC device id. A user is named by a device
 * reference (its user) or an email address.
 */

import type { Expectation, ServiceName } from '../../suites/scenarios/index.ts';

export type {
  AppName,
  DeliveriesExpectation,
  Expectation,
  LogoutExpectation,
  LogoutKind,
  OktaSessionsExpectation,
  RuleExpectation,
  ServiceName,
  SetsExpectation,
  SystemLogExpectation,
  UserRiskExpectation,
  WithinExpectation,
  WorkflowExpectation,
} from '../../suites/scenarios/index.ts';

/** `5s`, `250ms`, `2m`, or a number of milliseconds. */
export type Duration = string | number;

export interface ThreatStep {
  readonly threat: {
    readonly device: string;
    readonly category: string;
    readonly severity?: 'LOW' | 'MEDIUM' | 'HIGH';
    /** Name it for a later `resolve`. */
    readonly as?: string;
  };
}
export interface ResolveStep {
  /** A named threat, `last`, or `all` (every open threat of the scenario). */
  readonly resolve: { readonly threat: string };
}
export interface OverrideStep {
  readonly override: {
    readonly device: string;
    readonly risk: 'SECURE' | 'LOW' | 'MEDIUM' | 'HIGH';
    readonly source?: 'MANUAL' | 'WANDERA';
  };
}
export interface DownStep {
  readonly down: {
    readonly service: ServiceName;
    readonly path?: string;
    readonly status?: number;
    readonly retryAfterSeconds?: number;
  };
}
export interface UpStep {
  readonly up: { readonly service: ServiceName };
}
export type WaitCondition =
  | { readonly logout: string }
  | { readonly delivered: { readonly to: ServiceName; readonly count?: number } }
  | { readonly attempts: { readonly to: ServiceName; readonly count: number } }
  | { readonly risk: { readonly user: string; readonly level: 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE' } }
  | { readonly idle: true };
export interface WaitStep {
  readonly wait: { readonly until: WaitCondition; readonly within?: Duration };
}
export interface AdvanceStep {
  /** Let lab time pass (virtual time jumps; timers due in between fire). */
  readonly advance: Duration;
}
export interface CallStep {
  readonly call: {
    readonly service: ServiceName;
    readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    /**
     * May use `{user:<ref>}` (the Okta user id), `{email:<ref>}`, `{policy:<type>}` (the id of the org's
     * policy of that type, e.g. `{policy:ENTITY_RISK}`) and `{rule:<name>}` (the id of the Entity Risk
     * Policy's rule of that name) placeholders.
     */
    readonly path: string;
    readonly json?: unknown;
    /** Status the call must answer (default any 2xx). */
    readonly status?: number;
  };
}
export interface ConfigureStep {
  /** The seed's whole configuration through the services' APIs (for a scenario with `configure: false`). */
  readonly configure: 'seed';
}
export interface ForgeStep {
  /** A device-risk-change SET for the device's user pushed straight to Okta, signed with a key Okta does not know. */
  readonly forge: { readonly device: string; readonly level: 'secure' | 'low' | 'medium' | 'high' };
}

export type Step =
  | ThreatStep
  | ResolveStep
  | OverrideStep
  | DownStep
  | UpStep
  | WaitStep
  | AdvanceStep
  | CallStep
  | ConfigureStep
  | ForgeStep;

export interface Scenario {
  /** Stable id (default: the file name without extension). */
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly setup?: {
    readonly seed?: number;
    readonly devices?: number;
    /** Run the seed's configuration before the steps (default true). */
    readonly configure?: boolean;
    /** Activate Jamf Trust on every device (`all`, default) or on none. */
    readonly activate?: 'all' | 'none';
  };
  readonly steps: readonly Step[];
  readonly expect: readonly Expectation[];
}

/** Types a scenario written in TypeScript; the object is validated like a YAML one when it runs. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

export function stepKind(step: Step): string {
  return Object.keys(step)[0] ?? 'unknown';
}

export function expectationKind(expectation: Expectation): string {
  return Object.keys(expectation)[0] ?? 'unknown';
}

/** Milliseconds of a duration (`5s`, `250ms`, `2m`, a number); undefined when it is not one. */
export function durationMs(value: Duration): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}
