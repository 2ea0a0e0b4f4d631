/**
 * Runs plans against one target: each module's `run` talks to the target through a context, its share
 * of the timeline is kept, then each check judges the capture — purely — into a verdict. Cleanup
 * registered by a module runs when the module ends, also when it throws or the run is stopped.
 */
import { redactUrl } from '../../harness/kernel/index.ts';
import { REQUIREMENTS } from '../../harness/protocol/index.ts';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type CheckResult,
  type ExchangeRecord,
  type LedgerEntry,
  type ModuleResult,
  type PlanResult,
  passes,
  type SuiteFinding,
  tallyChecks,
  type UnreachableTarget,
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
  | {
      readonly type: 'module-end';
      readonly result: ModuleResult;
      /**
       * The plan's target could not be reached: this module and the plan's others are not run (each
       * still ends with its module-end, carrying this).
       */
      readonly unreachable?: UnreachableTarget;
    }
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

/** A check that judged something, and so can block others: it failed, or could not be judged. */
function stops(check: CheckResult): boolean {
  return check.status === 'failed' || check.status === 'error';
}

/**
 * Holds a module's blocked checks to what they claim: a check is blocked only by a check that failed —
 * in this module or one that ran before it. A check that names one that is itself blocked is blocked by
 * that one's blocker (the failure the user has to fix). Naming a check that did not fail (it passed,
 * skipped, or is unknown) makes it an ordinary skip, with its reason: it never hides behind a pass.
 */
export function settleBlocked(
  checks: readonly CheckResult[],
  earlier: readonly CheckResult[] = [],
): CheckResult[] {
  const find = (id: string): CheckResult | undefined =>
    checks.find((c) => c.id === id) ?? earlier.findLast((c) => c.id === id);
  return checks.map((check) => {
    if (check.blockedBy === undefined) return check;
    const seen = new Set<string>([check.id]);
    let by: CheckResult | undefined = find(check.blockedBy);
    while (by?.blockedBy !== undefined && !seen.has(by.id)) {
      seen.add(by.id);
      by = find(by.blockedBy);
    }
    if (by !== undefined && stops(by))
      return by.id === check.blockedBy ? check : { ...check, blockedBy: by.id };
    const { blockedBy: _unused, ...plain } = check;
    return plain;
  });
}

/**
 * Judges a capture with every check of a module. `earlier`: the checks of the modules that ran before
 * it, which a blocked check may name as its blocker.
 */
export function judge(
  plan: string,
  // biome-ignore lint/suspicious/noExplicitAny: any capture type
  module: Module<any, any>,
  captured: unknown,
  earlier: readonly CheckResult[] = [],
): CheckResult[] {
  return settleBlocked(judgeEach(plan, module, captured), earlier);
}

