/**
 * The mock against Jamf Pro's own published schema: every response of an endpoint that exists in the
 * 11.7.1 OpenAPI document (../shared/vendor-specs, outside the project) is checked for a documented status
 * and validated against that status's schema, compiled with ajv after a mechanical OpenAPI 3.0 → JSON Schema
 * conversion. The conversion is stricter than the spec in one way and looser in one way, both on purpose:
 * - stricter: objects get `additionalProperties: false`, so a member the schema does not know (a typo, a
 *   wrong case such as `realName` for `realname`) fails instead of passing unnoticed;
 * - looser: the top-level sections of `ComputerInventory` and of the iOS mobile inventory may be `null`,
 *   because Jamf sends unrequested sections as null while the dump does not mark them nullable.
 * Endpoints newer than 11.7.1 (OAuth, extension attribute definitions, smart groups v2) are not here.
 * The test skips with a message when the folder is absent (users' clones have no ../shared).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { basic, type Harness, harness } from './jamf-pro.testing.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specPath = path.resolve(
  repoRoot,
  '..',
  'shared',
  'vendor-specs',
  'jamf-pro',
  'jamf-pro-11.7.1-openapi.json',
);
const available = existsSync(specPath);
const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

type Schema = { [key: string]: unknown };
type Spec = {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
};

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DROP = new Set([
  'example',
  'readOnly',
  'writeOnly',
  'xml',
  'deprecated',
  'externalDocs',
  'nullable',
  'discriminator',
]);

/** OpenAPI 3.0 schema → draft-07 for ajv (see the module comment for the two deliberate deviations). */
function converter(components: Record<string, Schema>) {
  const refName = (ref: string) => ref.replace('#/components/schemas/', '');
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref;
    return typeof ref === 'string' ? resolve(components[refName(ref)] ?? {}) : s;
  };
  /** allOf of objects → one object (properties and required merged), so additionalProperties can be closed. */
  const flatten = (s: Schema): Schema => {
    if (!Array.isArray(s.allOf)) return s;
    const parts = s.allOf.filter(isSchema).map((p) => flatten(resolve(p)));
    const properties: Schema = {};
    const required: string[] = [];
    for (const p of parts) {
      if (isSchema(p.properties)) Object.assign(properties, p.properties);
      if (Array.isArray(p.required)) required.push(...(p.required as string[]));
    }
    return { type: 'object', properties, ...(required.length ? { required } : {}) };
  };
  const convert = (input: unknown): unknown => {
    if (Array.isArray(input)) return input.map(convert);
    if (!isSchema(input)) return input;
    if (typeof input.$ref === 'string') return { $ref: `#/definitions/${refName(input.$ref)}` };
    const s = flatten(input);
    const disc = s.discriminator;
    if (
      Array.isArray(s.oneOf) &&
      isSchema(disc) &&
      isSchema(disc.mapping) &&
      typeof disc.propertyName === 'string'
    ) {
      const prop = disc.propertyName;
      const mapping = Object.entries(disc.mapping) as [string, string][];
      return {
        type: 'object',
        required: [prop],
        properties: { [prop]: { enum: mapping.map(([k]) => k) } },
        allOf: mapping.map(([k, ref]) => ({
          if: { properties: { [prop]: { const: k } } },
          // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword here.
          then: { $ref: `#/definitions/${refName(ref)}` },
        })),
      };
    }
    const out: Schema = {};
    for (const [key, value] of Object.entries(s)) {
      if (DROP.has(key) || key.startsWith('x-')) continue;
      out[key] =
        key === 'properties' && isSchema(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
          : convert(value);
    }
    if (s.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    }
    if (isSchema(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  return convert;
}

/** Lets the top-level sections of an inventory object be null (unrequested sections). */
function nullableSections(schema: Schema, keep: readonly string[]): void {
  if (!isSchema(schema.properties)) return;
  for (const [key, value] of Object.entries(schema.properties)) {
    if (!keep.includes(key)) (schema.properties as Schema)[key] = { anyOf: [value, { type: 'null' }] };
  }
}

let spec: Spec;
let ajv: Ajv;
let h: Harness;
const covered = new Set<string>();

beforeAll(async () => {
  if (!available) return;
  spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
  const convert = converter(spec.components.schemas);
  const definitions: Schema = {};
  for (const [name, schema] of Object.entries(spec.components.schemas)) definitions[name] = convert(schema);
  for (const name of ['ComputerInventory', 'MobileDeviceIosInventory']) {
    const def = definitions[name];
    if (isSchema(def)) nullableSections(def, ['id', 'udid', 'mobileDeviceId', 'deviceType']);
  }
  ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'jamf-pro-11.7.1', definitions });
  h = await harness({ fleet: { seed: 11, devices: 30 } });
});

afterAll(async () => {
  await h?.close();
});

/** The operation a request maps to, by matching the path against the spec's templates. */
function operation(method: string, url: string) {
  const pathname = url.split('?')[0]?.replace(/^\/api/, '') ?? '';
  // Literal segments win over parameters (`/v2/mobile-devices/detail` is not `/v2/mobile-devices/{id}`).
  const templates = Object.keys(spec.paths).sort(
    (a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
  );
  for (const template of templates) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = pattern.test(pathname) ? spec.paths[template]?.[method.toLowerCase()] : undefined;
    if (op) return { template, op };
  }
  return undefined;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    const converted = converter(spec.components.schemas)(schema) as Schema;
    v = ajv.compile({ $id: `response-${validators.size}`, ...rebase(converted) });
    validators.set(key, v);
  }
  return v;
}

