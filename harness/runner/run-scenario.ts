/**
 * Runs one scenario end to end: starts a lab (in-process or loopback) on virtual time, runs the seed's
 * configuration unless the scenario opts out, runs the steps through the services' public APIs, lets the
 * lab settle, checks the expectations, and returns the run record. Nothing throws for a scenario that
 * fails — a failed step or expectation is in the record, with what differed.
 */

import { toolVersion } from '../config/package.ts';

import { configureSeed, type LabTransport, startLab } from '../lab/index.ts';
import {
  type ExchangeRecord,
  type ExpectationResult,
  type LogoutRecord,
  RUN_RECORD_SCHEMA,
  type RunRecord,
  type StepRecord,
  type SystemLogEntry,
} from '../protocol/index.ts';
import { VirtualScheduler } from '../ssf/index.ts';
import { RunContext } from './context.ts';
import { checkExpectations } from './expectations.ts';
import { checkScenario } from './load-scenario.ts';
import { readSystemLog, summarize } from './okta-log.ts';
import { type AppName, type Scenario, type Step, stepKind } from './scenario.ts';
import { runStep } from './steps.ts';

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
  | { readonly type: 'expectation'; readonly result: ExpectationResult };

export interface RunOptions {
  readonly transport?: LabTransport;
  /** Live events, for a narrator. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Where the scenario came from (kept in the record). */
  readonly file?: string;
}

const APPS: readonly AppName[] = ['salesforce', 'google-workspace', 'office365'];
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

async function logoutsOf(ctx: RunContext): Promise<LogoutRecord[]> {
  const out: LogoutRecord[] = [];
  for (const app of APPS) {
    const answer = await ctx.call(app, `${app}: GTR requests`, '/_lab/gtr-requests');
    const requests =
      (
        answer.body as
          | { requests?: { at: string; status: number; outcome: string; user?: string }[] }
          | undefined
      )?.requests ?? [];
    for (const r of requests)
      out.push({ app, status: r.status, outcome: r.outcome, user: r.user ?? null, at: r.at });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunRecord> {
  checkScenario(scenario);
  const transport = options.transport ?? 'in-process';
  const emit = options.onEvent ?? (() => undefined);
  const realStart = performance.now();
  const elapsed = (): number => Math.round(performance.now() - realStart);
  const startedAt = new Date().toISOString();
  const scheduler = new VirtualScheduler(Date.now());
  const lab = await startLab({
    transport,
    seed: scenario.setup?.seed ?? 1,
    devices: scenario.setup?.devices ?? 12,
    scheduler,
    intercept: false,
  });
  const steps: StepRecord[] = [];
  let expectations: ExpectationResult[] = [];
  let timeline: ExchangeRecord[] = [];
  let systemLog: SystemLogEntry[] = [];
  let logouts: LogoutRecord[] = [];
  let setupError: string | undefined;
  try {
    if (scenario.setup?.configure !== false) {
      try {
        await configureSeed(lab, {
          ...(scenario.setup?.activate === 'none' ? { activate: [] } : {}),
          onStep: (title) => emit({ type: 'setup', title, elapsedMs: elapsed() }),
        });
      } catch (error) {
        setupError = (error as Error).message;
      }
    }
    const ctx = new RunContext(lab, scheduler);
    const unsubscribe = lab.timeline.subscribe((exchange) => {
      ctx.completedReal.set(exchange.seq, performance.now());
      if (exchange.from !== 'harness') ctx.serviceExchanges += 1;
      if (exchange.seq >= ctx.firstSeq) emit({ type: 'exchange', exchange, elapsedMs: elapsed() });
    });
    const unsubscribeLog = lab.okta.org.systemLog.subscribe((event) =>
      emit({ type: 'log', entry: summarize(event as never), elapsedMs: elapsed() }),
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
        for (const [index, step] of scenario.steps.entries()) {
          const title = describeStep(step);
          const kind = stepKind(step);
          emit({ type: 'step', phase: 'start', step: { index, kind, title }, elapsedMs: elapsed() });
          const started = performance.now();
          let error: string | undefined;
          try {
            await runStep(ctx, step, (sub) => emit({ type: 'setup', title: sub, elapsedMs: elapsed() }));
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
      }
      expectations = await checkExpectations(ctx, scenario.expect);
      for (const result of expectations) emit({ type: 'expectation', result });
      timeline = [...ctx.exchanges()];
      systemLog = (await readSystemLog(ctx)).map(summarize);
      logouts = await logoutsOf(ctx);
    } finally {
      unsubscribe();
      unsubscribeLog();
    }
  } finally {
    await lab.close();
  }
  const passed = steps.every((s) => s.ok) && expectations.every((e) => e.ok);
  return {
    schema: RUN_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: toolVersion() },
    scenario: {
      id: scenario.id ?? scenario.name,
      name: scenario.name,
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      ...(options.file === undefined ? {} : { file: options.file }),
    },
    transport,
    startedAt,
    durationMs: elapsed(),
    passed,
    steps,
    expectations,
    timeline,
    systemLog,
    logouts,
  };
}
