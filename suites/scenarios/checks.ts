/**
 * The scenario checks: what a scenario's `expect` list asserts, as checks like every plan's — pure over
 * what the runner captured through the services' public APIs and the lab's documented controls, named as
 * a sentence, citing the requirement the expectation is about (the same Okta ITP requirements the
 * integration and okta-receiver plans cite, RFC 8935 for delivery) so a scenario's verdicts land in the
 * certification record, the ledger and JUnit like any other.
 *
 * A check is built from one expectation (its parameters); the check's id names the kind, so the same kind
 * in two scenarios is the same check (a ledger entry can name it). A second expectation of one kind in a
 * scenario gets `-2`, `-3`….
 */
import type { RequirementId } from '../../harness/protocol/index.ts';
import type { ExchangeRecord } from '../../harness/records/index.ts';
import {
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  type Problem,
  problem,
  type Skip,
  skip,
} from '../core/index.ts';
import { APP_NAMES, type AppName, type Expectation, type LogoutKind } from './expectations.ts';

/** One System Log event as the scenario checks need it (read back through `GET /api/v1/logs`). */
export interface ScenarioLogEvent {
  readonly eventType: string;
  readonly published: string;
  readonly traceId: string | null;
  /** Ids of the User targets. */
  readonly userIds: readonly string[];
  /** `level` of debugData's Risk map, for user.risk.detect / user.risk.change. */
  readonly riskLevel?: string;
  /** The Rule target of a policy evaluation. */
  readonly rule?: { readonly id: string; readonly name: string | null };
  /** The PolicyAction target of a policy action. */
  readonly policyAction?: string;
  /** `outcome.result` (SUCCESS, FAILURE…), where the event has one. */
  readonly outcome?: string;
}

/** A call the lab's Workflows stand-in received, as `GET /_lab/workflows/invocations` shows it. */
export interface WorkflowInvocation {
  readonly flowKey: string;
  /** `userContext.oktaUserId` of the body. */
  readonly oktaUserId: string | null;
  /** `context.caller.traceId` of the body: the signal the run was for. */
  readonly traceId: string | null;
}

/** An app session as the app's `/_lab/sessions` shows it. */
export interface AppSessionView {
  readonly state: string;
  readonly refreshToken: string;
}

/** A user an expectation names, as read after the run (each part absent when no expectation needed it). */
export interface UserCapture {
  readonly email: string;
  readonly userId?: string;
  /** `GET /api/v1/users/{id}/risk` → riskLevel (NONE when it has none). */
  readonly riskLevel?: string;
  /** Live Okta sessions of the user. */
  readonly oktaSessions?: number;
  /** Each app's sessions for the user. */
  readonly apps?: Partial<Record<AppName, readonly AppSessionView[]>>;
  /** What could not be read about the user. */
  readonly error?: string;
}

export interface ScenarioCapture {
  /** The run's exchanges — the runner's calls and the services' calls to each other — in order. */
  readonly exchanges: readonly ExchangeRecord[];
  /** Okta's System Log from the run's start, oldest first. */
  readonly log: readonly ScenarioLogEvent[];
  /** Each user an expectation names, by the reference it uses (`mac`, an email). */
  readonly users: Readonly<Record<string, UserCapture>>;
  /** What the lab's Workflows stand-in received, when an expectation needed it. */
  readonly workflowInvocations?: readonly WorkflowInvocation[];
  /** The id of the Entity Risk Policy's system (catch-all) rule, when it was read. */
  readonly catchAllRuleId?: string;
  /** Real ms from the first step to the end of the last logout call (else of the last exchange). */
  readonly flow?: { readonly ms: number; readonly until: 'logout' | 'exchange' };
  /**
   * What the target could not show, and why (real endpoints have no lab timeline and no `/_lab/` view of
   * sessions): a check that needs it is skipped with the reason, never passed.
   */
  readonly unavailable?: Partial<
    Record<'timeline' | 'oktaSessions' | 'appSessions' | 'workflowInvocations', string>
  >;
}

const isOk = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