/** Points local `#/definitions/X` refs of a response schema at the registered spec schema. */
function rebase(s: unknown): Schema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isSchema(v)) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === '$ref' && typeof x === 'string'
          ? x.replace('#/definitions/', 'jamf-pro-11.7.1#/definitions/')
          : walk(x),
      ]),
    );
  };
  return walk(s) as Schema;
}

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly statusCode: number;
  readonly body: string;
}

/** Asserts a response is a documented status of the operation and matches its schema. */
function conforms(x: Exchange, options: { undocumentedStatus?: boolean } = {}): void {
  const found = operation(x.method, x.url);
  expect(found, `${x.method} ${x.url} is not in the 11.7.1 schema`).toBeDefined();
  if (!found) return;
  covered.add(`${x.method} ${found.template} ${x.statusCode}`);
  const responses = found.op.responses ?? {};
  const response = responses[String(x.statusCode)];
  if (!response) {
    expect(options.undocumentedStatus, `${x.method} ${x.url} answered undocumented ${x.statusCode}`).toBe(
      true,
    );
    // An error the schema does not list is still an ApiError.
    if (x.statusCode >= 400) validate(x, { $ref: '#/components/schemas/ApiError' });
    return;
  }
  const schema = response.content?.['application/json']?.schema;
  if (schema) validate(x, schema);
  else expect(x.body, `${x.method} ${x.url} ${x.statusCode} has no body in the schema`).toBe('');
}

function validate(x: Exchange, schema: Schema): void {
  const v = validatorFor(schema);
  const ok = v(JSON.parse(x.body));
  expect(ok ? [] : (v.errors ?? []).slice(0, 5), `${x.method} ${x.url} → ${x.statusCode}`).toEqual([]);
}

async function get(url: string): Promise<Exchange> {
  const r = await h.call('GET', url);
  return { method: 'GET', url, statusCode: r.statusCode, body: r.body };
}

