/**
 * The okta-receiver plan's failing cases: how an Okta org can break its SET contract, and how its Identity
 * Threat Protection can fall short of the seven-step chain for a HIGH device-risk-change — down to
 * Universal Logout and the risk reset after it. The captures the checks hold on are here too, so the
 * cases read as one thing changed from them. Test data only: `checks.test.ts` and
 * harness/certify/every-check-fails read it.
 */
import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import type { Delivery, PushAnswer } from '../ssf-receiver/index.ts';
import {
  ACTION,
  acceptHasNoBody,
  acceptsSixTypes,
  acceptsUnknownUser,
  type ContractCapture,
  chainInOrder,
  DETECT,
  detectsHighRisk,
  EVALUATE,
  errorIsTokenError,
  LOGOUT,
  logsReceiveEvent,
  type OutcomeCapture,
  policyActs,
  RECEIVE,
  RISK_CHANGE,
  redeliveryAccepted,
  redeliveryIgnored,
  refusedSetsLeaveRisk,
  refusedSetsNotReceived,
  refusesAudArray,
  refusesNoKid,
  refusesOtherType,
  riskChangeLogged,
  riskReset,
  SESSION_END,
  sessionsEnd,
  universalLogout,
  userRiskIsHigh,
} from './checks.ts';
import type { LogSummary } from './okta-api.ts';

// ---- Okta's SET contract ------------------------------------------------------------------------------

export const ACCEPTED: PushAnswer = { status: 202, contentType: null, contentLanguage: null, body: '' };
export const OK_200: PushAnswer = {
  status: 200,
  contentType: 'application/json',
  contentLanguage: null,
  body: '{}',
  json: {},
};

/** Okta's 400 SecurityEventTokenError naming `err`. */
export function refused(err: string, description: unknown = 'why'): PushAnswer {
  const json = { err, description };
  return {
    status: 400,
    contentType: 'application/json',
    contentLanguage: 'en',
    body: JSON.stringify(json),
    json,
  };
}

export const delivery = (answer: PushAnswer, eventType = 'urn:okta:drc'): Delivery => ({
  eventType,
  jti: 'j1',
  answer,
});

/** Okta keeping its contract. */
export const GOOD_CONTRACT: ContractCapture = {
  accepted: [delivery(ACCEPTED)],
  refused: [
    { id: 'unaccepted-event-type', expected: ['invalid_request'], answer: refused('invalid_request') },
    { id: 'missing-kid', expected: ['invalid_request'], answer: refused('invalid_request') },
    {
      id: 'audience-array',
      expected: ['invalid_request', 'invalid_audience'],
      answer: refused('invalid_audience'),
    },
  ],
  unknownUser: delivery(ACCEPTED),
};

/** A receiver that answers 200 to what it accepts, takes every SET it should refuse, refuses the unknown user. */
export const LAX_CONTRACT: ContractCapture = {
  accepted: [delivery(OK_200)],
  refused: GOOD_CONTRACT.refused.map((r) => ({ ...r, answer: ACCEPTED })),
  unknownUser: delivery(refused('invalid_request')),
};

const refusedAs = (answer: PushAnswer): ContractCapture => ({
  ...GOOD_CONTRACT,
  refused: GOOD_CONTRACT.refused.map((r) => ({ ...r, answer })),
});

/** The missing-kid case answered with `answer`, the only refusal. */
const oneRefusal = (answer: PushAnswer): ContractCapture => ({
  ...GOOD_CONTRACT,
  refused: [{ id: 'missing-kid', expected: ['invalid_request'], answer }],
});

// ---- ITP outcomes -------------------------------------------------------------------------------------

export const USER = '00u1';

export function event(eventType: string, more: Partial<LogSummary> = {}): LogSummary {
  return {
    eventType,
    published: '2026-01-01T00:00:00.000Z',
    traceId: 't1',
    targets: [`User:${USER}`],
    outcome: 'SUCCESS',
    ...more,
  };
}

