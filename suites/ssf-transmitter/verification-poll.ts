/**
 * Module `verification-poll`: a stream created without `delivery` (which means poll, SSF 1.0 §8.1.1.1)
 * and verification over RFC 8936 polling — poll-only, poll-and-acknowledge and acknowledge-only
 * requests, each with `returnImmediately: true` so no request long-polls — and that an acknowledged SET
 * is not delivered again.
 */
import { isJsonObject } from '../../harness/protocol/index.ts';
import {
  defineCheck,
  defineModule,
  expectThat,
  type Problem,
  problem,
  SkipModule,
  skip,
} from '../core/index.ts';
import { describeSet } from './inbox.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
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
} from './wire.ts';

export type PollPhase = 'poll-only' | 'poll-and-ack' | 'ack-only' | 'after-ack';

export interface PollExchange {
  readonly phase: PollPhase;
  readonly request: Record<string, unknown>;
  readonly response: Captured;
}

export interface VerificationPollCapture extends HasSets {
  readonly create: Captured;
  readonly verifyA?: Captured;
  readonly verifyB?: Captured;
  readonly stateA: string;
  readonly stateB: string;
  readonly polls: readonly PollExchange[];
  /** jti values acknowledged, and the index of the first poll made after each was acknowledged. */
  readonly acked: readonly { readonly jti: string; readonly afterPoll: number }[];
}

function setsOf(r: Captured): Record<string, unknown> | undefined {
  return isJsonObject(r.body) && isJsonObject(r.body.sets) ? r.body.sets : undefined;
}

function statesIn(e: PollExchange): (string | null | undefined)[] {
  return Object.values(setsOf(e.response) ?? {}).map((t) =>
    typeof t === 'string' ? describeSet(t).state : undefined,
  );
}

export const verificationPollChecks = [
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-create-without-delivery-is-poll',
    title: 'A stream created without "delivery" is a poll stream with a transmitter-assigned endpoint_url.',
    requirement: 'SSF-8.1.1.1',
    evaluate: (c) => {
      if (c.create.status < 200 || c.create.status >= 300)
        return [problem(`the create without delivery answered HTTP ${c.create.status}`, c.create.body)];
      const d = isJsonObject(c.create.body) ? c.create.body.delivery : undefined;
      if (!isJsonObject(d)) return [problem('the stream has no "delivery" object')];
      return [
        ...expectThat(
          d.method === 'urn:ietf:rfc:8936',
          `delivery.method is ${JSON.stringify(d.method)}, not urn:ietf:rfc:8936`,
        ),
        ...expectThat(typeof d.endpoint_url === 'string', 'delivery has no endpoint_url'),
      ];
    },
  }),
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-poll-answers-sets-by-jti',
    title: 'Every poll answers 200 with "sets", an object mapping each SET\'s jti to the SET.',
    requirement: 'RFC8936-2.3',
    evaluate: (c) => {
      if (c.polls.length === 0) return skip('no poll was made');
      const out: Problem[] = [];
      for (const e of c.polls) {
        if (e.response.status !== 200) {
          out.push(problem(`a ${e.phase} poll answered HTTP ${e.response.status}`, e.response.body));
          continue;
        }
        const sets = setsOf(e.response);
        if (!sets) {
          out.push(problem(`a ${e.phase} poll answer has no "sets" object`, e.response.body));
          continue;
        }
        for (const [jti, t] of Object.entries(sets))
          if (typeof t !== 'string' || describeSet(t).jti !== jti)
            out.push(problem(`the SET under "${jti}" is not a SET with that jti`));
      }
      return out;
    },
  }),
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-poll-returns-the-verification-event',
    title: 'A poll-only request returns the verification event requested, echoing its "state".',
    requirement: 'SSF-8.1.4.2-STATE',
    evaluate: (c) => {
      if (c.verifyA?.status !== 204)
        return skip(`the verification request answered HTTP ${c.verifyA?.status ?? '-'}`);
      return expectThat(
        c.polls.some((e) => e.phase === 'poll-only' && statesIn(e).includes(c.stateA)),
        'no poll-only request returned the verification event before the timeout',
      );
    },
  }),
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-poll-and-ack-returns-the-next-event',
    title: 'A request that acknowledges SETs and asks for more returns the next verification event.',
    requirement: 'RFC8936-2.3',
    evaluate: (c) => {
      if (c.verifyB?.status !== 204)
        return skip(`the second verification request answered HTTP ${c.verifyB?.status ?? '-'}`);
      return expectThat(
        c.polls.some((e) => e.phase === 'poll-and-ack' && statesIn(e).includes(c.stateB)),
        'no poll-and-acknowledge request returned the second verification event before the timeout',
      );
    },
  }),
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-ack-only-answers-no-sets',
    title: 'An acknowledge-only request (maxEvents 0) answers 200 with no SETs.',
    requirement: 'RFC8936-2.2-MAXEVENTS',
    evaluate: (c) => {
      const e = c.polls.find((p) => p.phase === 'ack-only');
      if (!e) return skip('no acknowledge-only request was made');
      if (e.response.status !== 200)
        return [problem(`it answered HTTP ${e.response.status}`, e.response.body)];
      const sets = setsOf(e.response);
      return expectThat(
        sets !== undefined && Object.keys(sets).length === 0,
        'it returned SETs (or no "sets" object)',
        e.response.body,
      );
    },
  }),
  defineCheck<VerificationPollCapture>({
    id: 'transmitter-acked-sets-are-not-redelivered',
    title: 'A SET, once acknowledged, is not returned by a later poll.',
    requirement: 'RFC8936-2.5',
    evaluate: (c) => {
      if (c.acked.length === 0) return skip('nothing was acknowledged');
      const out: Problem[] = [];
      for (const { jti, afterPoll } of c.acked)
        for (const e of c.polls.slice(afterPoll))
          if (setsOf(e.response)?.[jti] !== undefined)
            out.push(problem(`SET ${jti} came back after it was acknowledged`, { phase: e.phase }));
      return out;
    },
  }),
  ...setChecks<VerificationPollCapture>('poll', 'poll delivery'),
];

