/**
 * `ssf-lab serve`: the whole lab on 127.0.0.1 (or `--host`) — mock Okta, Jamf Pro, Jamf Security Cloud
 * and the three apps, on https with a lab CA unless `--http` — configured as at the end of the seed's
 * set-up, for clients outside this process (curl, Okta's SDK, a browser, another test runner, another
 * container). When it is ready it prints one
 * JSON line on stdout, the lab manifest (URLs and credentials), answers `GET /_lab/ready` with 200 on
 * every port, and runs until it is asked to stop.
 *
 * stdout carries the manifest and nothing else; stderr carries what a person watching needs (each
 * step, the URLs) and never a secret. Every option can also come from an `SSF_LAB_…` variable, and the
 * credentials can be fixed by variables (config/serve-env.ts): the container is configured that way.
 */

import { dirname, resolve } from 'node:path';
import {
  flag,
  type IntegerRange,
  integerText,
  listOption,
  type ParsedArgs,
  parseCommandArgs,
  stringOption,
} from '../config/argv.ts';
import { prepareOutputDir, writePrivateFileAtomically } from '../config/outputs.ts';
import {
  type CaSource,
  CREDENTIAL_ENV,
  CREDENTIAL_RULE,
  caFileBeside,
  readLabCa,
  SERVE_SETTING_ENV,
  type ServeEnvironment,
  type ServeSettingName,
  serveEnvironment,
  temporaryCaDir,
  writeCaCertificate,
} from '../config/serve-env.ts';
import { type LabConsole, startConsole } from '../console/index.ts';
import { Deviations, HarnessError, isHarnessError } from '../kernel/index.ts';
import {
  bindAddress,
  CERTIFY_ONLY_SERVICES,
  type CertificateAuthority,
  configureSeed,
  createCertificateAuthority,
  deviationService,
  LAB_DEVIATIONS,
  type Lab,
  type LabCredentials,
  type LabStopped,
  LISTEN_LIMITS,
  labManifest,
  loadCertificateAuthority,
  publicHostName,
  READY_PATH,
  StepFailedError,
  startLab,
} from '../lab/index.ts';
import { type Following, followLab, manifestTarget, narrator, sessionRecord } from '../runner/index.ts';
import { consoleScenarios } from './console-scenarios.ts';
import { type CliIo, EXIT } from './io.ts';

/** The lab listens on BASE … BASE+5: Okta, Jamf Pro, Jamf Security Cloud, Salesforce, Google Workspace, Office 365. */
const SERVICES = 6;

/**
 * How long serve gives the lab to stop before it ends anyway. Stopping aborts every outbound call and
 * destroys every connection, so it takes milliseconds; the deadline is for what nothing foresaw, and keeps
 * the whole stop well within the 10 s grace `docker stop` gives (SERVE_HELP promises it).
 */
export const STOP_DEADLINE_MS = 3_000;

const CREDENTIAL_HELP: Readonly<Record<keyof typeof CREDENTIAL_ENV, string>> = {
  oktaApiToken: "Okta: the admin's SSWS API token",
  jamfProPassword: 'Jamf Pro: the password of lab-admin',
  jamfProClientSecret: "Jamf Pro: the API client's secret",
  jscAppSecret: "Jamf Security Cloud: the Radar API application's secret",
  streamToken: 'Jamf Security Cloud: the stream-management bearer token',
  adminToken: 'the lab admin token the /_lab/ controls ask for',
};

const ENVIRONMENT_HELP = [
  `  ${Object.values(SERVE_SETTING_ENV).join(', ')}`,
  '      as the options above',
  ...Object.entries(CREDENTIAL_HELP).map(
    ([name, what]) => `  ${CREDENTIAL_ENV[name as keyof typeof CREDENTIAL_ENV].padEnd(32)}${what}`,
  ),
  `  Each credential is ${CREDENTIAL_RULE}; unset, it is random.`,
].join('\n');

