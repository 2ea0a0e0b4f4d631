/**
 * `ssf-lab serve`: the whole lab on 127.0.0.1 — mock Okta, Jamf Pro, Jamf Security Cloud and the three
 * apps — configured as at the end of the seed's set-up, for clients outside this process (curl, Okta's
 * SDK, a browser, another test runner). When it is ready it prints one JSON line on stdout, the lab
 * manifest (URLs and credentials), and runs until it is asked to stop.
 *
 * stdout carries the manifest and nothing else; stderr carries what a person watching needs (each
 * step, the URLs) and never a secret.
 */
import { flag, integerOption, type ParsedArgs, parseCommandArgs, stringOption } from '../config/argv.ts';
import { writePrivateFileAtomically } from '../config/outputs.ts';
import { configureSeed, type Lab, labManifest, StepFailedError, startLab } from '../lab/index.ts';
import { HarnessError, isHarnessError } from '../protocol/index.ts';
import { type CliIo, EXIT } from './io.ts';

/** The lab listens on BASE … BASE+5: Okta, Jamf Pro, Jamf Security Cloud, Salesforce, Google Workspace, Office 365. */
const SERVICES = 6;

export const SERVE_HELP = `Usage:
  ssf-lab serve [--port BASE] [--seed N] [--devices N] [--manifest FILE]

  Starts the lab on 127.0.0.1 — mock Okta, Jamf Pro, Jamf Security Cloud, Salesforce, Google Workspace
  and Office 365 over one seeded fleet — and configures it as at the end of the seed's set-up. When it is
  ready it prints ONE JSON line on stdout, the lab manifest: each service's URL and credentials.
  Progress and URLs go to stderr. Ctrl-C or SIGTERM stops it (exit 0); a second one ends it at once.

Options:
  --port BASE       listen on BASE to BASE+5: Okta, Jamf Pro, Jamf Security Cloud, Salesforce,
                    Google Workspace, Office 365 (1-65527; default: free ports)
  --seed N          fleet seed: the same seed gives the same people and devices (integer, default 1)
  --devices N       fleet size (1-10000, default 20)
  --manifest FILE   also write the manifest to FILE (mode 600, replaced atomically) before printing it

Exit codes: 0 stopped cleanly, 2 bad option or the lab could not start (a port in use, a set-up step
failing) — then nothing is left listening.
`;

interface ServeOptions {
  readonly basePort: number | undefined;
  readonly seed: number;
  readonly devices: number;
  readonly manifestFile: string | undefined;
}

function serveOptions(args: ParsedArgs): ServeOptions {
  const extra = args.positionals[0];
  if (extra !== undefined) throw new HarnessError('ERR_USAGE', `serve takes no arguments, not "${extra}"`);
  const manifestFile = stringOption(args, 'manifest');
  if (manifestFile === '') throw new HarnessError('ERR_USAGE', '--manifest needs a FILE');
  return {
    basePort: integerOption(args, 'port', { min: 1, max: 65535 - 8 }),
    seed: integerOption(args, 'seed') ?? 1,
    devices: integerOption(args, 'devices', { min: 1, max: 10_000 }) ?? 20,
    manifestFile,
  };
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** What went wrong, on one line, for a person who typed `ssf-lab serve`. */
function startFailure(error: unknown, options: ServeOptions): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && (cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const port = (cause as { port?: unknown }).port;
    const where = typeof port === 'number' ? `port ${port} on 127.0.0.1 is` : 'a lab port is';
    return options.basePort === undefined
      ? `${where} already in use (taken after it was found free); try again, or pick ports with --port`
      : `${where} already in use; choose another --port (the lab listens on ${options.basePort} to ${options.basePort + SERVICES - 1})`;
  }
  if (error instanceof StepFailedError) return `the lab's set-up failed at ${error.message}`;
  if (isHarnessError(error)) return error.message;
  return `the lab could not start: ${error instanceof Error ? error.message : String(error)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function readyReport(lab: Lab, options: ServeOptions): string {
  const rows: [string, string][] = [
    ['Okta', lab.urls.okta],
    ['Jamf Pro', lab.urls.jamfPro],
    ['Jamf Security Cloud', lab.urls.jamfSecurityCloud],
    ['  SSF issuer', lab.jsc.issuer],
    ...Object.values(lab.apps).map((app): [string, string] => [app.label, lab.urls.apps[app.kind]]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  const lines = rows.map(([name, url]) => `  ${name.padEnd(width)}${url}`);
  lines.push(
    options.manifestFile === undefined
      ? 'The manifest (URLs and credentials) is the JSON line on stdout.'
      : `The manifest (URLs and credentials) is on stdout and in ${options.manifestFile} (mode 600).`,
    'Stop with Ctrl-C or SIGTERM.',
  );
  return `ssf-lab serve: the lab is ready\n${lines.join('\n')}\n`;
}

export async function serveCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, {
    port: { type: 'string' },
    seed: { type: 'string' },
    devices: { type: 'string' },
    manifest: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(args, 'help')) {
    io.stdout(SERVE_HELP);
    return EXIT.ok;
  }
  const options = serveOptions(args);
  const stop = io.stopSignal?.() ?? new AbortController().signal;
  const log = (text: string): void => io.stderr(`${text}\n`);
  const fail = (error: unknown): number => {
    io.stderr(`ssf-lab: ${oneLine(startFailure(error, options))}\n`);
    return EXIT.usage;
  };

  const { basePort, seed, devices } = options;
  log(
    `ssf-lab serve: starting the lab on 127.0.0.1 (seed ${seed}, ${devices} devices, ${
      basePort === undefined ? 'free ports' : `ports ${basePort}-${basePort + SERVICES - 1}`
    })`,
  );
  let lab: Lab;
  try {
    lab = await startLab({
      transport: 'loopback',
      seed,
      devices,
      ...(basePort === undefined ? {} : { basePort }),
    });
  } catch (error) {
    // startLab closes whatever it had started before it throws.
    return fail(error);
  }

  let failure: unknown;
  let failed = false;
  try {
    if (!stop.aborted) {
      log("ssf-lab serve: configuring it as at the end of the seed's set-up");
      const setUp = configureSeed(lab, { onStep: (step) => log(`  ${step}`) });
      // A stop during the set-up closes the lab under it; its then-failing request is of no interest.
      setUp.catch(() => undefined);
      await Promise.race([setUp, aborted(stop)]);
    }
    if (!stop.aborted) {
      const line = `${JSON.stringify(labManifest(lab))}\n`;
      if (options.manifestFile !== undefined)
        await writePrivateFileAtomically(options.manifestFile, line, 'the manifest file');
      log(readyReport(lab, options).trimEnd());
      io.stdout(line);
      await aborted(stop);
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  if (!failed || stop.aborted)
    log(`ssf-lab serve: stopping the lab${typeof stop.reason === 'string' ? ` (${stop.reason})` : ''}`);
  await lab.close();
  // A failure caused by a stop (a request cut off by the closing lab) is not a failure.
  if (failed && !stop.aborted) return fail(failure);
  log('ssf-lab serve: the lab is stopped');
  return EXIT.ok;
}
