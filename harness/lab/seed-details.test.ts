/**
 * Issue 15, "the seed's details": after the seed's set-up, each detail the seed describes is there and
 * readable through the vendors' APIs (or a documented lab control) — each test names the sentence of the
 * seed (as issue 15 quotes it) or of the vendor's API it follows. One in-process lab for the file.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { redactIssuedSecrets } from '../kernel/index.ts';
import { EVENT_URIS } from '../protocol/index.ts';
import { labManifest } from './manifest.ts';
import {
  configureSeed,
  IDP_CONNECTION_NAME,
  JAMF_TRUST_DISTRIBUTION,
  MOBILE_HIGH_RISK_GROUP,
  RISK_ATTRIBUTE,
  type SeedConfiguration,
  UEM_TAGS,
} from './seed-setup.ts';
import { type Lab, startLab } from './start-lab.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the services' APIs, asserted field by field.
type Json = Record<string, any>;
let lab: Lab;
let config: SeedConfiguration;
let radar = '';
let jamfToken = '';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const response = await lab.fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
const okta = (path: string, init: RequestInit = {}) =>
  call(`${lab.urls.okta}${path}`, {
    ...init,
    headers: { authorization: `SSWS ${lab.okta.apiToken}`, accept: 'application/json', ...init.headers },
  });
const jsc = (path: string) =>
  call(`${lab.urls.jamfSecurityCloud}${path}`, { headers: { authorization: `Bearer ${radar}` } });
const jamfPro = (path: string) =>
  call(`${lab.urls.jamfPro}${path}`, {
    headers: { authorization: `Bearer ${jamfToken}`, accept: 'application/json' },
  });

beforeAll(async () => {
  lab = await startLab({ seed: 15, devices: 8, intercept: false });
  config = await configureSeed(lab);
  const app = lab.jsc.apps[0];
  const login = await call(`${lab.urls.jamfSecurityCloud}/v1/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${app?.appId}:${app?.appSecret}`).toString('base64')}` },
  });
  radar = login.body.token;
  const m = labManifest(lab);
  const token = await call(`${lab.urls.jamfPro}/api/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m.jamfPro.clientId,
      client_secret: m.jamfPro.clientSecret,
    }).toString(),
  });
  jamfToken = token.body.access_token;
}, 60_000);
afterAll(async () => {
  await lab.close();
});

/** A device of `os` with a user bound at activation. */
function deviceOf(os: 'MAC_OS' | 'IOS') {
  const device = lab.jsc.tenant.devices().find((d) => d.osType === os && d.user !== undefined);
  if (!device?.user) throw new Error(`the fleet has no activated ${os} device`);
  return { ...device, email: device.user.email };
}

