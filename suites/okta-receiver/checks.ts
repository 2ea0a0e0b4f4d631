/**
 * The `okta-receiver` checks: Okta's SET contract (its six event types, its header and body rules, its
 * SecurityEventTokenError) and what Identity Threat Protection makes of a HIGH device-risk-change, read
 * back through the User Risk API and the System Log — the chain down to Universal Logout and
 * the risk reset after it. Pure over what the modules captured.
 */
import {
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  inconclusive,
  type Problem,
  problem,
  skip,
  type Verdict,
} from '../core/index.ts';
import type { Delivery } from '../ssf-receiver/index.ts';
import { describeAnswer, errOf, mediaTypeOf, type PushAnswer } from '../ssf-receiver/index.ts';
import type { LogSummary } from './okta-api.ts';

/** SecurityEventTokenError's `err` enum (management-minimal.yaml). */
export const OKTA_ERR_CODES: readonly string[] = [
  'authentication_failed',
  'invalid_audience',
  'invalid_issuer',
  'invalid_key',
  'invalid_request',
];

export interface RefusedCase {
  readonly id: string;
  readonly expected: readonly string[];
  readonly answer: PushAnswer;
}

export interface ContractCapture {
  /** One valid SET per accepted type. */
  readonly accepted: readonly Delivery[];
  /** SETs Okta's contract refuses. */
  readonly refused: readonly RefusedCase[];
  /** A valid SET about no user of the org. */
  readonly unknownUser?: Delivery;
}

export const acceptsSixTypes = defineCheck<ContractCapture>({
  id: 'okta-accepts-its-event-types',
  title: 'Okta accepts a valid SET of each of its six event types with 202.',
  requirement: 'OKTA-SET-EVENTS',
  evaluate({ accepted }) {
    if (accepted.length === 0) return skip('no event type was sent');
    return accepted
      .filter((d) => d.answer.status !== 202)
      .map((d) =>
        problem(`the ${d.eventType} SET was answered ${describeAnswer(d.answer)}, not 202`, {
          body: d.answer.body,
        }),
      );
  },
});

export const acceptHasNoBody = defineCheck<ContractCapture>({
  id: 'okta-accept-has-no-body',
  title: 'A 202 from Okta carries no body.',
  requirement: 'OKTA-SET-RESPONSE',
  evaluate({ accepted, unknownUser }) {
    const all = [...accepted, ...(unknownUser ? [unknownUser] : [])].filter((d) => d.answer.status === 202);
    if (all.length === 0) return skip('nothing was answered 202');
    return all
      .filter((d) => d.answer.body.trim() !== '')
      .map((d) => problem(`the 202 answer to the ${d.eventType} SET has a body`, { body: d.answer.body }));
  },
});

function refusedAs(c: RefusedCase | undefined): Verdict {
  if (c === undefined) return skip('the case was not sent');
  const wanted = c.expected.map((e) => `"${e}"`).join(' or ');
  if (c.answer.status !== 400)
    return [
      problem(`Okta answered ${describeAnswer(c.answer)}; its contract refuses this SET with 400 ${wanted}`),
    ];
  const err = errOf(c.answer);
  return expectThat(
    err !== undefined && c.expected.includes(err),
    `the 400 answer's "err" is ${err === undefined ? 'missing' : `"${err}"`}; expected ${wanted}`,
    {
      body: c.answer.body,
    },
  );
}

function refuses(
  id: string,
  title: string,
  requirement: Check<ContractCapture>['requirement'],
): Check<ContractCapture> {
  return defineCheck<ContractCapture>({
    id: `okta-refuses-${id}`,
    title,
    requirement,
    evaluate: ({ refused }) => refusedAs(refused.find((c) => c.id === id)),
  });
}

