/**
 * The lab console on a port of its own: `ssf-lab serve` starts it beside the lab's six services (and
 * `ssf-lab demo --console` beside its lab). It speaks what the lab speaks — https with a certificate from
 * the lab's CA when the lab has TLS, plain http when it does not — and has the same listen limits as every
 * lab port. It reaches the lab as a client holding the manifest does (lab.clientFetch: not recorded in
 * the timeline it shows, never subject to the lab's faults), and follows the lab's timeline for the live
 * page. `close()` ends every page's stream and forgets every session; stop it with the lab.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { HarnessError, rememberLabCredential } from '../kernel/index.ts';
import {
  type CertificateAuthority,
  httpsFront,
  issueServerCertificate,
  type Lab,
  type LabManifest,
  LISTEN_LIMITS,
  type ListenLimits,
  labServerNames,
  limitListener,
  stopListening,
} from '../lab/index.ts';
import { buildConsoleApp } from './console-app.ts';
import { ConsoleAuth } from './console-auth.ts';
import { LabClient } from './lab-client.ts';
import { ConsoleRuns, type ScenarioFile } from './runs.ts';

export interface ConsoleOptions {
  readonly lab: Lab;
  /** The lab's manifest: the console uses the services with its URLs and credentials. */
  readonly manifest: LabManifest;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The port (default a free one). */
  readonly port?: number;
  /** The host name in the console's URL (default 127.0.0.1, or `host` when it is a specific address). */
  readonly publicHost?: string;
  /** The lab's CA, to serve https with a certificate from it; without it, plain http. */
  readonly ca?: CertificateAuthority;
  /**
   * The token that signs in (default the lab admin token; a lab with open controls gets a random one of
   * the console's own: the console still hands out what the controls do, to whoever holds it).
   */
  readonly token?: string;
  readonly listenLimits?: Partial<ListenLimits>;
  /** The scenarios the Runs page offers (each run against this lab, through the manifest). Default none. */
  readonly scenarios?: readonly ScenarioFile[];
}

export interface LabConsole {
  /** Where the console is, without any credential: what the manifest's `console.url` says. */
  readonly url: string;
  /** `url` with `?token=…`: opens the console signed in. A secret, like the token it carries. */
  readonly signInUrl: string;
  close(): Promise<void>;
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startConsole(options: ConsoleOptions): Promise<LabConsole> {
  const host = options.host ?? '127.0.0.1';
  const limits = { ...LISTEN_LIMITS, ...options.listenLimits };
  const token = options.token ?? options.lab.adminToken ?? randomBytes(32).toString('base64url');
  rememberLabCredential(token);
  const secure = options.ca !== undefined;
  const auth = new ConsoleAuth(token, { secure });
  const client = new LabClient(options.manifest, options.lab.clientFetch);
  const runs = new ConsoleRuns(options.scenarios ?? [], options.manifest, options.lab.clientFetch);
  const { app, feed } = await buildConsoleApp({ auth, client, timeline: options.lab.timeline, runs });
  const publicHost = options.publicHost ?? urlHost(host);
  let server: Server = app.server;
  if (options.ca !== undefined) {
    const certificate = issueServerCertificate(options.ca, labServerNames(host, publicHost));
    server = httpsFront(app.server, certificate, limits.headersTimeoutMs) as unknown as Server;
  }
  limitListener(server, limits);
  try {
    await listenOn(server, host, options.port ?? 0);
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new HarnessError(
      'ERR_USAGE',
      code === 'EADDRINUSE'
        ? `the console's port ${options.port} is already in use; choose another`
        : `the console could not listen on ${host}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `${secure ? 'https' : 'http'}://${publicHost}:${port}/`;
  let closing: Promise<void> | undefined;
  return {
    url,
    signInUrl: `${url}?token=${encodeURIComponent(token)}`,
    close: () => {
      closing ??= (async () => {
        feed.close();
        auth.clear();
        stopListening(server);
        if (server !== app.server) await new Promise<void>((resolve) => server.close(() => resolve()));
        await app.close();
      })();
      return closing;
    },
  };
}
