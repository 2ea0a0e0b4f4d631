/**
 * The integration plan's failing cases: how the seed's flow can fall short between a device threat at the
 * transmitter and its end — a step of Okta's seven-step System Log chain missing, out of order or under
 * another TraceId, an Okta session of the user surviving the policy, the user's risk left up, an app whose
 * session outlives Universal Logout, or all of it too slow. The capture of the flow as the lab produces it
 * is here too, so each case reads as one thing changed from it. Test data only: `checks.test.ts` and
 * harness/certify/every-check-fails read it.
 */
import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import type { LogSummary } from '../okta-receiver/index.ts';
import {
  ACTION,
  DETECT,
  EVALUATE,
  LOGOUT,
  RECEIVE,
  RISK_CHANGE,
  SESSION_END,
} from '../okta-receiver/index.ts';
import {
  type AppProbe,
  appsLogOut,
  chainInOrder,
  type IntegrationCapture,
  type OktaSessionProbe,
  oktaSessionsAllCleared,
  oktaSessionsEnd,
  policyTerminates,
  riskChangeLogged,
  riskDetectedHigh,
  setReachesOkta,
  universalLogoutFires,
  userRiskReset,
  withinBound,
} from './checks.ts';

export const USER = 'User:00u1';

export function event(eventType: string, extra: Partial<LogSummary> = {}): LogSummary {
  return {
    eventType,
    published: '2026-01-01T00:00:01.000Z',
    traceId: 't1',
    targets: [USER],
    outcome: 'SUCCESS',
    ...extra,
  };
}

/**
 * The steps under one TraceId, the level update and the reset among them, two Okta sessions ended by the
 * policy's action.
 */
export const CHAIN: readonly LogSummary[] = [
  event(RECEIVE, { marked: true }),
  event(DETECT, { riskLevel: 'HIGH', marked: true }),
  event(RISK_CHANGE, { riskLevel: 'HIGH', marked: true }),
  event(EVALUATE),
  event(ACTION, { policyAction: 'TERMINATE_ALL_SESSIONS' }),
  event(SESSION_END, { endedSessionId: '102-phone' }),
  event(SESSION_END, { endedSessionId: '102-laptop' }),
  event(LOGOUT, { published: '2026-01-01T00:00:02.000Z' }),
  event(RISK_CHANGE, { riskLevel: 'LOW', published: '2026-01-01T00:00:02.000Z' }),
];

export const SESSIONS: readonly OktaSessionProbe[] = [
  { label: 'Okta session 1 of 2', id: '102-phone', before: 200, after: 404 },
  { label: 'Okta session 2 of 2', id: '102-laptop', before: 200, after: 404 },
];

export const APPS: readonly AppProbe[] = [
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
];

/** The seed's flow as the lab produces it: every check holds. */
export const GOOD: IntegrationCapture = {
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
  apps: APPS,
  // Never assessed before the threat; Okta lowers the level to LOW after Universal Logout.
  riskBefore: { riskLevel: 'NONE' },
  riskAfter: { riskLevel: 'LOW', reason: 'reset.after.policy.action' },
  oktaSessions: SESSIONS,
};

export const without = (...types: string[]): LogSummary[] =>
  CHAIN.filter((e) => !types.includes(e.eventType));
const withChain = (chain: readonly LogSummary[]): IntegrationCapture => ({ ...GOOD, chain });
const replaced = (type: string, more: Partial<LogSummary>): IntegrationCapture =>
  withChain(CHAIN.map((e) => (e.eventType === type ? { ...e, ...more } : e)));
const timedOut = (chain: readonly LogSummary[]): IntegrationCapture => ({
  ...GOOD,
  chain,
  timedOut: true,
  waitedMs: 15000,
});
const [PHONE, LAPTOP] = SESSIONS as [OktaSessionProbe, OktaSessionProbe];
/** The second Okta session read as `probe` says. */
const secondSession = (probe: OktaSessionProbe): IntegrationCapture => ({
  ...GOOD,
  oktaSessions: [PHONE, probe],
});
const salesforce = APPS[0] as AppProbe;
const office = APPS[1] as AppProbe;

