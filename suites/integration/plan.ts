/**
 * The `integration` plan: the seed's whole flow, end to end, against whatever mix of lab and real
 * endpoints the options point at. The harness plays nobody — it raises a threat on a user's device at the
 * transmitter, then only watches: Okta's System Log for the chain from the transmitter's SET down to
 * Universal Logout and the risk reset after it, the User Risk API and the user's named Okta sessions
 * before and after, and each app's session probe for the logout taking effect.
 */
import { BODY_CAPS, readBodyText } from '../../harness/kernel/index.ts';
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import {
  expectStatus,
  LOGOUT,
  type LogSummary,
  type OktaAccess,
  oktaCall,
  readLog,
  resetOf,
  type UserRisk,
} from '../okta-receiver/index.ts';
import { type Answer, sendProbe } from '../universal-logout/index.ts';
import {
  type AppProbe,
  INTEGRATION_CHECKS,
  type IntegrationCapture,
  logKey,
  type OktaSessionProbe,
  signalChain,
} from './checks.ts';
import {
  DEFAULT_LATENCY_BOUND_MS,
  DEFAULT_SETTLE_MS,
  DEFAULT_WAIT_MS,
  fillFromTrigger,
  type HttpRequestSpec,
  INTEGRATION_OPTIONS_SCHEMA,
  type IntegrationOptions,
} from './options.ts';

const POLL_MS = 250;
const MAX_POLL_MS = 5000;
/** Okta's clock may differ from ours: the log is read from this long before the trigger. */
const CLOCK_MARGIN_MS = 60_000;
const EXCERPT = 300;

interface Sent {
  readonly answer: Answer;
  readonly json: unknown;
}

