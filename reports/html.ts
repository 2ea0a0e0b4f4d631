/**
 * The HTML report of run records (to be retired: a scenario run now leaves a certification record,
 * drawn by `certification-html.ts`): one self-contained file (inline CSS and SVG, no script, no font, no
 * image, nothing fetched — a Content-Security-Policy of `default-src 'none'` says so to the browser too)
 * that renders one or several run records. Per run: the verdict and facts, the expectations, then the
 * run's story as `story.ts` draws it (the steps, a sequence diagram of the timeline, every decoded SET,
 * Okta's System Log grouped by TraceId, the apps' logout results), and the exchanges themselves.
 *
 * Every string from a record goes through `html```, which escapes it for text and attributes (and
 * scrubs credentials from free text); exchanges are redacted again before rendering. The output depends
 * only on the records and the options: the same input gives the same bytes.
 */
import type { ExchangeRecord, ExpectationResult, RunRecord } from '../harness/protocol/index.ts';
import { redactExchange } from './redaction.ts';
import {
  DEFAULT_MAX_ARROWS,
  describePlan,
  displayName,
  planSequence,
  type SequencePlan,
} from './sequence.ts';
import {
  jsonHtml,
  plural,
  renderLogoutsSection,
  renderSequenceSection,
  renderSetsSection,
  renderStepsSection,
  renderSystemLogSection,
  STORY_CSS,
  timelineOrigin,
  verdict,
} from './story.ts';
import {
  compactJson,
  formatCount,
  formatDuration,
  formatMs,
  html,
  type SafeHtml,
  truncate,
  trusted,
} from './text.ts';

export interface HtmlReportOptions {
  /** The page's title (default: the scenario's name, or the number of runs). */
  readonly title?: string;
  /** Shown in the footer as given (the report never reads a clock itself). */
  readonly generatedAt?: string;
  /** Arrows per sequence diagram before arrows are elided (default 300). */
  readonly maxDiagramArrows?: number;
}

const MAX_TEXT = 2000;
const MAX_BODY = 4096;
const MAX_JSON = 32 * 1024;
const INLINE_JSON = 60;

// ——— small pieces ———

/** A value in a table cell: short ones inline, long ones as a block. */
function valueCell(value: unknown): SafeHtml {
  if (value === undefined) return html`<span class="muted">—</span>`;
  const compact = compactJson(value);
  if (compact.length <= INLINE_JSON) return html`<code>${compact}</code>`;
  return html`<pre class="json">${jsonHtml(value)}</pre>`;
}

