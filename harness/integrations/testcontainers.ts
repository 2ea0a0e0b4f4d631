/**
 * `ssf-lab/testcontainers`: the lab's container image (the repository's Dockerfile, `ssf-lab serve`) in a
 * test, with its typed manifest:
 *
 *   const lab = await new SsfLabContainer('ssf-lab:latest').withSeed(7).start();
 *   lab.manifest.jamfSecurityCloud.issuer;   // https://127.0.0.1:<port>/sse/<tenant>, as the host sees it
 *   await lab.fetch(lab.manifest.jamfSecurityCloud.wellKnownUrl); // trusts the lab's CA (lab.caCert)
 *   await lab.stop();                         // SIGTERM: the lab stops cleanly (exit 0)
 *
 * The lab serves https with a CA `ssf-lab serve` makes at start (`withHttp()` for plain http): its
 * certificate comes in the manifest (`tls.caCert`), so `lab.fetch` — or any client given `lab.caCert` —
 * verifies the lab's certificates without a file from inside the container.
 *
 * The lab's URLs are absolute and signed into its tokens (the SSF issuer, Okta's org URL), so they must be
 * the same inside the container and outside. The container therefore listens on seven ports BASE…BASE+6
 * (the six services and the console) that are the same on the host — chosen free on the host and published one to one on a Docker network,
 * or used directly with host networking (`.withNetworkMode('host')`) — and advertises them under the
 * host's name for the Docker host (testcontainers' `getHost()`, `TESTCONTAINERS_HOST_OVERRIDE`). Inside,
 * the lab reaches its own services at its bind address whatever that name resolves to there.
 *
 * Needs the `testcontainers` package (an optional peer dependency of ssf-lab).
 * @module
 */
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import {
  AbstractStartedContainer,
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
  type StopOptions,
  type StoppedTestContainer,
  Wait,
} from 'testcontainers';
import { CREDENTIAL_ENV, SERVE_SETTING_ENV } from '../config/serve-env.ts';
import type { LabManifest } from '../lab/index.ts';
// The readiness path from its own module (a listed entry of harness/lab): the lab's index loads every mock,
// which a client of the container never needs.
import { READY_PATH } from '../lab/listen.ts';
import { createHttpFetch } from '../ssf/index.ts';

export type { LabManifest } from '../lab/index.ts';

/** The image `new SsfLabContainer()` runs: build it with `docker build -t ssf-lab .` in the repository. */
export const SSF_LAB_IMAGE = 'ssf-lab:latest';

/**
 * Credentials to fix instead of random ones (each becomes the `SSF_LAB_…` variable of `ssf-lab serve`);
 * one left out or undefined stays random.
 */
export interface SsfLabCredentials {
  /** Okta: the admin's SSWS API token (`SSF_LAB_OKTA_API_TOKEN`). */
  readonly oktaApiToken?: string | undefined;
  /** Jamf Pro: the password of `lab-admin` (`SSF_LAB_JAMF_PRO_PASSWORD`). */
  readonly jamfProPassword?: string | undefined;
  /** Jamf Pro: the API client's secret (`SSF_LAB_JAMF_PRO_CLIENT_SECRET`). */
  readonly jamfProClientSecret?: string | undefined;
  /** Jamf Security Cloud: the Radar API application's secret (`SSF_LAB_JSC_APP_SECRET`). */
  readonly jscAppSecret?: string | undefined;
  /** Jamf Security Cloud: the stream-management bearer token (`SSF_LAB_STREAM_TOKEN`). */
  readonly streamToken?: string | undefined;
  /** The lab admin token the `/_lab/` controls ask for (`SSF_LAB_ADMIN_TOKEN`; the manifest's `lab.adminToken`). */
  readonly adminToken?: string | undefined;
}

/**
 * The lab listens on BASE … BASE+5 (Okta, Jamf Pro, Jamf Security Cloud and the three apps) and its
 * console on BASE+6 (serve's default with a base port).
 */