export const SERVE_HELP = `Usage:
  ssf-lab serve [--port BASE] [--host ADDR] [--public-host NAME] [--seed N] [--devices N]
                [--manifest FILE] [--deviate NAME]... [--open-lab]
                [--ca-cert FILE --ca-key FILE | --http] [--narrate] [--console-port PORT]

  Starts the lab on 127.0.0.1 — mock Okta, Jamf Pro, Jamf Security Cloud, Salesforce, Google Workspace
  and Office 365 over one seeded fleet — and configures it as at the end of the seed's set-up. When it is
  ready it prints ONE JSON line on stdout, the lab manifest: each service's URL and credentials.
  Progress and URLs go to stderr. Ctrl-C or SIGTERM stops it (exit 0, below); a second one ends it at
  once (exit 130 after Ctrl-C, 143 after SIGTERM).

Options:
  --port BASE          listen on BASE to BASE+5: Okta, Jamf Pro, Jamf Security Cloud, Salesforce,
                       Google Workspace, Office 365 (1-65527; default: free ports)
  --host ADDR          the address to listen on: an IP address or localhost (default 127.0.0.1;
                       0.0.0.0 to be reachable from other machines or through a container's ports)
  --public-host NAME   the host name the lab advertises: every URL in the manifest, the SSF metadata
                       and the issuers is https://NAME:<port>, on the port the service listens on
                       (default 127.0.0.1, or ADDR when it is a specific address). Publish the ports
                       one to one. The lab still reaches itself at ADDR when NAME does not resolve.
  --seed N             fleet seed: the same seed gives the same people and devices (integer, default 1)
  --devices N          fleet size (1-10000, default 20)
  --manifest FILE      also write the manifest to FILE (mode 600, replaced atomically) before printing it
  --deviate NAME       a rule a service breaks on purpose, e.g. transmitter-typ-jwt (repeatable): see
                       every check fail end to end (docs/self-test.md lists them; GET /_lab/deviations
                       on any port shows them, PUT/DELETE /_lab/deviations/NAME switches one at run time)
  --narrate            tell on stderr what happens once the lab is ready, as npm run demo does: each SET,
                       each System Log step of Okta's chain, each app's logout, in milliseconds
  --console-port PORT  the lab console's port (default BASE+6 with --port BASE, else a free one;
                       $SSF_LAB_CONSOLE_PORT; publish it in a container): a web
                       page showing the fleet, the streams, the live timeline and Okta's side, served
                       over the lab's TLS (or http with --http) and signed in with the manifest's
                       console.signInUrl, which carries the lab admin token (docs/console.md)
  --open-lab           let the /_lab/ controls answer without the lab admin token (a warning is
                       printed): only on a machine nobody else reaches
  --ca-cert FILE       sign the services' certificate with this CA (PEM; RSA or ECDSA P-256/P-384,
  --ca-key FILE        CA:true, in date) instead of a new one; both or neither
  --http               plain http instead of https (every URL and issuer is then http://)

TLS (the default): every port speaks https only, with a certificate (30 days, ECDSA P-256) for
localhost, 127.0.0.1, ::1, --public-host and a specific --host, issued by a CA that serve makes at
start (1 year; its key never leaves the process) or the one given. The CA certificate is written
beside the manifest (--manifest lab.json: lab.ca.pem; mode 644, kept) or into a temporary directory
removed at stop, and named in the manifest as tls.caFile (tls.caCert holds the PEM itself). Trust it:
  curl --cacert CA.pem https://127.0.0.1:<port>/…     NODE_EXTRA_CA_CERTS=CA.pem node …
ssf-lab run --target MANIFEST and the black-box target file trust it by themselves.

Lab controls: every /_lab/ route (faults, deviations, the timeline, sessions, service apps, trusted
issuers, threats, resets…) bypasses the credentials in the manifest, so each one asks for the lab admin
token — the manifest's lab.adminToken, random per run unless SSF_LAB_ADMIN_TOKEN fixes it — as
Authorization: Bearer <token>; without it: 401. GET ${READY_PATH} stays open.

Record: GET /_lab/record (with the token) answers the run record so far — every exchange between the
services, Okta's System Log, each app's logouts, where each SET ended up; ssf-lab report --from MANIFEST
renders it as the HTML, JSON, JUnit and Markdown reports.

Readiness: GET ${READY_PATH} on any of the ports answers 503 {"ready":false} while the lab is set up
(and while it stops), 200 {"ready":true} once the manifest is printed.

Limits: every port cuts a client that takes over ${LISTEN_LIMITS.headersTimeoutMs / 1000} s to send its request headers or ${LISTEN_LIMITS.requestTimeoutMs / 1000} s to
send a whole request (408, then the connection is closed), closes a keep-alive connection idle for
${LISTEN_LIMITS.keepAliveTimeoutMs / 1000} s, and holds at most ${LISTEN_LIMITS.maxConnections} connections (more are closed as they arrive).
On https, a TLS handshake not finished within ${LISTEN_LIMITS.headersTimeoutMs / 1000} s is cut as well.

Stopping: the first Ctrl-C or SIGTERM closes every port and every connection (half-sent requests
included), aborts every call the services have in flight and records the SETs the transmitter still
held as dropped (reason lab-stopped; their number is printed). It takes milliseconds; after ${STOP_DEADLINE_MS / 1000} s
serve ends anyway, with a note on stderr. Either way the exit code is 0.

Environment (an option on the command line wins):
${ENVIRONMENT_HELP}

Exit codes: 0 stopped cleanly, 2 bad option or variable, or the lab could not start (a port in use, a
set-up step failing) — then nothing is left listening.
`;

