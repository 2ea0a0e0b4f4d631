/**
 * Every okta-receiver check against captured answers and System Log summaries: each fails on every case
 * of its failing-case table (failing-cases.testing.ts), holds on the captures the table starts from, and
 * skips where it does not apply. Also how the signal's chain is picked out of the log. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { describeFailingCases } from '../core/failing.testing.ts';
import { type Check, isSkip } from '../core/index.ts';
import {
  ACTION,
  acceptHasNoBody,
  acceptsSixTypes,
  acceptsUnknownUser,
  chainInOrder,
  chainSteps,
  DETECT,
  detectsHighRisk,
  errorIsTokenError,
  ITP_CHAIN,
  LOGOUT,
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
  riskResetProblems,
  SESSION_END,
  sessionsEnd,
  universalLogout,
  userRiskIsHigh,
} from './checks.ts';
import {
  event,
  FAILING_CASES,
  FULL_CHAIN,
  GOOD_CONTRACT,
  LAX_CONTRACT,
  OUTCOME,
  only,
  REFUSED_HIGH,
  USER,
} from './failing-cases.testing.ts';
import { oktaReceiverPlan } from './index.ts';
import { summarizeLogEvent } from './okta-api.ts';
import { chainFor, receiveCount } from './plan.ts';

function verdictOf<C>(check: Check<C>, c: C): readonly string[] | 'skip' {
  const v = check.evaluate(c);
  return isSkip(v) ? 'skip' : v.map((p) => p.message);
}
const holds = <C>(check: Check<C>, c: C) => expect(verdictOf(check, c), check.id).toEqual([]);
const skips = <C>(check: Check<C>, c: C) => expect(verdictOf(check, c), check.id).toBe('skip');

/** The messages of the table's cases of `check` whose `why` matches (at least one). */
function saidBy(check: Check<unknown>, why: RegExp): string[] {
  const found = FAILING_CASES.filter((c) => c.check.id === check.id && why.test(c.why));
  expect(found.length, `no failing case of ${check.id} says ${why}`).toBeGreaterThan(0);
  return found.flatMap((c) => verdictOf(c.check, c.captured));
}

describeFailingCases(oktaReceiverPlan.modules, FAILING_CASES);

describe("Okta's SET contract", () => {
  test('every contract check holds for Okta keeping it', () => {
    for (const check of [
      acceptsSixTypes,
      acceptHasNoBody,
      refusesOtherType,
      refusesNoKid,
      refusesAudArray,
      errorIsTokenError,
      acceptsUnknownUser,
    ])
      holds(check, GOOD_CONTRACT);
  });

  test('nothing sent, or nothing answered 202 or 400, is a skip', () => {
    const none = { accepted: [], refused: [] };
    for (const check of [
      acceptsSixTypes,
      refusesOtherType,
      refusesNoKid,
      refusesAudArray,
      acceptsUnknownUser,
    ])
      skips(check, none);
    skips(acceptHasNoBody, LAX_CONTRACT);
    skips(errorIsTokenError, LAX_CONTRACT);
  });
});