const SERVICES = 7;
/** The first line of `ssf-lab serve`'s stdout: the manifest, an object whose first member is `okta`. */
const MANIFEST_LINE = /^\{"okta":\{/;
/** How long a clean stop may take before Docker kills the container (serve stops in well under 1 s). */
const STOP_TIMEOUT_MS = 10_000;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A BASE with BASE…BASE+6 free on `host` right now (Docker binds them a moment later). */
async function freeBase(host: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let i = 0; i < SERVICES && free; i++) free = await portFree(base + i, host);
    if (free) return base;
  }
  throw new Error('SsfLabContainer: found no seven consecutive free ports; choose them with withBasePort()');
}

/**
 * Reads `ssf-lab serve`'s output: the manifest line, and the last other line (what the command said
 * before it exited, should it fail — stderr never carries a secret).
 */
class OutputReader {
  #buffer = '';
  #lastLine = '';
  #found: LabManifest | undefined;
  #resolve: (manifest: LabManifest) => void = () => undefined;
  readonly manifest = new Promise<LabManifest>((resolve) => {
    this.#resolve = resolve;
  });

  consume(stream: Readable): void {
    stream.on('data', (chunk: string | Buffer) => {
      if (this.#found) return;
      this.#buffer += chunk.toString();
      let newline = this.#buffer.indexOf('\n');
      while (newline >= 0 && !this.#found) {
        this.#line(this.#buffer.slice(0, newline));
        this.#buffer = this.#buffer.slice(newline + 1);
        newline = this.#buffer.indexOf('\n');
      }
      if (this.#found) this.#buffer = '';
    });
  }

  #line(line: string): void {
    if (!MANIFEST_LINE.test(line)) {
      if (line.trim() !== '') this.#lastLine = line.trim();
      return;
    }
    this.#found = JSON.parse(line) as LabManifest;
    this.#resolve(this.#found);
  }

  get lastLine(): string {
    return this.#lastLine;
  }
}

/**
 * The lab as a testcontainers container: `ssf-lab serve` in the image (default `ssf-lab:latest`),
 * configured through its environment. Chain the `with…` methods of this class and of GenericContainer
 * (`withNetworkMode('host')`, `withStartupTimeout`, …), then `start()`.
 */
export class SsfLabContainer extends GenericContainer {
  #settings: Record<string, string> = {};
  #basePort: number | undefined;

  /** @param image the lab's image (default `ssf-lab:latest`). */
  constructor(image: string = SSF_LAB_IMAGE) {
    super(image);
    // A cold start on a busy CI machine sets up the seed's configuration in a few seconds; leave room.
    this.withStartupTimeout(120_000);
  }

  /** The fleet seed: the same seed gives the same people and devices (default 1). */
  withSeed(seed: number): this {
    this.#settings[SERVE_SETTING_ENV.seed] = String(seed);
    return this;
  }

  /** The fleet size, 1 to 10,000 (default 20). */
  withDevices(devices: number): this {
    this.#settings[SERVE_SETTING_ENV.devices] = String(devices);
    return this;
  }

  /**
   * The seven ports, BASE … BASE+6 (the six services, then the console), the lab uses inside the container
   * and on the host (default: seven consecutive ports free on this machine when `start()` runs).
   */
  withBasePort(basePort: number): this {
    this.#basePort = basePort;
    return this;
  }

  /** Plain http instead of https with the lab's CA (`SSF_LAB_HTTP=1`, `ssf-lab serve --http`). */
  withHttp(): this {
    this.#settings[SERVE_SETTING_ENV.http] = '1';
    return this;
  }

  /** Fixed credentials instead of random ones, so that a target file or a CI configuration can name them. */
  withCredentials(credentials: SsfLabCredentials): this {
    for (const [name, value] of Object.entries(credentials))
      if (typeof value === 'string') this.#settings[CREDENTIAL_ENV[name as keyof SsfLabCredentials]] = value;
    return this;
  }