function eventMatches(uri: string, wanted: string | undefined): boolean {
  return wanted === undefined || uri === wanted || uri.endsWith(`/${wanted}`);
}

function eventOf(claims: Record<string, unknown> | null): [string, Record<string, unknown>] | undefined {
  const events = claims?.events;
  if (!events || typeof events !== 'object') return undefined;
  const [entry] = Object.entries(events as Record<string, Record<string, unknown>>);
  return entry;
}

/** Consecutive repeats of one event type count once (`user.session.end` comes once per session). */
function collapse(types: readonly string[]): string[] {
  return types.filter((t, i) => i === 0 || types[i - 1] !== t);
}

/** The events of every signal (TraceId) that touched the user, in order. */
export function chainsOf(log: readonly ScenarioLogEvent[], userId: string): ScenarioLogEvent[] {
  const traces = new Set(
    log.filter((e) => e.userIds.includes(userId) && e.traceId !== null).map((e) => e.traceId),
  );
  return log.filter((e) => e.traceId !== null && traces.has(e.traceId));
}

/** How the app's sessions for a user look after the run: every session revoked (full), only refresh (partial). */
export function logoutKindOf(sessions: readonly AppSessionView[]): LogoutKind | 'unknown' | 'no sessions' {
  const live = sessions.filter((s) => s.state !== 'expired');
  if (live.length === 0) return 'no sessions';
  const revoked = live.filter((s) => s.state === 'revoked').length;
  const refreshRevoked = live.filter((s) => s.refreshToken === 'revoked').length;
  if (revoked === live.length) return 'full';
  if (revoked === 0 && refreshRevoked === live.length) return 'partial';
  if (revoked === 0 && refreshRevoked === 0) return 'none';
  return 'unknown';
}

/** The user an expectation names, or the problem that it could not be read. */
function userOf(c: ScenarioCapture, ref: string): UserCapture | Problem {
  const user = c.users[ref];
  if (!user) return problem(`nothing was captured about the user "${ref}"`);
  if (user.error !== undefined) return problem(`${ref} could not be read: ${user.error}`);
  return user;
}

const isProblem = (x: UserCapture | Problem): x is Problem => 'message' in x;

type Kind = Expectation extends infer E ? (E extends unknown ? keyof E : never) : never;

interface Blueprint<K extends Kind> {
  readonly id: string;
  readonly requirement: (e: Extract<Expectation, Record<K, unknown>>[K]) => RequirementId;
  readonly title: (e: Extract<Expectation, Record<K, unknown>>[K]) => string;
  readonly evaluate: (
    e: Extract<Expectation, Record<K, unknown>>[K],
    c: ScenarioCapture,
  ) => readonly Problem[] | Skip;
}

const sets: Blueprint<'sets'> = {
  id: 'scenario-sets-accepted',
  // The SET reaching Okta and being accepted is what OKTA-ITP-RECEIVE is about; elsewhere RFC 8935 §2.2.
  requirement: (e) => (e.to === 'okta' ? 'OKTA-ITP-RECEIVE' : 'RFC8935-2.2'),
  title: (e) =>
    `${e.to} accepts exactly ${e.count} ${e.event ?? 'SET'}${e.previous || e.current ? ` (${e.previous ?? '*'} → ${e.current ?? '*'})` : ''} during the run.`,
  evaluate(e, c) {
    if (c.unavailable?.timeline) return skip(c.unavailable.timeline);
    const accepted = new Map<string, Record<string, unknown>>();
    for (const x of c.exchanges) {
      if (!x.set || x.to !== e.to || !isOk(x.status)) continue;
      const event = eventOf(x.set.claims);
      if (!event || !eventMatches(event[0], e.event)) continue;
      accepted.set(String(x.set.claims?.jti ?? x.seq), event[1]);
    }
    const levels = [...accepted.values()].map((p) => ({
      previous: p.previous_level ?? p.previous_status,
      current: p.current_level ?? p.current_status,
    }));
    const matching = levels.filter(
      (l) =>
        (e.previous === undefined || l.previous === e.previous) &&
        (e.current === undefined || l.current === e.current),
    ).length;
    return expectThat(matching === e.count, `${e.to} accepted ${matching} such SETs, not ${e.count}`, {
      accepted: levels,
    });
  },
};

