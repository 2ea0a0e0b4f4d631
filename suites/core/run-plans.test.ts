/**
 * The run loop and the ledger, with a fake plan over a fake context: verdicts from pure checks, a module
 * that throws or skips, cleanup that runs also on failure, dry runs, and ledger entries that tolerate
 * or match nothing.
 */
import type { FastifyInstance } from 'fastify';
import { expect, test } from 'vitest';
import { Timeline } from '../../harness/records/index.ts';
import { defineCheck, expectThat, problem, skip } from './check.ts';
import type { SuiteContext } from './context.ts';
import { applyLedger } from './ledger.ts';
import { defineModule, definePlan, SkipModule } from './module.ts';
import { type CertifyEvent, judge, runPlans } from './run-plans.ts';

interface Captured {
  readonly status: number;
  readonly hasBody: boolean;
}

const answers202 = defineCheck<Captured>({
  id: 'fake-push-answers-202',
  title: 'The push is answered 202.',
  requirement: 'RFC8935-2.2',
  evaluate: (c) => expectThat(c.status === 202, `answered ${c.status}, not 202`, { status: c.status }),
});
const emptyBody = defineCheck<Captured>({
  id: 'fake-push-answer-is-empty',
  title: 'The answer has no body.',
  requirement: 'RFC8935-2.2',
  evaluate: (c) => (c.status !== 202 ? skip('only a 202 is judged') : c.hasBody ? [problem('a body')] : []),
});

function context(): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const timeline = new Timeline({ services: new Map() });
  return {
    fetch: timeline.recording(async () => new Response(null, { status: 202 }), 'harness'),
    serve: async (_name: string, _app: FastifyInstance) => ({ url: 'http://x', detach: async () => {} }),
    timeline,
    now: () => 0,
    sleep: async () => {},
    signal: new AbortController().signal,
  };
}

function planAnswering(status: number, hasBody: boolean, log: string[]) {
  return definePlan<{ url: string }>({
    name: 'fake',
    title: 'Fake',
    role: 'the harness pushes',
    optionsSchema: {},
    modules: [
      defineModule<{ url: string }, Captured>({
        id: 'push',
        title: 'One push',
        run: async (ctx, options) => {
          if (ctx.intend('create a thing')) ctx.defer('delete the thing', async () => void log.push('undo'));
          await ctx.fetch(options.url, { method: 'POST' });
          return { status, hasBody };
        },
        checks: [answers202, emptyBody],
      }),
      defineModule<{ url: string }, Captured>({
        id: 'broken',
        title: 'A module whose run throws after creating something',
        run: async (ctx) => {
          ctx.defer('delete the other thing', async () => void log.push('undo 2'));
          throw new Error('the target hung up');
        },
        checks: [answers202],
      }),
      defineModule<{ url: string }, Captured>({
        id: 'optional',
        title: 'An optional endpoint',
        run: async () => {
          throw new SkipModule('the target has no such endpoint');
        },
        checks: [emptyBody],
      }),
    ],
  });
}

const target = { name: 'fake', kind: 'file' as const };

test('checks judge the capture; a throwing module is an error, a skipping one skipped; cleanup always runs', async () => {
  const log: string[] = [];
  const events: CertifyEvent[] = [];
  const record = await runPlans(
    [{ plan: planAnswering(202, false, log), options: { url: 'http://t/push' } }],
    {
      target,
      toolVersion: '0',
      context: context(),
      onEvent: (e) => events.push(e),
    },
  );
  const [push, broken, optional] = record.plans[0]?.modules ?? [];
  expect(push?.checks.map((c) => [c.id, c.status])).toEqual([
    ['fake-push-answers-202', 'passed'],
    ['fake-push-answer-is-empty', 'passed'],
  ]);
  expect(push?.exchanges.map((x) => x.url)).toEqual(['http://t/push']);
  expect(push?.cleanup).toEqual([{ what: 'delete the thing', ok: true }]);
  expect(broken?.error).toBe('the target hung up');
  expect(broken?.checks[0]).toMatchObject({ status: 'error', reason: 'the target hung up' });
  expect(broken?.cleanup).toEqual([{ what: 'delete the other thing', ok: true }]);
  expect(optional?.checks[0]).toMatchObject({ status: 'skipped', reason: 'the target has no such endpoint' });
  expect(log).toEqual(['undo', 'undo 2']);
  expect(record.passed).toBe(false); // the error
  expect(events.filter((e) => e.type === 'module-end')).toHaveLength(3);
});

