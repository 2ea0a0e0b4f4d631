/**
 * The acting half of Identity Threat Protection: every change of a user's entity risk that the risk engine
 * publishes on the ITP hub (`org.itp`) is evaluated against the ENTITY_RISK policy, and the matched rule's
 * action runs. Evaluation, as Okta documents it for policy rules (management-minimal.yaml, tag Policy,
 * "Policy evaluation"): rules in priority order, ACTIVE ones only, the first whose conditions all hold wins —
 * the catch-all rule always matches, so every evaluated change has a rule. Conditions:
 *
 * - `people`: an excluded user, or a member of an excluded group, never matches; when users or groups are
 *   included, the user must be one of the included users or a member of an included group;
 * - `riskDetectionTypes`: `include` — the change's detection is listed; `exclude` — it is not;
 * - `entityRisk.level`: `ANY`, or exactly the user's new level.
 *
 * A change to `NONE` is a reset, not a detection, and is not evaluated; neither is a change carrying the trace
 * of a chain still running (the risk engine's reset after an action). Then, all with the change's `TraceId`,
 * the System Log gets `policy.entity_risk.evaluate` (targets User, Policy, Rule) and
 * `policy.entity_risk.action` (adds PolicyAction; `NULL` in logging mode, as Okta's ITP event reference
 * documents), and the action runs:
 *
 * - `TERMINATE_ALL_SESSIONS`: every Okta session ends (`user.session.end` each), the user's access and refresh
 *   tokens are revoked, Universal Logout calls the apps the rule selects (`slo.appSelectionMode` ALL — the
 *   default —, SPECIFIC, or NONE) among those configured for it, `user.authentication.universal_logout` is
 *   logged once with the `AppInstanceIds` called, and the risk engine resets the user's risk;
 * - `RUN_WORKFLOW`: the delegated flow is run and `workflows.user.delegatedflow.run` logged with its outcome.
 *
 * The chain's events share one transaction id (System.Transaction.ID). Every evaluation is kept for
 * `/_lab/entity-risk/evaluations` (the last 1,000), with what the action did.
 */
import type { OktaContext, OktaPlugin } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { oktaId, uuidFrom } from '../core/ids.ts';
import type { OktaOrg } from '../core/org.ts';
import { queryOf } from '../core/pagination.ts';
import {
  arrayOf,
  NO_CONTENT,
  OKTA_ERROR,
  object,
  oktaRoute,
  pathParams,
  queryParams,
  STRING,
} from '../core/route-schemas.ts';
import { deviates, UNIVERSAL_LOGOUT_DELAY_MS } from '../deviations.ts';
import {
  type AppSelectionMode,
  EntityRiskPolicies,
  type EntityRiskPolicy,
  type EntityRiskRule,
  type RuleConditions,
} from '../policies/policies.ts';
import { policiesRoutes } from '../policies/policies-routes.ts';
import type { LogEventInput, LogTarget } from '../system-log/system-log.ts';
import type { RiskChange } from './itp-hub.ts';
import { riskEngineOf } from './risk-engine.ts';
import { type LogoutAttempt, UniversalLogout } from './universal-logout.ts';
import { universalLogoutRoutes } from './universal-logout-routes.ts';
import { type WorkflowRun, Workflows, workflowRoutes } from './workflows.ts';
import { WorkflowsStandIn, workflowsStandInRoutes } from './workflows-stand-in.ts';

/** The ITP events of the acting half (Okta's event types; display messages are the lab's wording). */
export const ENTITY_RISK_EVENT_TYPES = {
  'policy.entity_risk.evaluate': { displayMessage: 'Entity risk policy evaluation', legacyEventType: null },
  'policy.entity_risk.action': {
    displayMessage: 'Entity risk policy action invocation',
    legacyEventType: null,
  },
  'user.authentication.universal_logout': {
    displayMessage: 'User signed out of apps by Universal Logout',
    legacyEventType: null,
  },
  'workflows.user.delegatedflow.run': { displayMessage: 'Run delegated flow', legacyEventType: null },
} as const;

/** Okta's display names of the detections (help.okta.com "Detection settings for entity risk policy"). */
const DETECTION_NAMES: Readonly<Record<string, string>> = {
  ADMIN_REPORTED_USER_RISK: 'Admin Reported User Risk',
  BRUTE_FORCE_ATTACK: 'Suspected Brute Force Attack',
  ENTITY_CRITICAL_ACTION_FROM_HIGH_THREAT_IP: 'Entity Critical Action From High Threat IP',
  OKTA_THREAT_INTELLIGENCE: 'Okta Threat Intelligence',
  SECURITY_EVENTS_PROVIDER_REPORTED_RISK: 'Security Events Provider Reported Risk',
  SESSION_INFLUENCED_USER_RISK: 'Session influenced User Risk',
  SUSPICIOUS_APP_ACCESS: 'Suspicious App Access',
  USER_REPORTED_SUSPICIOUS_ACTIVITY: "This wasn't me",
};

