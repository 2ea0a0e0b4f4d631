/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no font, no image, nothing
 * fetched — a Content-Security-Policy of `default-src 'none'` says so to the browser too) that renders
 * one or several run records. Per run: the verdict and facts, the expectations, the steps, a sequence
 * diagram of the timeline, every decoded SET, Okta's System Log grouped by TraceId with the six-event
 * Universal Logout chain marked, the apps' logout results, and the exchanges themselves.
 *
 * Every string from a record goes through `html```, which escapes it for text and attributes (and
 * scrubs credentials from free text); exchanges are redacted again before rendering. The output depends
 * only on the records and the options: the same input gives the same bytes.
 */
import type {
  ExchangeRecord,
  ExpectationResult,
  LogoutRecord,
  RunRecord,
  StepRecord,
  SystemLogEntry,
} from '../harness/protocol/index.ts';
import { redactExchange } from './redaction.ts';
import {
  DEFAULT_MAX_ARROWS,
  describePlan,
  displayName,
  pathOf,
  planSequence,
  renderSequenceSvg,
  type SequencePlan,
  setEventName,
} from './sequence.ts';
import {
  compactJson,
  escapeHtml,
  formatCount,
  formatDuration,
  formatMs,
  html,
  isoTime,
  prettyJson,
  type SafeHtml,
  scrubCredentials,
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

/** Okta's six System Log events for one risk signal that ends in Universal Logout, in order. */
export const OKTA_LOGOUT_CHAIN = [
  'security.events.provider.receive_event',
  'user.risk.detect',
  'policy.entity_risk.evaluate',
  'policy.entity_risk.action',
  'user.session.end',
  'user.authentication.universal_logout',
] as const;

/** Decoded SETs rendered per run; past this, a note says how many more there were. */
export const MAX_SETS = 200;
/** System Log rows rendered per run. */
export const MAX_LOG_ROWS = 2000;
const MAX_TEXT = 2000;
const MAX_BODY = 4096;
const MAX_JSON = 32 * 1024;
const INLINE_JSON = 60;

const APP_NAMES = new Set(['salesforce', 'google-workspace', 'office365']);

// ——— small pieces ———

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function verdict(ok: boolean, yes = 'passed', no = 'failed'): SafeHtml {
  return ok
    ? html`<span class="badge ok"><span aria-hidden="true">✓</span> ${yes}</span>`
    : html`<span class="badge fail"><span aria-hidden="true">✗</span> ${no}</span>`;
}

/** JSON with its tokens marked for colour; everything escaped. Very large values are shown as plain text. */
function jsonHtml(value: unknown): SafeHtml {
  const plain = prettyJson(value);
  if (plain.length > MAX_JSON) return html`${truncate(plain, MAX_JSON)}`;
  const out: string[] = [];
  const text = (s: string): string => escapeHtml(scrubCredentials(s));
  const walk = (v: unknown, indent: string, depth: number): void => {
    if (v === null) out.push('<span class="j-null">null</span>');
    else if (typeof v === 'string') out.push(`<span class="j-str">${text(JSON.stringify(v))}</span>`);
    else if (typeof v === 'number' || typeof v === 'boolean')
      out.push(
        `<span class="j-${typeof v === 'number' ? 'num' : 'bool'}">${text(JSON.stringify(v) ?? 'null')}</span>`,
      );
    else if (depth > 40) out.push('…');
    else if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push('[]');
        return;
      }
      out.push('[\n');
      v.forEach((item, i) => {
        out.push(`${indent}  `);
        walk(item === undefined ? null : item, `${indent}  `, depth + 1);
        out.push(i < v.length - 1 ? ',\n' : '\n');
      });
      out.push(`${indent}]`);
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) {
        out.push('{}');
        return;
      }
      out.push('{\n');
      entries.forEach(([k, item], i) => {
        out.push(`${indent}  <span class="j-key">${text(JSON.stringify(k))}</span>: `);
        walk(item, `${indent}  `, depth + 1);
        out.push(i < entries.length - 1 ? ',\n' : '\n');
      });
      out.push(`${indent}}`);
    } else out.push(text(String(v)));
  };
  walk(value, '', 0);
  return trusted(out.join(''));
}

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

