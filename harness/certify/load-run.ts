/**
 * `ssf-lab load` from code: the target file's `load` section against the endpoint its named plan
 * describes, as the load plan (suites/load) — the same record, checks, ledger-free verdicts and reports
 * as a certification, plus the run's figures for the charts. The harness JWKS (when the plan serves it)
 * is served as certify serves it, and the target's `tls.caFile` is trusted for the push and the reads.
 */

import type { CertifyEvent } from '../../suites/core/index.ts';
import { runPlans } from '../../suites/core/index.ts';
import { type LoadCapture, type LoadRunOptions, loadPlan, receiverLoad } from '../../suites/load/index.ts';
import { toolVersion } from '../config/package.ts';
import type { Target } from '../config/target.ts';
import { HarnessError } from '../kernel/index.ts';
import type { CertificationRecord } from '../records/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { remoteContext } from './engine.ts';

export interface LoadRunResult {
  readonly record: CertificationRecord;
  /** What the run measured; absent when it did not get as far as sending (a dry run, a set-up failure). */
  readonly capture?: LoadCapture;
}

export interface LoadTargetOptions {
  readonly signal: AbortSignal;
  readonly onEvent?: (event: CertifyEvent) => void;
  /** Overrides of the file's knobs (the command line's --count, --rate…). */
  readonly overrides?: Partial<Pick<LoadRunOptions['load'], 'count' | 'duration' | 'rate' | 'connections'>>;
}

/** The plan options `target.load` asks for. */
export function loadOptionsOf(
  target: Target,
  overrides: LoadTargetOptions['overrides'] = {},
): LoadRunOptions {
  const settings = target.load;
  if (settings === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `the target "${target.name}" has no "load" section: add one naming the plan whose endpoint to load, e.g. "load": { "plan": "ssf-receiver", "count": 1000 } (README, "Load testing an SSF endpoint")`,
    );
  const { plan, ...knobs } = settings;
  // --count replaces a duration from the file and --duration a count: the command line says how long.
  const { count, duration, ...rest } = knobs;
  const length =
    overrides.count !== undefined
      ? { count: overrides.count }
      : overrides.duration !== undefined
        ? { duration: overrides.duration }
        : { ...(count === undefined ? {} : { count }), ...(duration === undefined ? {} : { duration }) };
  const load = {
    ...rest,
    ...length,
    ...(overrides.rate === undefined ? {} : { rate: overrides.rate }),
    ...(overrides.connections === undefined ? {} : { connections: overrides.connections }),
  };
  if (load.duration !== undefined && load.count === undefined && load.rate === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'a load for a duration needs a rate (load.rate or --rate): every SET is signed before the clock starts, so the run must know how many to sign (rate × duration)',
    );
  const ca = target.tls?.caCert;
  const receiver = target.plans[plan];
  return plan === 'okta-receiver'
    ? { plan, receiver: receiver as never, load, ...(ca === undefined ? {} : { ca }) }
    : { plan, receiver: receiver as never, load, ...(ca === undefined ? {} : { ca }) };
}

export async function runLoadTarget(target: Target, options: LoadTargetOptions): Promise<LoadRunResult> {
  const runOptions = loadOptionsOf(target, options.overrides);
  let capture: LoadCapture | undefined;
  // The same module, its capture kept for the charts.
  const module = {
    ...receiverLoad,
    run: async (...args: Parameters<typeof receiverLoad.run>) => {
      capture = await receiverLoad.run(...args);
      return capture;
    },
  };
  const remote = remoteContext({
    signal: options.signal,
    ...(target.harness.listenHost === undefined ? {} : { listenHost: target.harness.listenHost }),
    ...(target.harness.listenPort === undefined ? {} : { listenPort: target.harness.listenPort }),
    ...(target.harness.publicUrl === undefined ? {} : { publicUrl: target.harness.publicUrl }),
    ...(runOptions.ca === undefined ? {} : { fetch: createHttpFetch({ ca: runOptions.ca }) }),
  });
  try {
    const record = await runPlans([{ plan: { ...loadPlan, modules: [module] }, options: runOptions }], {
      target:
        target.file === undefined
          ? { name: target.name, kind: 'code' }
          : { name: target.name, kind: 'file', file: target.file },
      toolVersion: toolVersion(),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      context: remote.context,
    });
    return { record, ...(capture === undefined ? {} : { capture }) };
  } finally {
    await remote.close();
  }
}