export const refusesOtherType = refuses(
  'unaccepted-event-type',
  'A SET of an event type outside Okta\'s six (CAEP risk-level-change) is refused with 400 "invalid_request".',
  'OKTA-SET-EVENTS',
);
export const refusesNoKid = refuses(
  'missing-kid',
  'A SET whose header has no "kid" is refused with 400 "invalid_request".',
  'OKTA-SET-HEADER',
);
export const refusesAudArray = refuses(
  'audience-array',
  'A SET whose "aud" is an array, not the org URL as one string, is refused with 400.',
  'OKTA-SET-BODY',
);

export const errorIsTokenError = defineCheck<ContractCapture>({
  id: 'okta-error-is-security-event-token-error',
  title: 'A 400 from Okta is JSON {"err", "description"} with "err" one of its five codes.',
  requirement: 'OKTA-SET-RESPONSE',
  evaluate({ refused }) {
    const answered = refused.filter((c) => c.answer.status === 400);
    if (answered.length === 0) return skip('nothing was answered 400');
    const problems: Problem[] = [];
    for (const { id, answer } of answered) {
      if (mediaTypeOf(answer.contentType) !== 'application/json')
        problems.push(problem(`the 400 answer to ${id} has Content-Type ${answer.contentType ?? '(none)'}`));
      const json = answer.json as Record<string, unknown> | undefined;
      const err = errOf(answer);
      if (err === undefined || !OKTA_ERR_CODES.includes(err))
        problems.push(
          problem(
            `the 400 answer to ${id} has "err" ${err === undefined ? 'missing' : `"${err}"`}, not one of ${OKTA_ERR_CODES.join(', ')}`,
            { body: answer.body },
          ),
        );
      if (typeof json?.description !== 'string')
        problems.push(problem(`the 400 answer to ${id} has no string "description"`, { body: answer.body }));
    }
    return problems;
  },
});

export const acceptsUnknownUser = defineCheck<ContractCapture>({
  id: 'okta-accepts-set-about-unknown-user',
  title: 'A valid SET about no user of the org is accepted with 202 (and dropped).',
  requirement: 'OKTA-SET-UNKNOWN-USER',
  evaluate({ unknownUser }) {
    if (unknownUser === undefined) return skip('no such SET was sent');
    return expectThat(
      unknownUser.answer.status === 202,
      `it was answered ${describeAnswer(unknownUser.answer)}, not 202`,
      {
        body: unknownUser.answer.body,
      },
    );
  },
});

export const CONTRACT_CHECKS: readonly Check<ContractCapture>[] = [
  acceptsSixTypes,
  acceptHasNoBody,
  refusesOtherType,
  refusesNoKid,
  refusesAudArray,
  errorIsTokenError,
  acceptsUnknownUser,
];

// --- outcomes --------------------------------------------------------------------------------------------

/** What the User Risk API answered (`riskLevel` HIGH, MEDIUM, LOW or NONE). */
export interface UserRisk {
  readonly riskLevel?: string;
  readonly reason?: string;
}

export interface OutcomeCapture {
  readonly userId: string;
  readonly expectLogout: boolean;
  /** The HIGH device-risk-change. */
  readonly high: Delivery;
  /** The signal's events (one TraceId), oldest first; empty when no receive_event was found. */
  readonly chain: readonly LogSummary[];
  /** How long the harness waited for the chain, and whether it gave up. */
  readonly waitedMs: number;
  readonly timedOut: boolean;
  /** The User Risk API just before the HIGH SET (after any "low" report that brought a HIGH user down). */
  readonly riskBefore: UserRisk;
  /** The User Risk API right after the chain. */
  readonly riskAfter: UserRisk;
  /** The same SET pushed again, and the receive_events for its jti once things settled. */
  readonly again: Delivery;
  readonly receiveEvents: number;
  /**
   * Risk reports broken in ways Okta's contract refuses, pushed before the signal, and what the org
   * showed once they settled (absent from captures made before the plan pushed them).
   */
  readonly refusals?: RefusalsCapture;
}

/** Refused risk reports and what they left behind. */
export interface RefusalsCapture {
  readonly sets: readonly {
    readonly id: string;
    readonly jti: string;
    readonly answer: PushAnswer;
    /** receive_events for the user that name this jti. */
    readonly received: number;
  }[];
  /** The User Risk API once they settled (compared with `riskBefore`). */
  readonly riskAfter: UserRisk;
}

