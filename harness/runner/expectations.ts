/**
 * Expectations, checked after the steps through the services' public APIs and the run's timeline. Each
 * gives an ExpectationResult with what was expected, what was found and — when they differ — a sentence
 * saying how.
 */
import type { ExpectationResult } from '../protocol/index.ts';
import type { RunContext } from './context.ts';
import { chainsOf, type LogEvent, readSystemLog, riskField, targetsUser, traceOf } from './okta-log.ts';
import type { AppName, Expectation, LogoutKind } from './scenario.ts';

const APPS: readonly AppName[] = ['salesforce', 'google-workspace', 'office365'];
const CATCH_ALL = 'catch-all';

interface Outcome {
  readonly title: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly message?: string;
}

function isOk(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function eventMatches(uri: string, wanted: string | undefined): boolean {
  return wanted === undefined || uri === wanted || uri.endsWith(`/${wanted}`);
}

/** The event payload of a decoded SET (its only event). */
function eventOf(claims: Record<string, unknown> | null): [string, Record<string, unknown>] | undefined {
  const events = claims?.events;
  if (!events || typeof events !== 'object') return undefined;
  const [entry] = Object.entries(events as Record<string, Record<string, unknown>>);
  return entry;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Consecutive repeats of one event type count once (`user.session.end` comes once per session). */
function collapse(types: readonly string[]): string[] {
  return types.filter((t, i) => i === 0 || types[i - 1] !== t);
}

interface AppSession {
  readonly state: string;
  readonly refreshToken: { readonly state: string };
  readonly accessTokens: readonly { readonly state: string }[];
}

async function logoutKindOf(
  ctx: RunContext,
  app: AppName,
  email: string,
): Promise<{ kind: LogoutKind | 'unknown'; sessions: number }> {
  const answer = await ctx.call(app, `${app}: sessions`, `/_lab/sessions?email=${encodeURIComponent(email)}`);
  const sessions = ((answer.body as { sessions?: AppSession[] } | undefined)?.sessions ?? []).filter(
    (s) => s.state !== 'expired',
  );
  if (sessions.length === 0) return { kind: 'unknown', sessions: 0 };
  const revoked = sessions.filter((s) => s.state === 'revoked');
  const refreshRevoked = sessions.filter((s) => s.refreshToken.state === 'revoked');
  if (revoked.length === sessions.length) return { kind: 'full', sessions: sessions.length };
  if (revoked.length === 0 && refreshRevoked.length === sessions.length)
    return { kind: 'partial', sessions: sessions.length };
  if (revoked.length === 0 && refreshRevoked.length === 0) return { kind: 'none', sessions: sessions.length };
  return { kind: 'unknown', sessions: sessions.length };
}

/** The id of the ENTITY_RISK policy's system (catch-all) rule, read through the Policies API. */
async function systemRuleId(ctx: RunContext): Promise<string | undefined> {
  const policies = await ctx.call('okta', 'okta: policies', '/api/v1/policies?type=ENTITY_RISK');
  const policyId = (policies.body as { id: string }[] | undefined)?.[0]?.id;
  if (!policyId) return undefined;
  const rules = await ctx.call('okta', 'okta: rules', `/api/v1/policies/${policyId}/rules`);
  return (rules.body as { id: string; system?: boolean }[] | undefined)?.find((r) => r.system)?.id;
}

async function check(
  ctx: RunContext,
  expectation: Expectation,
  log: () => Promise<LogEvent[]>,
): Promise<Outcome> {
  if ('sets' in expectation) {
    const e = expectation.sets;
    const accepted = new Map<string, Record<string, unknown>>();
    for (const x of ctx.exchanges()) {
      if (!x.set || x.to !== e.to || !isOk(x.status)) continue;
      const jti = String(x.set.claims?.jti ?? x.seq);
      const event = eventOf(x.set.claims);
      if (!event || !eventMatches(event[0], e.event)) continue;
      accepted.set(jti, event[1]);
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
    const what = `${e.event ?? 'SET'}${e.previous || e.current ? ` ${e.previous ?? '*'} → ${e.current ?? '*'}` : ''}`;
    return {
      title: `${e.count} ${what} accepted by ${e.to}`,
      expected: e.count,
      actual: { matching, accepted: levels },
      ...(matching === e.count ? {} : { message: `${e.to} accepted ${matching} such SETs, not ${e.count}` }),
    };
  }
  if ('deliveries' in expectation) {
    const e = expectation.deliveries;
    const pushes = ctx.exchanges().filter((x) => x.set && x.to === e.to);
    const failed = pushes.filter((x) => !isOk(x.status)).length;
    const delivered = new Set(pushes.filter((x) => isOk(x.status)).map((x) => String(x.set?.claims?.jti)))
      .size;
    const problems: string[] = [];
    if (delivered !== e.delivered) problems.push(`${delivered} SETs reached ${e.to}, not ${e.delivered}`);
    if (e.failedAttemptsAtLeast !== undefined && failed < e.failedAttemptsAtLeast)
      problems.push(
        `only ${failed} attempts failed before delivery, expected at least ${e.failedAttemptsAtLeast}`,
      );
    return {
      title: `${e.delivered} SETs delivered to ${e.to}${e.failedAttemptsAtLeast ? ` after at least ${e.failedAttemptsAtLeast} failed attempts` : ''}`,
      expected: { delivered: e.delivered, failedAttemptsAtLeast: e.failedAttemptsAtLeast ?? 0 },
      actual: { delivered, failed, attempts: pushes.length },
      ...(problems.length ? { message: problems.join('; ') } : {}),
    };
  }
  if ('userRisk' in expectation) {
    const e = expectation.userRisk;
    const email = ctx.email(e.user);
    const userId = await ctx.oktaUserId(e.user);
    const actual: { level?: string; detected?: string[] } = {};
    const problems: string[] = [];
    if (e.level !== undefined) {
      const risk = await ctx.call('okta', 'okta: user risk', `/api/v1/users/${userId}/risk`);
      actual.level = (risk.body as { riskLevel?: string } | undefined)?.riskLevel ?? 'NONE';
      if (actual.level !== e.level) problems.push(`the risk is ${actual.level}, not ${e.level}`);
    }
    if (e.detected !== undefined) {
      actual.detected = (await log())
        .filter((x) => x.eventType === 'user.risk.detect' && targetsUser(x, userId))
        .map((x) => riskField(x, 'level') ?? '?');
      if (!sameJson(actual.detected, e.detected))
        problems.push(
          `detections reported ${JSON.stringify(actual.detected)}, not ${JSON.stringify(e.detected)}`,
        );
    }
    return {
      title: `risk of ${email}${e.level ? ` is ${e.level}` : ''}${e.detected ? `, detected ${e.detected.join(' → ') || 'nothing'}` : ''}`,
      expected: { level: e.level, detected: e.detected },
      actual,
      ...(problems.length ? { message: problems.join('; ') } : {}),
    };
  }
  if ('rule' in expectation) {
    const e = expectation.rule;
    const userId = await ctx.oktaUserId(e.user);
    const events = await log();
    const evaluations = events.filter(
      (x) => x.eventType === 'policy.entity_risk.evaluate' && targetsUser(x, userId),
    );
    const rules = evaluations.map((x) => {
      const rule = (x.target ?? []).find((t) => t.type === 'Rule');
      const action = events.find(
        (a) =>
          a.eventType === 'policy.entity_risk.action' && traceOf(a) === traceOf(x) && targetsUser(a, userId),
      );
      const policyAction = (action?.target ?? []).find((t) => t.type === 'PolicyAction')?.displayName ?? null;
      return { rule: rule?.displayName ?? null, ruleId: rule?.id ?? null, action: policyAction };
    });
    const last = rules.at(-1);
    const matchedOk =
      e.matched === 'none'
        ? rules.length === 0
        : e.matched === CATCH_ALL
          ? last?.ruleId !== undefined && last.ruleId === (await systemRuleId(ctx))
          : last?.rule === e.matched;
    const actionOk = e.action === undefined || last?.action === e.action;
    return {
      title: `the Entity Risk Policy ${e.matched === 'none' ? 'was not evaluated' : `matched "${e.matched}"`}${e.action ? ` with action ${e.action}` : ''} for ${ctx.email(e.user)}`,
      expected: { matched: e.matched, action: e.action },
      actual: rules,
      ...(matchedOk && actionOk
        ? {}
        : {
            message:
              rules.length === 0
                ? 'the policy was never evaluated for this user'
                : `the last evaluation matched "${last?.rule}" with action ${last?.action}`,
          }),
    };
  }
  if ('oktaSessions' in expectation) {
    const e = expectation.oktaSessions;
    const userId = await ctx.oktaUserId(e.user);
    const answer = await ctx.call('okta', 'okta: sessions', '/_lab/sessions');
    const count = ((answer.body as { userId: string }[] | undefined) ?? []).filter(
      (s) => s.userId === userId,
    ).length;
    return {
      title: `${ctx.email(e.user)} has ${e.count} Okta sessions`,
      expected: e.count,
      actual: count,
      ...(count === e.count ? {} : { message: `${count} Okta sessions are live, not ${e.count}` }),
    };
  }
  if ('logout' in expectation) {
    const e = expectation.logout;
    const email = ctx.email(e.user);
    const expected: Partial<Record<AppName, LogoutKind>> = {};
    const actual: Partial<Record<AppName, string>> = {};
    const problems: string[] = [];
    for (const app of APPS) {
      const want = e[app];
      if (want === undefined) continue;
      expected[app] = want;
      const found = await logoutKindOf(ctx, app, email);
      actual[app] = found.sessions === 0 ? 'no sessions' : found.kind;
      if (found.kind !== want) problems.push(`${app}: ${actual[app]}, not ${want}`);
    }
    return {
      title: `${email} logged out of the apps: ${Object.entries(expected)
        .map(([a, k]) => `${a} ${k}`)
        .join(', ')}`,
      expected,
      actual,
      ...(problems.length ? { message: problems.join('; ') } : {}),
    };
  }
  if ('systemLog' in expectation) {
    const e = expectation.systemLog;
    const userId = await ctx.oktaUserId(e.user);
    const chain = chainsOf(await log(), userId);
    const types = collapse(chain.map((x) => x.eventType));
    const wanted = collapse(e.sequence);
    const traces = new Set(chain.map(traceOf));
    const problems: string[] = [];
    if (!sameJson(types, wanted))
      problems.push(`the System Log has ${types.length ? types.join(' → ') : 'no events'} for this user`);
    if ((e.oneTrace ?? true) && traces.size > 1)
      problems.push(`the events are spread over ${traces.size} TraceIds`);
    return {
      title: `System Log for ${ctx.email(e.user)}: ${wanted.join(' → ')}${(e.oneTrace ?? true) ? ', one TraceId' : ''}`,
      expected: wanted,
      actual: { sequence: types, traceIds: [...traces] },
      ...(problems.length ? { message: problems.join('; ') } : {}),
    };
  }
  const e = expectation.within;
  const gtr = ctx.exchanges().filter((x) => x.from === 'okta' && APPS.includes(x.to as AppName));
  const lastSeq = (gtr.length ? gtr : ctx.exchanges()).at(-1)?.seq;
  const end = lastSeq === undefined ? undefined : ctx.completedReal.get(lastSeq);
  const ms = end === undefined ? undefined : Math.round(end - ctx.startedReal);
  return {
    title: `the flow finished within ${e.ms} ms (${gtr.length ? 'last logout call' : 'last exchange'})`,
    expected: e.ms,
    actual: ms ?? null,
    ...(ms !== undefined && ms <= e.ms
      ? {}
      : { message: ms === undefined ? 'nothing happened' : `it took ${ms} ms` }),
  };
}

/** Checks every expectation; the System Log is read once and shared. */
export async function checkExpectations(
  ctx: RunContext,
  expectations: readonly Expectation[],
): Promise<ExpectationResult[]> {
  let cached: Promise<LogEvent[]> | undefined;
  const log = (): Promise<LogEvent[]> => {
    cached ??= readSystemLog(ctx);
    return cached;
  };
  const out: ExpectationResult[] = [];
  for (const [index, expectation] of expectations.entries()) {
    const kind = Object.keys(expectation)[0] ?? 'unknown';
    try {
      const outcome = await check(ctx, expectation, log);
      out.push({
        index,
        kind,
        title: outcome.title,
        ok: outcome.message === undefined,
        expected: outcome.expected,
        actual: outcome.actual,
        ...(outcome.message === undefined ? {} : { message: outcome.message }),
      });
    } catch (error) {
      out.push({
        index,
        kind,
        title: `${kind} ${JSON.stringify(Object.values(expectation)[0])}`,
        ok: false,
        expected: Object.values(expectation)[0],
        actual: null,
        message: `could not be checked: ${(error as Error).message}`,
      });
    }
  }
  return out;
}
