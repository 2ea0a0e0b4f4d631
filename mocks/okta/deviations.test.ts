/**
 * Mock Okta's deviations through HTTP: the switch the lab owns acts on the next SET, also in a receiver
 * whose intake was built before the deviation was switched on, and off again the receiver is itself.
 * docs/self-test.md shows every deviation failing its plan's checks end to end; this pins the plumbing.
 * Also the lab control that signs a user in (`POST /_lab/sessions`), which lets a lab run a plan that ends
 * the user's sessions more than once.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Deviations } from '../../harness/kernel/index.ts';
import { generateSigningKey, publicJwks, type SigningKey, signSet } from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { adminUrlOf, OKTA_DEVIATIONS } from './deviations.ts';
import { buildOktaMock, type OktaMock } from './index.ts';
import { api } from './okta.testing.ts';

const ORG = 'https://acme.okta.lab';
const ISS = 'https://edr.lab';
const DRC = 'https://schemas.okta.com/secevent/okta/event-type/device-risk-change';

const deviations = new Deviations(OKTA_DEVIATIONS);
let okta: OktaMock;
let key: SigningKey;
let login: string;
let jti = 0;

beforeAll(async () => {
  key = (await generateSigningKey('ES256', { kid: 'edr-1' })).key;
  const edr = Fastify();
  edr.get('/keys', async () => publicJwks(key));
  okta = await buildOktaMock({
    orgUrl: ORG,
    fleet: { devices: 4 },
    fetch: createInjectFetch(new Map([[ISS, edr]])),
    deviations,
  });
  const created = await api(okta, 'POST', '/api/v1/security-events-providers', {
    name: 'EDR',
    type: 'okta',
    settings: { issuer: ISS, jwks_url: `${ISS}/keys` },
  });
  expect(created.statusCode, created.body).toBe(200);
  login = (await api(okta, 'GET', '/api/v1/users')).json()[0].profile.login;
});
afterAll(async () => {
  await okta?.close();
});

async function push(extra: Record<string, unknown> = {}) {
  jti += 1;
  const claims = {
    iss: ISS,
    jti: `deviation-test-${jti}`,
    iat: Math.floor(Date.now() / 1000),
    aud: ORG,
    events: {
      [DRC]: {
        subject: { user: { format: 'email', email: login }, device: { format: 'opaque', id: 'device-1' } },
        current_level: 'low',
        previous_level: 'low',
        event_timestamp: Math.floor(Date.now() / 1000),
      },
    },
    ...extra,
  };
  return okta.app.inject({
    method: 'POST',
    url: '/security/api/v1/security-events',
    headers: { 'content-type': 'application/secevent+jwt' },
    payload: await signSet(claims, key),
  });
}

test('a deviation switched on acts on the next SET, and switched off the receiver is itself again', async () => {
  expect((await push()).statusCode).toBe(202);
  deviations.enable('okta-answers-200');
  try {
    const answer = await push();
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe('');
  } finally {
    deviations.disable('okta-answers-200');
  }
  expect((await push()).statusCode).toBe(202);
});

test('okta-accepts-oversized lifts the size limit of an intake built before it was switched on', async () => {
  const padding = { ssf_lab_padding: 'x'.repeat(70 * 1024) };
  const refused = await push(padding);
  expect(refused.statusCode).toBe(400);
  expect(refused.json().description).toContain('token-size-is-within-limit');
  deviations.enable('okta-accepts-oversized');
  try {
    expect((await push(padding)).statusCode).toBe(202);
  } finally {
    deviations.disable('okta-accepts-oversized');
  }
  expect((await push(padding)).statusCode).toBe(400);
});

test('okta-error-without-content-language drops only the header: the error body is still JSON', async () => {
  deviations.enable('okta-error-without-content-language');
  try {
    const answer = await push({ aud: 'https://elsewhere.example' });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-language']).toBeUndefined();
    expect(answer.json()).toMatchObject({ err: 'invalid_audience' });
  } finally {
    deviations.disable('okta-error-without-content-language');
  }
  expect((await push({ aud: 'https://elsewhere.example' })).headers['content-language']).toBe('en');
});

/** A raw push: any body, any Content-Type. */
function pushRaw(payload: string, contentType = 'application/secevent+jwt') {
  return okta.app.inject({
    method: 'POST',
    url: '/security/api/v1/security-events',
    headers: { 'content-type': contentType },
    payload,
  });
}

