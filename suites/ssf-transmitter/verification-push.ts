/**
 * Module `verification-push`: verification over push (SSF 1.0 §8.1.4) and the shape of every push
 * (RFC 8935 §2, SSF §6.1.1). Two push streams: one with an `authorization_header`, which every push must
 * carry verbatim, and one without, whose pushes must carry no Authorization at all. A second verification
 * request straight after the first shows whether 429 is kept for requests faster than
 * `min_verification_interval`.
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
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver, type ReceivedPush } from './receiver.ts';
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

export interface VerificationPushCapture extends HasSets {
  readonly streamId: string;
  /** The second stream (no authorization_header), when it could be created. */
  readonly plainStreamId?: string;
  /** The states the harness asked for, in order. */
  readonly states: readonly string[];
  readonly verify: Captured;
  readonly plainVerify?: Captured;
  /** Second request at once; `intervalSeconds` the stream's min_verification_interval. */
  readonly rate: {
    readonly again: Captured;
    readonly intervalSeconds?: number;
    readonly afterInterval?: Captured;
  };
  /** Target time of the first verification request. */
  readonly requestedAt: number;
  readonly pushes: readonly ReceivedPush[];
  readonly slot: string;
  readonly plainSlot: string;
}

function mediaType(value: string | undefined): string | undefined {
  return value?.split(';', 1)[0]?.trim().toLowerCase();
}

function verificationPushes(c: VerificationPushCapture): ReceivedPush[] {
  return c.pushes.filter((p) => p.state !== undefined);
}

const noPushes = skip('no push reached the harness');

export const verificationPushChecks = [
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-verify-answers-204',
    title: 'A verification request answers 204 No Content.',
    requirement: 'SSF-8.1.4.2',
    evaluate: (c) =>
      expectThat(
        c.verify.status === 204,
        `POST verification_endpoint answered HTTP ${c.verify.status}, not 204`,
        c.verify.body,
      ),
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-push-verification-echoes-the-state',
    title: 'The verification event requested arrives by push and echoes the request\'s "state".',
    requirement: 'SSF-8.1.4.2-STATE',
    evaluate: (c) => {
      const first = c.states[0];
      if (first === undefined || c.verify.status !== 204)
        return skip('the verification request was not accepted');
      return expectThat(
        c.pushes.some((p) => p.state === first && p.slot === c.slot),
        'no verification event with the requested state arrived before the timeout',
      );
    },
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-verification-event-names-the-stream',
    title: 'Every verification event has "sub_id" {"format": "opaque", "id": <stream_id>}.',
    requirement: 'SSF-8.1.4.1',
    evaluate: (c) => {
      const vs = c.sets.filter((s) => s.state !== undefined);
      if (vs.length === 0) return skip('no verification event arrived');
      const ids = [c.streamId, c.plainStreamId].filter((x) => x !== undefined);
      return vs
        .filter((s) => {
          const sub = s.subId;
          return !(
            isJsonObject(sub) &&
            sub.format === 'opaque' &&
            typeof sub.id === 'string' &&
            ids.includes(sub.id)
          );
        })
        .map((s) => problem(`verification SET ${s.jti ?? ''} has sub_id ${JSON.stringify(s.subId)}`));
    },
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-unsolicited-verification-has-no-state',
    title: 'A verification event nobody asked for carries no "state".',
    requirement: 'SSF-8.1.4.2-UNSOLICITED',
    evaluate: (c) =>
      verificationPushes(c)
        .filter((p) => typeof p.state === 'string' && !c.states.includes(p.state))
        .map((p) =>
          problem(
            p.at < c.requestedAt
              ? 'a verification event with a "state" arrived before any was requested'
              : 'a verification event carries a "state" the harness never sent',
            { state: p.state },
          ),
        ),
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-verify-429-only-when-too-fast',
    title: 'Verification answers 429 only to requests faster than min_verification_interval.',
    requirement: 'SSF-8.1.4.2-RATE',
    evaluate: (c) => {
      const out: Problem[] = [];
      if (c.verify.status !== 204) return skip('the first verification request was not accepted');
      if (c.rate.again.status === 429 && c.rate.intervalSeconds === undefined)
        out.push(
          problem(
            'a second verification request got 429 although the stream has no min_verification_interval',
          ),
        );
      if (c.rate.afterInterval && c.rate.afterInterval.status === 429)
        out.push(
          problem(
            `a request after waiting min_verification_interval (${c.rate.intervalSeconds ?? '?'} s) still got 429`,
          ),
        );
      return out;
    },
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-push-content-type-is-secevent-jwt',
    title: 'Every push is sent with Content-Type: application/secevent+jwt.',
    requirement: 'RFC8935-2.1',
    evaluate: (c) =>
      c.pushes.length === 0
        ? noPushes
        : c.pushes
            .filter((p) => mediaType(p.contentType) !== 'application/secevent+jwt')
            .map((p) => problem(`a push has Content-Type ${p.contentType ?? '(none)'}`, { jti: p.jti })),
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-push-accepts-json',
    title: 'Every push is sent with Accept: application/json.',
    requirement: 'RFC8935-2.1',
    evaluate: (c) =>
      c.pushes.length === 0
        ? noPushes
        : c.pushes
            .filter((p) => !(p.accept ?? '').toLowerCase().includes('application/json'))
            .map((p) => problem(`a push has Accept ${p.accept ?? '(none)'}`, { jti: p.jti })),
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-push-sends-the-authorization-header',
    title: 'Every push to a stream with an authorization_header carries it verbatim as Authorization.',
    requirement: 'SSF-6.1.1-AUTHZ',
    evaluate: (c) => {
      const mine = c.pushes.filter((p) => p.slot === c.slot);
      if (mine.length === 0) return noPushes;
      return mine
        .filter((p) => p.authorization !== 'expected')
        .map((p) =>
          problem(
            p.authorization === 'absent'
              ? 'a push carries no Authorization header'
              : "a push carries an Authorization header that is not the stream's authorization_header",
            { jti: p.jti },
          ),
        );
    },
  }),
  defineCheck<VerificationPushCapture>({
    id: 'transmitter-push-without-authorization-header-sends-none',
    title: 'Pushes to a stream without an authorization_header carry no Authorization header.',
    requirement: 'LAB-PUSH-NO-AUTHZ',
    evaluate: (c) => {
      if (c.plainStreamId === undefined)
        return skip('the stream without authorization_header could not be created');
      const mine = c.pushes.filter((p) => p.slot === c.plainSlot);
      if (mine.length === 0) return skip('no push reached the stream without authorization_header');
      return mine
        .filter((p) => p.authorization !== 'absent')
        .map((p) =>
          problem('a push carries an Authorization header although none was configured', { jti: p.jti }),
        );
    },
  }),
  ...setChecks<VerificationPushCapture>('push', 'push delivery'),
];

