/**
 * A 10,000-device fleet stays fast over HTTP: paging, RSQL filtering, sorting, smart-group creation and the
 * incremental recalculation after one device's extension attribute changes. Budgets are generous (slow CI
 * machines) but far below what an O(n²) implementation would need.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, harness } from './testing.ts';

let h: Harness;
let computers: number;

beforeAll(async () => {
  h = await harness({ fleet: { seed: 3, devices: 10_000 } });
  computers = (await h.call('GET', '/api/v1/computers-inventory?page-size=1')).json().totalCount;
}, 30_000);
afterAll(async () => {
  await h.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

test('the 10k fleet splits into thousands of computers and mobile devices', async () => {
  const mobiles = (await h.call('GET', '/api/v2/mobile-devices?page-size=1')).json().totalCount;
  expect(computers).toBeGreaterThan(5000);
  expect(computers + mobiles).toBe(10_000);
});

test('listing, sorting and paging over every computer answers well under a second', async () => {
  const { ms, value } = await timed(() =>
    h.call(
      'GET',
      '/api/v1/computers-inventory?section=GENERAL&section=HARDWARE&page=3&page-size=500&sort=hardware.model:asc,general.name:desc',
    ),
  );
  expect(value.statusCode).toBe(200);
  expect(value.json().results).toHaveLength(500);
  expect(ms).toBeLessThan(1000);
});

test('an RSQL filter over every computer answers well under a second', async () => {
  const last = (
    await h.call('GET', '/api/v1/computers-inventory?sort=id:desc&page-size=1&section=HARDWARE')
  ).json().results[0];
  const filter = encodeURIComponent(
    `hardware.serialNumber=="${last.hardware.serialNumber}" or (general.name==*zz* and id>100)`,
  );
  const { ms, value } = await timed(() => h.call('GET', `/api/v1/computers-inventory?filter=${filter}`));
  expect(value.json().results.map((c: { id: string }) => c.id)).toContain(last.id);
  expect(ms).toBeLessThan(1000);
});

test('creating a smart group over the fleet and moving one device in and out are fast', async () => {
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
  const create = await timed(() =>
    h.call('POST', '/api/v2/computer-groups/smart-groups', {
      name: 'High',
      criteria: [{ name: 'Risk', priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
    }),
  );
  expect(create.value.statusCode).toBe(201);
  expect(create.ms).toBeLessThan(1000);
  const id = create.value.json().id;
  const patch = await timed(() =>
    h.call('PATCH', `/api/v1/computers-inventory-detail/${computers}`, {
      extensionAttributes: [{ definitionId: '1', values: ['High'] }],
    }),
  );
  expect(patch.value.statusCode).toBe(200);
  expect(patch.ms).toBeLessThan(200);
  expect(
    (await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`)).json().members,
  ).toEqual([computers]);
  const classic = await timed(() =>
    h.classic('PUT', `/JSSResource/computers/id/${computers}`, {
      xml: '<computer><extension_attributes><extension_attribute><id>1</id><value>Low</value></extension_attribute></extension_attributes></computer>',
    }),
  );
  expect(classic.value.statusCode).toBe(201);
  expect(classic.ms).toBeLessThan(200);
  expect(
    (await h.call('GET', `/api/v2/computer-groups/smart-group-membership/${id}`)).json().members,
  ).toEqual([]);
});

test('a mobile detail search with a filter over the fleet answers well under a second', async () => {
  const { ms, value } = await timed(() =>
    h.call(
      'GET',
      '/api/v2/mobile-devices/detail?section=GENERAL&section=USER_AND_LOCATION&filter=model=="iPad*";supervised==true&page-size=200',
    ),
  );
  expect(value.statusCode).toBe(200);
  expect(value.json().totalCount).toBeGreaterThan(0);
  expect(ms).toBeLessThan(1000);
});