const deliveries: Blueprint<'deliveries'> = {
  id: 'scenario-deliveries-after-retries',
  requirement: () => 'LAB-RETRY',
  title: (e) =>
    `${e.delivered} distinct SETs reach ${e.to}${e.failedAttemptsAtLeast ? ` after at least ${e.failedAttemptsAtLeast} failed attempts` : ''}.`,
  evaluate(e, c) {
    if (c.unavailable?.timeline) return skip(c.unavailable.timeline);
    const pushes = c.exchanges.filter((x) => x.set && x.to === e.to);
    const failed = pushes.filter((x) => !isOk(x.status)).length;
    const delivered = new Set(pushes.filter((x) => isOk(x.status)).map((x) => String(x.set?.claims?.jti)))
      .size;
    const evidence = { delivered, failed, attempts: pushes.length };
    const problems: Problem[] = [];
    if (delivered !== e.delivered)
      problems.push(problem(`${delivered} SETs reached ${e.to}, not ${e.delivered}`, evidence));
    if (e.failedAttemptsAtLeast !== undefined && failed < e.failedAttemptsAtLeast)
      problems.push(
        problem(
          `only ${failed} attempts failed before delivery, expected at least ${e.failedAttemptsAtLeast}`,
          evidence,
        ),
      );
    return problems;
  },
};

const userRisk: Blueprint<'userRisk'> = {
  id: 'scenario-user-risk',
  requirement: () => 'OKTA-ITP-RISK',
  title: (e) =>
    `The risk of ${e.user}${e.detected ? ` is detected as ${e.detected.join(' → ') || 'nothing'}` : ''}${e.detected && e.level ? ' and' : ''}${e.level ? ` ends at ${e.level}` : ''}.`,
  evaluate(e, c) {
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    const problems: Problem[] = [];
    if (e.level !== undefined && user.riskLevel !== e.level)
      problems.push(problem(`the risk is ${user.riskLevel ?? '(not read)'}, not ${e.level}`));
    if (e.detected !== undefined) {
      if (user.userId === undefined) return [problem(`${e.user} has no Okta user id`)];
      const detected = c.log
        .filter((x) => x.eventType === 'user.risk.detect' && x.userIds.includes(user.userId as string))
        .map((x) => x.riskLevel ?? '?');
      if (JSON.stringify(detected) !== JSON.stringify(e.detected))
        problems.push(
          problem(`detections reported ${JSON.stringify(detected)}, not ${JSON.stringify(e.detected)}`, {
            detected,
          }),
        );
    }
    return problems;
  },
};

const CATCH_ALL = 'catch-all';

const rule: Blueprint<'rule'> = {
  id: 'scenario-policy-rule-matched',
  requirement: () => 'OKTA-ITP-POLICY',
  title: (e) =>
    e.matched === 'none'
      ? `The Entity Risk Policy is not evaluated for ${e.user}.`
      : `The Entity Risk Policy's last evaluation for ${e.user} matches "${e.matched}"${e.action ? ` and acts with ${e.action}` : ''}.`,
  evaluate(e, c) {
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    const userId = user.userId ?? '';
    const evaluations = c.log.filter(
      (x) => x.eventType === 'policy.entity_risk.evaluate' && x.userIds.includes(userId),
    );
    const rules = evaluations.map((x) => ({
      rule: x.rule?.name ?? null,
      ruleId: x.rule?.id ?? null,
      action:
        c.log.find(
          (a) =>
            a.eventType === 'policy.entity_risk.action' &&
            a.traceId === x.traceId &&
            a.userIds.includes(userId),
        )?.policyAction ?? null,
    }));
    if (e.matched === 'none')
      return expectThat(rules.length === 0, `the policy was evaluated ${rules.length} times`, rules);
    const last = rules.at(-1);
    if (!last) return [problem('the policy was never evaluated for this user')];
    if (e.matched === CATCH_ALL && c.catchAllRuleId === undefined)
      return [problem("the policy's catch-all rule could not be read")];
    const matched = e.matched === CATCH_ALL ? last.ruleId === c.catchAllRuleId : last.rule === e.matched;
    const acted = e.action === undefined || last.action === e.action;
    return expectThat(
      matched && acted,
      `the last evaluation matched "${last.rule}" with action ${last.action}`,
      rules,
    );
  },
};