async function send(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<Exchange> {
  const r = await h.call(method, url, body);
  return { method, url, statusCode: r.statusCode, body: r.body };
}

const ALL_COMPUTER = [
  'GENERAL',
  'DISK_ENCRYPTION',
  'PURCHASING',
  'APPLICATIONS',
  'STORAGE',
  'USER_AND_LOCATION',
  'CONFIGURATION_PROFILES',
  'PRINTERS',
  'SERVICES',
  'HARDWARE',
  'LOCAL_USER_ACCOUNTS',
  'CERTIFICATES',
  'ATTACHMENTS',
  'PLUGINS',
  'PACKAGE_RECEIPTS',
  'FONTS',
  'SECURITY',
  'OPERATING_SYSTEM',
  'LICENSED_SOFTWARE',
  'IBEACONS',
  'SOFTWARE_UPDATES',
  'EXTENSION_ATTRIBUTES',
  'CONTENT_CACHING',
  'GROUP_MEMBERSHIPS',
]
  .map((s) => `section=${s}`)
  .join('&');

const ALL_MOBILE = [
  'GENERAL',
  'HARDWARE',
  'USER_AND_LOCATION',
  'PURCHASING',
  'SECURITY',
  'APPLICATIONS',
  'EBOOKS',
  'NETWORK',
  'SERVICE_SUBSCRIPTIONS',
  'CERTIFICATES',
  'PROFILES',
  'USER_PROFILES',
  'PROVISIONING_PROFILES',
  'SHARED_USERS',
  'EXTENSION_ATTRIBUTES',
]
  .map((s) => `section=${s}`)
  .join('&');

/** Extension attributes in several display sections, values set, a profile and an app deployed. */
async function populate(): Promise<void> {
  for (const [display, name] of [
    ['EXTENSION_ATTRIBUTES', 'Risk'],
    ['GENERAL', 'Owner Team'],
    ['HARDWARE', 'Dock'],
    ['USER_AND_LOCATION', 'Badge'],
    ['PURCHASING', 'Budget'],
    ['OPERATING_SYSTEM', 'Patch Ring'],
  ]) {
    await h.call('POST', '/api/v1/computer-extension-attributes', { name, inventoryDisplayType: display });
    if (display !== 'OPERATING_SYSTEM')
      await h.call('POST', '/api/v1/mobile-device-extension-attributes', {
        name,
        inventoryDisplayType: display,
      });
  }
  await h.call('PATCH', '/api/v1/computers-inventory-detail/1', {
    extensionAttributes: [{ definitionId: '1', values: ['High'] }],
  });
  await h.call('PATCH', '/api/v2/mobile-devices/1', {
    updatedExtensionAttributes: [{ id: '1', value: ['High'] }],
  });
  const all = (kind: 'computers' | 'mobile_devices') => `<scope><all_${kind}>true</all_${kind}></scope>`;
  await h.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: `<os_x_configuration_profile><general><name>Activation</name></general>${all('computers')}</os_x_configuration_profile>`,
  });
  await h.classic('POST', '/JSSResource/macapplications/id/0', {
    xml: `<mac_application><general><name>Jamf Trust</name><bundle_id>com.jamf.trust</bundle_id><version>1.0</version></general>${all('computers')}</mac_application>`,
  });
  await h.classic('POST', '/JSSResource/mobiledeviceconfigurationprofiles/id/0', {
    xml: `<configuration_profile><general><name>Activation</name></general>${all('mobile_devices')}</configuration_profile>`,
  });
  await h.classic('POST', '/JSSResource/mobiledeviceapplications/id/0', {
    xml: `<mobile_device_application><general><name>Jamf Trust</name><bundle_id>com.jamf.trust</bundle_id><version>1.0</version></general>${all('mobile_devices')}</mobile_device_application>`,
  });
}

test.runIf(!available)(
  `the contract test is skipped: ${specPath} is absent (it lives beside the project)`,
  () => {
    expect(available).toBe(false);
  },
);

