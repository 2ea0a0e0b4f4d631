/**
 * A loopback lab under a public host: the address checks, the lab reaching its own advertised origins at
 * the bind address, the readiness probe in front of a service, and a whole lab advertised under a name
 * that resolves nowhere — which must still set itself up and run the seed's chain, because its services
 * reach each other at the bind address; and a service that closes promptly although a keep-alive client
 * was mid-request. Every server here listens on 127.0.0.1 and is closed by the test.
 */
import Fastify from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { createHttpFetch } from '../ssf/index.ts';
import { apiCall } from './api-call.ts';
import { withLabAdminToken } from './lab-admin.ts';
import {
  bindAddress,
  dialHost,
  dialLabOrigins,
  endConnectionsOnClose,
  publicHostName,
  READY_PATH,
  serveReadiness,
} from './listen.ts';
import { labManifest } from './manifest.ts';
import { configureSeed } from './seed-setup.ts';
import { type Lab, startLab } from './start-lab.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

test.each([
  ['127.0.0.1', '127.0.0.1'],
  ['0.0.0.0', '0.0.0.0'],
  ['::', '::'],
  ['[::1]', '::1'],
  ['LOCALHOST', 'localhost'],
  ['example.com', undefined],
  ['127.0.0.1:80', undefined],
  ['', undefined],
  ['10.0.0.256', undefined],
])('bindAddress(%j) is %j', (value, expected) => {
  expect(bindAddress(value)).toBe(expected);
});

test.each([
  ['ssf-lab', 'ssf-lab'],
  ['Lab.Example.COM', 'lab.example.com'],
  ['ssf_lab-1', 'ssf_lab-1'],
  ['host.docker.internal', 'host.docker.internal'],
  ['10.1.2.3', '10.1.2.3'],
  ['::1', '[::1]'],
  ['[FE80::1]', '[fe80::1]'],
  ['http://lab', undefined],
  ['lab:4400', undefined],
  ['lab/path', undefined],
  ['lab example', undefined],
  ['user@lab', undefined],
  ['-lab', undefined],
  ['lab..example', undefined],
  ['', undefined],
  [`${'a'.repeat(64)}.example`, undefined],
  ['[lab]', undefined],
])('publicHostName(%j) is %j', (value, expected) => {
  expect(publicHostName(value)).toBe(expected);
});

test('the lab dials a wildcard bind on loopback, a specific one where it is', () => {
  expect(dialHost('0.0.0.0')).toBe('127.0.0.1');
  expect(dialHost('::')).toBe('[::1]');
  expect(dialHost('::1')).toBe('[::1]');
  expect(dialHost('10.0.0.5')).toBe('10.0.0.5');
  expect(dialHost('localhost')).toBe('localhost');
});

test('dialLabOrigins sends its own origins to the bind address with the advertised Host, others unchanged', async () => {
  const seen: { url: string; host: string | null; method: string | undefined }[] = [];
  const inner: typeof fetch = async (input, init) => {
    seen.push({
      url: String(input),
      host: new Headers(init?.headers).get('host'),
      method: init?.method,
    });
    return new Response('ok');
  };
  const dialed = dialLabOrigins(inner, ['http://lab.invalid:4400', 'http://lab.invalid:4401'], '127.0.0.1');
  await dialed('http://lab.invalid:4401/sse/t1/jwks.json?x=1', {
    method: 'POST',
    headers: { authorization: 'Bearer t' },
  });
  await dialed(new URL('http://lab.invalid:4400/'));
  await dialed('http://lab.invalid:4402/not-ours');
  await dialed('http://127.0.0.1:9/elsewhere');
  expect(seen).toEqual([
    { url: 'http://127.0.0.1:4401/sse/t1/jwks.json?x=1', host: 'lab.invalid:4401', method: 'POST' },
    { url: 'http://127.0.0.1:4400/', host: 'lab.invalid:4400', method: undefined },
    { url: 'http://lab.invalid:4402/not-ours', host: null, method: undefined },
    { url: 'http://127.0.0.1:9/elsewhere', host: null, method: undefined },
  ]);
});

