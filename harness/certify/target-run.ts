/**
 * Certification against a target file: the plans it names, with its options, against real endpoints.
 * The suites see the same SuiteContext as in the lab; only this builds it differently — real fetch
 * (recorded, redacted; 429s waited out as the server asks), real time, the harness's endpoints on a
 * local port behind the user's public URL.
 *
 * Safety: every change a module makes is declared (`intend`) and registered for undoing (`defer`);
 * runPlans undoes them when the module ends, also when it throws or the signal is aborted (Ctrl-C) —
 * undo steps get a signal of their own, so they still reach the target after a stop — and a dry run
 * makes none. The caller aborts `signal` to stop; the record of what ran is still returned.
 */

import type { CertifyEvent, PlanRun } from '../../suites/core/index.ts';
import { runPlans } from '../../suites/core/index.ts';
import { toolVersion } from '../config/package.ts';
import type { Target } from '../config/target.ts';
import { HarnessError } from '../kernel/index.ts';
import { parseRetryAfter } from '../protocol/index.ts';
import type { CertificationRecord, LedgerEntry } from '../records/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { type PlanEntry, remoteContext } from './engine.ts';

export interface CertifyTargetOptions {
  /** Plan names to run (default: every plan the target file names), in the target file's order. */
  readonly plans?: readonly string[];
  readonly dryRun?: boolean;
  readonly ledger?: readonly LedgerEntry[];
  readonly onEvent?: (event: CertifyEvent) => void;
  readonly signal: AbortSignal;
  /** The fetch to reach the target with (tests; default the global one). */
  readonly fetch?: typeof fetch;
  /** Longest wait a 429's Retry-After is honoured for, in ms (default 60 s); beyond it the 429 stands. */
  readonly maxRetryAfterMs?: number;
}

/** How many times one request is retried after a 429 before its 429 is returned to the module. */
const MAX_429_RETRIES = 3;

/** How long a 429 asks to wait: its Retry-After, or a second when it names none that can be read. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number {
  return parseRetryAfter(value, now) ?? 1000;
}

/**
 * A fetch that waits out a 429 Too Many Requests as Retry-After asks (RFC 6585 §4) and tries again, a
 * few times; each attempt goes through `inner`, so each is recorded. Requests whose body is a stream are
 * not retried (it cannot be sent twice).
 */
export function honouring429(
  inner: typeof fetch,
  sleep: (ms: number) => Promise<void>,
  options: { maxRetryAfterMs?: number; onWait?: (ms: number, url: string) => void } = {},
): typeof fetch {
  const max = options.maxRetryAfterMs ?? 60_000;
  return async (input, init) => {
    const replayable =
      !(input instanceof Request && input.body !== null) && !(init?.body instanceof ReadableStream);
    for (let attempt = 0; ; attempt++) {
      const response = await inner(input, init);
      if (response.status !== 429 || !replayable || attempt >= MAX_429_RETRIES) return response;
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (wait > max) return response;
      await response.body?.cancel().catch(() => undefined);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      options.onWait?.(wait, url);
      await sleep(wait);
    }
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The plan runs a target file asks for, narrowed to `wanted`; a name the file does not hold is a usage error. */
export function targetRuns(
  target: Target,
  entries: readonly PlanEntry[],
  wanted?: readonly string[],
): PlanRun[] {
  const named = Object.keys(target.plans);
  for (const name of wanted ?? []) {
    if (!named.includes(name))
      throw new HarnessError(
        'ERR_USAGE',
        `--plan ${name}: ${target.file === undefined ? 'the target' : `the target file ${target.file}`} has no section for it (it names: ${named.join(', ') || 'none'})`,
      );
  }
  return named
    .filter((name) => wanted === undefined || wanted.length === 0 || wanted.includes(name))
    .map((name) => {
      const entry = entries.find((e) => e.plan.name === name);
      if (entry === undefined)
        throw new HarnessError(
          'ERR_INPUT_INVALID',
          `${target.file ?? 'target'}: plans.${name}: no such plan in this ssf-lab`,
        );
      return { plan: entry.plan, options: target.plans[name] };
    });
}

/**
 * The ledger entries that concern the plans being run. An entry for a plan left out by `--plan` (named
 * by its `plan`, or by a check or module only plans left out have) would match nothing and fail the run
 * for no reason; an entry whose check or module no plan knows is kept, so a misspelt id is still reported.
 */
export function ledgerFor(
  ledger: readonly LedgerEntry[],
  entries: readonly PlanEntry[],
  running: readonly string[],
): LedgerEntry[] {
  const plansOf = (entry: LedgerEntry): string[] =>
    entries
      .filter(({ plan }) =>
        plan.modules.some(
          (m) =>
            (entry.module === undefined || m.id === entry.module) &&
            (entry.check === undefined || m.checks.some((c) => c.id === entry.check)),
        ),
      )
      .map(({ plan }) => plan.name);
  return ledger.filter((entry) => {
    if (entry.plan !== undefined) return running.includes(entry.plan);
    const plans = plansOf(entry);
    return plans.length === 0 || plans.some((p) => running.includes(p));
  });
}

/**
 * A fetch trusting the target's `tls.caFile` besides node's roots (TLS is verified either way), or
 * nothing to add when it names none. A target given in code names its CA through `options.fetch`.
 */
function targetCaFetch(target: Target): { fetch?: typeof fetch } {
  if (target.tls === undefined) return {};
  if (target.tls.caCert === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'the target names tls.caFile, which only a target file loaded with loadTarget reads: in code, pass a fetch that trusts the CA (createHttpFetch({ ca }))',
    );
  return { fetch: createHttpFetch({ ca: target.tls.caCert }) };
}

/** Runs the target file's plans against its endpoints; returns the record (target kind `file`). */
export async function certifyTarget(
  target: Target,
  entries: readonly PlanEntry[],
  options: CertifyTargetOptions,
): Promise<CertificationRecord> {
  const runs = targetRuns(target, entries, options.plans);
  const remote = remoteContext({
    signal: options.signal,
    ...(target.harness.listenHost === undefined ? {} : { listenHost: target.harness.listenHost }),
    ...(target.harness.listenPort === undefined ? {} : { listenPort: target.harness.listenPort }),
    ...(target.harness.publicUrl === undefined ? {} : { publicUrl: target.harness.publicUrl }),
    ...(options.fetch === undefined ? targetCaFetch(target) : { fetch: options.fetch }),
  });
  const context = {
    ...remote.context,
    fetch: honouring429(remote.context.fetch, remote.context.sleep, {
      ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
      onWait: (ms, url) =>
        options.onEvent?.({ type: 'progress', line: `429 from ${hostOf(url)}: waiting ${ms} ms as asked` }),
    }),
  };
  try {
    return await runPlans(runs, {
      target:
        target.file === undefined
          ? { name: target.name, kind: 'code' }
          : { name: target.name, kind: 'file', file: target.file },
      toolVersion: toolVersion(),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      // A dry run judges nothing, so every ledger entry would match nothing: the ledger is not applied.
      ...(options.ledger === undefined || options.dryRun === true
        ? {}
        : {
            ledger: ledgerFor(
              options.ledger,
              entries,
              runs.map((r) => r.plan.name),
            ),
          }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      context,
    });
  } finally {
    await remote.close();
  }
}
