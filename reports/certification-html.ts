/**
 * The HTML report of a certification run: one self-contained file (inline CSS and SVG, no script,
 * nothing fetched; a Content-Security-Policy of `default-src 'none'` says so to the browser) — the
 * verdict and counts, then per plan and module every check with its status, the requirement it cites
 * (linked) and its findings, what the module created and removed in the target, the module's story when
 * it has one (`story.ts`: a scenario's steps, the sequence diagram, the decoded SETs, Okta's System Log
 * grouped by TraceId and each app's Universal Logout calls; for a module whose exchanges carried SETs
 * but that has no story, the diagram and the SETs), and the HTTP exchanges it made.
 *
 * The verdicts are the record's checks only: the story is drawn, never judged.
 *
 * Every string goes through `html```, which escapes it and scrubs credentials from free text; exchanges
 * are redacted again before rendering. The same record always gives the same bytes.
 */
import { REQUIREMENTS } from '../harness/protocol/index.ts';
import {
  type CertificationRecord,
  type CheckOutcome,
  type CheckResult,
  checksOf,
  type ExchangeRecord,
  type ModuleResult,
  outcomeOf,
  tallyChecks,
} from '../harness/records/index.ts';
import { redactCertificationRecord } from './certification-json.ts';
import { renderStory, STORY_CSS } from './story.ts';
import {
  compactJson,
  formatCount,
  formatDuration,
  formatMs,
  html,
  prettyJson,
  type SafeHtml,
  truncate,
  trusted,
} from './text.ts';
import {
  expectedSkips,
  notJudgedText,
  OUTCOME_LABEL,
  OUTCOME_SIGN,
  tallyLine,
  verdictWord,
} from './vocabulary.ts';

const MAX_TEXT = 2000;
const MAX_BODY = 4096;
/** Exchanges rendered per module; past this, a note says how many more `certification.json` has. */
export const MAX_EXCHANGES_PER_MODULE = 200;

const CSS = `
:root{color-scheme:light dark;--ok:#1a7f37;--fail:#cf222e;--warn:#9a6700;--muted:#6e7781;--line:#d0d7de;--bg2:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--line:#30363d;--bg2:#161b22;--muted:#8b949e}}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:1rem 1.5rem}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem;margin-top:2rem}h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}pre{background:var(--bg2);padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-all;max-height:24rem}
.badge{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.85em;font-weight:600;border:1px solid currentColor}
.passed{color:var(--ok)}.failed,.error,.unreachable{color:var(--fail)}.tolerated,.warning{color:var(--warn)}.skipped,.inconclusive,.blocked,.muted{color:var(--muted)}
dl.facts{display:flex;flex-wrap:wrap;gap:.5rem 2rem}dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0}
ul.findings{margin:.25rem 0;padding-left:1.2rem}details{margin:.25rem 0}summary{cursor:pointer}
.story{margin:.5rem 0 1rem}.story p.description{margin:.5rem 0}
${STORY_CSS}`;

/** A check's outcome, as a badge: the class names the outcome (the same words every report uses). */
function badge(outcome: CheckOutcome): SafeHtml {
  return html`<span class="badge ${outcome}"><span aria-hidden="true">${OUTCOME_SIGN[outcome]}</span> ${OUTCOME_LABEL[outcome]}</span>`;
}

/** The run's verdict, as a badge. */
function verdictBadge(word: 'passed' | 'failed' | 'unreachable'): SafeHtml {
  return html`<span class="badge ${word}"><span aria-hidden="true">${word === 'passed' ? '✓' : '✗'}</span> ${word}</span>`;
}

function requirementCell(check: CheckResult): SafeHtml {
  const r = REQUIREMENTS[check.requirement];
  if (r === undefined) return html`<code>${check.requirement}</code>`;
  const link = /^https:\/\//.test(r.url) ? html`<a href="${r.url}">${r.id}</a>` : html`${r.id}`;
  return html`${link} <span class="muted">${r.keyword} · ${check.level}</span><br><span class="muted">${truncate(r.summary, MAX_TEXT)}</span>`;
}

function findingsCell(check: CheckResult): SafeHtml {
  if (check.findings.length === 0)
    return check.reason === undefined
      ? html`<span class="muted">—</span>`
      : html`${truncate(notJudgedText(check), MAX_TEXT)}`;
  return html`<ul class="findings">${check.findings.map(
    (f) =>
      html`<li>${truncate(f.message, MAX_TEXT)}${
        f.evidence === undefined
          ? ''
          : html`<details><summary>evidence</summary><pre>${truncate(prettyJson(f.evidence), MAX_BODY)}</pre></details>`
      }${f.toleratedBecause === undefined ? '' : html`<br><span class="tolerated">tolerated: ${truncate(f.toleratedBecause, MAX_TEXT)}</span>`}</li>`,
  )}</ul>`;
}

