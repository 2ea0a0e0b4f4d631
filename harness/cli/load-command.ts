/**
 * `ssf-lab load`: load and latency testing of a receiver's push endpoint. The target file's `load`
 * section names the plan section that describes the endpoint and the key (`ssf-receiver` or
 * `okta-receiver`), how hard to push, and the objectives the run is graded by; the run is the load plan
 * (suites/load), so its verdicts, record and reports are a certification's, with `load.html` (figures,
 * latency histogram, throughput over time) beside them.
 *
 * Exit codes: 0 every objective held; 1 a check failed; 2 a bad option or target file, or the run could
 * not start; 3 the receiver could not be reached at all; 130/143 stopped by SIGINT/SIGTERM.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { renderLoadHtml, tallyLine, writeCertificationReports } from '../../reports/index.ts';
import type { CertifyEvent } from '../../suites/core/index.ts';
import { ARTILLERY_PROCESSOR, ARTILLERY_SCRIPT, artilleryExport } from '../../suites/load/index.ts';
import { transmitterOptions } from '../../suites/okta-receiver/index.ts';
import { loadOptionsOf, runLoadTarget } from '../certify/index.ts';
import { PLAN_ENTRIES } from '../certify/plan-entries.ts';
import { integerOption, parseCommandArgs, stringOption } from '../config/argv.ts';
import { prepareOutputDir } from '../config/outputs.ts';
import { findTargetFile, loadTarget } from '../config/target.ts';
import { HarnessError } from '../kernel/index.ts';
import { checksOf, tallyChecks } from '../records/index.ts';
import { unreachableErrors } from './certify-command.ts';
import { type CliIo, EXIT } from './io.ts';

export const DEFAULT_LOAD_DIR = 'reports/out/load';

export const LOAD_HELP = `Usage:
  ssf-lab load [--target FILE] [--count N | --duration SECONDS] [--rate R] [--connections C] [--out DIR]
  ssf-lab load --export artillery [--target FILE] [--count N | --duration SECONDS] [--rate R] [--out DIR]

  Pushes signed SETs at a receiver's push endpoint (RFC 8935) with autocannon and grades the run against
  the objectives of the target file's "load" section:

    "load": { "plan": "ssf-receiver", "count": 10000, "connections": 16, "invalidShare": 0.05,
              "p99Ms": 250, "minThroughput": 200 }

  "plan" names the section of "plans" that describes the receiver (pushEndpoint, authorization, audience,
  issuer, privateJwk, jwksPath, subject): ssf-receiver, or okta-receiver (which can register the issuer
  with Okta first). Every SET is signed before the clock starts and has its own jti; an "invalidShare" of
  them is signed by a key the receiver does not know, and each must be refused with 400. Where the
  receiver lists what it processed ("processedSets": a GET answering {"jtis": [...]}, or mock Okta's
  /_lab/security-events), the run also checks that every acknowledged SET had its effect.

Options:
  --target FILE       the target file (default: $SSF_LAB_TARGET, else ./ssf-lab.target.json)
  --count N           send N SETs (overrides the file's count or duration)
  --duration SECONDS  send for this long, at --rate (or load.rate): rate × duration SETs
  --rate R            requests per second across all connections (open loop); default: as fast as answered
  --connections C     concurrent connections (default: the file's, else 10)
  --out DIR           where to write load.html, report.html, certification.json, junit.xml, summary.md
                      (default: ${DEFAULT_LOAD_DIR})
  --export artillery  write the same load as an Artillery test instead of running it: ssf-lab-load.yml
                      and ssf-lab-set-processor.cjs (signs each SET with node:crypto; the private key
                      comes from $SSF_LAB_LOAD_KEY, never from the files), for "artillery run" locally or
                      on Artillery's distributed runners; answers are counted as ssf_lab.valid.<status>
                      and ssf_lab.invalid.<status> (default rate when the file sets none: 50/s)

Objectives ("load" members, each a check; one the file does not set is skipped): p50Ms, p95Ms, p99Ms
(latency, every answer counted), minThroughput (answers per second over the run), maxErrorRate (share of
valid SETs allowed to go unacknowledged, default 0).

Exit codes: 0 every objective held, 1 a check failed, 2 bad option or target file, 3 the receiver could
not be reached at all, 130/143 stopped by SIGINT/SIGTERM.
`;

const fixed = (n: number): string => n.toFixed(1);

export async function loadCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, {
    target: { type: 'string' },
    count: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    connections: { type: 'string' },
    out: { type: 'string' },
    export: { type: 'string' },
  });
  if (args.positionals.length > 0)
    throw new HarnessError(
      'ERR_USAGE',
      `ssf-lab load takes no arguments, only options (got "${args.positionals[0]}")`,
    );
  const cwd = process.cwd();
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const count = integerOption(args, 'count', { min: 1, max: 1_000_000 });
  const duration = integerOption(args, 'duration', { min: 1, max: 3600 });
  if (count !== undefined && duration !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      '--count and --duration exclude each other: say how many, or for how long',
    );
  const rate = integerOption(args, 'rate', { min: 1, max: 100_000 });
  const connections = integerOption(args, 'connections', { min: 1, max: 1024 });
  const out = stringOption(args, 'out') ?? DEFAULT_LOAD_DIR;
  if (out === '') throw new HarnessError('ERR_USAGE', '--out needs a DIR');
  const explicit = stringOption(args, 'target');
  if (explicit === '') throw new HarnessError('ERR_USAGE', '--target needs a FILE');
  const file =
    explicit !== undefined
      ? resolve(cwd, explicit)
      : io.env === undefined
        ? findTargetFile(cwd)
        : findTargetFile(cwd, io.env);
  if (file === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'ssf-lab load needs a target file with a "load" section: --target FILE, $SSF_LAB_TARGET, or ./ssf-lab.target.json',
    );
  const schemas = Object.fromEntries(PLAN_ENTRIES.map((e) => [e.plan.name, e.plan.optionsSchema]));
  // The command's environment when it has one (tests, embedders), else the process's (config's default).
  const target =
    io.env === undefined ? await loadTarget(file, schemas) : await loadTarget(file, schemas, io.env);
  if (target.load === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `${shown(resolve(file))} has no "load" section: add one naming the plan whose endpoint to load, e.g. "load": { "plan": "ssf-receiver", "count": 1000, "p99Ms": 250 }`,
    );
  const exporting = stringOption(args, 'export');
  if (exporting !== undefined && exporting !== 'artillery')
    throw new HarnessError('ERR_USAGE', `--export takes "artillery", not "${exporting}"`);
  await prepareOutputDir(resolve(cwd, out), exporting === undefined ? 'the reports' : 'the Artillery test');
  const overrides = {
    ...(count === undefined ? {} : { count }),
    ...(duration === undefined ? {} : { duration }),
    ...(rate === undefined ? {} : { rate }),
    ...(connections === undefined ? {} : { connections }),
  };
  if (exporting !== undefined) {
    const options = loadOptionsOf(target, overrides);
    const receiver =
      options.plan === 'okta-receiver' ? transmitterOptions(options.receiver) : options.receiver;
    const files = await artilleryExport(receiver, options.load);
    const dir = resolve(cwd, out);
    await writeFile(join(dir, ARTILLERY_SCRIPT), files.script);
    await writeFile(join(dir, ARTILLERY_PROCESSOR), files.processor);
    io.stdout(
      `Wrote ${shown(join(dir, ARTILLERY_SCRIPT))} and ${shown(join(dir, ARTILLERY_PROCESSOR))}.\nRun it from ${shown(dir)}: ${files.command}\n`,
    );
    return EXIT.ok;
  }
  const signal = io.stopSignal?.() ?? new AbortController().signal;
  const onEvent = (event: CertifyEvent): void => {
    if (event.type === 'progress') io.stdout(`  ${event.line}\n`);
  };
  io.stdout(`ssf-lab load: ${target.name} — ${target.load.plan} (${shown(resolve(file))})\n`);
  let result: Awaited<ReturnType<typeof runLoadTarget>>;
  try {
    result = await runLoadTarget(target, {
      signal,
      onEvent,
      overrides,
    });
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    io.stderr(`ssf-lab: load could not run: ${(error as Error).message ?? String(error)}\n`);
    return EXIT.usage;
  }
  const { record, capture } = result;
  if (capture !== undefined) {
    const s = capture.stats;
    io.stdout(
      [
        `  ${s.answered} of ${s.sent} SETs answered in ${fixed(s.durationMs / 1000)} s: ${fixed(s.throughput)}/s (signed in ${fixed(capture.signingMs / 1000)} s before the run)`,
        `  latency p50 ${fixed(s.latencyMs.p50)} ms, p95 ${fixed(s.latencyMs.p95)} ms, p99 ${fixed(s.latencyMs.p99)} ms, max ${fixed(s.latencyMs.max)} ms`,
        `  answers: ${Object.entries(s.statuses)
          .map(([k, n]) => `${k === 'none' ? 'no answer' : k} ×${n}`)
          .join(', ')}${
          Object.keys(s.errs).length > 0
            ? `; refusals by err: ${Object.entries(s.errs)
                .map(([k, n]) => `${k} ×${n}`)
                .join(', ')}`
            : ''
        }`,
        '',
      ].join('\n'),
    );
  }
  for (const check of checksOf(record)) {
    const why = check.findings.map((f) => f.message).join('; ') || check.reason || '';
    io.stdout(`  ${check.status.padEnd(8)} ${check.id}${why === '' ? '' : ` — ${why}`}\n`);
  }
  io.stdout(`${tallyLine(tallyChecks(checksOf(record)))}\n`);
  io.stderr(unreachableErrors(record));
  const dir = resolve(cwd, out);
  try {
    const paths = await writeCertificationReports(record, dir);
    const page = join(dir, 'load.html');
    await writeFile(page, renderLoadHtml(record, capture?.stats));
    io.stdout(`Reports: ${shown(page)} (figures and charts; no network needed), ${shown(paths.html)}\n`);
    io.stdout(`         ${shown(paths.junit)}, ${shown(paths.json)}, ${shown(paths.markdown)}\n`);
  } catch (error) {
    io.stderr(
      `ssf-lab: cannot write the reports to "${out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return EXIT.usage;
  }
  if (signal.aborted) return typeof signal.reason === 'string' && signal.reason === 'SIGTERM' ? 143 : 130;
  if ((record.unreachable?.length ?? 0) > 0) return EXIT.unreachable;
  return record.passed ? EXIT.ok : EXIT.failures;
}
