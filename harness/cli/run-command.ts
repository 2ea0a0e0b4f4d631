/**
 * `ssf-lab run FILE…` and `ssf-lab demo`: scenarios run end to end in a fresh lab each, narrated live on
 * stdout, then written as reports (run JSON, self-contained HTML, Markdown summary). The demo is the
 * seed's configuration (scenario 1) and a macOS threat ending in Universal Logout (scenario 2).
 *
 * Exit codes follow the CLI's: 0 every expectation held, 1 something failed, 2 a bad option or scenario
 * file (nothing is run then: every file is loaded and checked before the first lab starts).
 */
import { existsSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReports } from '../../reports/index.ts';
import { flag, type ParsedArgs, parseCommandArgs, stringOption } from '../config/argv.ts';
import { packageDir } from '../config/package.ts';
import type { LabTransport } from '../lab/index.ts';
import { HarnessError, type RunRecord } from '../protocol/index.ts';
import {
  checkScenario,
  loadScenario,
  narrator,
  runScenario,
  type Scenario,
  ScenarioError,
} from '../runner/index.ts';
import { type CliIo, EXIT } from './io.ts';

/** The scenarios `ssf-lab demo` runs, from the package's scenarios/ directory. */
export const DEMO_SCENARIOS = ['01-seed-configuration.yaml', '02-macos-threat-logout.yaml'] as const;
export const DEFAULT_REPORTS_DIR = join('reports', 'out');

const SHARED_OPTIONS = `  --transport T     in-process (default: no sockets, msw hands every request to the mock) or
                    loopback (every mock on a 127.0.0.1 port)
  --out DIR         write run.json (runs.json for several), report.html and summary.md to DIR
  --verbose         narrate every set-up step too`;

export const RUN_HELP = `Usage:
  ssf-lab run FILE... [--transport in-process|loopback] [--out DIR] [--verbose]

  Runs scenarios — YAML files (see scenarios/README.md) or JavaScript/TypeScript modules whose default
  export is a scenario (defineScenario from 'ssf-lab') — each in a fresh lab, narrating each on stdout.
  Every file is checked before anything runs: an invalid one is reported with file:line:col.

Options:
${SHARED_OPTIONS}
                    (default: no reports)

Exit codes: 0 every expectation held, 1 a step or expectation failed, 2 bad option or scenario file.
`;

export const DEMO_HELP = `Usage:
  ssf-lab demo [--out DIR] [--transport in-process|loopback] [--verbose]

  The seed's flow offline, in seconds: scenario 1 configures Jamf Pro, Jamf Security Cloud and Okta
  through their APIs; scenario 2 raises a threat on a Mac, and Jamf Security Cloud's SET makes Okta raise
  the user's risk, apply the Entity Risk Policy and log the user out of Salesforce, Google Workspace and
  (partially) Office 365. The timeline is narrated as it happens; the reports are written at the end.

Options:
${SHARED_OPTIONS}
                    (default: ${DEFAULT_REPORTS_DIR})

Exit codes: 0 every expectation held, 1 something failed, 2 bad option.
`;

interface Common {
  readonly transport: LabTransport;
  readonly out: string | undefined;
  readonly verbose: boolean;
}

const OPTIONS = {
  transport: { type: 'string' },
  out: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function commonOptions(args: ParsedArgs): Common {
  const transport = stringOption(args, 'transport') ?? 'in-process';
  if (transport !== 'in-process' && transport !== 'loopback')
    throw new HarnessError('ERR_USAGE', `--transport must be in-process or loopback, not "${transport}"`);
  const out = stringOption(args, 'out');
  if (out === '') throw new HarnessError('ERR_USAGE', '--out needs a DIR');
  return { transport, out, verbose: flag(args, 'verbose') };
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

function summaryLine(record: RunRecord): string {
  const held = record.expectations.filter((e) => e.ok).length;
  const failedSteps = record.steps.filter((s) => !s.ok).length;
  const verdict = record.passed ? '✓ passed' : '✗ failed';
  const steps = failedSteps > 0 ? `, ${failedSteps} step(s) failed` : '';
  return `${verdict}  ${record.scenario.name} — ${held}/${record.expectations.length} expectations held${steps}, ${record.durationMs} ms (${record.transport})`;
}

/** Runs loaded scenarios one after another, narrating each; writes the reports when asked. */
async function runAll(
  entries: readonly { readonly scenario: Scenario; readonly file: string }[],
  options: Common,
  io: CliIo,
): Promise<number> {
  const write = (line: string): void => io.stdout(`${line}\n`);
  const records: RunRecord[] = [];
  for (const { scenario, file } of entries) {
    write('');
    write(`━━ ${scenario.name}${scenario.description ? ` — ${scenario.description.trim()}` : ''}`);
    const record = await runScenario(scenario, {
      transport: options.transport,
      onEvent: narrator(write, { color: io.color, verbose: options.verbose }),
      file,
    });
    records.push(record);
    write(summaryLine(record));
  }
  write('');
  const passed = records.filter((r) => r.passed).length;
  write(`${passed} of ${records.length} scenario(s) passed.`);
  if (options.out !== undefined) {
    let paths: Awaited<ReturnType<typeof writeReports>>;
    try {
      paths = await writeReports(records, options.out, { generatedAt: new Date().toISOString() });
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
    write(`         ${shown(paths.json)}, ${shown(paths.markdown)}`);
  }
  return passed === records.length ? EXIT.ok : EXIT.failures;
}

export async function runCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, OPTIONS);
  if (flag(args, 'help')) {
    io.stdout(RUN_HELP);
    return EXIT.ok;
  }
  const options = commonOptions(args);
  if (args.positionals.length === 0)
    throw new HarnessError(
      'ERR_USAGE',
      'run needs at least one scenario FILE (e.g. scenarios/02-macos-threat-logout.yaml)',
    );
  const entries: { scenario: Scenario; file: string }[] = [];
  for (const file of args.positionals) entries.push({ scenario: await loadAny(file), file });
  return runAll(entries, options, io);
}

export async function demoCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, OPTIONS);
  if (flag(args, 'help')) {
    io.stdout(DEMO_HELP);
    return EXIT.ok;
  }
  const extra = args.positionals[0];
  if (extra !== undefined) throw new HarnessError('ERR_USAGE', `demo takes no arguments, not "${extra}"`);
  const options = commonOptions(args);
  const dir = scenariosDir();
  const entries: { scenario: Scenario; file: string }[] = [];
  for (const name of DEMO_SCENARIOS) {
    const file = join(dir, name);
    entries.push({ scenario: await loadScenario(file), file: join('scenarios', name) });
  }
  io.stdout(
    "ssf-lab demo: the seed's flow, offline — Jamf Security Cloud → SSF → Okta Identity Threat Protection → Universal Logout\n",
  );
  return runAll(entries, { ...options, out: options.out ?? DEFAULT_REPORTS_DIR }, io);
}