export const FAILING_CASES: readonly FailingCase[] = [
  failsOn(
    setReachesOkta,
    { ...timedOut([]), waitedMs: 300 },
    'no receive_event about the user followed the trigger',
  ),
  failsOn(riskDetectedHigh, replaced(DETECT, { riskLevel: 'MEDIUM' }), 'the threat is detected as MEDIUM'),
  failsOn(riskDetectedHigh, withChain(without(DETECT)), 'no user.risk.detect followed the receive_event'),
  failsOn(policyTerminates, withChain(without(EVALUATE, ACTION)), 'the policy neither evaluates nor acts'),
  failsOn(
    policyTerminates,
    replaced(ACTION, { policyAction: 'NULL' }),
    'the policy acts in logging mode (NULL)',
  ),
  failsOn(oktaSessionsEnd, withChain(without(SESSION_END)), 'no user.session.end in the chain'),
  failsOn(
    oktaSessionsAllCleared,
    secondSession({ ...LAPTOP, after: 200 }),
    'one of the two Okta sessions is still live after the policy acted',
  ),
  failsOn(
    oktaSessionsAllCleared,
    withChain(CHAIN.filter((e) => e.endedSessionId !== '102-laptop')),
    'the log names only one of the two ended sessions',
  ),
  failsOn(
    oktaSessionsAllCleared,
    secondSession({ ...LAPTOP, before: 404 }),
    'a named session was not live before the threat, so it shows nothing',
  ),
  failsOn(
    oktaSessionsAllCleared,
    secondSession({ ...LAPTOP, after: 403 }),
    'the Sessions API answers 403 after the policy acted, not 404',
  ),
  failsOn(
    oktaSessionsAllCleared,
    secondSession({ label: LAPTOP.label, id: LAPTOP.id, before: LAPTOP.before }),
    'a named session was not read again after the policy acted',
  ),
  failsOn(
    universalLogoutFires,
    timedOut(without(LOGOUT, RISK_CHANGE)),
    'no Universal Logout logged within waitMs',
  ),
  failsOn(universalLogoutFires, withChain([...CHAIN, event(LOGOUT)]), 'Universal Logout logged twice'),
  failsOn(
    appsLogOut,
    {
      ...GOOD,
      apps: [
        { ...salesforce, after: { status: 200, excerpt: '{}' } },
        { ...office, after: { status: 200, excerpt: '{"access_token":"…"}' } },
      ],
    },
    "each app's session still works after Universal Logout",
  ),
  failsOn(
    appsLogOut,
    {
      ...GOOD,
      apps: [
        { ...salesforce, before: { status: 302, excerpt: '' } },
        { ...salesforce, name: 'Google Workspace', after: { status: 503, excerpt: '' } },
        { ...office, after: { status: null, excerpt: 'ECONNREFUSED' } },
        { name: 'Box', expect: 'full', before: { status: 200, excerpt: '' } },
      ],
    },
    'a probe that did not work before, a 5xx or no answer after, or no probe after',
  ),
  failsOn(riskChangeLogged, timedOut(without(RISK_CHANGE)), 'no user.risk.change after Universal Logout'),
  failsOn(
    riskChangeLogged,
    replaced(RISK_CHANGE, { riskLevel: 'HIGH' }),
    'the user.risk.change leaves the user at HIGH',
  ),
  failsOn(
    userRiskReset,
    { ...GOOD, riskAfter: { riskLevel: 'HIGH' } },
    'the User Risk API still reads HIGH after the policy acted',
  ),
  failsOn(
    userRiskReset,
    { ...GOOD, riskAfter: { riskLevel: 'MEDIUM' } },
    'the User Risk API reads MEDIUM, above the NONE before the threat and LOW',
  ),
  failsOn(
    chainInOrder,
    withChain([...without(SESSION_END, LOGOUT, RISK_CHANGE), event(LOGOUT), event(SESSION_END)]),
    'Universal Logout is logged before the session ends',
  ),
  failsOn(
    chainInOrder,
    withChain([...without(LOGOUT), event(LOGOUT)]),
    'the risk is reset before Universal Logout is logged',
  ),
  failsOn(
    chainInOrder,
    { ...GOOD, chain: without(LOGOUT, RISK_CHANGE), stray: [event(LOGOUT, { traceId: 't2' })] },
    "Universal Logout sits under another TraceId than the signal's",
  ),
  failsOn(
    chainInOrder,
    withChain(CHAIN.slice(0, 2).map((e) => ({ ...e, traceId: null }))),
    'the chain carries no TraceId',
  ),
  failsOn(withinBound, { ...GOOD, latencyMs: 30_001 }, 'the threat took 1 ms longer than the bound'),
];
