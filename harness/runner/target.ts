/**
 * What a scenario runs against. The runner reaches a target only as a client outside it would: the lab
 * manifest (each service's URL and credentials), a fetch, the vendors' public APIs and the lab's
 * documented `/_lab/` controls. Three kinds:
 *
 * - `lab`: a lab ssf-lab starts for the run (in-process or on loopback) on virtual time, so a wait for a
 *   minute-long retry backoff takes milliseconds; closed after the run;
 * - `manifest`: a lab already running somewhere (`ssf-lab serve`, its container), named by its manifest;
 *   real time, configured by whoever started it, left running (the runner undoes what it raised);
 * - `file`: real endpoints, from a certification target file's `integration` section — the Okta org (its
 *   URL and API token) and the request that raises a threat on the user's device (`trigger`, undone by
 *   `resolve`), as the integration plan uses them. No `/_lab/` control exists there: a step that needs one
 *   fails saying so, and a check that needs what only the lab shows (its timeline, the apps' sessions)
 *   is skipped with the reason.
 */

import type { HttpRequestSpec } from '../../suites/integration/index.ts';
import { VirtualScheduler } from '../kernel/index.ts';
import {
  configureSeed,
  type LabManifest,
  type LabTransport,
  labManifest,
  manifestOrigins,
  type SeedOptions,
  startLab,
  withLabAdminToken,
} from '../lab/index.ts';
import { createHttpFetch } from '../ssf/index.ts';

/** Time as the target keeps it: virtual for a lab ssf-lab started (then it can be moved on), else real. */
export interface RunClock {
  now(): number;
  /** Virtual time only: run every timer due within `ms`. */
  advance?(ms: number): Promise<void>;
  /** Virtual time only: when the next timer is due. */
  nextAt?(): number | undefined;
}

/**
 * The services a target names, with their credentials: a lab's whole manifest, or — for real endpoints
 * — the Okta org alone.
 */
export interface RunServices {
  readonly okta: LabManifest['okta'];
  readonly jamfPro?: LabManifest['jamfPro'];
  readonly jamfSecurityCloud?: LabManifest['jamfSecurityCloud'];
  readonly apps: LabManifest['apps'];
}

/** What stands in for the lab's controls on real endpoints: the target file's user and threat hook. */
export interface StandIns {
  /** The user every device reference (`mac`, `mobile`, …) names. */
  readonly user: string;
  /** Raises a threat on the user's device; must answer 2xx. */
  readonly trigger: HttpRequestSpec;
  /** Undoes it (`{trigger.<member>}` filled from the trigger's JSON answer). */
  readonly resolve?: HttpRequestSpec;
}

export interface RunTarget {
  /** How the record names it: `lab (in-process)`, `lab (loopback)`, or the manifest's or target's file. */
  readonly name: string;
  readonly kind: 'lab' | 'manifest' | 'file';
  /** The manifest's or target file, when it came from one. */
  readonly file?: string;
  /** A lab's transport; a running lab or real endpoints are reached over the network. */
  readonly transport: LabTransport | 'network';
  readonly manifest: RunServices;
  /** Whether the lab's `/_lab/` controls are there (a lab, a running lab), or not (real endpoints). */
  readonly labControls: boolean;
  /** Real endpoints: what stands in for the lab's controls. */
  readonly standIns?: StandIns;
  /** Reaches the services as a client outside them does (not recorded by the target). */
  readonly fetch: typeof fetch;
  readonly clock: RunClock;
  /** Runs the seed's configuration — only where ssf-lab started the lab (a running lab has its own). */
  configure?(options?: SeedOptions): Promise<void>;
  close(): Promise<void>;
}

export interface LabTargetOptions {
  readonly transport?: LabTransport;
  readonly seed?: number;
  readonly devices?: number;
}

/** A fresh lab on virtual time, for one run. */
export async function labTarget(options: LabTargetOptions = {}): Promise<RunTarget> {
  const transport = options.transport ?? 'in-process';
  const scheduler = new VirtualScheduler(Date.now());
  const lab = await startLab({
    transport,
    seed: options.seed ?? 1,
    devices: options.devices ?? 12,
    scheduler,
    intercept: false,
  });
  try {
    return {
      name: `lab (${transport})`,
      kind: 'lab',
      transport,
      manifest: labManifest(lab),
      labControls: true,
      fetch: lab.clientFetch,
      clock: {
        now: () => scheduler.now(),
        advance: (ms) => scheduler.advance(ms),
        nextAt: () => scheduler.nextAt(),
      },
      configure: async (seedOptions) => {
        await configureSeed(lab, seedOptions);
      },
      close: () => lab.close(),
    };
  } catch (error) {
    await lab.close();
    throw error;
  }
}

/**
 * The fetch a client outside a target uses: the process's own, or — when the target names a CA (a
 * served lab on https) — one that trusts that CA besides node's roots. TLS is verified either way.
 */
function networkFetch(ca: string | undefined): typeof fetch {
  return ca === undefined ? (input, init) => globalThis.fetch(input, init) : createHttpFetch({ ca });
}

/**
 * A running lab named by its manifest (`ssf-lab serve --manifest FILE`), reached with `fetchImpl` — by
 * default a fetch that trusts the CA the manifest names (`tls.caCert`) when the lab is on https.
 */
export function manifestTarget(
  manifest: LabManifest,
  options: { readonly file?: string; readonly fetch?: typeof fetch } = {},
): RunTarget {
  return {
    name: options.file ?? manifest.okta.url,
    kind: 'manifest',
    ...(options.file === undefined ? {} : { file: options.file }),
    transport: 'network',
    manifest,
    labControls: true,
    // The manifest's admin token goes with every request for the lab's controls (and nowhere else).
    fetch: withLabAdminToken(
      options.fetch ?? networkFetch(manifest.tls?.caCert),
      manifestOrigins(manifest),
      manifest.lab?.adminToken,
    ),
    clock: { now: () => Date.now() },
    close: async () => undefined,
  };
}

/** The parts of a target file's `integration` section a scenario uses (secrets already resolved). */
export interface FileTargetOptions {
  readonly okta: { readonly url: string; readonly apiToken: string };
  readonly user: string;
  readonly trigger: HttpRequestSpec;
  readonly resolve?: HttpRequestSpec;
}

/** Real endpoints from a target file's `integration` section, reached with `fetchImpl`, in real time. */
export function fileTarget(
  options: FileTargetOptions,
  target: { readonly file: string; readonly fetch?: typeof fetch; readonly ca?: string },
): RunTarget {
  return {
    name: target.file,
    kind: 'file',
    file: target.file,
    transport: 'network',
    manifest: { okta: options.okta, apps: [] },
    labControls: false,
    standIns: {
      user: options.user,
      trigger: options.trigger,
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    },
    fetch: target.fetch ?? networkFetch(target.ca),
    clock: { now: () => Date.now() },
    close: async () => undefined,
  };
}
