/**
 * Certification runs: conformance plans against the lab (in-process or on loopback) or against remote
 * endpoints. This is where a suite's context is built — the suites themselves only ever see a
 * SuiteContext and their options, so the same plan grades the lab and a real tenant.
 */

import type { FastifyInstance } from 'fastify';
import type { CertifyEvent, PlanRun, SuiteContext } from '../../suites/core/index.ts';
import { runPlans } from '../../suites/core/index.ts';
import { toolVersion } from '../config/package.ts';
import {
  configureSeed,
  type Lab,
  type LabManifest,
  type LabTransport,
  labManifest,
  limitListener,
} from '../lab/index.ts';
import type { LedgerEntry } from '../records/index.ts';
import { type CertificationRecord, Timeline } from '../records/index.ts';
import { labWaits, realWaits, startCertifyLab } from './lab-time.ts';

/**
 * Builds a plan's options for a lab, doing whatever lab-side set-up the plan needs first (a receiver
 * account at JSC, a security events provider in Okta for the harness's issuer). Registered per plan
 * name in lab-targets.ts.
 */
export type LabOptionsBuilder = (lab: Lab, manifest: LabManifest, operator: LabOperator) => Promise<unknown>;

/**
 * The person running a lab, as far as a plan needs one: a receiver under test is configured with what the
 * harness serves (its JWKS, its transmitter's issuer), which the plan only knows once it serves it — as a
 * user reads the plan's "configure the receiver with …" line and does it. A builder that configures such a
 * receiver listens here; the certify engine tells it whatever the plan serves on the lab.
 */
export class LabOperator {
  readonly #listeners: ((name: string, url: string) => void)[] = [];
  onServe(listener: (name: string, url: string) => void): void {
    this.#listeners.push(listener);
  }
  served(name: string, url: string): void {
    for (const listener of this.#listeners) listener(name, url);
  }
}

export interface CertifyLabOptions {
  readonly transport?: LabTransport;
  /** Plan names to run (default: every plan with a lab builder). */
  readonly plans?: readonly string[];
  readonly ledger?: readonly LedgerEntry[];
  readonly onEvent?: (event: CertifyEvent) => void;
  readonly signal?: AbortSignal;
  readonly seed?: number;
  readonly devices?: number;
  /** Rules the lab's services break on purpose (docs/self-test.md); default none. */
  readonly deviations?: readonly string[];
  /** Grade this lab service instead of a plan's default one, where the plan offers it (`labTargets`). */
  readonly labTarget?: string;
}

export interface PlanEntry {
  readonly plan: PlanRun['plan'];
  readonly lab?: LabOptionsBuilder;
  /**
   * Other lab services the plan can grade instead of its default one, by name (`certify --lab --lab-target
   * NAME`; e.g. the ssf-receiver plan's `okta`).
   */
  readonly labTargets?: Readonly<Record<string, LabOptionsBuilder>>;
}

/** The builder for `entry` on a lab: its default, or the named lab target (which it must have). */
export function labBuilder(entry: PlanEntry, target: string | undefined): LabOptionsBuilder | undefined {
  if (target === undefined) return entry.lab;
  return entry.labTargets?.[target] ?? entry.lab;
}

/** A suite context over a lab: its fetch and timeline, endpoints attached to it. */
export function labContext(
  lab: Lab,
  signal: AbortSignal,
  operator?: LabOperator,
): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const waits = labWaits(lab);
  return {
    fetch: lab.fetch,
    serve: async (name: string, app: FastifyInstance) => {
      const served = await lab.attach(name, app);
      operator?.served(name, served.url);
      return served;
    },
    timeline: lab.timeline,
    // The lab's clock: virtual for an in-process lab from startCertifyLab, moving on while a plan waits.
    now: () => waits.now(),
    sleep: (ms) => waits.sleep(ms, signal),
    signal,
  };
}

/** Runs plans against a fresh lab configured as the seed leaves it. */
export async function certifyLab(
  entries: readonly PlanEntry[],
  options: CertifyLabOptions = {},
): Promise<CertificationRecord> {
  const transport = options.transport ?? 'in-process';
  const wanted = entries.filter(
    (e) => e.lab !== undefined && (options.plans === undefined || options.plans.includes(e.plan.name)),
  );
  const lab = await startCertifyLab({
    transport,
    seed: options.seed ?? 1,
    devices: options.devices ?? 8,
    intercept: false,
    // On loopback as in-process, the lab's issuers are https: the strict profile's https checks and SSF
    // stream management (subscribed to https issuers only) run on both transports.
    ...(transport === 'loopback' ? { tls: true as const } : {}),
    ...(options.deviations === undefined ? {} : { deviations: options.deviations }),
  });
  const signal = options.signal ?? new AbortController().signal;
  try {
    await configureSeed(lab);
    const manifest = labManifest(lab);
    const operator = new LabOperator();
    const runs: PlanRun[] = [];
    for (const entry of wanted)
      runs.push({
        plan: entry.plan,
        options: await labBuilder(entry, options.labTarget)?.(lab, manifest, operator),
      });
    return await runPlans(runs, {
      target: {
        name: `the lab (${transport})${options.labTarget === undefined ? '' : `, grading ${options.labTarget}`}${options.deviations?.length ? `, deviating: ${options.deviations.join(', ')}` : ''}`,
        kind: 'lab',
      },
      toolVersion: toolVersion(),
      ...(options.ledger ? { ledger: options.ledger } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      context: labContext(lab, signal, operator),
    });
  } finally {
    await lab.close();
  }
}

export interface RemoteContextOptions {
  /** Where the harness's own endpoints listen (default 127.0.0.1, a free port each). */
  readonly listenHost?: string;
  readonly listenPort?: number;
  /**
   * The public base URL at which the target reaches the harness's endpoints (a tunnel or ingress in
   * front of listenHost:listenPort); each endpoint is served under `/<name>` below it.
   */
  readonly publicUrl?: string;
  readonly signal: AbortSignal;
  readonly fetch?: typeof fetch;
}

/**
 * A suite context for remote endpoints: real fetch, real time, harness endpoints on a local port (behind
 * the user's public URL when one is given). Closing it closes every endpoint it served.
 */
export function remoteContext(options: RemoteContextOptions): {
  context: Omit<SuiteContext, 'intend' | 'defer' | 'progress'>;
  close(): Promise<void>;
} {
  const timeline = new Timeline({ services: new Map() });
  const served: FastifyInstance[] = [];
  const context = {
    fetch: timeline.recording(options.fetch ?? globalThis.fetch, 'harness'),
    // With a public URL, one endpoint is served at a time (behind the user's one tunnel); each plan
    // serves all its endpoints from one app.
    serve: async (_name: string, app: FastifyInstance) => {
      // The endpoints a plan serves face the system under test: the lab's listen limits apply.
      limitListener(app.server);
      await app.listen({ host: options.listenHost ?? '127.0.0.1', port: options.listenPort ?? 0 });
      served.push(app);
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const url = options.publicUrl
        ? options.publicUrl.replace(/\/+$/, '')
        : `http://${options.listenHost ?? '127.0.0.1'}:${port}`;
      return {
        url,
        detach: async () => {
          await app.close();
        },
      };
    },
    timeline,
    now: () => Date.now(),
    sleep: (ms: number) => realWaits.sleep(ms, options.signal),
    signal: options.signal,
  };
  return {
    context,
    close: async () => {
      await Promise.allSettled(served.map((a) => a.close()));
    },
  };
}
