/**
 * Certification from code: the engine behind `ssf-lab certify`, for a vendor's own scripts and test
 * runners. Everything is read and checked before anything runs — the target (a file or an object), the
 * plan names, the ledger — and a mistake throws a `HarnessError` naming what was wrong; a system under
 * test that deviates is never an exception, only findings in the returned record.
 */
import type { CertifyEvent } from '../../suites/core/index.ts';
import { loadLedger, parseLedger } from '../config/ledger.ts';
import { loadTarget, type Target, targetFromValue } from '../config/target.ts';
import { closestNames, Deviations, HarnessError } from '../kernel/index.ts';
import { LAB_DEVIATIONS } from '../lab/index.ts';
import type { CertificationRecord, LedgerEntry } from '../records/index.ts';
import { certifyLab, type PlanEntry } from './engine.ts';
import { PLAN_ENTRIES } from './plan-entries.ts';
import { certifyTarget, ledgerFor, targetRuns } from './target-run.ts';

/** A target given in code: what a target file holds (see docs/certify.md). */
export interface TargetDefinition {
  readonly name: string;
  readonly description?: string;
  /** Where the harness's own endpoints listen, and the public URL the target reaches them at. */
  readonly harness?: {
    readonly publicUrl?: string;
    readonly listenHost?: string;
    readonly listenPort?: number;
  };
  /** Each plan's options, by plan name (`ssf-receiver`, …); `{ env: 'NAME' }` reads an environment variable. */
  readonly plans: Readonly<Record<string, unknown>>;
  /** An expected-failures ledger file (relative to the working directory). */
  readonly ledger?: string;
}

/** The lab instead of a target: a fresh one per run, configured as at the end of the seed's set-up. */
export interface LabTargetOptions {
  /** `in-process` (default: no sockets) or `loopback` (127.0.0.1 ports). */
  readonly transport?: 'in-process' | 'loopback';
  /** Fleet seed (default 1). */
  readonly seed?: number;
  /** Fleet size (default 8). */
  readonly devices?: number;
  /**
   * Rules the lab's services break on purpose (docs/self-test.md lists each and the checks it makes fail):
   * certify a lab that deviates, to see a check fail end to end.
   */
  readonly deviations?: readonly string[];
  /**
   * Grade this lab service instead of a plan's default, where a running plan offers it: the ssf-receiver
   * plan grades the lab's strict SSF receiver, or with `okta` mock Okta's SET receiver.
   */
  readonly labTarget?: string;
}

