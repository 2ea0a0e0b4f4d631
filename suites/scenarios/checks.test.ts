/**
 * The scenario checks: each fails on its failing case, holds on what the seed's flow leaves, and names
 * what differs. Pure: no lab.
 */
import { describe, expect, test } from 'vitest';
import { isSkip } from '../core/index.ts';
import { scenarioCheck, scenarioChecks } from './checks.ts';
import { FAILING_CASES, logEvent, push, SEED_FLOW, SEVEN } from './failing-cases.testing.ts';

describe('each scenario check fails on its failing case', () => {
  test.each(FAILING_CASES.map((c) => [c.check.id, c.why, c] as const))('%s: %s', (_id, _why, c) => {
    const verdict = c.check.evaluate(c.captured);
    expect(isSkip(verdict)).toBe(false);
    expect((verdict as readonly unknown[]).length).toBeGreaterThan(0);
  });
});

test('every scenario check holds on what the seed’s flow leaves', () => {
  for (const c of FAILING_CASES) {
    // The bound and the retries of these two cases are set to fail on any flow without an outage.
    if (['scenario-flow-within-bound', 'scenario-deliveries-after-retries'].includes(c.check.id)) continue;
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
