/**
 * A 10,000-device fleet over HTTP: paging, RSQL filtering, sorting, smart-group creation and the incremental
 * recalculation after one device's extension attribute changes all answer correctly at that size. How fast
 * is measured by `npm run bench` (UEM Connect sync of the whole fleet), never by a timed test.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, harness } from './jamf-pro.testing.ts';

let h: Harness;
let computers: number;

beforeAll(async () => {
  h = await harness({ fleet: { seed: 3, devices: 10_000 } });
  computers = (await h.call('GET', '/api/v1/computers-inventory?page-size=1')).json().totalCount;
}, 30_000);
afterAll(async () => {
  await h.close();
});

test('the 10k fleet splits into thousands of computers and mobile devices', async () => {
  const mobiles = (await h.call('GET', '/api/v2/mobile-devices?page-size=1')).json().totalCount;
  expect(computers).toBeGreaterThan(5000);
  expect(computers + mobiles).toBe(10_000);
});

test('listing, sorting and paging over every computer finds the matching devices', async () => {
  const value = await h.call(
    'GET',
    '/api/v1/computers-inventory?section=GENERAL&section=HARDWARE&page=3&page-size=500&sort=hardware.model:asc,general.name:desc',
  );
  expect(value.statusCode).toBe(200);
  expect(value.json().results).toHaveLength(500);
});

test('an RSQL filter over every computer finds the matching devices', async () => {
  const last = (
    await h.call('GET', '/api/v1/computers-inventory?sort=id:desc&page-size=1&section=HARDWARE')
  ).json().results[0];
  const filter = encodeURIComponent(
    `hardware.serialNumber=="${last.hardware.serialNumber}" or (general.name==*zz* and id>100)`,
  );
  const value = await h.call('GET', `/api/v1/computers-inventory?filter=${filter}`);
  expect(value.json().results.map((c: { id: string }) => c.id)).toContain(last.id);
});

test('creating a smart group over the fleet and moving one device in and out work at that size', async () => {
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
  const create = {
    value: await h.call('POST', '/api/v2/computer-groups/smart-groups', {
      name: 'High',
      criteria: [{ name: 'Risk', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
    }),
  };
  expect(create.value.statusCode).toBe(201);
  const id = create.value.json().id;
  const patch = {
    value: await h.call('PATCH', `/api/v1/computers-inventory-detail/${computers}`, {
      extensionAttributes: [{ definitionId: '1', values: ['High'] }],
    }),
  };
  expect(patch.value.statusCode).toBe(200);
  expect(
    (await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`)).json().members,
  ).toEqual([computers]);
  const classic = {
    value: await h.classic('PUT', `/JSSResource/computers/id/${computers}`, {
      xml: '<computer><extension_attributes><extension_attribute><id>1</id><value>Low</value></extension_attribute></extension_attributes></computer>',
    }),
  };
  expect(classic.value.statusCode).toBe(201);
  expect(
    (await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`)).json().members,
  ).toEqual([]);
});

test('a mobile detail search with a filter over the fleet finds the matching devices', async () => {
  const value = await h.call(
    'GET',
    '/api/v2/mobile-devices/detail?section=GENERAL&section=USER_AND_LOCATION&filter=model=="iPad*";supervised==true&page-size=200',
  );
  expect(value.statusCode).toBe(200);
  expect(value.json().totalCount).toBeGreaterThan(0);
});