test.skipIf(!available)(
  'authentication responses match AuthTokenV1, AuthorizationV1, JamfProVersion and ApiError',
  async () => {
    const creds = { authorization: basic(h.username, h.password) };
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/token', headers: creds });
    conforms({ method: 'POST', url: '/api/v1/auth/token', statusCode: login.statusCode, body: login.body });
    expect(login.statusCode).toBe(200);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { authorization: basic(h.username, 'wrong') },
    });
    conforms({ method: 'POST', url: '/api/v1/auth/token', statusCode: bad.statusCode, body: bad.body });
    expect(bad.statusCode).toBe(401);
    const userToken = (login.json() as { token: string }).token;
    const me = await h.call('GET', '/api/v1/auth', undefined, userToken);
    conforms({ method: 'GET', url: '/api/v1/auth', statusCode: me.statusCode, body: me.body });
    conforms(await get('/api/v1/auth'));
    conforms(await get('/api/v1/jamf-pro-version'));
    const renewed = await h.call('POST', '/api/v1/auth/keep-alive', undefined, userToken);
    conforms({
      method: 'POST',
      url: '/api/v1/auth/keep-alive',
      statusCode: renewed.statusCode,
      body: renewed.body,
    });
    expect(renewed.statusCode).toBe(200);
    const newToken = (renewed.json() as { token: string }).token;
    const gone = await h.call('POST', '/api/v1/auth/invalidate-token', undefined, newToken);
    conforms({
      method: 'POST',
      url: '/api/v1/auth/invalidate-token',
      statusCode: gone.statusCode,
      body: gone.body,
    });
    expect(gone.statusCode).toBe(204);
  },
);

test.skipIf(!available)(
  'computer inventory with every section, and its errors, match ComputerInventory and ApiError',
  async () => {
    await populate();
    conforms(await get('/api/v1/computers-inventory'));
    conforms(await get(`/api/v1/computers-inventory?${ALL_COMPUTER}&page-size=5`));
    conforms(await get(`/api/v1/computers-inventory/1?${ALL_COMPUTER}`));
    conforms(await get('/api/v1/computers-inventory/1'));
    conforms(await get('/api/v1/computers-inventory/9999'));
    conforms(await get('/api/v1/computers-inventory-detail/1'));
    conforms(await get('/api/v1/computers-inventory-detail/9999'));
    const patched = await send('PATCH', '/api/v1/computers-inventory-detail/2', {
      general: { assetTag: 'T-2', extensionAttributes: [{ definitionId: '2', values: ['Blue'] }] },
      userAndLocation: { room: '4.01' },
      extensionAttributes: [{ definitionId: '1', values: ['Low'] }],
    });
    expect(patched.statusCode).toBe(200);
    conforms(patched);
    conforms(await send('PATCH', '/api/v1/computers-inventory-detail/9999', { general: { name: 'x' } }));
    conforms(await get('/api/v1/computers-inventory?filter=nope==1'), { undocumentedStatus: true });
    conforms(await send('PATCH', '/api/v1/computers-inventory-detail/1', { general: { name: 5 } }), {
      undocumentedStatus: true,
    });
  },
);

test.skipIf(!available)(
  'mobile devices, details and the sectioned search match the V2 and inventory schemas',
  async () => {
    conforms(await get('/api/v2/mobile-devices'));
    conforms(await get('/api/v2/mobile-devices?page=1&page-size=3&sort=name:desc'));
    conforms(await get('/api/v2/mobile-devices/1'));
    conforms(await get('/api/v2/mobile-devices/9999'));
    conforms(await get('/api/v2/mobile-devices/1/detail'));
    conforms(await get('/api/v2/mobile-devices/9999/detail'));
    const patched = await send('PATCH', '/api/v2/mobile-devices/2', {
      name: 'Renamed iPhone',
      location: { room: '2.10', realName: 'Someone Else' },
      updatedExtensionAttributes: [{ id: '1', value: ['Medium'] }],
    });
    expect(patched.statusCode).toBe(200);
    conforms(patched);
    conforms(await send('PATCH', '/api/v2/mobile-devices/9999', { name: 'x' }));
    conforms(await get('/api/v2/mobile-devices/detail'));
    conforms(await get(`/api/v2/mobile-devices/detail?${ALL_MOBILE}&page-size=4`));
    conforms(await get('/api/v2/mobile-devices/detail?filter=serialNumber=="NOPE"'));
  },
);