export const RECEIVE = 'security.events.provider.receive_event';
export const DETECT = 'user.risk.detect';
export const EVALUATE = 'policy.entity_risk.evaluate';
export const ACTION = 'policy.entity_risk.action';
export const SESSION_END = 'user.session.end';
export const LOGOUT = 'user.authentication.universal_logout';
export const RISK_CHANGE = 'user.risk.change';

/**
 * The documented order of a signal's events (events.md §8), as the lab's org logs them for a HIGH signal:
 * the detection, then user.risk.change as the level is updated — the seed's policy runs "whenever a user's
 * Entity Risk Level is updated, such as during a user.risk.change event" — then the policy, the sessions,
 * Universal Logout, and the seed's step 7: Okta resets the user's risk, logged as user.risk.change again.
 * The same event type holds two places; `chainSteps` tells them apart by position. Shared by this plan and
 * the integration plan; steps may be absent (Okta documents user.risk.detect as replacing user.risk.change
 * for detections, so a real org may log no update), but those present must come in this order.
 */
export const ITP_CHAIN: readonly string[] = [
  RECEIVE,
  DETECT,
  RISK_CHANGE,
  EVALUATE,
  ACTION,
  SESSION_END,
  LOGOUT,
  RISK_CHANGE,
];

/** The place of the level update (user.risk.change before the policy) and of the reset in ITP_CHAIN. */
const UPDATE_STEP = 2;
const RESET_STEP = ITP_CHAIN.length - 1;

/**
 * Each event's place in ITP_CHAIN (-1 for an event outside it). A user.risk.change is the level update
 * until a later step (the policy's evaluation onward) has been seen, and the reset after.
 */
export function chainSteps(types: readonly string[]): number[] {
  let furthest = -1;
  return types.map((type) => {
    const step =
      type === RISK_CHANGE ? (furthest > UPDATE_STEP ? RESET_STEP : UPDATE_STEP) : ITP_CHAIN.indexOf(type);
    furthest = Math.max(furthest, step);
    return step;
  });
}

/** The chain's risk reset: the last user.risk.change after the policy's evaluation, if any. */
export function resetOf<E extends { readonly eventType: string }>(chain: readonly E[]): E | undefined {
  const steps = chainSteps(chain.map((e) => e.eventType));
  for (let i = chain.length - 1; i >= 0; i--) if (steps[i] === RESET_STEP) return chain[i];
  return undefined;
}

function accepted(c: OutcomeCapture): Verdict | undefined {
  return c.high.answer.status === 202
    ? undefined
    : skip(`the HIGH device-risk-change was not accepted (${describeAnswer(c.high.answer)})`);
}

/**
 * What is missing for Okta's Entity Risk Policy to have acted as the seed's rule says: evaluated, and an
 * action of TERMINATE_ALL_SESSIONS — shared by this plan and the integration plan.
 */
export function policyActionProblems(chain: readonly LogSummary[], waitedText: string): Problem[] {
  const problems: Problem[] = [];
  if (!chain.some((e) => e.eventType === EVALUATE))
    problems.push(problem(`no ${EVALUATE} in the chain${waitedText}`));
  const action = chain.find((e) => e.eventType === ACTION);
  if (!action) problems.push(problem(`no ${ACTION} in the chain${waitedText}`));
  else if (action.policyAction !== 'TERMINATE_ALL_SESSIONS')
    problems.push(problem(`the ${ACTION} is ${action.policyAction ?? '(none)'}, not TERMINATE_ALL_SESSIONS`));
  return problems;
}

/** Whether the chain shows the policy acting with TERMINATE_ALL_SESSIONS: what makes a reset due. */
export function policyTerminated(chain: readonly LogSummary[]): boolean {
  return chain.some((e) => e.eventType === ACTION && e.policyAction === 'TERMINATE_ALL_SESSIONS');
}

