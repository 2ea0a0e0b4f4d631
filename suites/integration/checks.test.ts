/**
 * Every integration check against a captured chain, risk and probes: each fails on every case of its
 * failing-case table (failing-cases.testing.ts) with the message a user would act on, holds for the
 * seed's flow as the lab produces it, and skips where it does not apply. Also how the signal's chain is
 * picked out of the System Log. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { describeFailingCases } from '../core/failing.testing.ts';
import { type Check, isSkip } from '../core/index.ts';
import {
  ACTION,
  DETECT,
  EVALUATE,
  LOGOUT,
  RECEIVE,
  RISK_CHANGE,
  SESSION_END,
} from '../okta-receiver/index.ts';
import { CHAIN, event, FAILING_CASES, GOOD, without } from './failing-cases.testing.ts';
import {
  appsLogOut,
  CHAIN_ORDER,
  chainInOrder,
  INTEGRATION_CHECKS,
  type IntegrationCapture,
  integrationPlan,
  logKey,
  oktaSessionsAllCleared,
  oktaSessionsEnd,
  policyTerminates,
  riskChangeLogged,
  riskDetectedHigh,
  setReachesOkta,
  signalChain,
  universalLogoutFires,
  userRiskReset,
  withinBound,
} from './index.ts';

function messages(check: Check<IntegrationCapture>, c: IntegrationCapture): string[] {
  const verdict = check.evaluate(c);
  if (isSkip(verdict)) throw new Error(`skipped: ${verdict.skip}`);
  return verdict.map((p) => p.message);
}

function skipped(check: Check<IntegrationCapture>, c: IntegrationCapture): string {
  const verdict = check.evaluate(c);
  if (!isSkip(verdict)) throw new Error(`not skipped: ${JSON.stringify(verdict)}`);
  return verdict.skip;
}

/** The messages of the table's one case of `check` whose `why` matches. */
function saidBy(check: Check<IntegrationCapture>, why: RegExp): string[] {
  const found = FAILING_CASES.filter((c) => c.check.id === check.id && why.test(c.why));
  expect(
    found.map((c) => c.why),
    `one failing case of ${check.id} saying ${why}`,
  ).toHaveLength(1);
  return messages(check, found[0]?.captured as IntegrationCapture);
}

describeFailingCases(integrationPlan.modules, FAILING_CASES);

test('every check holds for the seed’s flow as the lab produces it', () => {
  for (const check of INTEGRATION_CHECKS) expect(messages(check, GOOD), check.id).toEqual([]);
});

test('check ids are unique, prefixed integration-, and titles are sentences', () => {
  const ids = INTEGRATION_CHECKS.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const c of INTEGRATION_CHECKS) {
    expect(c.id).toMatch(/^integration-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(c.title, c.id).toMatch(/^[A-Z].*\.$/);
  }
});

// The seed: the policy runs "whenever a user's Entity Risk Level is updated, such as during a
// user.risk.change event" — the update comes between the detection and the policy; the reset comes last.
test('the chain has seven kinds of step, user.risk.change as the level update and as the risk reset last', () => {
  expect(CHAIN_ORDER).toEqual([
    RECEIVE,
    DETECT,
    RISK_CHANGE,
    EVALUATE,
    ACTION,
    SESSION_END,
    LOGOUT,
    RISK_CHANGE,
  ]);
});

