/**
 * Following a running lab live, as `ssf-lab serve --narrate` does: every moment (`intervalMs`) it reads
 * what the services did since the last look — the lab's timeline through `/_lab/timeline`, Okta's System
 * Log through `GET /api/v1/logs` from the last event seen — and hands each to `onEvent` as a run event,
 * the same events a scenario run gives its narrator. Exchanges come before the log events of the same
 * look (read after them), so a SET is told before what Okta did about it.
 */
import { RunContext } from './context.ts';
import { type LogEvent, summarize } from './okta-log.ts';
import type { RunEvent } from './run-scenario.ts';
import type { RunTarget } from './target.ts';

export interface FollowOptions {
  /** How often to look (default 500 ms). */
  readonly intervalMs?: number;
}

export interface Following {
  /** Stops following; resolves once the look in progress (if any) has ended. */
  stop(): Promise<void>;
}

/** Okta's System Log page size for one look. */
const LOG_PAGE = 1000;

export function followLab(
  target: RunTarget,
  onEvent: (event: RunEvent) => void,
  options: FollowOptions = {},
): Following {
  const ctx = new RunContext(target);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const seen = new Set<string>();
  let since = new Date(target.clock.now()).toISOString();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looking: Promise<void> = Promise.resolve();

  const look = async (): Promise<void> => {
    // The log first, then the timeline: every exchange that completed before the log was read is told
    // before it, so a SET comes before what Okta wrote about it even when its exchange completed last.
    const path = `/api/v1/logs?since=${encodeURIComponent(since)}&sortOrder=ASCENDING&limit=${LOG_PAGE}`;
    const answer = await ctx.peek('okta', 'okta: System Log', path);
    const events = Array.isArray(answer.body) ? (answer.body as LogEvent[]) : [];
    for (const exchange of await ctx.poll()) onEvent({ type: 'exchange', exchange, elapsedMs: elapsed() });
    for (const event of events) {
      if (seen.has(event.uuid)) continue;
      seen.add(event.uuid);
      since = event.published;
      onEvent({ type: 'log', entry: summarize(event), elapsedMs: elapsed() });
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      // A look that fails (the lab stopping under it) is tried again at the next moment.
      looking = look()
        .catch(() => undefined)
        .finally(schedule);
    }, options.intervalMs ?? 500);
  };
  // The set-up is not the story: start after what the lab already did.
  looking = ctx
    .skipSetUp()
    .catch(() => undefined)
    .finally(schedule);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await looking;
    },
  };
}
