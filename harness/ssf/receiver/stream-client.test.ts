/**
 * The stream management client: each call's method, URL, query and body exactly as SSF 1.0 §8.1 puts them
 * (stream_id in the query for DELETE and the GETs, in the body otherwise), the success statuses, the `iss`
 * checks the Receiver MUST make, error mapping, OAuth token use and renewal on 401, and verification
 * states recorded before the request goes out. Against an injected fetch, and once over real HTTP.
 */
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { VirtualScheduler } from '../../kernel/index.ts';
import type { StreamConfiguration, TransmitterMetadata } from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError, SsfUnsupportedError } from './http-errors.ts';
import { jsonResponse, never, type Responder, recordingFetch } from './receiver.testing.ts';
import { SsfStreamClient, type SsfStreamClientOptions } from './stream-client.ts';
import { VerificationStates } from './verification-states.ts';

const ISSUER = 'https://tx.example.com/issuer1';
const METADATA: TransmitterMetadata = {
  spec_version: '1_0',
  issuer: ISSUER,
  jwks_uri: 'https://tx.example.com/jwks.json',
  configuration_endpoint: 'https://tx.example.com/ssf/streams',
  status_endpoint: 'https://tx.example.com/ssf/status',
  add_subject_endpoint: 'https://tx.example.com/ssf/subjects:add',
  remove_subject_endpoint: 'https://tx.example.com/ssf/subjects:remove',
  verification_endpoint: 'https://tx.example.com/ssf/verify',
};
const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CONFIG: StreamConfiguration = {
  stream_id: 'st-1',
  iss: ISSUER,
  aud: 'https://rx.example.com',
  events_supported: [SESSION_REVOKED],
  events_requested: [SESSION_REVOKED],
  events_delivered: [SESSION_REVOKED],
  delivery: {
    method: 'urn:ietf:rfc:8935',
    endpoint_url: 'https://rx.example.com/push',
    authorization_header: 'Bearer push-1',
  },
  description: 'lab stream',
};
const SUBJECT = { format: 'email', email: 'pat.doe@acme.example' } as const;

function client(responder: Responder, options: Partial<SsfStreamClientOptions> = {}) {
  const scheduler = new VirtualScheduler();
  const server = recordingFetch(responder, scheduler);
  const c = new SsfStreamClient({
    metadata: METADATA,
    auth: { bearer: 'mgmt-token' },
    fetch: server.fetch,
    scheduler,
    ...options,
  });
  return { client: c, requests: server.requests, scheduler };
}

