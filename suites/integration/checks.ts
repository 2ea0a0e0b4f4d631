/**
 * The `integration` checks: what one device threat at the transmitter became — the System Log chain Okta
 * wrote for the user (receive_event → risk detected HIGH → policy evaluated and acting → sessions ended →
 * Universal Logout → risk reset), whether every Okta session of the user is gone, whether the User Risk
 * API reads the level from before the threat again, whether each app's session probe shows the logout,
 * and how long it all took. Pure over what the module captured.
 */
import {
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  type Problem,
  problem,
  skip,
  type Verdict,
} from '../core/index.ts';
import type { LogSummary } from '../okta-receiver/index.ts';
import {
  chainSteps,
  DETECT,
  ITP_CHAIN,
  LOGOUT,
  policyActionProblems,
  policyTerminated,
  RECEIVE,
  riskChangeProblems,
  riskResetProblems,
  SESSION_END,
  type UserRisk,
} from '../okta-receiver/index.ts';
import type { Answer } from '../universal-logout/index.ts';

/** One app's probe before the threat and after the logout (absent when it was never probed after). */
export interface AppProbe {
  readonly name: string;
  readonly expect: 'full' | 'partial';
  readonly before: Answer;
  readonly after?: Answer;
}

/**
 * One Okta session the options named, read through the Sessions API (`GET /api/v1/sessions/{id}`) before
 * the trigger and after the chain: the HTTP status, or null when no answer came.
 */
export interface OktaSessionProbe {
  /** How findings name it ("Okta session 1 of 2"): the id is a credential and stays out of them. */
  readonly label: string;
  /** Matched against the chain's user.session.end EndedSessionId; never printed. */
  readonly id: string;
  readonly before: number | null;
  /** Absent when it was never read after. */
  readonly after?: number | null;
}

export interface IntegrationCapture {
  readonly user: string;
  readonly userId: string;
  /** The transmitter's issuer, when the options named it (receive_events were then matched on it). */
  readonly issuer?: string;
  /** When the trigger was sent (ms since the epoch, the harness's clock) and what it answered. */
  readonly triggeredAt: number;
  readonly trigger: Answer;
  /** The signal's events under one TraceId, oldest first; empty when no receive_event was found. */
  readonly chain: readonly LogSummary[];
  /** Events of the chain's kinds about the user, after the trigger, under another TraceId (or none). */
  readonly stray: readonly LogSummary[];
  readonly waitedMs: number;
  readonly timedOut: boolean;
  /** Trigger → the universal_logout event's `published` (Okta's clock), when it was logged. */
  readonly latencyMs?: number;
  readonly latencyBoundMs: number;
  readonly apps: readonly AppProbe[];
  /** The User Risk API before the trigger, and once the chain was read (after the logout and reset). */
  readonly riskBefore: UserRisk;
  readonly riskAfter: UserRisk;
  /** The user's Okta sessions the options named (`oktaSessionIds`); empty when none were. */
  readonly oktaSessions: readonly OktaSessionProbe[];
}

/** The documented order of a signal's events (events.md §8), ending in the seed's step 7: the risk reset. */
export const CHAIN_ORDER: readonly string[] = ITP_CHAIN;

const targetsUser = (e: LogSummary, userId: string): boolean => e.targets.includes(`User:${userId}`);

/**
 * Picks the signal's chain out of the System Log read after the trigger: the user's receive_events that
 * were not there before it (`before` holds keys of `logKey`) — from the transmitter when `fromIssuer` (the
 * log was read with the issuer as marker) — each with everything under its TraceId; the first whose
 * detection is HIGH wins (a transmitter may send more than one SET for a threat), else the first.
 * `stray` is what belongs to the chain by kind and user but sits under no signal's TraceId (or none).
 */