/** When the lab org's Identity Threat Protection created the policy (fixed: same seed, same objects). */
const ITP_EPOCH = Date.UTC(2025, 5, 2, 16, 0, 0);
/** Evaluations kept for `/_lab/entity-risk/evaluations` (oldest dropped first). */
export const EVALUATION_CAP = 1000;
const DEFAULT_IDLE_WAIT_MS = 10_000;
const MAX_IDLE_WAIT_MS = 60_000;

export type EvaluationState = 'RUNNING' | 'DONE' | 'SKIPPED' | 'FAILED';

/** An evaluation as the lab lists it (the members always there; the rest depends on its state). */
const EVALUATION = object(
  {
    traceId: STRING,
    userId: STRING,
    at: STRING,
    previous: STRING,
    current: STRING,
    detection: STRING,
    state: STRING,
  },
  ['traceId', 'userId', 'at', 'previous', 'current', 'detection', 'state'],
);

export interface Evaluation {
  readonly traceId: string;
  readonly userId: string;
  readonly at: string;
  readonly previous: string;
  readonly current: string;
  readonly detection: string;
  readonly provider?: { readonly id: string; readonly name: string; readonly issuer: string };
  readonly reason?: string;
  state: EvaluationState;
  /** Why nothing was evaluated (SKIPPED), or what went wrong (FAILED). */
  note?: string;
  transactionId?: string;
  rule?: { readonly id: string; readonly name: string; readonly priority: number };
  /** Okta's PolicyAction: `NULL` in logging mode. */
  action?: 'NULL' | 'TERMINATE_ALL_SESSIONS' | 'RUN_WORKFLOW';
  endedSessions?: number;
  revokedTokens?: { readonly accessTokens: number; readonly refreshTokens: number };
  universalLogout?: {
    readonly selectionMode: AppSelectionMode;
    readonly appInstanceIds: readonly string[];
    readonly attempts: readonly LogoutAttempt[];
  };
  workflow?: WorkflowRun;
  riskReset?: boolean;
  finishedAt?: string;
}

type User = NonNullable<ReturnType<OktaOrg['directory']['user']>>;

/** Whether the rule's conditions hold for the change (see the module comment). */
export function conditionsMatch(
  conditions: RuleConditions | null,
  change: RiskChange,
  groupIds: ReadonlySet<string>,
): boolean {
  if (conditions === null) return true;
  const { people, riskDetectionTypes: detections, entityRisk } = conditions;
  if (people) {
    const { users, groups } = people;
    if (users?.exclude?.includes(change.userId)) return false;
    if (groups?.exclude?.some((g) => groupIds.has(g))) return false;
    const includes = (users?.include?.length ?? 0) + (groups?.include?.length ?? 0);
    if (
      includes > 0 &&
      !users?.include?.includes(change.userId) &&
      !groups?.include?.some((g) => groupIds.has(g))
    )
      return false;
  }
  if (detections?.include && !detections.include.includes(change.detection)) return false;
  if (detections?.exclude?.includes(change.detection)) return false;
  if (entityRisk && entityRisk.level !== 'ANY' && entityRisk.level !== change.current) return false;
  return true;
}

export class EntityRiskEngine {
  readonly #org: OktaOrg;
  readonly #policies: EntityRiskPolicies;
  readonly #logout: UniversalLogout;
  readonly #flows: Workflows;
  readonly #evaluations: Evaluation[] = [];
  /** Traces whose chain is running: their own reset must not start another. */
  readonly #running = new Set<string>();

  constructor(org: OktaOrg, policies: EntityRiskPolicies, logout: UniversalLogout, flows: Workflows) {
    this.#org = org;
    this.#policies = policies;
    this.#logout = logout;
    this.#flows = flows;
    org.itp.onRiskChange((change) => this.handle(change));
  }

