/**
 * The record of a running lab so far — what `GET /_lab/record` answers on `ssf-lab serve` and
 * `ssf-lab report --from` renders: one module, `session`, holding every exchange between the services
 * since the lab started (its timeline, redacted, SETs decoded), Okta's System Log as read back through its
 * API, each app's Universal Logout calls and where every SET the transmitter made ended up. It is read the
 * way a scenario's story is — through the manifest, the vendors' APIs and the documented `/_lab/` controls
 * — and it judges nothing: a session has no expectations, so the module has no checks.
 */
import { toolVersion } from '../config/package.ts';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type ModuleResult,
} from '../records/index.ts';
import { RunContext } from './context.ts';
import { readSystemLog, summarize } from './okta-log.ts';
import { deliveriesOf, logoutsOf } from './run-scenario.ts';
import type { RunTarget } from './target.ts';

/** The plan a session record's one module belongs to. */
export const SESSION_PLAN = 'session';

export interface SessionRecordOptions {
  /** When the lab started (ISO 8601): the System Log and the record count from here. */
  readonly startedAt: string;
  /** What the record names as its target (default the target's name). */
  readonly name?: string;
}

/** Everything the running lab behind `target` did since `startedAt`, as a certification record. */
export async function sessionRecord(
  target: RunTarget,
  options: SessionRecordOptions,
): Promise<CertificationRecord> {
  const started = Date.parse(options.startedAt);
  const ctx = new RunContext(target, { startedAt: started });
  await ctx.poll();
  // Before the reads below, which are this record's own calls, not the lab's.
  const exchanges = ctx.exchanges();
  const [log, logouts, deliveries] = await Promise.all([
    readSystemLog(ctx, true).catch(() => []),
    logoutsOf(ctx).catch(() => []),
    deliveriesOf(ctx).catch(() => []),
  ]);
  const durationMs = Math.max(0, Date.now() - started);
  const module: ModuleResult = {
    id: 'session',
    title: `${options.name ?? target.name}: the lab so far`,
    plan: SESSION_PLAN,
    startedAt: options.startedAt,
    durationMs,
    cleanup: [],
    exchanges,
    checks: [],
    story: {
      description:
        'Everything the lab did since it started: the services’ exchanges, Okta’s System Log, the apps’ Universal Logout calls and where each SET ended up. A record of what happened; nothing here is judged.',
      steps: [],
      systemLog: log.map(summarize),
      logouts,
      ...(deliveries.length === 0 ? {} : { deliveries }),
    },
  };
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: toolVersion() },
    target: {
      name: options.name ?? target.name,
      kind: target.kind,
      ...(target.file === undefined ? {} : { file: target.file }),
    },
    startedAt: options.startedAt,
    durationMs,
    dryRun: false,
    // Nothing was judged, so nothing failed.
    passed: true,
    plans: [{ name: SESSION_PLAN, title: 'The lab session', modules: [module] }],
    ledgerProblems: [],
  };
}