async function raise(device: string, category: string): Promise<string> {
  const r = await call(`${lab.urls.jamfSecurityCloud}/_lab/threats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device, category }),
  });
  expect(r.status).toBe(201);
  expect((await call(`${lab.urls.okta}/_lab/entity-risk/idle?timeoutMs=10000`)).status).toBe(204);
  return r.body.id;
}

// Seed: "the OIDC app … sign-out URIs" and "the SaaS apps with Universal Logout" that the rule names.
test('Okta: the Jamf Trust app has sign-out URIs, and the SaaS apps the policy rule names are in the Apps API', async () => {
  const trust = await okta(`/api/v1/apps/${config.okta.jamfTrustAppId}`);
  expect(trust.body.settings.oauthClient.post_logout_redirect_uris).toEqual([
    'com.jamf.trust:/oauth2/logout',
  ]);
  const listed = (await okta('/api/v1/apps')).body as Json[];
  const rule = (await okta(`/api/v1/policies/${config.okta.policyId}/rules/${config.okta.ruleId}`)).body;
  const named: string[] = rule.actions.entityRisk.actions[0].slo.appInstanceIds;
  expect(named.sort()).toEqual(Object.values(config.okta.apps).sort());
  for (const id of named) {
    const app = await okta(`/api/v1/apps/${id}`);
    expect([app.status, app.body.signOnMode, app.body.status]).toEqual([200, 'SAML_2_0', 'ACTIVE']);
    expect(listed.map((a) => a.id)).toContain(id);
  }
  expect(
    listed
      .filter((a) => a.signOnMode === 'SAML_2_0')
      .map((a) => a.name)
      .sort(),
  ).toEqual(['google', 'office365', 'salesforce']);
});

// OIDC Core §5.3 / OpenID Connect Discovery: "userinfo_endpoint" — what a certified relying party reads.
test("Okta: discovery names userinfo, which answers a Jamf Trust user's claims", async () => {
  const discovery = (await call(`${lab.urls.okta}/.well-known/openid-configuration`)).body;
  expect(discovery.userinfo_endpoint).toBe(`${lab.urls.okta}/oauth2/v1/userinfo`);
  const refused = await call(discovery.userinfo_endpoint);
  expect(refused.status).toBe(401);
});

// Seed: the policy runs "whenever a user's Entity Risk Level is updated, such as during a user.risk.change
// event"; the Risk tab shows the user's risk events — here through the System Log filter Okta documents.
test("Okta: a raised risk logs user.risk.change before the policy; the user's risk history reads back in order, each event at its own time", async () => {
  const mac = deviceOf('MAC_OS');
  const userId = (await okta(`/api/v1/users/${encodeURIComponent(mac.email)}`)).body.id as string;
  await raise(mac.id, 'Malware');
  const filter = encodeURIComponent(`target.id eq "${userId}" and eventType sw "user.risk"`);
  const history = (await okta(`/api/v1/logs?filter=${filter}&since=2000-01-01T00:00:00Z&limit=100`))
    .body as Json[];
  const risk = (e: Json) => /level=(\w+)/.exec(String(e.debugContext.debugData.Risk))?.[1];
  expect(history.map((e) => [e.eventType, risk(e)])).toEqual([
    ['user.risk.detect', 'HIGH'],
    ['user.risk.change', 'HIGH'],
    ['user.risk.change', 'LOW'],
  ]);
  const chain = (
    await okta(
      `/api/v1/logs?filter=${encodeURIComponent(`debugContext.debugData.TraceId eq "${history[0]?.debugContext.debugData.TraceId}"`)}&since=2000-01-01T00:00:00Z&limit=100`,
    )
  ).body as Json[];
  const types = chain.map((e) => e.eventType);
  expect(types.indexOf('user.risk.change')).toBe(types.indexOf('user.risk.detect') + 1);
  expect(types.indexOf('user.risk.change')).toBeLessThan(types.indexOf('policy.entity_risk.evaluate'));
  const times = chain.map((e) => Date.parse(e.published));
  expect(new Set(times).size).toBe(times.length);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  const detections = (await call(`${lab.urls.okta}/_lab/users/${userId}/risk-detections`)).body;
  expect(detections.detections.map((d: Json) => [d.kind, d.current])).toEqual([
    ['detection', 'HIGH'],
    ['reset', 'LOW'],
  ]);
});

// Seed: JSC's "Device view" — a device's threats — through the Risk API, not only /_lab/state.
test("JSC: the identity provider has a name, the activation profile an expiry, and a device's threats read through the Risk API", async () => {
  const idps = (await jsc('/v1/identity-providers')).body as Json[];
  expect(idps.map((p) => p.name)).toEqual([IDP_CONNECTION_NAME]);
  const profile = (await jsc(`/v1/activation-profiles/${config.jsc.activationProfileId}`)).body;
  expect(Date.parse(profile.expirationDate)).toBeGreaterThan(lab.okta.org.now());
  // Past its expiry a profile activates no device.
  const expiring = await call(`${lab.urls.jamfSecurityCloud}/v1/activation-profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${radar}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Short-lived',
      platforms: ['MAC_OS'],
      capabilities: { networkSecurity: true },
      expirationDate: new Date(lab.okta.org.now() + 30).toISOString(),
    }),
  });
  expect(expiring.status).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 60));
  const late = await call(`${lab.urls.jamfSecurityCloud}/_lab/devices/${deviceOf('MAC_OS').id}/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ activationProfileId: expiring.body.id, user: deviceOf('MAC_OS').email }),
  });
  expect([late.status, late.body.error]).toEqual([409, 'ACTIVATION_PROFILE_EXPIRED']);
  const phone = deviceOf('IOS');
  const threatId = await raise(phone.id, 'Phishing');
  const page = (await jsc(`/risk/v2/devices?externalId=${phone.udid.toLowerCase()}`)).body;
  expect(page.customerId).toBe(lab.jsc.tenant.customerId);
  expect(page.userDeviceList).toHaveLength(1);
  expect(page.userDeviceList[0]).toMatchObject({
    guid: phone.id,
    externalId: phone.udid,
    user: { email: phone.email },
    riskCategory: 'MEDIUM',
    threats: [{ id: threatId, category: 'Phishing', severity: 'MEDIUM', status: 'ACTIVE', resolvedAt: null }],
  });
  const bad = await jsc('/risk/v2/devices?pageSize=101');
  expect([bad.status, bad.body.error]).toEqual([400, 'MAX_LIMIT_PER_PAGE']);
});

// Seed: a smart group for mobile devices as for computers (risk-based), and the Signal-UEM tags are the
// seed's Mobile and Computer tags; the Jamf Trust app is kept with its distribution method.
test('Jamf Pro: a mobile High-risk smart group, the Mobile/Computer Signal-UEM tags, and the Jamf Trust distribution method', async () => {
  const group = (
    await jamfPro(`/api/v1/mobile-device-groups/smart-groups/${config.jamfPro.mobileHighRiskGroupId}`)
  ).body;
  expect(group).toMatchObject({
    groupName: MOBILE_HIGH_RISK_GROUP,
    criteria: [expect.objectContaining({ name: RISK_ATTRIBUTE, searchType: 'is', value: 'High' })],
  });
  const policy = (await jsc('/threat-prevention/v1/policy')).body;
  for (const category of Object.values(policy.categories) as Json[]) {
    expect(category.uemTags).toEqual(UEM_TAGS);
    expect(category.uemTag).toBeUndefined();
  }
  // The Mobile tag lands on a mobile device with a threat (the previous test's phishing threat).
  const phone = deviceOf('IOS');
  const detail = (await jamfPro(`/api/v2/mobile-devices/${phone.uem?.jamfId}/detail`)).body;
  const tags = (detail.extensionAttributes as Json[]).filter(
    (a) => a.name === UEM_TAGS.mobile || a.name === UEM_TAGS.computer,
  );
  expect(tags.map((a) => [a.name, a.value])).toEqual([[UEM_TAGS.mobile, ['true']]]);
  for (const kind of ['macapplications', 'mobiledeviceapplications']) {
    const app = (await jamfPro(`/JSSResource/${kind}/name/Jamf%20Trust`)).body;
    expect(Object.values(app)[0]).toMatchObject({ general: { deployment_type: JAMF_TRUST_DISTRIBUTION } });
  }
});

// Seed: the stream to Okta delivers the risk-level changes it configures, nothing else.
test("JSC: the seed's SSF stream to Okta subscribes exactly RISK_LEVEL_CHANGED", async () => {
  const streams = (await jsc('/sse/v1/stream')).body as Json[];
  const stream = streams.find((s) => s.streamId === config.jsc.streamId);
  expect(stream?.events).toEqual(['RISK_LEVEL_CHANGED']);
  const config_ = lab.jsc.transmitter.streams().find((s) => s.config.stream_id === config.jsc.streamId);
  expect(config_?.config.events_requested).toEqual([EVENT_URIS.oktaDeviceRiskChange]);
});

// Issue 15: "the lab users' sign-in password is not in the manifest" — it is, and it is a redacted secret.
test("the manifest carries the users' sign-in password, which signs a user in and is redacted from output", async () => {
  const manifest = labManifest(lab);
  const password = manifest.okta.userPassword ?? '';
  expect(password).not.toBe('');
  const authn = await call(`${lab.urls.okta}/api/v1/authn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: deviceOf('MAC_OS').email, password }),
  });
  expect([authn.status, authn.body.status]).toEqual([200, 'SUCCESS']);
  expect(redactIssuedSecrets(JSON.stringify(manifest))).not.toContain(password);
});