export interface CertifyOptions {
  /** A target file's path, or the target itself. Exactly one of `target` and `lab`. */
  readonly target?: string | TargetDefinition;
  /** Grade the lab: `true`, or how to start it. */
  readonly lab?: true | LabTargetOptions;
  /** Run only these plans (default: every plan the target names, or every plan with a lab set-up). */
  readonly plans?: readonly string[];
  /** An expected-failures ledger: a file's path or its entries (default: the target's `ledger`). */
  readonly ledger?: string | readonly LedgerEntry[];
  /** Targets only: change nothing in the target, list what each module would create. */
  readonly dryRun?: boolean;
  /** Each module as it starts and ends, and progress lines (429 waits, what a dry run would do). */
  readonly onProgress?: (event: CertifyEvent) => void;
  /** Abort to stop: the module in progress is cut short, what it created is removed, the record is still returned. */
  readonly signal?: AbortSignal;
  /** Where `{ env: 'NAME' }` references are read from (default: the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a prepared run will grade, for a caller that announces it before it starts. */
export interface CertificationPlan {
  readonly kind: 'lab' | 'file' | 'code';
  readonly name: string;
  /** The target file, absolute, when there is one. */
  readonly file?: string;
  /** The plans that will run, in order. */
  readonly plans: readonly string[];
  readonly dryRun: boolean;
  /** The expected-failures ledger that will be applied, if any. */
  readonly ledger: readonly LedgerEntry[] | undefined;
  /** Runs it; call once. */
  run(): Promise<CertificationRecord>;
}

function usage(message: string): never {
  throw new HarnessError('ERR_USAGE', message);
}

/** The ids closest to a misspelt one (at most three), quoted. */
function closest(wrong: string, ids: readonly string[]): string[] {
  return closestNames(wrong, ids, 6);
}

/**
 * Refuses a ledger entry naming a check — or a module, when `modules` lists them — that does not exist:
 * a typo would otherwise surface as "matched no finding" and fail the run (exit 1) as if the system under
 * test were at fault. It is a bad file (exit 2), with the closest ids. `known` says whether an id is a
 * check's; `ids` are the check ids to suggest from.
 */
export function checkLedgerCheckIds(
  ledger: readonly LedgerEntry[] | undefined,
  known: (id: string) => boolean,
  ids: readonly string[],
  modules?: readonly string[],
): void {
  for (const [i, entry] of (ledger ?? []).entries()) {
    if (entry.check !== undefined && !known(entry.check)) {
      const close = closest(entry.check, ids);
      throw new HarnessError(
        'ERR_INPUT_INVALID',
        `ledger entry [${i}]: "${entry.check}" is no check of ssf-lab${close.length > 0 ? `; did you mean ${close.join(' or ')}?` : ' (ssf-lab checks --markdown lists them)'}`,
      );
    }
    if (entry.module !== undefined && modules !== undefined && !modules.includes(entry.module)) {
      const close = closest(entry.module, modules);
      throw new HarnessError(
        'ERR_INPUT_INVALID',
        `ledger entry [${i}]: "${entry.module}" is no module of ssf-lab${close.length > 0 ? `; did you mean ${close.join(' or ')}?` : ` (the modules are: ${modules.join(', ')})`}`,
      );
    }
  }
}

/** Every check id of the plans. */
function checkIdsOf(entries: readonly PlanEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.plan.modules.flatMap((m) => m.checks.map((c) => c.id))))];
}

/** Every module id of the plans. */
function moduleIdsOf(entries: readonly PlanEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.plan.modules.map((m) => m.id)))];
}

/** Refuses a plan name this ssf-lab does not have; `named` says how the caller gave it (`--plan X`). */
export function checkPlanNames(
  names: readonly string[] | undefined,
  entries: readonly PlanEntry[],
  named: (name: string) => string = (name) => `no such plan: "${name}"`,
): void {
  const known = entries.map((e) => e.plan.name);
  for (const name of names ?? []) {
    if (typeof name !== 'string' || name === '') usage('a plan name is a non-empty string');
    if (!known.includes(name)) usage(`${named(name)}; the plans are: ${known.join(', ') || 'none yet'}`);
  }
}

function schemasOf(entries: readonly PlanEntry[]): Record<string, object> {
  return Object.fromEntries(entries.map((e) => [e.plan.name, e.plan.optionsSchema]));
}

async function ledgerOf(
  ledger: CertifyOptions['ledger'],
  target: Target | undefined,
): Promise<LedgerEntry[] | undefined> {
  if (ledger === undefined) return target?.ledger === undefined ? undefined : await loadLedger(target.ledger);
  if (typeof ledger === 'string') {
    if (ledger === '') usage('ledger: a file path or an array of entries, not an empty string');
    return loadLedger(ledger);
  }
  if (!Array.isArray(ledger)) usage('ledger: a file path or an array of entries');
  // The same rules as a ledger file: a misspelt member or a duplicate entry is refused.
  return parseLedger(JSON.stringify(ledger, null, 2), 'ledger');
}

/**
 * Reads and checks everything a certification needs and returns what it will run; nothing is sent
 * until `run()`. `entries` substitutes the plans (tests).
 */
