/**
 * The plan's shape and its guards, over a fake org: the options schema takes what the lab builder passes,
 * the resolve request is filled from the trigger's answer, and the module raises nothing when the user is
 * already at HIGH, in a dry run, or when the trigger fails. The flow itself runs against the lab in
 * harness/runner/certify-integration.test.ts.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect, test } from 'vitest';
import { Timeline } from '../../harness/protocol/index.ts';
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
  waitMs: 15000,
  settleMs: 1000,
  latencyBoundMs: 5000,
};

test('the options schema takes the lab options and refuses a bad app or trigger', () => {
  const ajv = new Ajv2020({ strict: false });
  (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const validate = ajv.compile(integrationPlan.optionsSchema);
  expect(validate(OPTIONS), JSON.stringify(validate.errors)).toBe(true);
  expect(
    validate({ ...OPTIONS, apps: [{ name: 'x', expect: 'some', sessionProbe: { url: 'https://x' } }] }),
  ).toBe(false);
  expect(validate({ ...OPTIONS, trigger: { url: 'https://jsc.lab/_lab/threats' } })).toBe(false);
  expect(validate({ ...OPTIONS, okta: { url: 'https://acme.okta.lab' } })).toBe(false);
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
