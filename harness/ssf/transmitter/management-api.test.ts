/**
 * The transmitter's management API over HTTP (fastify inject): discovery, authorization, stream
 * create/read/update/replace/delete, status and subjects — the OIDF suite's transmitter checks
 * (ssf-spec.md §12.1) and the gaps it leaves (§12.3).
 */
import { afterEach, expect, test } from 'vitest';
import { TRANSMITTER_METADATA_SCHEMA_ID, validateWithSchema } from '../../protocol/index.ts';
import {
  type Harness,
  harness,
  ISSUER,
  PUSH_URL,
  pushDelivery,
  SUPPORTED,
  TOKEN_B,
} from './transmitter.testing.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const STREAMS = '/tenant-1/ssf/streams';
const STATUS = '/tenant-1/ssf/status';

async function create(
  body: unknown = { delivery: pushDelivery() },
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await h.call('POST', STREAMS, body, token);
  expect(response.statusCode).toBe(201);
  return response.json();
}

test('metadata is served at the path-inserted well-known URL with the exact issuer and no empty arrays', async () => {
  h = await harness();
  const response = await h.call('GET', '/.well-known/ssf-configuration/tenant-1', undefined, null);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const metadata = response.json();
  expect(metadata.issuer).toBe(ISSUER);
  expect(metadata.spec_version).toBe('1_0');
  expect(metadata.configuration_endpoint).toBe(`${ISSUER}/ssf/streams`);
  expect(validateWithSchema(TRANSMITTER_METADATA_SCHEMA_ID, metadata).errors).toEqual([]);
  for (const value of Object.values(metadata))
    if (Array.isArray(value)) expect(value.length).toBeGreaterThan(0);
  // The suffix form is wrong (SSF §7.2.1) and is not served.
  expect((await h.call('GET', '/tenant-1/.well-known/ssf-configuration', undefined, null)).statusCode).toBe(
    404,
  );
});

test('the JWKS endpoint publishes the signing key without private parts', async () => {
  h = await harness();
  const response = await h.call('GET', '/tenant-1/ssf/jwks.json', undefined, null);
  expect(response.statusCode).toBe(200);
  const { keys } = response.json();
  expect(keys).toHaveLength(1);
  expect(keys[0].kid).toBe('tx-key-1');
  expect(keys[0]).not.toHaveProperty('d');
});

test('a management call without a bearer token gets 401 with a WWW-Authenticate challenge', async () => {
  h = await harness();
  const response = await h.call('POST', STREAMS, { delivery: pushDelivery() }, null);
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  expect((await h.call('GET', STREAMS, undefined, 'not-a-token')).statusCode).toBe(401);
  // RFC 6750 §2.3 tokens in the query string are not accepted (CAEP interop §2.7.3).
  const query = await h.app.inject({ method: 'GET', url: `${STREAMS}?access_token=token-receiver-a` });
  expect(query.statusCode).toBe(401);
});

test('create answers 201 with the full configuration; events_delivered is requested ∩ supported', async () => {
  h = await harness();
  const config = await create({
    delivery: pushDelivery({ authorization_header: 'Bearer push-secret' }),
    events_requested: [SUPPORTED[0], 'https://schemas.openid.net/secevent/caep/event-type/session-presented'],
    description: 'test stream',
  });
  expect(config).toMatchObject({
    iss: ISSUER,
    aud: 'https://rx-a.example.com',
    events_delivered: [SUPPORTED[0]],
    events_supported: SUPPORTED,
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpoint_url: PUSH_URL,
      authorization_header: 'Bearer push-secret',
    },
    description: 'test stream',
  });
  expect(config.stream_id).toMatch(/^[A-Za-z0-9\-._~]+$/);
});

test('a create without delivery gets a poll stream with a transmitter-assigned endpoint_url', async () => {
  h = await harness();
  const config = await create({});
  expect(config.delivery).toEqual({
    method: 'urn:ietf:rfc:8936',
    endpoint_url: `${ISSUER}/ssf/poll/${config.stream_id as string}`,
  });
});

test.each([
  ['a broken JSON body', ';{ broken', /not valid JSON/],
  ['a push delivery without endpoint_url', { delivery: { method: 'urn:ietf:rfc:8935' } }, /endpoint_url/],
  ['an unknown delivery method', { delivery: { method: 'urn:example:carrier-pigeon' } }, /not supported/],
  ['events_requested that is not an array', { events_requested: 'all' }, /events_requested/],
  ['an array body', [], /JSON object/],
])('create with %s answers 400 saying what is wrong', async (_name, body, message) => {
  h = await harness();
  const response = await h.call('POST', STREAMS, body);
  expect(response.statusCode).toBe(400);
  expect(response.json().error).toBe('invalid_request');
  expect(response.json().error_description).toMatch(message);
});