export const verificationPollModule = defineModule<SsfTransmitterOptions, VerificationPollCapture>({
  id: 'verification-poll',
  title: 'Verification over poll: poll-only, poll-and-ack, ack-only',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    if (!deliveryWanted(d, o, 'poll')) throw new SkipModule('poll delivery is not graded or not supported');
    const url = requireEndpoint(d, 'configuration_endpoint');
    const verifyUrl = requireEndpoint(d, 'verification_endpoint');
    const create = await createStream(ctx, url, o.token, {
      description: 'ssf-lab conformance: verification (poll)',
    });
    const stateA = nonce();
    const stateB = nonce();
    const streamId = streamIdOf(create.body);
    const delivery =
      isJsonObject(create.body) && isJsonObject(create.body.delivery) ? create.body.delivery : {};
    const pollUrl = typeof delivery.endpoint_url === 'string' ? delivery.endpoint_url : undefined;
    const polls: PollExchange[] = [];
    const acked: { jti: string; afterPoll: number }[] = [];
    const base = { create, stateA, stateB, polls, acked };
    if (streamId === undefined || pollUrl === undefined) return { ...base, sets: [] };
    const received = new Map<string, string>();
    const poll = async (phase: PollPhase, request: Record<string, unknown>): Promise<PollExchange> => {
      const response = await call(ctx, { method: 'POST', url: pollUrl, token: o.token, body: request });
      const e = { phase, request, response };
      polls.push(e);
      for (const [jti, t] of Object.entries(setsOf(response) ?? {}))
        if (typeof t === 'string') received.set(jti, t);
      return e;
    };
    const until = async (phase: PollPhase, state: string, ack: () => string[]): Promise<void> => {
      const end = ctx.now() + o.eventTimeoutMs;
      for (;;) {
        const a = ack();
        const e = await poll(phase, {
          maxEvents: 10,
          returnImmediately: true,
          ...(a.length > 0 ? { ack: a } : {}),
        });
        if (a.length > 0) for (const jti of a) acked.push({ jti, afterPoll: polls.length });
        if (statesIn(e).includes(state) || e.response.status !== 200 || ctx.now() >= end) return;
        await ctx.sleep(100);
      }
    };
    const verify = (state: string): Promise<Captured> =>
      call(ctx, { method: 'POST', url: verifyUrl, token: o.token, body: { stream_id: streamId, state } });
    const unacked = (): string[] => [...received.keys()].filter((j) => !acked.some((a) => a.jti === j));

    const verifyA = await verify(stateA);
    if (verifyA.status === 204) await until('poll-only', stateA, () => []);
    const verifyB = await verify(stateB);
    if (verifyB.status === 204) await until('poll-and-ack', stateB, unacked);
    const last = unacked();
    await poll('ack-only', {
      maxEvents: 0,
      returnImmediately: true,
      ...(last.length > 0 ? { ack: last } : {}),
    });
    for (const jti of last) acked.push({ jti, afterPoll: polls.length });
    await poll('after-ack', { maxEvents: 10, returnImmediately: true });
    const aud = audienceFor(o, create.body);
    const sets: JudgedSet[] = [];
    for (const t of received.values())
      sets.push(
        await judgeSet(t, 'poll', d, o, {
          issuer: o.issuer,
          ...(aud === undefined ? {} : { audience: aud }),
          streamId,
        }),
      );
    return { ...base, verifyA, verifyB, sets };
  },
  checks: verificationPollChecks,
});