  /**
   * Starts the container and waits for the lab's manifest (printed once the seed's set-up is done), then
   * checks that this process reaches the lab at the manifest's URLs.
   */
  override async start(): Promise<StartedSsfLabContainer> {
    const runtimeHost = (await getContainerRuntimeClient()).info.containerRuntime.host;
    // Advertise an address rather than "localhost", which may resolve to ::1 first where the lab is IPv4.
    const publicHost = runtimeHost === 'localhost' ? '127.0.0.1' : runtimeHost;
    const hostNetwork = this.networkMode === 'host';
    // Sharing the host's network, the lab need not listen beyond loopback when the host is this machine.
    const bindHost = hostNetwork && isLoopback(publicHost) ? '127.0.0.1' : '0.0.0.0';
    const base = this.#basePort ?? (await freeBase(hostNetwork ? bindHost : '0.0.0.0'));
    if (!hostNetwork)
      this.withExposedPorts(
        ...Array.from({ length: SERVICES }, (_, i) => ({ container: base + i, host: base + i })),
      );
    this.withEnvironment({
      ...this.#settings,
      [SERVE_SETTING_ENV.port]: String(base),
      [SERVE_SETTING_ENV.host]: bindHost,
      [SERVE_SETTING_ENV.publicHost]: publicHost,
    });
    const reader = new OutputReader();
    const theirs = this.logConsumer;
    this.withLogConsumer((stream) => {
      reader.consume(stream);
      theirs?.(stream);
    });
    this.withWaitStrategy(Wait.forLogMessage(MANIFEST_LINE));

    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (error) {
      const said = reader.lastLine;
      throw new Error(`SsfLabContainer: the lab did not start${said === '' ? '' : ` — it said: ${said}`}`, {
        cause: error,
      });
    }
    // The wait strategy saw the line on its own log stream; the reader's stream may be a moment behind.
    const manifest = await Promise.race([
      reader.manifest,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000).unref()),
    ]);
    if (manifest === undefined) {
      await started.stop({ timeout: STOP_TIMEOUT_MS }).catch(() => undefined);
      throw new Error(
        'SsfLabContainer: the lab printed its manifest, but it could not be read from its output',
      );
    }
    const lab = new StartedSsfLabContainer(started, manifest);
    try {
      const ready = await lab.fetch(`${lab.manifest.okta.url}${READY_PATH}`, {
        signal: AbortSignal.timeout(10_000),
      });
      await ready.body?.cancel();
      if (ready.status !== 200) throw new Error(`${READY_PATH} answered ${ready.status}`);
    } catch (error) {
      await lab.stop().catch(() => undefined);
      throw new Error(
        `SsfLabContainer: the lab started, but this process cannot reach it at ${lab.manifest.okta.url} (${
          error instanceof Error ? error.message : String(error)
        }); with a Docker host elsewhere, set TESTCONTAINERS_HOST_OVERRIDE to its address`,
        { cause: error },
      );
    }
    return lab;
  }
}

/** A started lab container: its manifest, and a stop that lets `ssf-lab serve` shut down cleanly. */
export class StartedSsfLabContainer extends AbstractStartedContainer {
  /**
   * URLs (as this host reaches them) and credentials of every service: secrets, never to be logged. On
   * https, `tls.caCert` is the lab's CA certificate; the CA file serve wrote is inside the container, so
   * `tls.caFile` is left out.
   */
  readonly manifest: LabManifest;
  /** The CA certificate (PEM) the lab's https services chain to, or undefined with `withHttp()`. */
  readonly caCert: string | undefined;
  /** A fetch that reaches the lab, trusting its CA besides node's roots (TLS verified). */
  readonly fetch: typeof fetch;

  /** Wraps a started container whose `ssf-lab serve` printed `manifest`. */
  constructor(started: StartedTestContainer, manifest: LabManifest) {
    super(started);
    const caCert = manifest.tls?.caCert;
    this.manifest = caCert === undefined ? manifest : { ...manifest, tls: { caCert } };
    this.caCert = caCert;
    this.fetch =
      caCert === undefined ? (input, init) => globalThis.fetch(input, init) : createHttpFetch({ ca: caCert });
  }

  /**
   * Stops the container with SIGTERM, giving the lab up to 10 s to close (testcontainers' default is to
   * kill at once), then removes it unless `options.remove` is false.
   */
  override stop(options: Partial<StopOptions> = {}): Promise<StoppedTestContainer> {
    return super.stop({ timeout: STOP_TIMEOUT_MS, ...options });
  }
}
