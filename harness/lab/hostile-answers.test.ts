/**
 * Every outbound target of a loopback lab answers with a 256 MB body, and none of it is buffered. One
 * node:http server on 127.0.0.1 plays each target — a Universal Logout endpoint (400), an SSF push
 * endpoint (400), a provider's JWKS, an identity provider's OIDC discovery document, the JWKS of an
 * issuer an app trusts — streaming
 * zero-filled chunks lazily (256 MB is never allocated) until the client goes away, counting what it
 * wrote. Each target is pointed there through the lab's documented controls and the vendors' APIs; then:
 * the caller refused or recorded the answer, the server saw the connection closed after far less than
 * 256 MB, the process's RSS stayed within 50 MB of where it started, every service still answers, and
 * the timeline recorded a cut body.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_GTR_PATH, GTR_TYP } from '../../mocks/apps/index.ts';
import { generateSigningKey, signSet } from '../protocol/index.ts';
import { configureSeed, type SeedConfiguration } from './seed-setup.ts';
import { type Lab, startLab } from './start-lab.ts';

const HUGE = 256 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024); // one zero-filled chunk, written again and again
const MiB = 1024 * 1024;
/** Far less than 256 MB: the caps are at most a few MiB, plus what loopback socket buffers take in. */
const AT_MOST_SENT = 16 * MiB;
const RSS_GROWTH_LIMIT = 50 * MiB;

interface Answered {
  readonly path: string;
  readonly bytes: number;
  /** The client went away before the whole body was written. */
  readonly cutShort: boolean;
}

/** The hostile server: any request is answered with up to 256 MB; the status depends on the path. */
class HugeAnswers {
  readonly answered: Answered[] = [];
  readonly #server: Server;
  url = '';

