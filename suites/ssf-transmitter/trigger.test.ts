import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { Timeline } from '../../harness/records/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import type { SuiteContext } from '../core/index.ts';
import { fireTrigger, resolveRequest } from './trigger.ts';

test('the resolve request is filled from the trigger answer: URL-encoded in the URL, verbatim elsewhere', () => {
  const filled = resolveRequest(
    {
      method: 'DELETE',
      url: 'https://hook.example/threats/{trigger.id}?n={trigger.n}',
      headers: { 'x-threat': '{trigger.id}' },
      body: { ids: ['{trigger.id}'], keep: 1 },
    },
    { id: 'a/b c', n: 7 },
  );
  expect(filled).toEqual({
    method: 'DELETE',
    url: 'https://hook.example/threats/a%2Fb%20c?n=7',
    headers: { 'x-threat': 'a/b c' },
    body: { ids: ['a/b c'], keep: 1 },
  });
});

test('a placeholder the answer cannot fill is an error naming the member, not a wrong undo', () => {
  expect(() =>
    resolveRequest({ method: 'DELETE', url: 'https://hook.example/{trigger.id}' }, { other: 1 }),
  ).toThrow(/needs "id" from the trigger's answer/);
  expect(() =>
    resolveRequest({ method: 'DELETE', url: 'https://hook.example/{trigger.id}' }, { id: { nested: 1 } }),
  ).toThrow(/needs "id"/);
});

/** A hook at https://hook.test that raises (201 with an id) and resolves threats, through inject. */
async function hookContext(raiseStatus: number) {
  const app = Fastify();
  const live = new Set<string>();
  let next = 0;
  app.post('/threats', async (request, reply) => {
    if (raiseStatus >= 300) return reply.code(raiseStatus).send({ error: 'no' });
    next += 1;
    live.add(`t${next}`);
    return reply.code(raiseStatus).send({ id: `t${next}`, body: request.body });
  });
  app.delete('/threats/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.code(live.delete(id) ? 204 : 404).send();
  });
  const fetchImpl = createInjectFetch(new Map([['https://hook.test', app]]));
  const undo: { what: string; fn: () => Promise<void> }[] = [];
  const ctx: SuiteContext = {
    fetch: fetchImpl,
    serve: async () => {
      throw new Error('not used');
    },
    timeline: new Timeline({ services: new Map() }),
    now: () => Date.now(),
    sleep: async () => undefined,
    signal: new AbortController().signal,
    intend: () => true,
    defer: (what, fn) => void undo.push({ what, fn }),
    progress: () => undefined,
  };
  return { app, live, undo, ctx };
}

const TRIGGER = {
  method: 'POST',
  url: 'https://hook.test/threats',
  body: { device: 'd1' },
  resolve: { method: 'DELETE', url: 'https://hook.test/threats/{trigger.id}' },
} as const;

test('a trigger that answered 2xx is undone by its resolve request when the module ends', async () => {
  const { app, live, undo, ctx } = await hookContext(201);
  try {
    const fired = await fireTrigger(ctx, TRIGGER);
    expect(fired).toMatchObject({
      ok: true,
      captured: { method: 'POST', url: 'https://hook.test/threats', status: 201 },
    });
    expect([...live]).toEqual(['t1']);
    expect(undo.map((u) => u.what)).toEqual(['undo the event trigger (DELETE https://hook.test/threats/t1)']);
    await undo[0]?.fn();
    expect([...live]).toEqual([]);
  } finally {
    await app.close();
  }
});

test('an undo the hook refuses fails the clean-up, saying how it answered', async () => {
  const { app, live, undo, ctx } = await hookContext(201);
  try {
    await fireTrigger(ctx, {
      ...TRIGGER,
      resolve: { method: 'DELETE', url: 'https://hook.test/threats/not-{trigger.id}' },
    });
    await expect(undo[0]?.fn()).rejects.toThrow('the resolve request answered HTTP 404');
    expect([...live]).toEqual(['t1']);
  } finally {
    await app.close();
  }
});

test('undone early, the trigger is undone once: the deferred undo reuses that answer', async () => {
  const { app, live, undo, ctx } = await hookContext(201);
  try {
    const fired = await fireTrigger(ctx, TRIGGER);
    expect(await fired.undoNow?.()).toEqual({
      method: 'DELETE',
      url: 'https://hook.test/threats/t1',
      status: 204,
    });
    expect([...live]).toEqual([]);
    // A second DELETE would answer 404 and fail the clean-up; the deferred undo sends none.
    await expect(undo[0]?.fn()).resolves.toBeUndefined();
  } finally {
    await app.close();
  }
});

test('a trigger that failed leaves nothing to undo', async () => {
  const { app, undo, ctx } = await hookContext(500);
  try {
    const fired = await fireTrigger(ctx, TRIGGER);
    expect(fired.ok).toBe(false);
    expect(fired.captured.status).toBe(500);
    expect(fired.undoNow).toBeUndefined();
    expect(undo).toEqual([]);
  } finally {
    await app.close();
  }
});

test('a trigger nobody answers is captured as status 0 with the error', async () => {
  const { app, undo, ctx } = await hookContext(201);
  try {
    const fired = await fireTrigger(ctx, { method: 'POST', url: 'https://nowhere.test/threats' });
    expect(fired.ok).toBe(false);
    expect(fired.captured.status).toBe(0);
    expect(fired.captured.error).toEqual(expect.any(String));
    expect(undo).toEqual([]);
  } finally {
    await app.close();
  }
});