const oktaSessions: Blueprint<'oktaSessions'> = {
  id: 'scenario-okta-sessions',
  // None left is the seed's step 7 (the policy's action clears every session); another count, the policy.
  requirement: (e) => (e.count === 0 ? 'OKTA-ITP-SESSIONS-CLEARED' : 'OKTA-ITP-POLICY'),
  title: (e) => `${e.user} has ${e.count} live Okta sessions after the run.`,
  evaluate(e, c) {
    if (c.unavailable?.oktaSessions) return skip(c.unavailable.oktaSessions);
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    return expectThat(
      user.oktaSessions === e.count,
      `${user.oktaSessions ?? '(unread)'} Okta sessions are live, not ${e.count}`,
    );
  },
};

const logout: Blueprint<'logout'> = {
  id: 'scenario-app-logouts',
  requirement: () => 'OKTA-ITP-APP-LOGOUT',
  title: (e) =>
    `${e.user} is logged out of the apps: ${APP_NAMES.filter((a) => e[a] !== undefined)
      .map((a) => `${a} ${e[a]}`)
      .join(', ')}.`,
  evaluate(e, c) {
    if (c.unavailable?.appSessions) return skip(c.unavailable.appSessions);
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    const problems: Problem[] = [];
    for (const app of APP_NAMES) {
      const want = e[app];
      if (want === undefined) continue;
      const found = logoutKindOf(user.apps?.[app] ?? []);
      if (found !== want) problems.push(problem(`${app}: ${found}, not ${want}`, user.apps?.[app] ?? []));
    }
    return problems;
  },
};

const systemLog: Blueprint<'systemLog'> = {
  id: 'scenario-system-log-chain',
  requirement: () => 'OKTA-ITP-POLICY',
  title: (e) =>
    `Okta's System Log for ${e.user} reads ${collapse(e.sequence).join(' → ')}${(e.oneTrace ?? true) ? ' under one TraceId' : ''}.`,
  evaluate(e, c) {
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    const chain = chainsOf(c.log, user.userId ?? '');
    const types = collapse(chain.map((x) => x.eventType));
    const wanted = collapse(e.sequence);
    const traces = new Set(chain.map((x) => x.traceId));
    const problems: Problem[] = [];
    if (JSON.stringify(types) !== JSON.stringify(wanted))
      problems.push(
        problem(`the System Log has ${types.length ? types.join(' → ') : 'no events'} for this user`, {
          sequence: types,
        }),
      );
    if ((e.oneTrace ?? true) && traces.size > 1)
      problems.push(problem(`the events are spread over ${traces.size} TraceIds`, { traceIds: [...traces] }));
    return problems;
  },
};

const DELEGATED_FLOW_RUN = 'workflows.user.delegatedflow.run';

