/**
 * The load report (`load.html`, written by `ssf-lab load` beside the certification reports): the run's
 * figures, the checks it was graded by, a latency histogram and the throughput of each second, drawn as
 * inline SVG — one self-contained file, no script, no network. It observes the figures; the checks in the
 * record decide.
 */
import { type CertificationRecord, checksOf } from '../harness/records/index.ts';
import { html, type SafeHtml } from './text.ts';

/** The figures the page draws (the load plan's LoadStats, as far as the page needs them). */
export interface LoadFigures {
  readonly sent: number;
  readonly answered: number;
  readonly durationMs: number;
  readonly throughput: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly statuses: Readonly<Record<string, number>>;
  readonly errs: Readonly<Record<string, number>>;
  readonly timeouts: number;
  readonly connectionErrors: number;
  readonly histogram: { readonly boundsMs: readonly number[]; readonly counts: readonly number[] };
  readonly perSecond: readonly number[];
}

const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 40 };

function axisMax(values: readonly number[]): number {
  const max = Math.max(1, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return max;
}

/** Bars: one per histogram bucket, labelled with the bucket's upper bound. */
export function histogramSvg(histogram: LoadFigures['histogram']): SafeHtml {
  const { boundsMs, counts } = histogram;
  const top = axisMax(counts);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, counts.length);
  const bars = counts.map((count, i) => {
    const h = (count / top) * plotH;
    const x = PAD.left + i * slot;
    return html`<rect x="${(x + slot * 0.1).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="#2b6cb0"><title>${`≤ ${boundsMs[i]} ms: ${count}`}</title></rect><text x="${(x + slot / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${`≤${boundsMs[i]}`}</text>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Latency histogram: answers per latency bucket"><line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#555"/><text x="4" y="${PAD.top + 8}" font-size="10">${top}</text><text x="4" y="${PAD.top + plotH}" font-size="10">0</text>${bars}<text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">latency (ms, upper bound of each bucket)</text></svg>`;
}

/** A line: answers completed in each second of the run. */
export function throughputSvg(perSecond: readonly number[]): SafeHtml {
  const top = axisMax(perSecond);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, perSecond.length - 1);
  const points = perSecond
    .map((n, i) => `${(PAD.left + i * step).toFixed(1)},${(PAD.top + plotH - (n / top) * plotH).toFixed(1)}`)
    .join(' ');
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Throughput over time: answers completed in each second"><line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#555"/><text x="4" y="${PAD.top + 8}" font-size="10">${top}/s</text><text x="4" y="${PAD.top + plotH}" font-size="10">0</text><polyline points="${points}" fill="none" stroke="#2f855a" stroke-width="2"/><text x="${PAD.left}" y="${H - PAD.bottom + 14}" font-size="10">0 s</text><text x="${W - PAD.right}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="end">${`${perSecond.length} s`}</text><text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">time since the first request</text></svg>`;
}

const fixed = (n: number): string => n.toFixed(1);

export function renderLoadHtml(record: CertificationRecord, figures: LoadFigures | undefined): string {
  const checks = checksOf(record);
  const rows = checks.map(
    (c) =>
      html`<tr><td>${c.status}</td><td><code>${c.id}</code></td><td>${c.title}</td><td>${c.findings.map((f) => f.message).join('; ') || (c.reason ?? '')}</td></tr>`,
  );
  const figuresHtml =
    figures === undefined
      ? html`<p>The run did not get as far as sending SETs; the checks below say why.</p>`
      : html`<table><tbody>
<tr><th scope="row">SETs sent / answered</th><td>${figures.sent} / ${figures.answered}</td></tr>
<tr><th scope="row">duration</th><td>${fixed(figures.durationMs / 1000)} s</td></tr>
<tr><th scope="row">throughput</th><td>${fixed(figures.throughput)} answers/s</td></tr>
<tr><th scope="row">latency p50 / p95 / p99 / max</th><td>${`${fixed(figures.latencyMs.p50)} / ${fixed(figures.latencyMs.p95)} / ${fixed(figures.latencyMs.p99)} / ${fixed(figures.latencyMs.max)} ms`}</td></tr>
<tr><th scope="row">answers by status</th><td>${Object.entries(figures.statuses)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')}</td></tr>
<tr><th scope="row">refusals by err</th><td>${
          Object.entries(figures.errs)
            .map(([e, n]) => `${e}: ${n}`)
            .join(', ') || 'none'
        }</td></tr>
<tr><th scope="row">timeouts / connection errors</th><td>${figures.timeouts} / ${figures.connectionErrors}</td></tr>
</tbody></table>
<h2>Latency</h2>${histogramSvg(figures.histogram)}
<h2>Throughput over time</h2>${throughputSvg(figures.perSecond)}`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${`ssf-lab load: ${record.target.name}`}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}</style>
</head><body><main>
<h1>${`Load: ${record.target.name}`}</h1>
<p>${record.passed ? 'Passed: every objective held.' : 'Failed: see the checks below.'} Started ${record.startedAt}.</p>
${figuresHtml}
<h2>Checks</h2>
<table><thead><tr><th scope="col">outcome</th><th scope="col">check</th><th scope="col">assertion</th><th scope="col">findings</th></tr></thead><tbody>${rows}</tbody></table>
</main></body></html>
`.value;
}
