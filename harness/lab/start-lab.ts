/**
 * The lab: every mock — Okta, Jamf Pro, Jamf Security Cloud and the three downstream apps — built over one
 * seeded fleet and wired so each reaches the others by URL, as the real services do.
 *
 * Two transports, identical behaviour:
 * - `in-process` (default): the services keep their https lab origins (`https://acme.okta.lab`, …); the
 *   mocks' own outbound calls go through an inject fetch over those origins, and msw intercepts every other
 *   client in the process (fetch, node:http — Okta's Node SDK unmodified), so no socket is opened between
 *   lab services; a URL outside the lab (a user's receiver on 127.0.0.1) is reached through the process's
 *   fetch, as any client would;
 * - `loopback`: each service listens on 127.0.0.1 (or `host`) and the URLs are `http://127.0.0.1:<port>`
 *   (or `http://<publicHost>:<port>`: see listen.ts for how the lab then still reaches itself) — or
 *   `https://…` with `tls`: every service presents a certificate from the lab's CA, and the lab's own
 *   outbound calls trust that CA (tls/lab-tls.ts).
 *
 * The mocks' calls to each other get the lab's fetch explicitly rather than through msw, so they never
 * depend on process-wide patching (a user's own msw set-up cannot divert them).
 */
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type AppKind, type AppMock, buildAppMock } from '../../mocks/apps/index.ts';
import { buildJamfProMock, DEFAULT_CLIENT_ID, DEFAULT_USERNAME } from '../../mocks/jamf-pro/index.ts';
import { buildJscMock, JSC_LAB_APP_ID, type JscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { buildOktaMock, type OktaMock } from '../../mocks/okta/index.ts';
import {
  Deviations,
  HarnessError,
  rememberLabCredential,
  type Scheduler,
  systemScheduler,
} from '../kernel/index.ts';
import { LAB_APPS, Timeline } from '../records/index.ts';
import { createHttpFetch, createInjectFetch, type Injectable } from '../ssf/index.ts';
import { LAB_DEVIATIONS } from './deviations.ts';
import { Faults } from './faults.ts';
import { type Interception, interceptOrigins, type MswServerLike } from './intercept.ts';
import { gateInjectable, newLabAdminToken, withLabAdminToken } from './lab-admin.ts';
import { buildLabControls, isLabControl } from './lab-controls.ts';
import {
  bindAddress,
  dialHost,
  dialLabOrigins,
  endConnectionsOnClose,
  gateLabAdmin,
  publicHostName,
  serveLabControls,
  serveReadiness,
} from './listen.ts';
import { type ListenLimits, limitListener, listenLimits, stopListening } from './listen-limits.ts';
import { OutboundCalls } from './outbound-calls.ts';
import {
  httpsFront,
  type LabTlsOption,
  labCertificateAuthority,
  labServerNames,
  labTls,
} from './tls/lab-tls.ts';

export type LabTransport = 'in-process' | 'loopback';

export const APP_KINDS_IN_LAB: readonly AppKind[] = LAB_APPS;

export interface LabOptions {
  /** `in-process` (default) or `loopback`. */
  readonly transport?: LabTransport;
  /** Fleet seed shared by every mock (default 1). */
  readonly seed?: number;
  /** Fleet size (default 20). */
  readonly devices?: number;
  /** Loopback only: services listen on basePort, basePort+1, … (default: free ports). */
  readonly basePort?: number;
  /** Loopback only: the address the services listen on (default 127.0.0.1; 0.0.0.0 in a container). */
  readonly host?: string;
  /**
   * Loopback only: the host name the lab advertises — every URL is `http://<publicHost>:<port>`, on the
   * port the service listens on (default: 127.0.0.1, or `host` when it is a specific address).
   */
  readonly publicHost?: string;
  /**
   * Loopback only: what `GET /_lab/ready` answers on every service's port — 200 while this returns true,
   * 503 before (default: ready as soon as the services listen).
   */
  readonly ready?: () => boolean;
  /** Fixed credentials instead of random ones (each one left out stays random). */
  readonly credentials?: LabCredentials;
  /** In-process only: intercept the lab origins for every client in the process with msw (default true). */
  readonly intercept?: boolean;
  /**
   * In-process only: the process's own msw server, created with `setupServer(...yours, ...labHandlers)`,
   * instead of the hidden one the lab would start (two msw servers in one process hide each other's
   * handlers). Your handlers keep answering; the lab's answer its origins.
   */
  readonly msw?: MswServerLike;
  /** Time for every mock (default real time). */
  readonly scheduler?: Scheduler;
  /**
   * Rules the services break on purpose from the start (LAB_DEVIATIONS, docs/self-test.md): e.g.
   * `transmitter-typ-jwt`. `lab.deviations` and `PUT /_lab/deviations/{name}` switch them later.
   */
  readonly deviations?: readonly string[];
  /**
   * What `GET /_lab/record` answers: a maker of the lab's run record so far, or undefined while there is
   * none yet (503). Without this option the control answers 404. `ssf-lab serve` gives it.
   */
  readonly record?: () => (() => Promise<unknown>) | undefined;
  /**
   * The lab admin token every `/_lab/` control asks for (`Authorization: Bearer <token>`; the readiness
   * probe stays open): a string to fix it, `false` for open controls. Default: on loopback a random one —
   * listening sockets are what other users of a shared machine reach, and the controls hand out sessions
   * and trust — and in-process none, since only code inside this process can reach an in-process lab, and
   * that code could read the mocks' state directly anyway. `credentials.adminToken` fixes it too.
   */
  readonly adminToken?: string | false;
  /**
   * Loopback only: serve every service (and every endpoint `attach` serves) over https with a server
   * certificate for the lab's names (localhost, the loopback addresses, `publicHost`, a specific `host`)
   * issued by a CA: `true` for a fresh one that lives only in this process, or `{ ca, key }` (PEM) to
   * sign with one you trust already. Every URL, issuer and metadata document is then https, the lab's
   * own calls trust that CA, and `lab.caCert` is what a client trusts.
   */
  readonly tls?: LabTlsOption;
  /**
   * Loopback only: the header, request and keep-alive timeouts and the connection cap of every socket the
   * lab listens on, each one given replacing its default in LISTEN_LIMITS (listen-limits.ts).
   */
  readonly listenLimits?: Partial<ListenLimits>;
}

/**
 * Credentials a lab can be given instead of drawing random ones, so that a CI configuration naming them
 * can be static. Secrets: never logged, never in a report.
 */
export interface LabCredentials {
  /** Okta: the admin's SSWS API token. */
  readonly oktaApiToken?: string;
  /** Jamf Pro: the password of the user `lab-admin`. */
  readonly jamfProPassword?: string;
  /** Jamf Pro: the secret of the API client `ssf-lab-jamf-pro-client`. */
  readonly jamfProClientSecret?: string;
  /** Jamf Security Cloud: the secret of the Radar API application `lab-app`. */
  readonly jscAppSecret?: string;
  /** The lab admin token for the `/_lab/` controls (see LabOptions.adminToken). */
  readonly adminToken?: string;
}

export interface LabUrls {
  readonly okta: string;
  readonly jamfPro: string;
  readonly jamfSecurityCloud: string;
  readonly apps: Readonly<Record<AppKind, string>>;
}

export interface Lab {
  readonly transport: LabTransport;
  readonly seed: number;
  readonly devices: number;
  readonly urls: LabUrls;
  readonly okta: OktaMock;
  readonly jamfPro: FastifyInstance;
  readonly jsc: JscMock;
  readonly apps: Readonly<Record<AppKind, AppMock>>;
  /** A fetch that reaches every lab service from the caller, whatever the transport (recorded as `harness`). */
  readonly fetch: typeof fetch;
  /**
   * A fetch that reaches every lab service as a client outside the lab does — what `ssf-lab serve`'s
   * users have: not recorded in the lab's timeline and never subject to the lab's faults (faults act on
   * the services' calls to each other). The scenario runner drives a lab through it.
   */
  readonly clientFetch: typeof fetch;
  /** Every exchange between the services and with the harness, redacted. */
  readonly timeline: Timeline;
  /** Take a service down (or make it answer an error) and bring it back: `lab.faults.down('okta')`. */
  readonly faults: Faults;
  /** Which rules the services break on purpose: `lab.deviations.enable('transmitter-typ-jwt')`. */
  readonly deviations: Deviations;
  /**
   * The token the `/_lab/` controls ask for, or undefined when they are open (an in-process lab by
   * default). `fetch` and `clientFetch` send it to the lab's controls by themselves. A secret.
   */
  readonly adminToken: string | undefined;
  /**
   * The CA certificate (PEM) the lab's https services chain to — what a client trusts
   * (`NODE_EXTRA_CA_CERTS`, `curl --cacert`) — or undefined for a lab without TLS. Never the CA's key.
   */
  readonly caCert: string | undefined;
  /**
   * Serves a harness endpoint — a receiver the lab's transmitter pushes to, a transmitter's metadata and
   * JWKS Okta fetches — where the lab's services reach it: in-process at `https://<name>.harness.lab`
   * (handed over with inject(), like the mocks), on loopback at a free 127.0.0.1 port. `detach` (or the
   * lab's close) takes it away.
   */
  attach(name: string, app: FastifyInstance): Promise<{ url: string; detach(): Promise<void> }>;
  /**
   * Stops the lab now and says what it cut short: SETs the transmitter still held (queued, in flight,
   * waiting to retry, held for a paused stream) are recorded as dropped with the reason `lab-stopped`,
   * every outbound call of the services is aborted, every listener closed with its connections destroyed
   * (half-sent requests included). Later calls resolve with the first one's answer.
   */
  stop(): Promise<LabStopped>;
  /** `stop()`, for callers that need no account of it. */
  close(): Promise<void>;
}

/** What stopping a lab cut short. */
export interface LabStopped {
  /** SETs recorded as dropped (`lab-stopped`) because the transmitter still held them. */
  readonly droppedSets: number;
  /** Outbound calls of the services aborted while open. */
  readonly abortedCalls: number;
}

const IN_PROCESS_ORIGINS = {
  okta: 'https://acme.okta.lab',
  jamfPro: 'https://jamf-pro.lab',
  jamfSecurityCloud: 'https://jsc.lab',
  apps: {
    salesforce: 'https://acme.my.salesforce.lab',
    'google-workspace': 'https://workspace.google.lab',
    office365: 'https://outlook.office365.lab',
  },
} as const satisfies LabUrls;

/** A port nothing listens on right now (the OS picks it; the mock binds it a moment later). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function loopbackUrls(
  basePort: number | undefined,
  host: string,
  publicHost: string,
  scheme: 'http' | 'https',
): Promise<LabUrls> {
  const ports: number[] = [];
  for (let i = 0; i < 3 + APP_KINDS_IN_LAB.length; i++)
    ports.push(basePort === undefined ? await freePort(host) : basePort + i);
  const url = (i: number): string => `${scheme}://${publicHost}:${ports[i]}`;
  return {
    okta: url(0),
    jamfPro: url(1),
    jamfSecurityCloud: url(2),
    apps: Object.fromEntries(APP_KINDS_IN_LAB.map((kind, i) => [kind, url(3 + i)])) as Record<
      AppKind,
      string
    >,
  };
}

function checkOptions(options: LabOptions): void {
  const { transport, seed, devices, basePort } = options;
  if (transport !== undefined && transport !== 'in-process' && transport !== 'loopback')
    throw new HarnessError(
      'ERR_USAGE',
      `transport must be "in-process" or "loopback", not ${JSON.stringify(transport)}`,
    );
  for (const name of ['host', 'publicHost', 'ready', 'listenLimits', 'tls'] as const)
    if (options[name] !== undefined && transport !== 'loopback')
      throw new HarnessError('ERR_USAGE', `${name} applies to the loopback transport only`);
  if (options.host !== undefined && bindAddress(options.host) === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `host must be an IP address or localhost, not ${JSON.stringify(options.host)}`,
    );
  if (options.publicHost !== undefined && publicHostName(options.publicHost) === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `publicHost must be a host name or an IP address (no scheme, port or path), not ${JSON.stringify(options.publicHost)}`,
    );
  if (options.msw !== undefined && (transport === 'loopback' || options.intercept === false))
    throw new HarnessError(
      'ERR_USAGE',
      'msw applies to the in-process transport with interception on (a loopback lab is reached over sockets)',
    );
  const admin = options.adminToken;
  // A token short enough to guess, or one a header cannot carry, is refused (never quoted back).
  for (const [name, token] of [
    ['adminToken', admin],
    ['credentials.adminToken', options.credentials?.adminToken],
  ] as const)
    if (
      token !== undefined &&
      token !== false &&
      (typeof token !== 'string' || !/^[\x21-\x7e]{16,256}$/.test(token))
    )
      throw new HarnessError(
        'ERR_USAGE',
        `${name} must be ${name === 'adminToken' ? 'false or ' : ''}16 to 256 printable ASCII characters without spaces (its value is not shown)`,
      );
  if (admin === false && options.credentials?.adminToken !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'adminToken is false (open controls) yet credentials.adminToken is given',
    );
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new HarnessError('ERR_USAGE', `seed must be an integer, not ${JSON.stringify(seed)}`);
  if (devices !== undefined && (!Number.isSafeInteger(devices) || devices < 1 || devices > 10_000))
    throw new HarnessError(
      'ERR_USAGE',
      `devices must be an integer from 1 to 10000, not ${JSON.stringify(devices)}`,
    );
  if (basePort !== undefined && (!Number.isSafeInteger(basePort) || basePort < 1 || basePort > 65535 - 8))
    throw new HarnessError(
      'ERR_USAGE',
      `basePort must be a port number from 1 to 65527, not ${JSON.stringify(basePort)}`,
    );
}

/** `server.listen(port, host)`, settled when it listens or fails (EADDRINUSE…). */
function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes a server the lab listens with itself (fastify closes only its own); never rejects. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Attempts on loopback with free ports, which another process may take between choosing and binding. */
const FREE_PORT_ATTEMPTS = 5;

function portTaken(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

/** Builds and starts every mock; nothing is configured yet (see `configureSeed`). */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  checkOptions(options);
  // The CA is settled once, so that a retry on new ports keeps it (a given one is checked here, first).
  const ca = options.tls === undefined ? undefined : labCertificateAuthority(options.tls);
  const settled: LabOptions = ca === undefined ? options : { ...options, tls: ca };
  // The mocks must know their own URLs before they listen, so free ports are chosen first and bound a
  // moment later; when another process wins one in between, the lab is built again on new ones.
  const retry = (options.transport ?? 'in-process') === 'loopback' && options.basePort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const lab = await startLabOnce(settled);
      for (const listener of labListeners) listener(lab);
      return lab;
    } catch (error) {
      if (!retry || attempt >= FREE_PORT_ATTEMPTS || !portTaken(error)) throw error;
    }
  }
}

