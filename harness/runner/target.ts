/**
 * What a scenario runs against. The runner reaches a target only as a client outside it would: the lab
 * manifest (each service's URL and credentials), a fetch, the vendors' public APIs and the lab's
 * documented `/_lab/` controls. Three kinds:
 *
 * - `lab`: a lab ssf-lab starts for the run (in-process or on loopback) on virtual time, so a wait for a
 *   minute-long retry backoff takes milliseconds; closed after the run;
 * - `manifest`: a lab already running somewhere (`ssf-lab serve`, its container), named by its manifest;
 *   real time, configured by whoever started it, left running (the runner undoes what it raised);
 * - (not yet) a target file's real endpoints.
 */
import { VirtualScheduler } from '../kernel/index.ts';
import {
  configureSeed,
  type LabManifest,
  type LabTransport,
  labManifest,
  type SeedOptions,
  startLab,
} from '../lab/index.ts';

/** Time as the target keeps it: virtual for a lab ssf-lab started (then it can be moved on), else real. */
export interface RunClock {
  now(): number;
  /** Virtual time only: run every timer due within `ms`. */
  advance?(ms: number): Promise<void>;
  /** Virtual time only: when the next timer is due. */
  nextAt?(): number | undefined;
}

export interface RunTarget {
  /** How the record names it: `lab (in-process)`, `lab (loopback)`, or the manifest's file or URL. */
  readonly name: string;
  readonly kind: 'lab' | 'manifest';
  /** The manifest's file, when it came from one. */
  readonly file?: string;
  /** A lab's transport; a manifest target is reached over the network. */
  readonly transport: LabTransport | 'network';
  readonly manifest: LabManifest;
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

/** A running lab named by its manifest (`ssf-lab serve --manifest FILE`), reached with `fetchImpl`. */
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
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: { now: () => Date.now() },
    close: async () => undefined,
  };
}