test('a failure-level finding fails the run; its level comes from the requirement', async () => {
  const record = await runPlans([{ plan: planAnswering(200, true, []), options: { url: 'http://t/push' } }], {
    target,
    toolVersion: '0',
    context: context(),
  });
  const check = record.plans[0]?.modules[0]?.checks[0];
  expect(check).toMatchObject({ status: 'failed', level: 'failure', requirement: 'RFC8935-2.2' });
  expect(check?.findings[0]).toMatchObject({ message: 'answered 200, not 202', evidence: { status: 200 } });
  expect(record.plans[0]?.modules[0]?.checks[1]).toMatchObject({ status: 'skipped' });
  expect(record.passed).toBe(false);
});

test('a dry run makes no change it declares, and says what it would have done', async () => {
  const log: string[] = [];
  const record = await runPlans(
    [{ plan: planAnswering(202, false, log), options: { url: 'http://t/push' } }],
    {
      target,
      toolVersion: '0',
      dryRun: true,
      context: context(),
    },
  );
  expect(record.dryRun).toBe(true);
  expect(record.plans[0]?.modules[0]?.skipped).toBe('dry run: would create a thing');
  expect(log).toEqual(['undo 2']); // only the module that did not ask registered an undo
});

test('the ledger tolerates named findings with their reason; an entry matching nothing is a problem', () => {
  const checks = judge('fake', planAnswering(200, false, []).modules[0] as never, {
    status: 200,
    hasBody: false,
  });
  const { checks: out, problems } = applyLedger(checks, [
    { check: 'fake-push-answers-202', reason: 'vendor answers 200, ticket #12', message: 'not 202' },
    { check: 'fake-push-answer-is-empty', reason: 'stale' },
  ]);
  expect(out[0]).toMatchObject({ status: 'tolerated' });
  expect(out[0]?.findings[0]?.toleratedBecause).toBe('vendor answers 200, ticket #12');
  expect(problems).toHaveLength(1);
  expect(problems[0]?.message).toContain('"fake-push-answer-is-empty" matched no finding');
  // An entry whose message does not match leaves the check failed.
  const strict = applyLedger(checks, [{ check: 'fake-push-answers-202', reason: 'r', message: 'timeout' }]);
  expect(strict.checks[0]?.status).toBe('failed');
});

test('check definitions are refused with a bad id or an unknown requirement', () => {
  expect(() =>
    defineCheck({ id: 'Bad Id', title: 'x.', requirement: 'RFC8935-2.2', evaluate: () => [] }),
  ).toThrow(/kebab-case/);
  expect(() =>
    defineCheck({ id: 'ok-id', title: 'x.', requirement: 'NOPE-1' as never, evaluate: () => [] }),
  ).toThrow(/unknown requirement NOPE-1/);
});

test('after a stop, undo steps still get a live signal, so cleanup reaches the target', async () => {
  const stop = new AbortController();
  const seen: boolean[] = [];
  const plan = definePlan<object>({
    name: 'stoppable',
    title: 'Stoppable',
    role: 'r',
    optionsSchema: {},
    modules: [
      defineModule<object, Captured>({
        id: 'stopped',
        title: 'A module stopped halfway',
        run: async (ctx) => {
          ctx.defer('delete the stream', async () => void seen.push(ctx.signal.aborted));
          stop.abort('SIGINT');
          if (ctx.signal.aborted) throw new Error('stopped');
          return { status: 202, hasBody: false };
        },
        checks: [answers202],
      }),
    ],
  });
  const record = await runPlans([{ plan, options: {} }], {
    target,
    toolVersion: '0',
    context: { ...context(), signal: stop.signal },
  });
  expect(seen).toEqual([false]);
  expect(record.plans[0]?.modules[0]?.cleanup).toEqual([{ what: 'delete the stream', ok: true }]);
  expect(record.passed).toBe(false);
});