export function signalChain(
  log: readonly LogSummary[],
  userId: string,
  before: ReadonlySet<string>,
  fromIssuer: boolean,
): { chain: LogSummary[]; stray: LogSummary[] } {
  const fresh = log.filter((e) => !before.has(logKey(e)));
  const receives = fresh.filter(
    (e) => e.eventType === RECEIVE && targetsUser(e, userId) && (!fromIssuer || e.marked === true),
  );
  const traces = receives.map((r) => (r.traceId ? fresh.filter((e) => e.traceId === r.traceId) : [r]));
  const chain =
    traces.find((t) => t.some((e) => e.eventType === DETECT && e.riskLevel === 'HIGH')) ?? traces[0] ?? [];
  // Another receive_event's trace is another signal (a second SET, another provider), not a split chain.
  const signals = new Set(
    fresh.filter((e) => e.eventType === RECEIVE && e.traceId !== null).map((e) => e.traceId),
  );
  const stray = fresh.filter(
    (e) =>
      CHAIN_ORDER.indexOf(e.eventType) > 0 &&
      targetsUser(e, userId) &&
      (e.traceId === null || !signals.has(e.traceId)),
  );
  return { chain, stray };
}

/** Identifies a log event across two reads of the same window. */
export function logKey(e: LogSummary): string {
  return `${e.eventType}|${e.published}|${e.traceId ?? ''}|${e.targets.join(',')}`;
}

function said(answer: Answer): string {
  return answer.status === null ? `no answer (${answer.excerpt})` : `HTTP ${answer.status}`;
}

function waited(c: IntegrationCapture): string {
  return c.timedOut ? ` within ${c.waitedMs} ms` : '';
}

const has = (c: IntegrationCapture, type: string): boolean => c.chain.some((e) => e.eventType === type);

/** Judged only once the transmitter's SET reached Okta: before that, the first check tells the story. */
function afterReceive(c: IntegrationCapture): Verdict | undefined {
  return has(c, RECEIVE) ? undefined : skip(`no ${RECEIVE} for the threat to follow`);
}

/** Judged only once risk was detected: the policy acts on a detection. */
function afterDetect(c: IntegrationCapture): Verdict | undefined {
  return afterReceive(c) ?? (has(c, DETECT) ? undefined : skip(`no ${DETECT} for the policy to act on`));
}

/** Judged only once the policy acted with TERMINATE_ALL_SESSIONS: what clears the sessions and resets the risk. */
function afterAction(c: IntegrationCapture): Verdict | undefined {
  const na = afterDetect(c);
  if (na) return na;
  return policyTerminated(c.chain)
    ? undefined
    : skip('the policy did not act with TERMINATE_ALL_SESSIONS: nothing was due to be cleared or reset');
}

const is2xxStatus = (status: number | null | undefined): boolean =>
  status !== null && status !== undefined && status >= 200 && status < 300;
const statusText = (status: number | null): string => (status === null ? 'no answer' : `HTTP ${status}`);

export const setReachesOkta = defineCheck<IntegrationCapture>({
  id: 'integration-set-reaches-okta',
  title:
    "The transmitter's SET about the threat reaches Okta: security.events.provider.receive_event for the user.",
  requirement: 'OKTA-ITP-RECEIVE',
  evaluate(c) {
    const from = c.issuer === undefined ? '' : ` from ${c.issuer}`;
    return expectThat(
      has(c, RECEIVE),
      `no ${RECEIVE}${from} about ${c.user} was logged after the trigger${waited(c)} (the trigger answered ${said(c.trigger)})`,
      { userId: c.userId },
    );
  },
});

export const riskDetectedHigh = defineCheck<IntegrationCapture>({
  id: 'integration-risk-detected-high',
  title: "The threat is detected as user risk HIGH (user.risk.detect in the signal's chain).",
  requirement: 'OKTA-ITP-RISK',
  evaluate(c) {
    const na = afterReceive(c);
    if (na) return na;
    const detect = c.chain.find((e) => e.eventType === DETECT);
    if (!detect) return [problem(`no ${DETECT} followed the ${RECEIVE}${waited(c)}`)];
    return expectThat(
      detect.riskLevel === 'HIGH',
      `the ${DETECT} reports level ${detect.riskLevel ?? '(none)'}, not HIGH`,
    );
  },
});

