/**
 * Checks that could not judge: a check whose input is missing because an earlier check failed is
 * blocked by that check (and only by one that failed), one whose input proves nothing is inconclusive,
 * and a plan whose target is not there at all is one unreachable target, not a column of failures.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, test } from 'vitest';
import { type CheckResult, Timeline, tally } from '../../harness/records/index.ts';
import { blocked, defineCheck, expectThat, inconclusive } from './check.ts';
import type { SuiteContext } from './context.ts';
import { defineModule, definePlan, SkipModule } from './module.ts';
import { judge, runPlans, settleBlocked } from './run-plans.ts';

interface Created {
  readonly status: number;
  readonly id?: string;
  readonly baselineAccepted?: boolean;
}

const created = defineCheck<Created>({
  id: 'fake-create-answers-201',
  title: 'The create answers 201.',
  requirement: 'SSF-8.1.1.1',
  evaluate: (c) => expectThat(c.status === 201, `answered ${c.status}`),
});
const readBack = defineCheck<Created>({
  id: 'fake-read-back-works',
  title: 'The stream reads back.',
  requirement: 'SSF-8.1.1.2',
  evaluate: (c) => (c.id === undefined ? blocked('fake-create-answers-201', 'no stream was created') : []),
});
const negative = defineCheck<Created>({
  id: 'fake-refuses-a-broken-one',
  title: 'A broken one is refused.',
  requirement: 'RFC8935-2.3',
  evaluate: (c) => (c.baselineAccepted === false ? inconclusive('the unbroken one was refused too') : []),
});

const module = defineModule<object, Created>({
  id: 'create',
  title: 'Create',
  run: async () => ({ status: 201 }),
  checks: [created, readBack, negative],
});

function byId(checks: readonly CheckResult[]): Record<string, string> {
  return Object.fromEntries(
    checks.map((c) => [
      c.id,
      c.blockedBy !== undefined ? `blocked by ${c.blockedBy}` : c.inconclusive ? 'inconclusive' : c.status,
    ]),
  );
}

describe('blocked and inconclusive checks', () => {
  test('a refused create fails once; the check that needed its stream is blocked by it', () => {
    const checks = judge('fake', module, { status: 403, baselineAccepted: false });
    expect(byId(checks)).toEqual({
      'fake-create-answers-201': 'failed',
      'fake-read-back-works': 'blocked by fake-create-answers-201',
      'fake-refuses-a-broken-one': 'inconclusive',
    });
    expect(checks[1]).toMatchObject({ status: 'skipped', reason: 'no stream was created' });
  });

  test('a blocker that did not fail cannot block: the check is an ordinary skip, with its reason', () => {
    // Answered 201 but without an id: the create check holds, so nothing it judged blocks the read.
    const checks = judge('fake', module, { status: 201 });
    expect(byId(checks)['fake-read-back-works']).toBe('skipped');
    expect(checks[1]?.reason).toBe('no stream was created');
  });

  test('a blocker from an earlier module counts; a blocked blocker hands on its own', () => {
    const base = {
      plan: 'fake',
      module: 'm',
      requirement: 'SSF-8.1.1.1' as const,
      level: 'failure' as const,
      findings: [],
    };
    const earlier: CheckResult[] = [{ ...base, id: 'root-check', title: 'r', status: 'failed' }];
    const checks: CheckResult[] = [
      { ...base, id: 'middle', title: 'm', status: 'skipped', reason: 'x', blockedBy: 'root-check' },
      { ...base, id: 'leaf', title: 'l', status: 'skipped', reason: 'y', blockedBy: 'middle' },
      { ...base, id: 'orphan', title: 'o', status: 'skipped', reason: 'z', blockedBy: 'no-such-check' },
    ];
    expect(byId(settleBlocked(checks, earlier))).toEqual({
      middle: 'blocked by root-check',
      leaf: 'blocked by root-check',
      orphan: 'skipped',
    });
  });
});

test('a module that cannot go on names the earlier check that failed: its checks are blocked by it', async () => {
  const followUp = defineModule<object, Created>({
    id: 'follow-up',
    title: 'Needs the stream',
    run: async () => {
      throw new SkipModule('no stream could be created (HTTP 403)', { blockedBy: 'fake-create-answers-201' });
    },
    checks: [readBack],
  });
  const run = (status: number) =>
    runPlans(
      [
        {
          plan: definePlan<object>({
            name: 'fake',
            title: 'Fake',
            role: 'r',
            optionsSchema: {},
            modules: [{ ...module, run: async () => ({ status }) }, followUp],
          }),
          options: {},
        },
      ],
      {
        target: { name: 't', kind: 'code' },
        toolVersion: '0',
        context: context(async () => new Response(null)),
      },
    );
  const refused = await run(403);
  expect(refused.plans[0]?.modules[1]?.checks[0]).toMatchObject({
    status: 'skipped',
    blockedBy: 'fake-create-answers-201',
    reason: 'no stream could be created (HTTP 403)',
  });
  expect(tally(refused)).toMatchObject({ failed: 1, blocked: 2 });
  // When the earlier create held, this module's failure to go on blocks nothing: an ordinary skip.
  const held = await run(201);
  expect(held.plans[0]?.modules[1]?.checks[0]?.blockedBy).toBeUndefined();
  expect(tally(held)).toMatchObject({ failed: 0, blocked: 0, skipped: 2 });
});

/** A context whose fetch answers, or fails as a network does. */
function context(fetch: typeof globalThis.fetch): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const timeline = new Timeline({ services: new Map() });
  return {
    fetch: timeline.recording(fetch, 'harness'),
    serve: async (_name: string, _app: FastifyInstance) => ({ url: 'http://x', detach: async () => {} }),
    timeline,
    now: () => 0,
    sleep: async () => {},
    signal: new AbortController().signal,
  };
}

