/**
 * What the scenario checks judge, read after the steps through the services' public APIs and the lab's
 * documented controls — the I/O half of each expectation; the judging half is a pure check
 * (suites/scenarios). Only what some expectation needs is read.
 */
import type {
  AppSessionView,
  ScenarioCapture,
  ScenarioLogEvent,
  UserCapture,
  WorkflowInvocation,
} from '../../suites/scenarios/index.ts';
import { APP_NAMES, type AppName } from '../../suites/scenarios/index.ts';
import type { RunContext } from './context.ts';
import { type LogEvent, riskField, traceOf } from './okta-log.ts';
import type { Expectation } from './scenario.ts';

/** A System Log event as the checks need it. */
export function logEventOf(event: LogEvent): ScenarioLogEvent {
  const targets = event.target ?? [];
  const rule = targets.find((t) => t.type === 'Rule');
  const action = targets.find((t) => t.type === 'PolicyAction')?.displayName;
  const level = riskField(event, 'level');
  const outcome = event.outcome?.result;
  return {
    eventType: event.eventType,
    published: event.published,
    traceId: traceOf(event),
    userIds: targets.filter((t) => t.type === 'User').map((t) => t.id),
    ...(level === undefined ? {} : { riskLevel: level }),
    ...(rule ? { rule: { id: rule.id, name: rule.displayName } } : {}),
    ...(action ? { policyAction: action } : {}),
    ...(typeof outcome === 'string' ? { outcome } : {}),
  };
}

/** The id of the ENTITY_RISK policy's system (catch-all) rule, read through the Policies API. */
async function catchAllRuleId(ctx: RunContext): Promise<string | undefined> {
  const policies = await ctx.call('okta', 'okta: policies', '/api/v1/policies?type=ENTITY_RISK');
  const policyId = (policies.body as { id: string }[] | undefined)?.[0]?.id;
  if (!policyId) return undefined;
  const rules = await ctx.call('okta', 'okta: rules', `/api/v1/policies/${policyId}/rules`);
  return (rules.body as { id: string; system?: boolean }[] | undefined)?.find((r) => r.system)?.id;
}

/** What the lab's Workflows stand-in received (mock Okta's `GET /_lab/workflows/invocations`). */
async function workflowInvocations(ctx: RunContext): Promise<WorkflowInvocation[]> {
  const answer = await ctx.call('okta', 'okta: Workflows stand-in', '/_lab/workflows/invocations');
  const invocations = (answer.body as { invocations?: unknown } | undefined)?.invocations;
  return (Array.isArray(invocations) ? (invocations as Record<string, unknown>[]) : []).map((i) => {
    const traceId = (i.body as { context?: { caller?: { traceId?: unknown } } } | undefined)?.context?.caller
      ?.traceId;
    return {
      flowKey: String(i.flowKey),
      oktaUserId: typeof i.oktaUserId === 'string' ? i.oktaUserId : null,
      traceId: typeof traceId === 'string' ? traceId : null,
    };
  });
}

interface Needs {
  risk: boolean;
  sessions: boolean;
  apps: Set<AppName>;
}

function userRef(e: Expectation): string | undefined {
  const params = Object.values(e)[0] as { user?: string };
  return params.user;
}

async function captureUser(ctx: RunContext, ref: string, needs: Needs): Promise<UserCapture> {
  let email = ref;
  try {
    email = await ctx.email(ref);
    const userId = await ctx.oktaUserId(ref);
    let riskLevel: string | undefined;
    if (needs.risk) {
      const risk = await ctx.call('okta', 'okta: user risk', `/api/v1/users/${userId}/risk`);
      riskLevel = (risk.body as { riskLevel?: string } | undefined)?.riskLevel ?? 'NONE';
    }
    let oktaSessions: number | undefined;
    if (needs.sessions) {
      const answer = await ctx.call('okta', 'okta: sessions', '/_lab/sessions');
      oktaSessions = ((answer.body as { userId: string }[] | undefined) ?? []).filter(
        (s) => s.userId === userId,
      ).length;
    }
    const apps: Partial<Record<AppName, AppSessionView[]>> = {};
    for (const app of needs.apps) {
      const answer = await ctx.call(
        app,
        `${app}: sessions`,
        `/_lab/sessions?email=${encodeURIComponent(email)}`,
      );
      apps[app] = (
        (answer.body as { sessions?: { state: string; refreshToken: { state: string } }[] } | undefined)
          ?.sessions ?? []
      ).map((s) => ({ state: s.state, refreshToken: s.refreshToken.state }));
    }
    return {
      email,
      userId,
      ...(riskLevel === undefined ? {} : { riskLevel }),
      ...(oktaSessions === undefined ? {} : { oktaSessions }),
      ...(needs.apps.size ? { apps } : {}),
    };
  } catch (error) {
    return { email, error: (error as Error).message };
  }
}

/** Reads what the expectations need; `log` is the System Log from the run's start (read once, shared). */
export async function captureScenario(
  ctx: RunContext,
  expectations: readonly Expectation[],
  log: readonly LogEvent[],
): Promise<ScenarioCapture> {
  const lab = ctx.target.labControls;
  const needs = new Map<string, Needs>();
  for (const e of expectations) {
    const ref = userRef(e);
    if (ref === undefined) continue;
    const n = needs.get(ref) ?? { risk: false, sessions: false, apps: new Set<AppName>() };
    if ('userRisk' in e && e.userRisk.level !== undefined) n.risk = true;
    if ('oktaSessions' in e && lab) n.sessions = true;
    if ('logout' in e && lab) for (const app of APP_NAMES) if (e.logout[app] !== undefined) n.apps.add(app);
    needs.set(ref, n);
  }
  const users: Record<string, UserCapture> = {};
  for (const [ref, n] of needs) users[ref] = await captureUser(ctx, ref, n);
  const wantsCatchAll = expectations.some((e) => 'rule' in e && e.rule.matched === 'catch-all');
  const catchAll = wantsCatchAll ? await catchAllRuleId(ctx).catch(() => undefined) : undefined;
  const wantsInvocations =
    lab && expectations.some((e) => 'workflow' in e && e.workflow.received !== undefined);
  // A read that fails leaves them unread: the check says so rather than counting nothing as zero.
  const invocations = wantsInvocations ? await workflowInvocations(ctx).catch(() => undefined) : undefined;
  const flow = ctx.flow();
  return {
    exchanges: ctx.exchanges(),
    log: log.map(logEventOf),
    users,
    ...(invocations === undefined ? {} : { workflowInvocations: invocations }),
    ...(catchAll === undefined ? {} : { catchAllRuleId: catchAll }),
    ...(flow === undefined ? {} : { flow }),
    ...(lab
      ? {}
      : {
          unavailable: {
            timeline: `${ctx.target.name} is real endpoints: the exchanges between its services are seen only in a lab's timeline`,
            oktaSessions: `${ctx.target.name} is real endpoints: Okta's API lists no user's sessions (the integration plan grades them by session id)`,
            appSessions: `${ctx.target.name} is real endpoints: each app's sessions are seen only in a lab (the integration plan probes them)`,
            workflowInvocations: `${ctx.target.name} is real endpoints: what a delegated flow received is seen only at the lab's Workflows stand-in`,
          },
        }),
  };
}