test('serveReadiness answers GET and HEAD /_lab/ready itself and hands everything else to the service', async () => {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  app.get('/_lab/other', async () => ({ other: true }));
  await app.ready();
  let ready = false;
  serveReadiness(app.server, () => ready);
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const before = await fetch(`${origin}${READY_PATH}`);
  expect(before.status).toBe(503);
  expect(before.headers.get('retry-after')).toBe('1');
  expect(before.headers.get('cache-control')).toBe('no-store');
  expect(await before.json()).toEqual({ ready: false });
  ready = true;
  const after = await fetch(`${origin}${READY_PATH}?probe=1`);
  expect(after.status).toBe(200);
  expect(await after.json()).toEqual({ ready: true });
  const head = await fetch(`${origin}${READY_PATH}`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');

  expect(await (await fetch(`${origin}/hello`)).json()).toEqual({ hello: 'world' });
  expect(await (await fetch(`${origin}/_lab/other`)).json()).toEqual({ other: true });
  // Other methods on the path are the service's business (here: not found).
  expect((await fetch(`${origin}${READY_PATH}`, { method: 'POST' })).status).toBe(404);
});

test('a service that begins to close during a keep-alive request closes once it is answered', async () => {
  const app = Fastify();
  let answer: (value: unknown) => void = () => undefined;
  let asked: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => {
    asked = resolve;
  });
  app.get('/fast', async () => ({ fast: true }));
  app.get('/slow', () => {
    asked();
    return new Promise((resolve) => {
      answer = resolve;
    });
  });
  await app.ready();
  endConnectionsOnClose(app.server);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // The lab's own fetch: node:http with a keep-alive agent. A first request leaves a connection in its
  // pool; the slow one reuses it, and the service begins to close while it is busy.
  const fetchVia = createHttpFetch();
  expect(await (await fetchVia(`http://127.0.0.1:${port}/fast`)).json()).toEqual({ fast: true });
  const response = fetchVia(`http://127.0.0.1:${port}/slow`);
  await arrived;
  const closing = app.close();
  const start = Date.now();
  // Answered once the server has stopped listening: the connection was busy when fastify ended the idle ones.
  while (app.server.listening) await new Promise((resolve) => setTimeout(resolve, 1));
  answer({ done: true });
  expect(await (await response).json()).toEqual({ done: true });
  await closing;
  // Without it, the busy-then-idle connection holds the close for the keep-alive timeout (72 s).
  expect(Date.now() - start).toBeLessThan(2000);
});

test.each([
  [{ transport: 'in-process', host: '127.0.0.1' }, 'host applies to the loopback transport only'],
  [{ publicHost: 'lab' }, 'publicHost applies to the loopback transport only'],
  [{ ready: () => true }, 'ready applies to the loopback transport only'],
  [
    { transport: 'loopback', host: 'lab.example' },
    'host must be an IP address or localhost, not "lab.example"',
  ],
  [
    { transport: 'loopback', publicHost: 'http://lab' },
    'publicHost must be a host name or an IP address (no scheme, port or path), not "http://lab"',
  ],
] as const)('startLab(%j) refuses: %s', async (options, message) => {
  await expect(startLab(options)).rejects.toThrow(message);
});

/** A fetch that reaches a lab advertised under a name nothing resolves, as a port-publishing host would. */
/** A client outside the lab holding its manifest: it dials the bind address and sends the admin token. */
function viaLoopback(lab: Lab): typeof fetch {
  const origins = [
    lab.urls.okta,
    lab.urls.jamfPro,
    lab.urls.jamfSecurityCloud,
    ...Object.values(lab.urls.apps),
  ];
  return withLabAdminToken(dialLabOrigins(globalThis.fetch, origins, '127.0.0.1'), origins, lab.adminToken);
}

