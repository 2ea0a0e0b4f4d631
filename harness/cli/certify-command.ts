/**
 * `ssf-lab certify`: the conformance plans against the lab (offline, the default) or against the real
 * endpoints a target file names, with live progress on stdout and the reports written at the end —
 * JUnit XML, certification JSON, a Markdown summary and a self-contained HTML report.
 *
 * Every count it prints is the tally every report writes (reports/vocabulary.ts): the console, summary.md,
 * junit.xml, certification.json and report.html agree.
 *
 * Exit codes: 0 passed; 1 a failed check (a MUST-level finding outside the ledger), a check the harness
 * could not judge, or a ledger entry that did not hold; 2 a bad option, target or ledger file (then
 * nothing runs); 3 a target that could not be reached at all (its first request found nobody: one error
 * naming the URL, the plan not run; the reports are still written, the run marked unreachable);
 * 130/143 stopped by SIGINT/SIGTERM — the module in progress is cut short, everything it created is
 * removed, and the reports of what ran are still written.
 */
import { constants } from 'node:os';
import { relative, resolve } from 'node:path';
import {
  expectedSkips,
  OUTCOME_SIGN,
  scrubCredentials,
  tallyLine,
  verdictWord,
  writeCertificationReports,
} from '../../reports/index.ts';
import { applyLedger, type CertifyEvent } from '../../suites/core/index.ts';
import { checkPlanNames, prepareCertification } from '../certify/certify.ts';
import type { PlanEntry } from '../certify/engine.ts';
import { PLAN_ENTRIES } from '../certify/plan-entries.ts';
import { flag, listOption, parseCommandArgs, stringOption } from '../config/argv.ts';
import { prepareOutputDir } from '../config/outputs.ts';
import { findTargetFile } from '../config/target.ts';
import { HarnessError } from '../kernel/index.ts';
import {
  type CertificationRecord,
  type CheckResult,
  checksOf,
  type LedgerEntry,
  type ModuleResult,
  outcomeOf,
  tallyChecks,
} from '../records/index.ts';
import { type CliIo, EXIT } from './io.ts';

export const DEFAULT_CERTIFY_DIR = 'reports/out/certify';

const USAGE = `Usage:
  ssf-lab certify [--target FILE | --lab] [--plan NAME]... [--out DIR] [--ledger FILE] [--dry-run]
                  [--transport in-process|loopback] [--deviate NAME]... [--lab-target NAME]

  Runs the conformance plans and grades every check against the requirement it cites. Without a target
  it grades the lab, offline. With a target file — --target FILE, else $SSF_LAB_TARGET, else
  ./ssf-lab.target.json — it grades the real endpoints the file names, with the options it gives each
  plan; secrets come from environment variables only ({ "env": "NAME" }). See docs/certify.md.

  Progress is printed per module as it finishes; the reports are written at the end, also when the run
  is stopped with Ctrl-C (everything the harness created in the target is removed first).

Options:
  --target FILE     the target file (default: $SSF_LAB_TARGET, else ./ssf-lab.target.json, else the lab)
  --lab             grade the lab even when a target file is found
  --plan NAME       run only this plan (repeatable; default: every plan the target names, or every plan
                    with a lab set-up)
  --out DIR         where to write junit.xml, certification.json, summary.md, report.html
                    (default: ${DEFAULT_CERTIFY_DIR})
  --ledger FILE     the ledger: tolerated failures and expected skips, by check or by module
                    (default: the target file's "ledger", if any)
  --dry-run         target files only: change nothing in the target; list what each module would create
  --transport T     the lab only: in-process (default) or loopback
  --deviate NAME    the lab only: a rule a lab service breaks on purpose (repeatable), to see the
                    checks that guard it fail end to end (docs/self-test.md maps each to its checks)
  --lab-target NAME the lab only: grade this lab service instead of a plan's default one — the
                    ssf-receiver plan grades the lab's strict SSF receiver; "okta" grades mock Okta's
                    SET receiver under Okta's contract instead

Each check is counted once, with the same words on the terminal and in every report: passed; failed
(a MUST-level finding); warning (SHOULD or MAY findings: the run still passes); skipped (with the
reason); inconclusive (a precondition failed, so its input proves nothing); blocked (an earlier check
failed, so its input is missing: "blocked by <check id>"); tolerated (by the ledger); error.

Exit codes: 0 passed, 1 a failed check, an error or a ledger entry that did not hold, 2 bad option,
target or ledger file, 3 the target could not be reached at all (connection refused, a name that does
not resolve, TLS: one error naming the URL; reports still written, marked unreachable),
130/143 stopped by SIGINT/SIGTERM (reports still written).
`;