  evaluations(filter: { traceId?: string; userId?: string } = {}): readonly Evaluation[] {
    return this.#evaluations.filter(
      (e) =>
        (filter.traceId === undefined || e.traceId === filter.traceId) &&
        (filter.userId === undefined || e.userId === filter.userId),
    );
  }

  /** Evaluates one change and runs the matched rule's action; resolves when the chain is finished. */
  async handle(change: RiskChange): Promise<void> {
    if (this.#running.has(change.traceId)) return;
    const org = this.#org;
    const evaluation: Evaluation = {
      traceId: change.traceId,
      userId: change.userId,
      at: new Date(change.at).toISOString(),
      previous: change.previous,
      current: change.current,
      detection: change.detection,
      ...(change.provider ? { provider: { ...change.provider } } : {}),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      state: 'RUNNING',
    };
    this.#evaluations.push(evaluation);
    if (this.#evaluations.length > EVALUATION_CAP) this.#evaluations.shift();
    const finish = (state: EvaluationState, note?: string): void => {
      evaluation.state = state;
      if (note !== undefined) evaluation.note = note;
      evaluation.finishedAt = new Date(org.now()).toISOString();
    };

    if (change.current === 'NONE')
      return finish('SKIPPED', 'a change to NONE is a reset, not a detection: the policy is not evaluated');
    const user = org.directory.user(change.userId);
    if (!user || user.id !== change.userId) return finish('SKIPPED', `no user ${change.userId} in this org`);

    this.#running.add(change.traceId);
    try {
      await this.#evaluate(change, user, evaluation);
      finish('DONE');
    } catch (error) {
      finish('FAILED', error instanceof Error ? error.message : String(error));
    } finally {
      this.#running.delete(change.traceId);
    }
  }

  async #evaluate(change: RiskChange, user: User, evaluation: Evaluation): Promise<void> {
    const org = this.#org;
    const policy = this.#policies.policy;
    const groupIds = new Set(org.directory.groupsOf(user.id).map((g) => g.id));
    const rule = this.#policies
      .rules()
      .find((r) => r.status === 'ACTIVE' && conditionsMatch(r.conditions, change, groupIds));
    // The catch-all rule is ACTIVE and unconditional, so a rule always matches.
    if (!rule) throw new Error('no rule matched');
    const transactionId = uuidFrom(org.ids()).replace(/-/g, '');
    evaluation.transactionId = transactionId;
    evaluation.rule = { id: rule.id, name: rule.name, priority: rule.priority };
    const action = rule.action;
    evaluation.action = action?.action ?? 'NULL';

    const debugData = {
      Risk: riskMap(change),
      ThreatSuspected: 'false',
      TraceId: change.traceId,
    };
    const userTarget = userTargetOf(user);
    const targets = [userTarget, policyTargetOf(policy), ruleTargetOf(rule)];
    const event = (eventType: string, more: Omit<LogEventInput, 'eventType' | 'transaction'>): void => {
      org.log({ eventType, transaction: { type: 'JOB', id: transactionId }, ...more });
    };
    // okta-logs-no-policy-evaluation breaks OKTA-ITP-POLICY: the policy runs, the evaluation is not logged.
    if (!deviates(org, 'okta-logs-no-policy-evaluation'))
      event('policy.entity_risk.evaluate', { target: targets, debugData });

    const selectionMode: AppSelectionMode =
      action?.action === 'TERMINATE_ALL_SESSIONS' ? (action.slo?.appSelectionMode ?? 'ALL') : 'NONE';
    const specified = action?.action === 'TERMINATE_ALL_SESSIONS' ? action.slo?.appInstanceIds : undefined;
    const policyAction: Record<string, unknown> =
      action?.action === 'TERMINATE_ALL_SESSIONS'
        ? {
            PolicyAction: 'TERMINATE_ALL_SESSIONS',
            PolicySingleLogOutEnabled: selectionMode !== 'NONE',
            PolicySingleLogOutSelectionMode: selectionMode === 'SPECIFIC' ? 'SPECIFIED' : selectionMode,
            ...(specified ? { PolicySingleLogoutAppInstanceIds: [...specified] } : {}),
          }
        : action?.action === 'RUN_WORKFLOW'
          ? { PolicyAction: 'RUN_WORKFLOW', PolicyWorkflowId: String(action.workflow.id) }
          : { PolicyAction: 'NULL' };
    event('policy.entity_risk.action', {
      target: [
        ...targets,
        {
          id: policy.id,
          type: 'PolicyAction',
          alternateId: null,
          displayName: String(policyAction.PolicyAction),
          detailEntry: policyAction,
        },
      ],
      debugData,
    });

    if (action?.action === 'TERMINATE_ALL_SESSIONS') {
      const endSessions = (): void => {
        // okta-keeps-okta-sessions breaks OKTA-ITP-POLICY and OKTA-ITP-SESSIONS-CLEARED: the action leaves
        // the user's Okta sessions alive.
        const ended = deviates(org, 'okta-keeps-okta-sessions')
          ? []
          : org.endSessions(user.id, {
              revokeTokens: false,
              transactionId,
              debugData: { TraceId: change.traceId, ThreatSuspected: 'false' },
            });
        evaluation.endedSessions = ended.length;
        evaluation.revokedTokens = org.tokens.revokeForUser(user.id);
      };
      // okta-logs-out-before-ending-sessions breaks the documented order (OKTA-ITP-POLICY): apps first.
      const appsFirst = deviates(org, 'okta-logs-out-before-ending-sessions');
      if (!appsFirst) endSessions();
      await this.#universalLogout(user, change, selectionMode, specified, evaluation, event);
      if (appsFirst) endSessions();
      // okta-keeps-risk-after-action breaks OKTA-ITP-RISK-RESET: the user stays at the threat's level.
      if (!deviates(org, 'okta-keeps-risk-after-action')) {
        await org.itp.resetRisk(user.id, change.traceId);
        evaluation.riskReset = true;
      } else evaluation.riskReset = false;
    } else if (action?.action === 'RUN_WORKFLOW') {
      const id = action.workflow.id;
      const run = await this.#flows.run(id, {
        policy: { id: policy.id, name: policy.name },
        rule: { id: rule.id, name: rule.name },
        user: {
          id: user.id,
          login: user.profile.login,
          email: user.profile.email,
          displayName: user.profile.displayName,
        },
        change,
      });
      evaluation.workflow = run;
      event('workflows.user.delegatedflow.run', {
        target: [
          {
            id: String(id),
            type: 'Flow',
            alternateId: null,
            displayName: this.#flows.flow(id)?.name ?? null,
            detailEntry: null,
          },
        ],
        debugData: { TraceId: change.traceId },
        outcome:
          run.outcome === 'SUCCESS' ? { result: 'SUCCESS' } : { result: 'FAILURE', reason: run.reason },
      });
    }
  }

  /**
   * Universal Logout for the action: the apps the rule selects are called, and
   * `user.authentication.universal_logout` is logged once with the AppInstanceIds called.
   */
  async #universalLogout(
    user: User,
    change: RiskChange,
    selectionMode: AppSelectionMode,
    specified: readonly string[] | undefined,
    evaluation: Evaluation,
    event: (eventType: string, more: Omit<LogEventInput, 'eventType' | 'transaction'>) => void,
  ): Promise<void> {
    const org = this.#org;
    const logoutTargets =
      selectionMode === 'NONE'
        ? []
        : this.#logout.targets(user.id, selectionMode === 'SPECIFIC' ? specified : undefined);
    // okta-delays-universal-logout breaks LAB-E2E-LATENCY: the apps are called seconds late.
    if (logoutTargets.length > 0 && deviates(org, 'okta-delays-universal-logout'))
      await org.scheduler.sleep(UNIVERSAL_LOGOUT_DELAY_MS);
    const appInstanceIds = logoutTargets.map((t) => t.app.id);
    const attempts = await Promise.all(
      logoutTargets.map((t) =>
        this.#logout.logout({ id: user.id, email: user.profile.email }, t, change.traceId),
      ),
    );
    evaluation.universalLogout = { selectionMode, appInstanceIds, attempts };
    // okta-logs-no-universal-logout breaks OKTA-ITP-LOGOUT: the apps are called, the log says nothing.
    if (logoutTargets.length === 0 || deviates(org, 'okta-logs-no-universal-logout')) return;
    const failed = attempts.filter((a) => a.outcome === 'FAILURE');
    event('user.authentication.universal_logout', {
      target: [userTargetOf(user)],
      debugData: { AppInstanceIds: appInstanceIds, TraceId: change.traceId },
      outcome:
        failed.length === 0
          ? { result: 'SUCCESS' }
          : {
              result: 'FAILURE',
              reason: `${failed.length} of ${attempts.length} apps failed: ${failed
                .map((a) => `${a.appId} (${a.status ?? 'no answer'})`)
                .join(', ')}`,
            },
    });
  }
}

