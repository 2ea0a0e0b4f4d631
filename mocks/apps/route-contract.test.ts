/**
 * The route contract of the app mocks: every route declares its schemas, every route is exercised (each
 * once with a request that succeeds, the main error paths too), and every answer matches the schema
 * declared for its status. The routes are read from the app itself, so a route added without an exercise
 * here fails `unanswered`. A last test shows the ledger does catch an answer that breaks its schema.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GTR_REQUEST_SCHEMA_ID, validateWithSchema } from '../../harness/protocol/index.ts';
import { watchRoutes } from '../../harness/ssf/route-contract.testing.ts';
import { type Lab, lab } from './apps.testing.ts';
import { parseGtrBody } from './gtr-request.ts';

/**
 * Routes that cannot answer 2xx by design: the GTR endpoint takes only POST; every other method is its 405.
 */
const CANNOT_SUCCEED = [
  'GET /oauth/global-token-revocation',
  'DELETE /oauth/global-token-revocation',
  'PUT /oauth/global-token-revocation',
  'PATCH /oauth/global-token-revocation',
];

let l: Lab;
beforeAll(async () => {
  l = await lab({ kind: 'salesforce', fleet: { seed: 5, devices: 3 } });
});
afterAll(() => l.close());

const inject = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> =>
  l.mock.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

