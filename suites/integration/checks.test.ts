/**
 * Every integration check against a captured chain and probes: one capture that makes it fail, one that
 * makes it hold. Also how the signal's chain is picked out of the System Log. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { type Check, isSkip } from '../core/index.ts';
import { ACTION, DETECT, EVALUATE, LOGOUT, RECEIVE, SESSION_END } from '../okta-receiver/checks.ts';
import type { LogSummary } from '../okta-receiver/okta-api.ts';
import {
  appsLogOut,
  chainInOrder,
  INTEGRATION_CHECKS,
  type IntegrationCapture,
  logKey,
  oktaSessionsEnd,
  policyTerminates,
  riskDetectedHigh,
  setReachesOkta,
  signalChain,
  universalLogoutFires,
  withinBound,
} from './index.ts';

const USER = 'User:00u1';

function event(eventType: string, extra: Partial<LogSummary> = {}): LogSummary {
  return {
    eventType,
    published: '2026-01-01T00:00:01.000Z',
    traceId: 't1',
    targets: [USER],
    outcome: 'SUCCESS',
    ...extra,
  };
}

const CHAIN: readonly LogSummary[] = [
  event(RECEIVE, { marked: true }),
  event(DETECT, { riskLevel: 'HIGH', marked: true }),
  event(EVALUATE),
  event(ACTION, { policyAction: 'TERMINATE_ALL_SESSIONS' }),
  event(SESSION_END),
  event(LOGOUT, { published: '2026-01-01T00:00:02.000Z' }),
];

const good: IntegrationCapture = {
  user: 'pat@acme.example',
  userId: '00u1',
  issuer: 'https://jsc.lab/sse/1',
  triggeredAt: Date.parse('2026-01-01T00:00:00.000Z'),
  trigger: { status: 201, excerpt: '{"id":"th1"}' },
  chain: CHAIN,
  stray: [],
  waitedMs: 2100,
  timedOut: false,
  latencyMs: 2000,
  latencyBoundMs: 30_000,
  apps: [
    {
      name: 'Salesforce',
      expect: 'full',
      before: { status: 200, excerpt: '{}' },
      after: { status: 401, excerpt: '' },
    },
    {
      name: 'Office 365',
      expect: 'partial',
      before: { status: 200, excerpt: '{}' },
      after: { status: 400, excerpt: '{"error":"invalid_grant"}' },
    },
  ],
};

const without = (...types: string[]): LogSummary[] => CHAIN.filter((e) => !types.includes(e.eventType));

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

test('every check holds for the seed’s flow as the lab produces it', () => {
  for (const check of INTEGRATION_CHECKS) expect(messages(check, good), check.id).toEqual([]);
});

test('check ids are unique, prefixed integration-, and titles are sentences', () => {
  const ids = INTEGRATION_CHECKS.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const c of INTEGRATION_CHECKS) {
    expect(c.id).toMatch(/^integration-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(c.title, c.id).toMatch(/^[A-Z].*\.$/);
  }
});

describe('the chain', () => {
  test('no receive_event: the SET did not reach Okta, and the later steps are not judged', () => {
    const { latencyMs: _latency, ...rest } = good;
    const c: IntegrationCapture = { ...rest, chain: [], timedOut: true, waitedMs: 300 };
    expect(messages(setReachesOkta, c)).toEqual([
      `no ${RECEIVE} from https://jsc.lab/sse/1 about pat@acme.example was logged after the trigger within 300 ms (the trigger answered HTTP 201)`,
    ]);
    for (const check of [riskDetectedHigh, policyTerminates, oktaSessionsEnd, universalLogoutFires])
      expect(skipped(check, c), check.id).toContain(RECEIVE);
    expect(skipped(withinBound, c)).toContain(LOGOUT);
  });

  test('risk detected at another level, or not at all, fails', () => {
    const medium = CHAIN.map((e) => (e.eventType === DETECT ? { ...e, riskLevel: 'MEDIUM' } : e));
    expect(messages(riskDetectedHigh, { ...good, chain: medium })).toEqual([
      `the ${DETECT} reports level MEDIUM, not HIGH`,
    ]);
    expect(messages(riskDetectedHigh, { ...good, chain: without(DETECT) })).toEqual([
      `no ${DETECT} followed the ${RECEIVE}`,
    ]);
    // Without a detection, the policy has nothing to act on.
    expect(skipped(policyTerminates, { ...good, chain: without(DETECT) })).toContain(DETECT);
  });

  test('a policy that only evaluates, or acts otherwise, fails', () => {
    expect(messages(policyTerminates, { ...good, chain: without(EVALUATE, ACTION) })).toEqual([
      `no ${EVALUATE} in the chain`,
      `no ${ACTION} in the chain`,
    ]);
    const other = CHAIN.map((e) => (e.eventType === ACTION ? { ...e, policyAction: 'NULL' } : e));
    expect(messages(policyTerminates, { ...good, chain: other })).toEqual([
      `the ${ACTION} is NULL, not TERMINATE_ALL_SESSIONS`,
    ]);
  });

  test('no session end fails', () => {
    expect(messages(oktaSessionsEnd, { ...good, chain: without(SESSION_END) })).toEqual([
      `no ${SESSION_END} in the chain (did pat@acme.example have an Okta session?)`,
    ]);
  });

  test('Universal Logout missing or logged twice fails', () => {
    expect(
      messages(universalLogoutFires, { ...good, chain: without(LOGOUT), timedOut: true, waitedMs: 15000 }),
    ).toEqual([`${LOGOUT} was logged 0 times for the threat within 15000 ms`]);
    expect(messages(universalLogoutFires, { ...good, chain: [...CHAIN, event(LOGOUT)] })).toEqual([
      `${LOGOUT} was logged 2 times for the threat`,
    ]);
  });

  test('out of order, outside the TraceId, or without one fails', () => {
    const swapped = [...without(SESSION_END, LOGOUT), event(LOGOUT), event(SESSION_END)];
    expect(messages(chainInOrder, { ...good, chain: swapped })).toEqual([
      `the chain is out of order: ${RECEIVE} → ${DETECT} → ${EVALUATE} → ${ACTION} → ${LOGOUT} → ${SESSION_END}`,
    ]);
    const split = { ...good, chain: without(SESSION_END, LOGOUT), stray: [event(LOGOUT, { traceId: 't2' })] };
    expect(messages(chainInOrder, split)).toEqual([
      `${LOGOUT} about the user sit outside the signal's TraceId t1`,
    ]);
    const untraced = CHAIN.slice(0, 2).map((e) => ({ ...e, traceId: null }));
    expect(messages(chainInOrder, { ...good, chain: untraced })).toEqual(['the chain carries no TraceId']);
    expect(skipped(chainInOrder, { ...good, chain: CHAIN.slice(0, 1) })).toContain('fewer than two');
  });
});

describe('the apps', () => {
  const app = good.apps[0];
  const partial = good.apps[1];
  if (!app || !partial) throw new Error('fixture');

  test('a session that still works after the logout fails, worded by the expected logout', () => {
    const c = {
      ...good,
      apps: [
        { ...app, after: { status: 200, excerpt: '{}' } },
        { ...partial, after: { status: 200, excerpt: '{"access_token":"…"}' } },
      ],
    };
    expect(messages(appsLogOut, c)).toEqual([
      "Salesforce: the user's session still works after Universal Logout (HTTP 200); expected a full logout",
      "Office 365: the user's refresh grant still works after Universal Logout (HTTP 200); expected a partial logout",
    ]);
  });

  test('a probe that did not work before, a 5xx or no answer after, or no probe after fails', () => {
    const c: IntegrationCapture = {
      ...good,
      apps: [
        { ...app, before: { status: 302, excerpt: '' } },
        { ...app, name: 'Google Workspace', after: { status: 503, excerpt: '' } },
        { ...partial, after: { status: null, excerpt: 'ECONNREFUSED' } },
        { name: 'Box', expect: 'full', before: { status: 200, excerpt: '' } },
      ],
    };
    expect(messages(appsLogOut, c)).toEqual([
      'Salesforce: the session probe answered HTTP 302 before the threat, so it cannot show the logout',
      'Google Workspace: the session probe answered HTTP 503 after Universal Logout, not 400, 401 or 403',
      'Office 365: the refresh grant probe answered no answer (ECONNREFUSED) after Universal Logout, not 400, 401 or 403',
      'Box: the probe was not sent after the logout',
    ]);
  });

  test('403 counts as revoked; no apps is a skip', () => {
    expect(
      messages(appsLogOut, { ...good, apps: [{ ...app, after: { status: 403, excerpt: '' } }] }),
    ).toEqual([]);
    expect(skipped(appsLogOut, { ...good, apps: [] })).toBe('no apps were configured');
  });
});

test('an end-to-end time over the bound is a finding; at the bound it holds', () => {
  expect(messages(withinBound, { ...good, latencyMs: 30_001 })).toEqual([
    `the trigger → ${LOGOUT} took 30001 ms, over the bound of 30000 ms`,
  ]);
  expect(messages(withinBound, { ...good, latencyMs: 30_000 })).toEqual([]);
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
    const { chain, stray } = signalChain([compliance, late], '00u1', new Set(), true);
    expect(chain).toEqual([compliance]);
    expect(stray).toEqual([late]);
  });

  test('another user’s events, and an empty log, give no chain', () => {
    const theirs = CHAIN.map((e) => ({ ...e, targets: ['User:00u2'] }));
    expect(signalChain(theirs, '00u1', new Set(), false)).toEqual({ chain: [], stray: [] });
    expect(signalChain([], '00u1', new Set(), false)).toEqual({ chain: [], stray: [] });
  });
});