interface ServeOptions {
  readonly basePort: number | undefined;
  readonly host: string;
  /** Undefined: the lab's default (where its own clients connect). */
  readonly publicHost: string | undefined;
  readonly seed: number;
  readonly devices: number;
  readonly manifestFile: string | undefined;
  readonly credentials: LabCredentials;
  readonly streamToken: string | undefined;
  readonly deviations: readonly string[];
  /** `--open-lab`: the `/_lab/` controls answer without the lab admin token. */
  readonly openLab: boolean;
  /** `--http`: plain http instead of https with the lab's CA. */
  readonly http: boolean;
  /** `--ca-cert`/`--ca-key` (or their variables): the CA to sign with instead of a fresh one. */
  readonly caCert: CaSource | undefined;
  readonly caKey: CaSource | undefined;
  /** `--console-port`: undefined for a free port. */
  readonly consolePort: number | undefined;
}

const OPTION_OF: Readonly<Record<ServeSettingName, string>> = {
  host: 'host',
  port: 'port',
  publicHost: 'public-host',
  seed: 'seed',
  devices: 'devices',
  http: 'http',
  caCert: 'ca-cert',
  caKey: 'ca-key',
  consolePort: 'console-port',
};

/** `SSF_LAB_HTTP`'s value as a switch. */
function httpSwitch(env: ServeEnvironment): boolean {
  const given = env.settings.http;
  if (given === undefined) return false;
  if (/^(1|true|yes)$/i.test(given.value)) return true;
  if (/^(0|false|no)$/i.test(given.value)) return false;
  throw new HarnessError(
    'ERR_USAGE',
    `${given.variable} must be 1 or 0 (true or false), not ${JSON.stringify(given.value)}`,
  );
}

