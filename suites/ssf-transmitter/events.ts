/**
 * Module `events`: a real event, made by the target's own test hook (`eventTrigger`: an HTTP request the
 * harness sends, e.g. "raise a threat on a test device"). Skipped without one — SSF defines no way for a
 * receiver to make a transmitter emit anything but verification events. The event must arrive on a
 * stream created for it, be of a type in the stream's events_delivered, and pass the SET checks.
 */
import { decodeSet, EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import { defineCheck, defineModule, expectThat, problem, SkipModule, skip } from '../core/index.ts';
import { type Arrival, type Inbox, pollInbox, pushInbox } from './inbox.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver } from './receiver.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import {
  audienceFor,
  type Captured,
  createStream,
  deliveryWanted,
  discover,
  type JudgedSet,
  judgeSet,
  nonce,
  requireEndpoint,
  streamIdOf,
} from './wire.ts';

export interface EventsCapture extends HasSets {
  readonly trigger: Captured;
  readonly eventsDelivered: readonly string[];
}

const CONTROL: readonly string[] = [EVENT_URIS.verification, EVENT_URIS.streamUpdated];

function typesOf(token: string): string[] {
  const events = decodeSet(token).payload?.events;
  return isJsonObject(events) ? Object.keys(events) : [];
}

const isEvent = (s: { readonly eventTypes: readonly string[] }): boolean =>
  s.eventTypes.some((t) => !CONTROL.includes(t));

export const eventsChecks = [
  defineCheck<EventsCapture>({
    id: 'transmitter-triggered-event-arrives',
    title: 'An event the target was made to emit arrives on the stream.',
    requirement: 'SSF-6-DELIVERY',
    evaluate: (c) => {
      if (c.trigger.status < 200 || c.trigger.status >= 300)
        return skip(
          `the event trigger answered ${c.trigger.status === 0 ? c.trigger.error : `HTTP ${c.trigger.status}`}`,
        );
      return expectThat(
        c.sets.some(isEvent),
        'no event (other than verification or stream-updated) arrived before the timeout',
      );
    },
  }),
  defineCheck<EventsCapture>({
    id: 'transmitter-event-types-are-delivered-types',
    title: 'Every event that arrives is of a type in the stream\'s "events_delivered".',
    requirement: 'SSF-8.1.1.1-EVENTS',
    evaluate: (c) => {
      const events = c.sets.filter(isEvent);
      if (events.length === 0) return skip('no event arrived');
      return events.flatMap((s) =>
        s.eventTypes
          .filter((t) => !CONTROL.includes(t) && !c.eventsDelivered.includes(t))
          .map((t) => problem(`SET ${s.jti ?? ''} carries ${t}, which is not in events_delivered`)),
      );
    },
  }),
  ...setChecks<EventsCapture>('event', 'triggered events'),
];

export const eventsModule = defineModule<SsfTransmitterOptions, EventsCapture>({
  id: 'events',
  title: 'A real event, made by the target’s test hook',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const trigger = o.eventTrigger;
    if (trigger === undefined)
      throw new SkipModule(
        'no eventTrigger is configured: the target has no way to be made to emit an event',
      );
    const d = await discover(ctx, o);
    const url = requireEndpoint(d, 'configuration_endpoint');
    const requested = trigger.eventType === undefined ? {} : { events_requested: [trigger.eventType] };
    let inbox: Inbox;
    let create: Captured;
    if (deliveryWanted(d, o, 'push')) {
      const receiver = new PushReceiver(ctx);
      await receiver.serve();
      const slot = nonce();
      create = await createStream(ctx, url, o.token, {
        description: 'ssf-lab conformance: events',
        ...requested,
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(slot) },
      });
      inbox = pushInbox(ctx, receiver, slot);
    } else {
      create = await createStream(ctx, url, o.token, {
        description: 'ssf-lab conformance: events',
        ...requested,
      });
      const delivery =
        isJsonObject(create.body) && isJsonObject(create.body.delivery) ? create.body.delivery : {};
      if (typeof delivery.endpoint_url !== 'string')
        throw new SkipModule('the poll stream has no endpoint_url');
      inbox = pollInbox(ctx, delivery.endpoint_url, o.token);
    }
    const streamId = streamIdOf(create.body);
    if (streamId === undefined)
      throw new SkipModule(`no stream could be created (HTTP ${create.status}); see the streams module`);
    const delivered =
      isJsonObject(create.body) && Array.isArray(create.body.events_delivered)
        ? create.body.events_delivered
        : [];
    if (!ctx.intend(`send the event trigger ${trigger.method} ${trigger.url}`))
      throw new SkipModule('dry run');
    let fired: Captured;
    try {
      const response = await ctx.fetch(trigger.url, {
        method: trigger.method,
        headers: {
          ...(trigger.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...trigger.headers,
        },
        ...(trigger.body === undefined ? {} : { body: JSON.stringify(trigger.body) }),
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
      });
      await response.body?.cancel();
      fired = { method: trigger.method, url: trigger.url, status: response.status };
    } catch (error) {
      fired = { method: trigger.method, url: trigger.url, status: 0, error: (error as Error).message };
    }
    const arrived = (): boolean =>
      inbox.arrivals().some((a: Arrival) => isEvent({ eventTypes: typesOf(a.token) }));
    if (fired.status >= 200 && fired.status < 300) {
      const end = ctx.now() + o.eventTimeoutMs;
      while (!arrived() && ctx.now() < end) {
        await inbox.pump();
        await ctx.sleep(100);
      }
    }
    const aud = audienceFor(o, create.body);
    const sets: JudgedSet[] = [];
    for (const a of inbox.arrivals())
      sets.push(
        await judgeSet(a.token, a.via, d, o, {
          issuer: o.issuer,
          ...(aud === undefined ? {} : { audience: aud }),
          streamId,
        }),
      );
    return {
      trigger: fired,
      eventsDelivered: delivered.filter((e): e is string => typeof e === 'string'),
      sets,
    };
  },
  checks: eventsChecks,
});
