/**
 * The route contract of mock Jamf Security Cloud (its Radar and platform APIs, its `/_lab/` controls and
 * the SSF transmitter routes it serves): every route declares its schemas, every route is exercised — once
 * with a request that succeeds, and on its main error paths — and every answer matches the schema declared
 * for its status. The routes are read from the app itself, so a route added without an exercise here fails
 * `unanswered`. JSC runs over mock Jamf Pro (UEM Connect needs one), which is why this lives in the lab.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { buildJscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { EVENT_URIS, generateSigningKey } from '../protocol/index.ts';
import { declaredRoutes } from '../ssf/index.ts';
import { watchRoutes } from '../ssf/route-contract.testing.ts';
import { type JscOverJamfPro, jscOverJamfPro } from './jsc-over-jamf-pro.testing.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let lab: JscOverJamfPro;
/** The Okta org's discovery document: all "Test and Save" reads of an identity provider. */
const ORG = 'https://acme.okta.lab';
let okta: FastifyInstance;
beforeAll(async () => {
  lab = await jscOverJamfPro({ seed: 11, devices: 4 }, 'route-contract');
  okta = Fastify();
  okta.get('/.well-known/openid-configuration', async () => ({
    issuer: ORG,
    authorization_endpoint: `${ORG}/oauth2/v1/authorize`,
    token_endpoint: `${ORG}/oauth2/v1/token`,
    jwks_uri: `${ORG}/oauth2/v1/keys`,
  }));
  lab.routes.set(ORG, okta);
});
afterAll(async () => {
  await lab.close();
  await okta.close();
});

