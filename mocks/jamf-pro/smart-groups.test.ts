/**
 * Smart groups follow extension attribute values, whichever API writes them — the behaviour Jamf Security
 * Cloud's risk signalling relies on — plus the criteria language (search types, and/or, priority, parens),
 * criteria validation, the recalculation endpoints, static groups and the group lists.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Harness, harness } from './jamf-pro.testing.ts';

let h: Harness;
let riskId: string;
let mobileRiskId: string;

beforeAll(async () => {
  h = await harness({ fleet: { seed: 5, devices: 30 } });
});
beforeEach(async () => {
  await h.reset();
  riskId = (
    await h.call('POST', '/api/v1/computer-extension-attributes', {
      name: 'JSC Risk',
      inputType: 'POPUP',
      popupMenuChoices: ['Secure', 'Low', 'Medium', 'High'],
    })
  ).json().id;
  mobileRiskId = (
    await h.call('POST', '/api/v1/mobile-device-extension-attributes', { name: 'JSC Risk' })
  ).json().id;
});
afterAll(async () => {
  await h.close();
});

function criterion(name: string, searchType: string, value: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    priority: 0,
    andOr: 'and',
    searchType,
    value,
    openingParen: false,
    closingParen: false,
    ...extra,
  };
}

async function computerGroup(name: string, criteria: unknown[]): Promise<string> {
  const r = await h.call('POST', '/api/v2/computer-groups/smart-groups', { name, criteria });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

async function members(id: string): Promise<number[]> {
  const r = await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`);
  expect(r.statusCode).toBe(200);
  return r.json().members;
}

async function mobileMembers(id: string): Promise<string[]> {
  const r = await h.call('GET', `/api/v1/mobile-device-groups/smart-group-membership/${id}?page-size=2000`);
  expect(r.statusCode).toBe(200);
  return r.json().results.map((m: { mobileDeviceId: string }) => m.mobileDeviceId);
}

async function setRisk(computerId: number, value: string): Promise<void> {
  const r = await h.call('PATCH', `/api/v1/computers-inventory-detail/${computerId}`, {
    extensionAttributes: [{ definitionId: riskId, values: value === '' ? [] : [value] }],
  });
  expect(r.statusCode, r.body).toBe(200);
}

const xmlRisk = (root: string, id: string, value: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><${root}><extension_attributes><extension_attribute><id>${id}</id><value>${value}</value></extension_attribute></extension_attributes></${root}>`;

test('a Pro API PATCH of an extension attribute moves the computer into and out of a smart group', async () => {
  const high = await computerGroup('High risk Macs', [criterion('JSC Risk', 'is', 'High')]);
  expect(await members(high)).toEqual([]);
  await setRisk(3, 'High');
  expect(await members(high)).toEqual([3]);
  const inventory = (await h.call('GET', '/api/v1/computers-inventory/3?section=GROUP_MEMBERSHIPS')).json();
  expect(inventory.groupMemberships).toContainEqual({
    groupId: high,
    groupName: 'High risk Macs',
    smartGroup: true,
  });
  await setRisk(3, 'Low');
  expect(await members(high)).toEqual([]);
});

test('a Classic XML PUT of an extension attribute moves the computer too, by id, udid or serial number', async () => {
  const high = await computerGroup('High risk Macs', [criterion('JSC Risk', 'is', 'high')]);
  const two = (await h.call('GET', '/api/v1/computers-inventory/2?section=HARDWARE')).json();
  for (const url of [
    '/JSSResource/computers/id/1',
    `/JSSResource/computers/udid/${two.udid}`,
    `/JSSResource/computers/serialnumber/${two.hardware.serialNumber}`,
  ]) {
    const r = await h.classic('PUT', url, { xml: xmlRisk('computer', riskId, 'High') });
    expect(r.statusCode).toBe(201);
  }
  expect(await members(high)).toEqual([1, 2]);
  const classic = await h.classic('GET', `/JSSResource/computergroups/id/${high}`, {
    accept: 'application/json',
  });
  expect(classic.json().computer_group.computers.map((c: { id: number }) => c.id)).toEqual([1, 2]);
  await h.classic('PUT', '/JSSResource/computers/id/1', { xml: xmlRisk('computer', riskId, '') });
  expect(await members(high)).toEqual([2]);
});

test('a mobile PATCH and a Classic mobile PUT both move a device into a mobile smart group', async () => {
  const created = await h.call('POST', '/api/v1/mobile-device-groups/smart-groups', {
    groupName: 'High risk mobiles',
    criteria: [criterion('JSC Risk', 'is', 'High')],
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id;
  await h.call('PATCH', '/api/v2/mobile-devices/2', {
    updatedExtensionAttributes: [{ id: mobileRiskId, value: ['High'] }],
  });
  expect(await mobileMembers(id)).toEqual(['2']);
  const put = await h.classic('PUT', '/JSSResource/mobiledevices/id/4', {
    xml: xmlRisk('mobile_device', mobileRiskId, 'High'),
  });
  expect(put.statusCode).toBe(201);
  expect(put.body).toBe('<?xml version="1.0" encoding="UTF-8"?><mobile_device><id>4</id></mobile_device>');
  expect(await mobileMembers(id)).toEqual(['2', '4']);
  const group = (await h.call('GET', `/api/v1/mobile-device-groups/smart-groups/${id}`)).json();
  expect(group).toMatchObject({
    groupId: id,
    groupName: 'High risk mobiles',
    count: 2,
    criteria: [{ name: 'JSC Risk', searchType: 'is' }],
  });
  const classicDevice = (
    await h.classic('GET', '/JSSResource/mobiledevices/id/4', { accept: 'application/json' })
  ).json();
  expect(classicDevice.mobile_device.mobile_device_groups).toContainEqual({
    id: Number(id),
    name: 'High risk mobiles',
  });
});

test('search types: is not, like, not like, has, does not have, regex and its negation', async () => {
  await setRisk(1, 'High');
  await setRisk(2, 'Medium');
  await setRisk(3, 'Low');
  const cases: [string, string, number[]][] = [
    ['is not', 'high', [2, 3]],
    ['like', 'i', [1, 2]],
    ['not like', 'i', [3]],
    ['has', 'ed', [2]],
    ['does not have', 'ed', [1, 3]],
    ['matches regex', '^(high|low)$', [1, 3]],
    ['does not match regex', '^h', [2, 3]],
  ];
  for (const [searchType, value, expected] of cases) {
    const id = await computerGroup(`risk ${searchType}`, [
      criterion('JSC Risk', searchType, value),
      criterion('Computer Name', 'like', '', { priority: 1 }),
      criterion('UDID', 'is not', '', { priority: 2 }),
    ]);
    const got = (await members(id)).filter((m) => m <= 3);
    expect(got, searchType).toEqual(expected);
  }
});

test('"is" with an empty value selects devices where the attribute has no value', async () => {
  await setRisk(1, 'High');
  const unset = await computerGroup('No risk yet', [criterion('JSC Risk', 'is', '')]);
  const all = (await h.call('GET', '/api/v1/computers-inventory?page-size=100')).json().totalCount;
  expect((await members(unset)).length).toBe(all - 1);
  expect(await members(unset)).not.toContain(1);
});

test('and binds tighter than or, criteria apply in priority order, and paren flags regroup', async () => {
  await setRisk(1, 'High');
  await setRisk(2, 'High');
  await setRisk(3, 'Medium');
  const serial = (await h.call('GET', '/api/v1/computers-inventory/2?section=HARDWARE')).json().hardware
    .serialNumber;
  // Listed out of order on purpose: priority decides. risk=Medium OR (risk=High AND serial=#2).
  const plain = await computerGroup('plain', [
    criterion('Serial Number', 'is', serial, { priority: 2, andOr: 'and' }),
    criterion('JSC Risk', 'is', 'Medium', { priority: 0 }),
    criterion('JSC Risk', 'is', 'High', { priority: 1, andOr: 'or' }),
  ]);
  expect(await members(plain)).toEqual([2, 3]);
  // (risk=Medium OR risk=High) AND serial=#2.
  const grouped = await computerGroup('grouped', [
    criterion('JSC Risk', 'is', 'Medium', { priority: 0, openingParen: true }),
    criterion('JSC Risk', 'is', 'High', { priority: 1, andOr: 'or', closingParen: true }),
    criterion('Serial Number', 'is', serial, { priority: 2, andOr: 'and' }),
  ]);
  expect(await members(grouped)).toEqual([2]);
});

test('criteria on inventory fields work alongside extension attributes', async () => {
  const c4 = (await h.call('GET', '/api/v1/computers-inventory/4?section=USER_AND_LOCATION')).json();
  const byUser = await computerGroup('one user', [
    criterion('Username', 'is', c4.userAndLocation.username.toUpperCase()),
  ]);
  expect(await members(byUser)).toContain(4);
  const byDept = await computerGroup('dept', [criterion('Department', 'is not', '')]);
  expect((await members(byDept)).length).toBeGreaterThan(0);
});

test('integer and date attributes compare with more than, less than, before and after', async () => {
  const score = (
    await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Score', dataType: 'INTEGER' })
  ).json().id;
  const seen = (
    await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Seen', dataType: 'DATE' })
  ).json().id;
  const patch = (id: number, s: string, d: string) =>
    h.call('PATCH', `/api/v1/computers-inventory-detail/${id}`, {
      extensionAttributes: [
        { definitionId: score, values: [s] },
        { definitionId: seen, values: [d] },
      ],
    });
  expect((await patch(1, '9', '2026-01-01 10:00:00')).statusCode).toBe(200);
  expect((await patch(2, '70', '2025-06-30')).statusCode).toBe(200);
  expect(await members(await computerGroup('high score', [criterion('Score', 'more than', '10')]))).toEqual([
    2,
  ]);
  expect(await members(await computerGroup('low score', [criterion('Score', 'less than', '10')]))).toEqual([
    1,
  ]);
  expect(
    await members(await computerGroup('old', [criterion('Seen', 'before (yyyy-mm-dd)', '2025-12-31')])),
  ).toEqual([2]);
  expect(
    await members(await computerGroup('new', [criterion('Seen', 'after (yyyy-mm-dd)', '2025-12-31')])),
  ).toEqual([1]);
});

test('criteria that cannot be evaluated are refused with a 400 naming the criterion', async () => {
  const cases: [unknown[], string][] = [
    [[criterion('No Such Field', 'is', 'x')], 'criteria[0].name'],
    [[criterion('JSC Risk', 'is', 'x'), criterion('JSC Risk', 'sounds like', 'x')], 'criteria[1].searchType'],
    [[criterion('JSC Risk', 'matches regex', '(')], 'criteria[0].value'],
    [[criterion('JSC Risk', 'matches regex', '^(a+)+$')], 'criteria[0].value'],
    [[criterion('JSC Risk', 'more than', 'ten')], 'criteria[0].value'],
    [[criterion('JSC Risk', 'is', 'x', { openingParen: true })], 'criteria'],
    [[criterion('JSC Risk', 'is', 'x', { andOr: 'xor' })], 'criteria[0].andOr'],
    [[{ name: 'JSC Risk', value: 'x' }], 'criteria[0].searchType'],
  ];
  for (const [criteria, field] of cases) {
    const r = await h.call('POST', '/api/v2/computer-groups/smart-groups', { name: 'bad', criteria });
    expect(r.statusCode, JSON.stringify(criteria)).toBe(400);
    expect(r.json().errors[0].field).toBe(field);
  }
  expect((await h.call('GET', '/api/v2/computer-groups/smart-groups')).json().totalCount).toBe(2);
});

test('smart groups can be listed, read, replaced and deleted, and a replacement recalculates', async () => {
  await setRisk(5, 'Medium');
  const id = await computerGroup('watch', [criterion('JSC Risk', 'is', 'High')]);
  const listed = (await h.call('GET', '/api/v2/computer-groups/smart-groups?filter=name=="watch"')).json();
  expect(listed).toEqual({
    totalCount: 1,
    results: [{ id, name: 'watch', description: '', siteId: '-1', membershipCount: 0 }],
  });
  const put = await h.call('PUT', `/api/v2/computer-groups/smart-groups/${id}`, {
    name: 'watch',
    description: 'medium and up',
    criteria: [
      criterion('JSC Risk', 'is', 'Medium'),
      criterion('JSC Risk', 'is', 'High', { priority: 1, andOr: 'or' }),
    ],
  });
  expect(put.statusCode).toBe(200);
  expect(put.json()).toMatchObject({ id, description: 'medium and up', membershipCount: 1 });
  expect(await members(id)).toEqual([5]);
  expect((await h.call('DELETE', `/api/v2/computer-groups/smart-groups/${id}`)).statusCode).toBe(204);
  expect((await h.call('GET', `/api/v2/computer-groups/smart-groups/${id}`)).statusCode).toBe(404);
  expect((await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`)).statusCode).toBe(404);
});

test('a second group with the same name is a 400 DUPLICATE_FIELD', async () => {
  await computerGroup('twice', []);
  const r = await h.call('POST', '/api/v2/computer-groups/smart-groups', { name: 'TWICE', criteria: [] });
  expect(r.statusCode).toBe(400);
  expect(r.json().errors[0]).toMatchObject({ code: 'DUPLICATE_FIELD', field: 'name' });
});

test('the recalculation endpoints answer counts', async () => {
  const high = await computerGroup('High', [criterion('JSC Risk', 'is', 'High')]);
  await setRisk(1, 'High');
  await setRisk(2, 'High');
  expect((await h.call('POST', `/api/v1/smart-computer-groups/${high}/recalculate`)).json()).toEqual({
    count: 2,
  });
  // Computer 1 is in "All Managed Clients" and "High".
  expect((await h.call('POST', '/api/v1/computers/1/recalculate-smart-groups')).json()).toEqual({ count: 2 });
  expect((await h.call('POST', '/api/v1/mobile-devices/1/recalculate-smart-groups')).json().count).toBe(1);
  expect(
    (await h.call('POST', '/api/v1/smart-mobile-device-groups/2/recalculate')).json().count,
  ).toBeGreaterThan(0);
  expect((await h.call('POST', '/api/v1/smart-computer-groups/999/recalculate')).statusCode).toBe(404);
  expect((await h.call('POST', '/api/v1/computers/999/recalculate-smart-groups')).statusCode).toBe(404);
});

test('the group lists differ as Jamf’s do: string ids and smartGroup for computers, integers and isSmartGroup for mobiles', async () => {
  const computers = (await h.call('GET', '/api/v1/computer-groups')).json();
  expect(computers).toEqual([
    { id: '1', name: 'All Managed Clients', smartGroup: true },
    { id: '2', name: 'All Managed Servers', smartGroup: true },
  ]);
  const mobiles = (await h.call('GET', '/api/v1/mobile-device-groups')).json();
  expect(mobiles[0]).toEqual({ id: 1, name: 'All Managed iPads', isSmartGroup: true });
  expect(mobiles.map((g: { name: string }) => g.name)).toEqual([
    'All Managed iPads',
    'All Managed iPhones',
    'All Managed iPod touches',
  ]);
});

test('built-in groups can be left out', async () => {
  const bare = await harness({ fleet: { devices: 2 }, builtInGroups: false });
  expect((await bare.call('GET', '/api/v1/computer-groups')).json()).toEqual([]);
  await bare.close();
});

test('computer static groups hold their listed members and show in groupMemberships as not smart', async () => {
  const r = await h.call('POST', '/api/v2/computer-groups/static-groups', {
    name: 'Pilot',
    assignments: ['2', '4'],
  });
  expect(r.statusCode).toBe(201);
  const id = r.json().id;
  expect((await h.call('GET', `/api/v2/computer-groups/static-groups/${id}`)).json()).toMatchObject({
    name: 'Pilot',
    count: 2,
    assignments: ['2', '4'],
  });
  const c = (await h.call('GET', '/api/v1/computers-inventory/4?section=GROUP_MEMBERSHIPS')).json();
  expect(c.groupMemberships).toContainEqual({ groupId: id, groupName: 'Pilot', smartGroup: false });
  expect((await h.call('GET', '/api/v1/computer-groups')).json()).toContainEqual({
    id,
    name: 'Pilot',
    smartGroup: false,
  });
  const bad = await h.call('POST', '/api/v2/computer-groups/static-groups', {
    name: 'Bad',
    assignments: ['2', '999'],
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().errors[0].field).toBe('assignments[1]');
  expect((await h.call('DELETE', `/api/v2/computer-groups/static-groups/${id}`)).statusCode).toBe(204);
  expect((await h.call('GET', `/api/v2/computer-groups/static-groups/${id}`)).statusCode).toBe(404);
});

test('mobile static groups (11.7.1) add and remove members by assignment', async () => {
  const r = await h.call('POST', '/api/v1/mobile-device-groups/static-groups', {
    groupName: 'Loaners',
    assignments: [
      { mobileDeviceId: '1', selected: true },
      { mobileDeviceId: '3', selected: true },
    ],
  });
  const id = r.json().id;
  const patched = await h.call('PATCH', `/api/v1/mobile-device-groups/static-groups/${id}`, {
    assignments: [
      { mobileDeviceId: '1', selected: false },
      { mobileDeviceId: '2', selected: true },
    ],
  });
  expect(patched.json()).toEqual({
    groupId: id,
    groupName: 'Loaners',
    siteId: '-1',
    assignments: [
      { mobileDeviceId: '2', selected: true },
      { mobileDeviceId: '3', selected: true },
    ],
  });
  const membership = (
    await h.call('GET', `/api/v1/mobile-device-groups/static-group-membership/${id}`)
  ).json();
  expect(membership.results.map((m: { mobileDeviceId: string }) => m.mobileDeviceId)).toEqual(['2', '3']);
});

test('renaming an extension attribute carries its smart-group criteria along', async () => {
  const high = await computerGroup('High', [criterion('JSC Risk', 'is', 'High')]);
  await setRisk(6, 'High');
  const put = await h.call('PUT', `/api/v1/computer-extension-attributes/${riskId}`, {
    name: 'Jamf Risk',
    inputType: 'POPUP',
    popupMenuChoices: ['Secure', 'Low', 'Medium', 'High'],
  });
  expect(put.statusCode).toBe(200);
  const group = (await h.call('GET', `/api/v2/computer-groups/smart-groups/${high}`)).json();
  expect(group.criteria[0].name).toBe('Jamf Risk');
  expect(await members(high)).toEqual([6]);
});

test('an invalid PATCH leaves both the value and the membership as they were', async () => {
  const high = await computerGroup('High', [criterion('JSC Risk', 'is', 'High')]);
  await setRisk(7, 'High');
  const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/7', {
    general: { name: 'changed' },
    extensionAttributes: [
      { definitionId: riskId, values: ['Low'] },
      { definitionId: riskId, values: ['Extreme'] },
    ],
  });
  expect(r.statusCode).toBe(400);
  expect(r.json().errors[0].field).toBe('extensionAttributes[1].values');
  expect(await members(high)).toEqual([7]);
  const c = (await h.call('GET', '/api/v1/computers-inventory/7')).json();
  expect(c.general.name).not.toBe('changed');
});