/** Okta prints the Risk debug value as a map: `{previousLevel=LOW, level=HIGH, detectionName=…, …}`. */
function riskMap(change: RiskChange): string {
  const parts = [
    `previousLevel=${change.previous}`,
    `level=${change.current}`,
    `detectionName=${DETECTION_NAMES[change.detection] ?? change.detection}`,
    ...(change.reason === undefined ? [] : [`reasons=${change.reason}`]),
    `issuer=${change.provider?.issuer ?? 'OKTA'}`,
  ];
  return `{${parts.join(', ')}}`;
}

function userTargetOf(user: User): LogTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: user.profile.displayName,
    detailEntry: null,
  };
}

function policyTargetOf(policy: EntityRiskPolicy): LogTarget {
  return { id: policy.id, type: 'Policy', alternateId: null, displayName: policy.name, detailEntry: null };
}

function ruleTargetOf(rule: EntityRiskRule): LogTarget {
  const action = rule.action;
  return {
    id: rule.id,
    type: 'Rule',
    alternateId: null,
    displayName: rule.name,
    detailEntry: {
      RuleAction: action?.action ?? 'NULL',
      ...(action?.action === 'RUN_WORKFLOW' ? { WorkflowId: String(action.workflow.id) } : {}),
    },
  };
}

/**
 * Part B2 of the Okta mock as one plugin: the ENTITY_RISK policy and its rules (Policies API), evaluation of
 * every risk change, the actions, Universal Logout, delegated flows, and their lab routes.
 */