/**
 * Each plan's section of a target file, from its options schema: the members, which are required, and
 * what each means — so `--help` always matches the plans this ssf-lab has.
 */
export function planOptionsHelp(entries: readonly PlanEntry[]): string {
  if (entries.length === 0) return '\nPlans: none yet.\n';
  const lines = ['', 'Plans and their options (a target file\'s "plans" section; * required):'];
  for (const { plan, lab } of entries) {
    lines.push('', `  ${plan.name} — ${plan.title}${lab ? '' : ' (target files only)'}`, `    ${plan.role}`);
    const schema = plan.optionsSchema as {
      properties?: Record<string, { description?: string; enum?: unknown[]; type?: unknown }>;
      required?: string[];
    };
    for (const [name, sub] of Object.entries(schema.properties ?? {})) {
      const required = schema.required?.includes(name) ? '*' : ' ';
      const what =
        sub.description ??
        (sub.enum ? `one of ${sub.enum.map((v) => JSON.stringify(v)).join(', ')}` : String(sub.type ?? ''));
      lines.push(`    ${required} ${name.padEnd(22)} ${what}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const CERTIFY_HELP = USAGE + planOptionsHelp(PLAN_ENTRIES);

/** What tests substitute: the plans, the environment and working directory a target is found from. */
export interface CertifyDeps {
  readonly entries?: readonly PlanEntry[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a target's strings must not drive the terminal
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** A string from the system under test, safe to print: no escape sequence, no credential, one line. */
function safe(text: string, max = 300): string {
  const one = scrubCredentials(text)
    .replace(TERMINAL_UNSAFE, '\uFFFD')
    .replace(/\s*\n\s*/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function paint(color: boolean, code: string, text: string): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function checkLine(c: CheckResult, color: boolean): string | undefined {
  const where = `${c.id} [${c.requirement}]`;
  const messages = (): string => c.findings.map((f) => safe(f.message)).join('; ');
  switch (outcomeOf(c)) {
    case 'failed':
      return `      ${paint(color, '31', OUTCOME_SIGN.failed)} ${where} ${messages()}`;
    case 'warning':
      return `      ${paint(color, '33', OUTCOME_SIGN.warning)} ${where} (${c.level}) ${messages()}`;
    case 'error':
      return `      ${paint(color, '31', OUTCOME_SIGN.error)} ${where} error: ${safe(c.reason ?? '')}`;
    case 'tolerated':
      return `      ${OUTCOME_SIGN.tolerated} ${where} tolerated: ${safe(c.findings.map((f) => f.toleratedBecause ?? '').join('; '))}`;
    default:
      return undefined;
  }
}

/**
 * The checks that did not judge because of another, one line per cause rather than one per check: each
 * blocker with the checks it blocked, and the inconclusive ones with their first reason.
 */
function notJudgedLines(checks: readonly CheckResult[]): string[] {
  const lines: string[] = [];
  const byBlocker = new Map<string, string[]>();
  for (const c of checks)
    if (outcomeOf(c) === 'blocked')
      byBlocker.set(c.blockedBy ?? '', [...(byBlocker.get(c.blockedBy ?? '') ?? []), c.id]);
  for (const [by, ids] of byBlocker)
    lines.push(`      ${OUTCOME_SIGN.blocked} blocked by ${safe(by, 120)}: ${safe(ids.join(', '))}`);
  const unsure = checks.filter((c) => outcomeOf(c) === 'inconclusive');
  if (unsure.length > 0)
    lines.push(
      `      ${OUTCOME_SIGN.inconclusive} inconclusive: ${unsure.length === 1 ? safe(unsure[0]?.id ?? '', 120) : `${unsure.length} checks`} — ${safe(unsure[0]?.reason ?? '')}`,
    );
  return lines;
}

function moduleLines(m: ModuleResult, color: boolean): string[] {
  const t = tallyChecks(m.checks);
  const bad = t.failed > 0 || t.errors > 0;
  const mark = bad ? paint(color, '31', '✗') : paint(color, '32', '✓');
  const extra = [
    t.warnings > 0 ? `${t.warnings} ${t.warnings === 1 ? 'warning' : 'warnings'}` : '',
    t.skipped > 0 ? `${t.skipped} skipped` : '',
    t.inconclusive > 0 ? `${t.inconclusive} inconclusive` : '',
    t.blocked > 0 ? `${t.blocked} blocked` : '',
    t.tolerated > 0 ? `${t.tolerated} tolerated` : '',
    t.errors > 0 ? `${t.errors} ${t.errors === 1 ? 'error' : 'errors'}` : '',
  ].filter((s) => s !== '');
  const lines = [
    `  ${mark} ${safe(m.plan, 80)} › ${safe(m.id, 80)} — ${safe(m.title, 120)}: ${t.passed} ✓ ${t.failed} ✗${extra.length > 0 ? ` (${extra.join(', ')})` : ''}, ${m.durationMs} ms`,
  ];
  if (m.skipped !== undefined) lines.push(`      – skipped: ${safe(m.skipped)}`);
  if (m.error !== undefined) lines.push(`      ! ${safe(m.error)}`);
  for (const c of m.checks) {
    const line = checkLine(c, color);
    if (line !== undefined) lines.push(line);
  }
  lines.push(...notJudgedLines(m.checks));
  for (const c of m.cleanup.filter((x) => !x.ok))
    lines.push(
      `      ${paint(color, '31', '✗')} cleanup failed, remove by hand: ${safe(c.what)} — ${safe(c.error ?? '')}`,
    );
  return lines;
}

/**
 * Prints events as they come. The run applies the ledger once, at its end; the live lines apply it per
 * module already, so a tolerated failure never shows as a failure on screen.
 */
function printer(io: CliIo, ledger: readonly LedgerEntry[] | undefined): (event: CertifyEvent) => void {
  // A plan whose target is not there is one line, not one per module it did not run.
  const down = new Set<string>();
  return (event) => {
    if (event.type === 'progress') io.stdout(`      · ${safe(event.line)}\n`);
    else if (event.type === 'module-end') {
      const target = event.unreachable;
      if (target !== undefined) {
        if (!down.has(target.plan))
          io.stdout(
            `  ${paint(io.color, '31', '✗')} ${safe(target.plan, 80)}: cannot reach ${safe(target.url)} (${safe(target.message)}) — the plan is not run\n`,
          );
        down.add(target.plan);
        return;
      }
      const m = event.result;
      const shown = ledger === undefined ? m : { ...m, checks: applyLedger(m.checks, ledger).checks };
      io.stdout(`${moduleLines(shown, io.color).join('\n')}\n`);
    }
  };
}

/** The run's last line: its verdict and the tally, in the words of every report. */
function summary(record: CertificationRecord, stopped: string | undefined): string {
  const checks = checksOf(record);
  const verdict = stopped ? `stopped (${stopped})` : verdictWord(record);
  const lines = [
    '',
    `${verdict === 'passed' ? '✓' : '✗'} ${verdict} — ${tallyLine(tallyChecks(checks), expectedSkips(checks))} — ${safe(record.target.name)}${record.dryRun ? ' (dry run: nothing was changed)' : ''}`,
  ];
  for (const p of record.ledgerProblems) lines.push(`  ✗ ledger: ${safe(p.message)}`);
  return `${lines.join('\n')}\n`;
}

/** One error per target that could not be reached, naming its URL: the one thing to fix first. */
/** One error line per plan whose target could not be reached (`ssf-lab load` prints them too). */
export function unreachableErrors(record: CertificationRecord): string {
  return (record.unreachable ?? [])
    .map(
      (u) =>
        `ssf-lab: cannot reach the target at ${safe(u.url)} (${safe(u.message)}): plan ${safe(u.plan, 80)} was not run — is it up, and is the URL right?\n`,
    )
    .join('');
}

function planNamesOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const names = (Array.isArray(value) ? value : [value]).map(String);
  for (const n of names) if (n === '') throw new HarnessError('ERR_USAGE', '--plan needs a NAME');
  return names;
}

export async function certifyCommand(
  rest: readonly string[],
  io: CliIo,
  deps: CertifyDeps = {},
): Promise<number> {
  const args = parseCommandArgs(rest, {
    target: { type: 'string' },
    lab: { type: 'boolean' },
    plan: { type: 'string', multiple: true },
    out: { type: 'string' },
    ledger: { type: 'string' },
    'dry-run': { type: 'boolean' },
    transport: { type: 'string' },
    deviate: { type: 'string', multiple: true },
    'lab-target': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(args, 'help')) {
    io.stdout(USAGE + planOptionsHelp(deps.entries ?? PLAN_ENTRIES));
    return EXIT.ok;
  }
  const extra = args.positionals[0];
  if (extra !== undefined)
    throw new HarnessError('ERR_USAGE', `certify takes no arguments, not "${extra}" (use --target FILE)`);
  const entries = deps.entries ?? PLAN_ENTRIES;
  const cwd = deps.cwd ?? process.cwd();
  // Relative to where the user is, unless that means climbing out of it.
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const out = stringOption(args, 'out') ?? DEFAULT_CERTIFY_DIR;
  if (out === '') throw new HarnessError('ERR_USAGE', '--out needs a DIR');
  const plans = planNamesOption(args.values.plan);
  checkPlanNames(plans, entries, (name) => `--plan ${name}: no such plan`);
  const dryRun = flag(args, 'dry-run');
  const transport = stringOption(args, 'transport');
  if (transport !== undefined && transport !== 'in-process' && transport !== 'loopback')
    throw new HarnessError('ERR_USAGE', `--transport must be in-process or loopback, not "${transport}"`);
  const explicit = stringOption(args, 'target');
  if (explicit === '') throw new HarnessError('ERR_USAGE', '--target needs a FILE');
  if (explicit !== undefined && flag(args, 'lab'))
    throw new HarnessError('ERR_USAGE', '--target and --lab exclude each other');
  const file = flag(args, 'lab')
    ? undefined
    : (explicit ?? (deps.env === undefined ? findTargetFile(cwd) : findTargetFile(cwd, deps.env)));
  if (file !== undefined && transport !== undefined)
    throw new HarnessError('ERR_USAGE', '--transport applies to the lab only, not to a target file');
  const deviations = listOption(args, 'deviate');
  if (file !== undefined && deviations.length > 0)
    throw new HarnessError('ERR_USAGE', '--deviate applies to the lab only, not to a target file');
  const labTarget = stringOption(args, 'lab-target');
  if (labTarget === '') throw new HarnessError('ERR_USAGE', '--lab-target needs a NAME');
  if (file !== undefined && labTarget !== undefined)
    throw new HarnessError('ERR_USAGE', '--lab-target applies to the lab only, not to a target file');
  if (file === undefined && dryRun)
    throw new HarnessError(
      'ERR_USAGE',
      '--dry-run applies to a target file (the lab is created for the run and discarded after it)',
    );

  // Everything is read and checked before anything runs — by the same engine `ssf-lab/certify` exports —
  // down to whether the reports can be written where they are to go.
  await prepareOutputDir(resolve(cwd, out), 'the reports');
  const signal = io.stopSignal?.() ?? new AbortController().signal;
  const ledgerFile = stringOption(args, 'ledger');
  // The printer needs the ledger, which is read while preparing; events only come once it runs.
  let onEvent: (event: CertifyEvent) => void = () => undefined;
  const prepared = await prepareCertification(
    {
      ...(file === undefined
        ? {
            lab: {
              transport: transport === 'loopback' ? 'loopback' : 'in-process',
              ...(deviations.length === 0 ? {} : { deviations }),
              ...(labTarget === undefined ? {} : { labTarget }),
            },
          }
        : { target: file }),
      ...(plans === undefined ? {} : { plans }),
      ...(ledgerFile === undefined ? {} : { ledger: ledgerFile }),
      dryRun,
      onProgress: (event) => onEvent(event),
      signal,
      ...(deps.env === undefined ? {} : { env: deps.env }),
    },
    entries,
  );
  onEvent = printer(io, prepared.ledger);
  io.stdout(
    prepared.kind === 'lab'
      ? `ssf-lab certify: ${prepared.name}, offline\n`
      : `ssf-lab certify: ${safe(prepared.name)} (${shown(prepared.file ?? '')}) — ${prepared.plans.join(', ')}${dryRun ? ' — dry run: nothing will be changed' : ''}\n`,
  );
  let record: CertificationRecord;
  try {
    record = await prepared.run();
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    // The harness could not run at all (a port taken, the lab not starting): nothing was graded.
    io.stderr(`ssf-lab: certify could not run: ${safe((error as Error).message ?? String(error))}\n`);
    return EXIT.usage;
  }
  const stopped = signal.aborted
    ? typeof signal.reason === 'string'
      ? signal.reason
      : 'stopped'
    : undefined;
  io.stdout(summary(record, stopped));
  io.stderr(unreachableErrors(record));
  let paths: Awaited<ReturnType<typeof writeCertificationReports>>;
  try {
    paths = await writeCertificationReports(record, resolve(cwd, out));
  } catch (error) {
    io.stderr(
      `ssf-lab: cannot write the reports to "${out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return EXIT.usage;
  }
  io.stdout(`Reports: ${shown(paths.html)} (open it in a browser; it needs no network)\n`);
  io.stdout(`         ${shown(paths.junit)}, ${shown(paths.json)}, ${shown(paths.markdown)}\n`);
  if (stopped !== undefined) {
    const number = constants.signals[stopped as NodeJS.Signals] as number | undefined;
    return number === undefined ? EXIT.failures : 128 + number;
  }
  // Unreachable first: until the target answers, its failures say nothing.
  if ((record.unreachable?.length ?? 0) > 0) return EXIT.unreachable;
  return record.passed ? EXIT.ok : EXIT.failures;
}
