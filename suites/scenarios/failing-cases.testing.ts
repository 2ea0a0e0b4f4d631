/**
 * A capture in which each scenario check fails — one per expectation kind — for the scenario checks' own
 * test and the test over every plan (harness/certify/every-check-fails.test.ts).
 */
import type { ExchangeRecord } from '../../harness/records/index.ts';
import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import { ITP_CHAIN } from '../okta-receiver/index.ts';
import { type ScenarioCapture, type ScenarioLogEvent, scenarioCheck } from './checks.ts';

export const USER_ID = '00u1';

export function logEvent(eventType: string, extra: Partial<ScenarioLogEvent> = {}): ScenarioLogEvent {
  return {
    eventType,
    published: '2026-01-01T00:00:01.000Z',
    traceId: 't1',
    userIds: [USER_ID],
    ...extra,
  };
}

export function push(seq: number, status: number | undefined, jti: string, current = 'high'): ExchangeRecord {
  return {
    seq,
    at: seq,
    from: 'jamf-security-cloud',
    to: 'okta',
    method: 'POST',
    url: 'https://acme.okta.lab/security/api/v1/security-events',
    requestHeaders: {},
    set: {
      header: { typ: 'secevent+jwt' },
      claims: {
        jti,
        events: {
          'https://schemas.okta.com/secevent/okta/event-type/device-risk-change': {
            previous_level: 'secure',
            current_level: current,
          },
        },
      },
    },
    ...(status === undefined ? { error: 'ECONNREFUSED' } : { status }),
    durationMs: 1,
  };
}

/** The seed's System Log steps (the level update and the reset among them), as the okta-receiver plan knows them. */
export const SEVEN: readonly string[] = ITP_CHAIN;

/** What the seed's flow leaves: every scenario check of 02-macos-threat-logout holds on it. */
export const SEED_FLOW: ScenarioCapture = {
  exchanges: [push(1, 202, 'j1')],
  log: SEVEN.map((t) =>
    t === 'user.risk.detect'
      ? logEvent(t, { riskLevel: 'HIGH' })
      : t === 'policy.entity_risk.evaluate'
        ? logEvent(t, { rule: { id: 'r1', name: 'High risk: Logout and Revoke Tokens' } })
        : t === 'policy.entity_risk.action'
          ? logEvent(t, { policyAction: 'TERMINATE_ALL_SESSIONS' })
          : logEvent(t),
  ),
  users: {
    mac: {
      email: 'pat@acme.example',
      userId: USER_ID,
      riskLevel: 'LOW',
      oktaSessions: 0,
      apps: {
        salesforce: [{ state: 'revoked', refreshToken: 'revoked' }],
        'google-workspace': [{ state: 'revoked', refreshToken: 'revoked' }],
        office365: [{ state: 'active', refreshToken: 'revoked' }],
      },
    },
  },
  catchAllRuleId: 'r0',
  flow: { ms: 120, until: 'logout' },
};

const mac = SEED_FLOW.users.mac as NonNullable<(typeof SEED_FLOW.users)['mac']>;

/**
 * What 08-delegated-workflow leaves: a RUN_WORKFLOW rule ran the flow twice — the stand-in received the
 * first run (SUCCESS); the second was answered 500 (FAILURE). The run event targets the Flow, not the user:
 * it belongs to the user through its TraceId.
 */
export const FLOW_RUNS: ScenarioCapture = {
  ...SEED_FLOW,
  log: [
    logEvent('policy.entity_risk.action', { policyAction: 'RUN_WORKFLOW' }),
    logEvent('workflows.user.delegatedflow.run', { userIds: [], outcome: 'SUCCESS' }),
    logEvent('policy.entity_risk.action', { traceId: 't2', policyAction: 'RUN_WORKFLOW' }),
    logEvent('workflows.user.delegatedflow.run', { traceId: 't2', userIds: [], outcome: 'FAILURE' }),
  ],
  workflowInvocations: [
    { flowKey: 'respond', oktaUserId: USER_ID, traceId: 't1' },
    { flowKey: 'respond', oktaUserId: '00uSomeoneElse', traceId: 't9' },
  ],
};

export const FAILING_CASES: readonly FailingCase[] = [
  failsOn(
    scenarioCheck({ sets: { to: 'okta', count: 1, event: 'device-risk-change', current: 'high' } }),
    { ...SEED_FLOW, exchanges: [push(1, 202, 'j1'), push(2, 202, 'j2')] },
    'Okta accepted two device-risk-change SETs where one was expected',
  ),
  failsOn(
    scenarioCheck({ deliveries: { to: 'okta', delivered: 1, failedAttemptsAtLeast: 3 } }),
    { ...SEED_FLOW, exchanges: [push(1, undefined, 'j1'), push(2, 202, 'j1')] },
    'only one attempt failed before the delivery where three were expected',
  ),
  failsOn(
    scenarioCheck({ userRisk: { user: 'mac', detected: ['HIGH'], level: 'LOW' } }),
    { ...SEED_FLOW, users: { mac: { ...mac, riskLevel: 'HIGH' } } },
    'the risk stayed HIGH instead of being reset to LOW',
  ),
  failsOn(
    scenarioCheck({
      rule: { user: 'mac', matched: 'High risk: Logout and Revoke Tokens', action: 'TERMINATE_ALL_SESSIONS' },
    }),
    {
      ...SEED_FLOW,
      log: SEED_FLOW.log.map((e) =>
        e.eventType === 'policy.entity_risk.action' ? { ...e, policyAction: 'NULL' } : e,
      ),
    },
    'the policy logged its action as NULL (logging mode) instead of TERMINATE_ALL_SESSIONS',
  ),
  failsOn(
    scenarioCheck({ oktaSessions: { user: 'mac', count: 0 } }),
    { ...SEED_FLOW, users: { mac: { ...mac, oktaSessions: 1 } } },
    'one Okta session is still live after the policy acted',
  ),
  failsOn(
    scenarioCheck({ logout: { user: 'mac', salesforce: 'full', office365: 'partial' } }),
    {
      ...SEED_FLOW,
      users: {
        mac: { ...mac, apps: { ...mac.apps, salesforce: [{ state: 'active', refreshToken: 'active' }] } },
      },
    },
    "Salesforce's session is still active after Universal Logout",
  ),
  failsOn(
    scenarioCheck({ systemLog: { user: 'mac', sequence: SEVEN } }),
    { ...SEED_FLOW, log: SEED_FLOW.log.filter((e) => e.eventType !== 'user.risk.change') },
    'the chain stops before user.risk.change (the risk was never reset)',
  ),
  failsOn(
    scenarioCheck({ workflow: { user: 'mac', received: 1, outcomes: ['SUCCESS', 'FAILURE'] } }),
    { ...FLOW_RUNS, workflowInvocations: FLOW_RUNS.workflowInvocations?.slice(1) ?? [] },
    'the delegated flow received no run for the user (only one for someone else)',
  ),
  failsOn(
    scenarioCheck({ within: { ms: 100 } }),
    SEED_FLOW,
    'the flow took 120 ms where the bound is 100 ms',
  ),
];
