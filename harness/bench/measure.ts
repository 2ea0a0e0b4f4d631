/**
 * Measuring helpers for the benchmarks: rates, medians, interleaved comparisons and the report table.
 */

export interface Result {
  readonly name: string;
  readonly opsPerSec: number;
}

/** Operations per second with `inFlight` callers looping concurrently for about `ms`. */
export async function rate(fn: () => Promise<unknown> | unknown, ms: number, inFlight = 1): Promise<number> {
  const start = performance.now();
  let n = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      for (let i = 0; i < 20; i++) await fn();
      n += 20;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (n * 1000) / (performance.now() - start);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Baseline and subject measured in interleaved rounds; the median ratio is reported. */
export async function compare(
  label: string,
  baseline: () => Promise<unknown> | unknown,
  subject: () => Promise<unknown> | unknown,
  inFlight = 1,
  rounds = 7,
  ms = 300,
): Promise<{ baseline: Result; subject: Result; ratio: number }> {
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  await rate(baseline, 200, inFlight); // warm-up
  await rate(subject, 200, inFlight);
  for (let r = 0; r < rounds; r++) {
    const x = await rate(baseline, ms, inFlight);
    const y = await rate(subject, ms, inFlight);
    a.push(x);
    b.push(y);
    ratios.push(y / x);
  }
  return {
    baseline: { name: `${label} baseline`, opsPerSec: median(a) },
    subject: { name: label, opsPerSec: median(b) },
    ratio: median(ratios),
  };
}

/** Runs `task` with at most `inFlight` calls at a time over `count` items; returns the elapsed ms. */
export async function timedPool(
  count: number,
  inFlight: number,
  task: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return performance.now() - start;
}

/** One line of the report. */
export interface Row {
  readonly measure: string;
  readonly value: string;
  readonly ratio?: string;
  readonly target?: string;
  /** false when the figure misses its target. */
  readonly ok?: boolean;
}

export function printTable(rows: readonly Row[]): void {
  const cells = [
    ['measure', 'value', 'ratio', 'target'],
    ...rows.map((r) => [r.measure, r.value, r.ratio ?? '', r.target ?? '']),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  for (const c of cells) console.log(c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  '));
}
