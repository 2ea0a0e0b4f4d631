/**
 * The scenario checks: each fails on its failing case, holds on what the seed's flow leaves, and names
 * what differs. Pure: no lab.
 */
import { describe, expect, test } from 'vitest';
import { isSkip } from '../core/index.ts';
import { scenarioCheck, scenarioChecks } from './checks.ts';
import {
  FAILING_CASES,
  FLOW_RUNS,
  logEvent,
  push,
  SEED_FLOW,
  SEVEN,
  USER_ID,
} from './failing-cases.testing.ts';

describe('each scenario check fails on its failing case', () => {
  test.each(FAILING_CASES.map((c) => [c.check.id, c.why, c] as const))('%s: %s', (_id, _why, c) => {
    const verdict = c.check.evaluate(c.captured);
    expect(isSkip(verdict)).toBe(false);
    expect((verdict as readonly unknown[]).length).toBeGreaterThan(0);
  });
});

test('every scenario check holds on what the seed’s flow leaves', () => {
  for (const c of FAILING_CASES) {
    // The bound and the retries of these two cases are set to fail on any flow without an outage; the
    // delegated flow is judged on what a RUN_WORKFLOW rule leaves (below), not on the logout flow.
    if (
      ['scenario-flow-within-bound', 'scenario-deliveries-after-retries', 'scenario-delegated-flow'].includes(
        c.check.id,
      )
    )
      continue;
    expect(c.check.evaluate(SEED_FLOW), c.check.id).toEqual([]);
  }
  expect(scenarioCheck({ within: { ms: 10_000 } }).evaluate(SEED_FLOW)).toEqual([]);
  const outage = {
    ...SEED_FLOW,
    exchanges: [1, 2, 3].map((i) => push(i, undefined, 'j1')).concat(push(4, 202, 'j1')),
  };
  expect(
    scenarioCheck({ deliveries: { to: 'okta', delivered: 1, failedAttemptsAtLeast: 3 } }).evaluate(outage),
  ).toEqual([]);
});

test('a second expectation of one kind gets its own id; titles are sentences', () => {
  const checks = scenarioChecks([
    { userRisk: { user: 'mac', level: 'HIGH' } },
    { userRisk: { user: 'mac', level: 'LOW' } },
  ]);
  expect(checks.map((c) => c.id)).toEqual(['scenario-user-risk', 'scenario-user-risk-2']);
  for (const c of checks) expect(c.title).toMatch(/\.$/);
});

test('the messages say what differs', () => {
  const [risk, chain] = [
    scenarioCheck({ userRisk: { user: 'mac', level: 'NONE' } }),
    scenarioCheck({ systemLog: { user: 'mac', sequence: SEVEN } }),
  ];
  expect(risk.evaluate(SEED_FLOW)).toEqual([
    expect.objectContaining({ message: 'the risk is LOW, not NONE' }),
  ]);
  const split = { ...SEED_FLOW, log: SEED_FLOW.log.map((e, i) => (i > 3 ? { ...e, traceId: 't2' } : e)) };
  expect(chain.evaluate(split)).toEqual([
    expect.objectContaining({ message: 'the events are spread over 2 TraceIds' }),
  ]);
  const unknown = scenarioCheck({ oktaSessions: { user: 'mobile', count: 0 } });
  expect(unknown.evaluate(SEED_FLOW)).toEqual([
    expect.objectContaining({ message: 'nothing was captured about the user "mobile"' }),
  ]);
  const unread = { ...SEED_FLOW, users: { mac: { email: 'x@acme.example', error: 'no such user' } } };
  expect(unknown.evaluate({ ...unread, users: { mobile: unread.users.mac } })).toEqual([
    expect.objectContaining({ message: 'mobile could not be read: no such user' }),
  ]);
  expect(
    scenarioCheck({ rule: { user: 'mac', matched: 'none' } }).evaluate({
      ...SEED_FLOW,
      log: [logEvent('x')],
    }),
  ).toEqual([]);
});

test('the delegated-flow check counts the stand-in’s runs for the user and reads the run outcomes by TraceId', () => {
  const both = scenarioCheck({ workflow: { user: 'mac', received: 1, outcomes: ['SUCCESS', 'FAILURE'] } });
  expect(both.evaluate(FLOW_RUNS)).toEqual([]);
  expect(both.title).toBe(
    'The delegated flow receives 1 runs for mac and is logged for mac with outcomes SUCCESS, FAILURE.',
  );
  // A flow that never ran: nothing received, nothing logged — both halves say so.
  const never = { ...FLOW_RUNS, log: SEED_FLOW.log, workflowInvocations: [] };
  expect(both.evaluate(never)).toEqual([
    expect.objectContaining({ message: 'the Workflows stand-in received 0 runs for mac, not 1' }),
    expect.objectContaining({
      message:
        'the System Log has workflows.user.delegatedflow.run with outcomes [], not ["SUCCESS","FAILURE"]',
    }),
  ]);
  // A run the stand-in received for a signal outside the run (an earlier scenario's) is not counted.
  const earlier = {
    ...FLOW_RUNS,
    workflowInvocations: [{ flowKey: 'respond', oktaUserId: USER_ID, traceId: 't-earlier' }],
  };
  expect(both.evaluate(earlier)).toEqual([
    expect.objectContaining({ message: 'the Workflows stand-in received 0 runs for mac, not 1' }),
  ]);
  // A run of another user's signal is not this user's.
  const elsewhere = {
    ...FLOW_RUNS,
    log: FLOW_RUNS.log.map((e) => (e.traceId === 't2' ? { ...e, traceId: 't3', userIds: [] } : e)),
  };
  expect(
    scenarioCheck({ workflow: { user: 'mac', outcomes: ['SUCCESS', 'FAILURE'] } }).evaluate(elsewhere),
  ).toEqual([expect.objectContaining({ message: expect.stringContaining('outcomes ["SUCCESS"]') })]);
  // Unread invocations are a finding, never zero; on real endpoints the check is skipped with the reason.
  const { workflowInvocations: _unread, ...unread } = FLOW_RUNS;
  expect(both.evaluate(unread)).toEqual([
    expect.objectContaining({ message: "the Workflows stand-in's invocations were not read" }),
  ]);
  const real = { ...unread, unavailable: { workflowInvocations: 'real endpoints' } };
  expect(isSkip(both.evaluate(real))).toBe(true);
});
