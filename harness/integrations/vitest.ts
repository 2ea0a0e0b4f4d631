/**
 * `ssf-lab/vitest`: the conformance plans as vitest suites, so a vendor's own `vitest run` — with its
 * reporters, its CI annotations, its JUnit output — is its conformance run. One `describe` per plan and per
 * module, one `test` per check:
 * - a check that held passes;
 * - a MUST-level failure (level `failure`) or a check the harness could not judge fails its test;
 * - a SHOULD- or MAY-level finding, or one the expected-failures ledger tolerates, passes with an
 *   annotation (and a line on stderr) saying what was found;
 * - a check that did not apply is skipped, with the reason.
 *
 * The plans run once, in the background, in plan and module order; each module's tests wait for that
 * module to finish, so results appear as the run goes.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { scrubCredentials } from '../../reports/index.ts';
import { applyLedger, type CertifyEvent } from '../../suites/core/index.ts';
import {
  type CertificationPlan,
  type CertifyOptions,
  PLANS,
  type PlanInfo,
  prepareCertification,
  type TargetDefinition,
  writeReports,
} from '../certify/index.ts';
import { redactJson } from '../kernel/index.ts';
import type { CertificationRecord, CheckResult, LedgerEntry, ModuleResult } from '../records/index.ts';

export interface ConformanceSuiteOptions extends Omit<CertifyOptions, 'onProgress' | 'signal'> {
  /** The longest one module may take, in milliseconds (default 300 000). */
  readonly moduleTimeoutMs?: number;
  /** Also write junit.xml, certification.json, summary.md and report.html into this directory. */
  readonly reports?: string;
  /** Called with the record once every plan has run. */
  readonly onRecord?: (record: CertificationRecord) => void;
}

const DEFAULT_MODULE_TIMEOUT_MS = 300_000;

/** The plans a run will lay out, known before it starts (their options are checked when it starts). */
function plannedNames(options: ConformanceSuiteOptions): string[] {
  const known = PLANS.map((p) => p.name);
  const wanted = (names: readonly string[]): string[] =>
    known.filter((n) => names.includes(n) && (options.plans === undefined || options.plans.includes(n)));
  if (options.lab !== undefined) return wanted(PLANS.filter((p) => p.lab).map((p) => p.name));
  const target = options.target;
  if (typeof target === 'object' && target !== null)
    return wanted(Object.keys((target as TargetDefinition).plans ?? {}));
  if (typeof target === 'string' && existsSync(target)) {
    try {
      const parsed = JSON.parse(readFileSync(resolve(target), 'utf8')) as { plans?: Record<string, unknown> };
      return wanted(Object.keys(parsed.plans ?? {}));
    } catch {
      // Reported, with its line and column, when the run starts.
    }
  }
  return [];
}

function findingLines(check: CheckResult): string {
  return check.findings
    .map((f) => {
      const evidence =
        f.evidence === undefined
          ? ''
          : `\n    evidence: ${JSON.stringify(redactJson(f.evidence)).slice(0, 600)}`;
      return `  - ${f.message}${evidence}`;
    })
    .map(scrubCredentials)
    .join('\n');
}

const KEYWORD = { failure: 'MUST', warning: 'SHOULD', info: 'MAY' } as const;

