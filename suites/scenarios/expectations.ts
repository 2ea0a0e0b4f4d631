/**
 * What a scenario may expect of a run, as data: the parameters of the scenario checks (checks.ts). The
 * scenario format (harness/runner/scenario.ts and its JSON Schema) uses these types; they live here so
 * the checks, which judge them, need nothing above the suites.
 */

import { LAB_APPS, type LabApp, type LabService } from '../../harness/records/index.ts';

export type ServiceName = LabService;

export type AppName = LabApp;

/** The apps a logout expectation can name, in the order reports list them. */
export const APP_NAMES: readonly AppName[] = LAB_APPS;

export type LogoutKind = 'full' | 'partial' | 'none';

export interface SetsExpectation {
  readonly sets: {
    readonly to: ServiceName;
    /** How many SETs Okta accepted (status 2xx), counting each jti once. */
    readonly count: number;
    /** Event type, by URI or by its last path segment (`device-risk-change`). */
    readonly event?: string;
    readonly previous?: string;
    readonly current?: string;
  };
}
export interface DeliveriesExpectation {
  readonly deliveries: {
    readonly to: ServiceName;
    /** Push attempts that got no 2xx (refused, errors) before delivery, at least. */
    readonly failedAttemptsAtLeast?: number;
    /** Distinct SETs (by jti) that reached the receiver with a 2xx. */
    readonly delivered: number;
  };
}
export interface UserRiskExpectation {
  readonly userRisk: {
    readonly user: string;
    /** The level now (`GET /api/v1/users/{id}/risk`). */
    readonly level?: 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';
    /** Levels the user's risk detections reported during the run, in order (System Log `user.risk.detect`). */
    readonly detected?: readonly string[];
  };
}
export interface RuleExpectation {
  readonly rule: {
    readonly user: string;
    /** The rule's name, `catch-all` (Okta's default rule), or `none` (no evaluation at all). */
    readonly matched: string;
    /** TERMINATE_ALL_SESSIONS, RUN_WORKFLOW or NULL (logging mode). */
    readonly action?: string;
  };
}
export interface OktaSessionsExpectation {
  readonly oktaSessions: { readonly user: string; readonly count: number };
}
export interface LogoutExpectation {
  readonly logout: { readonly user: string } & Partial<Record<AppName, LogoutKind>>;
}
export interface SystemLogExpectation {
  readonly systemLog: {
    readonly user: string;
    /** The event types of the run's signal chain for this user, in order (`user.session.end` may repeat). */
    readonly sequence: readonly string[];
    /** All of the sequence's events share one TraceId (default true). */
    readonly oneTrace?: boolean;
  };
}
export interface WorkflowExpectation {
  readonly workflow: {
    readonly user: string;
    /**
     * Invocations the lab's Workflows stand-in received for the user (the Okta user id in the body's
     * `userContext.oktaUserId`, where Okta puts it).
     */
    readonly received?: number;
    /** Outcomes of the `workflows.user.delegatedflow.run` events of the user's signals, in order. */
    readonly outcomes?: readonly ('SUCCESS' | 'FAILURE')[];
  };
}
export interface WithinExpectation {
  /** Real milliseconds from the first step to the last logout (or the last exchange when none). */
  readonly within: { readonly ms: number };
}

export type Expectation =
  | SetsExpectation
  | DeliveriesExpectation
  | UserRiskExpectation
  | RuleExpectation
  | OktaSessionsExpectation
  | LogoutExpectation
  | SystemLogExpectation
  | WorkflowExpectation
  | WithinExpectation;
