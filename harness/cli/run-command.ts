/**
 * `ssf-lab run FILE…` and `ssf-lab demo`: scenarios run end to end — each in a fresh lab (in-process or on
 * loopback), or one after another against a running lab named by its manifest (`ssf-lab serve
 * --manifest FILE`) — narrated live on stdout, judged by the scenario checks into a certification record
 * (one module per scenario) and written as the certification reports (JUnit, JSON, Markdown, HTML). The
 * demo is the seed's configuration (scenario 1) and a macOS threat ending in Universal Logout (scenario 2).
 *
 * Exit codes follow the CLI's: 0 every scenario passed, 1 a step or a MUST-level check failed (or a
 * ledger entry matched nothing), 2 a bad option, target, ledger or scenario file (nothing is run then:
 * every file is loaded and checked before the first lab starts).
 */
import { existsSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectedSkips, tallyLine, writeCertificationReports } from '../../reports/index.ts';
import { applyLedger } from '../../suites/core/index.ts';
import type { IntegrationOptions } from '../../suites/integration/index.ts';
import { SCENARIO_CHECK_IDS } from '../../suites/scenarios/index.ts';
import { checkLedgerCheckIds } from '../certify/certify.ts';
import { PLAN_ENTRIES } from '../certify/plan-entries.ts';
import { flag, integerText, type ParsedArgs, parseCommandArgs, stringOption } from '../config/argv.ts';
import { readJsonFile } from '../config/inputs.ts';
import { loadLedger } from '../config/ledger.ts';
import { DEFAULT_REPORTS_DIR, prepareOutputDir } from '../config/outputs.ts';
import { packageDir } from '../config/package.ts';
import { loadTarget } from '../config/target.ts';
import { startConsole } from '../console/index.ts';
import { HarnessError } from '../kernel/index.ts';
import {
  configureSeed,
  type LabManifest,
  type LabTransport,
  labManifest,
  manifestFrom,
  startLab,
} from '../lab/index.ts';
import {
  type CertificationRecord,
  type CheckResult,
  checksOf,
  type LedgerEntry,
  type ModuleResult,
  tallyChecks,
} from '../records/index.ts';
import {
  checkScenario,
  type FileTargetOptions,
  fileTarget,
  loadScenario,
  manifestTarget,
  modulePassed,
  narrator,
  runScenarioModule,
  type Scenario,
  ScenarioError,
  scenarioRecord,
} from '../runner/index.ts';
import { CONFIGURATION_SCENARIO, consoleScenarios } from './console-scenarios.ts';
import { type CliIo, EXIT } from './io.ts';

/** The scenarios `ssf-lab demo` runs, from the package's scenarios/ directory. */
export const DEMO_SCENARIOS = [
  '01-seed-configuration.yaml',
  '02-macos-threat-logout.yaml',
  '03-mobile-threat-logout.yaml',
] as const;
export { DEFAULT_REPORTS_DIR };

const SHARED_OPTIONS = `  --target T        in-process (default: a fresh lab per scenario, no sockets), loopback (a fresh lab
                    per scenario, every service on a 127.0.0.1 port), a manifest FILE of a running
                    lab (ssf-lab serve --manifest FILE), or a target FILE of real endpoints (its
                    "integration" section: the Okta org, the user, the trigger that raises a threat).
                    Against a FILE the scenarios run one after another in real time, and what they
                    raise is resolved again afterwards; on real endpoints a step needing a lab
                    control fails and a check needing the lab's view is skipped, each saying why
  --transport T     the same as --target in-process|loopback
  --ledger FILE     expected-failures ledger for the scenario checks (as for certify)
  --out DIR         write junit.xml, certification.json, summary.md and report.html to DIR
  --verbose         narrate every set-up step too`;

export const RUN_HELP = `Usage:
  ssf-lab run FILE... [--target in-process|loopback|MANIFEST|TARGET] [--ledger FILE] [--out DIR]
                     [--verbose]

  Runs scenarios — YAML files (see scenarios/README.md) or JavaScript/TypeScript modules whose default
  export is a scenario (defineScenario from 'ssf-lab') — narrating each on stdout. Each expectation is a
  check with a requirement id; the run is one certification record with one module per scenario.
  Every file is checked before anything runs: an invalid one is reported with file:line:col.

Options:
${SHARED_OPTIONS}
                    (default: no reports)

Exit codes: 0 every scenario passed, 1 a step or a MUST-level check failed, 2 bad option, target,
ledger or scenario file.
`;