export async function prepareCertification(
  options: CertifyOptions,
  entries: readonly PlanEntry[] = PLAN_ENTRIES,
): Promise<CertificationPlan> {
  if (typeof options !== 'object' || options === null) usage('certify takes an options object');
  const { target: given, lab, plans, dryRun = false, signal } = options;
  if ((given === undefined) === (lab === undefined))
    usage('give exactly one of target (a target file or object) and lab');
  if (plans !== undefined && !Array.isArray(plans)) usage('plans: an array of plan names');
  checkPlanNames(plans, entries);
  const stop = signal ?? new AbortController().signal;
  const onEvent = options.onProgress;

  if (lab !== undefined) {
    if (dryRun) usage('dryRun applies to a target (the lab is created for the run and discarded after it)');
    const labOptions = lab === true ? {} : lab;
    const transport = labOptions.transport ?? 'in-process';
    if (transport !== 'in-process' && transport !== 'loopback')
      usage(`lab.transport must be "in-process" or "loopback", not ${JSON.stringify(transport)}`);
    const runnable = entries.filter((e) => e.lab !== undefined).map((e) => e.plan.name);
    for (const name of plans ?? [])
      if (!runnable.includes(name))
        usage(`plan ${name} has no lab set-up; run it against a target (a target file or object)`);
    if (runnable.length === 0) usage('nothing to run: no conformance plan has a lab set-up yet');
    const running = runnable.filter((n) => plans === undefined || plans.includes(n));
    // A misspelt deviation is a usage error before anything starts, never a lab that quietly complies.
    if (labOptions.deviations !== undefined) new Deviations(LAB_DEVIATIONS, labOptions.deviations);
    const labTarget = labOptions.labTarget;
    if (labTarget !== undefined) {
      const offered = entries
        .filter((e) => running.includes(e.plan.name))
        .flatMap((e) => Object.keys(e.labTargets ?? {}).map((t) => `${t} (${e.plan.name})`));
      if (!entries.some((e) => running.includes(e.plan.name) && e.labTargets?.[labTarget] !== undefined))
        usage(
          `no plan being run grades a lab target "${labTarget}"${offered.length > 0 ? `; the lab targets are: ${offered.join(', ')}` : ''}`,
        );
    }
    const ledger = await ledgerOf(options.ledger, undefined);
    const ids = checkIdsOf(entries);
    checkLedgerCheckIds(ledger, (id) => ids.includes(id), ids, moduleIdsOf(entries));
    return {
      kind: 'lab',
      name: `the lab (${transport})`,
      plans: running,
      dryRun: false,
      ledger,
      run: () =>
        certifyLab(entries, {
          transport,
          ...(plans === undefined ? {} : { plans }),
          ...(labOptions.seed === undefined ? {} : { seed: labOptions.seed }),
          ...(labOptions.devices === undefined ? {} : { devices: labOptions.devices }),
          ...(labOptions.deviations === undefined ? {} : { deviations: labOptions.deviations }),
          ...(labTarget === undefined ? {} : { labTarget }),
          ...(ledger === undefined ? {} : { ledger: ledgerFor(ledger, entries, running) }),
          ...(onEvent === undefined ? {} : { onEvent }),
          signal: stop,
        }),
    };
  }

  const schemas = schemasOf(entries);
  const env = options.env;
  let target: Target;
  if (typeof given === 'string') {
    if (given === '') usage('target: a file path or a target object, not an empty string');
    target = env === undefined ? await loadTarget(given, schemas) : await loadTarget(given, schemas, env);
  } else target = env === undefined ? targetFromValue(given, schemas) : targetFromValue(given, schemas, env);
  const ledger = await ledgerOf(options.ledger, target);
  const ids = checkIdsOf(entries);
  checkLedgerCheckIds(ledger, (id) => ids.includes(id), ids, moduleIdsOf(entries));
  // A plan the target has no section for is a usage error before anything runs.
  const runs = targetRuns(target, entries, plans);
  return {
    kind: target.file === undefined ? 'code' : 'file',
    name: target.name,
    ...(target.file === undefined ? {} : { file: target.file }),
    plans: runs.map((r) => r.plan.name),
    dryRun,
    ledger,
    run: () =>
      certifyTarget(target, entries, {
        ...(plans === undefined ? {} : { plans }),
        dryRun,
        ...(ledger === undefined ? {} : { ledger }),
        ...(onEvent === undefined ? {} : { onEvent }),
        signal: stop,
      }),
  };
}

/**
 * Runs the conformance plans against a target (a target file or object) or the lab and returns the
 * certification record — the same engine as `ssf-lab certify`. `record.passed` is the verdict; write the
 * reports with `writeReports`.
 */
export async function certify(options: CertifyOptions): Promise<CertificationRecord> {
  return (await prepareCertification(options)).run();
}
