/**
 * Inventory on the Jamf Pro API over HTTP. Computers: the fleet's computers and users, sections, paging,
 * sorting and RSQL filtering (including the 400s for what the endpoint cannot do), lookups by id, the
 * all-sections detail, determinism from the seed, and the PATCH of updatable fields. Mobile devices: the v2
 * list (paged, sorted, no filter), one device and its detail, the sectioned and filtered detail search, and
 * the PATCH of names, location and extension attribute values, with its validation.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateFleet } from '../../harness/fleet/index.ts';
import { type Harness, harness } from './jamf-pro.testing.ts';

const FLEET = { seed: 7, devices: 40 };
const fleet = generateFleet(FLEET);
const macs = fleet.devices.filter((d) => d.kind === 'computer');
const mobiles = fleet.devices.filter((d) => d.kind === 'mobile');
let h: Harness;
let riskId: string;

beforeAll(async () => {
  h = await harness({ fleet: FLEET });
  const r = await h.call('POST', '/api/v1/mobile-device-extension-attributes', {
    name: 'JSC Risk',
    dataType: 'STRING',
    inputType: 'POPUP',
    popupMenuChoices: ['Secure', 'Low', 'Medium', 'High'],
    inventoryDisplayType: 'GENERAL',
  });
  riskId = r.json().id;
});
afterAll(async () => {
  await h.close();
});

type Computer = { id: string; udid: string; general: { name: string } | null; [k: string]: unknown };

async function list(query: string): Promise<{ totalCount: number; results: Computer[] }> {
  const r = await h.call('GET', `/api/v1/computers-inventory${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

async function error(query: string): Promise<{ code: string; field: string; description: string }> {
  const r = await h.call('GET', `/api/v1/computers-inventory${query}`);
  expect(r.statusCode).toBe(400);
  const body = r.json();
  expect(body.httpStatus).toBe(400);
  return body.errors[0];
}

test('the inventory holds exactly the fleet computers, numbered from 1 in fleet order, with their users', async () => {
  const { totalCount, results } = await list(
    '?section=USER_AND_LOCATION&section=HARDWARE&sort=id:asc&page-size=100',
  );
  expect(totalCount).toBe(macs.length);
  results.forEach((c, i) => {
    const fleet = macs[i];
    expect(c.id).toBe(String(i + 1));
    expect(c.udid).toBe(fleet?.udid);
    expect(c.userAndLocation).toMatchObject({
      username: fleet?.user.username,
      realname: fleet?.user.displayName,
      email: fleet?.user.email,
      position: fleet?.user.title,
    });
    expect(c.hardware).toMatchObject({
      serialNumber: fleet?.serialNumber,
      model: fleet?.model,
      make: 'Apple',
    });
  });
});

test('only GENERAL is populated by default; every other section is null', async () => {
  const [first] = (await list('?page-size=1')).results;
  expect(first?.general).toMatchObject({ platform: 'Mac', remoteManagement: { managed: true } });
  expect(first?.hardware).toBeNull();
  expect(first?.groupMemberships).toBeNull();
  expect(Object.keys(first ?? {})).toHaveLength(26);
});

test('sections are repeatable, comma-separable and case-insensitive', async () => {
  const [c] = (await list('?section=hardware,OPERATING_SYSTEM&section=Group_Memberships&page-size=1'))
    .results;
  expect(c?.general).toBeNull();
  expect(c?.hardware).not.toBeNull();
  expect(c?.operatingSystem).toMatchObject({ name: 'macOS', fileVault2Status: 'ALL_ENCRYPTED' });
  expect(c?.groupMemberships).toEqual([{ groupId: '1', groupName: 'All Managed Clients', smartGroup: true }]);
});

test('an unknown section is a 400 naming the parameter', async () => {
  const e = await error('?section=GENERAL&section=BATTERY');
  expect(e).toMatchObject({ code: 'INVALID_PARAMETER', field: 'section' });
  expect(e.description).toContain("'BATTERY'");
});

test('unrequested sections can be left out instead of null', async () => {
  const other = await harness({ fleet: { devices: 3 }, unrequestedSections: 'omit' });
  const [c] = (await other.call('GET', '/api/v1/computers-inventory')).json().results;
  expect(Object.keys(c)).toEqual(['id', 'udid', 'general']);
  await other.close();
});

test('pages are 0-based slices of page-size, with totalCount over the whole filtered set', async () => {
  const all = (await list('?sort=id:asc&page-size=100')).results.map((c) => c.id);
  const p0 = await list('?sort=id:asc&page-size=5&page=0');
  const p1 = await list('?sort=id:asc&page-size=5&page=1');
  expect(p0.totalCount).toBe(all.length);
  expect(p0.results.map((c) => c.id)).toEqual(all.slice(0, 5));
  expect(p1.results.map((c) => c.id)).toEqual(all.slice(5, 10));
  expect((await list('?page=99&page-size=5')).results).toEqual([]);
  expect((await list('')).results).toHaveLength(Math.min(100, all.length));
});

test('page and page-size must be integers in range; the page-size cap is 2000', async () => {
  expect(await error('?page-size=2001')).toMatchObject({ code: 'INVALID_PARAMETER', field: 'page-size' });
  expect(await error('?page=-1')).toMatchObject({ field: 'page' });
  expect(await error('?page=one')).toMatchObject({ field: 'page' });
  expect(await error('?page-size=1.5')).toMatchObject({ field: 'page-size' });
  expect((await list('?page-size=2000')).results.length).toBe(macs.length);
});

test('the default sort is general.name ascending, case-insensitively', async () => {
  const names = (await list('?page-size=100')).results.map((c) => c.general?.name ?? '');
  const lower = names.map((n) => n.toLowerCase());
  expect(lower).toEqual([...lower].sort());
});

test('sort takes field:direction, comma-separated or repeated, and ties fall back to id', async () => {
  const desc = (await list('?sort=id:desc&page-size=3')).results.map((c) => c.id);
  expect(desc).toEqual([String(macs.length), String(macs.length - 1), String(macs.length - 2)]);
  const byModel = (await list('?section=HARDWARE&sort=hardware.model:asc,id:desc&page-size=100')).results;
  const repeated = (await list('?section=HARDWARE&sort=hardware.model:asc&sort=id:desc&page-size=100'))
    .results;
  expect(byModel.map((c) => c.id)).toEqual(repeated.map((c) => c.id));
  for (let i = 1; i < byModel.length; i++) {
    const [a, b] = [byModel[i - 1], byModel[i]] as [Computer, Computer];
    const [ma, mb] = [(a.hardware as { model: string }).model, (b.hardware as { model: string }).model];
    expect(ma.toLowerCase() <= mb.toLowerCase()).toBe(true);
    if (ma === mb) expect(Number(a.id)).toBeGreaterThan(Number(b.id));
  }
});

test('an unknown sort field or direction is a 400 INVALID_FIELD on sort', async () => {
  const e = await error('?sort=hardware.serialNumber:asc');
  expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'sort' });
  expect(e.description).toContain('Cannot sort by field [hardware.serialNumber]');
  expect(await error('?sort=id:up')).toMatchObject({ field: 'sort' });
});

test('RSQL filters match case-insensitively, with quotes, wildcards, =in= and logic', async () => {
  const target = macs[3];
  if (!target) throw new Error('fleet too small');
  const byUdid = await list(`?filter=udid=="${target.udid.toLowerCase()}"`);
  expect(byUdid.results.map((c) => c.id)).toEqual(['4']);
  const byName = await list(`?filter=${encodeURIComponent(`general.name=="${target.name.toUpperCase()}"`)}`);
  expect(byName.results.map((c) => c.udid)).toContain(target.udid);
  const user = target.user.username;
  const wildcard = await list(
    `?section=USER_AND_LOCATION&filter=userAndLocation.email==${user.slice(0, 3)}*`,
  );
  expect(
    wildcard.results.every((c) =>
      (c.userAndLocation as { email: string }).email.startsWith(user.slice(0, 3)),
    ),
  ).toBe(true);
  expect((await list('?filter=id=in=(1,2,3);id!=2')).results.map((c) => c.id).sort()).toEqual(['1', '3']);
  expect((await list('?filter=id==1,id==2&sort=id:asc')).results.map((c) => c.id)).toEqual(['1', '2']);
  expect((await list('?filter=(id==1 or id==2) and id=gt=1')).results.map((c) => c.id)).toEqual(['2']);
  expect((await list('?filter=id=out=(1,2)')).totalCount).toBe(macs.length - 2);
  expect(
    (await list(`?filter=${encodeURIComponent('general.remoteManagement.managed==true')}`)).totalCount,
  ).toBe(macs.length);
  expect((await list('?filter=hardware.serialNumber==NOPE')).totalCount).toBe(0);
});

test('RSQL filters on dates and numbers compare values, not text', async () => {
  const after = await list('?filter=general.lastEnrolledDate=ge=2025-06-01T00:00:00Z&page-size=100');
  const expected = macs.filter((m) => Date.parse(m.enrolledAt) >= Date.parse('2025-06-01T00:00:00Z'));
  expect(after.totalCount).toBe(expected.length);
  expect((await list('?filter=id>9&filter=id<12')).results.map((c) => c.id).sort()).toEqual(['10', '11']);
});

test('filtering by a field Jamf does not allow is a 400 INVALID_FIELD listing the allowed fields', async () => {
  const e = await error('?filter=general.serialNumber==X');
  expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'filter' });
  expect(e.description).toContain('Cannot filter by field [general.serialNumber]');
  expect(e.description).toContain('hardware.serialNumber');
});

test('a filter that is not RSQL, or has a value of the wrong type, is a 400 on filter', async () => {
  expect(await error('?filter=id==')).toMatchObject({ code: 'INVALID_RSQL_FILTER', field: 'filter' });
  expect(await error(`?filter=${encodeURIComponent('general.name=="open')}`)).toMatchObject({
    code: 'INVALID_RSQL_FILTER',
  });
  expect(await error('?filter=id==abc')).toMatchObject({ code: 'INVALID_FIELD', field: 'filter' });
  expect(await error('?filter=general.supervised==maybe')).toMatchObject({ code: 'INVALID_FIELD' });
});

test('one computer by id honours sections; an unknown id is a 404 ApiError', async () => {
  const r = await h.call('GET', '/api/v1/computers-inventory/2?section=SECURITY');
  expect(r.statusCode).toBe(200);
  expect(r.json()).toMatchObject({
    id: '2',
    general: null,
    security: { sipStatus: 'ENABLED', firewallEnabled: true },
  });
  for (const id of ['999', 'abc']) {
    const missing = await h.call('GET', `/api/v1/computers-inventory/${id}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      httpStatus: 404,
      errors: [{ code: 'INVALID_ID', field: 'id', description: 'Computer not found', id }],
    });
  }
});

test('the detail endpoint returns every section', async () => {
  const r = await h.call('GET', '/api/v1/computers-inventory-detail/1');
  const body = r.json();
  for (const value of Object.values(body)) expect(value).not.toBeNull();
  expect(body.general.managementId).toBe(macs[0]?.managementId);
  expect(body.localUserAccounts[0]).toMatchObject({ uid: '501', username: macs[0]?.user.username });
});

test('the same seed gives the same inventory and another seed another one', async () => {
  const again = await harness({ fleet: FLEET });
  const other = await harness({ fleet: { seed: 8, devices: 40 } });
  const q = '/api/v1/computers-inventory-detail/5';
  const [a, b, c] = await Promise.all([h.call('GET', q), again.call('GET', q), other.call('GET', q)]);
  expect(b.json()).toEqual(a.json());
  expect(c.json().udid).not.toBe(a.json().udid);
  await again.close();
  await other.close();
});

test('PATCH updates general, user and purchasing fields and returns the full inventory', async () => {
  const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/6', {
    general: { name: 'Renamed Mac', assetTag: 'TAG-6', barcode1: 'B1' },
    userAndLocation: { room: '101', position: 'CISO', departmentId: '1' },
    purchasing: { vendor: 'Reseller', poDate: '2025-01-02', lifeExpectancy: 5 },
    hardware: { altMacAddress: 'AA:BB:CC:DD:EE:FF' },
  });
  expect(r.statusCode).toBe(200);
  expect(r.json()).toMatchObject({
    id: '6',
    general: { name: 'Renamed Mac', assetTag: 'TAG-6', barcode1: 'B1' },
    userAndLocation: { room: '101', position: 'CISO', departmentId: '1' },
    purchasing: { vendor: 'Reseller', poDate: '2025-01-02', lifeExpectancy: 5 },
    hardware: { altMacAddress: 'AA:BB:CC:DD:EE:FF' },
  });
  const found = await list(`?filter=${encodeURIComponent('general.name=="renamed mac"')}`);
  expect(found.results.map((c) => c.id)).toEqual(['6']);
});

test('PATCH answers 404 for an unknown computer', async () => {
  const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/404', { general: { name: 'x' } });
  expect(r.statusCode).toBe(404);
  expect(r.json().errors[0].code).toBe('INVALID_ID');
});

test('the v2 list holds the fleet mobile devices as MobileDeviceV2 in id order by default', async () => {
  const r = await h.call('GET', '/api/v2/mobile-devices?page-size=100');
  const body = r.json();
  expect(body.totalCount).toBe(mobiles.length);
  const first = mobiles[0];
  expect(body.results[0]).toEqual({
    id: '1',
    name: first?.name,
    serialNumber: first?.serialNumber,
    wifiMacAddress: first?.macAddress.toUpperCase(),
    udid: first?.udid,
    phoneNumber: first?.model.startsWith('iPhone') ? first.user.phone : '',
    model: first?.model,
    modelIdentifier: first?.modelIdentifier,
    username: first?.user.username,
    type: 'ios',
    managementId: first?.managementId,
  });
  expect(body.results.map((m: { id: string }) => Number(m.id))).toEqual(mobiles.map((_, i) => i + 1));
});

test('the v2 list pages and sorts but has no filter, so a filter is ignored', async () => {
  const page = (await h.call('GET', '/api/v2/mobile-devices?page=1&page-size=2&sort=id:desc')).json();
  expect(page.results.map((m: { id: string }) => m.id)).toEqual([
    String(mobiles.length - 2),
    String(mobiles.length - 3),
  ]);
  const filtered = (await h.call('GET', '/api/v2/mobile-devices?filter=udid==nothing')).json();
  expect(filtered.totalCount).toBe(mobiles.length);
  expect((await h.call('GET', '/api/v2/mobile-devices?sort=displayName:asc')).statusCode).toBe(400);
});

test('one device and its detail; unknown ids are 404 ApiErrors', async () => {
  expect((await h.call('GET', '/api/v2/mobile-devices/2')).json().udid).toBe(mobiles[1]?.udid);
  const detail = (await h.call('GET', '/api/v2/mobile-devices/2/detail')).json();
  expect(detail).toMatchObject({
    id: '2',
    udid: mobiles[1]?.udid,
    serialNumber: mobiles[1]?.serialNumber,
    osVersion: mobiles[1]?.osVersion,
    managed: true,
    type: 'ios',
    managementId: mobiles[1]?.managementId,
    location: {
      username: mobiles[1]?.user.username,
      realName: mobiles[1]?.user.displayName,
      emailAddress: mobiles[1]?.user.email,
    },
    ios: { model: mobiles[1]?.model, modelIdentifier: mobiles[1]?.modelIdentifier },
  });
  expect(detail.extensionAttributes).toEqual([
    { id: riskId, name: 'JSC Risk', type: 'STRING', value: [], extensionAttributeCollectionAllowed: false },
  ]);
  for (const url of [
    '/api/v2/mobile-devices/999',
    '/api/v2/mobile-devices/999/detail',
    '/api/v2/mobile-devices/x',
  ]) {
    const r = await h.call('GET', url);
    expect(r.statusCode).toBe(404);
    expect(r.json().errors[0]).toMatchObject({ code: 'INVALID_ID', field: 'id' });
  }
});

test('the detail search returns iOS inventory with only the requested sections, sorted by displayName', async () => {
  const body = (
    await h.call(
      'GET',
      '/api/v2/mobile-devices/detail?section=GENERAL&section=USER_AND_LOCATION&page-size=100',
    )
  ).json();
  expect(body.totalCount).toBe(mobiles.length);
  const first = body.results[0];
  expect(first).toMatchObject({ deviceType: 'iOS', hardware: null, security: null });
  expect(first.general.extensionAttributes).toEqual([
    {
      id: riskId,
      name: 'JSC Risk',
      type: 'STRING',
      value: [],
      extensionAttributeCollectionAllowed: false,
      inventoryDisplay: 'GENERAL',
    },
  ]);
  const names: string[] = body.results.map((m: { general: { displayName: string } }) =>
    m.general.displayName.toLowerCase(),
  );
  expect(names).toEqual([...names].sort());
});

test('the detail search filters with RSQL on flat field names', async () => {
  const target = mobiles[4];
  if (!target) throw new Error('fleet too small');
  const bySerial = (
    await h.call('GET', `/api/v2/mobile-devices/detail?filter=serialNumber=="${target.serialNumber}"`)
  ).json();
  expect(bySerial.results.map((m: { mobileDeviceId: string }) => m.mobileDeviceId)).toEqual(['5']);
  const email = encodeURIComponent(`emailAddress=="${target.user.email.toUpperCase()}"`);
  const byEmail = (
    await h.call('GET', `/api/v2/mobile-devices/detail?section=USER_AND_LOCATION&filter=${email}`)
  ).json();
  expect(byEmail.results.map((m: { mobileDeviceId: string }) => m.mobileDeviceId)).toContain('5');
  const ipads = (
    await h.call('GET', '/api/v2/mobile-devices/detail?filter=model=="iPad*"&page-size=100')
  ).json();
  expect(ipads.totalCount).toBe(mobiles.filter((m) => m.model.startsWith('iPad')).length);
  const managed = (
    await h.call('GET', '/api/v2/mobile-devices/detail?filter=managed==true;username!=nobody')
  ).json();
  expect(managed.totalCount).toBe(mobiles.length);
});

test('fields Jamf does not allow in this filter are refused, as deviceOwnershipType is on real servers', async () => {
  const r = await h.call('GET', '/api/v2/mobile-devices/detail?filter=deviceOwnershipType==Institutional');
  expect(r.statusCode).toBe(400);
  expect(r.json().errors[0]).toMatchObject({ code: 'INVALID_FIELD', field: 'filter' });
  expect(r.json().errors[0].description).toContain('Cannot filter by field [deviceOwnershipType]');
});

test('PATCH writes name, location and extension attribute values and answers the detail', async () => {
  const r = await h.call('PATCH', '/api/v2/mobile-devices/3', {
    name: 'Front desk iPad',
    enforceName: true,
    location: { realName: 'Desk Team', room: 'Lobby' },
    updatedExtensionAttributes: [{ id: riskId, name: 'JSC Risk', type: 'STRING', value: ['High'] }],
  });
  expect(r.statusCode).toBe(200);
  const body = r.json();
  expect(body).toMatchObject({
    id: '3',
    name: 'Front desk iPad',
    enforceName: true,
    location: { realName: 'Desk Team', room: 'Lobby' },
  });
  expect(body.extensionAttributes[0].value).toEqual(['High']);
  expect(body).not.toHaveProperty('managementId');
  const search = (
    await h.call('GET', '/api/v2/mobile-devices/detail?filter=displayName=="front desk ipad"')
  ).json();
  expect(search.results[0].general.extensionAttributes[0].value).toEqual(['High']);
  const cleared = await h.call('PATCH', '/api/v2/mobile-devices/3', {
    updatedExtensionAttributes: [{ id: riskId, value: [] }],
  });
  expect(cleared.json().extensionAttributes[0].value).toEqual([]);
});

test('an extension attribute may be named instead of numbered in a PATCH', async () => {
  const r = await h.call('PATCH', '/api/v2/mobile-devices/4', {
    updatedExtensionAttributes: [{ name: 'jsc risk', value: ['Low'] }],
  });
  expect(r.statusCode).toBe(200);
  expect(r.json().extensionAttributes[0].value).toEqual(['Low']);
});

test('a PATCH with one bad member changes nothing and names the field', async () => {
  const before = (await h.call('GET', '/api/v2/mobile-devices/5/detail')).json();
  const cases: [unknown, string][] = [
    [
      { name: 'ok', updatedExtensionAttributes: [{ id: riskId, value: ['Critical'] }] },
      'updatedExtensionAttributes[0].value',
    ],
    [
      { name: 'ok', updatedExtensionAttributes: [{ id: '99', value: ['High'] }] },
      'updatedExtensionAttributes[0].id',
    ],
    [
      { name: 'ok', updatedExtensionAttributes: [{ id: riskId, value: 'High' }] },
      'updatedExtensionAttributes[0].value',
    ],
    [{ name: 'ok', updatedExtensionAttributes: [{ id: riskId }] }, 'updatedExtensionAttributes[0].value'],
    [{ name: 'ok', location: { departmentId: '999' } }, 'location.departmentId'],
    [{ name: 42 }, 'name'],
    [{ name: 'ok', enforceName: 'yes' }, 'enforceName'],
    [{ name: 'ok', location: 'x' }, 'location'],
  ];
  for (const [body, field] of cases) {
    const r = await h.call('PATCH', '/api/v2/mobile-devices/5', body);
    expect(r.statusCode, JSON.stringify(body)).toBe(400);
    expect(r.json().errors[0].field).toBe(field);
  }
  expect((await h.call('GET', '/api/v2/mobile-devices/5/detail')).json()).toEqual(before);
});