interface Expected {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

const CALLS: readonly [string, (c: SsfStreamClient) => Promise<unknown>, Expected, Response, unknown][] = [
  [
    'createStream',
    (c) => c.createStream({ events_requested: [SESSION_REVOKED], description: 'lab stream' }),
    {
      method: 'POST',
      url: 'https://tx.example.com/ssf/streams',
      body: { events_requested: [SESSION_REVOKED], description: 'lab stream' },
    },
    jsonResponse(201, CONFIG),
    CONFIG,
  ],
  [
    'getStream',
    (c) => c.getStream('st-1'),
    { method: 'GET', url: 'https://tx.example.com/ssf/streams?stream_id=st-1' },
    jsonResponse(200, CONFIG),
    CONFIG,
  ],
  [
    'listStreams',
    (c) => c.listStreams(),
    { method: 'GET', url: 'https://tx.example.com/ssf/streams' },
    jsonResponse(200, [CONFIG]),
    [CONFIG],
  ],
  [
    'updateStream',
    (c) => c.updateStream({ stream_id: 'st-1', description: 'renamed' }),
    {
      method: 'PATCH',
      url: 'https://tx.example.com/ssf/streams',
      body: { stream_id: 'st-1', description: 'renamed' },
    },
    jsonResponse(200, { ...CONFIG, description: 'renamed' }),
    { ...CONFIG, description: 'renamed' },
  ],
  [
    'replaceStream',
    (c) => c.replaceStream({ stream_id: 'st-1', delivery: CONFIG.delivery }),
    {
      method: 'PUT',
      url: 'https://tx.example.com/ssf/streams',
      body: { stream_id: 'st-1', delivery: CONFIG.delivery },
    },
    jsonResponse(200, CONFIG),
    CONFIG,
  ],
  [
    'deleteStream',
    (c) => c.deleteStream('st-1'),
    { method: 'DELETE', url: 'https://tx.example.com/ssf/streams?stream_id=st-1' },
    jsonResponse(204),
    undefined,
  ],
  [
    'getStatus',
    (c) => c.getStatus('st-1'),
    { method: 'GET', url: 'https://tx.example.com/ssf/status?stream_id=st-1' },
    jsonResponse(200, { stream_id: 'st-1', status: 'enabled' }),
    { stream_id: 'st-1', status: 'enabled' },
  ],
  [
    'updateStatus',
    (c) => c.updateStatus('st-1', 'paused', 'maintenance'),
    {
      method: 'POST',
      url: 'https://tx.example.com/ssf/status',
      body: { stream_id: 'st-1', status: 'paused', reason: 'maintenance' },
    },
    jsonResponse(200, { stream_id: 'st-1', status: 'paused', reason: 'maintenance' }),
    { stream_id: 'st-1', status: 'paused', reason: 'maintenance' },
  ],
  [
    'addSubject',
    (c) => c.addSubject('st-1', SUBJECT, true),
    {
      method: 'POST',
      url: 'https://tx.example.com/ssf/subjects:add',
      body: { stream_id: 'st-1', subject: SUBJECT, verified: true },
    },
    new Response(null, { status: 200 }),
    undefined,
  ],
  [
    'removeSubject',
    (c) => c.removeSubject('st-1', SUBJECT),
    {
      method: 'POST',
      url: 'https://tx.example.com/ssf/subjects:remove',
      body: { stream_id: 'st-1', subject: SUBJECT },
    },
    jsonResponse(204),
    undefined,
  ],
  [
    'requestVerification',
    (c) => c.requestVerification('st-1', 'state-abc'),
    {
      method: 'POST',
      url: 'https://tx.example.com/ssf/verify',
      body: { stream_id: 'st-1', state: 'state-abc' },
    },
    jsonResponse(204),
    'state-abc',
  ],
];

test.each(CALLS)(
  '%s sends exactly the request SSF 1.0 §8.1 specifies',
  async (_name, call, expected, answer, result) => {
    const { client: c, requests } = client(() => answer);
    expect(await call(c)).toEqual(result);
    expect(requests).toHaveLength(1);
    const request = requests[0];
    expect(request?.method).toBe(expected.method);
    expect(request?.url).toBe(expected.url);
    expect(request?.headers.authorization).toBe('Bearer mgmt-token');
    if (expected.body === undefined) {
      expect(request?.body).toBeUndefined();
      expect(request?.headers['content-type']).toBeUndefined();
    } else {
      expect(JSON.parse(request?.body ?? 'null')).toEqual(expected.body);
      expect(request?.headers['content-type']).toBe('application/json');
    }
  },
);

test('stream_id in a query is URL-encoded, and a query the endpoint already has is kept', async () => {
  const { client: c, requests } = client(() => jsonResponse(204), {
    metadata: { ...METADATA, configuration_endpoint: 'https://tx.example.com/ssf/streams?tenant=t1' },
  });
  await c.deleteStream('a/b&c');
  expect(requests[0]?.url).toBe('https://tx.example.com/ssf/streams?tenant=t1&stream_id=a%2Fb%26c');
});

test('addSubject leaves verified out when not given, and tolerates 204 (SSF 1.0 §9.1)', async () => {
  const { client: c, requests } = client(() => jsonResponse(204));
  await expect(c.addSubject('st-1', SUBJECT)).resolves.toBeUndefined();
  expect(JSON.parse(requests[0]?.body ?? 'null')).toEqual({ stream_id: 'st-1', subject: SUBJECT });
});

test('updateStatus without a reason sends none', async () => {
  const { client: c, requests } = client(() => jsonResponse(200, { stream_id: 'st-1', status: 'enabled' }));
  await c.updateStatus('st-1', 'enabled');
  expect(JSON.parse(requests[0]?.body ?? 'null')).toEqual({ stream_id: 'st-1', status: 'enabled' });
});

test('PATCH, PUT and a status update answered 202 are reported as pending', async () => {
  const { client: c } = client(() => jsonResponse(202));
  expect(await c.updateStream({ stream_id: 'st-1', description: 'x' })).toEqual({ pending: true });
  expect(await c.replaceStream({ stream_id: 'st-1', delivery: CONFIG.delivery })).toEqual({ pending: true });
  expect(await c.updateStatus('st-1', 'disabled')).toEqual({ pending: true });
});

test('an empty stream list is []', async () => {
  const { client: c } = client(() => jsonResponse(200, []));
  expect(await c.listStreams()).toEqual([]);
});

test('requestVerification without a state sends a fresh random one, recorded before the request goes out', async () => {
  const verification = new VerificationStates();
  const outstandingAtRequest: string[][] = [];
  const { client: c, requests } = client(
    () => {
      outstandingAtRequest.push([...verification.outstanding('st-1')]);
      return jsonResponse(204);
    },
    { verification },
  );
  const first = await c.requestVerification('st-1');
  const second = await c.requestVerification('st-1');
  expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(second).not.toBe(first);
  expect(JSON.parse(requests[0]?.body ?? 'null')).toEqual({ stream_id: 'st-1', state: first });
  expect(outstandingAtRequest[0]).toEqual([first]);
  expect(verification.outstanding('st-1')).toEqual([first, second]);
});

test('deleting a stream forgets its outstanding verification states', async () => {
  const verification = new VerificationStates();
  verification.expect('st-1', 'old');
  const { client: c } = client(() => jsonResponse(204), { verification });
  await c.deleteStream('st-1');
  expect(verification.outstanding('st-1')).toEqual([]);
  expect(verification.judge('st-1', 'anything')).toBe('ok');
});

test.each([
  ['createStream', (c: SsfStreamClient) => c.createStream({}), 201],
  ['getStream', (c: SsfStreamClient) => c.getStream('st-1'), 200],
  ['listStreams', (c: SsfStreamClient) => c.listStreams(), 200],
  ['updateStream', (c: SsfStreamClient) => c.updateStream({ stream_id: 'st-1' }), 200],
  [
    'replaceStream',
    (c: SsfStreamClient) => c.replaceStream({ stream_id: 'st-1', delivery: CONFIG.delivery }),
    200,
  ],
] as const)(
  '%s refuses a configuration whose iss is not the Transmitter Issuer, even by a slash',
  async (_n, call, status) => {
    const wrong = { ...CONFIG, iss: `${ISSUER}/` };
    const { client: c } = client(() =>
      jsonResponse(status, status === 200 && _n === 'listStreams' ? [wrong] : wrong),
    );
    const error = await call(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsfResponseError);
    expect((error as Error).message).toContain(`"iss" "${ISSUER}/"`);
  },
);

test('a create answered 200 instead of 201 is refused', async () => {
  const { client: c } = client(() => jsonResponse(200, CONFIG));
  const error = await c.createStream({}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfResponseError);
  expect((error as Error).message).toBe(
    'createStream: HTTP 200 response has the wrong success status; SSF 1.0 §8.1 answers createStream with 201',
  );
});

test('a configuration missing a required member is refused, naming it', async () => {
  const { events_delivered: _omitted, ...incomplete } = CONFIG;
  const { client: c } = client(() => jsonResponse(200, incomplete));
  await expect(c.getStream('st-1')).rejects.toThrow('missing required member "events_delivered"');
});

test('a read answered with another stream is refused', async () => {
  const { client: c } = client(() => jsonResponse(200, { ...CONFIG, stream_id: 'st-2' }));
  await expect(c.getStream('st-1')).rejects.toThrow('describes stream "st-2"');
});

test('a list answered with an object instead of an array is refused', async () => {
  const { client: c } = client(() => jsonResponse(200, CONFIG));
  await expect(c.listStreams()).rejects.toThrow('is not a JSON array');
});

test('a status that is not enabled, paused or disabled is refused', async () => {
  const { client: c } = client(() => jsonResponse(200, { stream_id: 'st-1', status: 'running' }));
  await expect(c.getStatus('st-1')).rejects.toThrow(SsfResponseError);
});

test('an error status becomes an SsfHttpError naming the status and the body error text', async () => {
  const { client: c } = client(() => jsonResponse(404, { err: 'not_found', description: 'no stream st-9' }));
  const error = await c.getStream('st-9').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfHttpError);
  expect(error).not.toBeInstanceOf(SsfResponseError);
  expect(error).toMatchObject({ operation: 'getStream', status: 404 });
  expect((error as Error).message).toBe('getStream failed: HTTP 404 (not_found: no stream st-9)');
});

