/**
 * Module `status`: reading and updating a stream's status (SSF 1.0 §8.1.2) and what each status does to
 * delivery. Events come from the verification endpoint — verification events travel on the stream like
 * any other — so no event trigger is needed: a paused stream must hold a verification event and send it
 * once enabled again, a disabled one must drop it. SSF does not say whether a disabled stream may be
 * verified (issue #214); a transmitter that refuses leaves the drop check without an event, and the
 * module then grades the held-events case instead (paused, verified, disabled, enabled: nothing arrives).
 * With an `eventTrigger`, the drop check still gets its event: the trigger is fired while the stream is
 * disabled, nothing may arrive then nor after enabling, and the trigger's undo — sent once the stream is
 * enabled again — must produce an event that does arrive, showing the silence was the status's doing (a
 * target whose undo makes no event leaves the check inconclusive, skipped).
 */
import { isJsonObject, type StreamStatusValue } from '../../harness/protocol/index.ts';
import {
  defineCheck,
  defineModule,
  expectThat,
  inconclusive,
  type Problem,
  problem,
  SkipModule,
  type SuiteContext,
  skip,
  type Verdict,
} from '../core/index.ts';
import { type Inbox, pollInbox, pushInbox } from './inbox.ts';
import {
  type EventTrigger,
  type ResolvedOptions,
  resolveOptions,
  type SsfTransmitterOptions,
} from './options.ts';
import { PushReceiver } from './receiver.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import { eventTypesOf, fireTrigger, isTriggeredEvent, triggerAnswer } from './trigger.ts';
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

export interface StatusCapture extends HasSets {
  readonly streamId: string;
  readonly read: Captured;
  readonly readUnknown: Captured;
  readonly updates: readonly { readonly requested: StreamStatusValue; readonly response: Captured }[];
  /** Verification requested while paused: its answer, whether it arrived while paused, and after enabling. */
  readonly paused?: {
    readonly verify: Captured;
    readonly arrivedWhilePaused: boolean;
    readonly arrivedAfterEnable: boolean;
  };
  readonly disabled?: {
    readonly verify: Captured;
    readonly arrived: boolean;
    /** Verification refused while disabled, an eventTrigger configured: the trigger fired instead. */
    readonly triggered?: DisabledTrigger;
  };
  /** Held while paused, then disabled and enabled: did it arrive? */
  readonly heldThenDisabled?: { readonly verify: Captured; readonly arrived: boolean };
}

/** The event trigger fired while the stream was disabled (trigger.ts). */
export interface DisabledTrigger {
  readonly trigger: Captured;
  /** A triggered event arrived while disabled, or after enabling before the undo was sent. */
  readonly arrived: boolean;
  /** The undo sent once enabled again, when a `resolve` is configured. */
  readonly undo?: Captured;
  /** An event arrived after the undo: the trigger's events do reach this stream while it is enabled. */
  readonly controlArrived: boolean;
}

const verifiedOk = (v: Captured): boolean => v.status === 204 || (v.status >= 200 && v.status < 300);

/** The drop check judged on the event trigger, when verifying the disabled stream was refused. */
function droppedTriggered(verify: Captured, t: DisabledTrigger): Verdict {
  const refused = `verification while disabled answered HTTP ${verify.status}`;
  if (!verifiedOk(t.trigger))
    return skip(`${refused} and the event trigger answered ${triggerAnswer(t.trigger)}`);
  if (t.arrived)
    return [
      problem('an event the trigger made while the stream was disabled was delivered (then or once enabled)'),
    ];
  if (!t.controlArrived)
    return inconclusive(
      `nothing arrived while disabled, but ${t.undo === undefined ? 'no resolve is configured to make' : "the trigger's undo made"} no event that reached the stream once enabled either, so the silence may not be the status's doing`,
    );
  return [];
}

