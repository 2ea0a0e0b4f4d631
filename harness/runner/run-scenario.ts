/**
 * Runs one scenario end to end against a target (a lab ssf-lab starts for the run by default, or a running
 * lab named by its manifest): runs the seed's configuration where ssf-lab started the lab and the scenario
 * does not opt out, runs the steps through the services' public APIs and the lab's `/_lab/` controls, lets
 * the lab settle, captures what the expectations need, and judges it with the scenario checks
 * (suites/scenarios) — one module of the certification record, carrying its steps, exchanges, System Log
 * and logouts as its story. Nothing throws for a scenario that fails: a failed step or check is in the
 * module, with what differed.
 */
import { applyLedgerToPlans, judge, verdictOf } from '../../suites/core/index.ts';
import { APP_NAMES, scenarioChecks } from '../../suites/scenarios/index.ts';
import { toolVersion } from '../config/package.ts';
import { StepFailedError } from '../lab/index.ts';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type CheckResult,
  type ExchangeRecord,
  type LedgerEntry,
  type LogoutRecord,
  type ModuleResult,
  type SetDeliveryRecord,
  type StepRecord,
  type SystemLogEntry,
} from '../records/index.ts';
import { captureScenario } from './capture.ts';
import { RunContext } from './context.ts';
import { checkScenario } from './load-scenario.ts';
import { type LogEvent, readSystemLog, summarize } from './okta-log.ts';
import type { Scenario, Step } from './scenario.ts';
import { stepKind } from './scenario.ts';
import { resolveThreat, runStep } from './steps.ts';
import { type LabTargetOptions, labTarget, type RunTarget } from './target.ts';

/** The plan name scenario modules carry in the record. */
export const SCENARIO_PLAN = 'scenarios';

export type RunEvent =
  | { readonly type: 'setup'; readonly title: string; readonly elapsedMs: number }
  | {
      readonly type: 'step';
      readonly phase: 'start' | 'end';
      readonly step: StepRecord | { index: number; kind: string; title: string };
      readonly elapsedMs: number;
    }
  | { readonly type: 'exchange'; readonly exchange: ExchangeRecord; readonly elapsedMs: number }
  | { readonly type: 'log'; readonly entry: SystemLogEntry; readonly elapsedMs: number }
  | { readonly type: 'check'; readonly result: CheckResult };

export interface RunOptions {
  /** Where to run: a lab ssf-lab starts (default, in-process) or a target made with labTarget/manifestTarget. */
  readonly target?: RunTarget | LabTargetOptions;
  /** Live events, for a narrator. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Where the scenario came from (kept in the record). */
  readonly file?: string;
}

const SETTLE_MS = 60_000;

/** A step in words, for the record and the narrator. */
export function describeStep(step: Step): string {
  if ('threat' in step)
    return `${step.threat.category} threat on ${step.threat.device}${step.threat.severity ? ` (${step.threat.severity})` : ''}`;
  if ('resolve' in step) return `resolve threat ${step.resolve.threat}`;
  if ('override' in step) return `override risk of ${step.override.device} to ${step.override.risk}`;
  if ('down' in step)
    return `${step.down.service}${step.down.path ? ` ${step.down.path}` : ''} ${step.down.status ? `answers ${step.down.status}` : 'stops answering'}`;
  if ('up' in step) return `${step.up.service} is back`;
  if ('wait' in step)
    return `wait until ${JSON.stringify(step.wait.until)}${step.wait.within ? ` (within ${step.wait.within})` : ''}`;
  if ('advance' in step) return `let ${step.advance} of lab time pass`;
  if ('call' in step) return `${step.call.method ?? 'GET'} ${step.call.service} ${step.call.path}`;
  if ('configure' in step) return "the seed's configuration";
  return `a forged ${step.forge.level} device-risk-change SET for ${step.forge.device}, pushed to Okta`;
}