describe('ITP outcomes', () => {
  const outcomeChecks = oktaReceiverPlan.modules.find((m) => m.id === 'okta-itp-outcomes')?.checks ?? [];

  test('every outcome check holds for the seven-step chain and a reset to the level before', () => {
    expect(outcomeChecks.length).toBeGreaterThan(0);
    for (const check of outcomeChecks) holds(check, OUTCOME);
  });

  test('a HIGH SET that was refused leaves the outcomes unjudged (the order of what was logged still is)', () => {
    const refusals: Check<typeof OUTCOME>[] = [refusedSetsLeaveRisk, refusedSetsNotReceived];
    for (const check of outcomeChecks.filter((c) => c !== chainInOrder && !refusals.includes(c)))
      skips(check, REFUSED_HIGH);
    // The refusals are pushed before the signal: what they left is judged whatever became of it.
    for (const check of refusals) holds(check, REFUSED_HIGH);
  });

  test('refused risk reports that were in fact accepted leave the no-effect checks inconclusive', () => {
    const sets = OUTCOME.refusals?.sets ?? [];
    const taken = {
      ...OUTCOME,
      refusals: { sets: sets.map((r) => ({ ...r, answer: { ...r.answer, status: 202 } })), riskAfter: {} },
    };
    for (const check of [refusedSetsLeaveRisk, refusedSetsNotReceived]) {
      const verdict = check.evaluate(taken);
      expect(isSkip(verdict) && verdict.inconclusive).toBe(true);
    }
    const none = { ...OUTCOME, refusals: { sets: [], riskAfter: {} } };
    for (const check of [refusedSetsLeaveRisk, refusedSetsNotReceived]) skips(check, none);
  });

  test('okta-detects-high-risk skips without a receive_event to follow', () => {
    skips(detectsHighRisk, only());
  });

  test('okta-user-risk-reads-high holds at HIGH before any action', () => {
    holds(userRiskIsHigh, { ...only(RECEIVE, DETECT), riskAfter: { riskLevel: 'HIGH' } });
  });

  test('okta-itp-chain-in-order skips with one event, and user.risk.change is its seventh step', () => {
    skips(chainInOrder, only(RECEIVE));
    expect(saidBy(chainInOrder, /reset before Universal Logout/)).toEqual([
      `the chain is out of order: ${RECEIVE} → ${DETECT} → ${RISK_CHANGE} → policy.entity_risk.evaluate → ${ACTION} → ${SESSION_END} → ${RISK_CHANGE} → ${LOGOUT}`,
    ]);
  });

  // The seed: the policy runs "whenever a user's Entity Risk Level is updated, such as during a
  // user.risk.change event". That update is the chain's third step; an org that logs only user.risk.detect
  // for detections (Okta documents it replacing user.risk.change there) still holds.
  test('the level update (user.risk.change before the policy) is in order, optional, and never the reset', () => {
    expect(ITP_CHAIN.slice(0, 4)).toEqual([RECEIVE, DETECT, RISK_CHANGE, 'policy.entity_risk.evaluate']);
    expect(chainSteps([RECEIVE, DETECT, RISK_CHANGE, ACTION, LOGOUT, RISK_CHANGE])).toEqual([
      0, 1, 2, 4, 6, 7,
    ]);
    const update = FULL_CHAIN[2];
    expect([update?.eventType, update?.riskLevel]).toEqual([RISK_CHANGE, 'HIGH']);
    const noUpdate = { ...OUTCOME, chain: FULL_CHAIN.filter((e) => e !== update) };
    holds(chainInOrder, noUpdate);
    holds(riskChangeLogged, noUpdate);
    // An update logged but no reset after the policy acted: the update is not taken for the reset.
    const noReset = { ...OUTCOME, chain: FULL_CHAIN.slice(0, -1) };
    expect(verdictOf(riskChangeLogged, noReset)).toEqual([
      `no ${RISK_CHANGE} in the chain: the user's risk was not reset`,
    ]);
    // An update before the detection it follows is out of order.
    expect(chainSteps([RECEIVE, RISK_CHANGE, DETECT])).toEqual([0, 2, 1]);
  });

  test('the policy checks skip when no logout is expected or nothing was detected', () => {
    for (const check of [policyActs, sessionsEnd, universalLogout, riskChangeLogged, riskReset]) {
      skips(check, { ...OUTCOME, expectLogout: false });
      skips(check, only(RECEIVE));
    }
  });

  test('okta-policy-logs-risk-change: step 7 missing, or leaving the user at HIGH, fails', () => {
    expect(saidBy(riskChangeLogged, /no user.risk.change/)).toEqual([
      `no ${RISK_CHANGE} in the chain (waited 15000 ms): the user's risk was not reset`,
    ]);
    expect(saidBy(riskChangeLogged, /leaves the user at HIGH/)).toEqual([
      `the ${RISK_CHANGE} sets level HIGH: it does not take the threat's risk off the user`,
    ]);
  });

  test('okta-user-risk-reset-after-action: judged only once the policy terminated the sessions', () => {
    expect(saidBy(riskReset, /still reads HIGH/)).toEqual([
      'the User Risk API reads HIGH after the policy acted; expected the level before the threat (LOW)',
    ]);
    const logging = FULL_CHAIN.map((e) => (e.eventType === ACTION ? { ...e, policyAction: 'NULL' } : e));
    expect(verdictOf(riskReset, { ...OUTCOME, chain: logging, riskAfter: { riskLevel: 'HIGH' } })).toBe(
      'skip',
    );
    expect(verdictOf(riskChangeLogged, { ...OUTCOME, chain: logging })).toBe('skip');
  });

  test('okta-accepts-redelivered-set and okta-ignores-redelivered-set', () => {
    skips(redeliveryIgnored, { ...OUTCOME, receiveEvents: 0 });
    skips(redeliveryAccepted, REFUSED_HIGH);
  });
});

