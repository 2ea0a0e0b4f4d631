/**
 * The lab controls under `/_lab/`: a state summary without secrets, a reset to the seeded fleet, and no
 * way to read credentials over HTTP.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type Harness, harness } from './jamf-pro.testing.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness({ fleet: { seed: 12, devices: 25 } });
});
afterEach(async () => {
  await h.close();
});

test('the state summary counts devices, groups with members, and extension attribute definitions', async () => {
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
  await h.call('PATCH', '/api/v1/computers-inventory-detail/1', {
    extensionAttributes: [{ definitionId: '1', values: ['High'] }],
  });
  const r = await h.app.inject({ method: 'GET', url: '/_lab/state' });
  expect(r.statusCode).toBe(200);
  const s = r.json();
  const computers = (await h.call('GET', '/api/v1/computers-inventory')).json().totalCount;
  const mobiles = (await h.call('GET', '/api/v2/mobile-devices')).json().totalCount;
  expect(s.devices).toEqual({ computers, mobileDevices: mobiles });
  expect(s.fleet).toMatchObject({ seed: 12, devices: 25 });
  expect(s.computerGroups[0]).toEqual({
    id: 1,
    name: 'All Managed Clients',
    smart: true,
    members: computers,
  });
  expect(s.extensionAttributes.computer).toEqual([
    {
      id: 1,
      name: 'Risk',
      dataType: 'STRING',
      inputType: 'TEXT',
      inventoryDisplayType: 'EXTENSION_ATTRIBUTES',
      devicesWithValue: 1,
    },
  ]);
  expect(s.activeTokens).toBe(1);
});

test('no secret appears in the summary and there is no credentials endpoint', async () => {
  const body = (await h.app.inject({ method: 'GET', url: '/_lab/state' })).body;
  for (const secret of [h.clientSecret, h.password, h.token]) expect(body).not.toContain(secret);
  expect((await h.app.inject({ method: 'GET', url: '/_lab/credentials' })).statusCode).toBe(404);
});

test('reset returns to the seeded fleet and keeps issued tokens working', async () => {
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
  await h.call('PATCH', '/api/v1/computers-inventory-detail/1', { general: { name: 'Changed' } });
  await h.call('POST', '/api/v2/computer-groups/smart-groups', { name: 'Extra', criteria: [] });
  const before = (await h.call('GET', '/api/v1/computers-inventory/2')).json();
  const r = await h.app.inject({ method: 'POST', url: '/_lab/reset' });
  expect(r.statusCode).toBe(200);
  expect(r.json().extensionAttributes.computer).toEqual([]);
  expect((await h.call('GET', '/api/v1/computer-extension-attributes')).json().totalCount).toBe(0);
  expect((await h.call('GET', '/api/v1/computer-groups')).json()).toHaveLength(2);
  expect((await h.call('GET', '/api/v1/computers-inventory/1')).json().general.name).not.toBe('Changed');
  expect((await h.call('GET', '/api/v1/computers-inventory/2')).json()).toEqual(before);
});