test('a 409 on create (one stream per Receiver) is reported as such', async () => {
  const { client: c } = client(() => new Response('stream exists', { status: 409 }));
  await expect(c.createStream({})).rejects.toThrow('createStream failed: HTTP 409 (stream exists)');
});

test('a network error is an SsfHttpError with status 0', async () => {
  const fetch = (() => Promise.reject(new TypeError('fetch failed'))) as typeof globalThis.fetch;
  const c = new SsfStreamClient({ metadata: METADATA, auth: { bearer: 't' }, fetch });
  const error = await c.getStatus('st-1').catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'SsfHttpError', status: 0, operation: 'getStatus' });
});

test('a transmitter that never answers times out with status 0 in scheduler time', async () => {
  const { client: c, scheduler, requests } = client(never, { timeoutMs: 2000 });
  const pending = c.getStatus('st-1').catch((e: unknown) => e);
  await scheduler.advance(0);
  expect(requests).toHaveLength(1);
  await scheduler.advance(2000);
  const error = await pending;
  expect(error).toMatchObject({ status: 0 });
  expect((error as Error).message).toContain('no answer within 2000 ms');
});

test('an operation whose endpoint the metadata lacks is SsfUnsupportedError, with no request', async () => {
  const { status_endpoint: _omitted, ...withoutStatus } = METADATA;
  const { client: c, requests } = client(() => jsonResponse(200, {}), { metadata: withoutStatus });
  const error = await c.getStatus('st-1').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfUnsupportedError);
  expect((error as Error).message).toContain('"status_endpoint"');
  expect(requests).toHaveLength(0);
});

