/**
 * The plan's shape and its guards, over a fake org: the options schema takes what the lab builder passes,
 * the resolve request is filled from the trigger's answer, and the module raises nothing when the user is
 * already at HIGH, in a dry run, or when the trigger fails. The flow itself runs against the lab in
 * harness/certify/certify-integration.test.ts.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect, test } from 'vitest';
import { Timeline } from '../../harness/records/index.ts';
import { runPlans, type SuiteContext } from '../core/index.ts';
import { fillFromTrigger, type IntegrationOptions, integrationPlan } from './index.ts';

const OPTIONS: IntegrationOptions = {
  trigger: {
    method: 'POST',
    url: 'https://jsc.lab/_lab/threats',
    headers: { 'content-type': 'application/json' },
    body: '{"device":"UDID-1","category":"Malware"}',
  },
  resolve: { method: 'DELETE', url: 'https://jsc.lab/_lab/threats/{trigger.id}' },
  user: 'pat@acme.example',
  okta: { url: 'https://acme.okta.lab', apiToken: 'secret' },
  issuer: 'https://jsc.lab/sse/1',
  apps: [
    {
      name: 'Salesforce',
      expect: 'full',
      sessionProbe: { url: 'https://sf.lab/api/me', headers: { cookie: 'sid=x' } },
    },
    {
      name: 'Office 365',
      expect: 'partial',
      sessionProbe: { url: 'https://o365.lab/oauth/token', method: 'POST', body: 'grant_type=refresh_token' },
    },
  ],
  oktaSessionIds: ['102sessionOnTheMac'],
  waitMs: 15000,
  settleMs: 1000,
  latencyBoundMs: 5000,
};

test('the options schema takes the lab options and refuses a bad app, trigger or session id', () => {
  const ajv = new Ajv2020({ strict: false });
  (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const validate = ajv.compile(integrationPlan.optionsSchema);
  expect(validate(OPTIONS), JSON.stringify(validate.errors)).toBe(true);
  expect(
    validate({ ...OPTIONS, apps: [{ name: 'x', expect: 'some', sessionProbe: { url: 'https://x' } }] }),
  ).toBe(false);
  expect(validate({ ...OPTIONS, trigger: { url: 'https://jsc.lab/_lab/threats' } })).toBe(false);
  expect(validate({ ...OPTIONS, okta: { url: 'https://acme.okta.lab' } })).toBe(false);
  // The Okta sessions are optional; an empty id names nothing.
  const { oktaSessionIds: _ids, ...noSessions } = OPTIONS;
  expect(validate(noSessions), JSON.stringify(validate.errors)).toBe(true);
  expect(validate({ ...OPTIONS, oktaSessionIds: [''] })).toBe(false);
});

test('the resolve request is filled from the trigger answer, and refuses to guess a missing member', () => {
  const resolve = {
    method: 'DELETE' as const,
    url: 'https://jsc.lab/_lab/threats/{trigger.id}',
    headers: { 'x-threat': '{trigger.id}' },
    body: '{"n":{trigger.n}}',
  };
  expect(fillFromTrigger(resolve, { id: 'a/b', n: 2 })).toEqual({
    method: 'DELETE',
    url: 'https://jsc.lab/_lab/threats/a%2Fb',
    headers: { 'x-threat': 'a/b' },
    body: '{"n":2}',
  });
  expect(() => fillFromTrigger(resolve, { status: 'ok' })).toThrow(/needs "id"/);
});

/** A fake org and apps: the user found, their risk at `risk`, every other request answered `status`. */
function context(
  risk: string,
  status: number,
  seen: string[],
): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const timeline = new Timeline({ services: new Map() });
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    seen.push(`${init?.method ?? 'GET'} ${url}`);
    if (url.endsWith('/risk')) return Response.json({ riskLevel: risk });
    if (url.includes('/api/v1/users/')) return Response.json({ id: '00u1' });
    if (url.includes('/api/v1/logs')) return Response.json([]);
    return new Response('{}', { status });
  };
  return {
    fetch: timeline.recording(fake as typeof fetch, 'harness'),
    serve: async (_name: string, _app: FastifyInstance) => ({ url: 'http://x', detach: async () => {} }),
    timeline,
    now: () => Date.now(),
    sleep: async () => {},
    signal: new AbortController().signal,
  };
}

const run = (risk: string, status: number, seen: string[], dryRun = false) =>
  runPlans([{ plan: integrationPlan, options: OPTIONS }], {
    target: { name: 'fake', kind: 'file' },
    toolVersion: '0',
    dryRun,
    context: context(risk, status, seen),
  });

test('a user already at HIGH is skipped with the reason, and nothing is raised', async () => {
  const seen: string[] = [];
  const module = (await run('HIGH', 200, seen)).plans[0]?.modules[0];
  expect(module?.skipped).toMatch(/already at HIGH risk/);
  expect(seen.some((s) => s.includes('_lab/threats'))).toBe(false);
});

