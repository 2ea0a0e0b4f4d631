import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { STREAM_STATUS_SCHEMA_ID } from '../protocol/index.ts';
import {
  addSchemaDocuments,
  declaredRoutes,
  type ObservedAnswer,
  observeResponses,
  useRouteSchemas,
  validationCauses,
} from './route-schemas.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

addSchemaDocuments([
  {
    $id: 'urn:ssf-lab:test:vendor',
    $defs: {
      Widget: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
    },
  },
]);

async function app(): Promise<{ app: FastifyInstance; seen: unknown[]; answers: ObservedAnswer[] }> {
  const a = Fastify();
  apps.push(a);
  useRouteSchemas(a);
  const seen: unknown[] = [];
  a.setErrorHandler((error: FastifyError, _request, reply) => {
    const causes = validationCauses(error);
    return reply.code(causes ? 400 : 500).send({ causes: causes ?? error.message });
  });
  a.post(
    '/widgets/:n',
    {
      schema: {
        params: { type: 'object', properties: { n: { type: 'integer' } } },
        querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 200 } } },
        body: { $ref: 'urn:ssf-lab:test:vendor#/$defs/Widget' },
        response: {
          201: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          '4xx': { type: 'object' },
        },
      },
    },
    async (request, reply) => {
      seen.push({ params: request.params, query: request.query, body: request.body });
      const body = request.body as { name: string };
      if (body.name === 'wrong-shape') return reply.code(201).send({ id: 7 });
      if (body.name === 'teapot') return reply.code(500).send({ oops: true });
      return reply.code(201).send({ id: 'w1', extra: 'kept' });
    },
  );
  a.post(
    '/status',
    {
      schema: {
        body: { $ref: STREAM_STATUS_SCHEMA_ID },
        response: { 200: { $ref: STREAM_STATUS_SCHEMA_ID } },
      },
    },
    async () => ({ status: 'nonsense' }),
  );
  await a.ready();
  const answers: ObservedAnswer[] = [];
  observeResponses(a, (answer) => answers.push(answer));
  return { app: a, seen, answers };
}

test('requests are validated as sent and never rewritten: strings stay strings, members are kept', async () => {
  const { app: a, seen } = await app();
  const r = await a.inject({ method: 'POST', url: '/widgets/3?limit=20', payload: { name: 'x', other: 1 } });
  expect(r.statusCode).toBe(201);
  expect(JSON.parse(r.body)).toEqual({ id: 'w1', extra: 'kept' });
  expect(seen).toEqual([{ params: { n: '3' }, query: { limit: '20' }, body: { name: 'x', other: 1 } }]);
});

test('a refused request reaches the error handler with field-named causes, and the handler never runs', async () => {
  const { app: a, seen } = await app();
  const missing = await a.inject({ method: 'POST', url: '/widgets/3', payload: { other: 1 } });
  expect(missing.statusCode).toBe(400);
  expect(JSON.parse(missing.body).causes).toEqual([{ part: 'body', field: 'name', message: 'is required' }]);
  const query = await a.inject({ method: 'POST', url: '/widgets/3?limit=abc', payload: { name: 'x' } });
  expect(JSON.parse(query.body).causes[0]).toMatchObject({ part: 'querystring', field: 'limit' });
  const param = await a.inject({ method: 'POST', url: '/widgets/three', payload: { name: 'x' } });
  expect(JSON.parse(param.body).causes[0]).toMatchObject({ part: 'params', field: 'n' });
  // A body that is a string where the schema wants an object is not coerced.
  const text = await a.inject({
    method: 'POST',
    url: '/widgets/3',
    payload: '"x"',
    headers: { 'content-type': 'application/json' },
  });
  expect(text.statusCode).toBe(400);
  expect(seen).toEqual([]);
});

test('a protocol-core schema is declared but left to the engine that reads it', async () => {
  const { app: a } = await app();
  const r = await a.inject({ method: 'POST', url: '/status', payload: { not: 'a status' } });
  expect(r.statusCode).toBe(200);
  expect(declaredRoutes(a).map((d) => `${d.method} ${d.url}`)).toEqual(['POST /widgets/:n', 'POST /status']);
});

test('observed answers are checked against the schema declared for their status', async () => {
  const { app: a, answers } = await app();
  await a.inject({ method: 'POST', url: '/widgets/3', payload: { name: 'ok' } });
  await a.inject({ method: 'POST', url: '/widgets/3', payload: { name: 'wrong-shape' } });
  await a.inject({ method: 'POST', url: '/widgets/3', payload: { name: 'teapot' } });
  await a.inject({ method: 'POST', url: '/widgets/3', payload: {} });
  await a.inject({ method: 'POST', url: '/status', payload: {} });
  expect(answers.map((x) => [x.status, x.problems.length > 0])).toEqual([
    [201, false],
    [201, true],
    [500, true],
    [400, false],
    [200, true],
  ]);
  expect(answers[1]?.problems.join()).toMatch(/\/id must be string/);
  expect(answers[2]?.problems.join()).toMatch(/no response schema for status 500/);
});

test('declaredRoutes refuses an app that was not set up', () => {
  expect(() => declaredRoutes(Fastify())).toThrow(/useRouteSchemas/);
});