export const policyTerminates = defineCheck<IntegrationCapture>({
  id: 'integration-policy-terminates-sessions',
  title: 'The Entity Risk Policy is evaluated and acts with TERMINATE_ALL_SESSIONS.',
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const na = afterDetect(c);
    if (na) return na;
    return policyActionProblems(c.chain, waited(c));
  },
});

export const oktaSessionsEnd = defineCheck<IntegrationCapture>({
  id: 'integration-okta-sessions-end',
  title: "The policy's action ends the user's Okta sessions (user.session.end).",
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const na = afterDetect(c);
    if (na) return na;
    return expectThat(
      has(c, SESSION_END),
      `no ${SESSION_END} in the chain${waited(c)} (did ${c.user} have an Okta session?)`,
    );
  },
});

export const oktaSessionsAllCleared = defineCheck<IntegrationCapture>({
  id: 'integration-okta-sessions-all-cleared',
  title:
    'Every Okta session the user held before the threat is cleared once the policy acts: the Sessions API no longer finds it, and a user.session.end names it.',
  requirement: 'OKTA-ITP-SESSIONS-CLEARED',
  evaluate(c) {
    const na = afterAction(c);
    if (na) return na;
    // Okta's API lists no user's sessions: only sessions named up front can show that *all* were cleared.
    if (c.oktaSessions.length === 0)
      return skip(
        "no Okta session of the user was named (oktaSessionIds): Okta's API cannot list a user's sessions, so that all were cleared cannot be shown",
      );
    const ends = c.chain.filter((e) => e.eventType === SESSION_END);
    // An org whose user.session.end names no session at all is judged on the Sessions API alone.
    const named = new Set(ends.flatMap((e) => (e.endedSessionId === undefined ? [] : [e.endedSessionId])));
    const problems: Problem[] = [];
    for (const s of c.oktaSessions) {
      const evidence = { session: s.label, before: s.before, after: s.after };
      if (!is2xxStatus(s.before)) {
        problems.push(
          problem(
            `${s.label} was not live before the threat (the Sessions API answered ${statusText(s.before)}), so it cannot show the clearing`,
            evidence,
          ),
        );
        continue;
      }
      if (s.after === undefined)
        problems.push(problem(`${s.label} was not read again after the policy acted`, evidence));
      else if (is2xxStatus(s.after))
        problems.push(
          problem(
            `${s.label} is still live after the policy acted (the Sessions API answered ${statusText(s.after)})`,
            evidence,
          ),
        );
      else if (s.after !== 404)
        problems.push(
          problem(
            `the Sessions API answered ${statusText(s.after)} for ${s.label} after the policy acted, not 404`,
            evidence,
          ),
        );
      if (named.size > 0 && !named.has(s.id))
        problems.push(problem(`no ${SESSION_END} of the chain names ${s.label}`, { session: s.label }));
    }
    return problems;
  },
});

export const universalLogoutFires = defineCheck<IntegrationCapture>({
  id: 'integration-universal-logout-fires',
  title: 'Universal Logout fires once for the threat (user.authentication.universal_logout).',
  requirement: 'OKTA-ITP-LOGOUT',
  evaluate(c) {
    const na = afterDetect(c);
    if (na) return na;
    const count = c.chain.filter((e) => e.eventType === LOGOUT).length;
    return expectThat(count === 1, `${LOGOUT} was logged ${count} times for the threat${waited(c)}`);
  },
});

const REVOKED = new Set([400, 401, 403]);
const is2xx = (a: Answer): boolean => a.status !== null && a.status >= 200 && a.status < 300;