const inject = (
  method: Method,
  url: string,
  body?: unknown,
  authorization?: string,
): Promise<LightMyRequestResponse> =>
  lab.jsc.app.inject({
    method,
    url,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

test('every JSC route is declared, exercised, succeeds once and answers as declared', async () => {
  const ledger = watchRoutes(lab.jsc.app);
  const statuses: number[] = [];
  const expectStatus = async (
    status: number,
    method: Method,
    url: string,
    body?: unknown,
    authorization?: string,
  ): Promise<LightMyRequestResponse> => {
    const r = await inject(method, url, body, authorization);
    statuses.push(r.statusCode);
    expect([method, url, r.statusCode], r.body).toEqual([method, url, status]);
    return r;
  };

  // ---- Radar login and the Risk API ----
  await expectStatus(401, 'POST', '/v1/login', undefined, 'Basic bm9ib2R5Om5vcGU=');
  const login = await expectStatus(
    200,
    'POST',
    '/v1/login',
    undefined,
    `Basic ${Buffer.from('a:b').toString('base64')}`,
  );
  const radar = `Bearer ${login.json().token as string}`;
  const api = (status: number, method: Method, url: string, body?: unknown) =>
    expectStatus(status, method, url, body, radar);
  await expectStatus(401, 'GET', '/risk/v1/devices?pageSize=500');
  const v1 = await api(200, 'GET', '/risk/v1/devices?page=0&pageSize=10');
  await api(400, 'GET', '/risk/v1/devices?pageSize=101');
  await api(200, 'GET', '/risk/v2/devices?pageSize=10');
  await api(400, 'GET', '/risk/v2/devices?page=-1');
  const device = v1.json().records[0] as { deviceId: string; externalId: string };
  await api(204, 'PUT', '/risk/v1/override', {
    risk: 'HIGH',
    source: 'MANUAL',
    deviceIds: [device.deviceId],
  });
  await api(204, 'PUT', '/risk/v1/override', {
    risk: 'SECURE',
    source: 'WANDERA',
    deviceIds: [device.deviceId],
  });
  await api(400, 'PUT', '/risk/v1/override', { risk: 'SEVERE', source: 'MANUAL', deviceIds: [] });
  await api(404, 'PUT', '/risk/v1/override', {
    risk: 'LOW',
    source: 'MANUAL',
    deviceIds: ['no-such-device'],
  });

  // ---- Threat prevention policy ----
  const policy = (await api(200, 'GET', '/threat-prevention/v1/policy')).json();
  await api(200, 'PUT', '/threat-prevention/v1/policy', policy);
  await api(400, 'PUT', '/threat-prevention/v1/policy', { categories: { Malware: { severity: 'SEVERE' } } });

  // ---- UEM Connect: the connector made at set-up is replaced, so creating one is exercised too ----
  const [existing] = (await api(200, 'GET', '/uem-connect/v1/connectors')).json() as { id: string }[];
  await api(204, 'DELETE', `/uem-connect/v1/connectors/${existing?.id}`);
  await api(404, 'GET', `/uem-connect/v1/connectors/${existing?.id}`);
  const client = jamfProOf(lab.jamfPro).credentials.clients[0];
  const connectorBody = {
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
  };
  await api(400, 'POST', '/uem-connect/v1/connectors', { ...connectorBody, vendor: 'INTUNE' });
  const connector = (await api(201, 'POST', '/uem-connect/v1/connectors', connectorBody)).json() as {
    id: string;
  };
  await api(409, 'POST', '/uem-connect/v1/connectors', connectorBody);
  await api(200, 'GET', `/uem-connect/v1/connectors/${connector.id}`);
  await api(200, 'POST', `/uem-connect/v1/connectors/${connector.id}/sync`);

  // ---- Identity providers and activation profiles ----
  await api(201, 'POST', '/v1/identity-providers', {
    type: 'OKTA',
    domain: 'acme.okta.lab',
    clientId: '0oa-jamf-trust',
  });
  await api(400, 'POST', '/v1/identity-providers', { type: 'AZURE', domain: 'x', clientId: 'y' });
  await api(200, 'GET', '/v1/identity-providers');
  const profile = (
    await api(201, 'POST', '/v1/activation-profiles', {
      name: 'Corporate devices',
      platforms: ['MAC_OS', 'IOS'],
      capabilities: { networkSecurity: true },
    })
  ).json() as { id: string };
  await api(400, 'POST', '/v1/activation-profiles', { platforms: ['WINDOWS'] });
  await api(200, 'GET', '/v1/activation-profiles');
  await api(200, 'GET', `/v1/activation-profiles/${profile.id}`);
  await api(404, 'GET', '/v1/activation-profiles/no-such-profile');
  await api(201, 'POST', `/uem-connect/v1/connectors/${connector.id}/deployments`, {
    activationProfileId: profile.id,
    uemGroups: [],
  });
  await api(400, 'POST', `/uem-connect/v1/connectors/${connector.id}/deployments`, { uemGroups: [1] });

  // ---- Lab: activation, threats, the SSF admin side ----
  await expectStatus(200, 'POST', `/_lab/devices/${device.deviceId}/activate`, {
    activationProfileId: profile.id,
    user: 'pat@acme.example',
  });
  await expectStatus(400, 'POST', `/_lab/devices/${device.deviceId}/activate`, {});
  await expectStatus(200, 'POST', '/_lab/devices/activate', { activationProfileId: profile.id });
  await expectStatus(400, 'POST', '/_lab/devices/activate', {
    activationProfileId: profile.id,
    devices: [''],
  });
  const stream = (
    await api(201, 'POST', '/sse/v1/stream', {
      audience: 'https://rx.example',
      endpointUrl: 'https://rx.example/events',
    })
  ).json() as { streamId: string };
  await api(400, 'POST', '/sse/v1/stream', { audience: 'https://rx.example', endpointUrl: 'not a url' });
  await api(200, 'GET', '/sse/v1/stream');
  const aboutDevice = { subject: { format: 'opaque', id: device.deviceId } };
  await api(204, 'POST', `/sse/v1/stream/${stream.streamId}/subjects/add`, aboutDevice);
  await api(204, 'POST', `/sse/v1/stream/${stream.streamId}/subjects/remove`, aboutDevice);
  await api(400, 'POST', `/sse/v1/stream/${stream.streamId}/subjects/add`, {});
  await expectStatus(200, 'GET', '/_lab/ssf-default-subjects');
  await expectStatus(200, 'PUT', '/_lab/ssf-default-subjects', { defaultSubjects: 'ALL' });
  await expectStatus(400, 'PUT', '/_lab/ssf-default-subjects', { defaultSubjects: 'SOME' });
  const threat = (
    await expectStatus(201, 'POST', '/_lab/threats', { device: device.externalId, category: 'Malware' })
  ).json() as { id: string };
  await expectStatus(400, 'POST', '/_lab/threats', { device: device.externalId });
  await expectStatus(404, 'POST', '/_lab/threats', { device: 'no-such-device', category: 'Malware' });
  await expectStatus(204, 'DELETE', `/_lab/threats/${threat.id}`);
  await expectStatus(404, 'DELETE', `/_lab/threats/${threat.id}`);
  await api(204, 'DELETE', `/sse/v1/stream?streamId=${stream.streamId}`);
  await api(400, 'DELETE', '/sse/v1/stream');
  await api(200, 'GET', '/sse/.well-known');
  await api(200, 'GET', '/sse/v1/jwks.json');

  // ---- The SSF transmitter, as a receiver of its own drives it ----
  const receiver = (
    await expectStatus(201, 'POST', '/_lab/ssf-receivers', { audience: 'https://own.example' })
  ).json();
  await expectStatus(400, 'POST', '/_lab/ssf-receivers', { audience: 'x', inactivityTimeoutSeconds: 0 });
  const ssf = (status: number, method: Method, url: string, body?: unknown) =>
    expectStatus(status, method, url, body, `Bearer ${receiver.token as string}`);
  const p = lab.jsc.transmitter.paths;
  await expectStatus(200, 'GET', p.metadata);
  await expectStatus(200, 'GET', p.jwks);
  await expectStatus(401, 'POST', p.streams, { delivery: { method: 'urn:ietf:rfc:8936' } });
  const own = (
    await ssf(201, 'POST', p.streams, {
      delivery: { method: 'urn:ietf:rfc:8936' },
      events_requested: [EVENT_URIS.riskLevelChange],
    })
  ).json() as { stream_id: string };
  await ssf(400, 'POST', p.streams, { delivery: { method: 7 } });
  const id = own.stream_id;
  await ssf(200, 'GET', p.streams);
  await ssf(200, 'GET', `${p.streams}?stream_id=${id}`);
  await ssf(404, 'GET', `${p.streams}?stream_id=no-such-stream`);
  await ssf(200, 'PATCH', p.streams, { stream_id: id, description: 'patched' });
  await ssf(200, 'PUT', p.streams, { stream_id: id, delivery: { method: 'urn:ietf:rfc:8936' } });
  await ssf(200, 'GET', `${p.status}?stream_id=${id}`);
  await ssf(200, 'POST', p.status, { stream_id: id, status: 'enabled' });
  await ssf(400, 'POST', p.status, { stream_id: id, status: 'asleep' });
  const subject = { stream_id: id, subject: { format: 'opaque', id: device.deviceId } };
  await ssf(200, 'POST', p.addSubject, subject);
  await ssf(204, 'POST', p.removeSubject, subject);
  await ssf(204, 'POST', p.verify, { stream_id: id, state: 'contract' });
  await ssf(200, 'POST', `${p.poll}/${id}`, { maxEvents: 10, returnImmediately: true });
  await ssf(400, 'POST', `${p.poll}/${id}`, { maxEvents: -1, returnImmediately: true });
  await expectStatus(200, 'PUT', `/_lab/ssf-streams/${id}/status`, { status: 'paused', reason: 'contract' });
  await expectStatus(200, 'PUT', `/_lab/ssf-streams/${id}/status`, { status: 'enabled' });
  await expectStatus(400, 'PUT', `/_lab/ssf-streams/${id}/status`, { status: 'asleep' });
  await expectStatus(404, 'PUT', '/_lab/ssf-streams/no-such-stream/status', { status: 'paused' });
  await ssf(204, 'DELETE', `${p.streams}?stream_id=${id}`);

  // ---- Lab views, idleness, reset ----
  await expectStatus(204, 'GET', '/_lab/idle?timeoutMs=5000');
  await expectStatus(400, 'GET', '/_lab/idle?timeoutMs=soon');
  await expectStatus(200, 'GET', '/_lab/state');
  await expectStatus(200, 'GET', '/_lab/sets?limit=5');
  await expectStatus(400, 'GET', '/_lab/sets?state=lost');
  await api(204, 'DELETE', `/uem-connect/v1/connectors/${connector.id}`);
  await expectStatus(204, 'POST', '/_lab/reset');
  ledger.stop();

  // The transmitter plugin's routes are the app's too (49 in all with JSC's own), so they are checked here.
  expect(declaredRoutes(lab.jsc.app).map((r) => `${r.method} ${r.url}`)).toEqual(
    expect.arrayContaining([`POST ${p.poll}/:streamId`, `GET ${p.metadata}`, `POST ${p.verify}`]),
  );
  expect(declaredRoutes(lab.jsc.app).length).toBeGreaterThanOrEqual(49);
  expect(ledger.undeclared()).toEqual([]);
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual([]);
  expect(ledger.violations()).toEqual([]);
  expect(statuses.some((s) => s >= 500)).toBe(false);
});

test("a request the schema refuses is JSC's 400 naming the field, after authentication", async () => {
  const login = await inject(
    'POST',
    '/v1/login',
    undefined,
    `Basic ${Buffer.from('a:b').toString('base64')}`,
  );
  const radar = `Bearer ${login.json().token as string}`;
  // Unauthenticated: 401, however wrong the body is.
  const anonymous = await inject('POST', '/v1/identity-providers', { type: 7 });
  expect(anonymous.statusCode).toBe(401);
  const refused = await inject('POST', '/v1/identity-providers', { type: 'OKTA', domain: '' }, radar);
  expect(refused.statusCode).toBe(400);
  expect(Object.keys(refused.json()).sort()).toEqual(['error', 'logref', 'message', 'statusCode']);
  expect(refused.json()).toMatchObject({ statusCode: 400, error: 'INVALID_REQUEST' });
  expect(refused.json().message).toMatch(/"clientId" is required/);
  expect(refused.json().message).toMatch(/"domain" must NOT have fewer than 1 characters/);
  // A documented code survives: MAX_LIMIT_PER_PAGE for a page too large.
  const page = await inject('GET', '/risk/v1/devices?pageSize=500', undefined, radar);
  expect(page.json()).toMatchObject({ error: 'MAX_LIMIT_PER_PAGE', message: 'pageSize can be at most 100' });
});

test('the contract check fails when an answer breaks what its route declares', async () => {
  // The transmitter-create-answers-stream-id-only deviation: a new stream answered with its id alone,
  // which is not the stream configuration the route declares for 201 — the check must say so.
  const deviant = await buildJscMock({
    signingKey: (await generateSigningKey('ES256')).key,
    deviations: { on: (name) => name === 'transmitter-create-answers-stream-id-only' },
  });
  try {
    const ledger = watchRoutes(deviant.app);
    const made = await deviant.app.inject({
      method: 'POST',
      url: '/_lab/ssf-receivers',
      payload: { audience: 'https://deviant.example' },
    });
    const created = await deviant.app.inject({
      method: 'POST',
      url: deviant.transmitter.paths.streams,
      headers: { authorization: `Bearer ${made.json().token as string}` },
      payload: { delivery: { method: 'urn:ietf:rfc:8936' } },
    });
    expect(created.statusCode).toBe(201);
    expect(Object.keys(created.json())).toEqual(['stream_id']);
    expect(ledger.violations()).toEqual([
      expect.stringMatching(/^POST \/sse\/[^ ]+\/streams 201: \(root\) must have required property 'iss'/),
      expect.stringMatching(/required property 'aud'/),
      expect.stringMatching(/required property 'events_delivered'/),
      expect.stringMatching(/required property 'delivery'/),
    ]);
  } finally {
    await deviant.close();
  }
});
