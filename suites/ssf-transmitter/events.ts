/**
 * Module `events`: a real event, made by the target's own test hook (`eventTrigger`: an HTTP request the
 * harness sends, e.g. "raise a threat on a test device"; trigger.ts). Skipped without one — SSF defines no
 * way for a receiver to make a transmitter emit anything but verification events. The harness creates a
 * stream for it, adds the trigger's subject when one is given (so a transmitter whose default_subjects is
 * NONE delivers it), fires, and undoes the trigger when the module ends. The event must arrive on that
 * stream, be of a type in the stream's events_delivered, and pass the SET checks.
 */
import { isJsonObject } from '../../harness/protocol/index.ts';
import { defineCheck, defineModule, expectThat, problem, SkipModule, skip } from '../core/index.ts';
import { type Arrival, type Inbox, pollInbox, pushInbox } from './inbox.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver } from './receiver.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import {
  CONTROL_EVENT_TYPES,
  eventTypesOf,
  fireTrigger,
  isTriggeredEvent,
  triggerAnswer,
} from './trigger.ts';
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
  optionalEndpoint,
  requireEndpoint,
  streamIdOf,
} from './wire.ts';

export interface EventsCapture extends HasSets {
  readonly trigger: Captured;
  readonly eventsDelivered: readonly string[];
}

const isEvent = (s: { readonly eventTypes: readonly string[] }): boolean => isTriggeredEvent(s.eventTypes);

export const eventsChecks = [
  defineCheck<EventsCapture>({
    id: 'transmitter-triggered-event-arrives',
    title: 'An event the target was made to emit arrives on the stream.',
    requirement: 'SSF-6-DELIVERY',
    evaluate: (c) => {
      if (c.trigger.status < 200 || c.trigger.status >= 300)
        return skip(`the event trigger answered ${triggerAnswer(c.trigger)}`);
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
          .filter((t) => !CONTROL_EVENT_TYPES.includes(t) && !c.eventsDelivered.includes(t))
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
    const addUrl = optionalEndpoint(d, 'add_subject_endpoint');
    if (trigger.subject !== undefined && addUrl !== undefined)
      // Its answer is graded by the subjects module; here it only makes the stream carry the subject.
      await call(ctx, {
        method: 'POST',
        url: addUrl,
        token: o.token,
        body: { stream_id: streamId, subject: trigger.subject },
      });
    const fired = await fireTrigger(ctx, trigger);
    const arrived = (): boolean =>
      inbox.arrivals().some((a: Arrival) => isTriggeredEvent(eventTypesOf(a.token)));
    if (fired.ok) {
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
      trigger: fired.captured,
      eventsDelivered: delivered.filter((e): e is string => typeof e === 'string'),
      sets,
    };
  },
  checks: eventsChecks,
});