/** The User Risk API's levels, lowest first. */
const RISK_LEVELS: readonly string[] = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];

/**
 * What is wrong with the user's risk after the policy acted, given the level before the threat. The seed
 * asks for the level before the threat; help.okta.com ("Elevate or lower an entity risk level") says Okta
 * lowers the entity risk to LOW when the policy's Universal Logout ends the Okta session — and NONE (never
 * assessed) is no level the User Risk API can set back. So the level must be at most the higher of the
 * level before and LOW: a user at NONE or LOW before reads NONE or LOW after, one at MEDIUM reads MEDIUM
 * or lower, and HIGH — the threat's level — never passes.
 */
export function riskResetProblems(before: UserRisk, after: UserRisk): readonly Problem[] {
  const rank = (level: string | undefined): number => (level === undefined ? -1 : RISK_LEVELS.indexOf(level));
  const ceiling = Math.max(rank('LOW'), Math.min(rank(before.riskLevel), rank('MEDIUM')));
  const was = before.riskLevel ?? '(no level)';
  const now = after.riskLevel;
  if (now === undefined || rank(now) < 0)
    return [
      problem(`the User Risk API names no level after the policy acted (${now ?? 'nothing'})`, { after }),
    ];
  return rank(now) <= ceiling
    ? []
    : [
        problem(
          `the User Risk API reads ${now} after the policy acted; expected the level before the threat (${was})${was === 'LOW' ? '' : ' or LOW'}`,
          { before, after },
        ),
      ];
}

/** What is missing for the chain's step 7: user.risk.change, taking the threat's risk off the user. */
export function riskChangeProblems(chain: readonly LogSummary[], waitedText: string): readonly Problem[] {
  const change = resetOf(chain);
  if (!change) return [problem(`no ${RISK_CHANGE} in the chain${waitedText}: the user's risk was not reset`)];
  return expectThat(
    change.riskLevel !== 'HIGH',
    `the ${RISK_CHANGE} sets level HIGH: it does not take the threat's risk off the user`,
  );
}

function waited(c: OutcomeCapture): string {
  return c.timedOut ? ` (waited ${c.waitedMs} ms)` : '';
}

export const logsReceiveEvent = defineCheck<OutcomeCapture>({
  id: 'okta-logs-receive-event',
  title: 'Okta logs security.events.provider.receive_event for the accepted SET, targeting the user.',
  requirement: 'OKTA-ITP-RECEIVE',
  evaluate(c) {
    const na = accepted(c);
    if (na) return na;
    const receive = c.chain.find((e) => e.eventType === RECEIVE);
    if (!receive) return [problem(`no ${RECEIVE} was logged for the SET${waited(c)}`, { jti: c.high.jti })];
    return expectThat(
      receive.targets.includes(`User:${c.userId}`),
      `the ${RECEIVE} does not target user ${c.userId}`,
      {
        targets: receive.targets,
      },
    );
  },
});

export const detectsHighRisk = defineCheck<OutcomeCapture>({
  id: 'okta-detects-high-risk',
  title: "The HIGH device-risk-change is detected: user.risk.detect with level HIGH in the signal's chain.",
  requirement: 'OKTA-ITP-RISK',
  evaluate(c) {
    const na = accepted(c);
    if (na) return na;
    if (!c.chain.some((e) => e.eventType === RECEIVE)) return skip(`no ${RECEIVE} to follow`);
    const detect = c.chain.find((e) => e.eventType === DETECT);
    if (!detect) return [problem(`no ${DETECT} followed the ${RECEIVE}${waited(c)}`)];
    return expectThat(
      detect.riskLevel === 'HIGH',
      `the ${DETECT} reports level ${detect.riskLevel ?? '(none)'}, not HIGH`,
    );
  },
});