describe('the chain', () => {
  test('no receive_event: the SET did not reach Okta, and the later steps are not judged', () => {
    expect(saidBy(setReachesOkta, /no receive_event/)).toEqual([
      `no ${RECEIVE} from https://jsc.lab/sse/1 about pat@acme.example was logged after the trigger within 300 ms (the trigger answered HTTP 201)`,
    ]);
    const { latencyMs: _latency, ...rest } = GOOD;
    const c: IntegrationCapture = { ...rest, chain: [], timedOut: true, waitedMs: 300 };
    for (const check of [
      riskDetectedHigh,
      policyTerminates,
      oktaSessionsEnd,
      oktaSessionsAllCleared,
      universalLogoutFires,
      riskChangeLogged,
      userRiskReset,
    ])
      expect(skipped(check, c), check.id).toContain(RECEIVE);
    expect(skipped(withinBound, c)).toContain(LOGOUT);
  });

  test('risk detected at another level, or not at all, fails', () => {
    expect(saidBy(riskDetectedHigh, /MEDIUM/)).toEqual([`the ${DETECT} reports level MEDIUM, not HIGH`]);
    expect(saidBy(riskDetectedHigh, /no user.risk.detect/)).toEqual([`no ${DETECT} followed the ${RECEIVE}`]);
    // Without a detection, the policy has nothing to act on.
    expect(skipped(policyTerminates, { ...GOOD, chain: without(DETECT) })).toContain(DETECT);
  });

  test('a policy that only evaluates, or acts otherwise, fails', () => {
    expect(saidBy(policyTerminates, /neither evaluates nor acts/)).toEqual([
      `no ${EVALUATE} in the chain`,
      `no ${ACTION} in the chain`,
    ]);
    expect(saidBy(policyTerminates, /logging mode/)).toEqual([
      `the ${ACTION} is NULL, not TERMINATE_ALL_SESSIONS`,
    ]);
  });

  test('no session end fails', () => {
    expect(saidBy(oktaSessionsEnd, /no user.session.end/)).toEqual([
      `no ${SESSION_END} in the chain (did pat@acme.example have an Okta session?)`,
    ]);
  });

  test('Universal Logout missing or logged twice fails', () => {
    expect(saidBy(universalLogoutFires, /no Universal Logout/)).toEqual([
      `${LOGOUT} was logged 0 times for the threat within 15000 ms`,
    ]);
    expect(saidBy(universalLogoutFires, /twice/)).toEqual([`${LOGOUT} was logged 2 times for the threat`]);
  });

  test('out of order, outside the TraceId, or without one fails', () => {
    expect(saidBy(chainInOrder, /before the session ends/)).toEqual([
      `the chain is out of order: ${RECEIVE} → ${DETECT} → ${EVALUATE} → ${ACTION} → ${LOGOUT} → ${SESSION_END}`,
    ]);
    expect(saidBy(chainInOrder, /risk is reset before/)).toEqual([
      `the chain is out of order: ${RECEIVE} → ${DETECT} → ${RISK_CHANGE} → ${EVALUATE} → ${ACTION} → ${SESSION_END} → ${SESSION_END} → ${RISK_CHANGE} → ${LOGOUT}`,
    ]);
    expect(saidBy(chainInOrder, /another TraceId/)).toEqual([
      `${LOGOUT} about the user sit outside the signal's TraceId t1`,
    ]);
    expect(saidBy(chainInOrder, /no TraceId/)).toEqual(['the chain carries no TraceId']);
    expect(skipped(chainInOrder, { ...GOOD, chain: CHAIN.slice(0, 1) })).toContain('fewer than two');
  });
});

describe("the user's Okta sessions", () => {
  test('a session still live, one no session end names, or one read wrongly, fails — never naming its id', () => {
    expect(saidBy(oktaSessionsAllCleared, /still live/)).toEqual([
      'Okta session 2 of 2 is still live after the policy acted (the Sessions API answered HTTP 200)',
    ]);
    expect(saidBy(oktaSessionsAllCleared, /names only one/)).toEqual([
      `no ${SESSION_END} of the chain names Okta session 2 of 2`,
    ]);
    expect(saidBy(oktaSessionsAllCleared, /not live before/)).toEqual([
      'Okta session 2 of 2 was not live before the threat (the Sessions API answered HTTP 404), so it cannot show the clearing',
    ]);
    expect(saidBy(oktaSessionsAllCleared, /403/)).toEqual([
      'the Sessions API answered HTTP 403 for Okta session 2 of 2 after the policy acted, not 404',
    ]);
    expect(saidBy(oktaSessionsAllCleared, /not read again/)).toEqual([
      'Okta session 2 of 2 was not read again after the policy acted',
    ]);
    const findings = FAILING_CASES.filter((c) => c.check === oktaSessionsAllCleared).map((c) =>
      JSON.stringify(c.check.evaluate(c.captured)),
    );
    for (const f of findings) expect(f).not.toMatch(/102-(phone|laptop)/);
  });

  test('an org whose session ends name no session is judged on the Sessions API alone', () => {
    const unnamed = CHAIN.map(({ endedSessionId: _id, ...e }) => e);
    expect(messages(oktaSessionsAllCleared, { ...GOOD, chain: unnamed })).toEqual([]);
  });

  test('no session named is a skip with the reason, never a pass', () => {
    expect(skipped(oktaSessionsAllCleared, { ...GOOD, oktaSessions: [] })).toMatch(
      /^no Okta session of the user was named \(oktaSessionIds\): Okta's API cannot list/,
    );
  });

  test('a policy that did not terminate the sessions leaves the clearing and the reset unjudged', () => {
    const logging = CHAIN.map((e) => (e.eventType === ACTION ? { ...e, policyAction: 'NULL' } : e));
    const c = { ...GOOD, chain: logging, riskAfter: { riskLevel: 'HIGH' } };
    for (const check of [oktaSessionsAllCleared, riskChangeLogged, userRiskReset])
      expect(skipped(check, c), check.id).toContain('TERMINATE_ALL_SESSIONS');
  });
});