test('a second stream for the same receiver is a new stream by default, or 409 when configured', async () => {
  h = await harness();
  const first = await create();
  const second = await create();
  expect(second.stream_id).not.toBe(first.stream_id);
  await h.close();
  h = await harness({ multipleStreamsPerReceiver: false });
  await create();
  const response = await h.call('POST', STREAMS, { delivery: pushDelivery() });
  expect(response.statusCode).toBe(409);
});

test('reading without stream_id returns an array ([] when none), with stream_id the object', async () => {
  h = await harness();
  const none = await h.call('GET', STREAMS);
  expect(none.statusCode).toBe(200);
  expect(none.json()).toEqual([]);
  const config = await create();
  const list = await h.call('GET', STREAMS);
  expect(list.json()).toEqual([config]);
  const one = await h.call('GET', `${STREAMS}?stream_id=${config.stream_id as string}`);
  expect(one.json()).toEqual(config);
  expect(one.headers['cache-control']).toBe('no-store');
});

test("a receiver neither sees nor changes another receiver's streams (404, as if they did not exist)", async () => {
  h = await harness();
  const mine = await create();
  const id = mine.stream_id as string;
  expect((await h.call('GET', STREAMS, undefined, TOKEN_B)).json()).toEqual([]);
  expect((await h.call('GET', `${STREAMS}?stream_id=${id}`, undefined, TOKEN_B)).statusCode).toBe(404);
  expect((await h.call('PATCH', STREAMS, { stream_id: id, description: 'x' }, TOKEN_B)).statusCode).toBe(404);
  expect((await h.call('DELETE', `${STREAMS}?stream_id=${id}`, undefined, TOKEN_B)).statusCode).toBe(404);
  expect((await h.call('GET', `${STATUS}?stream_id=${id}`, undefined, TOKEN_B)).statusCode).toBe(404);
  expect((await h.call('POST', '/tenant-1/ssf/verify', { stream_id: id }, TOKEN_B)).statusCode).toBe(404);
  expect((await h.call('GET', `${STREAMS}?stream_id=${id}`)).statusCode).toBe(200);
});

test('PATCH changes only the members it carries and returns the whole configuration', async () => {
  h = await harness();
  const config = await create({
    delivery: pushDelivery(),
    events_requested: [SUPPORTED[0]],
    description: 'before',
  });
  const response = await h.call('PATCH', STREAMS, { stream_id: config.stream_id, description: 'after' });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ ...config, description: 'after' });
});

test('PATCH accepts transmitter-supplied members equal to the current value and refuses changed ones', async () => {
  h = await harness();
  const config = await create({ delivery: pushDelivery(), events_requested: [SUPPORTED[0]] });
  const echoed = await h.call('PATCH', STREAMS, { ...config, description: 'echo' });
  expect(echoed.statusCode).toBe(200);
  const aud = await h.call('PATCH', STREAMS, { stream_id: config.stream_id, aud: 'https://evil.example' });
  expect(aud.statusCode).toBe(400);
  expect(aud.json().error_description).toMatch(/"aud" is supplied by the transmitter/);
  const delivered = await h.call('PATCH', STREAMS, {
    stream_id: config.stream_id,
    events_delivered: SUPPORTED,
  });
  expect(delivered.statusCode).toBe(400);
});

test('PATCH recomputes events_delivered from a new events_requested', async () => {
  h = await harness();
  const config = await create({ delivery: pushDelivery(), events_requested: [SUPPORTED[0]] });
  const response = await h.call('PATCH', STREAMS, {
    stream_id: config.stream_id,
    events_requested: [SUPPORTED[1], SUPPORTED[2]],
  });
  expect(response.json().events_delivered).toEqual([SUPPORTED[1], SUPPORTED[2]]);
});

test('PUT deletes the receiver-supplied members it omits', async () => {
  h = await harness();
  const config = await create({
    delivery: pushDelivery(),
    events_requested: [SUPPORTED[0]],
    description: 'gone soon',
  });
  const response = await h.call('PUT', STREAMS, { stream_id: config.stream_id, delivery: config.delivery });
  expect(response.statusCode).toBe(200);
  const after = response.json();
  expect(after).not.toHaveProperty('description');
  expect(after).not.toHaveProperty('events_requested');
  expect(after.events_delivered).toEqual(SUPPORTED);
  expect((await h.call('PUT', STREAMS, { stream_id: config.stream_id })).statusCode).toBe(400);
});