export const userRiskIsHigh = defineCheck<OutcomeCapture>({
  id: 'okta-user-risk-reads-high',
  title: 'The User Risk API shows HIGH — or, once the policy acted, the level Okta lowers it to.',
  requirement: 'OKTA-ITP-RISK',
  evaluate(c) {
    const na = accepted(c);
    if (na) return na;
    const level = c.riskAfter.riskLevel;
    if (level === 'HIGH') return HOLDS;
    // help.okta.com: when the policy's Universal Logout ends the sessions, Okta lowers the level to LOW.
    const acted = policyTerminated(c.chain);
    return expectThat(
      acted && (level === 'LOW' || level === 'NONE'),
      `the User Risk API shows ${level ?? '(nothing)'}${acted ? '' : ' and no policy action lowered it'}; expected HIGH`,
      c.riskAfter,
    );
  },
});

export const chainInOrder = defineCheck<OutcomeCapture>({
  id: 'okta-itp-chain-in-order',
  title:
    "The signal's events come in the documented order: receive_event, risk detection, policy evaluation and action, session ends, Universal Logout, risk change.",
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const steps = chainSteps(c.chain.map((e) => e.eventType)).filter((i) => i >= 0);
    if (steps.length < 2) return skip('fewer than two events of the chain to order');
    const seen = c.chain.filter((e) => ITP_CHAIN.includes(e.eventType)).map((e) => e.eventType);
    for (let i = 1; i < steps.length; i++)
      if ((steps[i] ?? 0) < (steps[i - 1] ?? 0))
        return [problem(`the chain is out of order: ${seen.join(' → ')}`)];
    return HOLDS;
  },
});

function logoutExpected(c: OutcomeCapture): Verdict | undefined {
  if (!c.expectLogout) return skip("expectLogout is false: the org's policy is not expected to act");
  const na = accepted(c);
  if (na) return na;
  if (!c.chain.some((e) => e.eventType === DETECT)) return skip(`no ${DETECT} to follow`);
  return undefined;
}

export const policyActs = defineCheck<OutcomeCapture>({
  id: 'okta-policy-terminates-sessions',
  title: 'The ENTITY_RISK policy is evaluated and acts with TERMINATE_ALL_SESSIONS.',
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const na = logoutExpected(c);
    if (na) return na;
    return policyActionProblems(c.chain, waited(c));
  },
});

export const sessionsEnd = defineCheck<OutcomeCapture>({
  id: 'okta-policy-ends-sessions',
  title: "The policy action ends the user's Okta sessions (user.session.end).",
  requirement: 'OKTA-ITP-POLICY',
  evaluate(c) {
    const na = logoutExpected(c);
    if (na) return na;
    return expectThat(
      c.chain.some((e) => e.eventType === SESSION_END),
      `no ${SESSION_END} in the chain${waited(c)} (did the user have an Okta session?)`,
    );
  },
});

export const universalLogout = defineCheck<OutcomeCapture>({
  id: 'okta-policy-logs-universal-logout',
  title: 'Universal Logout is logged once for the signal (user.authentication.universal_logout).',
  requirement: 'OKTA-ITP-LOGOUT',
  evaluate(c) {
    const na = logoutExpected(c);
    if (na) return na;
    const count = c.chain.filter((e) => e.eventType === LOGOUT).length;
    return expectThat(
      count === 1,
      `${LOGOUT} was logged ${count} times for the signal${waited(c)}; expected once`,
    );
  },
});

/** Judged once the policy acted as the seed's rule says: only then is a reset due. */
function resetDue(c: OutcomeCapture): Verdict | undefined {
  const na = logoutExpected(c);
  if (na) return na;
  return policyTerminated(c.chain)
    ? undefined
    : skip('the policy did not act with TERMINATE_ALL_SESSIONS: no reset is due');
}

export const riskChangeLogged = defineCheck<OutcomeCapture>({
  id: 'okta-policy-logs-risk-change',
  title:
    "Once the policy acted, Okta logs user.risk.change in the signal's chain, taking the threat's risk off the user.",
  requirement: 'OKTA-ITP-RISK-RESET',
  evaluate(c) {
    return resetDue(c) ?? riskChangeProblems(c.chain, waited(c));
  },
});

