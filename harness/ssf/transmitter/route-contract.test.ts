/**
 * The route contract of the transmitter's HTTP face (plugin.ts) on its own, OAuth token endpoint included:
 * every route declares its schemas, is exercised once with a request that succeeds and on its main error
 * paths, and answers as declared. Also: the plugin works unchanged in an app that never set route schemas
 * up (its own scope does), and authentication comes before validation.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { sequentialIds, VirtualScheduler } from '../../kernel/index.ts';
import { EVENT_URIS } from '../../protocol/index.ts';
import { watchRoutes } from '../route-contract.testing.ts';
import { useRouteSchemas } from '../route-schemas.ts';
import { ssfTransmitterPlugin } from './plugin.ts';
import { harness, ISSUER, ScriptedReceiver, SUPPORTED, TOKEN_A, testKey } from './transmitter.testing.ts';
import { Transmitter, type TransmitterOptions } from './transmitter.ts';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function withOAuth(
  deviations?: TransmitterOptions['deviations'],
): Promise<{ app: FastifyInstance; tx: Transmitter }> {
  const scheduler = new VirtualScheduler();
  const tx = new Transmitter({
    issuer: ISSUER,
    signingKey: await testKey(),
    eventsSupported: SUPPORTED,
    receivers: [
      {
        id: 'a',
        audience: 'https://rx-a.example.com',
        tokens: [TOKEN_A],
        clients: [{ clientId: 'manager', clientSecret: 'm4nage' }],
      },
    ],
    oauth: { tokenTtlSeconds: 600 },
    scheduler,
    fetch: new ScriptedReceiver(scheduler).fetch,
    ids: sequentialIds('id'),
    ...(deviations === undefined ? {} : { deviations }),
  });
  const app = Fastify();
  useRouteSchemas(app);
  await app.register(ssfTransmitterPlugin, { transmitter: tx });
  await app.ready();
  apps.push({
    close: async () => {
      tx.close();
      await app.close();
    },
  });
  return { app, tx };
}

test('every transmitter route is declared, exercised, succeeds once and answers as declared', async () => {
  const { app, tx } = await withOAuth();
  const ledger = watchRoutes(app);
  const p = tx.paths;
  const call = async (
    status: number,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    token: string | null = TOKEN_A,
  ): Promise<LightMyRequestResponse> => {
    const r = await app.inject({
      method,
      url,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    expect([method, url, r.statusCode], r.body).toEqual([method, url, status]);
    return r;
  };
  const form = (payload: string) =>
    app.inject({
      method: 'POST',
      url: p.token,
      headers: {
        authorization: `Basic ${Buffer.from('manager:m4nage').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload,
    });
  expect((await form('grant_type=client_credentials')).statusCode).toBe(200);
  expect((await form('grant_type=password')).json().error).toBe('unsupported_grant_type');

  await call(200, 'GET', p.metadata, undefined, null);
  await call(200, 'GET', p.jwks, undefined, null);
  const poll = { method: 'urn:ietf:rfc:8936' };
  const id = (
    await call(201, 'POST', p.streams, { delivery: poll, events_requested: [EVENT_URIS.sessionRevoked] })
  ).json().stream_id as string;
  await call(401, 'POST', p.streams, { delivery: poll }, null);
  await call(200, 'GET', p.streams);
  await call(200, 'GET', `${p.streams}?stream_id=${id}`);
  await call(400, 'GET', `${p.streams}?stream_id=${id}&stream_id=${id}`);
  await call(200, 'PATCH', p.streams, { stream_id: id, description: 'x' });
  await call(200, 'PUT', p.streams, { stream_id: id, delivery: poll });
  await call(400, 'PUT', p.streams, { stream_id: id });
  await call(200, 'GET', `${p.status}?stream_id=${id}`);
  await call(200, 'POST', p.status, { stream_id: id, status: 'enabled' });
  const subject = { stream_id: id, subject: { format: 'email', email: 'pat@example.com' } };
  await call(200, 'POST', p.addSubject, subject);
  await call(204, 'POST', p.removeSubject, subject);
  await call(204, 'POST', p.verify, { stream_id: id });
  await call(200, 'POST', `${p.poll}/${id}`, { returnImmediately: true });
  await call(404, 'POST', `${p.poll}/no-such-stream`, { returnImmediately: true });
  await call(204, 'DELETE', `${p.streams}?stream_id=${id}`);
  ledger.stop();

  expect(ledger.undeclared()).toEqual([]);
  expect(ledger.unanswered()).toEqual([]);
  expect(ledger.neverSucceeded()).toEqual([]);
  expect(ledger.violations()).toEqual([]);
});

test("a refused query is SSF's invalid_request naming it, and only once the caller is authenticated", async () => {
  const { app, tx } = await withOAuth();
  const url = `${tx.paths.streams}?stream_id=a&stream_id=b`;
  const anonymous = await app.inject({ method: 'GET', url });
  expect(anonymous.statusCode).toBe(401);
  const refused = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN_A}` } });
  expect(refused.statusCode).toBe(400);
  expect(refused.json()).toEqual({
    error: 'invalid_request',
    error_description: 'querystring member "stream_id" must be string',
  });
});

test('the plugin works in an app that never set route schemas up', async () => {
  // transmitter.testing.ts's bare fastify: the plugin's own scope compiles its `$ref` schemas.
  const h = await harness();
  apps.push(h);
  const made = await h.call('POST', h.transmitter.paths.streams, {
    delivery: { method: 'urn:ietf:rfc:8936' },
  });
  expect(made.statusCode).toBe(201);
  expect((await h.call('GET', `${h.transmitter.paths.streams}?stream_id=a&stream_id=b`)).statusCode).toBe(
    400,
  );
});

test('the contract check fails when the transmitter answers a status its route does not declare', async () => {
  // transmitter-delete-answers-200: SSF §8.1.1.5 says 204; the route declares 204 only.
  const { app, tx } = await withOAuth({ on: (name) => name === 'transmitter-delete-answers-200' });
  const ledger = watchRoutes(app);
  const auth = { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/json' };
  const made = await app.inject({
    method: 'POST',
    url: tx.paths.streams,
    headers: auth,
    payload: { delivery: { method: 'urn:ietf:rfc:8936' } },
  });
  const gone = await app.inject({
    method: 'DELETE',
    url: `${tx.paths.streams}?stream_id=${made.json().stream_id as string}`,
    headers: { authorization: auth.authorization },
  });
  expect(gone.statusCode).toBe(200);
  expect(ledger.violations()).toEqual([
    `DELETE ${tx.paths.streams} 200: the route declares no response schema for status 200`,
  ]);
});