test('PATCH, PUT and DELETE of an unknown stream answer 404; without stream_id 400', async () => {
  h = await harness();
  expect((await h.call('PATCH', STREAMS, { stream_id: 'nope', description: 'x' })).statusCode).toBe(404);
  expect((await h.call('PUT', STREAMS, { stream_id: 'nope', delivery: pushDelivery() })).statusCode).toBe(
    404,
  );
  expect((await h.call('DELETE', `${STREAMS}?stream_id=nope`)).statusCode).toBe(404);
  expect((await h.call('PATCH', STREAMS, { description: 'x' })).statusCode).toBe(400);
});

test('DELETE answers 204 with an empty body, after which the stream is gone', async () => {
  h = await harness();
  const config = await create();
  const response = await h.call('DELETE', `${STREAMS}?stream_id=${config.stream_id as string}`);
  expect(response.statusCode).toBe(204);
  expect(response.body).toBe('');
  expect((await h.call('GET', `${STREAMS}?stream_id=${config.stream_id as string}`)).statusCode).toBe(404);
});

test('status reads and updates echo the status and reason; an unknown status is 400', async () => {
  h = await harness();
  const { stream_id } = await create();
  expect((await h.call('GET', `${STATUS}?stream_id=${stream_id as string}`)).json()).toEqual({
    stream_id,
    status: 'enabled',
  });
  for (const status of ['paused', 'disabled', 'enabled']) {
    const response = await h.call('POST', STATUS, { stream_id, status, reason: `now ${status}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stream_id, status, reason: `now ${status}` });
  }
  expect((await h.call('POST', STATUS, { stream_id, status: 'stopped' })).statusCode).toBe(400);
});

test('adding a subject answers 200 with an empty body and removing one 204; a malformed subject is 400', async () => {
  h = await harness();
  const { stream_id } = await create();
  const subject = { format: 'email', email: 'example.user@example.com' };
  const add = await h.call('POST', '/tenant-1/ssf/subjects/add', { stream_id, subject, verified: true });
  expect(add.statusCode).toBe(200);
  expect(add.body).toBe('');
  const remove = await h.call('POST', '/tenant-1/ssf/subjects/remove', { stream_id, subject });
  expect(remove.statusCode).toBe(204);
  const bad = await h.call('POST', '/tenant-1/ssf/subjects/add', {
    stream_id,
    subject: { format: 'email', email: 'nope' },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error_description).toMatch(/email/);
});

test('with OAuth on, the token endpoint issues scoped, expiring tokens that the API enforces', async () => {
  h = await harness({
    oauth: { tokenTtlSeconds: 600 },
    receivers: [
      {
        id: 'a',
        audience: 'https://rx-a.example.com',
        clients: [
          { clientId: 'reader', clientSecret: 's3cret', scopes: ['ssf.read'] },
          { clientId: 'manager', clientSecret: 'm4nage' },
        ],
      },
    ],
  });
  expect(h.transmitter.metadata().authorization_schemes).toEqual([{ spec_urn: 'urn:ietf:rfc:6749' }]);
  const token = async (id: string, secret: string, scope?: string): Promise<Record<string, unknown>> => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/tenant-1/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `grant_type=client_credentials${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`,
    });
    return { status: response.statusCode, ...response.json() };
  };
  const reader = await token('reader', 's3cret');
  expect(reader).toMatchObject({ status: 200, token_type: 'Bearer', expires_in: 600, scope: 'ssf.read' });
  expect((await token('reader', 'wrong')).status).toBe(401);
  expect((await token('reader', 's3cret', 'ssf.manage')).error).toBe('invalid_scope');
  const readToken = reader.access_token as string;
  expect((await h.call('GET', STREAMS, undefined, readToken)).statusCode).toBe(200);
  const denied = await h.call('POST', STREAMS, { delivery: pushDelivery() }, readToken);
  expect(denied.statusCode).toBe(403);
  expect(denied.headers['www-authenticate']).toMatch(/insufficient_scope/);
  const manager = (await token('manager', 'm4nage')).access_token as string;
  expect((await h.call('POST', STREAMS, { delivery: pushDelivery() }, manager)).statusCode).toBe(201);
  await h.scheduler.advance(601_000);
  expect((await h.call('GET', STREAMS, undefined, manager)).statusCode).toBe(401);
});
