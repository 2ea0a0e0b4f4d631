/**
 * Module `retry`: how the transmitter handles a push that fails (RFC 8935 §2.4, RFC 6585 §4) — the gap
 * the OIDF suite leaves open (its push endpoint answers 202 to everything). Each case has its own push
 * stream, so the cases run side by side and one transmitter queue never delays another's timing:
 *
 * - backoff: 503, 503, then 202 — a retry follows each 503 and the second wait is longer than the first;
 * - Retry-After: 429 with Retry-After, then 202 — the retry waits at least that long;
 * - no retry: 400 — a SET the receiver refuses is not sent again;
 * - timeout (optional, `retry.timeoutCase`): the first attempt is held past the transmitter's timeout —
 *   a retry follows. Off by default because it costs the transmitter's whole timeout in wall time.
 *
 * Verification events are the SETs: the harness asks for one per case and scripts its answers by state.
 * After every case has its 202 the harness watches a little longer: a delivered SET must not come again.
 */
import {
  defineCheck,
  defineModule,
  expectThat,
  type Problem,
  problem,
  SkipModule,
  skip,
} from '../core/index.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver, type ReceivedPush, type ScriptStep } from './receiver.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import {
  audienceFor,
  type Captured,
  call,
  createStream,
  deliveryWanted,
  discover,
  type JudgedSet,
  judgeSet,
  nonce,
  requireEndpoint,
  streamIdOf,
  waitUntil,
} from './wire.ts';

export type RetryCase = 'backoff' | 'retry-after' | 'no-retry' | 'timeout';

export interface CaseCapture {
  readonly verify: Captured;
  /** Every push of this case's SET, in arrival order, with what the harness answered. */
  readonly attempts: readonly Pick<ReceivedPush, 'at' | 'jti' | 'answered'>[];
}

export interface RetryCapture extends HasSets {
  readonly retryAfterSeconds: number;
  readonly noRetryWindowMs: number;
  readonly cases: Partial<Record<RetryCase, CaseCapture>>;
}

const SCRIPTS = (o: { retryAfterSeconds: number; holdMs: number }): Record<RetryCase, ScriptStep[]> => ({
  backoff: [{ status: 503 }, { status: 503 }],
  'retry-after': [{ status: 429, retryAfterSeconds: o.retryAfterSeconds }],
  'no-retry': [{ status: 400 }],
  timeout: [{ status: 202, holdMs: o.holdMs }],
});

/** Attempts up to and including the first 202 (what came after is a duplicate). */
function untilDelivered(c: CaseCapture): {
  delivered: boolean;
  attempts: CaseCapture['attempts'];
  extra: number;
} {
  const i = c.attempts.findIndex((a) => a.answered === 202);
  if (i < 0) return { delivered: false, attempts: c.attempts, extra: 0 };
  return { delivered: true, attempts: c.attempts.slice(0, i + 1), extra: c.attempts.length - i - 1 };
}

function usable(c: CaseCapture | undefined): CaseCapture | undefined {
  return c && c.verify.status === 204 && c.attempts.length > 0 ? c : undefined;
}

const notRun = (name: string, c: CaseCapture | undefined) =>
  skip(
    c === undefined
      ? `the ${name} case was not run`
      : c.verify.status !== 204
        ? `the verification request for the ${name} case answered HTTP ${c.verify.status}`
        : `no push of the ${name} case reached the harness`,
  );