test('okta-skips-claim-checks takes a SET without "jti" (as new each time) and one without "iss"', async () => {
  expect((await push({ jti: undefined })).statusCode).toBe(400);
  deviations.enable('okta-skips-claim-checks');
  try {
    expect((await push({ jti: undefined })).statusCode).toBe(202);
    expect((await push({ jti: undefined })).statusCode).toBe(202);
    expect((await push({ iss: undefined })).statusCode).toBe(202);
    // Only the claims rules are off: a wrong audience is still refused.
    expect((await push({ aud: 'https://elsewhere.example' })).statusCode).toBe(400);
  } finally {
    deviations.disable('okta-skips-claim-checks');
  }
  expect((await push({ iss: undefined })).statusCode).toBe(400);
});

test('okta-accepts-unparseable answers 202 to a body that is no SET, and nothing else changes', async () => {
  deviations.enable('okta-accepts-unparseable');
  try {
    expect((await pushRaw('not.a-set')).statusCode).toBe(202);
    expect((await push({ aud: 'https://elsewhere.example' })).statusCode).toBe(400);
  } finally {
    deviations.disable('okta-accepts-unparseable');
  }
  expect((await pushRaw('not.a-set')).statusCode).toBe(400);
});

test('okta-ignores-content-type reads a SET labelled application/json as a SET', async () => {
  const set = await signSet(
    { iss: ISS, jti: 'deviation-test-json', iat: Math.floor(Date.now() / 1000), aud: ORG, events: {} },
    key,
  );
  expect((await pushRaw(set, 'application/json')).statusCode).toBe(400);
  deviations.enable('okta-ignores-content-type');
  try {
    // Read as a SET, and refused as one: its "events" is empty.
    const answer = await pushRaw(set, 'application/json');
    expect(answer.statusCode).toBe(400);
    expect(answer.json().description).toContain('events-is-non-empty-object');
  } finally {
    deviations.disable('okta-ignores-content-type');
  }
});

test('okta-answers-one-error-code names invalid_request where the fault is the audience', async () => {
  deviations.enable('okta-answers-one-error-code');
  try {
    const answer = await push({ aud: 'https://elsewhere.example' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ err: 'invalid_request' });
    expect(answer.json().description).toContain('aud-includes-expected-audience');
  } finally {
    deviations.disable('okta-answers-one-error-code');
  }
  expect((await push({ aud: 'https://elsewhere.example' })).json()).toMatchObject({
    err: 'invalid_audience',
  });
});

test("the admin URL okta-expects-admin-audience compares against is the org's -admin host", () => {
  expect(adminUrlOf('https://acme.okta.lab')).toBe('https://acme-admin.okta.lab');
  // On loopback it is no address anyone serves, only a string that is not the org URL.
  expect(adminUrlOf('http://127.0.0.1:8080')).toBe('http://127-admin.0.0.1:8080');
  expect(adminUrlOf('http://localhost:8080')).toBe('http://localhost-admin:8080');
});

test('POST /_lab/sessions signs a user in: a live Okta session, logged as user.session.start', async () => {
  const created = await okta.app.inject({ method: 'POST', url: '/_lab/sessions', payload: { login } });
  expect(created.statusCode, created.body).toBe(201);
  const session = created.json();
  expect(session).toMatchObject({ login, userId: expect.any(String) });
  const live = (await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json() as { id: string }[];
  expect(live.map((s) => s.id)).toContain(session.id);
  const logged = await api(
    okta,
    'GET',
    `/api/v1/logs?filter=${encodeURIComponent('eventType eq "user.session.start"')}`,
  );
  expect(logged.json().some((e: { actor: { alternateId: string } }) => e.actor.alternateId === login)).toBe(
    true,
  );
});

test('POST /_lab/sessions refuses an unknown login (404) and a body without one (400)', async () => {
  const unknown = await okta.app.inject({
    method: 'POST',
    url: '/_lab/sessions',
    payload: { login: 'nobody@nowhere.example' },
  });
  expect(unknown.statusCode).toBe(404);
  expect((await okta.app.inject({ method: 'POST', url: '/_lab/sessions', payload: {} })).statusCode).toBe(
    400,
  );
});
