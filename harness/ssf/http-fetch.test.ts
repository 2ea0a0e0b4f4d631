/**
 * The node:http fetch: a drop-in for what the engines ask of fetch, reusing connections.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createHttpFetch } from './http-fetch.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

test('a POST carries method, headers and body; the Response has status, headers and body', async () => {
  const seen: { method?: string; type?: string; body?: string }[] = [];
  const { url } = await serve((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => {
      body += c.toString();
    });
    request.on('end', () => {
      seen.push({ method: request.method ?? '', type: request.headers['content-type'] ?? '', body });
      response
        .writeHead(400, { 'content-type': 'application/json', 'retry-after': '5' })
        .end('{"err":"invalid_request"}');
    });
  });
  const response = await createHttpFetch()(`${url}/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/secevent+jwt' },
    body: 'a.b.c',
  });
  expect(seen).toEqual([{ method: 'POST', type: 'application/secevent+jwt', body: 'a.b.c' }]);
  expect(response.status).toBe(400);
  expect(response.headers.get('retry-after')).toBe('5');
  expect(await response.json()).toEqual({ err: 'invalid_request' });
});

test('sequential requests reuse one keep-alive connection', async () => {
  const { url, connections } = await serve((_request, response) => {
    response.writeHead(202, { 'content-length': '0' }).end();
  });
  const fetchVia = createHttpFetch();
  for (let i = 0; i < 5; i++) {
    const response = await fetchVia(url, { method: 'POST', body: 'x' });
    expect(response.status).toBe(202);
    expect(response.body).toBeNull();
  }
  expect(connections()).toBe(1);
});

test('an aborted signal rejects with its reason, before and during the request', async () => {
  const { url } = await serve(() => undefined);
  const fetchVia = createHttpFetch();
  await expect(fetchVia(url, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
  const controller = new AbortController();
  const pending = fetchVia(url, { signal: controller.signal });
  controller.abort(new Error('timeout'));
  await expect(pending).rejects.toThrow('timeout');
});

test('a refused connection rejects like fetch, with the cause attached', async () => {
  const { url } = await serve(() => undefined);
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  await expect(createHttpFetch()(url)).rejects.toMatchObject({
    message: 'fetch failed',
    cause: { code: 'ECONNREFUSED' },
  });
});

test("redirect: 'error' refuses a 3xx; otherwise the 3xx is returned as it is", async () => {
  const { url } = await serve((_request, response) => {
    response.writeHead(302, { location: '/elsewhere', 'content-length': '0' }).end();
  });
  await expect(createHttpFetch()(url, { redirect: 'error' })).rejects.toThrow(/redirect/);
  expect((await createHttpFetch()(url, { redirect: 'manual' })).status).toBe(302);
});

test('only http and https URLs, and only string or byte bodies, are accepted', async () => {
  await expect(createHttpFetch()('ftp://example.com/')).rejects.toThrow(/ftp:/);
  await expect(
    createHttpFetch()('http://127.0.0.1:9/', { method: 'POST', body: new Blob(['x']) }),
  ).rejects.toThrow(/string or byte/);
});

test('a form body goes url-encoded with its content type, as fetch sends it', async () => {
  const seen: { type?: string; body?: string }[] = [];
  const { url } = await serve((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => {
      body += c.toString();
    });
    request.on('end', () => {
      seen.push({ type: request.headers['content-type'] ?? '', body });
      response.end();
    });
  });
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' });
  await createHttpFetch()(`${url}/token`, { method: 'POST', body: form });
  expect(seen).toEqual([
    {
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'grant_type=client_credentials&scope=a+b',
    },
  ]);
});