export const entityRiskPlugin: OktaPlugin = (ctx: OktaContext): void => {
  const { org, router } = ctx;
  for (const [type, definition] of Object.entries(ENTITY_RISK_EVENT_TYPES))
    org.systemLog.define(type, definition);
  const logout = new UniversalLogout(org);
  const flows = new Workflows(org);
  const seed = `${org.url}:${org.fleet.seed}`;
  const policies = new EntityRiskPolicies({
    policyId: oktaId('rst', `entity-risk-policy:${seed}`),
    catchAllRuleId: oktaId('rul', `entity-risk-catch-all:${seed}`),
    createdAt: ITP_EPOCH,
    now: () => org.now(),
    newRuleId: () => org.newId('rul'),
    lookups: {
      isUser: (id) => org.directory.user(id)?.id === id,
      isGroup: (id) => org.directory.group(id) !== undefined,
      isApp: (id) => logout.app(id) !== undefined,
    },
  });
  const engine = new EntityRiskEngine(org, policies, logout, flows);
  policiesRoutes(ctx, policies);
  universalLogoutRoutes(ctx, logout);
  workflowRoutes(ctx, flows);
  // The lab's stand-in for Okta Workflows, so a RUN_WORKFLOW rule needs no server outside the lab.
  workflowsStandInRoutes(ctx, new WorkflowsStandIn(() => org.now()));

  router.route(
    {
      operationId: 'lab: list entity risk evaluations',
      method: 'GET',
      path: '/_lab/entity-risk/evaluations',
      spec: 'none',
      schema: oktaRoute({
        querystring: queryParams('traceId', 'userId'),
        response: { 200: arrayOf(EVALUATION) },
      }),
    },
    async (request) => {
      const query = queryOf(request);
      const filter: { traceId?: string; userId?: string } = {};
      for (const name of ['traceId', 'userId'] as const) {
        const value = query.get(name);
        if (value !== null) filter[name] = value;
      }
      return engine.evaluations(filter);
    },
  );
  router.route(
    {
      operationId: 'lab: get the evaluation of a trace',
      method: 'GET',
      path: '/_lab/entity-risk/evaluations/{traceId}',
      spec: 'none',
      schema: oktaRoute({ params: pathParams('traceId'), response: { 200: EVALUATION } }),
    },
    async (request) => {
      const traceId = String((request.params as Record<string, string>).traceId ?? '');
      const found = engine.evaluations({ traceId }).at(-1);
      if (!found) throw notFound(traceId, 'Evaluation');
      return found;
    },
  );
  router.route(
    {
      operationId: 'lab: wait for ITP to be idle',
      method: 'GET',
      path: '/_lab/entity-risk/idle',
      spec: 'none',
      schema: {
        // timeoutMs: digits, capped by the handler (other values wait the default).
        querystring: queryParams('timeoutMs'),
        response: {
          204: NO_CONTENT,
          503: object({ idle: { const: false }, running: { type: 'integer' } }, ['idle', 'running']),
          '4xx': OKTA_ERROR,
          '5xx': OKTA_ERROR,
        },
      },
    },
    async (request, reply) => {
      const raw = queryOf(request).get('timeoutMs');
      const wait = Math.min(
        raw !== null && /^\d{1,6}$/.test(raw) ? Number(raw) : DEFAULT_IDLE_WAIT_MS,
        MAX_IDLE_WAIT_MS,
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = await Promise.race([
        // The risk engine's idle covers SETs accepted but not yet processed, then the policy's chains.
        (riskEngineOf(org)?.idle() ?? org.itp.idle()).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), wait);
        }),
      ]);
      clearTimeout(timer);
      if (idle) return reply.code(204).send();
      return reply
        .code(503)
        .send({ idle: false, running: engine.evaluations().filter((e) => e.state === 'RUNNING').length });
    },
  );
};
