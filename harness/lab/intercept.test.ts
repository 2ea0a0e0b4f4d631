/**
 * The in-process interceptor: requests to a lab origin from fetch and from node:https reach the app with
 * inject(), bodies and headers intact, redirects handed back as they are; other origins reach the network
 * (here a real loopback server). Like node-fetch, the https client is called through the module object,
 * which is what msw patches (an ESM named import binds the unpatched function). An origin cannot be
 * served twice; closing restores the network.
 */
import https from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { interceptOrigins, LAB_REQUEST_CAP, OriginInUseError } from './intercept.ts';

let lab: FastifyInstance;
let real: FastifyInstance;
let realOrigin = '';
let reached = 0;

beforeAll(async () => {
  lab = Fastify();
  lab.post('/echo', async (request) => ({ body: request.body, auth: request.headers.authorization ?? null }));
  lab.get('/hop', async (_request, reply) => reply.redirect('/landed', 302));
  lab.get('/', async () => 'lab');
  lab.post('/count', async () => {
    reached++;
    return { ok: true };
  });
  await lab.ready();
  real = Fastify();
  real.get('/', async () => 'real');
  realOrigin = await real.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await Promise.all([lab.close(), real.close()]);
});

test('fetch to a lab origin reaches the app; redirects come back unfollowed; other origins pass through', async () => {
  const interception = await interceptOrigins(new Map([['https://svc.lab', lab]]));
  try {
    const echoed = await fetch('https://svc.lab/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await echoed.json()).toEqual({ body: { a: 1 }, auth: 'Bearer t' });
    const hop = await fetch('https://svc.lab/hop', { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe('/landed');
    expect(await (await fetch(`${realOrigin}/`)).text()).toBe('real');
  } finally {
    interception.close();
  }
});

test('node:https clients (what node-fetch and the Okta SDK use) are intercepted too', async () => {
  const interception = await interceptOrigins(new Map([['https://svc.lab', lab]]));
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const req = https.request('https://svc.lab/', (res) => {
        let out = '';
        res.on('data', (c: Buffer) => {
          out += c.toString();
        });
        res.on('end', () => resolve(out));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).toBe('lab');
  } finally {
    interception.close();
  }
});

test('an origin cannot be served by two labs; closing one hands the origin back to the network', async () => {
  const first = await interceptOrigins(new Map([[realOrigin, lab]]));
  await expect(interceptOrigins(new Map([[realOrigin, lab]]))).rejects.toThrow(OriginInUseError);
  expect(await (await fetch(`${realOrigin}/`)).text()).toBe('lab');
  first.close();
  first.close(); // idempotent
  expect(await (await fetch(`${realOrigin}/`)).text()).toBe('real');
});

test('a request body over the in-process cap is answered 413 without being buffered or reaching the app', async () => {
  const interception = await interceptOrigins(new Map([['https://svc.lab', lab]]));
  try {
    // 64 MiB if it were read to the end, generated lazily: the count shows how much the relay pulled.
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled === 1024) return controller.close();
          pulled++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
    const refused = await fetch('https://svc.lab/count', init);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(pulled * 64 * 1024).toBeLessThanOrEqual(LAB_REQUEST_CAP + 3 * 64 * 1024);
    // Declared too large: refused from the Content-Length alone.
    const declared = await fetch('https://svc.lab/count', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(LAB_REQUEST_CAP + 1),
    });
    expect(declared.status).toBe(413);
    expect(reached).toBe(0);
    // Under the cap the body goes through.
    const fine = await fetch('https://svc.lab/count', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1000) }),
    });
    expect(fine.status).toBe(200);
    expect(reached).toBe(1);
  } finally {
    interception.close();
  }
});
