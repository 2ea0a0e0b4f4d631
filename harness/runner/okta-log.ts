/**
 * Reading Okta's System Log back through `GET /api/v1/logs`, as an admin tool would: a bounded query
 * (`since` … `until`), oldest first, following `Link: rel="next"` pages; and the summary a scenario
 * module's story keeps of each event.
 */
import type { SystemLogEntry } from '../records/index.ts';
import type { RunContext } from './context.ts';

export interface LogEvent {
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly displayMessage: string | null;
  readonly outcome: { readonly result: string | null; readonly reason?: string | null } | null;
  readonly actor: {
    readonly id: string;
    readonly alternateId: string | null;
    readonly displayName: string | null;
  } | null;
  readonly target:
    | readonly {
        readonly id: string;
        readonly type: string;
        readonly alternateId: string | null;
        readonly displayName: string | null;
        readonly detailEntry?: Record<string, unknown> | null;
      }[]
    | null;
  readonly debugContext: { readonly debugData: Record<string, unknown> | null } | null;
}

const PAGE = 1000;
const MAX_PAGES = 20;

/**
 * Every event from the run's start until now, oldest first. `peek`: read without recording it in the run
 * (the narrator's tail).
 */
export async function readSystemLog(ctx: RunContext, peek = false): Promise<LogEvent[]> {
  const since = ctx.logSince;
  // A minute past now: under a virtual clock the lab's org stamps each event a millisecond after the last,
  // so a burst (the set-up's sign-ins) runs its `published` times ahead of the clock for a while.
  const until = new Date(ctx.target.clock.now() + 60_000).toISOString();
  let path = `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&sortOrder=ASCENDING&limit=${PAGE}`;
  const out: LogEvent[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = peek
      ? await ctx.peek('okta', 'okta: System Log', path)
      : await ctx.call('okta', 'okta: System Log', path);
    const events = Array.isArray(answer.body) ? (answer.body as LogEvent[]) : [];
    out.push(...events);
    const next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
    if (!next || events.length === 0) break;
    const url = new URL(next);
    path = `${url.pathname}${url.search}`;
  }
  return out;
}

export function traceOf(event: LogEvent): string | null {
  const trace = event.debugContext?.debugData?.TraceId ?? event.debugContext?.debugData?.traceId;
  return typeof trace === 'string' ? trace : null;
}

export function targetsUser(event: LogEvent, userId: string): boolean {
  return (event.target ?? []).some((t) => t.type === 'User' && t.id === userId);
}

/** The events of every signal (TraceId) that touched the user, in order. */
export function chainsOf(events: readonly LogEvent[], userId: string): LogEvent[] {
  const traces = new Set(
    events
      .filter((e) => targetsUser(e, userId))
      .map(traceOf)
      .filter((t): t is string => t !== null),
  );
  return events.filter((e) => {
    const trace = traceOf(e);
    return trace !== null && traces.has(trace);
  });
}

/** A `Risk` map value of Okta's debugData (`{previousLevel=LOW, level=HIGH, …}`). */
export function riskField(event: LogEvent, name: string): string | undefined {
  const risk = event.debugContext?.debugData?.Risk;
  if (typeof risk !== 'string') return undefined;
  return new RegExp(`(?:^|[{,\\s])${name}=([^,}]+)`).exec(risk)?.[1]?.trim();
}

export function summarize(event: LogEvent): SystemLogEntry {
  return {
    published: event.published,
    eventType: event.eventType,
    displayMessage: event.displayMessage,
    outcome: event.outcome?.result ?? null,
    actor: event.actor?.alternateId ?? event.actor?.displayName ?? null,
    targets: (event.target ?? []).map((t) => `${t.type}: ${t.displayName ?? t.alternateId ?? t.id}`),
    traceId: traceOf(event),
  };
}