test.skipIf(!available)(
  'group lists, mobile static groups and recalculation match the group schemas',
  async () => {
    conforms(await get('/api/v1/computer-groups'));
    conforms(await get('/api/v1/mobile-device-groups'));
    const created = await send('POST', '/api/v1/mobile-device-groups/static-groups', {
      groupName: 'Pilot',
      assignments: [
        { mobileDeviceId: '1', selected: true },
        { mobileDeviceId: '2', selected: true },
      ],
    });
    expect(created.statusCode).toBe(201);
    conforms(created);
    const id = (JSON.parse(created.body) as { id: string }).id;
    conforms(await get('/api/v1/mobile-device-groups/static-groups'));
    conforms(await get(`/api/v1/mobile-device-groups/static-groups/${id}`));
    conforms(await get('/api/v1/mobile-device-groups/static-groups/9999'));
    conforms(
      await send('PATCH', `/api/v1/mobile-device-groups/static-groups/${id}`, {
        groupName: 'Pilot 2',
        assignments: [{ mobileDeviceId: '2', selected: false }],
      }),
    );
    conforms(await get(`/api/v1/mobile-device-groups/static-group-membership/${id}`));
    conforms(await get('/api/v1/mobile-device-groups/static-group-membership/9999'));
    conforms(await send('POST', '/api/v1/computers/1/recalculate-smart-groups'));
    conforms(await send('POST', '/api/v1/smart-computer-groups/1/recalculate'));
    conforms(await send('POST', '/api/v1/mobile-devices/1/recalculate-smart-groups'));
    conforms(await send('POST', '/api/v1/smart-mobile-device-groups/1/recalculate'));
    conforms(await send('POST', '/api/v1/smart-computer-groups/9999/recalculate'), {
      undocumentedStatus: true,
    });
    conforms(await send('DELETE', `/api/v1/mobile-device-groups/static-groups/${id}`));
  },
);

test.skipIf(!available)('every 11.7.1 operation the mock implements was exercised', () => {
  const operations = new Set([...covered].map((c) => c.split(' ').slice(0, 2).join(' ')));
  expect([...operations].sort()).toEqual(
    [
      'DELETE /v1/mobile-device-groups/static-groups/{id}',
      'GET /v1/auth',
      'GET /v1/computer-groups',
      'GET /v1/computers-inventory',
      'GET /v1/computers-inventory-detail/{id}',
      'GET /v1/computers-inventory/{id}',
      'GET /v1/jamf-pro-version',
      'GET /v1/mobile-device-groups',
      'GET /v1/mobile-device-groups/static-group-membership/{id}',
      'GET /v1/mobile-device-groups/static-groups',
      'GET /v1/mobile-device-groups/static-groups/{id}',
      'GET /v2/mobile-devices',
      'GET /v2/mobile-devices/detail',
      'GET /v2/mobile-devices/{id}',
      'GET /v2/mobile-devices/{id}/detail',
      'PATCH /v1/computers-inventory-detail/{id}',
      'PATCH /v1/mobile-device-groups/static-groups/{id}',
      'PATCH /v2/mobile-devices/{id}',
      'POST /v1/auth/invalidate-token',
      'POST /v1/auth/keep-alive',
      'POST /v1/auth/token',
      'POST /v1/computers/{id}/recalculate-smart-groups',
      'POST /v1/mobile-device-groups/static-groups',
      'POST /v1/mobile-devices/{id}/recalculate-smart-groups',
      'POST /v1/smart-computer-groups/{id}/recalculate',
      'POST /v1/smart-mobile-device-groups/{id}/recalculate',
    ].sort(),
  );
});