/**
 * The steps as the lab's org logs them for one HIGH signal under a TERMINATE_ALL_SESSIONS rule: the level
 * update (user.risk.change to HIGH) before the policy, the reset (user.risk.change to LOW) after it.
 */
export const FULL_CHAIN: readonly LogSummary[] = [
  event(RECEIVE, { jti: 'j1' }),
  event(DETECT, { riskLevel: 'HIGH' }),
  event(RISK_CHANGE, { riskLevel: 'HIGH' }),
  event(EVALUATE),
  event(ACTION, { policyAction: 'TERMINATE_ALL_SESSIONS' }),
  event(SESSION_END, { endedSessionId: 'sess-1' }),
  event(LOGOUT),
  event(RISK_CHANGE, { riskLevel: 'LOW' }),
];

export const OUTCOME: OutcomeCapture = {
  userId: USER,
  expectLogout: true,
  high: delivery(ACCEPTED),
  chain: FULL_CHAIN,
  waitedMs: 40,
  timedOut: false,
  riskBefore: { riskLevel: 'LOW', reason: 'Device risk Secure' },
  riskAfter: { riskLevel: 'LOW', reason: 'reset.after.policy.action' },
  again: delivery(ACCEPTED),
  receiveEvents: 1,
  refusals: {
    sets: [
      { id: 'missing-kid', jti: 'r1', answer: refused('invalid_request'), received: 0 },
      { id: 'audience-array', jti: 'r2', answer: refused('invalid_audience'), received: 0 },
    ],
    riskAfter: { riskLevel: 'LOW', reason: 'Device risk Secure' },
  },
};

/** The refused risk reports left `received` receive_events and the risk at `riskLevel`. */
const afterRefusals = (received: number, riskLevel: string): OutcomeCapture => ({
  ...OUTCOME,
  refusals: {
    sets: (OUTCOME.refusals?.sets ?? []).map((r) => ({ ...r, received })),
    riskAfter: { riskLevel },
  },
});

/** The HIGH SET refused: no outcome to judge. */
export const REFUSED_HIGH: OutcomeCapture = { ...OUTCOME, high: delivery(refused('invalid_issuer')) };

/** Only the chain's events of `types` were logged before the harness gave up waiting. */
export const only = (...types: string[]): OutcomeCapture => ({
  ...OUTCOME,
  chain: FULL_CHAIN.filter((e) => types.includes(e.eventType)),
  timedOut: true,
  waitedMs: 15000,
});

const withChain = (chain: readonly LogSummary[]): OutcomeCapture => ({ ...OUTCOME, chain });
const replaced = (type: string, more: Partial<LogSummary>): OutcomeCapture =>
  withChain(FULL_CHAIN.map((e) => (e.eventType === type ? { ...e, ...more } : e)));
const allBut = (type: string): OutcomeCapture =>
  only(...FULL_CHAIN.map((e) => e.eventType).filter((t) => t !== type));