test('a dry run says what it would raise and raises nothing', async () => {
  const seen: string[] = [];
  const module = (await run('LOW', 200, seen, true)).plans[0]?.modules[0];
  expect(module?.skipped).toMatch(/^dry run/);
  expect(seen.some((s) => s.includes('_lab/threats'))).toBe(false);
});

test('a trigger that fails is an error, and nothing is left to resolve', async () => {
  const seen: string[] = [];
  const module = (await run('LOW', 500, seen)).plans[0]?.modules[0];
  expect(module?.error).toBe('the trigger answered HTTP 500; it must answer 2xx');
  expect(module?.cleanup).toEqual([]);
});

/**
 * A fake org whose policy acts and logs Universal Logout, but neither resets the user's risk (no
 * user.risk.change, the API stays HIGH) nor clears the named Okta session; on a virtual clock.
 */
function orgThatStopsAtLogout(seen: string[]): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const timeline = new Timeline({ services: new Map() });
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  let triggered = false;
  const at = (ms: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms).toISOString();
  const log = (
    eventType: string,
    ms: number,
    debugData: Record<string, unknown>,
    targets: unknown[] = [],
  ) => ({
    eventType,
    published: at(ms),
    outcome: { result: 'SUCCESS' },
    target: [{ type: 'User', id: '00u1' }, ...targets],
    debugContext: { debugData: { TraceId: 't1', ...debugData } },
  });
  const chain = [
    log('security.events.provider.receive_event', 100, { issuer: OPTIONS.issuer }),
    log('user.risk.detect', 110, { Risk: '{previousLevel=NONE, level=HIGH}' }),
    log('policy.entity_risk.evaluate', 120, {}),
    log('policy.entity_risk.action', 130, {}, [
      { type: 'PolicyAction', id: 'p', detailEntry: { PolicyAction: 'TERMINATE_ALL_SESSIONS' } },
    ]),
    log('user.session.end', 140, { EndedSessionId: 'another-session' }),
    log('user.authentication.universal_logout', 150, {}),
  ];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    seen.push(`${method} ${url}`);
    if (url.includes('/_lab/threats')) {
      triggered = method === 'POST' || triggered;
      return Response.json({ id: 'th1' }, { status: method === 'POST' ? 201 : 204 });
    }
    if (url.endsWith('/risk')) return Response.json({ riskLevel: triggered ? 'HIGH' : 'NONE' });
    if (url.includes('/api/v1/sessions/')) return Response.json({ id: 'live', status: 'ACTIVE' });
    if (url.includes('/api/v1/users/')) return Response.json({ id: '00u1' });
    if (url.includes('/api/v1/logs')) return Response.json(triggered ? chain : []);
    // The apps: signed in before, logged out after.
    return new Response('{}', { status: triggered ? 401 : 200 });
  };
  return {
    fetch: timeline.recording(fake as typeof fetch, 'harness'),
    serve: async (_name: string, _app: FastifyInstance) => ({ url: 'http://x', detach: async () => {} }),
    timeline,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    signal: new AbortController().signal,
  };
}

test('an org that stops at Universal Logout costs settleMs, not waitMs, and fails the reset and the clearing', async () => {
  const seen: string[] = [];
  const record = await runPlans([{ plan: integrationPlan, options: OPTIONS }], {
    target: { name: 'fake', kind: 'file' },
    toolVersion: '0',
    context: orgThatStopsAtLogout(seen),
  });
  const checks = new Map(record.plans[0]?.modules[0]?.checks.map((c) => [c.id, c]) ?? []);
  const failed = [...checks.values()].filter((c) => c.status === 'failed').map((c) => c.id);
  expect(failed).toEqual([
    'integration-okta-sessions-all-cleared',
    'integration-risk-change-logged',
    'integration-user-risk-reset',
  ]);
  expect(checks.get('integration-okta-sessions-all-cleared')?.findings.map((f) => f.message)).toEqual([
    'Okta session 1 of 1 is still live after the policy acted (the Sessions API answered HTTP 200)',
    'no user.session.end of the chain names Okta session 1 of 1',
  ]);
  // The session's id is a credential: no finding carries it.
  expect(JSON.stringify(record.plans[0]?.modules[0]?.checks)).not.toContain('102sessionOnTheMac');
  // Universal Logout was seen on the first read; the log was then read until settleMs (1 s) had passed.
  const reads = seen.filter((s) => s.includes('/api/v1/logs')).length;
  expect(reads).toBeGreaterThan(2);
  expect(reads).toBeLessThan(8);
  expect(seen.filter((s) => s.includes('/api/v1/sessions/'))).toEqual([
    'GET https://acme.okta.lab/api/v1/sessions/102sessionOnTheMac',
    'GET https://acme.okta.lab/api/v1/sessions/102sessionOnTheMac',
  ]);
});
