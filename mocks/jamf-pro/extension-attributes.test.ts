/**
 * Extension attribute definitions over HTTP, on the Pro API (newer than 11.7.1, per vendor-apis.md §2.6)
 * and the Classic API, sharing one registry per device kind; the value rules writes must follow; and where
 * a definition's values show up in inventory.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Harness, harness } from './jamf-pro.testing.ts';
import { childText, parseXml } from './xml.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness({ fleet: { seed: 3, devices: 12 } });
});
beforeEach(async () => {
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

const BASE = '/api/v1/computer-extension-attributes';
const MOBILE = '/api/v1/mobile-device-extension-attributes';

test('create answers 201 with id and absolute href, and the definition reads back with defaults', async () => {
  const r = await h.call('POST', BASE, { name: 'JSC Risk', description: 'set by JSC' });
  expect(r.statusCode).toBe(201);
  expect(r.json()).toEqual({ id: '1', href: 'https://jamf-pro.lab/api/v1/computer-extension-attributes/1' });
  expect((await h.call('GET', `${BASE}/1`)).json()).toEqual({
    id: '1',
    name: 'JSC Risk',
    description: 'set by JSC',
    dataType: 'STRING',
    enabled: true,
    inventoryDisplayType: 'EXTENSION_ATTRIBUTES',
    inputType: 'TEXT',
    popupMenuChoices: null,
    ldapAttributeMapping: null,
    ldapExtensionAttributeAllowed: false,
    scriptContents: null,
  });
});

test('mobile definitions have no enabled flag and no scripts', async () => {
  await h.call('POST', MOBILE, { name: 'JSC Risk', inputType: 'POPUP', popupMenuChoices: ['High'] });
  const def = (await h.call('GET', `${MOBILE}/1`)).json();
  expect(def).not.toHaveProperty('enabled');
  expect(def).not.toHaveProperty('scriptContents');
  expect(def.popupMenuChoices).toEqual(['High']);
  const script = await h.call('POST', MOBILE, { name: 'S', inputType: 'SCRIPT', scriptContents: 'echo' });
  expect(script.statusCode).toBe(400);
  expect(script.json().errors[0].field).toBe('inputType');
  const os = await h.call('POST', MOBILE, { name: 'O', inventoryDisplayType: 'OPERATING_SYSTEM' });
  expect(os.json().errors[0].field).toBe('inventoryDisplayType');
});

test('the list is paged, sorted by name by default, and filterable by id and name', async () => {
  for (const name of ['Zeta', 'alpha', 'Mid']) await h.call('POST', BASE, { name });
  const all = (await h.call('GET', BASE)).json();
  expect(all.totalCount).toBe(3);
  expect(all.results.map((d: { name: string }) => d.name)).toEqual(['alpha', 'Mid', 'Zeta']);
  const one = (await h.call('GET', `${BASE}?filter=name=="zeta"`)).json();
  expect(one.results.map((d: { id: string }) => d.id)).toEqual(['1']);
  expect(
    (await h.call('GET', `${BASE}?page=1&page-size=2&sort=id:asc`))
      .json()
      .results.map((d: { id: string }) => d.id),
  ).toEqual(['3']);
  expect((await h.call('GET', `${BASE}?filter=dataType==STRING`)).statusCode).toBe(400);
});

test('definitions that Jamf would refuse are 400s naming the field', async () => {
  const cases: [unknown, string, string][] = [
    [{}, 'name', 'MISSING_FIELD'],
    [{ name: '' }, 'name', 'INVALID_FIELD'],
    [{ name: 7 }, 'name', 'INVALID_FIELD'],
    [{ name: 'x', dataType: 'BOOLEAN' }, 'dataType', 'INVALID_FIELD'],
    [{ name: 'x', inputType: 'POPUP' }, 'popupMenuChoices', 'INVALID_FIELD'],
    [{ name: 'x', inputType: 'POPUP', popupMenuChoices: 'High' }, 'popupMenuChoices', 'INVALID_FIELD'],
    [{ name: 'x', inputType: 'SCRIPT' }, 'scriptContents', 'INVALID_FIELD'],
    [
      { name: 'x', inputType: 'DIRECTORY_SERVICE_ATTRIBUTE_MAPPING', ldapAttributeMapping: 'mail' },
      'inputType',
      'INVALID_CONTENT',
    ],
    [{ name: 'x', enabled: 'yes' }, 'enabled', 'INVALID_FIELD'],
    [[], 'body', 'INVALID_CONTENT'],
  ];
  for (const [body, field, code] of cases) {
    const r = await h.call('POST', BASE, body);
    expect(r.statusCode, JSON.stringify(body)).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ field, code });
  }
  await h.call('POST', BASE, { name: 'Taken' });
  const dup = await h.call('POST', BASE, { name: 'TAKEN' });
  expect(dup.json().errors[0]).toMatchObject({ code: 'DUPLICATE_FIELD', field: 'name' });
  expect((await h.call('GET', BASE)).json().totalCount).toBe(1);
});

test('PUT replaces a definition and DELETE removes it and its values', async () => {
  await h.call('POST', BASE, { name: 'Old' });
  await h.call('PATCH', '/api/v1/computers-inventory-detail/1', {
    extensionAttributes: [{ definitionId: '1', values: ['v'] }],
  });
  const put = await h.call('PUT', `${BASE}/1`, { name: 'New', dataType: 'INTEGER' });
  expect(put.statusCode).toBe(200);
  expect(put.json()).toMatchObject({ id: '1', name: 'New', dataType: 'INTEGER' });
  expect((await h.call('DELETE', `${BASE}/1`)).statusCode).toBe(204);
  expect((await h.call('GET', `${BASE}/1`)).statusCode).toBe(404);
  const c = (await h.call('GET', '/api/v1/computers-inventory/1?section=EXTENSION_ATTRIBUTES')).json();
  expect(c.extensionAttributes).toEqual([]);
  expect((await h.call('PUT', `${BASE}/1`, { name: 'x' })).statusCode).toBe(404);
  expect((await h.call('DELETE', `${BASE}/99`)).statusCode).toBe(404);
});

test('a definition still named by a smart group cannot be deleted', async () => {
  await h.call('POST', BASE, { name: 'Risk' });
  await h.call('POST', '/api/v2/computer-groups/smart-groups', {
    name: 'Risky',
    criteria: [{ name: 'Risk', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
  });
  const r = await h.call('DELETE', `${BASE}/1`);
  expect(r.statusCode).toBe(409);
  expect(r.json().errors[0]).toMatchObject({ code: 'INVALID_STATE' });
  expect(r.json().errors[0].description).toContain('Risky');
  const many = await h.call('POST', `${BASE}/delete-multiple`, { ids: ['1'] });
  expect(many.statusCode).toBe(409);
  expect((await h.call('GET', `${BASE}/1`)).statusCode).toBe(200);
});

test('delete-multiple removes every listed definition, or none when one id is unknown', async () => {
  for (const name of ['a', 'b', 'c']) await h.call('POST', BASE, { name });
  expect((await h.call('POST', `${BASE}/delete-multiple`, { ids: ['1', '99'] })).statusCode).toBe(404);
  expect((await h.call('GET', BASE)).json().totalCount).toBe(3);
  expect((await h.call('POST', `${BASE}/delete-multiple`, { ids: ['1', 2] })).statusCode).toBe(204);
  expect((await h.call('GET', BASE)).json().results.map((d: { name: string }) => d.name)).toEqual(['c']);
});

test('a value appears once, in the inventory section its display type names', async () => {
  const displays = [
    'GENERAL',
    'HARDWARE',
    'OPERATING_SYSTEM',
    'USER_AND_LOCATION',
    'PURCHASING',
    'EXTENSION_ATTRIBUTES',
  ];
  for (const [i, display] of displays.entries())
    await h.call('POST', BASE, { name: `ea${i}`, inventoryDisplayType: display });
  await h.call('PATCH', '/api/v1/computers-inventory-detail/2', {
    extensionAttributes: displays.map((_, i) => ({ definitionId: String(i + 1), values: [`v${i}`] })),
  });
  const c = (await h.call('GET', '/api/v1/computers-inventory-detail/2')).json();
  const where = (key: string) =>
    (key === 'top' ? c.extensionAttributes : c[key].extensionAttributes).map((e: { name: string }) => e.name);
  expect(where('general')).toEqual(['ea0']);
  expect(where('hardware')).toEqual(['ea1']);
  expect(where('operatingSystem')).toEqual(['ea2']);
  expect(where('userAndLocation')).toEqual(['ea3']);
  expect(where('purchasing')).toEqual(['ea4']);
  expect(where('top')).toEqual(['ea5']);
  expect(c.general.extensionAttributes[0]).toEqual({
    definitionId: '1',
    name: 'ea0',
    description: null,
    enabled: true,
    multiValue: false,
    values: ['v0'],
    dataType: 'STRING',
    options: [],
    inputType: 'TEXT',
  });
});

test('values must fit the definition: integers, dates, popup choices, one value', async () => {
  await h.call('POST', BASE, { name: 'Count', dataType: 'INTEGER' });
  await h.call('POST', BASE, { name: 'When', dataType: 'DATE' });
  await h.call('POST', BASE, { name: 'Level', inputType: 'POPUP', popupMenuChoices: ['Low', 'High'] });
  const bad: [string, string[]][] = [
    ['1', ['12a']],
    ['2', ['yesterday']],
    ['2', ['2026-13-45']],
    ['3', ['low']],
    ['3', ['Low', 'High']],
  ];
  for (const [definitionId, values] of bad) {
    const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/1', {
      extensionAttributes: [{ definitionId, values }],
    });
    expect(r.statusCode, `${definitionId} ${values}`).toBe(400);
    expect(r.json().errors[0].field).toBe('extensionAttributes[0].values');
  }
  const good = await h.call('PATCH', '/api/v1/computers-inventory-detail/1', {
    extensionAttributes: [
      { definitionId: '1', values: [' 42 '] },
      { definitionId: '2', values: ['2026-01-05 10:30:00'] },
      { definitionId: '3', values: ['High'] },
    ],
  });
  expect(good.statusCode).toBe(200);
  expect(good.json().extensionAttributes.map((e: { values: string[] }) => e.values)).toEqual([
    ['42'],
    ['2026-01-05 10:30:00'],
    ['High'],
  ]);
  expect(good.json().extensionAttributes[1].dataType).toBe('DATE_TIME');
  expect(good.json().extensionAttributes[2]).toMatchObject({ inputType: 'POPUP', options: ['Low', 'High'] });
});

test('Classic lists and reads definitions in XML, or JSON when asked', async () => {
  await h.call('POST', BASE, {
    name: 'Risk & Level',
    inputType: 'POPUP',
    popupMenuChoices: ['Low', 'High'],
    inventoryDisplayType: 'GENERAL',
  });
  const list = await h.classic('GET', '/JSSResource/computerextensionattributes');
  expect(list.headers['content-type']).toBe('text/xml;charset=UTF-8');
  expect(list.body).toContain(
    '<computer_extension_attributes><size>1</size><computer_extension_attribute><id>1</id><name>Risk &amp; Level</name><enabled>true</enabled>',
  );
  const byName = await h.classic(
    'GET',
    `/JSSResource/computerextensionattributes/name/${encodeURIComponent('Risk & Level')}`,
    { accept: 'application/json' },
  );
  expect(byName.json()).toEqual({
    computer_extension_attribute: {
      id: 1,
      name: 'Risk & Level',
      enabled: true,
      description: '',
      data_type: 'String',
      input_type: { type: 'Pop-up Menu', popup_choices: ['Low', 'High'] },
      inventory_display: 'General',
      recon_display: 'General',
    },
  });
  expect((await h.classic('GET', '/JSSResource/computerextensionattributes/id/9')).statusCode).toBe(404);
});

test('Classic POST to id/0 creates a definition the Pro API and smart groups then see', async () => {
  const r = await h.classic('POST', '/JSSResource/mobiledeviceextensionattributes/id/0', {
    xml: `<mobile_device_extension_attribute><name>JSC Risk</name><description>UEM tag</description><data_type>String</data_type>
      <input_type><type>Pop-up Menu</type><popup_choices><choice>Low</choice><choice>High</choice></popup_choices></input_type>
      <inventory_display>Extension Attributes</inventory_display></mobile_device_extension_attribute>`,
  });
  expect(r.statusCode).toBe(201);
  expect(r.body).toBe(
    '<?xml version="1.0" encoding="UTF-8"?><mobile_device_extension_attribute><id>1</id></mobile_device_extension_attribute>',
  );
  expect((await h.call('GET', `${MOBILE}/1`)).json()).toMatchObject({
    name: 'JSC Risk',
    inputType: 'POPUP',
    popupMenuChoices: ['Low', 'High'],
  });
  const group = await h.call('POST', '/api/v1/mobile-device-groups/smart-groups', {
    groupName: 'High',
    criteria: [{ name: 'JSC Risk', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
  });
  expect(group.statusCode).toBe(201);
});

test('Classic updates keep what the body leaves out, and Classic deletes answer the id', async () => {
  await h.classic('POST', '/JSSResource/computerextensionattributes/id/0', {
    xml: '<computer_extension_attribute><name>Tag</name><data_type>Integer</data_type><inventory_display>Hardware</inventory_display></computer_extension_attribute>',
  });
  const put = await h.classic('PUT', '/JSSResource/computerextensionattributes/id/1', {
    xml: '<computer_extension_attribute><description>changed</description></computer_extension_attribute>',
  });
  expect(put.statusCode).toBe(201);
  const def = parseXml((await h.classic('GET', '/JSSResource/computerextensionattributes/id/1')).body);
  expect([
    childText(def, 'name'),
    childText(def, 'description'),
    childText(def, 'data_type'),
    childText(def, 'inventory_display'),
  ]).toEqual(['Tag', 'changed', 'Integer', 'Hardware']);
  const del = await h.classic('DELETE', '/JSSResource/computerextensionattributes/name/Tag');
  expect(del.statusCode).toBe(200);
  expect(del.body).toContain('<computer_extension_attribute><id>1</id></computer_extension_attribute>');
});

test('Classic refuses a wrong root, unknown enum labels and duplicates with a 409 status page', async () => {
  const cases = [
    '<mobile_device_extension_attribute><name>x</name></mobile_device_extension_attribute>',
    '<computer_extension_attribute><name>x</name><data_type>Float</data_type></computer_extension_attribute>',
    '<computer_extension_attribute><name>x</name><input_type><type>Pop-up Menu</type></input_type></computer_extension_attribute>',
  ];
  for (const xml of cases) {
    const r = await h.classic('POST', '/JSSResource/computerextensionattributes/id/0', { xml });
    expect(r.statusCode, xml).toBe(409);
    expect(r.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(r.body).toMatch(/<p>Error: /);
  }
  const ok = '<computer_extension_attribute><name>x</name></computer_extension_attribute>';
  expect(
    (await h.classic('POST', '/JSSResource/computerextensionattributes/id/0', { xml: ok })).statusCode,
  ).toBe(201);
  expect(
    (await h.classic('POST', '/JSSResource/computerextensionattributes/id/0', { xml: ok })).statusCode,
  ).toBe(409);
});