export const DEMO_HELP = `Usage:
  ssf-lab demo [--out DIR] [--transport in-process|loopback] [--verbose]
  ssf-lab demo --console [--console-port PORT] [--out DIR] [--verbose]

  The seed's flow offline, in seconds: scenario 1 configures Jamf Pro, Jamf Security Cloud and Okta
  through their APIs; scenario 2 raises a threat on a Mac, and Jamf Security Cloud's SET makes Okta raise
  the user's risk, apply the Entity Risk Policy and log the user out of Salesforce, Google Workspace and
  (partially) Office 365; scenario 3 does the same from a jailbroken iPhone. The timeline is narrated as
  it happens; the reports are written at the end.

Options:
${SHARED_OPTIONS}
                    (default: ${DEFAULT_REPORTS_DIR})
  --console         watch it in a browser: one lab on 127.0.0.1 (plain http), configured as the seed,
                    with the lab console beside it (docs/console.md). Its sign-in link (it carries the
                    lab's admin token) is printed first; scenarios 2 and 3 then run against that lab,
                    and the lab and its console stay up — raise more threats from the Fleet page —
                    until Ctrl-C
  --console-port P  the console's port (default a free one)

Exit codes: 0 every scenario passed, 1 something failed, 2 bad option.
`;

type RunWhere =
  | { readonly transport: LabTransport }
  | { readonly manifest: LabManifest; readonly file: string }
  | { readonly real: FileTargetOptions; readonly file: string; readonly ca?: string };

/**
 * What `--target FILE` names: a running lab's manifest (what `ssf-lab serve --manifest` writes), or a
 * certification target file whose `integration` section names real endpoints — the Okta org, the user,
 * and the requests that raise and resolve a threat (its secrets read from the environment).
 */
async function targetFromFile(
  file: string,
  env: Readonly<Record<string, string | undefined>> | undefined,
): Promise<RunWhere> {
  const value = await readJsonFile(file, 'target');
  if (value === null || typeof value !== 'object' || !('plans' in value))
    return { manifest: manifestFrom(value, file), file };
  const schemas = Object.fromEntries(PLAN_ENTRIES.map((e) => [e.plan.name, e.plan.optionsSchema]));
  const target = env === undefined ? await loadTarget(file, schemas) : await loadTarget(file, schemas, env);
  const integration = target.plans.integration as IntegrationOptions | undefined;
  if (integration === undefined)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `target file "${file}" has no "integration" section: a scenario on real endpoints needs its Okta org, user and trigger (docs/certify.md)`,
    );
  return {
    real: {
      okta: integration.okta,
      user: integration.user,
      trigger: integration.trigger,
      ...(integration.resolve === undefined ? {} : { resolve: integration.resolve }),
    },
    file,
    // The target file's tls.caFile: trusted besides node's roots (a served lab's CA).
    ...(target.tls?.caCert === undefined ? {} : { ca: target.tls.caCert }),
  };
}

interface Common {
  readonly where: RunWhere;
  readonly ledger: readonly LedgerEntry[];
  readonly out: string | undefined;
  readonly verbose: boolean;
}

const OPTIONS = {
  target: { type: 'string' },
  transport: { type: 'string' },
  ledger: { type: 'string' },
  out: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function commonOptions(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>> | undefined,
): Promise<Common> {
  const transport = stringOption(args, 'transport');
  const target = stringOption(args, 'target');
  if (transport !== undefined && target !== undefined)
    throw new HarnessError('ERR_USAGE', 'give --target or --transport, not both');
  const chosen = target ?? transport ?? 'in-process';
  if (chosen === '') throw new HarnessError('ERR_USAGE', '--target needs in-process, loopback or a FILE');
  if (transport !== undefined && chosen !== 'in-process' && chosen !== 'loopback')
    throw new HarnessError('ERR_USAGE', `--transport must be in-process or loopback, not "${transport}"`);
  const out = stringOption(args, 'out');
  if (out === '') throw new HarnessError('ERR_USAGE', '--out needs a DIR');
  const ledgerFile = stringOption(args, 'ledger');
  if (ledgerFile === '') throw new HarnessError('ERR_USAGE', '--ledger needs a FILE');
  const where: RunWhere =
    chosen === 'in-process' || chosen === 'loopback'
      ? { transport: chosen }
      : await targetFromFile(chosen, env);
  const ledger = ledgerFile === undefined ? [] : await loadLedger(ledgerFile);
  // A scenario check's id is its kind's, or that with -2, -3… for a second expectation of the kind.
  const kinds = Object.values(SCENARIO_CHECK_IDS);
  checkLedgerCheckIds(
    ledger,
    (id) => kinds.some((k) => id === k || new RegExp(`^${k}-\\d+$`).test(id)),
    kinds,
  );
  return {
    where,
    ledger,
    out,
    verbose: flag(args, 'verbose'),
  };
}

/** The scenarios/ directory of the installed package. */
function scenariosDir(): string {
  const root = packageDir();
  const dir = root === undefined ? undefined : join(root, 'scenarios');
  if (dir === undefined || !existsSync(dir))
    throw new HarnessError('ERR_INPUT_UNREADABLE', "cannot find ssf-lab's scenarios/ directory");
  return dir;
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.ts', '.mts']);

/** A scenario module: its default export (or an export named `scenario`), checked like a YAML file. */
async function importScenario(file: string): Promise<Scenario> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' (this Node cannot run TypeScript directly: use Node ≥ 22.18, or compile it to .js)'
        : '';
    throw new ScenarioError(file, `cannot load it: ${(error as Error).message.split('\n')[0]}${hint}`);
  }
  const scenario = module.default ?? module.scenario;
  if (scenario === null || typeof scenario !== 'object')
    throw new ScenarioError(file, 'its default export is not a scenario (use defineScenario)');
  try {
    checkScenario(scenario as Scenario);
  } catch (error) {
    throw new ScenarioError(file, (error as Error).message);
  }
  return scenario as Scenario;
}