/**
 * Real time, from the first exchange shown, when every exchange carries it (older records do not): a
 * lab on virtual time keeps `at` still between waits, so `at` alone would show +0 ms on every hop.
 */
function realOriginOf(timeline: readonly ExchangeRecord[]): { originRealMs?: number } {
  if (timeline.length === 0 || timeline.some((x) => x.realMs === undefined)) return {};
  return { originRealMs: Math.min(...timeline.map((x) => x.realMs ?? 0)) };
}

function originOf(record: RunRecord): number {
  const started = Date.parse(record.startedAt);
  const first = record.timeline[0]?.at;
  if (!Number.isFinite(started)) return first ?? 0;
  return first !== undefined && first < started ? first : started;
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

function stepsSection(steps: readonly StepRecord[], id: string): SafeHtml {
  const table =
    steps.length === 0
      ? html`<p class="muted">No steps were recorded.</p>`
      : html`<div class="scroll"><table class="steps">
<caption>${plural(steps.length, 'step')}</caption>
<thead><tr><th scope="col">Result</th><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Step</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
<tbody>${steps.map(
          (s) => html`<tr class="${s.ok ? 'ok' : 'fail'}">
<td>${verdict(s.ok, 'ok', 'failed')}</td><td class="num">${s.index}</td><td><span class="kind">${s.kind}</span></td>
<td>${truncate(s.title, MAX_TEXT)}</td><td class="num">+${formatMs(s.startedMs)}</td><td class="num">${formatMs(s.durationMs)}</td>
<td>${s.error === undefined ? html`<span class="muted">—</span>` : html`<span class="message">${truncate(s.error, MAX_TEXT)}</span>`}</td>
</tr>`,
        )}</tbody></table></div>`;
  return html`<section id="${id}-steps" aria-labelledby="${id}-steps-h"><h3 id="${id}-steps-h">Steps</h3>${table}</section>`;
}

function sequenceSection(
  record: RunRecord,
  timeline: readonly ExchangeRecord[],
  plan: SequencePlan,
  id: string,
): SafeHtml {
  if (timeline.length === 0)
    return html`<section id="${id}-sequence" aria-labelledby="${id}-sequence-h"><h3 id="${id}-sequence-h">Sequence</h3><p class="muted">No HTTP exchanges were recorded.</p></section>`;
  const real = realOriginOf(record.timeline);
  const svg = renderSequenceSvg(timeline, plan, {
    idPrefix: `${id}-seq`,
    originMs: originOf(record),
    ...real,
    title: `Exchanges of ${record.scenario.name}`,
    linkFor: (seq) => `${id}-ex-${seq}`,
  });
  return html`<section id="${id}-sequence" aria-labelledby="${id}-sequence-h"><h3 id="${id}-sequence-h">Sequence</h3>
<figure><div class="scroll sequence-wrap">${svg}</div>
<figcaption>${describePlan(plan)} ${real.originRealMs === undefined ? 'Times in the margin count from the start of the run.' : "Times in the margin are real time from the first exchange shown; each arrow's tooltip gives the lab's clock."}</figcaption>
<ul class="legend" aria-label="Arrow colours">
<li><span class="swatch set"></span>SET</li><li><span class="swatch gtr"></span>call into an app (Universal Logout)</li><li><span class="swatch err"></span>error or 4xx/5xx</li><li><span class="swatch lab"></span>lab control (<code>/_lab/</code>)</li><li><span class="swatch plain"></span>other</li>
</ul></figure></section>`;
}

function setSummary(e: ExchangeRecord): SafeHtml {
  const claims = e.set?.claims ?? null;
  const facts: [string, unknown][] = [];
  if (claims) {
    const events = claims.events;
    const uris = events !== null && typeof events === 'object' ? Object.keys(events) : [];
    if (uris.length > 0) facts.push(['Event', uris.join(', ')]);
    const first = uris[0] === undefined ? undefined : (events as Record<string, unknown>)[uris[0]];
    if (first !== null && typeof first === 'object') {
      const ev = first as Record<string, unknown>;
      if (ev.previous_level !== undefined || ev.current_level !== undefined)
        facts.push(['Level', `${compactJson(ev.previous_level)} → ${compactJson(ev.current_level)}`]);
      if (ev.subject !== undefined) facts.push(['Subject (in event)', compactJson(ev.subject)]);
      if (typeof ev.event_timestamp === 'number')
        facts.push(['Event time', isoTime(ev.event_timestamp * (ev.event_timestamp < 1e11 ? 1000 : 1))]);
    }
    if (claims.sub_id !== undefined) facts.push(['Subject', compactJson(claims.sub_id)]);
    if (claims.iss !== undefined) facts.push(['Issuer', compactJson(claims.iss)]);
    if (claims.aud !== undefined) facts.push(['Audience', compactJson(claims.aud)]);
    if (claims.jti !== undefined) facts.push(['JWT ID', compactJson(claims.jti)]);
    if (typeof claims.iat === 'number') facts.push(['Issued at', isoTime(claims.iat * 1000)]);
  }
  if (facts.length === 0) return html``;
  return html`<dl class="facts small">${facts.map(
    ([k, v]) => html`<div><dt>${k}</dt><dd>${truncate(String(v), MAX_TEXT)}</dd></div>`,
  )}</dl>`;
}

function setsSection(timeline: readonly ExchangeRecord[], id: string): SafeHtml {
  const withSet = timeline.filter((e) => e.set !== undefined);
  const shown = withSet.slice(0, MAX_SETS);
  const body =
    withSet.length === 0
      ? html`<p class="muted">No SET crossed the wire in this run.</p>`
      : html`${shown.map((e) => {
          const name = setEventName(e);
          return html`<article class="set" id="${id}-set-${e.seq}" aria-labelledby="${id}-set-${e.seq}-h">
<h4 id="${id}-set-${e.seq}-h">SET${name ? html` <code>${name}</code>` : ''} · #${e.seq} ${displayName(e.from)} → ${displayName(e.to)} · ${e.method} ${pathOf(e.url)} → ${e.status ?? e.error ?? 'no answer'}</h4>
${setSummary(e)}
<div class="set-parts">
<div><h5>Header</h5>${e.set?.header ? html`<pre class="json">${jsonHtml(e.set.header)}</pre>` : html`<p class="muted">The header could not be decoded.</p>`}</div>
<div><h5>Claims</h5>${e.set?.claims ? html`<pre class="json">${jsonHtml(e.set.claims)}</pre>` : html`<p class="muted">The claims could not be decoded.</p>`}</div>
</div>
${e.requestBody === undefined ? '' : html`<details><summary>Compact serialization (as sent)</summary><pre class="token">${truncate(e.requestBody, MAX_BODY * 2)}</pre></details>`}
</article>`;
        })}${withSet.length > shown.length ? html`<p class="note">${plural(withSet.length - shown.length, 'more SET')} not shown (the report shows the first ${formatCount(MAX_SETS)}; <code>run.json</code> has them all).</p>` : ''}`;
  return html`<section id="${id}-sets" aria-labelledby="${id}-sets-h"><h3 id="${id}-sets-h">SETs <span class="count">${formatCount(withSet.length)}</span></h3>${body}</section>`;
}

/** How much of Okta's six-event chain a TraceId holds, and whether in order. */
export function chainOf(eventTypes: readonly string[]): {
  readonly present: number;
  readonly missing: readonly string[];
  readonly inOrder: boolean;
} {
  const positions = eventTypes
    .map((t) => (OKTA_LOGOUT_CHAIN as readonly string[]).indexOf(t))
    .filter((p) => p >= 0);
  const missing = OKTA_LOGOUT_CHAIN.filter((_, i) => !positions.includes(i));
  const inOrder = positions.every((p, i) => i === 0 || p >= (positions[i - 1] ?? 0));
  return { present: OKTA_LOGOUT_CHAIN.length - missing.length, missing, inOrder };
}

function systemLogSection(entries: readonly SystemLogEntry[], id: string): SafeHtml {
  if (entries.length === 0)
    return html`<section id="${id}-system-log" aria-labelledby="${id}-system-log-h"><h3 id="${id}-system-log-h">System Log</h3><p class="muted">No System Log events were read back in this run.</p></section>`;
  const shown = entries.slice(0, MAX_LOG_ROWS);
  // One group per TraceId, in order of first appearance; events keep their order inside a group.
  const groups = new Map<string, { traceId: string | null; rows: { entry: SystemLogEntry; n: number }[] }>();
  shown.forEach((entry, n) => {
    const key = entry.traceId === null ? '\u0000none' : `t:${entry.traceId}`;
    let group = groups.get(key);
    if (!group) {
      group = { traceId: entry.traceId, rows: [] };
      groups.set(key, group);
    }
    group.rows.push({ entry, n: n + 1 });
  });
  const bodies = [...groups.values()].map((group, g) => {
    const chain = chainOf(group.rows.map((r) => r.entry.eventType));
    const complete = chain.present === OKTA_LOGOUT_CHAIN.length && chain.inOrder;
    const chainNote =
      chain.present === 0
        ? ''
        : html` · <span class="${complete ? 'chain-ok' : 'chain-partial'}">Okta's Universal Logout chain: ${formatCount(chain.present)} of ${formatCount(OKTA_LOGOUT_CHAIN.length)} events${chain.inOrder ? ', in order' : ', out of order'}${chain.missing.length > 0 ? html` (missing ${chain.missing.join(', ')})` : ''}</span>`;
    return html`<tbody class="trace trace-${g % 6}">
<tr class="trace-head"><th scope="rowgroup" colspan="7">${group.traceId === null ? 'No TraceId' : html`TraceId <code>${group.traceId}</code>`} · ${plural(group.rows.length, 'event')}${chainNote}</th></tr>
${group.rows.map(({ entry, n }) => {
  const step = (OKTA_LOGOUT_CHAIN as readonly string[]).indexOf(entry.eventType);
  const outcome = (entry.outcome ?? '').toUpperCase();
  const outcomeClass =
    outcome === 'SUCCESS' ? 'ok' : outcome === 'FAILURE' || outcome === 'DENY' ? 'fail' : 'neutral';
  return html`<tr class="${step >= 0 ? 'chain' : ''}">
<td class="num">${n}</td>
<td><time>${entry.published}</time></td>
<td>${step >= 0 ? html`<span class="step" title="Step ${step + 1} of Okta's chain">${step + 1}</span> ` : ''}<code>${entry.eventType}</code>${entry.displayMessage ? html`<br><span class="muted">${truncate(entry.displayMessage, MAX_TEXT)}</span>` : ''}</td>
<td>${entry.outcome === null ? html`<span class="muted">—</span>` : html`<span class="outcome ${outcomeClass}">${entry.outcome}</span>`}</td>
<td>${entry.actor ?? html`<span class="muted">—</span>`}</td>
<td>${entry.targets.length === 0 ? html`<span class="muted">—</span>` : html`<ul class="plain">${entry.targets.slice(0, 20).map((t) => html`<li>${truncate(t, MAX_TEXT)}</li>`)}${entry.targets.length > 20 ? html`<li class="muted">and ${formatCount(entry.targets.length - 20)} more</li>` : ''}</ul>`}</td>
<td>${entry.traceId === null ? html`<span class="muted">—</span>` : html`<code class="trace-id">${entry.traceId}</code>`}</td>
</tr>`;
})}</tbody>`;
  });
  return html`<section id="${id}-system-log" aria-labelledby="${id}-system-log-h"><h3 id="${id}-system-log-h">System Log <span class="count">${formatCount(entries.length)}</span></h3>
<p class="note">Okta's System Log as the run read it back, in order, grouped by TraceId. Numbered rows are Okta's six-event chain: ${OKTA_LOGOUT_CHAIN.map((t, i) => html`${i > 0 ? ' → ' : ''}<span class="step">${i + 1}</span> <code>${t}</code>`)}.</p>
<div class="scroll"><table class="system-log">
<caption>${plural(entries.length, 'System Log event')} in ${plural(groups.size, 'trace')}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event type</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Targets</th><th scope="col">TraceId</th></tr></thead>
${bodies}</table></div>${entries.length > shown.length ? html`<p class="note">${plural(entries.length - shown.length, 'more event')} not shown.</p>` : ''}</section>`;
}

function logoutsSection(logouts: readonly LogoutRecord[], id: string): SafeHtml {
  const body =
    logouts.length === 0
      ? html`<p class="muted">No app recorded a Universal Logout call in this run.</p>`
      : html`<div class="scroll"><table class="logouts">
<caption>${plural(logouts.length, 'Universal Logout call')} received by the apps</caption>
<thead><tr><th scope="col">App</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">User</th><th scope="col">Time</th></tr></thead>
<tbody>${logouts.map((l) => {
          const cls =
            l.outcome === 'logged-out' ? 'ok' : l.outcome === 'refresh-tokens-revoked' ? 'partial' : 'fail';
          return html`<tr><td>${displayName(l.app)}${APP_NAMES.has(l.app) ? '' : html` <span class="muted">(${l.app})</span>`}</td>
<td class="num"><span class="status ${l.status >= 200 && l.status < 300 ? 'ok' : 'fail'}">${l.status}</span></td>
<td><span class="outcome ${cls}">${l.outcome}</span>${cls === 'partial' ? html` <span class="muted">(partial: refresh tokens only)</span>` : ''}</td>
<td>${l.user ?? html`<span class="muted">—</span>`}</td><td><time>${l.at}</time></td></tr>`;
        })}</tbody></table></div>`;
  return html`<section id="${id}-logouts" aria-labelledby="${id}-logouts-h"><h3 id="${id}-logouts-h">App logouts <span class="count">${formatCount(logouts.length)}</span></h3>${body}</section>`;
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
  return html`<article class="run ${record.passed ? 'passed' : 'failed'}" id="${id}" aria-labelledby="${id}-title">
${runHeader(record, id)}
${toc(id)}
${expectationsSection(record.expectations, id)}
${stepsSection(record.steps, id)}
${sequenceSection(record, timeline, plan, id)}
${setsSection(timeline, id)}
${systemLogSection(record.systemLog, id)}
${logoutsSection(record.logouts, id)}
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
<main>
${records.length > 1 ? summarySection(records) : ''}
${records.map((r, i) => runArticle(r, i + 1, options))}
</main>
<footer class="page muted"><p>Generated by ssf-lab${version ? ` ${version}` : ''}${options.generatedAt ? html` at <time>${options.generatedAt}</time>` : ''} from run record${records.length === 1 ? '' : 's'} of schema <code>urn:ssf-lab:run-record:1</code>. Self-contained: no scripts, nothing fetched. Credentials are redacted.</p></footer>
</body>
</html>
`;
  return doc.value;
}

const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#5c6670;--border:#d5dae0;--panel:#f5f7f9;--code:#eef1f4;
--ok:#1a7f37;--ok-bg:#dafbe1;--fail:#c62828;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;
--set:#6f42c1;--gtr:#0a6ebd;--lab:#8c959f;--plain:#57606a;--accent:#0a6ebd;
--t0:#0a6ebd;--t1:#8250df;--t2:#bf8700;--t3:#1a7f37;--t4:#cf222e;--t5:#57606a;
--j-key:#0550ae;--j-str:#0a3069;--j-num:#953800;--j-lit:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9aa5b1;--border:#30363d;--panel:#161b22;--code:#1f262e;
--ok:#3fb950;--ok-bg:#12261b;--fail:#f85149;--fail-bg:#2d1416;--warn:#d29922;--warn-bg:#2b2211;
--set:#bc8cff;--gtr:#58a6ff;--lab:#6e7681;--plain:#9aa5b1;--accent:#58a6ff;
--t0:#58a6ff;--t1:#bc8cff;--t2:#d29922;--t3:#3fb950;--t4:#f85149;--t5:#9aa5b1;
--j-key:#79c0ff;--j-str:#a5d6ff;--j-num:#ffa657;--j-lit:#d2a8ff}}
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
pre.token{word-break:break-all}
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
ul.plain{list-style:none;margin:0;padding:0}
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
dl.facts.small{grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));font-size:.9rem}
nav.toc ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.75rem 0 0}
figure{margin:0}
figcaption{color:var(--muted);font-size:.9rem;margin-top:.5rem}
.sequence-wrap{border:1px solid var(--border);border-radius:6px;background:var(--bg)}
svg.sequence{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:11px}
svg.sequence text{fill:var(--fg);paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
svg.sequence .participant rect{fill:var(--panel);stroke:var(--border)}
svg.sequence .participant text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;font-weight:600;stroke:none}
svg.sequence .lifeline{stroke:var(--border);stroke-dasharray:4 4}
svg.sequence .seq,svg.sequence .elapsed{fill:var(--muted);font-size:10px}
svg.sequence .msg .line{stroke:var(--plain);stroke-width:1.25;fill:none}
svg.sequence .msg .head{fill:var(--plain)}
svg.sequence .msg.group .line{stroke-width:3}
svg.sequence .msg.set .line{stroke:var(--set);stroke-width:2}svg.sequence .msg.set .head{fill:var(--set)}svg.sequence .msg.set .label{fill:var(--set);font-weight:600}
svg.sequence .msg.gtr .line{stroke:var(--gtr);stroke-width:2}svg.sequence .msg.gtr .head{fill:var(--gtr)}svg.sequence .msg.gtr .label{fill:var(--gtr)}
svg.sequence .msg.err .line{stroke:var(--fail);stroke-dasharray:5 3}svg.sequence .msg.err .head{fill:var(--fail)}svg.sequence .msg.err .label{fill:var(--fail)}
svg.sequence .msg.lab .line{stroke:var(--lab)}svg.sequence .msg.lab .head{fill:var(--lab)}svg.sequence .msg.lab .label{fill:var(--muted)}
svg.sequence a:hover .label,svg.sequence a:focus .label{text-decoration:underline}
svg.sequence .gap rect{fill:var(--panel);stroke:var(--border);stroke-dasharray:3 3}
svg.sequence .gap text{fill:var(--muted);font-style:italic}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.5rem 0 0;font-size:.85rem;color:var(--muted)}
.swatch{display:inline-block;width:1.5em;height:.25em;vertical-align:middle;margin-right:.4em;border-radius:2px}
.swatch.set{background:var(--set)}.swatch.gtr{background:var(--gtr)}.swatch.err{background:var(--fail)}.swatch.lab{background:var(--lab)}.swatch.plain{background:var(--plain)}
article.set{border:1px solid var(--border);border-left:4px solid var(--set);border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.set-parts,.exchange-parts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.j-key{color:var(--j-key)}.j-str{color:var(--j-str)}.j-num{color:var(--j-num)}.j-bool,.j-null{color:var(--j-lit)}
tbody.trace>tr>td:first-child{border-left:4px solid var(--t0)}
tbody.trace-1>tr>td:first-child{border-left-color:var(--t1)}tbody.trace-2>tr>td:first-child{border-left-color:var(--t2)}
tbody.trace-3>tr>td:first-child{border-left-color:var(--t3)}tbody.trace-4>tr>td:first-child{border-left-color:var(--t4)}
tbody.trace-5>tr>td:first-child{border-left-color:var(--t5)}
tr.trace-head>th{background:var(--panel);font-weight:500;font-size:.9rem;border-top:2px solid var(--border)}
tr.chain>td{background:color-mix(in srgb,var(--set) 7%,transparent)}
.step{display:inline-block;min-width:1.4em;text-align:center;font-size:.75rem;font-weight:700;color:var(--bg);background:var(--set);border-radius:999px;padding:0 .3em}
.chain-ok{color:var(--ok);font-weight:600}.chain-partial{color:var(--warn);font-weight:600}
.outcome,.status{font-weight:600}
.outcome.ok,.status.ok{color:var(--ok)}.outcome.fail,.status.fail{color:var(--fail)}.outcome.partial{color:var(--warn)}.outcome.neutral{color:var(--muted)}
td pre{white-space:pre;max-width:34rem;max-height:20rem}
table.system-log td:nth-child(2),table.logouts td:last-child{white-space:nowrap}
table.system-log td:nth-child(3) code{white-space:nowrap}
code.trace-id{font-size:.75em;word-break:break-all}
tr.gap td{text-align:center;color:var(--muted);font-style:italic;background:var(--panel)}
details>summary{cursor:pointer;color:var(--accent)}
details.exchanges>summary{margin:.25rem 0 .5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--border:#bbb;--panel:#f3f3f3;--code:#f3f3f3}
body{max-width:none;padding:0;font-size:11pt}
nav.toc,ul.legend{display:none}
article.run{break-before:page;border-width:1px;border-left-width:6px}
article.run:first-of-type{break-before:auto}
.scroll{overflow:visible}
svg.sequence{max-width:100%;height:auto}
pre{max-height:none;overflow:visible}
tr,article.set{break-inside:avoid}
h2,h3,h4{break-after:avoid}
a{color:inherit;text-decoration:none}
}
`;