function serveOptions(args: ParsedArgs, env: ServeEnvironment): ServeOptions {
  const extra = args.positionals[0];
  if (extra !== undefined) throw new HarnessError('ERR_USAGE', `serve takes no arguments, not "${extra}"`);
  const manifestFile = stringOption(args, 'manifest');
  if (manifestFile === '') throw new HarnessError('ERR_USAGE', '--manifest needs a FILE');
  /** A setting from its option, else from its variable, with the label an error names. */
  const setting = (name: ServeSettingName): { value: string; label: string } | undefined => {
    const option = stringOption(args, OPTION_OF[name]);
    if (option !== undefined) return { value: option, label: `--${OPTION_OF[name]}` };
    const fromEnv = env.settings[name];
    return fromEnv === undefined ? undefined : { value: fromEnv.value, label: fromEnv.variable };
  };
  const integer = (name: ServeSettingName, range?: IntegerRange): number | undefined => {
    const given = setting(name);
    return given === undefined ? undefined : integerText(given.value, given.label, range);
  };
  const host = setting('host');
  const boundTo = host === undefined ? '127.0.0.1' : bindAddress(host.value);
  if (boundTo === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `${host?.label} must be an IP address or localhost, not ${JSON.stringify(host?.value)}`,
    );
  const publicHost = setting('publicHost');
  if (publicHost !== undefined && publicHostName(publicHost.value) === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `${publicHost.label} must be a host name or an IP address (no scheme, port or path), not ${JSON.stringify(publicHost.value)}`,
    );
  const { streamToken, ...credentials } = env.credentials;
  const openLab = flag(args, 'open-lab');
  if (openLab && credentials.adminToken !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `--open-lab and ${CREDENTIAL_ENV.adminToken} exclude each other (open controls take no token)`,
    );
  const http = flag(args, 'http') || httpSwitch(env);
  const caCert = setting('caCert');
  const caKey = setting('caKey');
  if (http && (caCert ?? caKey) !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `${flag(args, 'http') ? '--http' : SERVE_SETTING_ENV.http} and ${(caCert ?? caKey)?.label} exclude each other (a CA is for https)`,
    );
  const deviations = listOption(args, 'deviate');
  // A misspelt name is a usage error now, not a lab that quietly follows the rules.
  new Deviations(LAB_DEVIATIONS, deviations);
  for (const name of deviations) {
    const service = deviationService(name);
    if (service !== undefined && CERTIFY_ONLY_SERVICES.includes(service))
      throw new HarnessError(
        'ERR_USAGE',
        `--deviate ${name}: the ${service} is not a service of serve; only \`ssf-lab certify --lab\` starts it (docs/self-test.md)`,
      );
  }
  const basePort = integer('port', { min: 1, max: 65535 - 8 });
  return {
    deviations,
    openLab,
    http,
    caCert,
    caKey,
    // With a base port the console takes the next one after the six services', so a container publishes
    // one range (BASE to BASE+6); without, a free port.
    consolePort:
      integer('consolePort', { min: 1, max: 65535 }) ?? (basePort === undefined ? undefined : basePort + 6),
    basePort,
    host: boundTo,
    publicHost: publicHost?.value,
    seed: integer('seed') ?? 1,
    devices: integer('devices', { min: 1, max: 10_000 }) ?? 20,
    manifestFile,
    credentials,
    streamToken,
  };
}

