import { expect, test } from 'vitest';
import { HarnessError } from '../kernel/index.ts';
import { Faults } from './faults.ts';

const faults = new Faults(new Map([['okta', 'https://acme.okta.lab']]));
const fetchVia = faults.wrap(async () => new Response('ok', { status: 200 }));

test('a service taken down refuses connections until it is brought back', async () => {
  faults.down('okta');
  const refused = await fetchVia('https://acme.okta.lab/security/api/v1/security-events').catch(
    (e: Error) => e,
  );
  expect(refused).toBeInstanceOf(TypeError);
  expect((refused as Error & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
  expect((await fetchVia('https://other.lab/')).status).toBe(200);
  expect(faults.active()).toEqual({ okta: {} });
  faults.up('okta');
  expect((await fetchVia('https://acme.okta.lab/x')).status).toBe(200);
});

test('a fault can hit one path only and answer a status with Retry-After', async () => {
  faults.down('okta', { pathPrefix: '/security/', status: 503, retryAfterSeconds: 7 });
  const unavailable = await fetchVia('https://acme.okta.lab/security/api/v1/security-events', {
    method: 'POST',
  });
  expect(unavailable.status).toBe(503);
  expect(unavailable.headers.get('retry-after')).toBe('7');
  expect((await fetchVia('https://acme.okta.lab/oauth2/v1/keys')).status).toBe(200);
  faults.clear();
  expect(faults.active()).toEqual({});
});

test('unknown services and non-error statuses are usage errors', () => {
  expect(() => faults.down('oktaa')).toThrow(HarnessError);
  expect(() => faults.down('oktaa')).toThrow(/unknown service "oktaa"; the lab has okta/);
  expect(() => faults.down('okta', { status: 200 })).toThrow(/400-599/);
});