function judgeEach(
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
    if (isSkip(verdict))
      return {
        ...base,
        status: 'skipped',
        findings: [],
        reason: verdict.skip,
        ...(verdict.blockedBy === undefined ? {} : { blockedBy: verdict.blockedBy }),
        ...(verdict.inconclusive === true ? { inconclusive: true } : {}),
      };
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
  earlier: readonly CheckResult[],
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
  let blockedBy: string | undefined;
  try {
    captured = await module.run(ctx, options);
  } catch (e) {
    if (e instanceof SkipModule) {
      skipped = e.message;
      blockedBy = e.blockedBy;
    } else error = message(e);
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
      ? settleBlocked(
          module.checks.map((check) => ({
            id: check.id,
            title: check.title,
            plan,
            module: module.id,
            requirement: check.requirement,
            level: REQUIREMENTS[check.requirement].level,
            status: error !== undefined ? 'error' : 'skipped',
            findings: [],
            reason: error ?? skipped ?? '',
            ...(error === undefined && blockedBy !== undefined ? { blockedBy } : {}),
          })),
          earlier,
        )
      : judge(plan, module, captured, earlier);
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

/** Whether a set of checks lets the run pass: no failed check (a MUST-level finding outside the ledger), no error. */
export function verdictOf(checks: readonly CheckResult[]): boolean {
  return passes(tallyChecks(checks), { ledgerProblems: 0, unreachable: 0 });
}

/**
 * Watches a plan's requests to its target for one sign: the very first failed before any answer came
 * (connection refused, a name that does not resolve, a TLS failure) and nothing has answered since — the
 * target is not there at all, and every check would fail for that one reason.
 */
class Reachability {
  #first: { readonly url: string; failed?: string | undefined } | undefined;
  #answered = false;

  wrap(inner: typeof fetch, signal: () => AbortSignal): typeof fetch {
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const first: { readonly url: string; failed?: string } | undefined =
        this.#first === undefined ? { url } : undefined;
      if (first !== undefined) this.#first = first;
      try {
        const response = await inner(input, init);
        this.#answered = true;
        return response;
      } catch (error) {
        // A request the user stopped says nothing about the target.
        if (first !== undefined && !signal().aborted) first.failed = networkMessage(error);
        throw error;
      }
    };
  }

  /** The plan's target, when it could not be reached at all so far. */
  unreachable(plan: string): UnreachableTarget | undefined {
    const first = this.#first;
    if (first?.failed === undefined || this.#answered) return undefined;
    return { plan, url: redactUrl(first.url), message: first.failed };
  }
}

/** What a failed fetch says about the network, in words: Node's cause (`connect ECONNREFUSED …`) first. */
function networkMessage(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { message?: unknown; code?: unknown } | undefined) : undefined;
  if (cause !== undefined && typeof cause.message === 'string' && cause.message !== '')
    return typeof cause.code === 'string' && !cause.message.includes(cause.code)
      ? `${cause.code}: ${cause.message}`
      : cause.message;
  return message(error);
}

/** The reason each check of a plan whose target is unreachable is not run. */
function notRun(target: UnreachableTarget): string {
  return `not run: the target could not be reached at ${target.url} (${target.message})`;
}

/** A module's result with none of its checks run, for the reason given. */
function notRunModule(
  plan: string,
  // biome-ignore lint/suspicious/noExplicitAny: any capture type
  module: Module<any, any>,
  reason: string,
  ran?: ModuleResult,
): ModuleResult {
  const { error: _error, ...kept } = ran ?? {
    id: module.id,
    title: module.title,
    plan,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    cleanup: [],
    exchanges: [],
  };
  return {
    ...kept,
    skipped: reason,
    checks: module.checks.map((check) => ({
      id: check.id,
      title: check.title,
      plan,
      module: module.id,
      requirement: check.requirement,
      level: REQUIREMENTS[check.requirement].level,
      status: 'skipped',
      findings: [],
      reason,
    })),
  };
}

export async function runPlans(
  plans: readonly PlanRun[],
  options: RunPlansOptions,
): Promise<CertificationRecord> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: PlanResult[] = [];
  const unreachable: UnreachableTarget[] = [];
  const earlier: CheckResult[] = [];
  for (const { plan, options: planOptions } of plans) {
    const modules: ModuleResult[] = [];
    const reach = new Reachability();
    const run: RunPlansOptions = {
      ...options,
      context: {
        ...options.context,
        fetch: reach.wrap(options.context.fetch, () => options.context.signal),
      },
    };
    let down: UnreachableTarget | undefined;
    for (const module of plan.modules) {
      if (options.context.signal.aborted) break;
      if (down !== undefined) {
        // The rest of a plan whose target is not there is not run: each check would fail for that reason.
        const result = notRunModule(plan.name, module, notRun(down));
        modules.push(result);
        options.onEvent?.({ type: 'module-end', result, unreachable: down });
        continue;
      }
      options.onEvent?.({ type: 'module-start', plan: plan.name, module: module.id, title: module.title });
      let result = await runModule(plan.name, module, planOptions, run, earlier);
      down = reach.unreachable(plan.name);
      if (down !== undefined) {
        unreachable.push(down);
        result = notRunModule(plan.name, module, notRun(down), result);
      }
      modules.push(result);
      earlier.push(...result.checks);
      options.onEvent?.({ type: 'module-end', result, ...(down === undefined ? {} : { unreachable: down }) });
    }
    results.push({ name: plan.name, title: plan.title, modules });
  }
  // The ledger is applied over the whole run, so an entry used by any plan counts as matched.
  const { plans: plansOut, problems } = applyLedgerToPlans(results, options.ledger ?? []);
  const checks = plansOut.flatMap((p) => p.modules.flatMap((m) => m.checks));
  const counts = tallyChecks(checks);
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: options.toolVersion },
    target: options.target,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    dryRun: options.dryRun ?? false,
    passed:
      passes(counts, { ledgerProblems: problems.length, unreachable: unreachable.length }) &&
      !options.context.signal.aborted,
    plans: plansOut,
    ledgerProblems: problems,
    ...(unreachable.length === 0 ? {} : { unreachable }),
  };
}
