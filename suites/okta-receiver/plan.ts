/**
 * The `okta-receiver` plan: the harness is a security events provider pushing to Okta's SET receiver.
 * It grades Okta's SET contract, and — given the org's Management API — what Identity Threat Protection
 * does with a HIGH device-risk-change: the System Log chain down to Universal Logout and the risk reset
 * after it, the User Risk API before and after, and that a redelivered jti is not processed twice.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_URIS, exampleEventFor } from '../../harness/protocol/index.ts';
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import type { Delivery, PushAnswer, SetFactory } from '../ssf-receiver/index.ts';
import { deliver, eventsOf, intendPushes, prepareServing, pushSet } from '../ssf-receiver/index.ts';
import {
  CONTRACT_CHECKS,
  type ContractCapture,
  DETECT,
  LOGOUT,
  OUTCOME_CHECKS,
  type OutcomeCapture,
  RECEIVE,
  type RefusalsCapture,
  type RefusedCase,
  resetOf,
  type UserRisk,
} from './checks.ts';
import { expectStatus, type LogSummary, oktaCall, readLog } from './okta-api.ts';
import {
  DEFAULT_SETTLE_MS,
  OKTA_RECEIVER_OPTIONS_SCHEMA,
  type OktaReceiverOptions,
  subjectEmail,
  transmitterOptions,
} from './options.ts';

const POLL_MS = 250;
const MAX_POLL_MS = 5000;

/**
 * Serves the JWKS if asked, and registers the provider if asked (deleted when the module ends). The load
 * plan sets a receiver up the same way.
 */