async function loadAny(file: string): Promise<Scenario> {
  return MODULE_EXTENSIONS.has(extname(file)) ? importScenario(file) : loadScenario(file);
}

function summaryLine(module: ModuleResult, where: string): string {
  const count = (status: string): number => module.checks.filter((c) => c.status === status).length;
  const warnings = module.checks.filter((c) => c.status === 'failed' && c.level !== 'failure').length;
  const failedSteps = module.story?.steps.filter((s) => !s.ok).length ?? 0;
  const verdict = modulePassed(module) ? '✓ passed' : '✗ failed';
  const parts = [
    `${count('passed')}/${module.checks.length} checks passed`,
    ...(warnings > 0 ? [`${warnings} SHOULD/MAY finding(s)`] : []),
    ...(count('tolerated') > 0 ? [`${count('tolerated')} tolerated`] : []),
    ...(failedSteps > 0 ? [`${failedSteps} step(s) failed`] : []),
  ];
  return `${verdict}  ${module.title} — ${parts.join(', ')}, ${module.durationMs} ms (${where})`;
}

/** Runs loaded scenarios one after another, narrating each; writes the reports when asked. */
async function runAll(
  entries: readonly { readonly scenario: Scenario; readonly file: string }[],
  options: Common,
  io: CliIo,
): Promise<number> {
  const write = (line: string): void => io.stdout(`${line}\n`);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const { where } = options;
  const shownWhere = 'transport' in where ? where.transport : where.file;
  const modules: ModuleResult[] = [];
  // The live lines show each verdict as the record will (the ledger applied), so the narration, the
  // summary line and the reports never disagree; the record applies it once over the whole run.
  const tolerate = (checks: readonly CheckResult[]): CheckResult[] =>
    applyLedger(checks, options.ledger).checks;
  for (const { scenario, file } of entries) {
    // One narrator per scenario: its times count from that scenario's first step.
    const narrate = narrator(write, { color: io.color, verbose: options.verbose });
    write('');
    write(`━━ ${scenario.name}${scenario.description ? ` — ${scenario.description.trim()}` : ''}`);
    const module = await runScenarioModule(scenario, {
      target:
        'transport' in where
          ? { transport: where.transport }
          : 'manifest' in where
            ? manifestTarget(where.manifest, { file: where.file })
            : fileTarget(where.real, {
                file: where.file,
                ...(where.ca === undefined ? {} : { ca: where.ca }),
              }),
      onEvent: (event) =>
        narrate(
          event.type === 'check' ? { ...event, result: tolerate([event.result])[0] ?? event.result } : event,
        ),
      file,
    });
    modules.push(module);
    write(summaryLine({ ...module, checks: tolerate(module.checks) }, shownWhere));
  }
  const record: CertificationRecord = scenarioRecord(
    modules,
    'transport' in where
      ? { name: `lab (${where.transport})`, kind: 'lab' }
      : { name: where.file, kind: 'manifest' in where ? 'manifest' : 'file', file: where.file },
    startedAt,
    Math.round(performance.now() - started),
    options.ledger,
  );
  write('');
  const passed = record.plans[0]?.modules.filter(modulePassed).length ?? 0;
  for (const p of record.ledgerProblems) write(`✗ ledger: ${p.message}`);
  write(`${passed} of ${modules.length} scenario(s) passed.`);
  // The checks counted as every report counts them (reports/vocabulary.ts).
  const checks = checksOf(record);
  write(`Checks: ${tallyLine(tallyChecks(checks), expectedSkips(checks))}`);
  if (options.out !== undefined) {
    let paths: Awaited<ReturnType<typeof writeCertificationReports>>;
    try {
      paths = await writeCertificationReports(record, options.out);
    } catch (error) {
      throw new HarnessError(
        'ERR_INPUT_UNREADABLE',
        `cannot write the reports to "${options.out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    // Relative below the working directory, absolute elsewhere (a path full of ../ helps nobody).
    const shown = (path: string): string => {
      const near = relative(process.cwd(), path);
      return near === '' || near.startsWith('..') ? path : near;
    };
    write(`Reports: ${shown(paths.html)} (open it in a browser; it needs no network)`);
    write(`         ${shown(paths.json)}, ${shown(paths.junit)}, ${shown(paths.markdown)}`);
  }
  return record.passed ? EXIT.ok : EXIT.failures;
}

export async function runCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, OPTIONS);
  if (flag(args, 'help')) {
    io.stdout(RUN_HELP);
    return EXIT.ok;
  }
  const options = await commonOptions(args, io.env);
  if (args.positionals.length === 0)
    throw new HarnessError(
      'ERR_USAGE',
      'run needs at least one scenario FILE (e.g. scenarios/02-macos-threat-logout.yaml)',
    );
  // A directory the reports cannot go to is found now, not after every scenario has run.
  if (options.out !== undefined) await prepareOutputDir(options.out, 'the reports');
  const entries: { scenario: Scenario; file: string }[] = [];
  for (const file of args.positionals) entries.push({ scenario: await loadAny(file), file });
  return runAll(entries, options, io);
}

/** Resolves when `signal` aborts (never, without one: a caller with no way to stop is not kept waiting). */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * `demo --console`: one loopback lab configured as the seed, its console beside it, the threat scenarios
 * run against it as against a served lab, and both kept up until the stop signal.
 */
async function demoWithConsole(
  entries: readonly { readonly scenario: Scenario; readonly file: string }[],
  options: Common,
  port: number | undefined,
  io: CliIo,
): Promise<number> {
  // The demo scenarios' own fleet (their `setup`: seed 7, 8 devices), so the console shows the demo's people.
  const lab = await startLab({ transport: 'loopback', seed: 7, devices: 8 });
  const stop = io.stopSignal?.();
  try {
    await configureSeed(lab);
    const konsole = await startConsole({
      lab,
      manifest: labManifest(lab),
      ...(port === undefined ? {} : { port }),
      scenarios: consoleScenarios(),
    });
    try {
      const manifest = labManifest(lab, { console: { url: konsole.url, signInUrl: konsole.signInUrl } });
      // The person running the demo opens this; stdout is their terminal (the link is this lab's secret).
      io.stdout(`Console: ${konsole.signInUrl}\n`);
      const code = await runAll(entries, { ...options, where: { manifest, file: 'the demo lab' } }, io);
      if (stop !== undefined) {
        io.stdout(
          `\nThe lab and its console stay up at ${konsole.url}: raise more threats from the Fleet page. Ctrl-C stops.\n`,
        );
        await stopped(stop);
      }
      return code;
    } finally {
      await konsole.close();
    }
  } finally {
    await lab.close();
  }
}

export async function demoCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, {
    ...OPTIONS,
    console: { type: 'boolean' },
    'console-port': { type: 'string' },
  });
  if (flag(args, 'help')) {
    io.stdout(DEMO_HELP);
    return EXIT.ok;
  }
  const extra = args.positionals[0];
  if (extra !== undefined) throw new HarnessError('ERR_USAGE', `demo takes no arguments, not "${extra}"`);
  const withConsole = flag(args, 'console');
  const consolePort = stringOption(args, 'console-port');
  if (withConsole && (stringOption(args, 'target') ?? stringOption(args, 'transport')) !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      '--console runs its own loopback lab: give no --target or --transport',
    );
  if (consolePort !== undefined && !withConsole)
    throw new HarnessError('ERR_USAGE', '--console-port goes with --console');
  const port =
    consolePort === undefined
      ? undefined
      : integerText(consolePort, '--console-port', { min: 1, max: 65535 });
  const options = await commonOptions(args, io.env);
  const out = options.out ?? DEFAULT_REPORTS_DIR;
  await prepareOutputDir(out, 'the reports');
  const dir = scenariosDir();
  const entries: { scenario: Scenario; file: string }[] = [];
  // With the console the lab is configured before anyone signs in, so the configuration scenario is not run.
  for (const name of DEMO_SCENARIOS.filter((n) => !withConsole || n !== CONFIGURATION_SCENARIO)) {
    const file = join(dir, name);
    entries.push({ scenario: await loadScenario(file), file: join('scenarios', name) });
  }
  io.stdout(
    "ssf-lab demo: the seed's flow, offline — Jamf Security Cloud → SSF → Okta Identity Threat Protection → Universal Logout\n",
  );
  if (withConsole) return demoWithConsole(entries, { ...options, out }, port, io);
  return runAll(entries, { ...options, out }, io);
}