const OAUTH = {
  tokenEndpoint: 'https://as.example.com/token',
  clientId: 'rx',
  clientSecret: 'pw',
  scope: 'ssf.manage',
} as const;

/** A token endpoint issuing at-1, at-2, … and a management API that accepts only `accepted` tokens. */
function oauthTransmitter(accepted: (token: string) => boolean): Responder {
  let issued = 0;
  return (request) => {
    if (request.url === OAUTH.tokenEndpoint) {
      issued += 1;
      return jsonResponse(200, { access_token: `at-${issued}`, token_type: 'Bearer', expires_in: 3600 });
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    return accepted(token) ? jsonResponse(200, { stream_id: 'st-1', status: 'enabled' }) : jsonResponse(401);
  };
}

test('with OAuth the client fetches a token once and sends it as a Bearer token', async () => {
  const { client: c, requests } = client(
    oauthTransmitter(() => true),
    { auth: OAUTH },
  );
  await c.getStatus('st-1');
  await c.getStatus('st-1');
  expect(requests.map((r) => r.url)).toEqual([
    OAUTH.tokenEndpoint,
    'https://tx.example.com/ssf/status?stream_id=st-1',
    'https://tx.example.com/ssf/status?stream_id=st-1',
  ]);
  expect(requests[1]?.headers.authorization).toBe('Bearer at-1');
  expect(requests[2]?.headers.authorization).toBe('Bearer at-1');
});

test('with OAuth a 401 renews the token and retries once', async () => {
  const { client: c, requests } = client(
    oauthTransmitter((t) => t !== 'at-1'),
    { auth: OAUTH },
  );
  expect(await c.getStatus('st-1')).toEqual({ stream_id: 'st-1', status: 'enabled' });
  expect(requests.map((r) => r.headers.authorization)).toEqual([
    expect.stringMatching(/^Basic /),
    'Bearer at-1',
    expect.stringMatching(/^Basic /),
    'Bearer at-2',
  ]);
});

test('with OAuth a second 401 is reported, not retried again', async () => {
  const { client: c, requests } = client(
    oauthTransmitter(() => false),
    { auth: OAUTH },
  );
  await expect(c.getStatus('st-1')).rejects.toMatchObject({ status: 401 });
  expect(requests).toHaveLength(4);
});

test('with a static bearer token a 401 is reported without a retry', async () => {
  const { client: c, requests } = client(() => jsonResponse(401, { error: 'invalid_token' }));
  await expect(c.getStatus('st-1')).rejects.toThrow('getStatus failed: HTTP 401 (invalid_token)');
  expect(requests).toHaveLength(1);
});

test('the client manages a stream over real HTTP against a stub transmitter on 127.0.0.1', async () => {
  const app = Fastify();
  const seen: string[] = [];
  const streams = new Map<string, StreamConfiguration>();
  app.addHook('onRequest', async (request) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
  });
  app.post('/ssf/streams', async (_request, reply) => {
    streams.set(CONFIG.stream_id, CONFIG);
    return reply.code(201).send(CONFIG);
  });
  app.get('/ssf/streams', async (request, reply) => {
    const id = (request.query as Record<string, string>).stream_id;
    const found = id === undefined ? undefined : streams.get(id);
    return found ? reply.send(found) : reply.code(404).send({ error: 'not_found' });
  });
  app.delete('/ssf/streams', async (request, reply) => {
    const id = (request.query as Record<string, string>).stream_id ?? '';
    return streams.delete(id) ? reply.code(204).send() : reply.code(404).send({ error: 'not_found' });
  });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const c = new SsfStreamClient({
      metadata: { issuer: ISSUER, configuration_endpoint: `${base}/ssf/streams` },
      auth: { bearer: 'real-token' },
    });
    expect((await c.createStream({ description: 'lab stream' })).stream_id).toBe('st-1');
    expect((await c.getStream('st-1')).iss).toBe(ISSUER);
    await c.deleteStream('st-1');
    await expect(c.getStream('st-1')).rejects.toMatchObject({ status: 404 });
    expect(seen).toEqual([
      'POST /ssf/streams Bearer real-token',
      'GET /ssf/streams?stream_id=st-1 Bearer real-token',
      'DELETE /ssf/streams?stream_id=st-1 Bearer real-token',
      'GET /ssf/streams?stream_id=st-1 Bearer real-token',
    ]);
  } finally {
    await app.close();
  }
});