export const verificationPushModule = defineModule<SsfTransmitterOptions, VerificationPushCapture>({
  id: 'verification-push',
  title: 'Verification over push, and the shape of each push',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    if (!deliveryWanted(d, o, 'push')) throw new SkipModule('push delivery is not graded or not supported');
    const url = requireEndpoint(d, 'configuration_endpoint');
    const verifyUrl = requireEndpoint(d, 'verification_endpoint');
    const receiver = new PushReceiver(ctx);
    await receiver.serve();
    const slot = nonce();
    const plainSlot = nonce();
    const authorization = `Bearer ssf-lab-push-${nonce()}`;
    const create = await createStream(ctx, url, o.token, {
      description: 'ssf-lab conformance: verification (push)',
      delivery: {
        method: 'urn:ietf:rfc:8935',
        endpoint_url: receiver.slot(slot, authorization),
        authorization_header: authorization,
      },
    });
    const streamId = streamIdOf(create.body);
    if (streamId === undefined)
      throw new SkipModule(
        `no push stream could be created (HTTP ${create.status}); see the streams module`,
        {
          blockedBy: 'transmitter-create-answers-201',
        },
      );
    const plain = await createStream(
      ctx,
      url,
      o.token,
      {
        description: 'ssf-lab conformance: push without authorization_header',
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(plainSlot) },
      },
      'create a second push stream',
    );
    const plainStreamId = streamIdOf(plain.body);
    const states: string[] = [];
    const accepted: string[] = [];
    const verify = async (id: string): Promise<Captured> => {
      const state = nonce();
      states.push(state);
      const answer = await call(ctx, {
        method: 'POST',
        url: verifyUrl,
        token: o.token,
        body: { stream_id: id, state },
      });
      if (answer.status === 204) accepted.push(state);
      return answer;
    };
    const requestedAt = ctx.now();
    const first = await verify(streamId);
    const again = await verify(streamId);
    const interval = isJsonObject(create.body) ? create.body.min_verification_interval : undefined;
    const intervalSeconds = typeof interval === 'number' ? interval : undefined;
    let afterInterval: Captured | undefined;
    if (
      again.status === 429 &&
      intervalSeconds !== undefined &&
      intervalSeconds <= o.verificationIntervalCapSeconds
    ) {
      await ctx.sleep(intervalSeconds * 1000 + 100);
      afterInterval = await verify(streamId);
    }
    const plainVerify = plainStreamId === undefined ? undefined : await verify(plainStreamId);
    // Wait for each accepted request's event (a refused one has none to wait for).
    const end = ctx.now() + o.eventTimeoutMs;
    while (!accepted.every((s) => receiver.withState(s).length > 0) && ctx.now() < end) await ctx.sleep(25);
    // A little longer, for anything that should not come (a duplicate, an unsolicited event).
    await ctx.sleep(Math.min(200, o.quietWindowMs));
    const aud = audienceFor(o, create.body);
    const sets: JudgedSet[] = [];
    for (const p of receiver.pushes)
      sets.push(
        await judgeSet(p.token, 'push', d, o, {
          issuer: o.issuer,
          ...(aud === undefined ? {} : { audience: aud }),
          streamId: p.slot === plainSlot && plainStreamId !== undefined ? plainStreamId : streamId,
        }),
      );
    return {
      streamId,
      ...(plainStreamId === undefined ? {} : { plainStreamId }),
      states,
      verify: first,
      ...(plainVerify ? { plainVerify } : {}),
      rate: {
        again,
        ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
        ...(afterInterval ? { afterInterval } : {}),
      },
      requestedAt,
      pushes: [...receiver.pushes],
      slot,
      plainSlot,
      sets,
    };
  },
  checks: verificationPushChecks,
});
