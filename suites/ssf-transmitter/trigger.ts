/**
 * The target's event trigger (`eventTrigger`): an HTTP request the harness sends to make the transmitter
 * emit a real event, and the request that undoes it afterwards. SSF gives a receiver no way to make a
 * transmitter emit anything but verification events, so this is the target's own test hook (the lab's:
 * `POST /_lab/threats`, undone by `DELETE /_lab/threats/{trigger.id}`). What the trigger leaves behind is
 * undone through `ctx.defer` whatever happens to the module, so nothing leaks into later plans.
 */
import { BODY_CAPS, readBodyText } from '../../harness/kernel/index.ts';
import { decodeSet, EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';
import type { EventTrigger, TriggerResolve } from './options.ts';
import type { Captured } from './wire.ts';

/** How long the harness waits for the hook's answer. */
const HOOK_TIMEOUT_MS = 10_000;

export interface Fired {
  /** The trigger's exchange as the checks see it (its body is not kept: a hook's answer is not graded). */
  readonly captured: Captured;
  readonly ok: boolean;
  /**
   * Sends the resolve request now rather than when the module ends (once: the deferred undo then reuses
   * its answer). Undefined when the trigger failed or no `resolve` is configured.
   */
  readonly undoNow?: () => Promise<Captured>;
}

/** The event types the harness asks for itself; any other is an event the trigger made. */
export const CONTROL_EVENT_TYPES: readonly string[] = [EVENT_URIS.verification, EVENT_URIS.streamUpdated];

/** The event types a SET carries. */
export function eventTypesOf(token: string): string[] {
  const events = decodeSet(token).payload?.events;
  return isJsonObject(events) ? Object.keys(events) : [];
}

/** Whether a SET carries an event other than verification or stream-updated (one a trigger made). */
export function isTriggeredEvent(eventTypes: readonly string[]): boolean {
  return eventTypes.some((t) => !CONTROL_EVENT_TYPES.includes(t));
}

const PLACEHOLDER = /\{trigger\.([A-Za-z0-9_]+)\}/g;

/**
 * `{trigger.<member>}` in a string filled from the trigger's JSON answer (a top-level string or number);
 * URL-encoded where the string is a URL. A member the answer lacks throws: the undo would miss its target.
 */
function fill(text: string, answer: unknown, encode: boolean): string {
  const members = isJsonObject(answer) ? answer : {};
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    const value = members[name];
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(`the resolve request needs "${name}" from the trigger's answer, which has none`);
    return encode ? encodeURIComponent(String(value)) : String(value);
  });
}

function fillJson(value: unknown, answer: unknown): unknown {
  if (typeof value === 'string') return fill(value, answer, false);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, answer));
  if (isJsonObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, answer)]));
  return value;
}

/** The resolve request with its placeholders filled from the trigger's answer. */
export function resolveRequest(resolve: TriggerResolve, answer: unknown): TriggerResolve {
  return {
    method: resolve.method,
    url: fill(resolve.url, answer, true),
    ...(resolve.headers === undefined
      ? {}
      : {
          headers: Object.fromEntries(
            Object.entries(resolve.headers).map(([k, v]) => [k, fill(v, answer, false)]),
          ),
        }),
    ...(resolve.body === undefined ? {} : { body: fillJson(resolve.body, answer) }),
  };
}

type HookRequest = Pick<EventTrigger, 'url' | 'headers' | 'body'> & { readonly method: string };

async function send(ctx: SuiteContext, request: HookRequest): Promise<{ captured: Captured; json: unknown }> {
  try {
    const response = await ctx.fetch(request.url, {
      method: request.method,
      headers: {
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(HOOK_TIMEOUT_MS)]),
    });
    // Past BODY_CAPS.apiAnswer the answer is cancelled unread; the catch below records why.
    const text = await readBodyText(response, BODY_CAPS.apiAnswer);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { captured: { method: request.method, url: request.url, status: response.status }, json };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return {
      captured: { method: request.method, url: request.url, status: 0, error: (error as Error).message },
      json: undefined,
    };
  }
}

/**
 * Sends the trigger and, when it answered 2xx and a `resolve` is configured, defers the undo. A trigger
 * whose answer lacks what the resolve needs is undone by nobody: that throws, naming the member, so the
 * module errs instead of leaving a threat raised unseen.
 */
export async function fireTrigger(ctx: SuiteContext, trigger: EventTrigger): Promise<Fired> {
  const { captured, json } = await send(ctx, trigger);
  const ok = captured.status >= 200 && captured.status < 300;
  const resolve = trigger.resolve;
  if (!ok || resolve === undefined) return { captured, ok };
  const request = resolveRequest(resolve, json);
  let undone: Promise<Captured> | undefined;
  const undoNow = (): Promise<Captured> => {
    undone ??= send(ctx, request).then((r) => r.captured);
    return undone;
  };
  ctx.defer(`undo the event trigger (${request.method} ${request.url})`, async () => {
    const answer = await undoNow();
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(`the resolve request answered ${triggerAnswer(answer)}`);
  });
  return { captured, ok, undoNow };
}

/** How a trigger answered, in words. */
export function triggerAnswer(c: Captured): string {
  return c.status === 0 ? (c.error ?? 'nothing') : `HTTP ${c.status}`;
}