function bodyBlock(body: string, headers: Readonly<Record<string, string>> | undefined): SafeHtml {
  const type = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (type.toLowerCase().includes('json') && body.length <= MAX_JSON) {
    try {
      return html`<pre class="json">${jsonHtml(JSON.parse(body))}</pre>`;
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return html`<pre>${truncate(body, MAX_BODY)}</pre>`;
}

function headersTable(headers: Readonly<Record<string, string>>): SafeHtml {
  const rows = Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) return html`<p class="muted">none</p>`;
  return html`<table class="kv"><tbody>${rows.map(
    ([k, v]) => html`<tr><th scope="row">${k}</th><td><code>${truncate(v, MAX_TEXT)}</code></td></tr>`,
  )}</tbody></table>`;
}

function originOf(record: RunRecord): number {
  return timelineOrigin(record.startedAt, record.timeline);
}

// ——— sections ———

function runHeader(record: RunRecord, id: string): SafeHtml {
  const expectationsOk = record.expectations.filter((e) => e.ok).length;
  const stepsOk = record.steps.filter((s) => s.ok).length;
  const sets = record.timeline.filter((e) => e.set).length;
  return html`<header class="run-head">
<h2 id="${id}-title">${record.scenario.name} ${verdict(record.passed)}</h2>
${record.scenario.description ? html`<p class="description">${truncate(record.scenario.description, MAX_TEXT)}</p>` : ''}
<dl class="facts">
<div><dt>Result</dt><dd>${record.passed ? 'passed' : 'failed'}</dd></div>
<div><dt>Transport</dt><dd>${record.transport}</dd></div>
<div><dt>Started at</dt><dd><time>${record.startedAt}</time></dd></div>
<div><dt>Duration</dt><dd>${formatDuration(record.durationMs)}</dd></div>
<div><dt>Scenario</dt><dd><code>${record.scenario.id}</code>${record.scenario.file ? html` · <code>${record.scenario.file}</code>` : ''}</dd></div>
<div><dt>Expectations</dt><dd>${formatCount(expectationsOk)} of ${formatCount(record.expectations.length)} held</dd></div>
<div><dt>Steps</dt><dd>${formatCount(stepsOk)} of ${formatCount(record.steps.length)} ok</dd></div>
<div><dt>Traffic</dt><dd>${plural(record.timeline.length, 'exchange')} · ${plural(sets, 'SET')} · ${plural(record.systemLog.length, 'System Log event')} · ${plural(record.logouts.length, 'app logout')}</dd></div>
<div><dt>Tool</dt><dd>${record.tool.name} ${record.tool.version}</dd></div>
</dl>
</header>`;
}

function toc(id: string): SafeHtml {
  const items: [string, string][] = [
    ['expectations', 'Expectations'],
    ['steps', 'Steps'],
    ['sequence', 'Sequence'],
    ['sets', 'SETs'],
    ['system-log', 'System Log'],
    ['logouts', 'App logouts'],
    ['exchanges', 'Exchanges'],
  ];
  return html`<nav class="toc" aria-label="Sections of this run"><ul>${items.map(
    ([slug, label]) => html`<li><a href="#${id}-${slug}">${label}</a></li>`,
  )}</ul></nav>`;
}

function expectationsSection(expectations: readonly ExpectationResult[], id: string): SafeHtml {
  const failed = expectations.filter((e) => !e.ok).length;
  const table =
    expectations.length === 0
      ? html`<p class="muted">This run declared no expectations.</p>`
      : html`<div class="scroll"><table class="expectations">
<caption>${plural(expectations.length, 'expectation')}, ${formatCount(failed)} failed</caption>
<thead><tr><th scope="col">Result</th><th scope="col">#</th><th scope="col">Expectation</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Message</th></tr></thead>
<tbody>${expectations.map(
          (e) => html`<tr class="${e.ok ? 'ok' : 'fail'}">
<td>${verdict(e.ok, 'ok', 'failed')}</td><td class="num">${e.index}</td>
<td>${truncate(e.title, MAX_TEXT)}<br><span class="kind">${e.kind}</span></td>
<td>${valueCell(e.expected)}</td><td>${valueCell(e.actual)}</td>
<td>${e.message === undefined ? html`<span class="muted">—</span>` : html`<span class="message">${truncate(e.message, MAX_TEXT)}</span>`}</td>
</tr>`,
        )}</tbody></table></div>`;
  return html`<section id="${id}-expectations" aria-labelledby="${id}-expectations-h"><h3 id="${id}-expectations-h">Expectations</h3>${table}</section>`;
}

function exchangeDetails(e: ExchangeRecord): SafeHtml {
  return html`<details><summary>headers and bodies</summary>
<div class="exchange-parts">
<div><h5>Request headers</h5>${headersTable(e.requestHeaders)}${e.requestBody === undefined ? '' : html`<h5>Request body</h5>${bodyBlock(e.requestBody, e.requestHeaders)}`}</div>
<div><h5>Response headers</h5>${e.responseHeaders ? headersTable(e.responseHeaders) : html`<p class="muted">no response</p>`}${e.responseBody === undefined ? '' : html`<h5>Response body</h5>${bodyBlock(e.responseBody, e.responseHeaders)}`}${e.error === undefined ? '' : html`<h5>Error</h5><pre>${truncate(e.error, MAX_TEXT)}</pre>`}</div>
</div></details>`;
}

function exchangesSection(record: RunRecord, plan: SequencePlan, id: string): SafeHtml {
  if (plan.rows.length === 0)
    return html`<section id="${id}-exchanges" aria-labelledby="${id}-exchanges-h"><h3 id="${id}-exchanges-h">Exchanges</h3><p class="muted">No HTTP exchanges were recorded.</p></section>`;
  const origin = originOf(record);
  const rows = plan.rows.map((row) => {
    if (row.kind === 'gap')
      return html`<tr class="gap"><td colspan="7">⋯ ${plural(row.exchanges, 'exchange')} elided (#${row.firstSeq} – #${row.lastSeq}) ⋯</td></tr>`;
    const e = row.exchanges[0] as ExchangeRecord;
    const last = row.exchanges[row.exchanges.length - 1] as ExchangeRecord;
    const failed = e.error !== undefined || e.status === undefined || e.status >= 400;
    return html`<tr id="${id}-ex-${e.seq}" class="${failed ? 'fail' : ''}">
<td class="num">${e.seq}${row.exchanges.length > 1 ? html`–${last.seq}` : ''}</td>
<td class="num">+${formatMs(e.at - origin)}</td>
<td>${displayName(e.from)} → ${displayName(e.to)}</td>
<td><code>${e.method}</code> <span class="url">${truncate(e.url, MAX_TEXT)}</span>${row.exchanges.length > 1 ? html`<br><span class="muted">×${formatCount(row.exchanges.length)} identical calls, the last at +${formatMs(last.at - origin)}</span>` : ''}${e.set ? html`<br><a href="#${id}-set-${e.seq}">decoded SET</a>` : ''}</td>
<td class="num"><span class="status ${failed ? 'fail' : 'ok'}">${e.status ?? e.error ?? 'no answer'}</span></td>
<td class="num">${formatMs(e.durationMs)}</td>
<td>${exchangeDetails(e)}</td>
</tr>`;
  });
  return html`<section id="${id}-exchanges" aria-labelledby="${id}-exchanges-h"><h3 id="${id}-exchanges-h">Exchanges <span class="count">${formatCount(record.timeline.length)}</span></h3>
<details class="exchanges"><summary>Every exchange the diagram draws, with redacted headers and bodies</summary>
<div class="scroll"><table class="exchanges">
<caption>${plural(record.timeline.length, 'exchange')}; ${describePlan(plan)}</caption>
<thead><tr><th scope="col">#</th><th scope="col">At</th><th scope="col">From → to</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Detail</th></tr></thead>
<tbody>${rows}</tbody></table></div></details></section>`;
}

function runArticle(record: RunRecord, n: number, options: HtmlReportOptions): SafeHtml {
  const id = `run-${n}`;
  const timeline = record.timeline.map(redactExchange);
  const plan = planSequence(timeline, { maxArrows: options.maxDiagramArrows ?? DEFAULT_MAX_ARROWS });
  const story = { idPrefix: id, headingLevel: 3, recordFile: 'run.json' } as const;
  return html`<article class="run ${record.passed ? 'passed' : 'failed'}" id="${id}" aria-labelledby="${id}-title">
${runHeader(record, id)}
${toc(id)}
${expectationsSection(record.expectations, id)}
${renderStepsSection(record.steps, story)}
${renderSequenceSection(timeline, {
  ...story,
  title: `Exchanges of ${record.scenario.name}`,
  startedAt: record.startedAt,
  plan,
  linkFor: (seq) => `${id}-ex-${seq}`,
})}
${renderSetsSection(timeline, story)}
${renderSystemLogSection(record.systemLog, story)}
${renderLogoutsSection(record.logouts, story)}
${exchangesSection({ ...record, timeline }, plan, id)}
</article>`;
}

function summarySection(records: readonly RunRecord[]): SafeHtml {
  const passed = records.filter((r) => r.passed).length;
  const total = records.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
  return html`<section class="summary" id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
<p class="totals">${plural(records.length, 'run')}: ${verdict(true, `${formatCount(passed)} passed`)} ${records.length - passed > 0 ? verdict(false, '', `${formatCount(records.length - passed)} failed`) : ''} · ${formatDuration(total)} in all</p>
<div class="scroll"><table class="summary">
<caption>Every run in this report</caption>
<thead><tr><th scope="col">#</th><th scope="col">Scenario</th><th scope="col">Transport</th><th scope="col">Result</th><th scope="col">Duration</th><th scope="col">Expectations</th><th scope="col">First failure</th></tr></thead>
<tbody>${records.map((r, i) => {
    const failedExpectation = r.expectations.find((e) => !e.ok);
    const failedStep = r.steps.find((s) => !s.ok);
    const firstFailure = failedExpectation
      ? `${failedExpectation.title}${failedExpectation.message ? `: ${failedExpectation.message}` : ''}`
      : failedStep
        ? `step ${failedStep.index} (${failedStep.title})${failedStep.error ? `: ${failedStep.error}` : ''}`
        : undefined;
    return html`<tr class="${r.passed ? 'ok' : 'fail'}"><td class="num">${i + 1}</td><td><a href="#run-${i + 1}">${r.scenario.name}</a></td><td>${r.transport}</td><td>${verdict(r.passed)}</td><td class="num">${formatDuration(r.durationMs)}</td><td class="num">${formatCount(r.expectations.filter((e) => e.ok).length)} / ${formatCount(r.expectations.length)}</td><td>${firstFailure === undefined ? html`<span class="muted">—</span>` : html`<span class="message">${truncate(firstFailure, 300)}</span>`}</td></tr>`;
  })}</tbody></table></div></section>`;
}

/** One self-contained HTML document for one or several run records. */
export function renderHtmlReport(records: readonly RunRecord[], options: HtmlReportOptions = {}): string {
  const first = records[0];
  const title =
    options.title ??
    (records.length === 1 && first
      ? `ssf-lab — ${first.scenario.name}`
      : `ssf-lab — ${plural(records.length, 'run')}`);
  const passed = records.filter((r) => r.passed).length;
  const version = first?.tool.version;
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="ssf-lab${version ? ` ${version}` : ''}">
<title>${title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header class="page">
<h1>${title}</h1>
<p class="muted">${records.length === 0 ? 'No runs.' : html`${plural(records.length, 'run')} · ${formatCount(passed)} passed · ${formatCount(records.length - passed)} failed`}</p>
</header>
<main class="story">
${records.length > 1 ? summarySection(records) : ''}
${records.map((r, i) => runArticle(r, i + 1, options))}
</main>
<footer class="page muted"><p>Generated by ssf-lab${version ? ` ${version}` : ''}${options.generatedAt ? html` at <time>${options.generatedAt}</time>` : ''} from run record${records.length === 1 ? '' : 's'} of schema <code>urn:ssf-lab:run-record:1</code>. Self-contained: no scripts, nothing fetched. Credentials are redacted.</p></footer>
</body>
</html>
`;
  return doc.value;
}

/** The page's own styles; the story's come from `STORY_CSS`. */
const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5c6670;--border:#d5dae0;--panel:#f5f7f9;--code:#eef1f4;
--ok:#1a7f37;--ok-bg:#dafbe1;--fail:#c62828;--fail-bg:#ffebe9;--accent:#0a6ebd}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9aa5b1;--border:#30363d;--panel:#161b22;--code:#1f262e;
--ok:#3fb950;--ok-bg:#12261b;--fail:#f85149;--fail-bg:#2d1416;--accent:#58a6ff}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:1400px;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.35rem;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
h3{font-size:1.1rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--border)}
h4{font-size:1rem;margin:0 0 .5rem;word-break:break-word}
h5{font-size:.85rem;margin:.75rem 0 .25rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
a{color:var(--accent)}
code,pre,.url{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.85em}
code{background:var(--code);padding:.05em .3em;border-radius:3px;word-break:break-word}
pre{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:.6rem .75rem;overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word;margin:0}
.url{word-break:break-all}
.muted{color:var(--muted)}
.note{color:var(--muted);font-size:.9rem}
.count{font-size:.8rem;font-weight:normal;color:var(--muted);border:1px solid var(--border);border-radius:999px;padding:0 .5em;margin-left:.25em}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:999px;padding:.05em .6em;white-space:nowrap}
.badge.ok{color:var(--ok);background:var(--ok-bg)}
.badge.fail{color:var(--fail);background:var(--fail-bg)}
.kind{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.75rem;color:var(--muted)}
.message{color:var(--fail)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.25rem 0}
caption{text-align:left;color:var(--muted);font-size:.85rem;padding:.25rem 0}
th,td{border-bottom:1px solid var(--border);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--panel);font-size:.85rem}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.fail>td{background:var(--fail-bg)}
table.kv th{font-weight:500;white-space:nowrap;width:1%}
header.page{margin-bottom:1.5rem}
footer.page{margin-top:3rem;border-top:1px solid var(--border);font-size:.85rem}
article.run{border:1px solid var(--border);border-radius:10px;padding:1.25rem;margin:1.5rem 0}
article.run.failed{border-left:6px solid var(--fail)}
article.run.passed{border-left:6px solid var(--ok)}
section.summary{margin-bottom:1rem}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.25rem 1.25rem;margin:.5rem 0}
dl.facts div{min-width:0}
dl.facts dt{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
dl.facts dd{margin:0;word-break:break-word}
nav.toc ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.75rem 0 0}
.exchange-parts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.status{font-weight:600}.status.ok{color:var(--ok)}.status.fail{color:var(--fail)}
td pre{white-space:pre;max-width:34rem;max-height:20rem}
tr.gap td{text-align:center;color:var(--muted);font-style:italic;background:var(--panel)}
details>summary{cursor:pointer;color:var(--accent)}
details.exchanges>summary{margin:.25rem 0 .5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--border:#bbb;--panel:#f3f3f3;--code:#f3f3f3}
body{max-width:none;padding:0;font-size:11pt}
nav.toc{display:none}
article.run{break-before:page;border-width:1px;border-left-width:6px}
article.run:first-of-type{break-before:auto}
.scroll{overflow:visible}
pre{max-height:none;overflow:visible}
tr{break-inside:avoid}
h2,h3,h4{break-after:avoid}
a{color:inherit;text-decoration:none}
}
${STORY_CSS}`;