const refused: typeof fetch = async (input) => {
  const cause = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:9`), { code: 'ECONNREFUSED' });
  throw new TypeError(`fetch failed: ${String(input)}`, { cause });
};

/** A plan of two modules that each call `url` a few times and report what they got. */
function callingPlan(name: string, url: string) {
  const call = defineModule<object, Created>({
    id: 'call',
    title: 'Call the target',
    run: async (ctx) => {
      let status = 0;
      for (let i = 0; i < 3; i++) {
        try {
          status = (await ctx.fetch(`${url}?token=secret-${i}`)).status;
        } catch {
          // A module records a failed request as no answer, as the real plans do.
        }
      }
      return { status };
    },
    checks: [created, readBack],
  });
  const again = defineModule<object, Created>({ ...call, id: 'again', title: 'Again' });
  return definePlan<object>({ name, title: name, role: 'r', optionsSchema: {}, modules: [call, again] });
}

describe('an unreachable target', () => {
  test('a plan whose first request finds nobody is not run: one unreachable target, no failure', async () => {
    const fetch: typeof globalThis.fetch = async (input, init) =>
      String(input).startsWith('http://down.example')
        ? refused(input, init)
        : new Response(null, { status: 201 });
    const record = await runPlans(
      [
        { plan: callingPlan('down-plan', 'http://down.example/ssf'), options: {} },
        { plan: callingPlan('up-plan', 'http://up.example/ssf'), options: {} },
      ],
      { target: { name: 't', kind: 'code' }, toolVersion: '0', context: context(fetch) },
    );
    expect(record.unreachable).toEqual([
      {
        plan: 'down-plan',
        url: 'http://down.example/ssf?token=%5Bredacted%5D',
        message: 'connect ECONNREFUSED 127.0.0.1:9',
      },
    ]);
    const [down, up] = record.plans;
    expect(down?.modules.map((m) => m.skipped)).toEqual([
      'not run: the target could not be reached at http://down.example/ssf?token=%5Bredacted%5D (connect ECONNREFUSED 127.0.0.1:9)',
      'not run: the target could not be reached at http://down.example/ssf?token=%5Bredacted%5D (connect ECONNREFUSED 127.0.0.1:9)',
    ]);
    // The first module's exchanges stay as evidence; the second made none.
    expect(down?.modules[0]?.exchanges).toHaveLength(3);
    expect(down?.modules[1]?.exchanges).toEqual([]);
    expect(up?.modules.flatMap((m) => m.checks.map((c) => c.status))).toEqual([
      'passed',
      'skipped',
      'passed',
      'skipped',
    ]);
    expect(tally(record)).toMatchObject({ total: 8, failed: 0, errors: 0, skipped: 6, passed: 2 });
    expect(record.passed).toBe(false);
  });

  test('a first request that fails while a later one is answered is a flaky target, judged as usual', async () => {
    let n = 0;
    const fetch: typeof globalThis.fetch = async (input, init) =>
      n++ === 0 ? refused(input, init) : new Response(null, { status: 201 });
    const record = await runPlans([{ plan: callingPlan('flaky', 'http://flaky.example'), options: {} }], {
      target: { name: 't', kind: 'code' },
      toolVersion: '0',
      context: context(fetch),
    });
    expect(record.unreachable).toBeUndefined();
    expect(record.plans[0]?.modules[0]?.checks[0]?.status).toBe('passed');
  });
});