const labListeners = new Set<(lab: Lab) => void>();

/**
 * Calls `listener` with every lab started in this process from now on, before anything uses it; returns
 * the way to stop. An audit hook: a command starts its labs out of the caller's reach, and the test that
 * proves no credential a lab issued reaches a report collects them from each lab this way.
 */
export function onLabStarted(listener: (lab: Lab) => void): () => void {
  labListeners.add(listener);
  return () => {
    labListeners.delete(listener);
  };
}

async function startLabOnce(options: LabOptions): Promise<Lab> {
  const transport = options.transport ?? 'in-process';
  const seed = options.seed ?? 1;
  const devices = options.devices ?? 20;
  const fleet = { seed, devices };
  const scheduler = options.scheduler ?? systemScheduler;
  const host = bindAddress(options.host ?? '127.0.0.1') ?? '127.0.0.1';
  const publicHost = publicHostName(options.publicHost ?? '') ?? dialHost(host);
  const urls =
    transport === 'in-process'
      ? IN_PROCESS_ORIGINS
      : await loopbackUrls(options.basePort, host, publicHost, options.tls === undefined ? 'http' : 'https');
  // A certificate per start (the CA was settled by startLab): for the names this lab is reached by.
  const tls = options.tls === undefined ? undefined : labTls(options.tls, labServerNames(host, publicHost));
  const outboundTls = tls === undefined ? {} : { ca: tls.caCert };
  const credentials = options.credentials ?? {};
  const limits = listenLimits(options.listenLimits);
  const adminToken =
    options.adminToken === false
      ? undefined
      : (options.adminToken ??
        credentials.adminToken ??
        (transport === 'loopback' ? newLabAdminToken() : undefined));
  if (adminToken !== undefined) rememberLabCredential(adminToken);

  // Routes are filled once the apps exist; the inject fetch reads the map at call time.
  const routes = new Map<string, Injectable>();
  const services = new Map<string, string>([
    ['okta', new URL(urls.okta).origin],
    ['jamf-pro', new URL(urls.jamfPro).origin],
    ['jamf-security-cloud', new URL(urls.jamfSecurityCloud).origin],
    ...APP_KINDS_IN_LAB.map((kind): [string, string] => [kind, new URL(urls.apps[kind]).origin]),
  ]);
  const faults = new Faults(services);
  const deviations = new Deviations(LAB_DEVIATIONS, options.deviations ?? []);
  // In-process, a URL no lab service owns (a user's receiver on 127.0.0.1, a real endpoint) goes out
  // through the process's fetch — through the user's msw handlers when they mock it, else to the network.
  const network: typeof fetch = (input, init) => globalThis.fetch(input, init);
  // On loopback under a public host, the lab reaches its own services at the bind address (listen.ts).
  const loopbackFetch =
    transport === 'loopback' && publicHost !== dialHost(host)
      ? dialLabOrigins(createHttpFetch(outboundTls), services.values(), dialHost(host))
      : createHttpFetch(outboundTls);
  // Every outbound call of the services is tracked, so that stopping the lab aborts those still open.
  const outbound = new OutboundCalls();
  const labFetch = faults.wrap(
    outbound.wrap(transport === 'in-process' ? createInjectFetch(routes, network) : loopbackFetch),
  );
  const timeline = new Timeline({
    now: () => scheduler.now(),
    services: new Map([...services].map(([name, origin]) => [origin, name])),
  });

  const closers: (() => Promise<unknown>)[] = [];
  /** Every server listening for the lab (its services, attached endpoints), to be closed at once. */
  const listening = new Set<Server>();
  let transmitter: JscMock['transmitter'] | undefined;
  let interception: Interception | undefined;
  let stopping: Promise<LabStopped> | undefined;
  const stop = (): Promise<LabStopped> => {
    stopping ??= (async () => {
      // In this order: the transmitter records what it still holds as dropped and stops its workers and
      // timers before its pushes are aborted (an aborted push would otherwise be a failure to retry);
      // then no outbound call is left open to time out; then every connection goes at once.
      const droppedSets = transmitter?.dropAllHeld('lab-stopped') ?? 0;
      transmitter?.close();
      const abortedCalls = outbound.stop();
      interception?.close();
      for (const server of listening) stopListening(server);
      await Promise.allSettled(closers.reverse().map((c) => c()));
      return { droppedSets, abortedCalls };
    })();
    return stopping;
  };
  const close = async (): Promise<void> => {
    await stop();
  };
  try {
    const okta = await buildOktaMock({
      orgUrl: urls.okta,
      fleet,
      clock: scheduler,
      fetch: timeline.recording(labFetch, 'okta'),
      deviations,
      ...(credentials.oktaApiToken === undefined ? {} : { apiToken: credentials.oktaApiToken }),
    });
    closers.push(() => okta.close());
    const jamfPro = await buildJamfProMock({
      fleet,
      baseUrl: urls.jamfPro,
      clock: scheduler,
      ...(credentials.jamfProPassword === undefined
        ? {}
        : { users: [{ username: DEFAULT_USERNAME, password: credentials.jamfProPassword }] }),
      ...(credentials.jamfProClientSecret === undefined
        ? {}
        : { clients: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: credentials.jamfProClientSecret }] }),
    });
    closers.push(() => jamfPro.close());
    const jsc = await buildJscMock({
      baseUrl: urls.jamfSecurityCloud,
      fleet,
      clock: scheduler,
      fetch: timeline.recording(labFetch, 'jamf-security-cloud'),
      deviations,
      ...(credentials.jscAppSecret === undefined
        ? {}
        : { apps: [{ appId: JSC_LAB_APP_ID, appSecret: credentials.jscAppSecret }] }),
    });
    closers.push(() => jsc.close());
    transmitter = jsc.transmitter;
    const apps = {} as Record<AppKind, AppMock>;
    for (const kind of APP_KINDS_IN_LAB) {
      const app = await buildAppMock({
        kind,
        origin: urls.apps[kind],
        oktaIssuer: urls.okta,
        fleet,
        clock: scheduler,
        fetch: timeline.recording(labFetch, kind),
        deviations,
      });
      closers.push(() => app.close());
      apps[kind] = app;
    }
    // The lab-wide controls (/_lab/faults, /_lab/timeline) answer on every service's origin.
    const controls = await buildLabControls({
      faults,
      timeline,
      deviations,
      ...(options.record === undefined ? {} : { record: options.record }),
    });
    closers.push(() => controls.close());
    const byOrigin: [string, FastifyInstance][] = [
      [urls.okta, okta.app],
      [urls.jamfPro, jamfPro],
      [urls.jamfSecurityCloud, jsc.app],
      ...APP_KINDS_IN_LAB.map((kind): [string, FastifyInstance] => [urls.apps[kind], apps[kind].app]),
    ];
    if (transport === 'in-process') {
      for (const [origin, app] of byOrigin) {
        const service: Injectable = app;
        const control: Injectable = controls;
        const route: Injectable = {
          inject: (request) =>
            (isLabControl(request.url.split('?')[0] ?? '') ? control : service).inject(request),
        };
        // The admin gate in front of the whole origin, so every /_lab/ route of the service is guarded.
        routes.set(origin, adminToken === undefined ? route : gateInjectable(route, adminToken));
      }
      if (options.intercept !== false)
        interception = await interceptOrigins(routes, options.msw === undefined ? {} : { msw: options.msw });
    } else {
      const ready = options.ready ?? (() => true);
      for (const [origin, app] of byOrigin) {
        serveLabControls(app.server, controls);
        // In front of the controls and the service, behind the (open) readiness probe.
        if (adminToken !== undefined) gateLabAdmin(app.server, adminToken);
        serveReadiness(app.server, ready);
        const port = Number(new URL(origin).port);
        if (tls === undefined) {
          endConnectionsOnClose(app.server);
          limitListener(app.server, limits);
          listening.add(app.server);
          await app.listen({ host, port });
        } else {
          // The app never listens itself: an https server in front hands it every request (lab-tls.ts).
          await app.ready();
          const front = httpsFront(app.server, tls.server, limits.headersTimeoutMs);
          endConnectionsOnClose(front);
          limitListener(front, limits);
          listening.add(front);
          closers.push(() => closeServer(front));
          await listenOn(front, host, port);
        }
      }
    }
    return {
      transport,
      seed,
      devices,
      urls,
      okta,
      jamfPro,
      jsc,
      apps,
      // Both send the admin token to the lab's own controls (and nowhere else): they are the lab's handles.
      fetch: withLabAdminToken(timeline.recording(labFetch, 'harness'), services.values(), adminToken),
      clientFetch: withLabAdminToken(
        transport === 'in-process' ? createInjectFetch(routes, network) : loopbackFetch,
        services.values(),
        adminToken,
      ),
      adminToken,
      caCert: tls?.caCert,
      timeline,
      faults,
      deviations,
      attach: async (name, app) => {
        if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(name))
          throw new TypeError(`attach: "${name}" is not a lowercase DNS label`);
        if (transport === 'in-process') {
          const origin = `https://${name}.harness.lab`;
          if (routes.has(origin)) throw new TypeError(`attach: ${origin} is already attached`);
          routes.set(origin, app);
          return {
            url: origin,
            detach: async () => {
              routes.delete(origin);
            },
          };
        }
        // On a TLS lab an attached endpoint is https too, with the lab's certificate (it names 127.0.0.1).
        let server: Server = app.server;
        if (tls === undefined) {
          limitListener(server, limits);
          await app.listen({ host: '127.0.0.1', port: 0 });
        } else {
          await app.ready();
          server = httpsFront(app.server, tls.server, limits.headersTimeoutMs);
          limitListener(server, limits);
          await listenOn(server, '127.0.0.1', 0);
        }
        listening.add(server);
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        let closed = false;
        const detach = async (): Promise<void> => {
          if (closed) return;
          closed = true;
          listening.delete(server);
          stopListening(server);
          if (server !== app.server) await closeServer(server);
          await app.close();
        };
        closers.push(detach);
        return { url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`, detach };
      },
      stop,
      close,
    };
  } catch (error) {
    await close();
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')
      throw new HarnessError(
        'ERR_USAGE',
        `a lab port is already in use (${error.message}); choose another basePort`,
        { cause: error },
      );
    throw error;
  }
}
