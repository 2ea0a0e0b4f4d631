/**
 * The push endpoint over fastify's `inject` (no sockets): the RFC 8935 answers (202 with an empty body,
 * 400 with a JSON error, Content-Language), the media type and Authorization gates, oversized and garbage
 * bodies, and that nothing a client sends ever produces a 500.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../kernel/index.ts';
import {
  type KeySource,
  PUSH_ERROR_CODES,
  PUSH_ERROR_SCHEMA_ID,
  validateWithSchema,
} from '../../protocol/index.ts';
import { MAX_PUSH_BODY_BYTES, SET_MEDIA_TYPE, ssfPushEndpoint } from './push-endpoint.ts';
import { AUD, ISS, makeReceiverKeys, type ReceiverTestKeys, sessionRevokedSet } from './receiver.testing.ts';
import { type ReceivedSet, SetIntake } from './set-intake.ts';

const PATH = '/ssf/push/stream-1';
const AUTHORIZATION = 'Bearer push_token_4d1c8e';

let keys: ReceiverTestKeys;
beforeAll(async () => {
  keys = await makeReceiverKeys();
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

interface Harness {
  readonly app: FastifyInstance;
  readonly intake: SetIntake;
  readonly received: ReceivedSet[];
  readonly scheduler: VirtualScheduler;
}

async function endpoint(options: { authorization?: string; keys?: KeySource } = {}): Promise<Harness> {
  const scheduler = new VirtualScheduler();
  const received: ReceivedSet[] = [];
  const intake = new SetIntake({
    profile: 'ssf',
    keys: options.keys ?? keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
    onSet: (set) => {
      received.push(set);
    },
  });
  const app = Fastify();
  apps.push(app);
  await app.register(ssfPushEndpoint, {
    path: PATH,
    intake,
    ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
  });
  await app.ready();
  return { app, intake, received, scheduler };
}

function push(
  app: FastifyInstance,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': SET_MEDIA_TYPE },
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: PATH, payload: body, headers });
}

function errorBody(response: LightMyRequestResponse): { err: string; description: string } {
  const body = response.json() as { err: string; description: string };
  expect(validateWithSchema(PUSH_ERROR_SCHEMA_ID, body).valid).toBe(true);
  return body;
}

test('a valid SET gets 202 with an empty body and is processed', async () => {
  const h = await endpoint();
  const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler, { jti: 'p-1' }));
  expect(response.statusCode).toBe(202);
  expect(response.body).toBe('');
  expect(response.headers['content-length']).toBe('0');
  await h.intake.idle();
  expect(h.received.map((s) => [s.jti, s.via])).toEqual([['p-1', 'push']]);
});

test('an invalid SET gets 400 with a JSON error body in English', async () => {
  const h = await endpoint();
  const token = await sessionRevokedSet(keys, h.scheduler, { aud: 'https://other.example.com' });
  const response = await push(h.app, token);
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers['content-language']).toBe('en');
  const body = errorBody(response);
  expect(body.err).toBe('invalid_audience');
  expect(body.description).toContain('aud-includes-expected-audience');
  await h.intake.idle();
  expect(h.received).toHaveLength(0);
});

test('a repeated SET gets 202 again and is processed once', async () => {
  const h = await endpoint();
  const token = await sessionRevokedSet(keys, h.scheduler, { jti: 'p-dup' });
  const first = await push(h.app, token);
  const second = await push(h.app, token);
  expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
  expect(second.body).toBe('');
  await h.intake.idle();
  expect(h.received).toHaveLength(1);
  expect(h.intake.stats.duplicates).toBe(1);
});

test.each([
  ['application/json', { 'content-type': 'application/json' }],
  ['text/plain', { 'content-type': 'text/plain' }],
  ['application/jwt', { 'content-type': 'application/jwt' }],
  ['no Content-Type', {}],
] as const)(
  'a push sent as %s gets 400 invalid_request naming the SET media type',
  async (_label, headers) => {
    const h = await endpoint();
    const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler), headers);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-language']).toBe('en');
    const body = errorBody(response);
    expect(body.err).toBe('invalid_request');
    expect(body.description).toContain('application/secevent+jwt');
    // The SET never reached the intake.
    expect(h.intake.stats.rejected + h.intake.stats.accepted).toBe(0);
  },
);

test('the media type is matched without its parameters and regardless of case', async () => {
  const h = await endpoint();
  const withCharset = await push(h.app, await sessionRevokedSet(keys, h.scheduler), {
    'content-type': 'application/secevent+jwt; charset=utf-8',
  });
  const upperCase = await push(h.app, await sessionRevokedSet(keys, h.scheduler), {
    'content-type': 'Application/SecEvent+JWT',
  });
  expect([withCharset.statusCode, upperCase.statusCode]).toEqual([202, 202]);
});

test('a push without the configured Authorization gets 401 with WWW-Authenticate: Bearer', async () => {
  const h = await endpoint({ authorization: AUTHORIZATION });
  const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler));
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer');
  expect(response.headers['content-type']).toBe('application/json');
  expect(errorBody(response).err).toBe('authentication_failed');
  expect(h.intake.stats.accepted).toBe(0);
});

test.each([
  ['another token', 'Bearer push_token_other'],
  ['a different case of the scheme', 'bearer push_token_4d1c8e'],
  ['the token alone', 'push_token_4d1c8e'],
  ['a trailing space', `${AUTHORIZATION} `],
])('an Authorization header with %s is not byte-identical and gets 401', async (_label, value) => {
  const h = await endpoint({ authorization: AUTHORIZATION });
  const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler), {
    'content-type': SET_MEDIA_TYPE,
    authorization: value,
  });
  expect(response.statusCode).toBe(401);
  expect(errorBody(response).err).toBe('authentication_failed');
});

test('the byte-identical Authorization header is accepted', async () => {
  const h = await endpoint({ authorization: AUTHORIZATION });
  const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler), {
    'content-type': SET_MEDIA_TYPE,
    authorization: AUTHORIZATION,
  });
  expect(response.statusCode).toBe(202);
});

test('authentication is checked before the media type', async () => {
  const h = await endpoint({ authorization: AUTHORIZATION });
  const response = await push(h.app, 'x', { 'content-type': 'text/plain' });
  expect(response.statusCode).toBe(401);
});

test('a 2 MB body gets 400 invalid_request, not 413', async () => {
  const h = await endpoint();
  const response = await push(h.app, 'a'.repeat(2 * 1024 * 1024));
  expect(response.statusCode).toBe(400);
  const body = errorBody(response);
  expect(body.err).toBe('invalid_request');
  expect(body.description).toContain(String(MAX_PUSH_BODY_BYTES));
});

test('a body under 1 MiB but over the SET size limit reaches the validator and gets 400 invalid_request', async () => {
  const h = await endpoint();
  const response = await push(h.app, `${'a'.repeat(100_000)}.b.c`);
  expect(response.statusCode).toBe(400);
  const body = errorBody(response);
  expect(body.err).toBe('invalid_request');
  expect(body.description).toContain('token-size-is-within-limit');
});

test('a Content-Length that does not match the body gets a JSON 400 invalid_request', async () => {
  const h = await endpoint();
  const response = await push(h.app, 'abc', { 'content-type': SET_MEDIA_TYPE, 'content-length': '10' });
  expect(response.statusCode).toBe(400);
  expect(errorBody(response).err).toBe('invalid_request');
});

const GARBAGE: readonly (string | Buffer)[] = [
  '',
  '.',
  '..',
  'a.b.c',
  'a.b.c.d.e',
  '{"iss":"x"}',
  'eyJhbGciOiJub25lIn0.eyJ9.',
  `${Buffer.from('{"alg":"RS256","kid":"tx-1"}').toString('base64url')}.${Buffer.from('[1,2]').toString('base64url')}.AA`,
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"a":'.repeat(200)).toString('base64url')}.AA`,
  '\u0000\u0001\u0002',
  '\ud800.\udfff.x',
  Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x2e, 0x2e]),
  '.'.repeat(50_000),
];

test('garbage bodies get 400 with a registered error code, never a 500', async () => {
  const h = await endpoint();
  for (const body of GARBAGE) {
    const response = await push(h.app, body);
    expect(response.statusCode, JSON.stringify(String(body).slice(0, 40))).toBe(400);
    expect(PUSH_ERROR_CODES).toContain(errorBody(response).err);
  }
  expect(h.intake.stats.rejected).toBe(GARBAGE.length);
});

test('a key source that fails inside the receiver gives 503 so the transmitter retries, not 500', async () => {
  const broken: KeySource = {
    description: 'broken key store',
    keysFor: () => Promise.reject(new Error('key store offline')),
  };
  const h = await endpoint({ keys: broken });
  const response = await push(h.app, await sessionRevokedSet(keys, h.scheduler));
  expect(response.statusCode).toBe(503);
  expect(response.headers['content-type']).toBe('application/json');
  const body = response.json() as { description: string };
  expect(body.description).toContain("Transmitter's keys");
  expect(body.description).toContain('retry');
});

test('a full replay store answers 503 with Retry-After, so the Transmitter retries later and nothing is lost', async () => {
  const scheduler = new VirtualScheduler();
  const intake = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
    replayWindow: { capacity: 1, maxAgeSeconds: 600 },
  });
  const app = Fastify();
  apps.push(app);
  await app.register(ssfPushEndpoint, { path: PATH, intake });
  await app.ready();
  const first = await sessionRevokedSet(keys, scheduler, { jti: 'first' });
  expect((await push(app, first)).statusCode).toBe(202);
  const refused = await push(app, await sessionRevokedSet(keys, scheduler, { jti: 'second' }));
  expect(refused.statusCode).toBe(503);
  expect(refused.headers['retry-after']).toBe('601');
  expect(refused.json().description).toMatch(/refuses new ones rather than forget one/);
  // The remembered SET is still recognised: 202, as a duplicate, with no second side effect.
  expect((await push(app, first)).statusCode).toBe(202);
  expect(intake.stats).toMatchObject({ accepted: 1, duplicates: 1 });
});
