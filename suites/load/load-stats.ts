/**
 * The figures of a load run, from the raw samples: throughput, latency percentiles (nearest-rank, over
 * every answer — no sampling), errors by status and by RFC 8935 `err` code, what became of the valid and
 * the invalid SETs, a latency histogram and the throughput of each second.
 */
import type { LoadSamples } from './load-engine.ts';
import type { SetPool } from './set-pool.ts';

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LoadStats {
  readonly sent: number;
  readonly answered: number;
  readonly durationMs: number;
  /** Answers per second over the run. */
  readonly throughput: number;
  readonly latencyMs: LatencySummary;
  /** Answers by HTTP status (`202`, `400`…); `none` counts SETs sent that got no answer. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Refusals by `err` code (`invalid_key`…), `(no err)` when the body named none. */
  readonly errs: Readonly<Record<string, number>>;
  readonly timeouts: number;
  readonly connectionErrors: number;
  /** Valid SETs: sent, accepted (202), and the jtis of those not accepted (the first 20). */
  readonly valid: {
    readonly sent: number;
    readonly accepted: number;
    readonly notAccepted: readonly string[];
  };
  /** Invalid SETs: sent, refused with 400, and the jtis of those accepted (the first 20). */
  readonly invalid: { readonly sent: number; readonly refused: number; readonly accepted: readonly string[] };
  /** Latency histogram: `counts[i]` answers took at most `boundsMs[i]` (and more than the bound before). */
  readonly histogram: { readonly boundsMs: readonly number[]; readonly counts: readonly number[] };
  /** Answers completed in each second of the run. */
  readonly perSecond: readonly number[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Histogram bounds: a 1-2-5 series from 1 ms up to the first bound above `max`. */
function boundsFor(max: number): number[] {
  const bounds: number[] = [];
  for (let decade = 1; bounds.length === 0 || (bounds[bounds.length - 1] as number) < max; decade *= 10)
    for (const step of [1, 2, 5]) {
      bounds.push(step * decade);
      if (step * decade >= max) break;
    }
  return bounds;
}

const FIRST = 20;

export function summarize(pool: SetPool, samples: LoadSamples): LoadStats {
  const sorted = Float64Array.from(samples.latenciesMs).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const statuses: Record<string, number> = {};
  const errs: Record<string, number> = {};
  const valid = { sent: 0, accepted: 0, notAccepted: [] as string[] };
  const invalid = { sent: 0, refused: 0, accepted: [] as string[] };
  for (let i = 0; i < samples.sent; i++) {
    const outcome = samples.outcomes[i];
    const status = outcome?.status ?? 0;
    const key = status === 0 ? 'none' : String(status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (status >= 400) {
      const err = outcome?.err ?? '(no err)';
      errs[err] = (errs[err] ?? 0) + 1;
    }
    const jti = pool.jtis[i] as string;
    if (pool.valid[i]) {
      valid.sent++;
      if (status === 202) valid.accepted++;
      else if (valid.notAccepted.length < FIRST) valid.notAccepted.push(jti);
    } else {
      invalid.sent++;
      if (status === 400) invalid.refused++;
      else if (status >= 200 && status < 300 && invalid.accepted.length < FIRST) invalid.accepted.push(jti);
    }
  }
  const max = sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number);
  const boundsMs = boundsFor(Math.max(1, max));
  const counts = new Array<number>(boundsMs.length).fill(0);
  let b = 0;
  for (const v of sorted) {
    while (v > (boundsMs[b] as number)) b++;
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const seconds = Math.max(1, Math.ceil(samples.durationMs / 1000));
  const perSecond = new Array<number>(seconds).fill(0);
  for (const at of samples.arrivalsMs) {
    const s = Math.min(seconds - 1, Math.floor(at / 1000));
    perSecond[s] = (perSecond[s] ?? 0) + 1;
  }
  return {
    sent: samples.sent,
    answered: samples.answered,
    durationMs: samples.durationMs,
    throughput: samples.durationMs > 0 ? samples.answered / (samples.durationMs / 1000) : 0,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max,
      mean: sorted.length === 0 ? 0 : sum / sorted.length,
    },
    statuses,
    errs,
    timeouts: samples.timeouts,
    connectionErrors: samples.connectionErrors,
    valid,
    invalid,
    histogram: { boundsMs, counts },
    perSecond,
  };
}