test('every app route is declared, exercised, succeeds once and answers as declared', async () => {
  const ledger = watchRoutes(l.mock.app);
  const [email = '', other = ''] = await l.emails();
  const statuses: number[] = [];
  const expectStatus = async (answer: Promise<LightMyRequestResponse>, status: number) => {
    const r = await answer;
    statuses.push(r.statusCode);
    expect(r.statusCode, r.body).toBe(status);
    return r;
  };

  // Lab controls: sign-in, one and many; the views.
  const one = (
    await expectStatus(inject('POST', '/_lab/sessions', { email, oktaUserId: '00u1' }), 201)
  ).json();
  await expectStatus(inject('POST', '/_lab/sessions', { sessions: [{ email: other }] }), 201);
  await expectStatus(inject('POST', '/_lab/sessions', { email: '' }), 400);
  await expectStatus(inject('POST', '/_lab/sessions', { email: 'nobody@nowhere.example' }), 404);
  await expectStatus(inject('GET', `/_lab/sessions?email=${encodeURIComponent(email)}`), 200);
  await expectStatus(inject('GET', '/_lab/sessions'), 200);
  await expectStatus(inject('GET', '/_lab/users'), 200);
  await expectStatus(inject('GET', '/_lab/state'), 200);
  await expectStatus(inject('GET', '/_lab/behaviour'), 200);
  await expectStatus(inject('PUT', '/_lab/behaviour', { failWith: 422, emails: ['x@y.example'] }), 200);
  await expectStatus(inject('PUT', '/_lab/behaviour', { failWith: 418 }), 400);
  await expectStatus(inject('PUT', '/_lab/behaviour', { failWith: null }), 200);

  // The app's own surface.
  await expectStatus(l.me({ cookie: one.sessionCookie }), 200);
  await expectStatus(l.me({ accessToken: 'not-issued' }), 401);
  await expectStatus(l.refresh(one.refreshToken), 200);
  await expectStatus(
    inject('POST', '/oauth/token', 'grant_type=password', {
      'content-type': 'application/x-www-form-urlencoded',
    }),
    400,
  );
  await expectStatus(inject('POST', '/oauth/token', { grant_type: 'refresh_token' }), 400);

  // Universal Logout: the draft's 204 and its errors; every other method is 405.
  await expectStatus(l.gtr({ sub_id: { format: 'email', email } }), 204);
  await expectStatus(l.gtr({ sub_id: { format: 'email', email } }, { token: null }), 401);
  await expectStatus(l.gtr({ sub_id: { format: 'phone_number', phone_number: '+1' } }), 400);
  await expectStatus(l.gtr({ subject: { format: 'email', email: 'nobody@nowhere.example' } }), 404);
  for (const method of ['GET', 'DELETE', 'PUT', 'PATCH'] as const)
    await expectStatus(
      inject(method, '/oauth/global-token-revocation', method.startsWith('P') ? {} : undefined),
      405,
    );
  await expectStatus(
    inject('POST', '/logout', undefined, { cookie: (await l.signIn(other)).sessionCookie }),
    204,
  );
  await expectStatus(inject('POST', '/logout'), 401);
  await expectStatus(inject('GET', '/_lab/gtr-requests?since=1'), 200);
  await expectStatus(inject('GET', '/_lab/gtr-requests?since=soon'), 400);

  // Trusted issuers.
  await expectStatus(
    inject('POST', '/_lab/trusted-issuers', {
      issuer: 'https://harness.example',
      jwksUri: 'https://harness.example/jwks',
    }),
    201,
  );
  await expectStatus(inject('POST', '/_lab/trusted-issuers', { issuer: 'https://h.example', keys: [] }), 400);
  await expectStatus(inject('GET', '/_lab/trusted-issuers'), 200);
  await expectStatus(inject('DELETE', '/_lab/trusted-issuers'), 204);
  await expectStatus(inject('POST', '/_lab/reset'), 204);
  ledger.stop();

  expect(ledger.undeclared()).toEqual([]);
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual(CANNOT_SUCCEED);
  expect(ledger.violations()).toEqual([]);
  // The error paths were exercised too, and none was a server error.
  expect(statuses.filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(10);
  expect(statuses.some((s) => s >= 500)).toBe(false);
});

test("a body the schema refuses is the apps' 400 naming the member, and the handler never runs", async () => {
  const before = (await inject('GET', '/_lab/behaviour')).json();
  const bad = await inject('PUT', '/_lab/behaviour', { failWith: 422, emails: [7], extra: true });
  expect(bad.statusCode).toBe(400);
  expect(Object.keys(bad.json()).sort()).toEqual(['error', 'error_description']);
  expect(bad.json().error).toBe('invalid_request');
  expect(bad.json().error_description).toMatch(/unknown member "extra"/);
  expect(bad.json().error_description).toMatch(/"emails\.0"/);
  expect((await inject('GET', '/_lab/behaviour')).json()).toEqual(before);
});

test('the contract check fails when an answer breaks what its route declares', async () => {
  // The app-answers-200 deviation: a done revocation answered 200 with a body, a status the GTR route does
  // not declare (the draft's answer is 204). The same exercise that passes above must now report it.
  const deviant = await lab({
    kind: 'office365',
    fleet: { seed: 5, devices: 1 },
    deviations: { on: (name) => name === 'app-answers-200' },
  });
  try {
    const ledger = watchRoutes(deviant.mock.app);
    const [email = ''] = await deviant.emails();
    expect((await deviant.gtr({ sub_id: { format: 'email', email } })).statusCode).toBe(200);
    expect(ledger.violations()).toEqual([
      'POST /oauth/global-token-revocation 200: the route declares no response schema for status 200',
    ]);
  } finally {
    await deviant.close();
  }
});

test('the GTR route declares the body the endpoint accepts: the schema and the reader agree', () => {
  const email = { format: 'email', email: 'pat@acme.example' };
  const issSub = { format: 'iss_sub', iss: 'https://acme.okta.lab', sub: '00u1' };
  const cases: [unknown, boolean][] = [
    [{ sub_id: email }, true],
    [{ subject: issSub }, true],
    [{ sub_id: email, subject: email }, false],
    [{ sub_id: email, reason: 'x' }, false],
    [{}, false],
    [{ sub_id: { format: 'email' } }, false],
    [{ sub_id: { format: 'phone_number', phone_number: '+1' } }, false],
    [[email], false],
  ];
  for (const [body, accepted] of cases) {
    const declared = validateWithSchema(GTR_REQUEST_SCHEMA_ID, body).valid;
    const format = (Object.values(body as object)[0] as { format?: string } | undefined)?.format;
    const read = parseGtrBody(
      'application/json',
      Buffer.from(JSON.stringify(body)),
      format === 'iss_sub' ? 'iss_sub' : 'email',
    ).ok;
    expect([body, declared, read]).toEqual([body, accepted, accepted]);
  }
});
