/**
 * The route contract of the lab-wide controls (lab-controls.ts): every control declares its schemas, is
 * exercised once with a request that succeeds and on its main error paths, and every answer matches the
 * schema declared for its status. The controls are built on their own (no services), so this is fast; the
 * routes are read from the app, so a control added without an exercise here fails `unanswered`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { Deviations } from '../kernel/index.ts';
import { Timeline } from '../records/index.ts';
import { watchRoutes } from '../ssf/route-contract.testing.ts';
import { LAB_DEVIATIONS } from './deviations.ts';
import { Faults } from './faults.ts';
import { buildLabControls } from './lab-controls.ts';

const OKTA = 'https://acme.okta.lab';
let controls: FastifyInstance | undefined;
afterEach(async () => {
  await controls?.close();
  controls = undefined;
});

async function build(record?: () => unknown): Promise<FastifyInstance> {
  const timeline = new Timeline({ services: new Map([[OKTA, 'okta']]), now: () => 0 });
  timeline.record({
    from: 'jamf-security-cloud',
    to: 'okta',
    method: 'GET',
    url: `${OKTA}/.well-known/openid-configuration`,
    requestHeaders: {},
    status: 200,
    durationMs: 1,
  });
  controls = await buildLabControls({
    faults: new Faults(new Map([['okta', OKTA]])),
    timeline,
    deviations: new Deviations(LAB_DEVIATIONS),
    ...(record === undefined ? {} : { record: () => async () => record() }),
  });
  return controls;
}

const call = (
  app: FastifyInstance,
  method: 'GET' | 'PUT' | 'DELETE',
  url: string,
  payload?: string,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
  });

test('every lab control is declared, exercised, succeeds once and answers as declared', async () => {
  const app = await build(() => ({ kind: 'run-record', findings: [] }));
  const ledger = watchRoutes(app);
  const deviation = Object.keys(LAB_DEVIATIONS)[0] ?? '';
  const expected: [string, string, string | undefined, number][] = [
    ['GET', '/_lab/faults', undefined, 200],
    ['PUT', '/_lab/faults/okta', '{"path":"/security/","status":503,"retryAfterSeconds":2}', 200],
    ['PUT', '/_lab/faults/okta', undefined, 200],
    ['PUT', '/_lab/faults/okta', '{"status":200}', 400],
    ['PUT', '/_lab/faults/nowhere', '{}', 404],
    ['DELETE', '/_lab/faults/okta', undefined, 204],
    ['DELETE', '/_lab/faults/nowhere', undefined, 404],
    ['GET', '/_lab/deviations', undefined, 200],
    ['PUT', `/_lab/deviations/${deviation}`, undefined, 200],
    ['PUT', '/_lab/deviations/no-such-rule', undefined, 404],
    ['DELETE', `/_lab/deviations/${deviation}`, undefined, 200],
    ['DELETE', '/_lab/deviations/no-such-rule', undefined, 404],
    ['GET', '/_lab/timeline?cursor=0&limit=10', undefined, 200],
    ['GET', '/_lab/timeline?cursor=-1', undefined, 400],
    ['GET', '/_lab/record', undefined, 200],
  ];
  for (const [method, url, body, status] of expected) {
    const answer = await call(app, method as 'GET', url, body);
    expect([method, url, answer.statusCode], answer.body).toEqual([method, url, status]);
  }
  ledger.stop();
  expect(ledger.undeclared()).toEqual([]);
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual([]);
  expect(ledger.violations()).toEqual([]);
});

test("a lab without a run record answers 404 in the controls' error shape, and that conforms", async () => {
  const app = await build();
  const ledger = watchRoutes(app);
  const answer = await call(app, 'GET', '/_lab/record');
  expect(answer.statusCode).toBe(404);
  expect(Object.keys(answer.json())).toEqual(['error']);
  expect(ledger.violations()).toEqual([]);
});

test('the contract check fails when an answer breaks its declared schema', async () => {
  // A run record that is no JSON object (a maker gone wrong) breaks the record route's declared 200.
  const app = await build(() => ['not', 'a', 'record']);
  const ledger = watchRoutes(app);
  expect((await call(app, 'GET', '/_lab/record')).statusCode).toBe(200);
  expect(ledger.violations()).toEqual(['GET /_lab/record 200: (root) must be object']);
});