export const appsLogOut = defineCheck<IntegrationCapture>({
  id: 'integration-apps-show-logout',
  title:
    "Each app's probe shows its expected logout: a full app's session, a partial app's refresh grant, is refused after.",
  requirement: 'OKTA-ITP-APP-LOGOUT',
  evaluate(c) {
    if (c.apps.length === 0) return skip('no apps were configured');
    const problems: Problem[] = [];
    for (const app of c.apps) {
      const what = app.expect === 'full' ? 'session' : 'refresh grant';
      const evidence = { expect: app.expect, before: app.before, after: app.after };
      if (!is2xx(app.before)) {
        problems.push(
          problem(
            `${app.name}: the ${what} probe answered ${said(app.before)} before the threat, so it cannot show the logout`,
            evidence,
          ),
        );
        continue;
      }
      if (app.after === undefined) {
        problems.push(problem(`${app.name}: the probe was not sent after the logout`, evidence));
        continue;
      }
      if (REVOKED.has(app.after.status ?? 0)) continue;
      problems.push(
        problem(
          is2xx(app.after)
            ? `${app.name}: the user's ${what} still works after Universal Logout (${said(app.after)}); expected a ${app.expect} logout`
            : `${app.name}: the ${what} probe answered ${said(app.after)} after Universal Logout, not 400, 401 or 403`,
          evidence,
        ),
      );
    }
    return problems;
  },
});

export const riskChangeLogged = defineCheck<IntegrationCapture>({
  id: 'integration-risk-change-logged',
  title:
    "Once the policy acted, Okta logs user.risk.change in the signal's chain, taking the threat's risk off the user.",
  requirement: 'OKTA-ITP-RISK-RESET',
  evaluate(c) {
    return afterAction(c) ?? riskChangeProblems(c.chain, waited(c));
  },
});

export const userRiskReset = defineCheck<IntegrationCapture>({
  id: 'integration-user-risk-reset',
  title:
    "Once the policy acted, the User Risk API reads the user's risk back at its level before the threat, or LOW.",
  requirement: 'OKTA-ITP-RISK-RESET',
  evaluate(c) {
    return afterAction(c) ?? riskResetProblems(c.riskBefore, c.riskAfter);
  },
});

export const chainInOrder = defineCheck<IntegrationCapture>({
  id: 'integration-chain-in-order-under-one-trace',
  title:
    'The chain comes in the documented order under one TraceId: receive_event, risk detection, policy evaluation and action, session end, Universal Logout, risk change.',
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const problems: Problem[] = [];
    const traceId = c.chain[0]?.traceId ?? null;
    if (c.stray.length > 0)
      problems.push(
        problem(
          `${c.stray.map((e) => e.eventType).join(', ')} about the user sit outside the signal's TraceId ${traceId ?? '(none)'}`,
          { stray: c.stray.map((e) => ({ eventType: e.eventType, traceId: e.traceId })) },
        ),
      );
    const kinds = c.chain.map((e) => e.eventType).filter((t) => CHAIN_ORDER.includes(t));
    if (kinds.length < 2 && problems.length === 0) return skip('fewer than two events of the chain to order');
    if (traceId === null && kinds.length > 0) problems.push(problem('the chain carries no TraceId'));
    const steps = chainSteps(kinds);
    if (steps.some((s, i) => i > 0 && s < (steps[i - 1] ?? 0)))
      problems.push(problem(`the chain is out of order: ${kinds.join(' → ')}`));
    return problems;
  },
});

export const withinBound = defineCheck<IntegrationCapture>({
  id: 'integration-logout-within-bound',
  title: 'The threat ends in Universal Logout within the end-to-end bound.',
  requirement: 'LAB-E2E-LATENCY',
  evaluate(c) {
    if (c.latencyMs === undefined) return skip(`no ${LOGOUT} was logged to time`);
    return c.latencyMs <= c.latencyBoundMs
      ? HOLDS
      : [
          problem(
            `the trigger → ${LOGOUT} took ${c.latencyMs} ms, over the bound of ${c.latencyBoundMs} ms`,
            { latencyMs: c.latencyMs, boundMs: c.latencyBoundMs },
          ),
        ];
  },
});

export const INTEGRATION_CHECKS: readonly Check<IntegrationCapture>[] = [
  setReachesOkta,
  riskDetectedHigh,
  policyTerminates,
  oktaSessionsEnd,
  oktaSessionsAllCleared,
  universalLogoutFires,
  appsLogOut,
  riskChangeLogged,
  userRiskReset,
  chainInOrder,
  withinBound,
];