export const retryChecks = [
  defineCheck<RetryCapture>({
    id: 'transmitter-retries-after-a-5xx',
    title: 'A push answered 503 is sent again.',
    requirement: 'LAB-RETRY',
    evaluate: (c) => {
      const b = usable(c.cases.backoff);
      if (!b) return notRun('backoff', c.cases.backoff);
      const out: Problem[] = [
        ...expectThat(b.attempts.length >= 2, 'the SET answered 503 was never sent again'),
      ];
      const jtis = new Set(b.attempts.map((a) => a.jti));
      if (jtis.size > 1)
        out.push(problem('the retries carry a different jti: a retry resends the same SET', [...jtis]));
      return out;
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-backs-off-between-retries',
    title: 'The wait before each retry is longer than the one before it.',
    requirement: 'RFC8935-2.4-RETRY',
    evaluate: (c) => {
      const b = usable(c.cases.backoff);
      if (!b) return notRun('backoff', c.cases.backoff);
      const [a1, a2, a3] = b.attempts;
      if (!a1 || !a2 || !a3) return skip('fewer than three attempts: no two waits to compare');
      const g1 = a2.at - a1.at;
      const g2 = a3.at - a2.at;
      return expectThat(g2 > g1, `the waits were ${g1} ms then ${g2} ms: no backoff`, { waitsMs: [g1, g2] });
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-honours-retry-after',
    title: 'After 429 with Retry-After the push is retried, and not before Retry-After has passed.',
    requirement: 'RFC6585-4',
    evaluate: (c) => {
      const r = usable(c.cases['retry-after']);
      if (!r) return notRun('Retry-After', c.cases['retry-after']);
      const [a1, a2] = r.attempts;
      if (!a1 || !a2) return [problem('the SET answered 429 was never sent again')];
      const gap = a2.at - a1.at;
      // 50 ms of tolerance for timer granularity between the two clocks that stamp the arrivals.
      return expectThat(
        gap >= c.retryAfterSeconds * 1000 - 50,
        `the retry came ${gap} ms after a 429 with Retry-After: ${c.retryAfterSeconds}`,
        { gapMs: gap },
      );
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-retried-sets-are-delivered',
    title: 'A SET whose first pushes failed with 503 or 429 is delivered in the end.',
    requirement: 'LAB-RETRY',
    evaluate: (c) => {
      const out: Problem[] = [];
      let any = false;
      for (const name of ['backoff', 'retry-after', 'timeout'] as const) {
        const k = usable(c.cases[name]);
        if (!k) continue;
        any = true;
        if (!untilDelivered(k).delivered)
          out.push(problem(`the ${name} case's SET never got through (lost)`));
      }
      return any ? out : skip('no retry case was run');
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-does-not-resend-a-delivered-set',
    title: 'A SET answered 202 is not pushed again.',
    requirement: 'RFC8935-2.4-RETRY',
    evaluate: (c) => {
      const out: Problem[] = [];
      let any = false;
      for (const name of ['backoff', 'retry-after', 'timeout'] as const) {
        const k = usable(c.cases[name]);
        if (!k) continue;
        any = true;
        const u = untilDelivered(k);
        if (u.extra > 0)
          out.push(problem(`the ${name} case's SET was pushed ${u.extra} more time(s) after its 202`));
      }
      return any ? out : skip('no retry case was run');
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-does-not-retry-after-400',
    title: 'A push answered 400 (the SET is refused) is not sent again.',
    requirement: 'RFC8935-2.4-RETRY',
    evaluate: (c) => {
      const n = usable(c.cases['no-retry']);
      if (!n) return notRun('no-retry', c.cases['no-retry']);
      return expectThat(
        n.attempts.length === 1,
        `the SET answered 400 was pushed ${n.attempts.length} times within ${c.noRetryWindowMs} ms`,
      );
    },
  }),
  defineCheck<RetryCapture>({
    id: 'transmitter-retries-after-a-timeout',
    title: "A push whose answer does not come within the transmitter's timeout is sent again.",
    requirement: 'LAB-RETRY',
    evaluate: (c) => {
      const t = c.cases.timeout;
      if (!t)
        return skip('the timeout case is off (retry.timeoutCase: false, the default, to keep the plan fast)');
      const k = usable(t);
      if (!k) return notRun('timeout', t);
      return expectThat(k.attempts.length >= 2, 'the SET whose push timed out was never sent again');
    },
  }),
  ...setChecks<RetryCapture>('retry', 'retried pushes'),
];

export const retryModule = defineModule<SsfTransmitterOptions, RetryCapture>({
  id: 'retry',
  title: 'Push retries: backoff after 503, Retry-After after 429, no retry after 400',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    if (!deliveryWanted(d, o, 'push')) throw new SkipModule('push delivery is not graded or not supported');
    const url = requireEndpoint(d, 'configuration_endpoint');
    const verifyUrl = requireEndpoint(d, 'verification_endpoint');
    const receiver = new PushReceiver(ctx);
    await receiver.serve();
    const names: RetryCase[] = [
      'backoff',
      'retry-after',
      'no-retry',
      ...(o.retry.timeoutCase ? ['timeout' as const] : []),
    ];
    const scripts = SCRIPTS(o.retry);
    const setUp: {
      name: RetryCase;
      slot: string;
      streamId: string;
      state: string;
      aud: ReturnType<typeof audienceFor>;
    }[] = [];
    for (const name of names) {
      const slot = nonce();
      const create = await createStream(
        ctx,
        url,
        o.token,
        {
          description: `ssf-lab conformance: retry (${name})`,
          delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(slot) },
        },
        `create a push stream (retry: ${name})`,
      );
      const streamId = streamIdOf(create.body);
      if (streamId === undefined)
        throw new SkipModule(`no push stream could be created (HTTP ${create.status})`, {
          blockedBy: 'transmitter-create-answers-201',
        });
      const state = nonce();
      receiver.script(state, scripts[name]);
      setUp.push({ name, slot, streamId, state, aud: audienceFor(o, create.body) });
    }
    const verifies = new Map<RetryCase, Captured>();
    for (const s of setUp)
      verifies.set(
        s.name,
        await call(ctx, {
          method: 'POST',
          url: verifyUrl,
          token: o.token,
          body: { stream_id: s.streamId, state: s.state },
        }),
      );
    const delivered = (state: string): boolean => receiver.withState(state).some((p) => p.answered === 202);
    const expectDelivery = setUp.filter((s) => s.name !== 'no-retry' && verifies.get(s.name)?.status === 204);
    const timeout = o.eventTimeoutMs + (o.retry.timeoutCase ? o.retry.holdMs : 0);
    await waitUntil(ctx, () => expectDelivery.every((s) => delivered(s.state)), timeout);
    const noRetry = setUp.find((s) => s.name === 'no-retry');
    if (noRetry) {
      const first = receiver.withState(noRetry.state)[0];
      const since = first === undefined ? 0 : ctx.now() - first.at;
      if (since < o.retry.noRetryWindowMs) await ctx.sleep(o.retry.noRetryWindowMs - since);
    }
    await ctx.sleep(o.quietWindowMs);
    const cases: Partial<Record<RetryCase, CaseCapture>> = {};
    const sets: JudgedSet[] = [];
    for (const s of setUp) {
      const pushes = receiver.withState(s.state);
      cases[s.name] = {
        verify: verifies.get(s.name) as Captured,
        attempts: pushes.map((p) => ({
          at: p.at,
          answered: p.answered,
          ...(p.jti === undefined ? {} : { jti: p.jti }),
        })),
      };
      const firstPush = pushes[0];
      if (firstPush)
        sets.push(
          await judgeSet(firstPush.token, 'push', d, o, {
            issuer: o.issuer,
            ...(s.aud === undefined ? {} : { audience: s.aud }),
            streamId: s.streamId,
          }),
        );
    }
    return {
      retryAfterSeconds: o.retry.retryAfterSeconds,
      noRetryWindowMs: o.retry.noRetryWindowMs,
      cases,
      sets,
    };
  },
  checks: retryChecks,
});