describe('the risk reset', () => {
  const at = (riskLevel?: string) => (riskLevel === undefined ? {} : { riskLevel });
  const reset = (before?: string, after?: string) => riskResetProblems(at(before), at(after)).length === 0;

  test('back at the level before, or at LOW where Okta documents it, holds', () => {
    expect(reset('NONE', 'NONE')).toBe(true);
    // A user never assessed (NONE) cannot be set back to NONE: Okta lowers the level to LOW.
    expect(reset('NONE', 'LOW')).toBe(true);
    expect(reset('LOW', 'LOW')).toBe(true);
    expect(reset('MEDIUM', 'MEDIUM')).toBe(true);
    expect(reset('MEDIUM', 'LOW')).toBe(true);
    expect(reset(undefined, 'LOW')).toBe(true);
  });

  test('above both, at the threat level, or no level at all, fails', () => {
    expect(reset('NONE', 'MEDIUM')).toBe(false);
    expect(reset('LOW', 'MEDIUM')).toBe(false);
    expect(reset('MEDIUM', 'HIGH')).toBe(false);
    expect(reset('HIGH', 'HIGH')).toBe(false);
    expect(reset('LOW', 'SOMETHING')).toBe(false);
    expect(reset('LOW', undefined)).toBe(false);
    expect(riskResetProblems(at('NONE'), at('MEDIUM')).map((p) => p.message)).toEqual([
      'the User Risk API reads MEDIUM after the policy acted; expected the level before the threat (NONE) or LOW',
    ]);
  });
});

describe('reading the System Log', () => {
  test('a log event is summarized with its trace, jti, risk level and policy action', () => {
    expect(
      summarizeLogEvent(
        {
          eventType: ACTION,
          published: '2026-01-01T00:00:00.000Z',
          outcome: { result: 'SUCCESS' },
          target: [
            { id: USER, type: 'User' },
            { id: 'pol', type: 'PolicyAction', detailEntry: { PolicyAction: 'TERMINATE_ALL_SESSIONS' } },
          ],
          debugContext: {
            debugData: { TraceId: 't9', Jti: 'j9', Risk: '{previousLevel=LOW, level=HIGH, issuer=x}' },
          },
        },
        'level=HIGH',
      ),
    ).toEqual({
      eventType: ACTION,
      published: '2026-01-01T00:00:00.000Z',
      traceId: 't9',
      targets: [`User:${USER}`, 'PolicyAction:pol'],
      jti: 'j9',
      marked: true,
      riskLevel: 'HIGH',
      policyAction: 'TERMINATE_ALL_SESSIONS',
      outcome: 'SUCCESS',
    });
    expect(summarizeLogEvent({ nothing: true })).toBeUndefined();
  });

  test('the chain is the receive_event of the jti and everything under its TraceId', () => {
    const log = [
      event(RECEIVE, { jti: 'older', traceId: 't0' }),
      event(DETECT, { traceId: 't0' }),
      ...FULL_CHAIN,
      event(RECEIVE, { jti: 'j1', traceId: 't1' }),
    ];
    expect(chainFor(log, USER, 'j1').map((e) => e.eventType)).toEqual([
      ...FULL_CHAIN.map((e) => e.eventType),
      RECEIVE,
    ]);
    expect(receiveCount(log, USER, 'j1')).toBe(2);
    expect(chainFor(log, USER, 'unknown')).toEqual([]);
    // Okta may log no jti: the event whose debug data mentions it (the harness's reason) is the signal's.
    const noJti = FULL_CHAIN.map(({ jti: _jti, ...e }) => e);
    const earlier = event(RECEIVE, { traceId: 't0' });
    const marked = [
      earlier,
      ...noJti.map((e) => (e.eventType === RECEIVE ? { ...e, marked: true as const } : e)),
    ];
    expect(chainFor(marked, USER, 'j1')).toHaveLength(FULL_CHAIN.length);
    expect(receiveCount(marked, USER, 'j1')).toBe(1);
    // With neither, the user's latest receive_event (the plan pushes nothing else meanwhile).
    expect(chainFor([earlier, ...noJti], USER, 'j1')).toHaveLength(FULL_CHAIN.length);
    const mine = noJti.find((e) => e.eventType === RECEIVE);
    expect(receiveCount([earlier, ...noJti], USER, 'j1', mine)).toBe(1);
    expect(receiveCount([earlier, ...noJti, event(RECEIVE, { traceId: 't2' })], USER, 'j1', mine)).toBe(2);
  });
});
