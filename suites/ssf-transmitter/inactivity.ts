/**
 * Module `inactivity`: a transmitter that changes a stream's status on its own sends a Stream Updated
 * event (SSF 1.0 §8.1.5) — before it stops sending, when it pauses or disables. The one change a receiver
 * can provoke from outside is the `inactivity_timeout` of §8.1.1: the harness creates a push stream, does
 * nothing for that long, then reads the status. It runs only when the stream's `inactivity_timeout` is
 * short enough to wait out (`inactivity.maxWaitSeconds`, default 10); `inactivity.token` names a receiver
 * account whose streams have a short one, when the main account's is long or absent.
 */
import { decodeSet, EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import { defineCheck, defineModule, expectThat, problem, SkipModule, skip } from '../core/index.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver } from './receiver.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import {
  audienceFor,
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

/** A Stream Updated event as it arrived. */
export interface StreamUpdatedArrival {
  readonly status: unknown;
  readonly reason?: unknown;
  readonly subId: unknown;
  /** Milliseconds after the stream's creation. */
  readonly atMs: number;
}

export interface InactivityCapture extends HasSets {
  readonly streamId: string;
  readonly inactivityTimeoutSeconds: number;
  /** The status read back after the wait (null when the read failed). */
  readonly statusAfter: string | null;
  readonly updates: readonly StreamUpdatedArrival[];
}

const STOPPED = new Set(['paused', 'disabled']);

export const inactivityChecks = [
  defineCheck<InactivityCapture>({
    id: 'transmitter-own-status-change-sends-stream-updated',
    title:
      'When the transmitter pauses or disables an inactive stream itself, a Stream Updated event with the new status arrives.',
    requirement: 'SSF-8.1.5-ON-CHANGE',
    evaluate: (c) => {
      if (c.statusAfter === null) return skip('the status could not be read back after the wait');
      if (!STOPPED.has(c.statusAfter))
        return skip(
          `the stream is still "${c.statusAfter}" after ${c.inactivityTimeoutSeconds} s of inactivity (pausing or disabling it is a MAY)`,
        );
      return expectThat(
        c.updates.some((u) => u.status === c.statusAfter),
        `the stream became "${c.statusAfter}" but no Stream Updated event with that status arrived`,
        c.updates.map((u) => u.status),
      );
    },
  }),
  defineCheck<InactivityCapture>({
    id: 'transmitter-stream-updated-names-the-stream',
    title: 'A Stream Updated event names its stream: sub_id is opaque with the stream_id.',
    requirement: 'SSF-8.1.5',
    evaluate: (c) => {
      if (c.updates.length === 0) return skip('no Stream Updated event arrived');
      return c.updates
        .filter((u) => {
          const s = u.subId;
          return !(isJsonObject(s) && s.format === 'opaque' && s.id === c.streamId);
        })
        .map((u) => problem('a Stream Updated event names another subject than the stream', u.subId));
    },
  }),
  ...setChecks<InactivityCapture>('inactivity', 'a stream left inactive'),
];

function streamUpdatedOf(token: string, atMs: number): StreamUpdatedArrival | undefined {
  const payload = decodeSet(token).payload ?? {};
  const events = isJsonObject(payload.events) ? payload.events : {};
  const event = events[EVENT_URIS.streamUpdated];
  if (!isJsonObject(event)) return undefined;
  return {
    status: event.status,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    subId: payload.sub_id,
    atMs,
  };
}

export const inactivityModule = defineModule<SsfTransmitterOptions, InactivityCapture>({
  id: 'inactivity',
  title: 'A stream left inactive: Stream Updated before the transmitter stops it',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const maxWait = options.inactivity?.maxWaitSeconds ?? 10;
    const token = options.inactivity?.token ?? o.token;
    const d = await discover(ctx, o);
    const url = requireEndpoint(d, 'configuration_endpoint');
    const statusUrl = requireEndpoint(d, 'status_endpoint');
    if (!deliveryWanted(d, o, 'push'))
      throw new SkipModule('graded on a push stream (polling is itself activity)');
    const receiver = new PushReceiver(ctx);
    await receiver.serve();
    const slot = nonce();
    const created = ctx.now();
    const create = await createStream(ctx, url, token, {
      description: 'ssf-lab conformance: inactivity',
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(slot) },
    });
    const streamId = streamIdOf(create.body);
    if (streamId === undefined)
      throw new SkipModule(`no stream could be created (HTTP ${create.status}); see the streams module`, {
        blockedBy: 'transmitter-create-answers-201',
      });
    const timeout = isJsonObject(create.body) ? create.body.inactivity_timeout : undefined;
    if (typeof timeout !== 'number')
      throw new SkipModule('the stream has no inactivity_timeout: the transmitter never stops it on its own');
    if (timeout > maxWait)
      throw new SkipModule(
        `the stream's inactivity_timeout is ${timeout} s, longer than inactivity.maxWaitSeconds (${maxWait} s)`,
      );
    ctx.progress(`leaving stream ${streamId} alone for ${timeout} s (its inactivity_timeout)`);
    await ctx.sleep(timeout * 1000);
    // Then as long as a Stream Updated event takes to follow, and no longer: in short steps, so that on a
    // lab's virtual clock the push signed on the thread pool is waited for as it is in real time.
    await waitUntil(
      ctx,
      () => receiver.pushes.some((p) => p.slot === slot && streamUpdatedOf(p.token, 0) !== undefined),
      o.quietWindowMs + 500,
    );
    const read = await call(ctx, { method: 'GET', url: statusUrl, token, query: { stream_id: streamId } });
    const statusAfter =
      read.status === 200 && isJsonObject(read.body) && typeof read.body.status === 'string'
        ? read.body.status
        : null;
    const pushes = receiver.pushes.filter((p) => p.slot === slot);
    const updates = pushes.flatMap((p) => {
      const u = streamUpdatedOf(p.token, Math.max(0, p.at - created));
      return u ? [u] : [];
    });
    const aud = audienceFor(o, create.body);
    const sets: JudgedSet[] = [];
    for (const p of pushes)
      sets.push(
        await judgeSet(p.token, 'push', d, o, {
          issuer: o.issuer,
          ...(aud === undefined ? {} : { audience: aud }),
          streamId,
        }),
      );
    return { streamId, inactivityTimeoutSeconds: timeout, statusAfter, updates, sets };
  },
  checks: inactivityChecks,
});
