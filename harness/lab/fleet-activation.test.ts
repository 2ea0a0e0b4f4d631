/**
 * People start working, at any fleet size: the first INDIVIDUAL_ACTIVATIONS devices activate Jamf Trust
 * one by one through Okta, the rest in bulk (the deployment hands each device its UEM user), and either
 * way every device is bound to its user in JSC, has an Okta session, and its user has a session at every
 * app. One progress line for the per-device part. The bulk controls behind it refuse bad input with a 4xx
 * and change nothing when they refuse.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateFleet } from '../fleet/index.ts';
import { issuedSecrets } from '../kernel/index.ts';
import { INDIVIDUAL_ACTIVATIONS } from './fleet-activation.ts';
import { configureSeed, type SeedConfiguration } from './seed-setup.ts';
import { APP_KINDS_IN_LAB, type Lab, startLab } from './start-lab.ts';

const FLEET = { seed: 11, devices: INDIVIDUAL_ACTIVATIONS + 4 };
const fleet = generateFleet(FLEET);

let lab: Lab;
let config: SeedConfiguration;
const steps: string[] = [];

beforeAll(async () => {
  lab = await startLab({ ...FLEET, intercept: false });
  config = await configureSeed(lab, { onStep: (s) => steps.push(s) });
}, 30_000);
afterAll(async () => {
  await lab.close();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the services' lab controls, asserted field by field.
type Json = any;

const json = async (url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> => {
  const response = await lab.fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
};

test('one progress line for the devices, naming how many go one by one and how many in bulk', () => {
  const perDevice = steps.filter((s) => s.startsWith('jamf trust') || s.startsWith('apps'));
  expect(perDevice).toEqual([
    `jamf trust: activation on ${FLEET.devices} devices (${INDIVIDUAL_ACTIVATIONS} one by one, 4 in bulk), and the users' sign-ins to the apps`,
  ]);
});

test('the first devices sign in through Okta, the rest are bound to their UEM user; all are activated', () => {
  expect(config.activated).toHaveLength(FLEET.devices);
  const users = new Map(fleet.devices.map((d) => [d.udid, d.user.email]));
  // The set-up activates in the order JSC lists its devices (as UEM Connect synced them).
  lab.jsc.tenant.devices().forEach((jsc, i) => {
    expect(jsc.user?.email, jsc.udid).toBe(users.get(jsc.udid));
    expect(jsc.activation?.profileId).toBe(config.jsc.activationProfileId);
    expect(jsc.user?.via, jsc.udid).toBe(i < INDIVIDUAL_ACTIVATIONS ? 'identity-provider' : 'uem');
  });
  expect(lab.jsc.tenant.devices()).toHaveLength(FLEET.devices);
});

test('every activated device left its user an Okta session, and every user has a session at every app', async () => {
  const sessions = await json(`${lab.urls.okta}/_lab/sessions`);
  const logins = new Set((sessions.body as { login: string }[]).map((s) => s.login));
  for (const device of fleet.devices) expect(logins.has(device.user.email), device.key).toBe(true);
  const users = [...new Set(fleet.devices.map((d) => d.user.email))].sort();
  expect([...config.signedIn].sort()).toEqual(users);
  for (const kind of APP_KINDS_IN_LAB) {
    const app = await json(`${lab.urls.apps[kind]}/_lab/sessions`);
    const emails = new Set((app.body.sessions as { email: string }[]).map((s) => s.email));
    expect([...emails].sort(), kind).toEqual(users);
  }
});

test('JSC bulk activation: bad input is a 400 or 404, and a refused request activates no device', async () => {
  const url = `${lab.urls.jamfSecurityCloud}/_lab/devices/activate`;
  const profileId = config.jsc.activationProfileId;
  expect((await json(url, { method: 'POST', body: '{}' })).status).toBe(400);
  expect(
    (
      await json(url, {
        method: 'POST',
        body: JSON.stringify({ activationProfileId: profileId, devices: 'all' }),
      })
    ).status,
  ).toBe(400);
  expect(
    (
      await json(url, {
        method: 'POST',
        body: JSON.stringify({ activationProfileId: 'no-such-profile' }),
      })
    ).status,
  ).toBe(404);
  // A profile for Macs only: a list with an iPhone in it is refused as a whole.
  const radar = lab.jsc.apps[0];
  const login = await lab.fetch(`${lab.urls.jamfSecurityCloud}/v1/login`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${radar?.appId}:${radar?.appSecret}`).toString('base64')}`,
    },
  });
  const { token } = (await login.json()) as { token: string };
  const macOnly = await json(`${lab.urls.jamfSecurityCloud}/v1/activation-profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: 'Macs only',
      platforms: ['MAC_OS'],
      capabilities: { threatPrevention: true },
    }),
  });
  expect(macOnly.status).toBe(201);
  const mac = fleet.devices.find((d) => d.kind === 'computer');
  const phone = fleet.devices.find((d) => d.kind === 'mobile');
  const refused = await json(url, {
    method: 'POST',
    body: JSON.stringify({ activationProfileId: macOnly.body.id, devices: [mac?.udid, phone?.udid] }),
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toBe('PLATFORM_NOT_IN_PROFILE');
  const macNow = lab.jsc.tenant.devices().find((d) => d.udid === mac?.udid);
  expect(macNow?.activation?.profileId).toBe(profileId);
  // The same Mac alone is activated under the new profile, with its UEM user.
  const done = await json(url, {
    method: 'POST',
    body: JSON.stringify({ activationProfileId: macOnly.body.id, devices: [mac?.udid] }),
  });
  expect(done).toEqual({ status: 200, body: { activated: 1 } });
  expect(macNow?.activation?.profileId).toBe(macOnly.body.id);
  expect(macNow?.user).toMatchObject({ email: mac?.user.email, via: 'uem' });
});

test("Okta bulk sign-in: a bad list is Okta's 400, an unknown user a 404, and neither starts a session", async () => {
  const url = `${lab.urls.okta}/_lab/sessions`;
  const count = async (): Promise<number> => ((await json(url)).body as unknown[]).length;
  const before = await count();
  const bad = await json(url, { method: 'POST', body: JSON.stringify({ logins: [] }) });
  expect(bad.status).toBe(400);
  expect(bad.body.errorCode).toBe('E0000001');
  const known = fleet.users[0]?.email;
  const unknown = await json(url, {
    method: 'POST',
    body: JSON.stringify({ logins: [known, 'nobody@acme.example'] }),
  });
  expect(unknown.status).toBe(404);
  expect(await count()).toBe(before);
  const ok = await json(url, { method: 'POST', body: JSON.stringify({ logins: [known, known] }) });
  expect(ok.status).toBe(201);
  expect(ok.body).toMatchObject({ signedIn: 2, users: [{ login: known }] });
  expect(ok.body.users).toHaveLength(1);
  // The answer names users, never the new sessions' ids (secrets).
  expect(JSON.stringify(ok.body)).not.toMatch(/"id"/);
  expect(await count()).toBe(before + 2);
});

test('app bulk sign-in: a bad entry is a 400, a conflicting Okta id a 409, and neither signs anyone in', async () => {
  const url = `${lab.urls.apps.salesforce}/_lab/sessions`;
  const count = async (): Promise<number> => (await json(url)).body.sessions.length;
  const before = await count();
  const [a, b] = fleet.users;
  const post = (body: unknown) => json(url, { method: 'POST', body: JSON.stringify(body) });
  expect((await post({ sessions: [] })).status).toBe(400);
  expect((await post({ sessions: [{ email: a?.email }, { email: '' }] })).status).toBe(400);
  expect((await post({ sessions: [{ email: a?.email }], extra: 1 })).status).toBe(400);
  expect((await post({ sessions: [{ email: 'nobody@acme.example' }] })).status).toBe(404);
  // One Okta id for two people, and a user with an Okta id other than the one the app learned.
  expect(
    (
      await post({
        sessions: [
          { email: a?.email, oktaUserId: '00uSAME' },
          { email: b?.email, oktaUserId: '00uSAME' },
        ],
      })
    ).status,
  ).toBe(409);
  expect((await post({ sessions: [{ email: a?.email, oktaUserId: '00uOTHER' }] })).status).toBe(409);
  expect(await count()).toBe(before);
  // Secrets nobody is given are not remembered as issued: a fleet's bulk sign-ins cannot push the lab's
  // own credentials out of the bounded registry. The single form, which hands them out, remembers them.
  const remembered = issuedSecrets.size;
  const ok = await post({ sessions: [{ email: a?.email }, { email: b?.email }] });
  expect(ok).toEqual({ status: 201, body: { signedIn: 2 } });
  expect(await count()).toBe(before + 2);
  expect(issuedSecrets.size).toBe(remembered);
  const one = await post({ email: a?.email });
  expect(one.status).toBe(201);
  expect(issuedSecrets.has(one.body.accessToken)).toBe(true);
});
