/**
 * Runs plans against one target: each module's `run` talks to the target through a context, its share
 * of the timeline is kept, then each check judges the capture — purely — into a verdict. Cleanup
 * registered by a module runs when the module ends, also when it throws or the run is stopped.
 */
import { REQUIREMENTS } from '../../harness/protocol/index.ts';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type CheckResult,
  type ExchangeRecord,
  type LedgerEntry,
  type ModuleResult,
  type PlanResult,
  type SuiteFinding,
} from '../../harness/records/index.ts';
import { isSkip } from './check.ts';
import type { SuiteContext } from './context.ts';
import { applyLedgerToPlans } from './ledger.ts';
import { type Module, type Plan, SkipModule } from './module.ts';

export interface PlanRun {
  // biome-ignore lint/suspicious/noExplicitAny: each plan has its own options type
  readonly plan: Plan<any>;
  readonly options: unknown;
}

/** Live progress, for `ssf-lab certify`. */
export type CertifyEvent =
  | { readonly type: 'module-start'; readonly plan: string; readonly module: string; readonly title: string }
  | { readonly type: 'module-end'; readonly result: ModuleResult }
  | { readonly type: 'progress'; readonly line: string };

export interface RunPlansOptions {
  readonly target: CertificationRecord['target'];
  readonly toolVersion: string;
  readonly dryRun?: boolean;
  readonly ledger?: readonly LedgerEntry[];
  readonly onEvent?: (event: CertifyEvent) => void;
  /** The context for one module; `intend`, `defer` and `progress` are supplied here. */
  readonly context: Omit<SuiteContext, 'intend' | 'defer' | 'progress'>;
}

/** How long one undo step may take (it runs also after the run was stopped). */
export const CLEANUP_TIMEOUT_MS = 15_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Judges a capture with every check of a module. */
export function judge(
  plan: string,
  // biome-ignore lint/suspicious/noExplicitAny: any capture type
  module: Module<any, any>,
  captured: unknown,
): CheckResult[] {
  return module.checks.map((check): CheckResult => {
    const requirement = REQUIREMENTS[check.requirement];
    const base = {
      id: check.id,
      title: check.title,
      plan,
      module: module.id,
      requirement: check.requirement,
      level: requirement.level,
    };
    let verdict: ReturnType<typeof check.evaluate>;
    try {
      verdict = check.evaluate(captured);
    } catch (error) {
      return { ...base, status: 'error', findings: [], reason: `the check threw: ${message(error)}` };
    }
    if (isSkip(verdict)) return { ...base, status: 'skipped', findings: [], reason: verdict.skip };
    const findings = verdict.map(
      (p): SuiteFinding => ({
        check: check.id,
        requirement: check.requirement,
        level: requirement.level,
        message: p.message,
        ...(p.evidence === undefined ? {} : { evidence: p.evidence }),
      }),
    );
    return { ...base, status: findings.length === 0 ? 'passed' : 'failed', findings };
  });
}

async function runModule(
  plan: string,
  // biome-ignore lint/suspicious/noExplicitAny: any capture type
  module: Module<any, any>,
  options: unknown,
  run: RunPlansOptions,
): Promise<ModuleResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const firstSeq = run.context.timeline.nextSeq;
  const undo: { what: string; undo: () => Promise<void> }[] = [];
  const intended: string[] = [];
  // While undoing, `ctx.signal` is a fresh one with its own time limit: a stopped run (Ctrl-C) must still
  // reach the target to delete what it created, and undo steps pass ctx.signal like every request.
  let cleanupSignal: AbortSignal | undefined;
  const ctx: SuiteContext = {
    ...run.context,
    get signal() {
      return cleanupSignal ?? run.context.signal;
    },
    intend: (what) => {
      intended.push(what);
      if (run.dryRun) run.onEvent?.({ type: 'progress', line: `would: ${what}` });
      return !run.dryRun;
    },
    defer: (what, fn) => {
      undo.push({ what, undo: fn });
    },
    progress: (line) => run.onEvent?.({ type: 'progress', line }),
  };
  let captured: unknown;
  let error: string | undefined;
  let skipped: string | undefined;
  try {
    captured = await module.run(ctx, options);
  } catch (e) {
    if (e instanceof SkipModule) skipped = e.message;
    else error = message(e);
  }
  const cleanup: { what: string; ok: boolean; error?: string }[] = [];
  for (const { what, undo: fn } of undo.reverse()) {
    cleanupSignal = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
    try {
      await fn();
      cleanup.push({ what, ok: true });
    } catch (e) {
      cleanup.push({ what, ok: false, error: message(e) });
    }
  }
  if (run.dryRun && skipped === undefined && error === undefined && intended.length > 0)
    skipped = `dry run: would ${intended.join('; ')}`;
  const exchanges: ExchangeRecord[] = run.context.timeline.since(firstSeq);
  const checks: CheckResult[] =
    error !== undefined || skipped !== undefined
      ? module.checks.map((check) => ({
          id: check.id,
          title: check.title,
          plan,
          module: module.id,
          requirement: check.requirement,
          level: REQUIREMENTS[check.requirement].level,
          status: error !== undefined ? 'error' : 'skipped',
          findings: [],
          reason: error ?? skipped ?? '',
        }))
      : judge(plan, module, captured);
  return {
    id: module.id,
    title: module.title,
    plan,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
    ...(skipped === undefined ? {} : { skipped }),
    cleanup,
    exchanges,
    checks,
  };
}

/** Whether a set of checks lets the run pass: no failure-level finding outside the ledger, no error. */
export function verdictOf(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.status !== 'error' && (c.status !== 'failed' || c.level !== 'failure'));
}

export async function runPlans(
  plans: readonly PlanRun[],
  options: RunPlansOptions,
): Promise<CertificationRecord> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: PlanResult[] = [];
  for (const { plan, options: planOptions } of plans) {
    const modules: ModuleResult[] = [];
    for (const module of plan.modules) {
      if (options.context.signal.aborted) break;
      options.onEvent?.({ type: 'module-start', plan: plan.name, module: module.id, title: module.title });
      const result = await runModule(plan.name, module, planOptions, options);
      modules.push(result);
      options.onEvent?.({ type: 'module-end', result });
    }
    results.push({ name: plan.name, title: plan.title, modules });
  }
  // The ledger is applied over the whole run, so an entry used by any plan counts as matched.
  const { plans: plansOut, problems } = applyLedgerToPlans(results, options.ledger ?? []);
  const checks = plansOut.flatMap((p) => p.modules.flatMap((m) => m.checks));
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: options.toolVersion },
    target: options.target,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    dryRun: options.dryRun ?? false,
    passed: verdictOf(checks) && problems.length === 0 && !options.context.signal.aborted,
    plans: plansOut,
    ledgerProblems: problems,
  };
}