/** An error whose stack is its message: the place in ssf-lab it was raised says nothing to the reader. */
function verdictError(message: string): Error {
  const error = new Error(message);
  error.name = 'ConformanceFailure';
  error.stack = `${error.name}: ${message}`;
  return error;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Lays out the plans as vitest suites and runs them against the target (a target file or object) or the
 * lab — call it at the top level of a test file, or inside a `describe`.
 *
 * @example
 * describeConformance({ target: 'ssf-lab.target.json', plans: ['ssf-receiver'] });
 */
export function describeConformance(options: ConformanceSuiteOptions): void {
  const names = plannedNames(options);
  const plans: PlanInfo[] = names.map((n) => PLANS.find((p) => p.name === n) as PlanInfo);
  const label =
    options.lab !== undefined
      ? 'the lab'
      : typeof options.target === 'string'
        ? options.target
        : (options.target?.name ?? 'target');
  const timeout = options.moduleTimeoutMs ?? DEFAULT_MODULE_TIMEOUT_MS;
  const modules = new Map<string, Deferred<ModuleResult | undefined>>();
  for (const p of plans) for (const m of p.modules) modules.set(`${p.name}/${m.id}`, deferred());
  const stop = new AbortController();
  let prepared: CertificationPlan | undefined;
  let running: Promise<CertificationRecord | undefined> | undefined;
  let failure: unknown;

  const onProgress = (event: CertifyEvent): void => {
    if (event.type === 'module-end')
      modules.get(`${event.result.plan}/${event.result.id}`)?.resolve(event.result);
  };

  describe(`ssf-lab conformance: ${label}`, () => {
    beforeAll(async () => {
      const { moduleTimeoutMs: _t, reports: _r, onRecord: _o, ...certifyOptions } = options;
      prepared = await prepareCertification({ ...certifyOptions, onProgress, signal: stop.signal });
      running = prepared.run().then(
        (record) => record,
        (error: unknown) => {
          failure = error;
          return undefined;
        },
      );
      // A module that never ends (the run failed, or the plan was not run) releases its tests.
      void running.then(() => {
        for (const d of modules.values()) d.resolve(undefined);
      });
    }, timeout);

    afterAll(async () => {
      stop.abort('the vitest run ended');
      const record = await running;
      if (record === undefined) return;
      options.onRecord?.(record);
      if (options.reports !== undefined) await writeReports(record, options.reports);
    }, timeout);

    if (plans.length === 0)
      test('the certification starts', async () => {
        await running;
        if (failure !== undefined) throw failure;
        throw verdictError(
          'no plan to run: the target names no plan this ssf-lab has (or none of those given in plans)',
        );
      });

    for (const plan of plans)
      describe(`${plan.name}: ${plan.title}`, () => {
        for (const module of plan.modules)
          describe(`${module.id}: ${module.title}`, () => {
            let result: ModuleResult | undefined;
            beforeAll(async () => {
              result = await modules.get(`${plan.name}/${module.id}`)?.promise;
              if (result !== undefined && prepared?.ledger !== undefined)
                result = { ...result, checks: applyLedger(result.checks, prepared.ledger).checks };
            }, timeout);

            for (const check of module.checks)
              test(`${check.id}: ${check.title}`, async (ctx) => {
                if (result === undefined) {
                  if (failure !== undefined) throw failure;
                  throw verdictError(`the module did not run${stop.signal.aborted ? ' (stopped)' : ''}`);
                }
                const got = result.checks.find((c) => c.id === check.id);
                if (got === undefined) throw verdictError(`the run has no result for ${check.id}`);
                // For machine readers (vitest's JSON reporter keeps a test's meta): the verdict as recorded.
                ctx.task.meta.ssfLab = {
                  check: got.id,
                  requirement: got.requirement,
                  level: got.level,
                  status: got.status,
                };
                const where = `[${got.requirement}, ${KEYWORD[got.level]}]`;
                switch (got.status) {
                  case 'passed':
                    return;
                  case 'skipped':
                    ctx.skip(scrubCredentials(got.reason ?? 'did not apply'));
                    return;
                  case 'error':
                    throw verdictError(
                      `${where} the harness could not judge this check: ${scrubCredentials(got.reason ?? '')}`,
                    );
                  case 'tolerated': {
                    const why = got.findings.map((f) => f.toleratedBecause ?? '').join('; ');
                    await ctx.annotate(scrubCredentials(`tolerated by the ledger (${why})`), 'notice');
                    return;
                  }
                  case 'failed': {
                    const text = `${where} ${check.title}\n${findingLines(got)}`;
                    if (got.level === 'failure') throw verdictError(text);
                    // A SHOULD or MAY finding is reported, never a failure: as an annotation (JUnit, the
                    // GitHub reporter) and on stderr, which every reporter shows under the test's name.
                    await ctx.annotate(text, 'warning');
                    // biome-ignore lint/suspicious/noConsole: vitest shows a test's console output with its name
                    console.warn(`⚠ ${text}`);
                    return;
                  }
                }
              });
          });
      });

    if (
      options.ledger !== undefined ||
      typeof options.target === 'string' ||
      (typeof options.target === 'object' && options.target.ledger !== undefined)
    )
      test('every expected-failures ledger entry matched a finding', async (ctx) => {
        const record = await running;
        if (record === undefined) throw failure ?? verdictError('the certification did not finish');
        if (prepared?.ledger === undefined) ctx.skip('no ledger');
        if (record.ledgerProblems.length > 0)
          throw verdictError(record.ledgerProblems.map((p) => scrubCredentials(p.message)).join('\n'));
      });
  });
}

export type { LedgerEntry, TargetDefinition };

/** What each conformance test carries in its `meta` (vitest's JSON reporter writes it out). */
export interface ConformanceTestMeta {
  readonly check: string;
  readonly requirement: string;
  readonly level: CheckResult['level'];
  readonly status: CheckResult['status'];
}

declare module 'vitest' {
  interface TaskMeta {
    /** Set by `ssf-lab/vitest` on each conformance test. */
    ssfLab?: ConformanceTestMeta;
  }
}