function headersBlock(headers: Readonly<Record<string, string>> | undefined): SafeHtml {
  const rows = Object.entries(headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return html`${rows.map(([k, v]) => `${k}: ${truncate(v, MAX_TEXT)}\n`)}`;
}

function exchange(e: ExchangeRecord, id: string): SafeHtml {
  const outcome = e.status ?? e.error ?? 'no answer';
  return html`<details id="${id}-ex-${e.seq}"><summary><code>#${e.seq} ${e.method} ${truncate(e.url, 300)}</code> → ${outcome} <span class="muted">(${e.from} → ${e.to}, ${formatMs(e.durationMs)})</span></summary>
<pre>${headersBlock(e.requestHeaders)}${e.requestBody === undefined ? '' : `\n${truncate(e.requestBody, MAX_BODY)}`}</pre>
${e.status === undefined ? '' : html`<pre>${`HTTP ${e.status}\n`}${headersBlock(e.responseHeaders)}${e.responseBody === undefined ? '' : `\n${truncate(e.responseBody, MAX_BODY)}`}</pre>`}
${e.error === undefined ? '' : html`<p class="error">${truncate(e.error, MAX_TEXT)}</p>`}
</details>`;
}

function moduleSection(m: ModuleResult, id: string): SafeHtml {
  const shown = m.exchanges.slice(0, MAX_EXCHANGES_PER_MODULE);
  const listed = new Set(shown.map((e) => e.seq));
  const story = renderStory(
    {
      title: m.title,
      startedAt: m.startedAt,
      exchanges: m.exchanges,
      ...(m.story === undefined ? {} : { story: m.story }),
    },
    {
      idPrefix: id,
      headingLevel: 4,
      recordFile: 'certification.json',
      linkFor: (seq) => (listed.has(seq) ? `${id}-ex-${seq}` : null),
    },
  );
  return html`<section id="${id}" aria-labelledby="${id}-h"><h3 id="${id}-h">${m.title} <code class="muted">${m.plan}.${m.id}</code></h3>
<p class="muted">${tallyLine(tallyChecks(m.checks), expectedSkips(m.checks))} · started ${m.startedAt} · ${formatDuration(m.durationMs)}</p>
${m.skipped === undefined ? '' : html`<p class="skipped">Skipped: ${truncate(m.skipped, MAX_TEXT)}</p>`}
${m.error === undefined ? '' : html`<p class="error">The module could not finish: ${truncate(m.error, MAX_TEXT)}</p>`}
<table><thead><tr><th scope="col">Status</th><th scope="col">Check</th><th scope="col">Requirement</th><th scope="col">Findings</th></tr></thead>
<tbody>${m.checks.map(
    (c) =>
      html`<tr><td>${badge(outcomeOf(c))}</td><td><code>${c.id}</code><br>${truncate(c.title, MAX_TEXT)}</td><td>${requirementCell(c)}</td><td>${findingsCell(c)}</td></tr>`,
  )}</tbody></table>
${
  m.cleanup.length === 0
    ? ''
    : html`<h4>Created in the target and removed</h4><ul>${m.cleanup.map(
        (c) =>
          html`<li class="${c.ok ? 'passed' : 'failed'}">${c.ok ? '✓' : '✗ not removed:'} ${truncate(c.what, MAX_TEXT)}${c.error === undefined ? '' : ` — ${truncate(c.error, MAX_TEXT)}`}</li>`,
      )}</ul>`
}
${story}
<h4>Exchanges <span class="muted">${formatCount(m.exchanges.length)}</span></h4>
${m.exchanges.length === 0 ? html`<p class="muted">None.</p>` : shown.map((e) => exchange(e, id))}
${m.exchanges.length > shown.length ? html`<p class="muted">${formatCount(m.exchanges.length - shown.length)} more in certification.json.</p>` : ''}
</section>`;
}

/** The HTML report of one certification run. */
export function renderCertificationHtml(input: CertificationRecord): string {
  const record = redactCertificationRecord(input);
  const checks = checksOf(record);
  const counts = tallyChecks(checks);
  const unreachable = record.unreachable ?? [];
  const title = `ssf-lab certification: ${record.target.name}`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(CSS)}</style></head>
<body><header><h1>${title} ${verdictBadge(verdictWord(record))}</h1>
<dl class="facts">
<div><dt>Target</dt><dd>${record.target.name} (${record.target.kind}${record.target.file === undefined ? '' : html`, <code>${record.target.file}</code>`})</dd></div>
<div><dt>Started</dt><dd><time>${record.startedAt}</time></dd></div>
<div><dt>Duration</dt><dd>${formatDuration(record.durationMs)}</dd></div>
<div><dt>Checks</dt><dd id="tally">${tallyLine(counts, expectedSkips(checks))}</dd></div>
<div><dt>Tool</dt><dd>${record.tool.name} ${record.tool.version}</dd></div>
${record.dryRun ? html`<div><dt>Mode</dt><dd>dry run: nothing was changed in the target</dd></div>` : ''}
</dl></header>
<main>
${
  unreachable.length === 0
    ? ''
    : html`<section aria-labelledby="unreachable-h"><h2 id="unreachable-h" class="unreachable">Unreachable: nothing was graded there</h2><ul>${unreachable.map(
        (u) =>
          html`<li><code>${u.plan}</code>: the target could not be reached at <code>${truncate(u.url, MAX_TEXT)}</code> — ${truncate(u.message, MAX_TEXT)}</li>`,
      )}</ul></section>`
}
${
  record.ledgerProblems.length === 0
    ? ''
    : html`<section aria-labelledby="ledger-h"><h2 id="ledger-h" class="failed">Ledger problems</h2><ul>${record.ledgerProblems.map(
        (l) =>
          html`<li>${truncate(l.message, MAX_TEXT)} <code>${truncate(compactJson(l.entry), MAX_TEXT)}</code></li>`,
      )}</ul></section>`
}
${record.plans.length === 0 ? html`<p class="muted">No plan ran.</p>` : ''}
${record.plans.map(
  (
    p,
    i,
  ) => html`<section aria-labelledby="plan-${i}-h"><h2 id="plan-${i}-h">${p.title} <code class="muted">${p.name}</code></h2>
${p.modules.length === 0 ? html`<p class="muted">No module ran (the run was stopped).</p>` : ''}
${p.modules.map((m, j) => moduleSection(m, `plan-${i}-m-${j}`))}</section>`,
)}
</main></body></html>
`;
  return page.value;
}
