/**
 * One process, one msw server holding a user's handlers and the lab's: both answer, through fetch and
 * node:https, also after `resetHandlers()`; the in-process lab's transmitter pushes to a receiver the
 * user mocks with msw and to a plain node:http receiver on 127.0.0.1. Wiring mistakes are refused.
 */
import { createServer, type Server } from 'node:http';
import https from 'node:https';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { isHarnessError } from '../kernel/index.ts';
import { configureSeed, type Lab, labManifest, startLab } from '../lab/index.ts';
import { decodeSet } from '../protocol/index.ts';
import { labHandlers } from './msw.ts';

const mockedPushes: string[] = [];
const server = setupServer(
  http.get('https://api.vendor.test/ping', () => HttpResponse.json({ pong: true })),
  http.post('https://receiver.vendor.test/events', async ({ request }) => {
    mockedPushes.push(await request.text());
    return new HttpResponse(null, { status: 202 });
  }),
  ...labHandlers,
);

let lab: Lab;
let plain: Server;
let plainUrl = '';
const plainPushes: string[] = [];

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' });
  lab = await startLab({ msw: server, seed: 5, devices: 3 });
  await configureSeed(lab);
  plain = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    plainPushes.push(body);
    response.writeHead(202).end();
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const address = plain.address();
  plainUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/events`;
}, 30_000);

afterEach(() => server.resetHandlers());

afterAll(async () => {
  await lab?.close();
  server.close();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

function httpsGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

test("the user's handlers and the lab's both answer, through fetch and node:https", async () => {
  expect(await (await fetch('https://api.vendor.test/ping')).json()).toEqual({ pong: true });
  const { okta } = labManifest(lab);
  const users = await fetch(`${okta.url}/api/v1/users?limit=1`, {
    headers: { authorization: `SSWS ${okta.apiToken}`, accept: 'application/json' },
  });
  expect(users.status).toBe(200);
  expect(await users.json()).toHaveLength(1);
  const viaHttps = await httpsGet(`${okta.url}/api/v1/users?limit=1`, {
    authorization: `SSWS ${okta.apiToken}`,
  });
  expect(viaHttps.status).toBe(200);
});

test('resetHandlers() keeps the lab: its handlers are initial handlers', async () => {
  server.resetHandlers();
  server.use(http.get('https://api.vendor.test/ping', () => HttpResponse.json({ pong: 'overridden' })));
  expect(await (await fetch('https://api.vendor.test/ping')).json()).toEqual({ pong: 'overridden' });
  expect(
    (
      await fetch(
        `${lab.urls.jamfSecurityCloud}${new URL(labManifest(lab).jamfSecurityCloud.wellKnownUrl).pathname}`,
      )
    ).status,
  ).toBe(200);
});

async function verifyStreamTo(endpoint: string, state: string): Promise<void> {
  const jsc = labManifest(lab).jamfSecurityCloud;
  const metadata = (await (await fetch(jsc.wellKnownUrl)).json()) as Record<string, string>;
  const bearer = { authorization: `Bearer ${jsc.streamToken}`, 'content-type': 'application/json' };
  const created = await fetch(metadata.configuration_endpoint ?? '', {
    method: 'POST',
    headers: bearer,
    body: JSON.stringify({
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: endpoint },
      events_requested: ['https://schemas.openid.net/secevent/ssf/event-type/verification'],
    }),
  });
  expect(created.status).toBe(201);
  const { stream_id } = (await created.json()) as { stream_id: string };
  const verify = await fetch(metadata.verification_endpoint ?? '', {
    method: 'POST',
    headers: bearer,
    body: JSON.stringify({ stream_id, state }),
  });
  expect(verify.status).toBe(204);
}

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
}

function states(pushes: readonly string[]): unknown[] {
  return pushes.map((token) => {
    const events = (decodeSet(token).payload?.events ?? {}) as Record<string, { state?: unknown }>;
    return Object.values(events)[0]?.state;
  });
}

test('the lab pushes to a receiver the user mocks with msw, and to a plain node:http receiver on 127.0.0.1', async () => {
  await verifyStreamTo('https://receiver.vendor.test/events', 'to-the-mock');
  await until(() => mockedPushes.length > 0);
  expect(states(mockedPushes)).toContain('to-the-mock');

  await verifyStreamTo(plainUrl, 'to-the-socket');
  await until(() => plainPushes.length > 0);
  expect(states(plainPushes)).toContain('to-the-socket');
});

test('wiring mistakes are refused with what to do', async () => {
  const bare = setupServer(http.get('https://api.vendor.test/x', () => HttpResponse.text('x')));
  const refused = await startLab({ msw: bare }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHarnessError(refused)).toBe(true);
  expect((refused as Error).message).toContain('setupServer(...yourHandlers, ...labHandlers)');
  const loopback = await startLab({ msw: server, transport: 'loopback' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((loopback as Error).message).toMatch(/^msw applies to the in-process transport/);
});
