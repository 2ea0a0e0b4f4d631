/**
 * The inject fetch: requests for mapped origins reach a fastify app without sockets.
 */
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { createInjectFetch } from './inject-fetch.ts';

async function app() {
  const a = Fastify();
  a.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  a.post('/echo', async (request, reply) =>
    reply
      .code(201)
      .header('x-seen-host', request.headers.host ?? '')
      .send({ body: request.body, q: request.query }),
  );
  a.get('/empty', async (_r, reply) => reply.code(204).send());
  a.get('/hop', async (_r, reply) => reply.redirect('/empty', 302));
  await a.ready();
  return a;
}

test('a request for a mapped origin is injected: method, path, query, headers and body arrive', async () => {
  const a = await app();
  const fetchVia = createInjectFetch(new Map([['https://svc.lab', a]]));
  const response = await fetchVia('https://svc.lab/echo?x=1', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hello: 'world' }),
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-seen-host')).toBe('svc.lab');
  expect(await response.json()).toEqual({ body: { hello: 'world' }, q: { x: '1' } });
});

test('form bodies, empty answers and redirects behave as with fetch', async () => {
  const a = await app();
  const fetchVia = createInjectFetch(new Map([['https://svc.lab', a]]));
  const form = await fetchVia('https://svc.lab/echo', {
    method: 'POST',
    body: new URLSearchParams({ a: 'b' }),
  });
  expect(((await form.json()) as { body: string }).body).toBe('a=b');
  const empty = await fetchVia('https://svc.lab/empty');
  expect(empty.status).toBe(204);
  expect(empty.body).toBeNull();
  expect((await fetchVia('https://svc.lab/hop', { redirect: 'manual' })).status).toBe(302);
  expect((await fetchVia('https://svc.lab/hop')).status).toBe(204);
  await expect(fetchVia('https://svc.lab/hop', { redirect: 'error' })).rejects.toThrow('fetch failed');
});

test('an unmapped origin fails like an unreachable host, or goes to the fallback', async () => {
  const fetchVia = createInjectFetch(new Map());
  await expect(fetchVia('https://elsewhere.lab/')).rejects.toMatchObject({ message: 'fetch failed' });
  const viaFallback = createInjectFetch(new Map(), async () => new Response('fallback'));
  expect(await (await viaFallback('https://elsewhere.lab/')).text()).toBe('fallback');
});