/** The lab's account of its stop, or undefined when it did not finish within `ms` (or failed). */
async function stopWithin(lab: Lab, ms: number): Promise<LabStopped | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    // The deadline must not itself keep a stopped process alive.
    timer.unref();
  });
  try {
    return await Promise.race([lab.stop().catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `--narrate`: what the lab does from now on, told on stderr as `npm run demo` tells a scenario — each SET,
 * each of Okta's System Log steps, each app's logout — with milliseconds since the lab was ready.
 */
function narrate(target: Parameters<typeof followLab>[0], io: CliIo): Following {
  const tell = narrator((text) => io.stderr(`${text}\n`), { color: io.color });
  tell({
    type: 'step',
    phase: 'start',
    step: { index: 0, kind: 'serve', title: 'the lab is ready: what happens from now on' },
    elapsedMs: 0,
  });
  return followLab(target, tell);
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** What went wrong, on one line, for a person who typed `ssf-lab serve`. */
function startFailure(error: unknown, options: ServeOptions): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL')
    return `cannot listen on ${options.host}: it is not an address of this machine (choose another --host)`;
  if (cause instanceof Error && (cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const port = (cause as { port?: unknown }).port;
    const where = typeof port === 'number' ? `port ${port} on ${options.host} is` : 'a lab port is';
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

function readyReport(
  lab: Lab,
  options: ServeOptions,
  caFile: string | undefined,
  consoleUrl: string,
): string {
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
    `Readiness: GET ${READY_PATH} on any port answers 200 now.`,
    ...(caFile === undefined
      ? ['Plain http (--http): no TLS.']
      : [
          `TLS: every service presents a certificate from the lab's CA, in ${caFile} (the manifest's tls.caFile). Trust it:`,
          `  curl --cacert ${caFile} ${new URL(lab.jsc.transmitter.paths.metadata, lab.jsc.issuer).href}`,
          `  NODE_EXTRA_CA_CERTS=${caFile} node …`,
        ]),
    lab.adminToken === undefined
      ? 'The /_lab/ controls are OPEN (--open-lab): they take no token.'
      : "The /_lab/ controls take the manifest's lab.adminToken: Authorization: Bearer <token>.",
    `The record so far: GET /_lab/record; render it with ssf-lab report --from ${
      options.manifestFile ?? 'MANIFEST'
    }.`,
    `Console: ${consoleUrl} — open the manifest's console.signInUrl to sign in (it carries the admin token).`,
    'Stop with Ctrl-C or SIGTERM.',
  );
  return `ssf-lab serve: the lab is ready\n${lines.join('\n')}\n`;
}

export async function serveCommand(rest: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(rest, {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-host': { type: 'string' },
    seed: { type: 'string' },
    devices: { type: 'string' },
    manifest: { type: 'string' },
    deviate: { type: 'string', multiple: true },
    'open-lab': { type: 'boolean' },
    http: { type: 'boolean' },
    'ca-cert': { type: 'string' },
    'ca-key': { type: 'string' },
    narrate: { type: 'boolean' },
    'console-port': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flag(args, 'help')) {
    io.stdout(SERVE_HELP);
    return EXIT.ok;
  }
  const options = serveOptions(args, io.env === undefined ? serveEnvironment() : serveEnvironment(io.env));
  // A manifest file that cannot be written is found before the lab starts, not after its set-up.
  if (options.manifestFile !== undefined)
    await prepareOutputDir(dirname(resolve(options.manifestFile)), 'the manifest file', {
      create: false,
      file: options.manifestFile,
    });
  // A given CA is read (and its pair required) before anything starts; startLab checks it is a CA's.
  const givenCa = options.http ? undefined : await readLabCa(options.caCert, options.caKey);
  const stop = io.stopSignal?.() ?? new AbortController().signal;
  const log = (text: string): void => io.stderr(`${text}\n`);
  const fail = (error: unknown): number => {
    io.stderr(`ssf-lab: ${oneLine(startFailure(error, options))}\n`);
    return EXIT.usage;
  };

  const { basePort, host, publicHost, seed, devices, credentials } = options;
  const fixed = Object.keys(credentials).length + (options.streamToken === undefined ? 0 : 1);
  log(
    `ssf-lab serve: starting the lab on ${host} (seed ${seed}, ${devices} devices, ${
      basePort === undefined ? 'free ports' : `ports ${basePort}-${basePort + SERVICES - 1}`
    }${publicHost === undefined ? '' : `, advertised as ${publicHost}`}${
      fixed === 0 ? '' : `, ${fixed} credential${fixed === 1 ? '' : 's'} from the environment`
    }${options.deviations.length === 0 ? '' : `, DEVIATING on purpose: ${options.deviations.join(', ')}`})`,
  );
  log(
    `ssf-lab serve: ${
      options.http
        ? 'plain http (--http): no TLS'
        : `https, with ${givenCa === undefined ? 'a new lab CA' : 'the given CA'} (its certificate is named in the manifest)`
    }`,
  );
  if (options.openLab)
    log(
      'ssf-lab serve: WARNING: --open-lab: the /_lab/ controls answer without the lab admin token. Anyone who can reach these ports can list live Okta session ids, register Okta API service apps, make the apps trust any issuer and take services down. Use it only on a machine nobody else reaches.',
    );
  // The readiness probe answers 503 until the set-up is done and the manifest printed, and again once
  // the lab is stopping.
  let ready = false;
  // GET /_lab/record: the lab's run record so far, made once the lab is configured (503 before).
  let record: (() => Promise<unknown>) | undefined;
  let following: Following | undefined;
  const startedAt = new Date().toISOString();
  let lab: Lab;
  // The CA is serve's own (not startLab's), so that the console's certificate comes from it too.
  let ca: CertificateAuthority | undefined;
  try {
    ca = options.http
      ? undefined
      : givenCa === undefined
        ? createCertificateAuthority()
        : loadCertificateAuthority(givenCa.ca, givenCa.key);
    lab = await startLab({
      transport: 'loopback',
      record: () => record,
      seed,
      devices,
      host,
      ...(publicHost === undefined ? {} : { publicHost }),
      ready: () => ready && !stop.aborted,
      credentials,
      ...(basePort === undefined ? {} : { basePort }),
      ...(options.deviations.length === 0 ? {} : { deviations: options.deviations }),
      ...(options.openLab ? { adminToken: false as const } : {}),
      ...(ca === undefined ? {} : { tls: ca }),
    });
  } catch (error) {
    // startLab closes whatever it had started before it throws.
    return fail(error);
  }

  let failure: unknown;
  let failed = false;
  // The CA certificate is written beside the manifest (kept, like it), or into a temporary directory
  // removed when serve stops.
  let caFile: string | undefined;
  let removeCaDir: (() => Promise<void>) | undefined;
  let labConsole: LabConsole | undefined;
  try {
    if (lab.caCert !== undefined) {
      if (options.manifestFile !== undefined) caFile = caFileBeside(options.manifestFile);
      else {
        const temporary = await temporaryCaDir();
        caFile = temporary.file;
        removeCaDir = temporary.remove;
      }
      await writeCaCertificate(caFile, lab.caCert);
    }
    if (!stop.aborted) {
      log("ssf-lab serve: configuring it as at the end of the seed's set-up");
      const setUp = configureSeed(lab, { onStep: (step) => log(`  ${step}`) });
      // A stop during the set-up closes the lab under it; its then-failing request is of no interest.
      setUp.catch(() => undefined);
      await Promise.race([setUp, aborted(stop)]);
    }
    if (!stop.aborted) {
      const manifestOptions = {
        ...(options.streamToken === undefined ? {} : { streamToken: options.streamToken }),
        ...(caFile === undefined ? {} : { caFile }),
      };
      // The console uses the services with the manifest's credentials, and the manifest names it.
      labConsole = await startConsole({
        lab,
        manifest: labManifest(lab, manifestOptions),
        host,
        ...(publicHost === undefined ? {} : { publicHost }),
        ...(options.consolePort === undefined ? {} : { port: options.consolePort }),
        ...(ca === undefined ? {} : { ca }),
        scenarios: consoleScenarios(),
      });
      const manifest = labManifest(lab, {
        ...manifestOptions,
        console: { url: labConsole.url, signInUrl: labConsole.signInUrl },
      });
      const line = `${JSON.stringify(manifest)}\n`;
      if (options.manifestFile !== undefined)
        await writePrivateFileAtomically(options.manifestFile, line, 'the manifest file');
      const served = lab;
      record = () =>
        sessionRecord(manifestTarget(manifest, { fetch: served.clientFetch }), {
          startedAt,
          name: 'ssf-lab serve',
        });
      log(readyReport(lab, options, caFile, labConsole.url).trimEnd());
      io.stdout(line);
      ready = true;
      if (flag(args, 'narrate'))
        following = narrate(manifestTarget(manifest, { fetch: served.clientFetch }), io);
      await aborted(stop);
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  ready = false;
  if (!failed || stop.aborted)
    log(`ssf-lab serve: stopping the lab${typeof stop.reason === 'string' ? ` (${stop.reason})` : ''}`);
  await following?.stop();
  await labConsole?.close().catch(() => undefined);
  const stopped = await stopWithin(lab, STOP_DEADLINE_MS);
  await removeCaDir?.().catch(() => undefined);
  // A failure caused by a stop (a request cut off by the closing lab) is not a failure.
  if (failed && !stop.aborted) return fail(failure);
  if (stopped === undefined) {
    log(
      `ssf-lab serve: the lab did not finish stopping within ${STOP_DEADLINE_MS / 1000} s; ending anyway (its listeners are closed)`,
    );
    return EXIT.ok;
  }
  if (stopped.droppedSets > 0)
    log(
      `ssf-lab serve: ${stopped.droppedSets} SET${stopped.droppedSets === 1 ? '' : 's'} the transmitter still held (queued, in flight or waiting to retry) recorded as dropped (lab-stopped)`,
    );
  log('ssf-lab serve: the lab is stopped');
  return EXIT.ok;
}