  constructor() {
    this.#server = createServer((request, response) => {
      request.resume();
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      // A refusal (logout, push) with a huge error body; a "document" (JWKS, discovery) with a huge 200.
      const status = path.startsWith('/refuse') ? 400 : 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      let bytes = 0;
      let finished = false;
      response.on('close', () => this.answered.push({ path, bytes, cutShort: !finished }));
      const pump = (): void => {
        while (bytes < HUGE && !response.destroyed) {
          bytes += CHUNK.length;
          // Written only as fast as the client reads: backpressure, never a queue of chunks.
          if (!response.write(CHUNK)) {
            response.once('drain', pump);
            return;
          }
        }
        if (!response.destroyed) {
          finished = true;
          response.end();
        }
      };
      pump();
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** What the server saw for `path` once its connection closed (waits up to 5 s). */
  async closed(path: string): Promise<Answered> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = this.answered.find((a) => a.path === path);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the connection for ${path} was never closed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

let lab: Lab;
let hostile: HugeAnswers;
let seed: SeedConfiguration;
let idleRss = 0;

async function call(method: string, url: string, body?: unknown, authorization?: string) {
  const response = await lab.fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown>,
  };
}

/** Okta's API with its SSWS token; its `/_lab/` controls with the lab admin token (lab.fetch adds it). */
const okta = (method: string, path: string, body?: unknown) =>
  call(
    method,
    `${lab.urls.okta}${path}`,
    body,
    path.startsWith('/_lab/') ? undefined : `SSWS ${lab.okta.apiToken}`,
  );

/** The checks every target shares: closed early, RSS bounded, every service answering, a cut body recorded. */
async function expectContained(path: string): Promise<void> {
  const seen = await hostile.closed(path);
  expect(seen.cutShort).toBe(true);
  expect(seen.bytes).toBeLessThan(AT_MOST_SENT);
  expect(process.memoryUsage().rss - idleRss).toBeLessThan(RSS_GROWTH_LIMIT);
  for (const origin of [
    lab.urls.okta,
    lab.urls.jamfPro,
    lab.urls.jamfSecurityCloud,
    ...Object.values(lab.urls.apps),
  ]) {
    const ready = await fetch(`${origin}/_lab/ready`, { signal: AbortSignal.timeout(5000) });
    await ready.body?.cancel();
    expect(ready.status, origin).toBe(200);
  }
  const recorded = lab.timeline.entries.filter((e) => e.url === `${hostile.url}${path}`);
  expect(recorded.length).toBeGreaterThan(0);
  for (const entry of recorded) {
    expect(entry.responseBody).toMatch(
      /… \[cut: the answer is more than 16384 bytes; only the first 16384 were read\]$/,
    );
    expect(entry.responseBody?.length ?? 0).toBeLessThan(17 * 1024);
  }
}

beforeAll(async () => {
  hostile = new HugeAnswers();
  await hostile.listen();
  lab = await startLab({ transport: 'loopback', devices: 2 });
  seed = await configureSeed(lab);
  idleRss = process.memoryUsage().rss;
}, 60_000);

afterAll(async () => {
  await lab?.close();
  await hostile?.close();
});

test('a Universal Logout endpoint and an SSF push endpoint answering 400 with 256 MB', async () => {
  const device = lab.jsc.tenant.devices().find((d) => d.uem?.email);
  if (!device) throw new Error('the fleet has no device with a user');
  // The app's logout endpoint, through Okta's /_lab/ control (what the issue found changeable).
  const appId = seed.okta.apps.salesforce;
  const config = await okta('PUT', `/_lab/apps/${appId}/universal-logout`, {
    endpoint: `${hostile.url}/refuse/logout`,
    subjectFormat: 'EMAIL',
    partialSupport: false,
    authenticationMethod: 'SIGNED_JWT',
  });
  expect(config.status).toBe(200);
  // A second receiver's push stream at JSC's transmitter, through SSF stream management.
  const account = await call('POST', `${lab.urls.jamfSecurityCloud}/_lab/ssf-receivers`, {
    audience: 'urn:example:hostile',
  });
  expect(account.status).toBe(201);
  const issuerPath = new URL(lab.jsc.issuer).pathname;
  const metadata = await call(
    'GET',
    `${lab.urls.jamfSecurityCloud}/.well-known/ssf-configuration${issuerPath}`,
  );
  const stream = await call(
    'POST',
    String(metadata.json.configuration_endpoint),
    { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `${hostile.url}/refuse/push` } },
    `Bearer ${String(account.json.token)}`,
  );
  expect(stream.status).toBe(201);

  // One threat: JSC pushes to Okta and to the hostile stream; Okta's policy logs the user out everywhere.
  const threat = await call('POST', `${lab.urls.jamfSecurityCloud}/_lab/threats`, {
    device: device.udid,
    category: 'hostile answers',
    severity: 'HIGH',
  });
  expect(threat.status).toBe(201);

  await expectContained('/refuse/push');
  const pushed = lab.timeline.entries.find((e) => e.url === `${hostile.url}/refuse/push`);
  expect(pushed).toMatchObject({ from: 'jamf-security-cloud', status: 400 });

  await expectContained('/refuse/logout');
  const deadline = Date.now() + 5000;
  let attempt: Record<string, unknown> | undefined;
  while (attempt === undefined && Date.now() < deadline) {
    const attempts = await okta('GET', `/_lab/universal-logout?appId=${appId}`);
    attempt = (attempts.json as unknown as Record<string, unknown>[]).at(-1);
    if (attempt === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Okta recorded the refusal from its status, the huge body cut unread.
  expect(attempt).toMatchObject({ status: 400 });
});

test('a security events provider whose JWKS is 256 MB is refused', async () => {
  const provider = await okta('POST', '/api/v1/security-events-providers', {
    name: 'Hostile provider',
    type: 'Jamf',
    settings: { issuer: 'https://hostile.example', jwks_url: `${hostile.url}/jwks` },
  });
  expect(provider.status).toBe(400);
  expect(JSON.stringify(provider.json)).toContain('is larger than 262144 bytes');
  await expectContained('/jwks');
});

test('an identity provider whose OIDC discovery document is 256 MB is refused by JSC', async () => {
  const app = lab.jsc.apps[0];
  if (!app) throw new Error('the lab has no JSC application');
  const login = await call(
    'POST',
    `${lab.urls.jamfSecurityCloud}/v1/login`,
    undefined,
    `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}`,
  );
  const connected = await call(
    'POST',
    `${lab.urls.jamfSecurityCloud}/v1/identity-providers`,
    { type: 'OKTA', domain: hostile.url, clientId: 'hostile' },
    `Bearer ${String(login.json.token)}`,
  );
  expect(connected.status).toBe(400);
  expect(connected.json).toMatchObject({ error: 'IDP_CONNECTION_FAILED' });
  expect(String(connected.json.message)).toContain('larger than 65536 bytes');
  await expectContained('/.well-known/openid-configuration');
});

test('an app whose trusted issuer publishes a 256 MB JWKS answers the logout request 503', async () => {
  const appUrl = lab.urls.apps.salesforce;
  const issuer = 'https://hostile-issuer.example';
  const trusted = await call('POST', `${appUrl}/_lab/trusted-issuers`, {
    issuer,
    jwksUri: `${hostile.url}/app-jwks`,
  });
  expect(trusted.status).toBe(201);
  const endpoint = `${appUrl}${DEFAULT_GTR_PATH}`;
  const { key } = await generateSigningKey('ES256', { kid: 'hostile' });
  const now = Math.floor(Date.now() / 1000);
  const token = await signSet(
    {
      jti: randomUUID(),
      iss: issuer,
      sub: lab.apps.salesforce.clientId,
      aud: endpoint,
      iat: now,
      nbf: now - 60,
      exp: now + 60,
    },
    key,
    { header: { typ: GTR_TYP } },
  );
  const refused = await call(
    'POST',
    endpoint,
    { sub_id: { format: 'email', email: 'nobody@example.com' } },
    `Bearer ${token}`,
  );
  // The app's documented answer when the keys cannot be had (gtr-ledger.ts): 503, not a crash or a 500.
  expect(refused.status).toBe(503);
  await expectContained('/app-jwks');
});