test('a lab advertised under a name that resolves nowhere sets itself up, runs the chain and serves fixed credentials', async () => {
  const credentials = {
    oktaApiToken: '00fixed-okta-token-for-a-static-ci',
    jamfProPassword: 'fixed-jamf-pro-password',
    jamfProClientSecret: 'fixed-jamf-pro-client-secret',
    jscAppSecret: 'fixed-jsc-app-secret-value',
    adminToken: 'fixed-lab-admin-token-0123456789',
  };
  let ready = false;
  const lab = await startLab({
    transport: 'loopback',
    host: '0.0.0.0',
    publicHost: 'ssf-lab.invalid',
    ready: () => ready,
    seed: 5,
    devices: 4,
    credentials,
  });
  closers.push(() => lab.close());
  const outside = viaLoopback(lab);
  for (const url of [lab.urls.okta, lab.urls.jamfSecurityCloud, lab.urls.apps.salesforce])
    expect(url).toMatch(/^http:\/\/ssf-lab\.invalid:\d+$/);
  const starting = await outside(`${lab.urls.okta}${READY_PATH}`);
  expect(starting.status).toBe(503);
  await starting.body?.cancel();

  // Every step runs through the services' APIs, and each service reaches the others by their URLs.
  await configureSeed(lab);
  ready = true;
  const started = await outside(`${lab.urls.jamfPro}${READY_PATH}`);
  expect(started.status).toBe(200);
  await started.body?.cancel();

  const manifest = labManifest(lab, { streamToken: 'fixed-stream-token-0123456789' });
  expect(manifest.okta).toEqual({
    url: lab.urls.okta,
    apiToken: credentials.oktaApiToken,
    userPassword: lab.okta.userPassword,
  });
  expect(manifest.lab).toEqual({ adminToken: credentials.adminToken });
  expect(manifest.jamfPro).toMatchObject({
    password: credentials.jamfProPassword,
    clientSecret: credentials.jamfProClientSecret,
  });
  expect(manifest.jamfSecurityCloud).toMatchObject({
    appId: 'lab-app',
    appSecret: credentials.jscAppSecret,
    streamToken: 'fixed-stream-token-0123456789',
  });
  expect(() => labManifest(lab, { streamToken: 'another-stream-token-0123456789' })).toThrow(
    'already chosen',
  );
  expect(manifest.jamfSecurityCloud.issuer.startsWith(`${lab.urls.jamfSecurityCloud}/sse/`)).toBe(true);
  const metadata = (await (await outside(manifest.jamfSecurityCloud.wellKnownUrl)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  expect(metadata.issuer).toBe(manifest.jamfSecurityCloud.issuer);
  expect(metadata.jwks_uri.startsWith(lab.urls.jamfSecurityCloud)).toBe(true);
  const users = await outside(`${lab.urls.okta}/api/v1/users?limit=1`, {
    headers: { authorization: `SSWS ${credentials.oktaApiToken}` },
  });
  expect(users.status).toBe(200);
  await users.body?.cancel();

  // The chain: a Mac goes High in JSC, which pushes to Okta at its advertised URL.
  const mac = lab.jsc.tenant.devices().find((d) => d.osType === 'MAC_OS' && d.uem?.email);
  if (!mac) throw new Error('the fleet has no Mac with a user');
  const before = lab.timeline.nextSeq;
  await apiCall(outside, 'test', `${lab.urls.jamfSecurityCloud}/_lab/threats`, {
    json: { device: mac.udid, category: 'Malware' },
  });
  const deadline = Date.now() + 5000;
  while (!lab.timeline.since(before).some((e) => e.set && e.to === 'okta' && e.status === 202)) {
    if (Date.now() > deadline) throw new Error('JSC pushed no SET to Okta within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Okta logs the user out of the apps at their advertised URLs too; the lab closes once that is done.
  const idle = await outside(`${lab.urls.okta}/_lab/entity-risk/idle?timeoutMs=10000`);
  expect(idle.status).toBe(204);
  const logouts = lab.timeline
    .since(before)
    .filter((e) => e.from === 'okta' && e.to === 'salesforce')
    .map((e) => e.status);
  expect(logouts).toContain(204);
});
