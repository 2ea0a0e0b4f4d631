/**
 * UEM Connect on its interval, in virtual time: mock JSC re-syncs from mock Jamf Pro every
 * `syncIntervalMinutes` without being asked, so a change made in Jamf Pro (a computer handed to another
 * user) reaches JSC by the next sync and not before; a Jamf Pro that stops answering marks the connector
 * ERROR, and the next good sync marks it CONNECTED again.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildJamfProMock, jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { buildJscMock, type JscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { generateFleet } from '../fleet/index.ts';
import { VirtualScheduler } from '../kernel/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { createInjectFetch } from '../ssf/index.ts';

const FLEET = { seed: 8, devices: 5 };
const mac = generateFleet(FLEET).devices.find((d) => d.kind === 'computer');
if (!mac) throw new Error('the fleet has no Mac');

let jamfPro: FastifyInstance;
let jsc: JscMock;
let jamfProUp = true;
const scheduler = new VirtualScheduler(Date.parse('2026-11-28T09:00:00Z'));
let connectorId = '';

beforeAll(async () => {
  jamfPro = await buildJamfProMock({ fleet: FLEET });
  const routes = new Map<string, { inject: FastifyInstance['inject'] }>([['https://jamf-pro.lab', jamfPro]]);
  const inject = createInjectFetch(routes as never);
  // A switch in front of Jamf Pro, to take it down and bring it back.
  const fetchVia: typeof fetch = (input, init) =>
    jamfProUp ? inject(input, init) : Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED'));
  jsc = await buildJscMock({
    fleet: FLEET,
    fetch: fetchVia,
    clock: scheduler,
    signingKey: (await generateSigningKey('RS256', { kid: 'sync' })).key,
  });
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const created = await jsc.uem.create({
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
    syncIntervalMinutes: 15,
  });
  connectorId = created.id;
});

afterAll(async () => {
  await jsc.close();
  await jamfPro.close();
});

async function jamfToken(): Promise<string> {
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const response = await jamfPro.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client?.clientId ?? '',
      client_secret: client?.clientSecret ?? '',
    }).toString(),
  });
  return response.json().access_token;
}

function connector() {
  const found = jsc.uem.list().find((c) => c.id === connectorId);
  if (!found) throw new Error('the connector is gone');
  return found;
}

test('a change in Jamf Pro reaches JSC at the next interval sync, not before', async () => {
  expect(jsc.tenant.device(mac.udid).uem?.email).toBe(mac.user.email);
  const jamfId = jsc.tenant.device(mac.udid).uem?.jamfId;
  const patched = await jamfPro.inject({
    method: 'PATCH',
    url: `/api/v1/computers-inventory-detail/${jamfId}`,
    headers: { authorization: `Bearer ${await jamfToken()}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ userAndLocation: { email: 'new.owner@acme.example', username: 'new.owner' } }),
  });
  expect(patched.statusCode).toBe(200);
  const firstSyncAt = connector().lastSync?.at;
  await scheduler.advance(14 * 60_000);
  expect(connector().lastSync?.at).toBe(firstSyncAt);
  expect(jsc.tenant.device(mac.udid).uem?.email).toBe(mac.user.email);
  await scheduler.advance(60_000);
  await jsc.tenant.idle();
  await expect.poll(() => connector().lastSync?.at).toBe((firstSyncAt ?? 0) + 15 * 60_000);
  expect(jsc.tenant.device(mac.udid).uem?.email).toBe('new.owner@acme.example');
});

test('Jamf Pro down: the interval sync records the error and the connector recovers on the next one', async () => {
  jamfProUp = false;
  await scheduler.advance(15 * 60_000);
  await expect.poll(() => connector().status).toBe('ERROR');
  expect(connector().lastSync?.error).toMatch(/ECONNREFUSED|fetch failed/);
  // The devices JSC knows stay as they were.
  expect(jsc.tenant.device(mac.udid).uem?.email).toBe('new.owner@acme.example');
  jamfProUp = true;
  await scheduler.advance(15 * 60_000);
  await expect.poll(() => connector().status).toBe('CONNECTED');
  expect(connector().lastSync?.error).toBeUndefined();
});