export async function logoutsOf(ctx: RunContext): Promise<LogoutRecord[]> {
  const out: LogoutRecord[] = [];
  if (!ctx.target.labControls) return out;
  for (const app of APP_NAMES) {
    if (!ctx.target.manifest.apps.some((a) => a.kind === app)) continue;
    const answer = await ctx.call(app, `${app}: GTR requests`, '/_lab/gtr-requests');
    const requests =
      (
        answer.body as
          | { requests?: { at: string; status: number; outcome: string; user?: string }[] }
          | undefined
      )?.requests ?? [];
    // The run's own logouts: a running lab keeps every earlier one (a previous run, the console).
    for (const r of requests)
      if (!(Date.parse(r.at) < ctx.startedAt))
        out.push({ app, status: r.status, outcome: r.outcome, user: r.user ?? null, at: r.at });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** Where every SET JSC made ended up (`GET /_lab/sets`), in a lab only: nothing lost silently. */
export async function deliveriesOf(ctx: RunContext): Promise<SetDeliveryRecord[]> {
  if (!ctx.target.labControls) return [];
  const answer = await ctx.call(
    'jamf-security-cloud',
    'JSC: SETs and where they are',
    '/_lab/sets?limit=1000',
  );
  const sets =
    (
      answer.body as
        | {
            sets?: {
              jti: string;
              streamId: string;
              eventType: string;
              state: string;
              reason?: string;
              attempts?: unknown[];
              createdAt: string;
              updatedAt: string;
            }[];
          }
        | undefined
    )?.sets ?? [];
  return sets.map((s) => ({
    jti: s.jti,
    streamId: s.streamId,
    eventType: s.eventType,
    state: s.state,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    attempts: s.attempts?.length ?? 0,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  }));
}

/**
 * Tails Okta's System Log for the narrator: new events since the last look, by uuid. `tail()` looks again
 * (once more after a look in progress, so nothing written meanwhile waits for the next trigger); `catchUp`
 * tells whatever a final read holds that no look has told yet — so the story is whole even when a look
 * failed.
 */
function logTail(
  ctx: RunContext,
  emit: (entry: SystemLogEntry) => void,
): { tail: () => Promise<void>; catchUp: (events: readonly LogEvent[]) => void } {
  const seen = new Set<string>();
  const tell = (events: readonly LogEvent[]): void => {
    for (const e of events) {
      if (seen.has(e.uuid)) continue;
      seen.add(e.uuid);
      emit(summarize(e));
    }
  };
  let running: Promise<void> | undefined;
  let again = false;
  const look = async (): Promise<void> => {
    do {
      again = false;
      const events = await readSystemLog(ctx, true).catch(() => []);
      // What the services did up to now is told first: the SET Okta acted on comes before what Okta
      // wrote about it, never after (its exchange may complete just after Okta logs it).
      await ctx.poll().catch(() => undefined);
      tell(events);
    } while (again);
  };
  const tail = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = look().finally(() => {
      running = undefined;
    });
    return running;
  };
  return { tail, catchUp: tell };
}

/** Undoes what the run left in a target that outlives it: its faults and the threats it raised. */
async function tidyUp(ctx: RunContext): Promise<void> {
  for (const service of ctx.faults)
    await ctx
      .control('tidy up: fault', `/_lab/faults/${service}`, { method: 'DELETE' })
      .catch(() => undefined);
  for (const id of ctx.openThreats) await resolveThreat(ctx, id).catch(() => undefined);
}

function isTarget(t: RunTarget | LabTargetOptions | undefined): t is RunTarget {
  return t !== undefined && 'manifest' in t;
}

/** Runs one scenario into one module of the certification record (plan `scenarios`). */
export async function runScenarioModule(scenario: Scenario, options: RunOptions = {}): Promise<ModuleResult> {
  checkScenario(scenario);
  const emit = options.onEvent ?? (() => undefined);
  const realStart = performance.now();
  const elapsed = (): number => Math.round(performance.now() - realStart);
  const startedAt = new Date().toISOString();
  const id = scenario.id ?? scenario.name;
  const own = !isTarget(options.target);
  const target = isTarget(options.target)
    ? options.target
    : await labTarget({
        ...options.target,
        seed: scenario.setup?.seed ?? 1,
        devices: scenario.setup?.devices ?? 12,
      });
  const steps: StepRecord[] = [];
  let checks: CheckResult[] = [];
  let exchanges: ExchangeRecord[] = [];
  let systemLog: SystemLogEntry[] = [];
  let logouts: LogoutRecord[] = [];
  let deliveries: SetDeliveryRecord[] = [];
  let moduleError: string | undefined;
  try {
    let setupError: string | undefined;
    if (target.configure !== undefined && scenario.setup?.configure !== false) {
      try {
        await target.configure({
          ...(scenario.setup?.activate === 'none' ? { activate: [] } : {}),
          onStep: (title) => emit({ type: 'setup', title, elapsedMs: elapsed() }),
        });
      } catch (error) {
        setupError = (error as Error).message;
      }
    }
    const ctx = new RunContext(target);
    await ctx.skipSetUp();
    const { tail, catchUp } = logTail(ctx, (entry) => emit({ type: 'log', entry, elapsedMs: elapsed() }));
    ctx.onServiceExchange = (exchange) => {
      emit({ type: 'exchange', exchange, elapsedMs: elapsed() });
      if (exchange.from === 'okta' || exchange.to === 'okta') void tail();
    };
    const unsubscribe = ctx.own.subscribe((exchange) =>
      emit({ type: 'exchange', exchange, elapsedMs: elapsed() }),
    );
    try {
      if (setupError !== undefined) {
        steps.push({
          index: -1,
          kind: 'setup',
          title: "the seed's configuration",
          startedMs: 0,
          durationMs: 0,
          ok: false,
          error: setupError,
        });
      } else {
        ctx.startedReal = performance.now();
        for (const [index, step] of scenario.steps.entries()) {
          const title = describeStep(step);
          const kind = stepKind(step);
          emit({ type: 'step', phase: 'start', step: { index, kind, title }, elapsedMs: elapsed() });
          const started = performance.now();
          let error: string | undefined;
          try {
            await runStep(ctx, step, (sub) => emit({ type: 'setup', title: sub, elapsedMs: elapsed() }));
            await ctx.poll();
          } catch (e) {
            error = (e as Error).message;
          }
          const record: StepRecord = {
            index,
            kind,
            title,
            startedMs: Math.round(started - ctx.startedReal),
            durationMs: Math.round(performance.now() - started),
            ok: error === undefined,
            ...(error === undefined ? {} : { error }),
          };
          steps.push(record);
          emit({ type: 'step', phase: 'end', step: record, elapsedMs: elapsed() });
          if (error !== undefined) break;
        }
        // Let what the steps started finish (pushes, retries, policy actions) before judging.
        await runStep(ctx, { wait: { until: { idle: true }, within: SETTLE_MS } }).catch(() => undefined);
        await tail();
      }
      const log: LogEvent[] = await readSystemLog(ctx).catch(() => []);
      catchUp(log);
      const module = {
        id,
        title: scenario.name,
        run: async () => undefined,
        checks: scenarioChecks(scenario.expect),
      };
      const captured = await captureScenario(ctx, scenario.expect, log);
      checks = judge(SCENARIO_PLAN, module, captured);
      for (const result of checks) emit({ type: 'check', result });
      systemLog = log.map(summarize);
      logouts = await logoutsOf(ctx).catch(() => []);
      deliveries = await deliveriesOf(ctx).catch(() => []);
      exchanges = ctx.exchanges();
    } finally {
      unsubscribe();
      ctx.onServiceExchange = undefined;
      if (!own) await tidyUp(ctx);
    }
  } catch (error) {
    moduleError = error instanceof StepFailedError ? error.message : (error as Error).message;
  } finally {
    if (own) await target.close();
  }
  const failedStep = steps.find((s) => !s.ok);
  return {
    id,
    title: scenario.name,
    plan: SCENARIO_PLAN,
    startedAt,
    durationMs: elapsed(),
    // A step that could not be taken leaves nothing to judge honestly: the module is in error.
    ...(moduleError !== undefined
      ? { error: moduleError }
      : failedStep !== undefined
        ? { error: `step ${failedStep.index + 1} (${failedStep.title}) failed: ${failedStep.error}` }
        : {}),
    cleanup: [],
    exchanges,
    checks:
      moduleError === undefined && failedStep === undefined
        ? checks
        : // Like a plan module whose run threw: what a failed step left cannot pass. Failures stay, with
          // their findings — they say what the run saw.
          checks.map((c) =>
            c.status === 'passed'
              ? {
                  ...c,
                  status: 'error',
                  reason: 'a step of the scenario failed, so this could not be judged',
                }
              : c,
          ),
    story: {
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      steps,
      systemLog,
      logouts,
      ...(deliveries.length === 0 ? {} : { deliveries }),
    },
  };
}

/** Whether a scenario module passed: every step ran and no check failed at MUST level or errored. */
export function modulePassed(module: ModuleResult): boolean {
  return module.error === undefined && verdictOf(module.checks);
}

/**
 * A certification record of scenario modules (plan `scenarios`), with the expected-failures ledger applied
 * over every module (an entry no finding matched is a ledger problem, as in a certification run).
 */
export function scenarioRecord(
  modules: readonly ModuleResult[],
  target: { readonly name: string; readonly kind: 'lab' | 'manifest' | 'file'; readonly file?: string },
  startedAt: string,
  durationMs: number,
  ledger: readonly LedgerEntry[] = [],
): CertificationRecord {
  const { plans, problems } = applyLedgerToPlans(
    [{ name: SCENARIO_PLAN, title: 'Scenarios', modules }],
    ledger,
  );
  const judged = plans[0]?.modules ?? [];
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: toolVersion() },
    target,
    startedAt,
    durationMs,
    dryRun: false,
    passed: judged.every(modulePassed) && problems.length === 0,
    plans,
    ledgerProblems: problems,
  };
}

/**
 * Runs one scenario into a certification record of its own: one plan (`scenarios`), one module. Where it
 * runs is `options.target` (a fresh in-process lab by default); `ledger` tolerates findings as a
 * certification run's ledger does.
 */
export async function runScenario(
  scenario: Scenario,
  options: RunOptions & { readonly ledger?: readonly LedgerEntry[] } = {},
): Promise<CertificationRecord> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const module = await runScenarioModule(scenario, options);
  const target = options.target;
  return scenarioRecord(
    [module],
    isTarget(target)
      ? { name: target.name, kind: target.kind, ...(target.file === undefined ? {} : { file: target.file }) }
      : { name: `lab (${target?.transport ?? 'in-process'})`, kind: 'lab' },
    startedAt,
    Math.round(performance.now() - started),
    options.ledger,
  );
}
