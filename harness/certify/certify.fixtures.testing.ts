/**
 * A small fake plan and a fake remote target (fastify on 127.0.0.1) for the certification tests: the
 * plan creates a stream, reads it back, registers its deletion, and serves one harness endpoint; the
 * target keeps its streams in memory so a test can see that cleanup really removed them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import {
  defineCheck,
  defineModule,
  definePlan,
  expectThat,
  type Plan,
  skip,
} from '../../suites/core/index.ts';
import type { PlanEntry } from './engine.ts';

export interface FakeOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Wait this long after creating the stream (to be stopped in the middle). */
  readonly pauseMs?: number;
}

export const FAKE_OPTIONS_SCHEMA = {
  type: 'object',
  required: ['baseUrl', 'token'],
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string', format: 'uri' },
    token: { type: 'string' },
    pauseMs: { type: 'integer', minimum: 0 },
  },
} as const;

interface Capture {
  readonly created?: { status: number; id?: string };
  readonly readBack?: { status: number; body: unknown };
}

const lifecycle = defineModule<FakeOptions, Capture>({
  id: 'stream-lifecycle',
  title: 'Create a stream and read it back',
  async run(ctx, options) {
    const auth = { authorization: `Bearer ${options.token}` };
    if (!ctx.intend('create a stream tagged ssf-lab')) return {};
    const res = await ctx.fetch(`${options.baseUrl}/streams`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'ssf-lab' }),
      signal: ctx.signal,
    });
    const body = (await res.json()) as { stream_id?: string };
    const id = body.stream_id;
    if (id !== undefined)
      ctx.defer(`delete stream ${id}`, async () => {
        // As the real plans do: the run's signal on every request, the undo's included.
        await ctx.fetch(`${options.baseUrl}/streams/${id}`, {
          method: 'DELETE',
          headers: auth,
          signal: ctx.signal,
        });
      });
    ctx.progress(`created stream ${id}`);
    if (options.pauseMs !== undefined) await ctx.sleep(options.pauseMs);
    const back = await ctx.fetch(`${options.baseUrl}/streams/${id}`, { headers: auth, signal: ctx.signal });
    return {
      created: { status: res.status, ...(id === undefined ? {} : { id }) },
      readBack: { status: back.status, body: await back.json() },
    };
  },
  checks: [
    defineCheck<Capture>({
      id: 'fake-create-answers-201',
      title: 'Creating a stream answers 201.',
      requirement: 'RFC8417-2.2',
      evaluate: (c) =>
        c.created === undefined
          ? skip('nothing was created')
          : expectThat(c.created.status === 201, `the create answered ${c.created.status}`, c.created),
    }),
    defineCheck<Capture>({
      id: 'fake-read-back-has-description',
      title: 'The stream read back has a description.',
      requirement: 'SSF-4.1.9',
      evaluate: (c) =>
        c.readBack === undefined
          ? skip('nothing was read')
          : expectThat(
              (c.readBack.body as { description?: unknown }).description !== undefined,
              'the stream read back has no description',
            ),
    }),
  ],
});

const endpoint = defineModule<FakeOptions, { status: number; url: string }>({
  id: 'harness-endpoint',
  title: 'Serve a harness endpoint',
  async run(ctx) {
    const app = Fastify();
    app.get('/hello', async () => ({ hello: 'world' }));
    const served = await ctx.serve('hello', app);
    const res = await ctx.fetch(`${served.url}/hello`);
    await served.detach();
    return { status: res.status, url: served.url };
  },
  checks: [
    defineCheck({
      id: 'fake-endpoint-answers',
      title: 'The harness endpoint answers 200.',
      requirement: 'RFC8417-2.2',
      evaluate: (c: { status: number }) => expectThat(c.status === 200, `answered ${c.status}`),
    }),
  ],
});

export const FAKE_PLAN: Plan<FakeOptions> = definePlan<FakeOptions>({
  name: 'fake-transmitter',
  title: 'A fake transmitter',
  role: 'The harness plays a receiver against a fake transmitter.',
  optionsSchema: FAKE_OPTIONS_SCHEMA,
  modules: [lifecycle, endpoint],
});

export const FAKE_ENTRIES: readonly PlanEntry[] = [{ plan: FAKE_PLAN }];

export interface FakeTarget {
  readonly url: string;
  readonly streams: Map<string, { description: string }>;
  /** Requests seen, `METHOD path`. */
  readonly seen: string[];
  /** The next POST /streams answers 429 (Retry-After: 0) this many times. */
  throttle: number;
  /** POST /streams answers with this status (default 201). */
  createStatus: number;
  /** GET returns the stream without its description. */
  dropDescription: boolean;
  close(): Promise<void>;
}

export async function startFakeTarget(token: string): Promise<FakeTarget> {
  const app: FastifyInstance = Fastify();
  let next = 1;
  const state: Omit<FakeTarget, 'url' | 'close'> = {
    streams: new Map(),
    seen: [],
    throttle: 0,
    createStatus: 201,
    dropDescription: false,
  };
  app.addHook('onRequest', async (req, reply) => {
    state.seen.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return reply.code(401).send({ error: 'unauthorized' });
    return undefined;
  });
  app.post('/streams', async (req, reply) => {
    if (state.throttle > 0) {
      state.throttle -= 1;
      return reply.code(429).header('retry-after', '0').send({ error: 'slow down' });
    }
    const id = `s-${next++}`;
    state.streams.set(id, { description: String((req.body as { description?: string }).description) });
    return reply.code(state.createStatus).send({ stream_id: id });
  });
  app.get('/streams/:id', async (req, reply) => {
    const stream = state.streams.get((req.params as { id: string }).id);
    if (!stream) return reply.code(404).send({ error: 'not found' });
    return state.dropDescription ? {} : stream;
  });
  app.delete('/streams/:id', async (req, reply) => {
    state.streams.delete((req.params as { id: string }).id);
    return reply.code(204).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const target = state as FakeTarget;
  Object.assign(target, { url: `http://127.0.0.1:${port}`, close: () => app.close() });
  return target;
}
