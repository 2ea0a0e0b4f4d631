/**
 * The Classic API over HTTP. Computers, mobile devices and groups: XML by default and JSON on request, every
 * lookup key, subsets, the XML PUT of extension attribute values (by id or name, entities and CDATA
 * included), group creation with criteria, and the Classic error pages. Configuration profiles and apps —
 * the seed's "deploy the activation profile and the Jamf Trust app" steps — and how their scope shows in
 * device inventory, following smart-group membership; those tests use a second mock reset before each.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateFleet } from '../../harness/fleet/index.ts';
import { type Harness, harness, T0 } from './jamf-pro.testing.ts';
import { child, childrenNamed, childText, escapeXml, parseXml } from './xml.ts';

const FLEET = { seed: 9, devices: 16 };
const fleet = generateFleet(FLEET);
const macs = fleet.devices.filter((d) => d.kind === 'computer');
const phones = fleet.devices.filter((d) => d.kind === 'mobile');
let h: Harness;
let profiles: Harness;

/** The profile tests' mock, back at the seeded fleet. */
async function profilesLab(): Promise<Harness> {
  await profiles.reset();
  return profiles;
}

beforeAll(async () => {
  profiles = await harness({ fleet: { seed: 4, devices: 20 } });
  h = await harness({ fleet: FLEET });
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'JSC Risk' });
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Level', dataType: 'INTEGER' });
  await h.call('POST', '/api/v1/mobile-device-extension-attributes', { name: 'JSC Risk' });
});
afterAll(async () => {
  await h.close();
  await profiles.close();
});

test('the computer list is XML with a size by default and a JSON array on request', async () => {
  const xml = await h.classic('GET', '/JSSResource/computers');
  expect(xml.statusCode).toBe(200);
  expect(xml.headers['content-type']).toBe('text/xml;charset=UTF-8');
  const root = parseXml(xml.body);
  expect(root.name).toBe('computers');
  expect(childText(root, 'size')).toBe(String(macs.length));
  expect(childrenNamed(root, 'computer').map((c) => childText(c, 'name'))).toEqual(macs.map((m) => m.name));
  const json = (await h.classic('GET', '/JSSResource/computers', { accept: 'application/json' })).json();
  expect(json.computers[0]).toEqual({ id: 1, name: macs[0]?.name });
});

test('the basic subset lists every computer with the fields inventory scripts read', async () => {
  const json = (
    await h.classic('GET', '/JSSResource/computers/subset/basic', { accept: 'application/json' })
  ).json();
  expect(json.computers).toHaveLength(macs.length);
  expect(json.computers[0]).toMatchObject({
    id: 1,
    name: macs[0]?.name,
    managed: true,
    username: macs[0]?.user.username,
    udid: macs[0]?.udid,
    serial_number: macs[0]?.serialNumber,
    department: macs[0]?.user.department,
  });
});

test('a computer is found by id, name, udid, serial number and MAC address, all alike', async () => {
  const mac = macs[2];
  if (!mac) throw new Error('fleet too small');
  const ids = [];
  for (const path of [
    'id/3',
    `name/${encodeURIComponent(mac.name)}`,
    `udid/${mac.udid.toLowerCase()}`,
    `serialnumber/${mac.serialNumber}`,
    `macaddress/${mac.macAddress}`,
  ]) {
    const r = await h.classic('GET', `/JSSResource/computers/${path}`, { accept: 'application/json' });
    expect(r.statusCode, path).toBe(200);
    ids.push(r.json().computer.general.id);
  }
  expect(ids).toEqual([3, 3, 3, 3, 3]);
});