async function send(ctx: SuiteContext, request: HttpRequestSpec): Promise<Sent> {
  try {
    const response = await ctx.fetch(request.url, {
      method: request.method,
      headers: { ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: ctx.signal,
    });
    // Past BODY_CAPS.apiAnswer the answer is cancelled unread; the catch below records why.
    const text = await readBodyText(response, BODY_CAPS.apiAnswer);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { answer: { status: response.status, excerpt: text.slice(0, EXCERPT) }, json };
  } catch (error) {
    return {
      answer: { status: null, excerpt: error instanceof Error ? error.message : String(error) },
      json: undefined,
    };
  }
}

/** What the User Risk API says of the user: its `riskLevel` and `reason`, when it names them. */
async function userRisk(ctx: SuiteContext, options: IntegrationOptions, userId: string): Promise<UserRisk> {
  const body = expectStatus(
    await oktaCall(ctx, options.okta, `/api/v1/users/${encodeURIComponent(userId)}/risk`),
    'read the user risk',
    200,
  );
  return {
    ...(typeof body.riskLevel === 'string' ? { riskLevel: body.riskLevel } : {}),
    ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
  };
}

/**
 * The Sessions API's status for one Okta session (`GET /api/v1/sessions/{id}`: 200 while it lives, 404
 * once it is gone), or null when no answer came — a finding for the check, not a harness error.
 */
async function sessionStatus(ctx: SuiteContext, okta: OktaAccess, id: string): Promise<number | null> {
  try {
    return (await oktaCall(ctx, okta, `/api/v1/sessions/${encodeURIComponent(id)}`)).status;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return null;
  }
}

const is2xx = (a: Answer): boolean => a.status !== null && a.status >= 200 && a.status < 300;

/**
 * Each app's probe after the logout. Okta may log universal_logout before every app has acted, so a probe
 * that still works is asked again, backing off, for up to `settleMs` — only when the chain was seen: after
 * a timeout nothing more is coming.
 */
async function probesAfter(
  ctx: SuiteContext,
  options: IntegrationOptions,
  before: readonly AppProbe[],
  settle: boolean,
): Promise<AppProbe[]> {
  const until = ctx.now() + (settle ? (options.settleMs ?? DEFAULT_SETTLE_MS) : 0);
  const out: AppProbe[] = [];
  for (const [i, app] of options.apps.entries()) {
    const probed = before[i];
    if (!probed) continue;
    let after = await sendProbe(ctx, app.sessionProbe);
    for (
      let pause = POLL_MS;
      is2xx(after) && ctx.now() + pause <= until;
      pause = Math.min(pause * 2, MAX_POLL_MS)
    ) {
      await ctx.sleep(pause);
      after = await sendProbe(ctx, app.sessionProbe);
    }
    out.push({ ...probed, after });
  }
  return out;
}

const endToEnd = defineModule<IntegrationOptions, IntegrationCapture>({
  id: 'device-threat-to-universal-logout',
  title: 'A device threat ends in Universal Logout',
  async run(ctx, options) {
    const { okta, user } = options;
    const found = expectStatus(
      await oktaCall(ctx, okta, `/api/v1/users/${encodeURIComponent(user)}`),
      `find ${user} in ${okta.url}`,
      200,
    );
    const userId = String(found.id);
    // Okta evaluates the policy on a change of level: a user already at HIGH would show nothing. The level
    // read here is also the one the reset after the logout is judged against.
    const riskBefore = await userRisk(ctx, options, userId);
    if (riskBefore.riskLevel === 'HIGH')
      throw new SkipModule(
        `${user} is already at HIGH risk: resolve their threats and let the level drop first`,
      );

    const before: AppProbe[] = [];
    for (const app of options.apps)
      before.push({ name: app.name, expect: app.expect, before: await sendProbe(ctx, app.sessionProbe) });
    const sessionIds = options.oktaSessionIds ?? [];
    const sessionsBefore: OktaSessionProbe[] = [];
    for (const [i, id] of sessionIds.entries())
      sessionsBefore.push({
        label: `Okta session ${i + 1} of ${sessionIds.length}`,
        id,
        before: await sessionStatus(ctx, okta, id),
      });

    if (
      !ctx.intend(
        `raise a threat on ${user}'s device (${options.trigger.method} ${options.trigger.url}), which logs them out of every app`,
      )
    )
      throw new SkipModule('dry run: the threat would be raised');

    const since = ctx.now() - CLOCK_MARGIN_MS;
    // What the log already holds is not the signal's: a read before the trigger tells it apart.
    const marker = options.issuer;
    const earlier = new Set((await readLog(ctx, okta, since, marker)).map(logKey));

    ctx.progress(`raise a threat: ${options.trigger.method} ${options.trigger.url}`);
    const triggeredAt = ctx.now();
    const trigger = await send(ctx, options.trigger);
    if (!is2xx(trigger.answer))
      throw new Error(
        `the trigger answered ${trigger.answer.status === null ? `nothing (${trigger.answer.excerpt})` : `HTTP ${trigger.answer.status}`}; it must answer 2xx`,
      );
    const resolve = options.resolve;
    if (resolve !== undefined) {
      const undo = fillFromTrigger(resolve, trigger.json);
      ctx.defer(`resolve the threat (${undo.method} ${undo.url})`, async () => {
        const answer = (await send(ctx, undo)).answer;
        if (!is2xx(answer))
          throw new Error(`the resolve request answered ${answer.status ?? answer.excerpt}`);
      });
    }

    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    let chain: LogSummary[] = [];
    let stray: LogSummary[] = [];
    let timedOut = false;
    let loggedOutAt: number | undefined;
    ctx.progress(`wait up to ${waitMs} ms for Okta's chain about ${user}`);
    // Backing off keeps a real org's System Log rate limit out of reach; the lab answers at once.
    for (let pause = POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      ({ chain, stray } = signalChain(
        await readLog(ctx, okta, since, marker),
        userId,
        earlier,
        marker !== undefined,
      ));
      // The chain ends in the risk reset (step 7), which trails Universal Logout closely: once that is
      // logged the reset gets settleMs more, so an org that logs none costs that, not the rest of waitMs.
      if (resetOf(chain) !== undefined) break;
      if (chain.some((e) => e.eventType === LOGOUT)) {
        loggedOutAt ??= ctx.now();
        if (ctx.now() - loggedOutAt >= settleMs) break;
      }
      if (ctx.now() - triggeredAt > waitMs) {
        timedOut = true;
        break;
      }
      await ctx.sleep(pause);
    }
    const waitedMs = ctx.now() - triggeredAt;
    const logout = chain.find((e) => e.eventType === LOGOUT);
    const loggedAt = logout ? Date.parse(logout.published) : Number.NaN;
    // Okta's clock against the harness's: on a real tenant a little skew is part of the figure.
    const latencyMs = Number.isFinite(loggedAt) ? loggedAt - triggeredAt : undefined;
    ctx.progress(
      latencyMs !== undefined
        ? `Okta logged Universal Logout for ${user} ${latencyMs} ms after the trigger`
        : `no Universal Logout for ${user} within ${waitedMs} ms`,
    );
    const riskAfter = await userRisk(ctx, options, userId);
    const oktaSessions: OktaSessionProbe[] = [];
    for (const session of sessionsBefore)
      oktaSessions.push({ ...session, after: await sessionStatus(ctx, okta, session.id) });
    const apps = await probesAfter(ctx, options, before, logout !== undefined);
    return {
      user,
      userId,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      triggeredAt,
      trigger: trigger.answer,
      chain,
      stray,
      waitedMs,
      timedOut,
      ...(latencyMs === undefined ? {} : { latencyMs }),
      latencyBoundMs: options.latencyBoundMs ?? DEFAULT_LATENCY_BOUND_MS,
      apps,
      riskBefore,
      riskAfter,
      oktaSessions,
    };
  },
  checks: INTEGRATION_CHECKS,
});

export const integrationPlan = definePlan<IntegrationOptions>({
  name: 'integration',
  title: 'End to end: a device threat at the transmitter ends in Universal Logout',
  role: "The harness raises a threat on a user's device at the transmitter and watches Okta's System Log, the user's risk and Okta sessions, and the apps' sessions.",
  optionsSchema: INTEGRATION_OPTIONS_SCHEMA,
  modules: [endToEnd],
});
