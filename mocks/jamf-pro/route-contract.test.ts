/**
 * Every route of the mock Jamf Pro against the schemas it declares (schemas/): each route is called at
 * least once with a request that succeeds, the main error paths are called too (no token, unknown id, a
 * body or parameter the schema refuses, the wrong media type, a Classic conflict), and every answer must
 * match the schema declared for its status — a status the route does not declare is a violation. The
 * routes are read from the app, so a route added without a schema or an exercise fails here.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixedClock } from '../../harness/kernel/index.ts';
import { useRouteSchemas } from '../../harness/ssf/index.ts';
import { type RouteLedger, watchRoutes } from '../../harness/ssf/route-contract.testing.ts';
import { JamfProServer, jamfProPlugin } from './index.ts';
import { basic, type Harness, harness, T0 } from './jamf-pro.testing.ts';

let h: Harness;
let ledger: RouteLedger;

beforeAll(async () => {
  h = await harness({ fleet: { seed: 11, devices: 12 } });
  ledger = watchRoutes(h.app);
});
afterAll(async () => {
  ledger?.stop();
  await h?.close();
});

const ok = (r: LightMyRequestResponse, what: string): LightMyRequestResponse => {
  expect(r.statusCode, `${what}: ${r.body.slice(0, 300)}`).toBeLessThan(400);
  return r;
};
const status = (r: LightMyRequestResponse, code: number, what: string): LightMyRequestResponse => {
  expect(r.statusCode, `${what}: ${r.body.slice(0, 300)}`).toBe(code);
  return r;
};
const idOf = (r: LightMyRequestResponse): string => (r.json() as { id: string }).id;

async function proApi(): Promise<void> {
  const { call } = h;
  // Auth: the OAuth token endpoint, the user-token trio, the caller and the version.
  await h.oauthToken();
  const userToken = (
    ok(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        headers: { authorization: basic(h.username, h.password) },
      }),
      'user token',
    ).json() as { token: string }
  ).token;
  // keep-alive answers a new token and retires the old one, as Jamf's does.
  const renewed = (
    ok(await call('POST', '/api/v1/auth/keep-alive', undefined, userToken), 'keep-alive').json() as {
      token: string;
    }
  ).token;
  ok(await call('GET', '/api/v1/auth', undefined, renewed), 'auth (user)');
  ok(await call('GET', '/api/v1/auth'), 'auth (client)');
  ok(await call('GET', '/api/v1/jamf-pro-version'), 'version');

  // Computers.
  ok(await call('GET', '/api/v1/computers-inventory?section=GENERAL&section=HARDWARE&page-size=3'), 'list');
  ok(await call('GET', '/api/v1/computers-inventory/1?section=USER_AND_LOCATION'), 'computer');
  ok(await call('GET', '/api/v1/computers-inventory-detail/1'), 'computer detail');
  ok(
    await call('PATCH', '/api/v1/computers-inventory-detail/1', { general: { assetTag: 'TAG-1' } }),
    'computer patch',
  );
  ok(await call('POST', '/api/v1/computers/1/recalculate-smart-groups'), 'computer recalculation');

  // Extension attribute definitions, both kinds.
  for (const base of [
    '/api/v1/computer-extension-attributes',
    '/api/v1/mobile-device-extension-attributes',
  ]) {
    const id = idOf(ok(await call('POST', base, { name: `Contract ${base}` }), 'ea create'));
    const other = idOf(ok(await call('POST', base, { name: `Other ${base}` }), 'ea create'));
    ok(await call('GET', `${base}?page-size=5&sort=id:desc`), 'ea list');
    ok(await call('GET', `${base}/${id}`), 'ea read');
    ok(await call('PUT', `${base}/${id}`, { name: `Renamed ${base}`, dataType: 'INTEGER' }), 'ea replace');
    ok(await call('DELETE', `${base}/${id}`), 'ea delete');
    ok(await call('POST', `${base}/delete-multiple`, { ids: [other] }), 'ea delete-multiple');
  }

  // Group lists and computer smart groups (v2).
  ok(await call('GET', '/api/v1/computer-groups'), 'computer groups');
  ok(await call('GET', '/api/v1/mobile-device-groups'), 'mobile groups');
  const SMART = '/api/v2/computer-groups/smart-groups';
  const criteria = [{ name: 'Computer Name', searchType: 'like', value: 'a', andOr: 'and', priority: 0 }];
  const smart = idOf(ok(await call('POST', SMART, { name: 'Contract smart', criteria }), 'smart create'));
  ok(await call('GET', SMART), 'smart list');
  ok(await call('GET', `${SMART}/${smart}`), 'smart read');
  ok(await call('PUT', `${SMART}/${smart}`, { name: 'Contract smart 2', criteria }), 'smart replace');
  ok(await call('GET', `/api/v2/computer-groups/smart-group-membership/${smart}`), 'smart membership');
  ok(await call('POST', `/api/v1/smart-computer-groups/${smart}/recalculate`), 'smart recalculation');
  ok(await call('DELETE', `${SMART}/${smart}`), 'smart delete');

  // Computer static groups (v2).
  const STATIC = '/api/v2/computer-groups/static-groups';
  const fixed = idOf(
    ok(await call('POST', STATIC, { name: 'Contract static', assignments: ['1'] }), 'create'),
  );
  ok(await call('GET', STATIC), 'static list');
  ok(await call('GET', `${STATIC}/${fixed}`), 'static read');
  ok(await call('PUT', `${STATIC}/${fixed}`, { name: 'Contract static 2', assignments: ['2'] }), 'replace');
  ok(await call('DELETE', `${STATIC}/${fixed}`), 'static delete');

  // Mobile smart groups (v1, newer than 11.7.1).
  const MSMART = '/api/v1/mobile-device-groups/smart-groups';
  const mcriteria = [{ name: 'Display Name', searchType: 'like', value: 'i', andOr: 'and', priority: 0 }];
  const msmart = idOf(
    ok(await call('POST', MSMART, { groupName: 'Contract msmart', criteria: mcriteria }), 'msmart create'),
  );
  ok(await call('GET', MSMART), 'msmart list');
  ok(await call('GET', `${MSMART}/${msmart}`), 'msmart read');
  ok(await call('PUT', `${MSMART}/${msmart}`, { groupName: 'Contract msmart 2' }), 'msmart replace');
  ok(await call('GET', `/api/v1/mobile-device-groups/smart-group-membership/${msmart}`), 'msmart members');
  ok(await call('POST', `/api/v1/smart-mobile-device-groups/${msmart}/recalculate`), 'msmart recalculation');
  ok(await call('DELETE', `${MSMART}/${msmart}`), 'msmart delete');

  // Mobile static groups (11.7.1).
  const MSTATIC = '/api/v1/mobile-device-groups/static-groups';
  const assignments = [{ mobileDeviceId: '1', selected: true }];
  const mstatic = idOf(
    ok(await call('POST', MSTATIC, { groupName: 'Contract mstatic', assignments }), 'mstatic create'),
  );
  ok(await call('GET', `${MSTATIC}?page-size=5`), 'mstatic list');
  ok(await call('GET', `${MSTATIC}/${mstatic}`), 'mstatic read');
  ok(await call('PATCH', `${MSTATIC}/${mstatic}`, { groupName: 'Contract mstatic 2' }), 'mstatic patch');
  ok(await call('GET', `/api/v1/mobile-device-groups/static-group-membership/${mstatic}`), 'members');
  ok(await call('DELETE', `${MSTATIC}/${mstatic}`), 'mstatic delete');

  // Mobile devices.
  ok(await call('GET', '/api/v2/mobile-devices?page-size=3'), 'mobile list');
  ok(await call('GET', '/api/v2/mobile-devices/detail?section=GENERAL&section=HARDWARE'), 'mobile search');
  ok(await call('GET', '/api/v2/mobile-devices/1'), 'mobile');
  ok(await call('GET', '/api/v2/mobile-devices/1/detail'), 'mobile detail');
  ok(await call('PATCH', '/api/v2/mobile-devices/1', { name: 'Contract iPad' }), 'mobile patch');
  ok(await call('POST', '/api/v1/mobile-devices/1/recalculate-smart-groups'), 'mobile recalculation');

  // Last: invalidating the user token.
  ok(await call('POST', '/api/v1/auth/invalidate-token', undefined, renewed), 'invalidate');
}

const DEPLOYABLE_BODIES: Readonly<Record<string, (name: string) => string>> = {
  osxconfigurationprofiles: (n) =>
    `<os_x_configuration_profile><general><name>${n}</name></general></os_x_configuration_profile>`,
  mobiledeviceconfigurationprofiles: (n) =>
    `<configuration_profile><general><name>${n}</name></general></configuration_profile>`,
  macapplications: (n) =>
    `<mac_application><general><name>${n}</name><bundle_id>com.example.${n}</bundle_id></general></mac_application>`,
  mobiledeviceapplications: (n) =>
    `<mobile_device_application><general><name>${n}</name><bundle_id>com.example.${n}</bundle_id></general></mobile_device_application>`,
  computerextensionattributes: (n) =>
    `<computer_extension_attribute><name>${n}</name></computer_extension_attribute>`,
  mobiledeviceextensionattributes: (n) =>
    `<mobile_device_extension_attribute><name>${n}</name></mobile_device_extension_attribute>`,
  computergroups: (n) => `<computer_group><name>${n}</name><is_smart>false</is_smart></computer_group>`,
  mobiledevicegroups: (n) =>
    `<mobile_device_group><name>${n}</name><is_smart>false</is_smart></mobile_device_group>`,
};

async function classicApi(): Promise<void> {
  const { classic } = h;
  const json = { accept: 'application/json' };
  for (const list of ['computers', 'computers/subset/basic', 'mobiledevices']) {
    ok(await classic('GET', `/JSSResource/${list}`), list);
    ok(await classic('GET', `/JSSResource/${list}`, json), `${list} (json)`);
  }
  for (const [kind, root] of [
    ['computers', 'computer'],
    ['mobiledevices', 'mobile_device'],
  ] as const) {
    ok(await classic('GET', `/JSSResource/${kind}/id/1`), `${kind} read`);
    ok(await classic('GET', `/JSSResource/${kind}/id/1/subset/General`, json), `${kind} subset`);
    const xml = `<${root}><general><asset_tag>C-1</asset_tag></general></${root}>`;
    ok(await classic('PUT', `/JSSResource/${kind}/id/1`, { xml }), `${kind} update`);
    ok(await classic('PUT', `/JSSResource/${kind}/id/1/subset/General`, { xml }), `${kind} subset update`);
  }
  const idIn = (r: LightMyRequestResponse) => /<id>(\d+)<\/id>/.exec(r.body)?.[1] ?? '';
  for (const [kind, body] of Object.entries(DEPLOYABLE_BODIES)) {
    const base = `/JSSResource/${kind}`;
    const one = idIn(ok(await classic('POST', `${base}/id/0`, { xml: body(`c${kind}`) }), `${kind} create`));
    const two = idIn(ok(await classic('POST', base, { xml: body(`d${kind}`) }), `${kind} create at base`));
    ok(await classic('GET', base, json), `${kind} list`);
    ok(await classic('GET', `${base}/id/${one}`), `${kind} read`);
    ok(await classic('GET', `${base}/name/c${kind}`, json), `${kind} read by name`);
    ok(await classic('PUT', `${base}/id/${one}`, { xml: body(`e${kind}`) }), `${kind} update`);
    ok(await classic('DELETE', `${base}/id/${one}`), `${kind} delete`);
    ok(await classic('DELETE', `${base}/id/${two}`), `${kind} delete`);
  }
}

async function errorPaths(): Promise<void> {
  const { call, classic } = h;
  // No token: 401 ApiError on the Pro API, before any body is looked at; the status page on Classic.
  status(await call('PATCH', '/api/v2/mobile-devices/1', { name: 7 }, null), 401, 'no token');
  status(await classic('GET', '/JSSResource/computers', { token: null }), 401, 'classic no token');
  // OAuth errors in RFC 6749's shape.
  const badSecret = await h.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${h.clientId}&client_secret=wrong`,
  });
  expect(badSecret.statusCode).toBeGreaterThanOrEqual(400);
  expect(badSecret.json()).toHaveProperty('error');
  // Unknown ids.
  status(await call('GET', '/api/v1/computers-inventory/9999'), 404, 'unknown computer');
  status(await call('GET', '/api/v2/computer-groups/smart-groups/9999'), 404, 'unknown group');
  status(await classic('GET', '/JSSResource/computers/id/9999'), 404, 'classic unknown');
  // Refused by the schema: the ApiError names the field.
  const badBody = status(
    await call('PATCH', '/api/v2/mobile-devices/1', { name: 7 }),
    400,
    'schema-refused body',
  );
  expect(badBody.json().errors[0]).toMatchObject({ code: 'INVALID_FIELD', field: 'name' });
  const badPage = status(await call('GET', '/api/v2/mobile-devices?page=abc'), 400, 'schema-refused query');
  expect(badPage.json().errors[0]).toMatchObject({ code: 'INVALID_PARAMETER', field: 'page' });
  status(await call('POST', '/api/v1/computer-extension-attributes', { name: 5 }), 400, 'ea body');
  const notXml = status(
    await classic('PUT', '/JSSResource/computers/id/1', { xml: 'plain words' }),
    400,
    'classic body',
  );
  expect(notXml.headers['content-type']).toBe('text/html;charset=UTF-8');
  expect(notXml.body).toContain('body must match pattern');
  // An empty JSON body answers what the handlers' own check answers.
  const empty = status(await call('PATCH', '/api/v2/mobile-devices/1', ''), 400, 'empty body');
  expect(empty.json().errors[0]).toMatchObject({
    code: 'INVALID_JSON',
    description: 'the request body is empty',
  });
  // The wrong media type, and a Classic conflict.
  const wrongType = await h.app.inject({
    method: 'POST',
    url: '/JSSResource/computergroups/id/0',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
    payload: '{}',
  });
  status(wrongType, 415, 'classic json body');
  status(
    await classic('POST', '/JSSResource/computergroups/id/0', {
      xml: '<computer_group><name>All Managed Clients</name></computer_group>',
    }),
    409,
    'classic duplicate',
  );
}

test('every route is declared, answered, succeeds at least once, and every answer matches its schema', async () => {
  await proApi();
  await classicApi();
  await errorPaths();
  ok(await h.app.inject({ method: 'GET', url: '/_lab/state' }), 'lab state');
  ok(await h.app.inject({ method: 'POST', url: '/_lab/reset' }), 'lab reset');

  expect(ledger.undeclared()).toEqual([]);
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual([]);
  expect(ledger.violations()).toEqual([]);
  // All of them: 117 routes, counted so a lost registration shows here too.
  expect(new Set(ledger.answers.map((a) => `${a.method} ${a.url}`)).size).toBe(117);
});

/** The mock mounted in an app of one's own, with a token for it. */
async function ownApp(
  setUp: (app: FastifyInstance) => void,
): Promise<{ app: FastifyInstance; token: string }> {
  const app = Fastify();
  setUp(app);
  const server = new JamfProServer({ fleet: { seed: 11, devices: 4 }, clock: fixedClock(T0) });
  await app.register(jamfProPlugin, { server });
  await app.ready();
  const client = server.credentials.clients[0];
  const r = await app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${client?.clientId}&client_secret=${client?.clientSecret}`,
  });
  return { app, token: (r.json() as { access_token: string }).access_token };
}

test('the check can fail: answers tampered after the handler are reported as violations', async () => {
  // The tampering hook runs before the schema observer (hooks run in the order they are added): the
  // version answers a number where the description says string, the group list a status it does not declare.
  const { app, token } = await ownApp((a) => {
    a.addHook('onSend', async (request, reply, payload) => {
      if (request.url === '/api/v1/jamf-pro-version') return JSON.stringify({ version: 11 });
      if (request.url === '/api/v1/computer-groups') reply.code(202);
      return payload;
    });
    useRouteSchemas(a);
  });
  try {
    const watch = watchRoutes(app);
    const headers = { authorization: `Bearer ${token}` };
    await app.inject({ method: 'GET', url: '/api/v1/jamf-pro-version', headers });
    await app.inject({ method: 'GET', url: '/api/v1/computer-groups', headers });
    expect(watch.violations()).toEqual([
      'GET /api/v1/jamf-pro-version 200: /version must be string',
      'GET /api/v1/computer-groups 202: the route declares no response schema for status 202',
    ]);
  } finally {
    await app.close();
  }
});

test('mounted in a plain app, the plugin installs the route schemas itself: a bad body is a 400 naming it', async () => {
  const { app, token } = await ownApp(() => {});
  try {
    const r = await app.inject({
      method: 'PATCH',
      url: '/api/v2/mobile-devices/1',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ location: { room: 5 } }),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ code: 'INVALID_FIELD', field: 'location.room' });
  } finally {
    await app.close();
  }
});