export async function setUp(ctx: SuiteContext, options: OktaReceiverOptions): Promise<SetFactory> {
  const { factory, jwksUrl: served } = await prepareServing(ctx, transmitterOptions(options));
  if (!options.registerProvider) return factory;
  const okta = options.okta;
  if (okta === undefined) throw new Error('registerProvider needs okta: {url, apiToken}');
  if (!ctx.intend(`register ${options.issuer} as a security events provider in ${okta.url}`))
    throw new SkipModule('dry run: the provider would be registered');
  const jwksUrl = options.jwksUrl ?? served;
  if (jwksUrl === undefined)
    throw new Error('registerProvider needs jwksUrl or jwksPath (where Okta fetches the harness JWKS)');
  const created = expectStatus(
    await oktaCall(ctx, okta, '/api/v1/security-events-providers', {
      method: 'POST',
      json: {
        name: `ssf-lab-${randomUUID().slice(0, 8)}`,
        type: 'ssf-lab',
        settings: { issuer: options.issuer, jwks_url: jwksUrl },
      },
    }),
    'register the security events provider',
    200,
  );
  const id = String(created.id);
  ctx.defer(`delete security events provider ${id}`, async () => {
    expectStatus(
      await oktaCall(ctx, okta, `/api/v1/security-events-providers/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
      'delete the security events provider',
      204,
    );
  });
  return factory;
}

const contract = defineModule<OktaReceiverOptions, ContractCapture>({
  id: 'okta-set-contract',
  title: "Okta's SET contract",
  async run(ctx, options) {
    intendPushes(
      ctx,
      options.pushEndpoint,
      'SETs of Okta\'s six types (risk reported "low") and SETs Okta refuses',
    );
    const f = await setUp(ctx, options);
    const t = transmitterOptions(options);
    const accepted: Delivery[] = [];
    for (const eventType of eventsOf(t)) {
      ctx.progress(`push a valid ${eventType}`);
      const { token: _token, ...d } = await deliver(ctx, t, f, eventType);
      accepted.push(d);
    }
    const drc = EVENT_URIS.oktaDeviceRiskChange;
    const refused: RefusedCase[] = [];
    const refuse = async (id: string, expected: readonly string[], token: string): Promise<void> => {
      ctx.progress(`push a SET Okta refuses: ${id}`);
      refused.push({ id, expected, answer: await pushSet(ctx, t, token) });
    };
    // CAEP's risk-level-change is the standard way to report risk, and not one of Okta's six.
    const rlc = EVENT_URIS.riskLevelChange;
    const other = f.claims(drc);
    other.events = {
      [rlc]: {
        ...exampleEventFor(rlc).payload,
        subject: options.subject ?? exampleEventFor(drc, 'okta').subject,
      },
    };
    await refuse('unaccepted-event-type', ['invalid_request'], await f.sign(other));
    await refuse('missing-kid', ['invalid_request'], await f.sign(f.claims(drc), { kid: undefined }));
    // Okta models "aud" as one string; an array is refused whether Okta calls it malformed or misaddressed.
    await refuse(
      'audience-array',
      ['invalid_request', 'invalid_audience'],
      await f.sign({ ...f.claims(drc), aud: [options.audience] }),
    );
    const nobody = f.claims(drc);
    nobody.events = {
      [drc]: {
        ...(nobody.events as Record<string, Record<string, unknown>>)[drc],
        subject: {
          user: { format: 'email', email: `nobody-${randomUUID().slice(0, 8)}@ssf-lab.invalid` },
          device: { format: 'opaque', id: randomUUID() },
        },
      },
    };
    ctx.progress('push a SET about no user of the org');
    const unknownUser: Delivery = {
      eventType: drc,
      jti: String(nobody.jti),
      answer: await pushSet(ctx, t, await f.sign(nobody)),
    };
    return { accepted, refused, unknownUser };
  },
  checks: CONTRACT_CHECKS,
});

async function userRisk(ctx: SuiteContext, options: OktaReceiverOptions, userId: string): Promise<UserRisk> {
  const okta = options.okta;
  if (!okta) return {};
  const body = expectStatus(
    await oktaCall(ctx, okta, `/api/v1/users/${encodeURIComponent(userId)}/risk`),
    'read the user risk',
    200,
  );
  return {
    ...(typeof body.riskLevel === 'string' ? { riskLevel: body.riskLevel } : {}),
    ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
  };
}

/**
 * The harness's receive_event for a SET: the one Okta logged with its jti, or whose debug data mentions it
 * (the event's reason carries the jti); when Okta's log shows neither, the user's latest — the plan pushes
 * nothing else meanwhile.
 */
function receiveIndex(receives: readonly LogSummary[], jti: string): number {
  const identified = receives.findIndex((e) => e.jti === jti || e.marked === true);
  if (identified >= 0) return identified;
  return receives.some((e) => e.jti !== undefined || e.marked === true) ? -1 : receives.length - 1;
}

function receivesOf(log: readonly LogSummary[], userId: string): LogSummary[] {
  return log.filter((e) => e.eventType === RECEIVE && e.targets.includes(`User:${userId}`));
}

/** The signal's events: its receive_event and everything under the same TraceId, in log order. */
export function chainFor(log: readonly LogSummary[], userId: string, jti: string): LogSummary[] {
  const receives = receivesOf(log, userId);
  const receive = receives[receiveIndex(receives, jti)];
  if (!receive?.traceId) return receive ? [receive] : [];
  return log.filter((e) => e.traceId === receive.traceId);
}

/**
 * How many receive_events the SET got: those naming its jti; without identifying marks in Okta's log, the
 * user's from the signal's own receive_event (`first`, found before the redelivery) on.
 */
export function receiveCount(
  log: readonly LogSummary[],
  userId: string,
  jti: string,
  first?: LogSummary,
): number {
  const receives = receivesOf(log, userId);
  if (receives.some((e) => e.jti !== undefined || e.marked === true))
    return receives.filter((e) => e.jti === jti || e.marked === true).length;
  const from = first?.traceId ? receives.findIndex((e) => e.traceId === first.traceId) : -1;
  return from < 0 ? receives.length : receives.length - from;
}

/**
 * Risk reports about the user broken in ways Okta's contract refuses (no "kid"; "aud" as an array), each
 * marked with its jti, and what the org shows once they settled: a SET answered 400 must have changed
 * nothing (LAB-REFUSED-NO-EFFECT) — no receive_event naming it, the user's risk where it was.
 */
async function pushRefusedHighReports(
  ctx: SuiteContext,
  options: OktaReceiverOptions,
  f: Awaited<ReturnType<typeof setUp>>,
  userId: string,
  settleMs: number,
): Promise<RefusalsCapture | undefined> {
  const okta = options.okta;
  if (!okta) return undefined;
  const t = transmitterOptions(options);
  const drc = EVENT_URIS.oktaDeviceRiskChange;
  const since = ctx.now() - 60_000;
  const pushed: { id: string; jti: string; answer: PushAnswer }[] = [];
  // A level that would last if Okta took it: HIGH sets the seed's policy off, which resets the risk within
  // moments, so a HIGH taken would leave the level where it was by the time it is read back. MEDIUM lasts
  // (LOW, for a user already at MEDIUM).
  const before = (await userRisk(ctx, options, userId)).riskLevel;
  const level = before === 'MEDIUM' ? 'low' : 'medium';
  for (const id of ['missing-kid', 'audience-array'] as const) {
    const claims = f.claims(drc, { current_level: level, previous_level: 'low' });
    const jti = String(claims.jti);
    const event = (claims.events as Record<string, Record<string, unknown>>)[drc];
    if (event) event.reason_admin = { en: `ssf-lab refused signal ${jti}` };
    const token =
      id === 'missing-kid'
        ? await f.sign(claims, { kid: undefined })
        : await f.sign({ ...claims, aud: [options.audience] });
    ctx.progress(`push a ${level} risk report Okta refuses (${id}): it must change nothing`);
    pushed.push({ id, jti, answer: await pushSet(ctx, t, token) });
  }
  await ctx.sleep(settleMs);
  const sets = [];
  for (const p of pushed) {
    const log = await readLog(ctx, okta, since, p.jti);
    const received = log.filter(
      (e) => e.eventType === RECEIVE && e.targets.includes(`User:${userId}`) && (e.jti === p.jti || e.marked),
    ).length;
    sets.push({ ...p, received });
  }
  return { sets, riskAfter: await userRisk(ctx, options, userId) };
}

const outcomes = defineModule<OktaReceiverOptions, OutcomeCapture>({
  id: 'okta-itp-outcomes',
  title: 'What Identity Threat Protection does with a HIGH device-risk-change',
  async run(ctx, options) {
    const okta = options.okta;
    if (!okta) throw new SkipModule('no okta {url, apiToken}: outcomes cannot be read back');
    const email = subjectEmail(options);
    if (!email) throw new SkipModule('no subject.user.email: the plan needs a user of the org');
    // The org's ENTITY_RISK policy may end the user's sessions and log them out of their apps.
    intendPushes(ctx, options.pushEndpoint, `a HIGH device-risk-change about ${email}`);
    const f = await setUp(ctx, options);
    const t = transmitterOptions(options);
    const user = expectStatus(
      await oktaCall(ctx, okta, `/api/v1/users/${encodeURIComponent(email)}`),
      `find ${email}`,
      200,
    );
    const userId = String(user.id);
    const waitMs = options.waitMs ?? 60_000;
    const drc = EVENT_URIS.oktaDeviceRiskChange;

    // A user already at HIGH would not change level, and Okta evaluates the policy only on a change: a
    // provider's "low" report brings the level down first.
    let riskBefore = await userRisk(ctx, options, userId);
    if (riskBefore.riskLevel === 'HIGH') {
      ctx.progress(`${email} is at HIGH risk: report "low" first`);
      await pushSet(ctx, t, await f.sign(f.claims(drc, { current_level: 'low', previous_level: 'high' })));
      const until = ctx.now() + waitMs;
      for (;;) {
        riskBefore = await userRisk(ctx, options, userId);
        if (riskBefore.riskLevel !== 'HIGH') break;
        if (ctx.now() > until) throw new SkipModule(`${email} stays at HIGH risk after a "low" report`);
        await ctx.sleep(POLL_MS);
      }
    }

    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    const refusals = await pushRefusedHighReports(ctx, options, f, userId, settleMs);

    // Okta's clock may differ from ours: read the log from a minute before the push.
    const since = ctx.now() - 60_000;
    const claims = f.claims(drc, { current_level: 'high', previous_level: 'low' });
    const jti = String(claims.jti);
    // The reason names the jti, so the signal can be told apart in the log even if Okta records no jti.
    const event = (claims.events as Record<string, Record<string, unknown>>)[drc];
    if (event) event.reason_admin = { en: `ssf-lab conformance signal ${jti}` };
    const token = await f.sign(claims);
    ctx.progress(`push a HIGH device-risk-change about ${email}`);
    const high: Delivery = { eventType: drc, jti, answer: await pushSet(ctx, t, token) };

    const expectLogout = options.expectLogout ?? true;
    // With the policy acting, the chain ends in the risk reset (user.risk.change) after Universal Logout;
    // the user.risk.change that updates the level before the policy runs does not end it.
    const ended = (events: readonly LogSummary[]): boolean =>
      expectLogout ? resetOf(events) !== undefined : events.some((e) => e.eventType === DETECT);
    const started = ctx.now();
    let chain: LogSummary[] = [];
    let timedOut = false;
    if (high.answer.status === 202) {
      let loggedOutAt: number | undefined;
      // Backing off keeps a real org's System Log rate limit out of reach; the lab answers at once.
      for (let pause = POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
        chain = chainFor(await readLog(ctx, okta, since, jti), userId, jti);
        if (ended(chain)) break;
        // The reset trails Universal Logout closely: once that is logged it gets settleMs more, so an org
        // that logs no user.risk.change costs that, not the rest of waitMs.
        if (expectLogout && chain.some((e) => e.eventType === LOGOUT)) {
          loggedOutAt ??= ctx.now();
          if (ctx.now() - loggedOutAt >= settleMs) break;
        }
        if (ctx.now() - started > waitMs) {
          timedOut = true;
          break;
        }
        await ctx.sleep(pause);
      }
    }
    const waitedMs = ctx.now() - started;
    const riskAfter = await userRisk(ctx, options, userId);

    ctx.progress(`push ${jti} again`);
    const again: Delivery = { ...high, answer: await pushSet(ctx, t, token) };
    await ctx.sleep(settleMs);
    const receiveEvents = receiveCount(
      await readLog(ctx, okta, since, jti),
      userId,
      jti,
      chain.find((e) => e.eventType === RECEIVE),
    );
    return {
      userId,
      expectLogout,
      high,
      chain,
      waitedMs,
      timedOut,
      riskBefore,
      riskAfter,
      again,
      receiveEvents,
      ...(refusals === undefined ? {} : { refusals }),
    };
  },
  checks: OUTCOME_CHECKS,
});

export const oktaReceiverPlan = definePlan<OktaReceiverOptions>({
  name: 'okta-receiver',
  title: 'Okta Identity Threat Protection as an SSF receiver',
  role: 'The harness is a security events provider pushing SETs to Okta and reading the outcomes back.',
  optionsSchema: OKTA_RECEIVER_OPTIONS_SCHEMA,
  modules: [contract, outcomes],
});