test('the Classic computer carries general, location and extension attributes as scripts expect', async () => {
  const c = (await h.classic('GET', '/JSSResource/computers/id/1', { accept: 'application/json' })).json()
    .computer;
  const mac = macs[0];
  expect(c.general).toMatchObject({
    id: 1,
    name: mac?.name,
    udid: mac?.udid,
    serial_number: mac?.serialNumber,
    platform: 'Mac',
  });
  expect(c.general.report_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(c.location).toMatchObject({
    username: mac?.user.username,
    realname: mac?.user.displayName,
    email_address: mac?.user.email,
    department: mac?.user.department,
  });
  expect(c.extension_attributes).toEqual([
    { id: 1, name: 'JSC Risk', type: 'String', multi_value: false, value: '' },
    { id: 2, name: 'Level', type: 'Number', multi_value: false, value: '' },
  ]);
  expect(c.groups_accounts.computer_group_memberships).toEqual(['All Managed Clients']);
});

test('a subset narrows the Classic computer to the named parts', async () => {
  const r = await h.classic('GET', '/JSSResource/computers/id/1/subset/General&extension_attributes', {
    accept: 'application/json',
  });
  expect(Object.keys(r.json().computer)).toEqual(['general', 'extension_attributes']);
  const xml = parseXml((await h.classic('GET', '/JSSResource/computers/id/1/subset/Location')).body);
  expect(xml.children.map((c) => c.name)).toEqual(['location']);
});

test('an XML PUT writes extension attribute values by id or by name and answers 201 with the id', async () => {
  const r = await h.classic('PUT', '/JSSResource/computers/id/2', {
    xml: `<?xml version="1.0" encoding="UTF-8"?>
<computer>
  <extension_attributes>
    <extension_attribute><id>1</id><value>High &amp; rising</value></extension_attribute>
    <extension_attribute><name>level</name><value><![CDATA[7]]></value></extension_attribute>
  </extension_attributes>
</computer>`,
  });
  expect(r.statusCode).toBe(201);
  expect(r.headers['content-type']).toBe('text/xml;charset=UTF-8');
  expect(r.body).toBe('<?xml version="1.0" encoding="UTF-8"?><computer><id>2</id></computer>');
  const eas = childrenNamed(
    child(parseXml((await h.classic('GET', '/JSSResource/computers/id/2')).body), 'extension_attributes'),
    'extension_attribute',
  );
  expect(eas.map((e) => childText(e, 'value'))).toEqual(['High & rising', '7']);
  const pro = (await h.call('GET', '/api/v1/computers-inventory/2?section=EXTENSION_ATTRIBUTES')).json();
  expect(pro.extensionAttributes.map((e: { values: string[] }) => e.values)).toEqual([
    ['High & rising'],
    ['7'],
  ]);
});

test('an XML PUT also updates name, asset tag and location, and the Pro API sees it', async () => {
  const r = await h.classic('PUT', '/JSSResource/computers/id/3', {
    xml: '<computer><general><name>Kiosk</name><asset_tag>K-1</asset_tag></general><location><real_name>Kiosk Account</real_name><room>Lobby</room><department></department></location></computer>',
  });
  expect(r.statusCode).toBe(201);
  const pro = (
    await h.call('GET', '/api/v1/computers-inventory/3?section=GENERAL&section=USER_AND_LOCATION')
  ).json();
  expect(pro.general).toMatchObject({ name: 'Kiosk', assetTag: 'K-1' });
  expect(pro.userAndLocation).toMatchObject({ realname: 'Kiosk Account', room: 'Lobby' });
  expect(pro.userAndLocation).not.toHaveProperty('departmentId');
});

test('a PUT that names an unknown attribute or carries a bad value is a 409 page and changes nothing', async () => {
  const before = (await h.classic('GET', '/JSSResource/computers/id/4')).body;
  const bodies = [
    '<computer><general><name>X</name></general><extension_attributes><extension_attribute><id>99</id><value>x</value></extension_attribute></extension_attributes></computer>',
    '<computer><general><name>X</name></general><extension_attributes><extension_attribute><id>2</id><value>seven</value></extension_attribute></extension_attributes></computer>',
    '<computer><location><department>Nowhere</department></location></computer>',
    '<mobile_device><general><name>X</name></general></mobile_device>',
  ];
  for (const xml of bodies) {
    const r = await h.classic('PUT', '/JSSResource/computers/id/4', { xml });
    expect(r.statusCode, xml).toBe(409);
    expect(r.body).toContain('<title>Status page</title>');
    expect(r.body).toMatch(/<p>Error: [^<]+<\/p>/);
  }
  expect((await h.classic('GET', '/JSSResource/computers/id/4')).body).toBe(before);
});

test('malformed XML is a 400 page naming the problem; a JSON body is a 415', async () => {
  const r = await h.classic('PUT', '/JSSResource/computers/id/1', {
    xml: '<computer><extension_attributes></computer>',
  });
  expect(r.statusCode).toBe(400);
  expect(r.headers['content-type']).toBe('text/html;charset=UTF-8');
  expect(r.body).toContain(
    'malformed XML: expected &lt;/extension_attributes&gt; but found &lt;/computer&gt;',
  );
  const json = await h.app.inject({
    method: 'PUT',
    url: '/JSSResource/computers/id/1',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
    payload: '{"computer":{}}',
  });
  expect(json.statusCode).toBe(415);
  expect(json.body).toContain('XML only');
});

test('unknown devices and lookup keys are the Classic 404 page', async () => {
  for (const url of [
    '/JSSResource/computers/id/999',
    '/JSSResource/computers/color/red',
    '/JSSResource/mobiledevices/udid/nope',
    '/JSSResource/nothing',
  ]) {
    const r = await h.classic('GET', url);
    expect(r.statusCode, url).toBe(404);
    expect(r.body).toContain('The server has not found anything matching the request URI');
  }
  const put = await h.classic('PUT', '/JSSResource/computers/id/999', { xml: '<computer/>' });
  expect(put.statusCode).toBe(404);
});

test('mobile devices list, read and take extension attribute PUTs under <mobile_device>', async () => {
  const list = (await h.classic('GET', '/JSSResource/mobiledevices', { accept: 'application/json' })).json();
  expect(list.mobile_devices).toHaveLength(phones.length);
  expect(list.mobile_devices[0]).toMatchObject({
    id: 1,
    udid: phones[0]?.udid,
    username: phones[0]?.user.username,
    managed: true,
  });
  const put = await h.classic('PUT', `/JSSResource/mobiledevices/serialnumber/${phones[1]?.serialNumber}`, {
    xml: '<mobile_device><general><display_name>Shared iPad</display_name></general><extension_attributes><extension_attribute><id>1</id><value>Medium</value></extension_attribute></extension_attributes></mobile_device>',
  });
  expect(put.statusCode).toBe(201);
  const device = (
    await h.classic('GET', '/JSSResource/mobiledevices/id/2', { accept: 'application/json' })
  ).json().mobile_device;
  expect(device.general).toMatchObject({ id: 2, display_name: 'Shared iPad', udid: phones[1]?.udid });
  expect(device.extension_attributes).toEqual([{ id: 1, name: 'JSC Risk', type: 'String', value: 'Medium' }]);
  const detail = (await h.call('GET', '/api/v2/mobile-devices/2/detail')).json();
  expect(detail).toMatchObject({ name: 'Shared iPad', extensionAttributes: [{ value: ['Medium'] }] });
});

test('Classic groups list, read with members, and are created with criteria by POST to id/0', async () => {
  const list = parseXml((await h.classic('GET', '/JSSResource/computergroups')).body);
  expect(childText(list, 'size')).toBe('2');
  const created = await h.classic('POST', '/JSSResource/computergroups/id/0', {
    xml: `<computer_group><name>Risky</name><is_smart>true</is_smart><site><id>-1</id><name>None</name></site>
      <criteria><size>1</size><criterion><name>JSC Risk</name><priority>0</priority><and_or>and</and_or>
      <search_type>like</search_type><value>high</value><opening_paren>false</opening_paren><closing_paren>false</closing_paren></criterion></criteria></computer_group>`,
  });
  expect(created.statusCode).toBe(201);
  expect(created.body).toBe(
    '<?xml version="1.0" encoding="UTF-8"?><computer_group><id>3</id></computer_group>',
  );
  const group = parseXml((await h.classic('GET', '/JSSResource/computergroups/name/Risky')).body);
  expect(childText(group, 'is_smart')).toBe('true');
  expect(childrenNamed(child(group, 'computers'), 'computer').map((c) => childText(c, 'id'))).toEqual(['2']);
  expect(childText(child(child(group, 'criteria'), 'criterion'), 'search_type')).toBe('like');
  const pro = (await h.call('GET', '/api/v2/computer-groups/smart-groups/3')).json();
  expect(pro.criteria[0]).toMatchObject({ name: 'JSC Risk', searchType: 'like', value: 'high' });
});

test('Classic static mobile groups take members, and groups update and delete', async () => {
  const created = await h.classic('POST', '/JSSResource/mobiledevicegroups/id/0', {
    xml: '<mobile_device_group><name>Loaners</name><is_smart>false</is_smart><mobile_devices><mobile_device><id>1</id></mobile_device><mobile_device><id>3</id></mobile_device></mobile_devices></mobile_device_group>',
  });
  expect(created.statusCode).toBe(201);
  const id = childText(parseXml(created.body), 'id');
  const json = (
    await h.classic('GET', `/JSSResource/mobiledevicegroups/id/${id}`, { accept: 'application/json' })
  ).json();
  expect(json.mobile_device_group.mobile_devices.map((m: { id: number }) => m.id)).toEqual([1, 3]);
  const put = await h.classic('PUT', `/JSSResource/mobiledevicegroups/id/${id}`, {
    xml: '<mobile_device_group><mobile_devices><mobile_device><id>2</id></mobile_device></mobile_devices></mobile_device_group>',
  });
  expect(put.statusCode).toBe(201);
  expect(
    (await h.call('GET', `/api/v1/mobile-device-groups/static-group-membership/${id}`)).json().totalCount,
  ).toBe(1);
  const switchKind = await h.classic('PUT', `/JSSResource/mobiledevicegroups/id/${id}`, {
    xml: '<mobile_device_group><is_smart>true</is_smart></mobile_device_group>',
  });
  expect(switchKind.statusCode).toBe(409);
  const badMember = await h.classic('POST', '/JSSResource/mobiledevicegroups/id/0', {
    xml: '<mobile_device_group><name>Bad</name><mobile_devices><mobile_device><id>999</id></mobile_device></mobile_devices></mobile_device_group>',
  });
  expect(badMember.statusCode).toBe(409);
  expect((await h.classic('DELETE', `/JSSResource/mobiledevicegroups/id/${id}`)).statusCode).toBe(200);
  expect((await h.classic('GET', `/JSSResource/mobiledevicegroups/id/${id}`)).statusCode).toBe(404);
});

const PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1"><dict>
  <key>PayloadContent</key><array><dict><key>PayloadIdentifier</key><string>com.jamf.inner</string></dict></array>
  <key>PayloadDisplayName</key><string>Jamf Trust Activation</string>
  <key>PayloadIdentifier</key><string>com.jamf.trust.activation</string>
  <key>PayloadUUID</key><string>5A0C1E1B-9D0E-4C6E-9A51-3B7B2C1D0E0F</string>
</dict></plist>`;

function profileXml(name: string, scope: string, root = 'os_x_configuration_profile'): string {
  return `<${root}><general><name>${name}</name><description>from JSC</description><payloads>${escapeXml(PLIST)}</payloads></general><scope>${scope}</scope></${root}>`;
}

test('creating a macOS profile answers 201 with its id and it reads back with payloads intact', async () => {
  const lab = await profilesLab();
  const r = await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: profileXml(
      'Jamf Trust Activation',
      '<all_computers>false</all_computers><computers><computer><id>2</id></computer></computers>',
    ),
  });
  expect(r.statusCode).toBe(201);
  expect(r.body).toBe(
    '<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profile><id>1</id></os_x_configuration_profile>',
  );
  const profile = parseXml((await lab.classic('GET', '/JSSResource/osxconfigurationprofiles/id/1')).body);
  const general = child(profile, 'general');
  expect(childText(general, 'name')).toBe('Jamf Trust Activation');
  expect(childText(general, 'payloads')).toBe(PLIST);
  expect(childText(general, 'uuid')).toBe('5A0C1E1B-9D0E-4C6E-9A51-3B7B2C1D0E0F');
  expect(
    childrenNamed(child(child(profile, 'scope'), 'computers'), 'computer').map((c) => childText(c, 'id')),
  ).toEqual(['2']);
  const list = (
    await lab.classic('GET', '/JSSResource/osxconfigurationprofiles', { accept: 'application/json' })
  ).json();
  expect(list).toEqual({ os_x_configuration_profiles: [{ id: 1, name: 'Jamf Trust Activation' }] });
});

test('a profile shows in CONFIGURATION_PROFILES of in-scope computers only', async () => {
  const lab = await profilesLab();
  await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: profileXml('Activation', '<computers><computer><id>2</id></computer></computers>'),
  });
  const two = (await lab.call('GET', '/api/v1/computers-inventory/2?section=CONFIGURATION_PROFILES')).json();
  expect(two.configurationProfiles).toEqual([
    {
      id: '1',
      username: '',
      lastInstalled: new Date(T0).toISOString(),
      removable: false,
      displayName: 'Jamf Trust Activation',
      profileIdentifier: 'com.jamf.trust.activation',
    },
  ]);
  const one = (await lab.call('GET', '/api/v1/computers-inventory/1?section=CONFIGURATION_PROFILES')).json();
  expect(one.configurationProfiles).toEqual([]);
  const classic = (
    await lab.classic('GET', '/JSSResource/computers/id/2/subset/configuration_profiles', {
      accept: 'application/json',
    })
  ).json();
  expect(classic.computer.configuration_profiles).toEqual([
    { id: 1, name: 'Activation', uuid: '5A0C1E1B-9D0E-4C6E-9A51-3B7B2C1D0E0F', is_removable: false },
  ]);
});

test('a profile scoped to a smart group follows the group as an extension attribute changes', async () => {
  const lab = await profilesLab();
  await lab.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
  const group = await lab.call('POST', '/api/v2/computer-groups/smart-groups', {
    name: 'High risk',
    criteria: [{ name: 'Risk', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
  });
  const groupId = group.json().id;
  const created = await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: profileXml(
      'Quarantine',
      `<computer_groups><computer_group><id>${groupId}</id></computer_group></computer_groups>`,
    ),
  });
  expect(created.statusCode).toBe(201);
  const profiles = async () =>
    (await lab.call('GET', '/api/v1/computers-inventory/5?section=CONFIGURATION_PROFILES')).json()
      .configurationProfiles;
  expect(await profiles()).toEqual([]);
  await lab.classic('PUT', '/JSSResource/computers/id/5', {
    xml: '<computer><extension_attributes><extension_attribute><name>Risk</name><value>High</value></extension_attribute></extension_attributes></computer>',
  });
  expect((await profiles()).map((p: { displayName: string }) => p.displayName)).toEqual([
    'Jamf Trust Activation',
  ]);
});

test('a group in scope may be named instead of numbered, and an unknown one is a 409', async () => {
  const lab = await profilesLab();
  const byName = await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: profileXml(
      'All clients',
      '<computer_groups><computer_group><name>All Managed Clients</name></computer_group></computer_groups>',
    ),
  });
  expect(byName.statusCode).toBe(201);
  const all = (
    await lab.call('GET', '/api/v1/computers-inventory?section=CONFIGURATION_PROFILES&page-size=100')
  ).json();
  expect(
    all.results.every((c: { configurationProfiles: unknown[] }) => c.configurationProfiles.length === 1),
  ).toBe(true);
  const unknown = await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: profileXml('Bad', '<computer_groups><computer_group><id>77</id></computer_group></computer_groups>'),
  });
  expect(unknown.statusCode).toBe(409);
  expect(unknown.body).toContain('Error: Problem with computer_group in scope');
});

test('Mac apps show in the APPLICATIONS section of in-scope computers', async () => {
  const lab = await profilesLab();
  const r = await lab.classic('POST', '/JSSResource/macapplications/id/0', {
    xml: '<mac_application><general><name>Jamf Trust</name><version>2.1</version><bundle_id>com.jamf.trust</bundle_id></general><scope><all_computers>true</all_computers></scope></mac_application>',
  });
  expect(r.statusCode).toBe(201);
  expect(r.body).toContain('<mac_application><id>1</id></mac_application>');
  const c = (await lab.call('GET', '/api/v1/computers-inventory/1?section=APPLICATIONS')).json();
  expect(c.applications).toEqual([
    {
      name: 'Jamf Trust.app',
      path: '/Applications/Jamf Trust.app',
      version: '2.1',
      macAppStore: true,
      sizeMegabytes: 48,
      bundleId: 'com.jamf.trust',
      updateAvailable: false,
      externalVersionId: '0',
    },
  ]);
  const app = (
    await lab.classic('GET', '/JSSResource/macapplications/name/Jamf%20Trust', { accept: 'application/json' })
  ).json();
  expect(app.mac_application.general).toMatchObject({
    id: 1,
    name: 'Jamf Trust',
    bundle_id: 'com.jamf.trust',
    version: '2.1',
  });
  expect(app.mac_application.scope.all_computers).toBe(true);
});

test('mobile profiles and apps show in the mobile detail and the PROFILES and APPLICATIONS sections', async () => {
  const lab = await profilesLab();
  const profile = await lab.classic('POST', '/JSSResource/mobiledeviceconfigurationprofiles/id/0', {
    xml: profileXml('Activation', '<all_mobile_devices>true</all_mobile_devices>', 'configuration_profile'),
  });
  expect(profile.statusCode).toBe(201);
  expect(profile.body).toContain('<configuration_profile><id>1</id></configuration_profile>');
  await lab.classic('POST', '/JSSResource/mobiledeviceapplications/id/0', {
    xml: '<mobile_device_application><general><name>Jamf Trust</name><display_name>Jamf Trust</display_name><bundle_id>com.wandera.ios</bundle_id><version>7.0</version></general><scope><mobile_devices><mobile_device><id>1</id></mobile_device></mobile_devices></scope></mobile_device_application>',
  });
  const detail = (await lab.call('GET', '/api/v2/mobile-devices/1/detail')).json();
  expect(detail.ios.configurationProfiles).toEqual([
    {
      displayName: 'Jamf Trust Activation',
      version: '1',
      uuid: '5A0C1E1B-9D0E-4C6E-9A51-3B7B2C1D0E0F',
      identifier: 'com.jamf.trust.activation',
    },
  ]);
  expect(detail.ios.applications).toEqual([
    { identifier: 'com.wandera.ios', name: 'Jamf Trust', version: '7.0', shortVersion: '7.0' },
  ]);
  const inventory = (
    await lab.call(
      'GET',
      '/api/v2/mobile-devices/detail?section=PROFILES&section=APPLICATIONS&filter=mobileDeviceId==2',
    )
  ).json();
  expect(inventory.results[0].profiles).toHaveLength(1);
  expect(inventory.results[0].applications).toEqual([]);
  const classic = (
    await lab.classic('GET', '/JSSResource/mobiledevices/id/1', { accept: 'application/json' })
  ).json();
  expect(classic.mobile_device.configuration_profiles[0]).toMatchObject({
    display_name: 'Jamf Trust Activation',
    uuid: '5A0C1E1B-9D0E-4C6E-9A51-3B7B2C1D0E0F',
  });
});

test('profiles are updated and deleted by id, duplicate names are refused, and a profile without payloads is accepted', async () => {
  const lab = await profilesLab();
  const create = (name: string) =>
    lab.classic('POST', '/JSSResource/osxconfigurationprofiles', {
      xml: `<os_x_configuration_profile><general><name>${name}</name></general></os_x_configuration_profile>`,
    });
  expect((await create('One')).statusCode).toBe(201);
  expect((await create('One')).statusCode).toBe(409);
  const put = await lab.classic('PUT', '/JSSResource/osxconfigurationprofiles/id/1', {
    xml: '<os_x_configuration_profile><general><description>edited</description></general><scope><all_computers>true</all_computers></scope></os_x_configuration_profile>',
  });
  expect(put.statusCode).toBe(201);
  const read = (
    await lab.classic('GET', '/JSSResource/osxconfigurationprofiles/id/1', { accept: 'application/json' })
  ).json();
  expect(read.os_x_configuration_profile.general).toMatchObject({ name: 'One', description: 'edited' });
  expect(read.os_x_configuration_profile.scope.all_computers).toBe(true);
  const del = await lab.classic('DELETE', '/JSSResource/osxconfigurationprofiles/id/1');
  expect(del.statusCode).toBe(200);
  expect((await lab.classic('GET', '/JSSResource/osxconfigurationprofiles/id/1')).statusCode).toBe(404);
  const wrongRoot = await lab.classic('POST', '/JSSResource/osxconfigurationprofiles/id/0', {
    xml: '<configuration_profile><general><name>x</name></general></configuration_profile>',
  });
  expect(wrongRoot.statusCode).toBe(409);
});

// Issue 15: the Jamf Trust app's distribution method was accepted, then dropped on read. The seed deploys
// Jamf Trust "Install Automatically"; Jamf's Classic API keeps it in general/deployment_type.
test("an app's distribution method (deployment_type) is kept and returned on read; an unknown one is refused", async () => {
  const lab = await profilesLab();
  const mac = await lab.classic('POST', '/JSSResource/macapplications/id/0', {
    xml: '<mac_application><general><name>Jamf Trust</name><bundle_id>com.jamf.trust</bundle_id><deployment_type>Install Automatically/Prompt Users to Install</deployment_type></general><scope><all_computers>true</all_computers></scope></mac_application>',
  });
  expect(mac.statusCode).toBe(201);
  const readMac = (
    await lab.classic('GET', '/JSSResource/macapplications/id/1', { accept: 'application/json' })
  ).json();
  expect(readMac.mac_application.general.deployment_type).toBe(
    'Install Automatically/Prompt Users to Install',
  );
  const asXml = await lab.classic('GET', '/JSSResource/macapplications/id/1');
  expect(asXml.body).toContain(
    '<deployment_type>Install Automatically/Prompt Users to Install</deployment_type>',
  );
  await lab.classic('POST', '/JSSResource/mobiledeviceapplications/id/0', {
    xml: '<mobile_device_application><general><name>Jamf Trust</name><bundle_id>com.wandera.ios</bundle_id><deployment_type>Install Automatically/Prompt Users to Install</deployment_type></general><scope><all_mobile_devices>true</all_mobile_devices></scope></mobile_device_application>',
  });
  const readMobile = (
    await lab.classic('GET', '/JSSResource/mobiledeviceapplications/id/1', { accept: 'application/json' })
  ).json();
  expect(readMobile.mobile_device_application.general).toMatchObject({
    deployment_type: 'Install Automatically/Prompt Users to Install',
    deploy_automatically: true,
  });
  // Not given: Jamf Pro's default, offered in Self Service.
  await lab.classic('POST', '/JSSResource/macapplications/id/0', {
    xml: '<mac_application><general><name>Other</name><bundle_id>com.example.other</bundle_id></general></mac_application>',
  });
  const other = (
    await lab.classic('GET', '/JSSResource/macapplications/name/Other', { accept: 'application/json' })
  ).json();
  expect(other.mac_application.general.deployment_type).toBe('Make Available in Self Service');
  const bad = await lab.classic('POST', '/JSSResource/macapplications/id/0', {
    xml: '<mac_application><general><name>Bad</name><deployment_type>Whenever</deployment_type></general></mac_application>',
  });
  expect(bad.statusCode).toBe(409);
  expect(bad.body).toContain('deployment_type must be one of');
});