const workflow: Blueprint<'workflow'> = {
  id: 'scenario-delegated-flow',
  // Running the delegated flow is the matched rule's action: the policy requirement, as for the rule check.
  requirement: () => 'OKTA-ITP-POLICY',
  title: (e) =>
    `The delegated flow ${
      [
        e.received === undefined ? undefined : `receives ${e.received} runs for ${e.user}`,
        e.outcomes === undefined
          ? undefined
          : `is logged for ${e.user} with outcomes ${e.outcomes.join(', ') || 'none'}`,
      ]
        .filter((part) => part !== undefined)
        .join(' and ') || `is judged for ${e.user}`
    }.`,
  evaluate(e, c) {
    if (e.received !== undefined && c.unavailable?.workflowInvocations)
      return skip(c.unavailable.workflowInvocations);
    const user = userOf(c, e.user);
    if (isProblem(user)) return [user];
    const userId = user.userId ?? '';
    const problems: Problem[] = [];
    if (e.received !== undefined) {
      if (c.workflowInvocations === undefined)
        return [problem("the Workflows stand-in's invocations were not read")];
      // Only this run's signals count: a running lab's stand-in keeps the runs of earlier scenarios too.
      const traces = new Set(chainsOf(c.log, userId).map((x) => x.traceId));
      const received = c.workflowInvocations.filter(
        (i) => i.oktaUserId === userId && i.traceId !== null && traces.has(i.traceId),
      );
      if (received.length !== e.received)
        problems.push(
          problem(
            `the Workflows stand-in received ${received.length} runs for ${e.user}, not ${e.received}`,
            {
              received,
              others: c.workflowInvocations.length - received.length,
            },
          ),
        );
    }
    if (e.outcomes !== undefined) {
      const outcomes = chainsOf(c.log, userId)
        .filter((x) => x.eventType === DELEGATED_FLOW_RUN)
        .map((x) => x.outcome ?? '?');
      if (JSON.stringify(outcomes) !== JSON.stringify(e.outcomes))
        problems.push(
          problem(
            `the System Log has ${DELEGATED_FLOW_RUN} with outcomes ${JSON.stringify(outcomes)}, not ${JSON.stringify(e.outcomes)}`,
            { outcomes },
          ),
        );
    }
    return problems;
  },
};

const within: Blueprint<'within'> = {
  id: 'scenario-flow-within-bound',
  requirement: () => 'LAB-E2E-LATENCY',
  title: (e) => `The flow finishes within ${e.ms} ms of the first step (its last logout call).`,
  evaluate(e, c) {
    if (c.unavailable?.timeline) return skip(c.unavailable.timeline);
    if (c.flow === undefined) return [problem('nothing happened during the run')];
    return c.flow.ms <= e.ms
      ? HOLDS
      : [
          problem(
            `it took ${c.flow.ms} ms (to the ${c.flow.until === 'logout' ? 'last logout call' : 'last exchange'})`,
            c.flow,
          ),
        ];
  },
};

/** A blueprint with its kind forgotten: the table below pairs each kind with its own. */
interface AnyBlueprint {
  readonly id: string;
  requirement(e: never): RequirementId;
  title(e: never): string;
  evaluate(e: never, c: ScenarioCapture): readonly Problem[] | Skip;
}

const BLUEPRINTS: Record<Kind, AnyBlueprint> = {
  sets,
  deliveries,
  userRisk,
  rule,
  oktaSessions,
  logout,
  systemLog,
  workflow,
  within,
};

/** The check ids of the scenario checks, by expectation kind. */
export const SCENARIO_CHECK_IDS: Readonly<Record<Kind, string>> = Object.fromEntries(
  Object.entries(BLUEPRINTS).map(([kind, b]) => [kind, b.id]),
) as Record<Kind, string>;

/** The check one expectation makes (`nth` > 1 for the second of its kind in a scenario). */
export function scenarioCheck(expectation: Expectation, nth = 1): Check<ScenarioCapture> {
  const kind = Object.keys(expectation)[0] as Kind;
  const blueprint = BLUEPRINTS[kind];
  if (!blueprint) throw new TypeError(`unknown expectation ${JSON.stringify(expectation)}`);
  // The blueprint of this kind takes this kind's parameters.
  const params = (expectation as unknown as Record<string, unknown>)[kind] as never;
  return defineCheck<ScenarioCapture>({
    id: nth > 1 ? `${blueprint.id}-${nth}` : blueprint.id,
    title: blueprint.title(params),
    requirement: blueprint.requirement(params),
    evaluate: (c) => blueprint.evaluate(params, c),
  });
}

/** A scenario's checks, in the order of its `expect` list. */
export function scenarioChecks(expectations: readonly Expectation[]): Check<ScenarioCapture>[] {
  const seen = new Map<string, number>();
  return expectations.map((e) => {
    const kind = Object.keys(e)[0] ?? '';
    const nth = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, nth);
    return scenarioCheck(e, nth);
  });
}
