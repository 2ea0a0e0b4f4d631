/**
 * Every okta-receiver check against captured answers and System Log summaries: one capture that makes it
 * fail, one that makes it hold. Also how the signal's chain is picked out of the log. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { type Check, isSkip } from '../core/index.ts';
import type { Delivery } from '../ssf-receiver/checks.ts';
import type { PushAnswer } from '../ssf-receiver/push.ts';
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
  redeliveryAccepted,
  redeliveryIgnored,
  refusesAudArray,
  refusesNoKid,
  refusesOtherType,
  SESSION_END,
  sessionsEnd,
  universalLogout,
  userRiskIsHigh,
} from './checks.ts';
import { type LogSummary, summarizeLogEvent } from './okta-api.ts';
import { chainFor, receiveCount } from './plan.ts';

const accepted: PushAnswer = { status: 202, contentType: null, contentLanguage: null, body: '' };
const ok200: PushAnswer = {
  status: 200,
  contentType: 'application/json',
  contentLanguage: null,
  body: '{}',
  json: {},
};
function refused(err: string, description: unknown = 'why'): PushAnswer {
  const json = { err, description };
  return {
    status: 400,
    contentType: 'application/json',
    contentLanguage: 'en',
    body: JSON.stringify(json),
    json,
  };
}
const delivery = (answer: PushAnswer, eventType = 'urn:okta:drc'): Delivery => ({
  eventType,
  jti: 'j1',
  answer,
});

function verdictOf<C>(check: Check<C>, c: C): readonly string[] | 'skip' {
  const v = check.evaluate(c);
  return isSkip(v) ? 'skip' : v.map((p) => p.message);
}
const holds = <C>(check: Check<C>, c: C) => expect(verdictOf(check, c), check.id).toEqual([]);
const fails = <C>(check: Check<C>, c: C) => {
  const v = verdictOf(check, c);
  expect(v, check.id).not.toBe('skip');
  expect((v as string[]).length, check.id).toBeGreaterThan(0);
};
const skips = <C>(check: Check<C>, c: C) => expect(verdictOf(check, c), check.id).toBe('skip');

describe("Okta's SET contract", () => {
  const good: ContractCapture = {
    accepted: [delivery(accepted)],
    refused: [
      { id: 'unaccepted-event-type', expected: ['invalid_request'], answer: refused('invalid_request') },
      { id: 'missing-kid', expected: ['invalid_request'], answer: refused('invalid_request') },
      {
        id: 'audience-array',
        expected: ['invalid_request', 'invalid_audience'],
        answer: refused('invalid_audience'),
      },
    ],
    unknownUser: delivery(accepted),
  };
  const lax: ContractCapture = {
    accepted: [delivery(ok200)],
    refused: good.refused.map((r) => ({ ...r, answer: accepted })),
    unknownUser: delivery(refused('invalid_request')),
  };

  test('okta-accepts-its-event-types', () => {
    holds(acceptsSixTypes, good);
    fails(acceptsSixTypes, lax);
    skips(acceptsSixTypes, { accepted: [], refused: [] });
  });

  test('okta-accept-has-no-body', () => {
    holds(acceptHasNoBody, good);
    fails(acceptHasNoBody, { ...good, accepted: [delivery({ ...accepted, body: 'accepted' })] });
    skips(acceptHasNoBody, lax);
  });

  for (const check of [refusesOtherType, refusesNoKid, refusesAudArray]) {
    test(check.id, () => {
      holds(check, good);
      fails(check, lax);
      fails(check, {
        ...good,
        refused: good.refused.map((r) => ({ ...r, answer: refused('invalid_key') })),
      });
      skips(check, { accepted: [], refused: [] });
    });
  }

  test('okta-error-is-security-event-token-error', () => {
    holds(errorIsTokenError, good);
    const bad = (answer: PushAnswer): ContractCapture => ({
      ...good,
      refused: [{ id: 'missing-kid', expected: ['invalid_request'], answer }],
    });
    fails(errorIsTokenError, bad(refused('access_denied')));
    fails(errorIsTokenError, bad(refused('invalid_request', 42)));
    fails(errorIsTokenError, bad({ ...refused('invalid_request'), contentType: 'text/html' }));
    // Okta's management Error object is not the receiver's error shape.
    fails(errorIsTokenError, bad({ ...refused('x'), json: { errorCode: 'E0000001', errorSummary: 'no' } }));
    skips(errorIsTokenError, lax);
  });

  test('okta-accepts-set-about-unknown-user', () => {
    holds(acceptsUnknownUser, good);
    fails(acceptsUnknownUser, lax);
    skips(acceptsUnknownUser, { accepted: [], refused: [] });
  });
});

const USER = '00u1';
const event = (eventType: string, more: Partial<LogSummary> = {}): LogSummary => ({
  eventType,
  published: '2026-01-01T00:00:00.000Z',
  traceId: 't1',
  targets: [`User:${USER}`],
  outcome: 'SUCCESS',
  ...more,
});
const fullChain: LogSummary[] = [
  event(RECEIVE, { jti: 'j1' }),
  event(DETECT, { riskLevel: 'HIGH' }),
  event(EVALUATE),
  event(ACTION, { policyAction: 'TERMINATE_ALL_SESSIONS' }),
  event(SESSION_END),
  event(LOGOUT),
];
const outcome: OutcomeCapture = {
  userId: USER,
  expectLogout: true,
  high: delivery(accepted),
  chain: fullChain,
  waitedMs: 40,
  timedOut: false,
  riskAfter: { riskLevel: 'LOW', reason: 'reset.after.policy.action' },
  again: delivery(accepted),
  receiveEvents: 1,
};
const refusedHigh: OutcomeCapture = { ...outcome, high: delivery(refused('invalid_issuer')) };
const only = (...types: string[]): OutcomeCapture => ({
  ...outcome,
  chain: fullChain.filter((e) => types.includes(e.eventType)),
  timedOut: true,
  waitedMs: 15000,
});

describe('ITP outcomes', () => {
  test('okta-logs-receive-event', () => {
    holds(logsReceiveEvent, outcome);
    fails(logsReceiveEvent, only());
    fails(logsReceiveEvent, { ...outcome, chain: [event(RECEIVE, { targets: ['User:someone-else'] })] });
    skips(logsReceiveEvent, refusedHigh);
  });

  test('okta-detects-high-risk', () => {
    holds(detectsHighRisk, outcome);
    fails(detectsHighRisk, only(RECEIVE));
    fails(detectsHighRisk, { ...outcome, chain: [event(RECEIVE), event(DETECT, { riskLevel: 'MEDIUM' })] });
    skips(detectsHighRisk, only());
  });

  test('okta-user-risk-reads-high', () => {
    holds(userRiskIsHigh, outcome);
    holds(userRiskIsHigh, { ...only(RECEIVE, DETECT), riskAfter: { riskLevel: 'HIGH' } });
    fails(userRiskIsHigh, { ...only(RECEIVE, DETECT), riskAfter: { riskLevel: 'LOW' } });
    fails(userRiskIsHigh, { ...outcome, riskAfter: { riskLevel: 'MEDIUM' } });
    skips(userRiskIsHigh, refusedHigh);
  });

  test('okta-itp-chain-in-order', () => {
    holds(chainInOrder, outcome);
    fails(chainInOrder, { ...outcome, chain: [...fullChain].reverse() });
    skips(chainInOrder, only(RECEIVE));
  });

  test('okta-policy-terminates-sessions', () => {
    holds(policyActs, outcome);
    fails(policyActs, only(RECEIVE, DETECT));
    fails(policyActs, {
      ...outcome,
      chain: fullChain.map((e) => (e.eventType === ACTION ? { ...e, policyAction: 'NULL' } : e)),
    });
    skips(policyActs, { ...outcome, expectLogout: false });
    skips(policyActs, only(RECEIVE));
  });

  test('okta-policy-ends-sessions', () => {
    holds(sessionsEnd, outcome);
    fails(sessionsEnd, only(RECEIVE, DETECT, EVALUATE, ACTION));
    skips(sessionsEnd, { ...outcome, expectLogout: false });
  });

  test('okta-policy-logs-universal-logout', () => {
    holds(universalLogout, outcome);
    fails(universalLogout, only(RECEIVE, DETECT, EVALUATE, ACTION, SESSION_END));
    fails(universalLogout, { ...outcome, chain: [...fullChain, event(LOGOUT)] });
    skips(universalLogout, refusedHigh);
  });

  test('okta-accepts-redelivered-set', () => {
    holds(redeliveryAccepted, outcome);
    fails(redeliveryAccepted, { ...outcome, again: delivery(refused('invalid_request')) });
    skips(redeliveryAccepted, refusedHigh);
  });

  test('okta-ignores-redelivered-set', () => {
    holds(redeliveryIgnored, outcome);
    fails(redeliveryIgnored, { ...outcome, receiveEvents: 2 });
    skips(redeliveryIgnored, { ...outcome, receiveEvents: 0 });
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
      ...fullChain,
      event(RECEIVE, { jti: 'j1', traceId: 't1' }),
    ];
    expect(chainFor(log, USER, 'j1').map((e) => e.eventType)).toEqual([
      ...fullChain.map((e) => e.eventType),
      RECEIVE,
    ]);
    expect(receiveCount(log, USER, 'j1')).toBe(2);
    expect(chainFor(log, USER, 'unknown')).toEqual([]);
    // Okta may log no jti: the event whose debug data mentions it (the harness's reason) is the signal's.
    const noJti = fullChain.map(({ jti: _jti, ...e }) => e);
    const earlier = event(RECEIVE, { traceId: 't0' });
    const marked = [
      earlier,
      ...noJti.map((e) => (e.eventType === RECEIVE ? { ...e, marked: true as const } : e)),
    ];
    expect(chainFor(marked, USER, 'j1')).toHaveLength(fullChain.length);
    expect(receiveCount(marked, USER, 'j1')).toBe(1);
    // With neither, the user's latest receive_event (the plan pushes nothing else meanwhile).
    expect(chainFor([earlier, ...noJti], USER, 'j1')).toHaveLength(fullChain.length);
    const mine = noJti.find((e) => e.eventType === RECEIVE);
    expect(receiveCount([earlier, ...noJti], USER, 'j1', mine)).toBe(1);
    expect(receiveCount([earlier, ...noJti, event(RECEIVE, { traceId: 't2' })], USER, 'j1', mine)).toBe(2);
  });
});