export const statusChecks = [
  defineCheck<StatusCapture>({
    id: 'transmitter-status-read-answers-200',
    title: 'Reading a stream\'s status answers 200 with its stream_id and "enabled" after creation.',
    requirement: 'SSF-8.1.2.1',
    evaluate: (c) => {
      if (c.read.status !== 200)
        return [problem(`GET status_endpoint answered HTTP ${c.read.status}, not 200`, c.read.body)];
      const b = isJsonObject(c.read.body) ? c.read.body : {};
      return [
        ...expectThat(b.stream_id === c.streamId, 'the status names another stream_id', b.stream_id),
        ...expectThat(
          b.status === 'enabled',
          `a new stream's status is ${JSON.stringify(b.status)}, not "enabled"`,
        ),
      ];
    },
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-status-of-unknown-stream-is-404',
    title: 'Reading the status of a stream that does not exist answers 404.',
    requirement: 'SSF-8.1.2.1',
    evaluate: (c) =>
      expectThat(
        c.readUnknown.status === 404,
        `GET status_endpoint of an unknown stream answered HTTP ${c.readUnknown.status}, not 404`,
      ),
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-status-update-echoes-the-status',
    title: 'Updating the status to enabled, paused or disabled answers 200 with the resulting status.',
    requirement: 'SSF-8.1.2.2',
    evaluate: (c) => {
      const out: Problem[] = [];
      for (const u of c.updates) {
        const b = isJsonObject(u.response.body) ? u.response.body : undefined;
        if (u.response.status !== 200)
          out.push(
            problem(
              `POST status "${u.requested}" answered HTTP ${u.response.status}, not 200`,
              u.response.body,
            ),
          );
        else if (!b || b.status !== u.requested || b.stream_id !== c.streamId)
          out.push(problem(`POST status "${u.requested}" answered ${JSON.stringify(u.response.body)}`));
      }
      return out;
    },
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-paused-stream-sends-nothing',
    title: 'A paused stream sends nothing while it is paused.',
    requirement: 'SSF-8.1.2-PAUSED-SILENT',
    evaluate: (c) => {
      if (!c.paused || !verifiedOk(c.paused.verify))
        return skip(
          `no event could be made while paused (verification answered HTTP ${c.paused?.verify.status ?? '-'})`,
        );
      return expectThat(
        !c.paused.arrivedWhilePaused,
        'the verification event requested while paused was delivered while paused',
      );
    },
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-paused-stream-delivers-held-events',
    title: 'Events made while a stream is paused are delivered once it is enabled again.',
    requirement: 'SSF-8.1.2-PAUSED',
    evaluate: (c) => {
      if (!c.paused || !verifiedOk(c.paused.verify))
        return skip(
          `no event could be made while paused (verification answered HTTP ${c.paused?.verify.status ?? '-'})`,
        );
      return expectThat(
        c.paused.arrivedWhilePaused || c.paused.arrivedAfterEnable,
        'the verification event requested while paused never arrived after the stream was enabled',
      );
    },
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-disabled-stream-drops-events',
    title: 'Events made while a stream is disabled are neither sent nor held.',
    requirement: 'SSF-8.1.2-DISABLED',
    evaluate: (c) => {
      if (c.disabled && !verifiedOk(c.disabled.verify) && c.disabled.triggered)
        return droppedTriggered(c.disabled.verify, c.disabled.triggered);
      if (!c.disabled || !verifiedOk(c.disabled.verify))
        return skip(
          `the transmitter made no event while disabled (verification answered HTTP ${c.disabled?.verify.status ?? '-'}; SSF is silent on verifying a disabled stream; an eventTrigger would make one)`,
        );
      return expectThat(!c.disabled.arrived, 'the verification event requested while disabled was delivered');
    },
  }),
  defineCheck<StatusCapture>({
    id: 'transmitter-disabling-discards-held-events',
    title: 'Events held while paused are not delivered after the stream is disabled and enabled again.',
    requirement: 'SSF-8.1.2-DISABLED-HELD',
    evaluate: (c) => {
      if (!c.heldThenDisabled) return skip('graded only when verifying a disabled stream is refused');
      if (!verifiedOk(c.heldThenDisabled.verify))
        return skip(`verification while paused answered HTTP ${c.heldThenDisabled.verify.status}`);
      return expectThat(
        !c.heldThenDisabled.arrived,
        'the event held while paused was delivered after disable and enable',
      );
    },
  }),
  ...setChecks<StatusCapture>('status', 'status changes'),
];

/**
 * Disabled, the trigger fired, a quiet window; enabled, another (nothing held may come out); then the
 * trigger's undo, whose event must arrive within the event timeout — the control that the trigger's
 * events reach this stream at all.
 */
async function triggerWhileDisabled(
  ctx: SuiteContext,
  trigger: EventTrigger,
  inbox: Inbox,
  setStatus: (status: StreamStatusValue) => Promise<void>,
  o: ResolvedOptions,
): Promise<DisabledTrigger> {
  const events = (): number => inbox.arrivals().filter((a) => isTriggeredEvent(eventTypesOf(a.token))).length;
  const before = events();
  await setStatus('disabled');
  if (!ctx.intend(`send the event trigger ${trigger.method} ${trigger.url} while the stream is disabled`))
    throw new SkipModule('dry run');
  const fired = await fireTrigger(ctx, trigger);
  await inbox.watch(o.quietWindowMs);
  await setStatus('enabled');
  await inbox.watch(o.quietWindowMs);
  const after = events();
  const undo = fired.undoNow === undefined ? undefined : await fired.undoNow();
  const controlArrived =
    undo !== undefined && (await waitForEvent(ctx, inbox, () => events() > after, o.eventTimeoutMs));
  return {
    trigger: fired.captured,
    arrived: after > before,
    ...(undo === undefined ? {} : { undo }),
    controlArrived,
  };
}