describe("the user's risk", () => {
  test('no user.risk.change, or one leaving HIGH, fails', () => {
    expect(saidBy(riskChangeLogged, /no user.risk.change/)).toEqual([
      `no ${RISK_CHANGE} in the chain within 15000 ms: the user's risk was not reset`,
    ]);
    expect(saidBy(riskChangeLogged, /leaves the user at HIGH/)).toEqual([
      `the ${RISK_CHANGE} sets level HIGH: it does not take the threat's risk off the user`,
    ]);
  });

  test('the User Risk API above the level before the threat (or LOW) fails', () => {
    expect(saidBy(userRiskReset, /still reads HIGH/)).toEqual([
      'the User Risk API reads HIGH after the policy acted; expected the level before the threat (NONE) or LOW',
    ]);
    expect(saidBy(userRiskReset, /MEDIUM/)).toEqual([
      'the User Risk API reads MEDIUM after the policy acted; expected the level before the threat (NONE) or LOW',
    ]);
    // Back at the level before holds as well as Okta's documented LOW.
    expect(messages(userRiskReset, { ...GOOD, riskAfter: { riskLevel: 'NONE' } })).toEqual([]);
    expect(
      messages(userRiskReset, {
        ...GOOD,
        riskBefore: { riskLevel: 'MEDIUM' },
        riskAfter: { riskLevel: 'MEDIUM' },
      }),
    ).toEqual([]);
  });
});

describe('the apps', () => {
  test('a session that still works after the logout fails, worded by the expected logout', () => {
    expect(saidBy(appsLogOut, /still works/)).toEqual([
      "Salesforce: the user's session still works after Universal Logout (HTTP 200); expected a full logout",
      "Office 365: the user's refresh grant still works after Universal Logout (HTTP 200); expected a partial logout",
    ]);
  });

  test('a probe that did not work before, a 5xx or no answer after, or no probe after fails', () => {
    expect(saidBy(appsLogOut, /did not work before/)).toEqual([
      'Salesforce: the session probe answered HTTP 302 before the threat, so it cannot show the logout',
      'Google Workspace: the session probe answered HTTP 503 after Universal Logout, not 400, 401 or 403',
      'Office 365: the refresh grant probe answered no answer (ECONNREFUSED) after Universal Logout, not 400, 401 or 403',
      'Box: the probe was not sent after the logout',
    ]);
  });

  test('403 counts as revoked; no apps is a skip', () => {
    const app = GOOD.apps[0];
    if (!app) throw new Error('fixture');
    expect(
      messages(appsLogOut, { ...GOOD, apps: [{ ...app, after: { status: 403, excerpt: '' } }] }),
    ).toEqual([]);
    expect(skipped(appsLogOut, { ...GOOD, apps: [] })).toBe('no apps were configured');
  });
});

test('an end-to-end time over the bound is a finding; at the bound it holds', () => {
  expect(saidBy(withinBound, /longer than the bound/)).toEqual([
    `the trigger → ${LOGOUT} took 30001 ms, over the bound of 30000 ms`,
  ]);
  expect(messages(withinBound, { ...GOOD, latencyMs: 30_000 })).toEqual([]);
});

describe('signalChain', () => {
  const before = event(RECEIVE, { traceId: 't0', published: '2026-01-01T00:00:00.000Z', marked: true });
  const compliance = event(RECEIVE, { traceId: 't3', marked: true });
  const other = event(RECEIVE, { traceId: 't4' });

  test('takes the new receive_event whose trace detects HIGH, skipping earlier events and other providers', () => {
    const log = [before, other, event(DETECT, { traceId: 't4', riskLevel: 'HIGH' }), compliance, ...CHAIN];
    const { chain, stray } = signalChain(log, '00u1', new Set([logKey(before)]), true);
    expect(chain).toEqual(CHAIN);
    expect(stray).toEqual([]);
    // Without the issuer to tell providers apart, the other provider's HIGH trace is as good a match.
    expect(signalChain(log, '00u1', new Set([logKey(before)]), false).chain[0]?.traceId).toBe('t4');
  });

  test('falls back to the first new receive_event; chain events under another TraceId are stray', () => {
    const late = event(SESSION_END, { traceId: 't9' });
    const reset = event(RISK_CHANGE, { traceId: null });
    const { chain, stray } = signalChain([compliance, late, reset], '00u1', new Set(), true);
    expect(chain).toEqual([compliance]);
    expect(stray).toEqual([late, reset]);
  });

  test('another user’s events, and an empty log, give no chain', () => {
    const theirs = CHAIN.map((e) => ({ ...e, targets: ['User:00u2'] }));
    expect(signalChain(theirs, '00u1', new Set(), false)).toEqual({ chain: [], stray: [] });
    expect(signalChain([], '00u1', new Set(), false)).toEqual({ chain: [], stray: [] });
  });
});
