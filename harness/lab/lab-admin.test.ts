/**
 * The lab admin token's parts: which paths it guards (including spellings a router might still send to a
 * control), the constant-time check, the client-side fetch that sends it only to the lab's own controls,
 * and an in-process lab — open by default, guarded when given a token — reached through msw as any
 * client in the process would.
 */
import { afterEach, expect, test } from 'vitest';
import {
  carriesLabAdminToken,
  gateInjectable,
  isLabAdminPath,
  LAB_ADMIN_REFUSAL,
  withLabAdminToken,
} from './lab-admin.ts';
import { labManifest } from './manifest.ts';
import { type Lab, startLab } from './start-lab.ts';

const TOKEN = 'lab-admin-token-for-tests-0123456789';

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.allSettled(labs.splice(0).map((lab) => lab.close()));
});

test.each([
  ['/_lab/sessions', true],
  ['/_lab/faults/okta?x=1', true],
  ['/_lab', true],
  ['/%5Flab/sessions', true],
  ['/%5flab/sessions', true],
  ['//_lab/sessions', true],
  ['/_LAB/sessions', true],
  ['http://127.0.0.1:4000/_lab/sessions', true],
  ['/_lab/ready', false],
  ['/_lab/ready?probe=1', false],
  ['/api/v1/users', false],
  ['/oauth2/v1/token', false],
  ['/lab/sessions', false],
])('isLabAdminPath(%j) is %j', (path, guarded) => {
  expect(isLabAdminPath(path)).toBe(guarded);
});

test('only the exact token as a Bearer credential passes', () => {
  expect(carriesLabAdminToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  expect(carriesLabAdminToken(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  for (const wrong of [
    undefined,
    '',
    'Bearer',
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(0, -1)}`,
    `SSWS ${TOKEN}`,
    `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
    `Bearer ${TOKEN} extra`,
  ])
    expect(carriesLabAdminToken(wrong, TOKEN), String(wrong)).toBe(false);
});

test('the in-process gate answers 401 with a Bearer challenge before the route is reached', async () => {
  let reached = 0;
  const gated = gateInjectable(
    {
      inject: async () => {
        reached++;
        return { statusCode: 200, headers: {}, rawPayload: Buffer.from('{}') };
      },
    },
    TOKEN,
  );
  const refused = await gated.inject({ method: 'GET', url: '/_lab/sessions', headers: {} });
  expect(refused.statusCode).toBe(401);
  expect(refused.headers['www-authenticate']).toBe('Bearer realm="ssf-lab"');
  expect(JSON.parse(refused.rawPayload.toString())).toMatchObject({ error: 'unauthorized' });
  expect(reached).toBe(0);
  await gated.inject({ method: 'GET', url: '/_lab/sessions', headers: { Authorization: `Bearer ${TOKEN}` } });
  await gated.inject({ method: 'GET', url: '/api/v1/users', headers: {} });
  expect(reached).toBe(2);
  expect(LAB_ADMIN_REFUSAL.status).toBe(401);
});

test('the client fetch sends the token to the lab origins controls only, and never overrides a caller', async () => {
  const seen: { url: string; authorization: string | null }[] = [];
  const inner: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    return new Response(null, { status: 204 });
  };
  const f = withLabAdminToken(inner, ['http://127.0.0.1:4000/', 'http://127.0.0.1:4001'], TOKEN);
  await f('http://127.0.0.1:4000/_lab/sessions');
  await f('http://127.0.0.1:4001/_lab/faults/okta', { method: 'PUT' });
  await f('http://127.0.0.1:4000/api/v1/users');
  await f('http://127.0.0.1:4999/_lab/sessions');
  await f('http://127.0.0.1:4000/_lab/sessions', { headers: { authorization: 'Bearer wrong' } });
  await f('http://127.0.0.1:4000/_lab/ready');
  expect(seen.map((s) => s.authorization)).toEqual([
    `Bearer ${TOKEN}`,
    `Bearer ${TOKEN}`,
    null,
    null,
    'Bearer wrong',
    null,
  ]);
  expect(withLabAdminToken(inner, [], undefined)).toBe(inner);
});

test('an in-process lab is open by default: no token, none in the manifest', async () => {
  const lab = await startLab({ devices: 2, intercept: false });
  labs.push(lab);
  expect(lab.adminToken).toBeUndefined();
  expect(labManifest(lab).lab).toBeUndefined();
  const answer = await lab.clientFetch(`${lab.urls.okta}/_lab/sessions`);
  expect(answer.status).toBe(200);
});

test('an in-process lab given a token refuses any client in the process without it', async () => {
  const lab = await startLab({ devices: 2, adminToken: TOKEN });
  labs.push(lab);
  expect(lab.adminToken).toBe(TOKEN);
  expect(labManifest(lab).lab).toEqual({ adminToken: TOKEN });
  // Through msw, as any client in the process reaches an in-process lab.
  const refused = await fetch(`${lab.urls.okta}/_lab/sessions`);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="ssf-lab"');
  const lent = await fetch(`${lab.urls.jamfSecurityCloud}/_lab/faults`, {
    headers: { authorization: `SSWS ${lab.okta.apiToken}` },
  });
  expect(lent.status).toBe(401);
  const allowed = await fetch(`${lab.urls.okta}/_lab/sessions`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(allowed.status).toBe(200);
  // The lab's own handles carry it by themselves; the vendor API is untouched by the gate.
  expect((await lab.clientFetch(`${lab.urls.okta}/_lab/faults`)).status).toBe(200);
  expect((await lab.fetch(`${lab.urls.apps.salesforce}/_lab/state`)).status).toBe(200);
  expect((await fetch(`${lab.urls.okta}/.well-known/openid-configuration`)).status).toBe(200);
});

test('a token that is too short or has spaces is refused when the lab starts', async () => {
  await expect(startLab({ adminToken: 'short' })).rejects.toThrow(/adminToken must be/);
  await expect(startLab({ adminToken: 'has spaces in it, sixteen+' })).rejects.toThrow(/adminToken must be/);
});
