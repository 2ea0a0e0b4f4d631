/**
 * The seed's Jamf side, end to end, through HTTP only: mock Jamf Pro and mock Jamf Security Cloud wired
 * with an inject fetch (no sockets), an Okta stand-in for sign-in, and a reference SSF receiver (okta
 * profile) where the Okta org would receive SETs. Set-up in the seed's order, then: a threat raises a Mac
 * to High and exactly one valid SET is pushed; the risk extension attribute and smart group follow in Jamf
 * Pro; resolution lowers the risk with one more event; an override; compliance from a UEM sync.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { buildJamfProMock, jamfProOf } from '../../mocks/jamf-pro/index.ts';
import {
  buildJscMock,
  JAMF_TRUST_REDIRECT_URI,
  type JscMock,
} from '../../mocks/jamf-security-cloud/index.ts';
import { type OktaStub, startOktaStub } from '../../mocks/jamf-security-cloud/okta-stub.testing.ts';
import { generateFleet } from '../fleet/index.ts';
import { EVENT_URIS, generateSigningKey, jwksFromUrl, type SigningKey } from '../protocol/index.ts';
import { createInjectFetch, type ReceivedSet, SetIntake, ssfPushEndpoint } from '../ssf/index.ts';

const FLEET = { seed: 11, devices: 12 };
const ORG = 'https://acme.okta.lab';
const PASSWORD = 'Lab-Password-2026!';

let jamfPro: FastifyInstance;
let jsc: JscMock;
let okta: OktaStub;
let receiverApp: FastifyInstance;
let received: ReceivedSet[];
let intake: SetIntake;
let signingKey: SigningKey;
let radar: string;
let jamfToken: string;
const fleet = generateFleet(FLEET);
const mac = fleet.devices.find((d) => d.kind === 'computer');
if (!mac) throw new Error('the fleet has no Mac');

async function jsc_(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  return jsc.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${radar}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

async function jamf(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  return jamfPro.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${jamfToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  signingKey = (await generateSigningKey('RS256', { kid: 'jsc-seed' })).key;
  jamfPro = await buildJamfProMock({ fleet: FLEET });
  okta = await startOktaStub({
    issuer: ORG,
    redirectUri: JAMF_TRUST_REDIRECT_URI,
    users: { [mac.user.email]: { password: PASSWORD, name: mac.user.displayName } },
  });
  const routes = new Map<string, { inject: FastifyInstance['inject'] }>();
  const fetchVia = createInjectFetch(routes as never);
  jsc = await buildJscMock({
    fleet: FLEET,
    signingKey,
    fetch: fetchVia,
    baseUrl: 'https://jsc.lab',
    apps: [{ appId: 'a', appSecret: 'b' }],
  });
  // The receiver stands where the Okta org receives SETs, judging them by Okta's contract.
  received = [];
  intake = new SetIntake({
    profile: 'okta',
    keys: jwksFromUrl(`${jsc.issuer}/ssf/jwks.json`, { fetch: fetchVia }),
    expectedIssuer: jsc.issuer,
    expectedAudience: ORG,
    onSet: (set) => {
      received.push(set);
    },
  });
  receiverApp = Fastify();
  await receiverApp.register(ssfPushEndpoint, { path: '/security/api/v1/security-events', intake });
  // Okta's sign-in endpoints and its SET receiver share the org's origin.
  await receiverApp.register(async (scope) => {
    // Forms (the token request) pass through as they came.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    scope.all('/*', async (request, reply) => {
      const response = await okta.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: request.headers as Record<string, string>,
        ...(request.body === undefined
          ? {}
          : { payload: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
      });
      return reply.code(response.statusCode).headers(response.headers).send(response.rawPayload);
    });
  });
  await receiverApp.ready();
  routes.set('https://jamf-pro.lab', jamfPro);
  routes.set('https://jsc.lab', jsc.app);
  routes.set(ORG, receiverApp);

  const login = await jsc.app.inject({
    method: 'POST',
    url: '/v1/login',
    headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
  });
  radar = login.json().token;
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const token = await jamfPro.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${client?.clientId}&client_secret=${client?.clientSecret}`,
  });
  jamfToken = token.json().access_token;
});

afterAll(async () => {
  await jsc.close();
  await Promise.all([jamfPro.close(), okta.app.close(), receiverApp.close()]);
});

let riskGroupId = '';
let riskEaId = '';
let profileId = '';

test('1. UEM Connect to Jamf Pro: the live test passes and the first sync joins the fleet by UDID', async () => {
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const bad = await jsc_('POST', '/uem-connect/v1/connectors', {
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: 'wrong' },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error).toBe('UEM_CONNECTION_FAILED');
  const created = await jsc_('POST', '/uem-connect/v1/connectors', {
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
  });
  expect(created.statusCode).toBe(201);
  expect(created.json()).toMatchObject({
    status: 'CONNECTED',
    lastSync: { devices: FLEET.devices, created: FLEET.devices },
  });
  expect(created.json()).not.toHaveProperty('deviceSyncAuth');
  const devices = (await jsc_('GET', '/risk/v1/devices?pageSize=100')).json().records as {
    deviceId: string;
    externalId: string;
  }[];
  expect(devices).toHaveLength(FLEET.devices);
  expect(devices.find((d) => d.externalId === mac.udid)?.deviceId).toBe(mac.jscDeviceId);
});

test('2. the Okta identity provider is connected after OIDC discovery', async () => {
  const response = await jsc_('POST', '/v1/identity-providers', {
    type: 'OKTA',
    domain: 'acme.okta.lab',
    clientId: okta.clientId,
  });
  expect(response.statusCode).toBe(201);
});

test('3. Device Risk UEM Signaling: the extension attribute and a smart group on it exist in Jamf Pro', async () => {
  const ea = await jamf('POST', '/api/v1/computer-extension-attributes', {
    name: 'JSC Risk Level',
    dataType: 'STRING',
    inputType: 'TEXT',
    inventoryDisplayType: 'EXTENSION_ATTRIBUTES',
    enabled: true,
  });
  expect(ea.statusCode).toBe(201);
  riskEaId = ea.json().id;
  const group = await jamf('POST', '/api/v2/computer-groups/smart-groups', {
    name: 'JSC High Risk',
    criteria: [{ name: 'JSC Risk Level', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
  });
  expect(group.statusCode).toBe(201);
  riskGroupId = group.json().id;
  const policy = await jsc_('PUT', '/threat-prevention/v1/policy', {
    categories: { Malware: { severity: 'HIGH', uemTag: 'JSC Malware' }, Phishing: { severity: 'MEDIUM' } },
    uemSignaling: { enabled: true, riskAttribute: 'JSC Risk Level' },
  });
  expect(policy.statusCode).toBe(200);
});

test('4. an activation profile authenticated by the identity provider is deployed through Jamf Pro', async () => {
  const idp = (await jsc_('GET', '/v1/identity-providers')).json()[0];
  const profile = await jsc_('POST', '/v1/activation-profiles', {
    name: 'Corporate devices',
    platforms: ['MAC_OS', 'IOS'],
    capabilities: { networkSecurity: true, threatPrevention: true },
    identityProviderId: idp.id,
  });
  expect(profile.statusCode).toBe(201);
  profileId = profile.json().id;
  const connector = (await jsc_('GET', '/uem-connect/v1/connectors')).json()[0];
  const deployed = await jsc_('POST', `/uem-connect/v1/connectors/${connector.id as string}/deployments`, {
    activationProfileId: profileId,
  });
  expect(deployed.statusCode).toBe(201);
  expect(deployed.json().deployments.map((d: { kind: string }) => d.kind)).toEqual(['computer', 'mobile']);
  const profiles = await jamfPro.inject({
    method: 'GET',
    url: '/JSSResource/osxconfigurationprofiles',
    headers: { authorization: `Bearer ${jamfToken}`, accept: 'application/json' },
  });
  expect(profiles.body).toContain('Jamf Trust – Corporate devices');
});

test('5. the SSF stream to the Okta org, as the seed configures it', async () => {
  const response = await jsc_('POST', '/sse/v1/stream', {
    audience: ORG,
    endpointUrl: `${ORG}/security/api/v1/security-events`,
    events: ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'],
  });
  expect(response.statusCode).toBe(201);
});

test('6. Jamf Trust activation signs the user in through Okta and binds them to the device', async () => {
  const response = await jsc.app.inject({
    method: 'POST',
    url: `/_lab/devices/${mac.serialNumber}/activate`,
    payload: { activationProfileId: profileId, username: mac.user.email, password: PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json().user).toMatchObject({ email: mac.user.email, via: 'identity-provider' });
  expect(okta.seen).toEqual(
    expect.arrayContaining(['/api/v1/authn', '/oauth2/v1/authorize', '/oauth2/v1/token', '/oauth2/v1/keys']),
  );
  const wrong = await jsc.app.inject({
    method: 'POST',
    url: `/_lab/devices/${mac.serialNumber}/activate`,
    payload: { activationProfileId: profileId, username: mac.user.email, password: 'nope' },
  });
  expect(wrong.statusCode).toBe(401);
  expect(wrong.json().error).toBe('IDP_AUTHENTICATION_FAILED');
});

async function membersOf(groupId: string): Promise<number[]> {
  return (await jamf('GET', `/api/v2/computer-groups/smart-group-membership/${groupId}`)).json().members;
}

async function riskValue(): Promise<unknown> {
  const detail = (await jamf('GET', `/api/v1/computers-inventory-detail/${jamfIdOfMac()}`)).json();
  return detail.extensionAttributes.find((e: { definitionId: string }) => e.definitionId === riskEaId)
    ?.values;
}

function jamfIdOfMac(): string {
  return jsc.tenant.device(mac?.udid ?? '').uem?.jamfId ?? '';
}

test('7. a Malware threat raises the Mac to High: one valid SET to Okta, and Jamf Pro follows', async () => {
  const threat = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: mac.udid, category: 'Malware' },
  });
  expect(threat.statusCode).toBe(201);
  expect(threat.json().device.risk).toBe('HIGH');
  await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });
  expect(intake.stats).toMatchObject({ accepted: 1, rejected: 0 });
  const set = received[0];
  expect(set?.header).toMatchObject({ alg: 'RS256', typ: 'secevent+jwt', kid: 'jsc-seed' });
  expect(set?.claims.events).toEqual({
    [EVENT_URIS.oktaDeviceRiskChange]: {
      event_timestamp: expect.any(Number),
      initiating_entity: 'policy',
      reason_admin: { en: 'Device risk Secure → High: Malware detected' },
      previous_level: 'secure',
      current_level: 'high',
      subject: {
        user: { format: 'email', email: mac.user.email },
        device: { format: 'opaque', id: mac.jscDeviceId },
      },
    },
  });
  expect(set?.claims).not.toHaveProperty('sub_id');
  expect(await riskValue()).toEqual(['High']);
  expect(await membersOf(riskGroupId)).toEqual([Number(jamfIdOfMac())]);
  // A second threat of lower severity changes nothing: no event.
  await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: mac.udid, category: 'Phishing' },
  });
  await jsc.tenant.idle();
  expect(jsc.transmitter.ledger.totals().delivered + jsc.transmitter.ledger.totals().queued).toBe(1);
});

test('8. resolving the threats one by one steps the risk down, an event per step, and clears Jamf Pro', async () => {
  // Malware (High) is resolved first, so the open Phishing threat holds the device at Medium.
  for (const t of jsc.tenant.threats().filter((x) => x.resolvedAt === undefined)) {
    expect((await jsc.app.inject({ method: 'DELETE', url: `/_lab/threats/${t.id}` })).statusCode).toBe(204);
  }
  await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: 5000 });
  const levels = received.slice(1).map((set) => {
    const event = (set.claims.events as Record<string, Record<string, unknown>>)[
      EVENT_URIS.oktaDeviceRiskChange
    ];
    return `${String(event?.previous_level)}→${String(event?.current_level)}`;
  });
  expect(levels).toEqual(['high→medium', 'medium→secure']);
  expect(await riskValue()).toEqual([]);
  expect(await membersOf(riskGroupId)).toEqual([]);
});

test('9. a Risk API override pins a level (one event) and WANDERA hands back to the threats (one event)', async () => {
  const start = received.length;
  const pin = await jsc_('PUT', '/risk/v1/override', {
    risk: 'MEDIUM',
    source: 'MANUAL',
    deviceIds: [mac.jscDeviceId],
  });
  expect(pin.statusCode).toBe(204);
  await vi.waitFor(() => expect(received).toHaveLength(start + 1), { timeout: 5000 });
  const pinned = received[start]?.claims.events as Record<string, Record<string, unknown>> | undefined;
  expect(pinned?.[EVENT_URIS.oktaDeviceRiskChange]).toMatchObject({
    current_level: 'medium',
    initiating_entity: 'admin',
  });
  const unknown = await jsc_('PUT', '/risk/v1/override', {
    risk: 'HIGH',
    source: 'MANUAL',
    deviceIds: [mac.jscDeviceId, 'nope'],
  });
  expect(unknown.statusCode).toBe(404);
  expect(jsc.tenant.device(mac.jscDeviceId).risk).toBe('MEDIUM');
  await jsc_('PUT', '/risk/v1/override', { risk: 'SECURE', source: 'WANDERA', deviceIds: [mac.jscDeviceId] });
  await vi.waitFor(() => expect(received).toHaveLength(start + 2), { timeout: 5000 });
  expect(jsc.tenant.device(mac.jscDeviceId).risk).toBe('SECURE');
});

test('10. compliance from Jamf Pro: a device leaving the compliant smart group sends device-compliance-change', async () => {
  // A compliance group (Macs whose Risk EA is not High) — then the Mac is put at High through Jamf Pro.
  const group = await jamf('POST', '/api/v2/computer-groups/smart-groups', {
    name: 'Compliant Macs',
    criteria: [{ name: 'JSC Risk Level', priority: 0, andOr: 'and', searchType: 'is not', value: 'Blocked' }],
  });
  const connectorId = (await jsc_('GET', '/uem-connect/v1/connectors')).json()[0].id as string;
  // Compliance is read on sync; the connector keeps its group id (set here through the tenant's lab view).
  await jsc_('DELETE', `/uem-connect/v1/connectors/${connectorId}`);
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const created = await jsc_('POST', '/uem-connect/v1/connectors', {
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
    complianceGroupId: group.json().id,
  });
  expect(created.statusCode).toBe(201);
  const before = received.length;
  await jamf('PATCH', `/api/v1/computers-inventory-detail/${jamfIdOfMac()}`, {
    extensionAttributes: [{ definitionId: riskEaId, values: ['Blocked'] }],
  });
  const sync = await jsc_('POST', `/uem-connect/v1/connectors/${created.json().id as string}/sync`);
  expect(sync.json()).toMatchObject({ devices: FLEET.devices, created: 0 });
  await vi.waitFor(() => expect(received).toHaveLength(before + 1), { timeout: 5000 });
  expect(received[before]?.claims.events).toEqual({
    [EVENT_URIS.deviceComplianceChange]: expect.objectContaining({
      previous_status: 'compliant',
      current_status: 'not-compliant',
      subject: expect.objectContaining({ user: { format: 'email', email: mac.user.email } }),
    }),
  });
  expect(intake.stats.rejected).toBe(0);
});