/** Pumps the inbox until `done` or the timeout. */
async function waitForEvent(
  ctx: SuiteContext,
  inbox: Inbox,
  done: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const end = ctx.now() + timeoutMs;
  for (;;) {
    await inbox.pump();
    if (done()) return true;
    if (ctx.now() >= end) return false;
    await ctx.sleep(50);
  }
}

export const statusModule = defineModule<SsfTransmitterOptions, StatusCapture>({
  id: 'status',
  title: 'Stream status: read, update, paused holds, disabled drops',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    const url = requireEndpoint(d, 'configuration_endpoint');
    const statusUrl = requireEndpoint(d, 'status_endpoint');
    const verifyUrl = requireEndpoint(d, 'verification_endpoint');
    let inbox: Inbox;
    let create: Captured;
    if (deliveryWanted(d, o, 'push')) {
      const receiver = new PushReceiver(ctx);
      await receiver.serve();
      const slot = nonce();
      create = await createStream(ctx, url, o.token, {
        description: 'ssf-lab conformance: status',
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(slot) },
      });
      inbox = pushInbox(ctx, receiver, slot);
    } else if (deliveryWanted(d, o, 'poll')) {
      create = await createStream(ctx, url, o.token, { description: 'ssf-lab conformance: status' });
      const endpoint =
        isJsonObject(create.body) && isJsonObject(create.body.delivery)
          ? create.body.delivery.endpoint_url
          : undefined;
      if (typeof endpoint !== 'string') throw new SkipModule('the poll stream has no endpoint_url');
      inbox = pollInbox(ctx, endpoint, o.token);
    } else throw new SkipModule('neither push nor poll is graded');
    const streamId = streamIdOf(create.body);
    if (streamId === undefined)
      throw new SkipModule(`no stream could be created (HTTP ${create.status}); see the streams module`, {
        blockedBy: 'transmitter-create-answers-201',
      });
    const read = await call(ctx, {
      method: 'GET',
      url: statusUrl,
      token: o.token,
      query: { stream_id: streamId },
    });
    const readUnknown = await call(ctx, {
      method: 'GET',
      url: statusUrl,
      token: o.token,
      query: { stream_id: `ssf-lab-unknown-${nonce()}` },
    });
    const updates: { requested: StreamStatusValue; response: Captured }[] = [];
    const setStatus = async (status: StreamStatusValue): Promise<void> => {
      const response = await call(ctx, {
        method: 'POST',
        url: statusUrl,
        token: o.token,
        body: { stream_id: streamId, status },
      });
      updates.push({ requested: status, response });
    };
    const verify = (state: string): Promise<Captured> =>
      call(ctx, { method: 'POST', url: verifyUrl, token: o.token, body: { stream_id: streamId, state } });
    const arrived = (state: string): boolean => inbox.arrivals().some((a) => a.state === state);

    await setStatus('paused');
    const p = nonce();
    const pv = await verify(p);
    await inbox.watch(o.quietWindowMs);
    const arrivedWhilePaused = arrived(p);
    await setStatus('enabled');
    const arrivedAfterEnable = verifiedOk(pv) ? await inbox.waitForState(p, o.eventTimeoutMs) : false;

    await setStatus('disabled');
    const dState = nonce();
    const dv = await verify(dState);
    await inbox.watch(o.quietWindowMs);
    await setStatus('enabled');
    await inbox.watch(o.quietWindowMs);
    const triggered =
      !verifiedOk(dv) && o.eventTrigger !== undefined
        ? await triggerWhileDisabled(ctx, o.eventTrigger, inbox, setStatus, o)
        : undefined;
    const capture: { -readonly [K in keyof StatusCapture]: StatusCapture[K] } = {
      streamId,
      read,
      readUnknown,
      updates,
      paused: { verify: pv, arrivedWhilePaused, arrivedAfterEnable },
      disabled: { verify: dv, arrived: arrived(dState), ...(triggered === undefined ? {} : { triggered }) },
      sets: [],
    };
    if (!verifiedOk(dv)) {
      await setStatus('paused');
      const h = nonce();
      const hv = await verify(h);
      await inbox.watch(Math.min(200, o.quietWindowMs));
      await setStatus('disabled');
      await setStatus('enabled');
      await inbox.watch(o.quietWindowMs);
      capture.heldThenDisabled = { verify: hv, arrived: arrived(h) };
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
    capture.sets = sets;
    return capture;
  },
  checks: statusChecks,
});