export const riskReset = defineCheck<OutcomeCapture>({
  id: 'okta-user-risk-reset-after-action',
  title:
    "Once the policy acted, the User Risk API reads the user's risk back at its level before the signal, or LOW.",
  requirement: 'OKTA-ITP-RISK-RESET',
  evaluate(c) {
    return resetDue(c) ?? riskResetProblems(c.riskBefore, c.riskAfter);
  },
});

export const redeliveryAccepted = defineCheck<OutcomeCapture>({
  id: 'okta-accepts-redelivered-set',
  title: 'The same SET pushed again is answered 202.',
  requirement: 'RFC8935-2.4',
  evaluate(c) {
    const na = accepted(c);
    if (na) return na;
    return expectThat(
      c.again.answer.status === 202,
      `the redelivery was answered ${describeAnswer(c.again.answer)}, not 202`,
    );
  },
});

export const redeliveryIgnored = defineCheck<OutcomeCapture>({
  id: 'okta-ignores-redelivered-set',
  title: 'A redelivered jti produces no second receive_event.',
  requirement: 'OKTA-SET-DUPLICATE',
  evaluate(c) {
    const na = accepted(c);
    if (na) return na;
    if (c.receiveEvents === 0) return skip(`no ${RECEIVE} was logged for the SET at all`);
    return expectThat(
      c.receiveEvents === 1,
      `${c.receiveEvents} ${RECEIVE} events were logged for jti ${c.high.jti}; expected 1`,
    );
  },
});

/** The refusals' input, or why it cannot be judged: absent, or a SET that was not in fact refused. */
function refusalsOf(c: OutcomeCapture): RefusalsCapture | Verdict {
  const r = c.refusals;
  if (r === undefined || r.sets.length === 0) return skip('no refused SET was pushed');
  const taken = r.sets.filter((s) => s.answer.status !== 400);
  if (taken.length > 0)
    return inconclusive(
      `${taken.map((s) => `${s.id} was answered ${describeAnswer(s.answer)}`).join('; ')}: not refused, so what it changed proves nothing (okta-set-contract grades the answer)`,
    );
  return r;
}

const isVerdict = (v: RefusalsCapture | Verdict): v is Verdict => !('sets' in v && 'riskAfter' in v);

export const refusedSetsLeaveRisk = defineCheck<OutcomeCapture>({
  id: 'okta-refused-sets-leave-risk-unchanged',
  title: "Risk reports Okta refused with 400 leave the user's risk where it was.",
  requirement: 'LAB-REFUSED-NO-EFFECT',
  evaluate(c) {
    const r = refusalsOf(c);
    if (isVerdict(r)) return r;
    return expectThat(
      r.riskAfter.riskLevel === c.riskBefore.riskLevel,
      `the user's risk went from ${c.riskBefore.riskLevel ?? '(none)'} to ${r.riskAfter.riskLevel ?? '(none)'} after SETs Okta refused`,
      { before: c.riskBefore, after: r.riskAfter },
    );
  },
});

export const refusedSetsNotReceived = defineCheck<OutcomeCapture>({
  id: 'okta-refused-sets-are-not-logged-as-received',
  title: `No ${RECEIVE} is logged for a SET Okta refused with 400.`,
  requirement: 'LAB-REFUSED-NO-EFFECT',
  evaluate(c) {
    const r = refusalsOf(c);
    if (isVerdict(r)) return r;
    return r.sets
      .filter((s) => s.received > 0)
      .map((s) =>
        problem(`the refused ${s.id} SET (jti ${s.jti}) was logged as received ${s.received} time(s)`, {
          jti: s.jti,
        }),
      );
  },
});

export const OUTCOME_CHECKS: readonly Check<OutcomeCapture>[] = [
  logsReceiveEvent,
  detectsHighRisk,
  userRiskIsHigh,
  chainInOrder,
  policyActs,
  sessionsEnd,
  universalLogout,
  riskChangeLogged,
  riskReset,
  redeliveryAccepted,
  redeliveryIgnored,
  refusedSetsLeaveRisk,
  refusedSetsNotReceived,
];
