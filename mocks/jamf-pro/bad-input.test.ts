/**
 * Bad input gets the vendor's status and error shape — never a 500, never a crash, never a request half
 * applied: malformed JSON, wrong media types, wrong member types, unknown ids and paths, and a sweep of
 * hostile requests over every route family.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, harness } from './jamf-pro.testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness({ fleet: { seed: 2, devices: 10 } });
  await h.call('POST', '/api/v1/computer-extension-attributes', { name: 'Risk' });
});
afterAll(async () => {
  await h.close();
});

test('malformed JSON is a 400 INVALID_JSON ApiError', async () => {
  const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/1', '{"general": {');
  expect(r.statusCode).toBe(400);
  expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(r.json()).toMatchObject({ httpStatus: 400, errors: [{ code: 'INVALID_JSON', field: 'body' }] });
});

test('a JSON body that is not an object, or no body at all, is a 400', async () => {
  for (const body of ['[]', '"text"', '42', 'null']) {
    const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/1', body);
    expect(r.statusCode, body).toBe(400);
    expect(r.json().errors[0].field).toBe('body');
  }
  const empty = await h.app.inject({
    method: 'PATCH',
    url: '/api/v1/computers-inventory-detail/1',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
  });
  expect(empty.statusCode).toBe(400);
});

test('XML or form bodies on the Pro API are a 415 ApiError', async () => {
  for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'text/plain']) {
    const r = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/computers-inventory-detail/1',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': type },
      payload: 'a=b',
    });
    expect(r.statusCode, type).toBe(415);
    expect(r.json()).toMatchObject({ httpStatus: 415, errors: [{ code: 'UNSUPPORTED_MEDIA_TYPE' }] });
  }
});

test('members of the wrong type are 400s naming the member path', async () => {
  const cases: [unknown, string][] = [
    [{ general: 'x' }, 'general'],
    [{ general: { name: 1 } }, 'general.name'],
    [{ general: { managed: 'true' } }, 'general.managed'],
    [{ purchasing: { lifeExpectancy: 'four' } }, 'purchasing.lifeExpectancy'],
    [{ purchasing: { poDate: '01/02/2026' } }, 'purchasing.poDate'],
    [{ userAndLocation: { email: ['a'] } }, 'userAndLocation.email'],
    [{ extensionAttributes: {} }, 'extensionAttributes'],
    [{ extensionAttributes: ['x'] }, 'extensionAttributes[0]'],
    [{ extensionAttributes: [{ values: ['x'] }] }, 'extensionAttributes[0].definitionId'],
    [{ extensionAttributes: [{ definitionId: '1', values: [1] }] }, 'extensionAttributes[0].values[0]'],
    [
      { hardware: { extensionAttributes: [{ definitionId: '9', values: [] }] } },
      'hardware.extensionAttributes[0].definitionId',
    ],
  ];
  for (const [body, field] of cases) {
    const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/1', body);
    expect(r.statusCode, JSON.stringify(body)).toBe(400);
    expect(r.json().errors[0].field, JSON.stringify(body)).toBe(field);
  }
});

test('a rejected PATCH leaves the computer exactly as it was', async () => {
  const before = (await h.call('GET', '/api/v1/computers-inventory-detail/2')).body;
  const r = await h.call('PATCH', '/api/v1/computers-inventory-detail/2', {
    general: { name: 'half applied?' },
    userAndLocation: { room: 'nope' },
    extensionAttributes: [{ definitionId: '1', values: ['a', 'b'] }],
  });
  expect(r.statusCode).toBe(400);
  expect((await h.call('GET', '/api/v1/computers-inventory-detail/2')).body).toBe(before);
});

test('unknown Pro API paths and methods are 404 ApiErrors, after authentication', async () => {
  const r = await h.call('GET', '/api/v1/does-not-exist');
  expect(r.statusCode).toBe(404);
  expect(r.json()).toMatchObject({ httpStatus: 404, errors: [{ code: 'NOT_FOUND' }] });
  expect((await h.call('DELETE', '/api/v1/computer-groups')).statusCode).toBe(404);
  expect((await h.call('GET', '/api/v1/does-not-exist', undefined, null)).statusCode).toBe(401);
});

test('a Classic write without XML is a 415 status page; an empty body is a 400', async () => {
  const r = await h.app.inject({
    method: 'PUT',
    url: '/JSSResource/computers/id/1',
    headers: { authorization: `Bearer ${h.token}` },
    payload: '',
  });
  expect(r.statusCode).toBe(415);
  expect(r.headers['content-type']).toBe('text/html;charset=UTF-8');
  const empty = await h.classic('PUT', '/JSSResource/computers/id/1', { xml: '' });
  expect(empty.statusCode).toBe(400);
  expect(empty.body).toContain('the document is empty');
});

test('a DOCTYPE with entity definitions is refused rather than expanded', async () => {
  const bomb = `<?xml version="1.0"?><!DOCTYPE computer [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><computer><general><name>&b;</name></general></computer>`;
  const r = await h.classic('PUT', '/JSSResource/computers/id/1', { xml: bomb });
  expect(r.statusCode).toBe(400);
  expect(r.body).toContain('internal subset is not accepted');
});

test('a sweep of hostile requests never produces a 5xx', async () => {
  const requests: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    payload?: string;
    type?: string;
  }[] = [
    { method: 'GET', url: '/api/v1/computers-inventory?filter=%28%28%28' },
    { method: 'GET', url: `/api/v1/computers-inventory?filter=${'a'.repeat(9000)}` },
    { method: 'GET', url: '/api/v1/computers-inventory?page=99999999999999999999' },
    { method: 'GET', url: '/api/v1/computers-inventory?page-size=-5&sort=:' },
    { method: 'GET', url: '/api/v1/computers-inventory?sort=id:asc:extra' },
    { method: 'GET', url: '/api/v1/computers-inventory?section=NONE&section=' },
    { method: 'GET', url: '/api/v1/computers-inventory?page=1&page=2' },
    { method: 'GET', url: '/api/v2/mobile-devices/detail?filter=managed=in=(true' },
    { method: 'GET', url: '/api/v1/computers-inventory/%00' },
    { method: 'GET', url: '/api/v1/computers-inventory/-1' },
    {
      method: 'PATCH',
      url: '/api/v2/mobile-devices/1',
      payload: '{"updatedExtensionAttributes":[null,{}]}',
      type: 'application/json',
    },
    {
      method: 'POST',
      url: '/api/v2/computer-groups/smart-groups',
      payload: '{"name":"x","criteria":[{"name":"Risk","searchType":"matches regex","value":"(a+)+$"}]}',
      type: 'application/json',
    },
    {
      method: 'POST',
      url: '/api/v2/computer-groups/smart-groups',
      payload: '{"name":"y","criteria":"all"}',
      type: 'application/json',
    },
    {
      method: 'POST',
      url: '/api/v1/mobile-device-groups/static-groups',
      payload: '{"groupName":"z","assignments":[{"mobileDeviceId":{}}]}',
      type: 'application/json',
    },
    {
      method: 'POST',
      url: '/api/v1/computer-extension-attributes/delete-multiple',
      payload: '{"ids":[[1]]}',
      type: 'application/json',
    },
    { method: 'POST', url: '/api/v1/auth/token', payload: 'x', type: 'application/octet-stream' },
    {
      method: 'PUT',
      url: '/JSSResource/computers/id/1',
      payload: '<computer>&#xD800;</computer>',
      type: 'text/xml',
    },
    {
      method: 'PUT',
      url: '/JSSResource/computers/id/1',
      payload: `${'<a>'.repeat(500)}`,
      type: 'application/xml',
    },
    {
      method: 'POST',
      url: '/JSSResource/computergroups/id/0',
      payload:
        '<computer_group><name>g</name><is_smart>maybe</is_smart><criteria><criterion><name>Risk</name><priority>x</priority></criterion></criteria></computer_group>',
      type: 'application/xml',
    },
    {
      method: 'POST',
      url: '/JSSResource/osxconfigurationprofiles/id/0',
      payload:
        '<os_x_configuration_profile><general><name>p</name><payloads>&lt;not a plist</payloads></general><scope><all_computers>perhaps</all_computers></scope></os_x_configuration_profile>',
      type: 'application/xml',
    },
    { method: 'DELETE', url: '/JSSResource/computers/id/1' },
    { method: 'GET', url: '/JSSResource/computers/id/abc/subset/General' },
    { method: 'GET', url: '/_lab/nothing' },
  ];
  for (const r of requests) {
    const response = await h.app.inject({
      method: r.method,
      url: r.url,
      headers: { authorization: `Bearer ${h.token}`, ...(r.type ? { 'content-type': r.type } : {}) },
      ...(r.payload === undefined ? {} : { payload: r.payload }),
    });
    expect(response.statusCode, `${r.method} ${r.url}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, `${r.method} ${r.url}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
  }
  expect((await h.call('GET', '/api/v1/jamf-pro-version')).statusCode).toBe(200);
});