export const FAILING_CASES: readonly FailingCase[] = [
  failsOn(acceptsSixTypes, LAX_CONTRACT, 'a valid SET is answered 200, not 202'),
  failsOn(
    acceptHasNoBody,
    { ...GOOD_CONTRACT, accepted: [delivery({ ...ACCEPTED, body: 'accepted' })] },
    'a 202 carries a body',
  ),
  ...[refusesOtherType, refusesNoKid, refusesAudArray].flatMap((check) => [
    failsOn(check, LAX_CONTRACT, 'the SET is accepted with 202'),
    failsOn(
      check,
      refusedAs(refused('invalid_key')),
      'the SET is refused with an "err" its case does not allow',
    ),
  ]),
  failsOn(
    errorIsTokenError,
    oneRefusal(refused('access_denied')),
    'the 400 has an "err" outside Okta\'s five',
  ),
  failsOn(
    errorIsTokenError,
    oneRefusal(refused('invalid_request', 42)),
    'the 400 has no string "description"',
  ),
  failsOn(
    errorIsTokenError,
    oneRefusal({ ...refused('invalid_request'), contentType: 'text/html' }),
    'the 400 is not JSON',
  ),
  failsOn(
    errorIsTokenError,
    oneRefusal({ ...refused('x'), json: { errorCode: 'E0000001', errorSummary: 'no' } }),
    "the 400 is Okta's management Error object, not the receiver's SecurityEventTokenError",
  ),
  failsOn(acceptsUnknownUser, LAX_CONTRACT, 'a SET about no user of the org is refused with 400'),

  failsOn(logsReceiveEvent, only(), 'no receive_event was logged for the accepted SET'),
  failsOn(
    logsReceiveEvent,
    withChain([event(RECEIVE, { targets: ['User:someone-else'] })]),
    'the receive_event targets another user',
  ),
  failsOn(detectsHighRisk, only(RECEIVE), 'no user.risk.detect followed the receive_event'),
  failsOn(detectsHighRisk, replaced(DETECT, { riskLevel: 'MEDIUM' }), 'the detection is MEDIUM, not HIGH'),
  failsOn(
    userRiskIsHigh,
    { ...only(RECEIVE, DETECT), riskAfter: { riskLevel: 'LOW' } },
    'the User Risk API reads LOW though no policy action lowered it',
  ),
  failsOn(
    userRiskIsHigh,
    { ...OUTCOME, riskAfter: { riskLevel: 'MEDIUM' } },
    'the User Risk API reads MEDIUM after the action, neither HIGH nor lowered',
  ),
  failsOn(chainInOrder, withChain([...FULL_CHAIN].reverse()), 'the chain is logged backwards'),
  failsOn(
    chainInOrder,
    withChain([...FULL_CHAIN.filter((e) => e.eventType !== LOGOUT), event(LOGOUT)]),
    'the risk is reset before Universal Logout is logged',
  ),
  failsOn(policyActs, only(RECEIVE, DETECT), 'the policy neither evaluates nor acts'),
  failsOn(policyActs, replaced(ACTION, { policyAction: 'NULL' }), 'the policy acts in logging mode (NULL)'),
  failsOn(sessionsEnd, allBut(SESSION_END), 'no user.session.end in the chain'),
  failsOn(
    universalLogout,
    only(RECEIVE, DETECT, EVALUATE, ACTION, SESSION_END),
    'no Universal Logout logged',
  ),
  failsOn(universalLogout, withChain([...FULL_CHAIN, event(LOGOUT)]), 'Universal Logout logged twice'),
  failsOn(riskChangeLogged, allBut(RISK_CHANGE), 'no user.risk.change after Universal Logout'),
  failsOn(
    riskChangeLogged,
    replaced(RISK_CHANGE, { riskLevel: 'HIGH' }),
    'the user.risk.change leaves the user at HIGH',
  ),
  failsOn(
    riskReset,
    { ...OUTCOME, riskAfter: { riskLevel: 'HIGH' } },
    'the User Risk API still reads HIGH after the policy acted',
  ),
  failsOn(
    riskReset,
    { ...OUTCOME, riskAfter: { riskLevel: 'MEDIUM' } },
    'the User Risk API reads MEDIUM, above the LOW the user had before',
  ),
  failsOn(riskReset, { ...OUTCOME, riskAfter: {} }, 'the User Risk API names no level after the action'),
  failsOn(
    redeliveryAccepted,
    { ...OUTCOME, again: delivery(refused('invalid_request')) },
    'the redelivered SET is refused',
  ),
  failsOn(redeliveryIgnored, { ...OUTCOME, receiveEvents: 2 }, 'the redelivered jti is logged a second time'),
  failsOn(
    refusedSetsLeaveRisk,
    afterRefusals(0, 'MEDIUM'),
    'refused MEDIUM reports raised the risk to MEDIUM',
  ),
  failsOn(refusedSetsNotReceived, afterRefusals(1, 'LOW'), 'each refused SET was logged as received'),
];
