/**
 * Where a module's stream delivers to, whatever the method: the harness's push endpoint (SETs arrive on
 * their own) or the stream's poll endpoint (the harness polls with returnImmediately and acknowledges
 * what it got). Either way the module sees one list of received SETs.
 */
import { decodeSet, EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';
import type { PushReceiver } from './receiver.ts';
import { type Captured, call, waitUntil } from './wire.ts';

export interface Arrival {
  readonly via: 'push' | 'poll';
  readonly token: string;
  readonly jti?: string;
  readonly state?: string | null;
  readonly at: number;
}

export function describeSet(token: string): { jti?: string; state?: string | null } {
  const payload = decodeSet(token).payload ?? {};
  const events = isJsonObject(payload.events) ? payload.events : {};
  const v = events[EVENT_URIS.verification];
  const state = isJsonObject(v) ? (typeof v.state === 'string' ? v.state : null) : undefined;
  return {
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    ...(state === undefined ? {} : { state }),
  };
}

export interface Inbox {
  readonly kind: 'push' | 'poll';
  /** Everything received so far, in order. */
  arrivals(): readonly Arrival[];
  /** Polls once (poll streams); nothing for push. */
  pump(): Promise<void>;
  /** Waits until a SET with this verification state arrived, pumping; false on timeout. */
  waitForState(state: string, timeoutMs: number): Promise<boolean>;
  /** Pumps for a while, so what should not arrive has its chance to. */
  watch(ms: number): Promise<void>;
  /** Poll exchanges made (poll streams). */
  readonly polls: Captured[];
}

export function pushInbox(ctx: SuiteContext, receiver: PushReceiver, slot: string): Inbox {
  const arrivals = (): Arrival[] =>
    receiver.pushes
      .filter((p) => p.slot === slot)
      .map((p) => ({
        via: 'push' as const,
        token: p.token,
        ...(p.jti === undefined ? {} : { jti: p.jti }),
        ...(p.state === undefined ? {} : { state: p.state }),
        at: p.at,
      }));
  return {
    kind: 'push',
    arrivals,
    pump: async () => undefined,
    waitForState: (state, timeoutMs) =>
      waitUntil(ctx, () => arrivals().some((a) => a.state === state), timeoutMs),
    watch: (ms) => ctx.sleep(ms),
    polls: [],
  };
}

export function pollInbox(ctx: SuiteContext, endpointUrl: string, token: string): Inbox {
  const got: Arrival[] = [];
  const polls: Captured[] = [];
  let pending: string[] = [];
  const pump = async (): Promise<void> => {
    const ack = pending;
    const response = await call(ctx, {
      method: 'POST',
      url: endpointUrl,
      token,
      body: { maxEvents: 20, returnImmediately: true, ...(ack.length > 0 ? { ack } : {}) },
    });
    polls.push(response);
    if (response.status !== 200) return;
    pending = [];
    const sets = isJsonObject(response.body) && isJsonObject(response.body.sets) ? response.body.sets : {};
    for (const [jti, set] of Object.entries(sets)) {
      if (typeof set !== 'string') continue;
      pending.push(jti);
      got.push({ via: 'poll', token: set, ...describeSet(set), at: ctx.now() });
    }
  };
  const until = async (done: () => boolean, ms: number): Promise<boolean> => {
    const end = ctx.now() + ms;
    for (;;) {
      await pump();
      if (done()) return true;
      if (ctx.now() >= end) return false;
      await ctx.sleep(100);
    }
  };
  return {
    kind: 'poll',
    arrivals: () => got,
    pump,
    waitForState: (state, timeoutMs) => until(() => got.some((a) => a.state === state), timeoutMs),
    watch: async (ms) => {
      await until(() => false, ms);
    },
    polls,
  };
}
