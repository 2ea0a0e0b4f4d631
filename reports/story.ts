/**
 * A scenario's story as HTML: what a run did and what crossed the wire, drawn for a reader — the steps
 * with their timing and errors, a sequence diagram of the exchanges (`sequence.ts`), every decoded SET,
 * Okta's System Log grouped by TraceId, and each app's Universal Logout calls. The certification report
 * (`certification-html.ts`) draws it under a scenario module (`renderStory`), and the diagram and SETs
 * under any other module whose exchanges carried a SET.
 *
 * A story observes and never judges: the verdicts are the record's checks. The System Log is shown as
 * read back, each event of Okta's entity-risk flow labelled with its step's name (`OKTA_SYSTEM_LOG_STEPS`),
 * without saying whether the flow is complete. A step's ok/failed and an exchange's status are the
 * record's own data.
 *
 * Every string from a record goes through `html```, which escapes it for text and attributes (and
 * scrubs credentials from free text); callers pass exchanges already redacted (`redaction.ts`). The
 * markup is styled by `STORY_CSS` inside an element of class `story`; it needs no script and fetches
 * nothing. The same input gives the same bytes.
 */
import {
  type ExchangeRecord,
  LAB_APPS,
  type LogoutRecord,
  type ModuleStory,
  type SetDeliveryRecord,
  type StepRecord,
  type SystemLogEntry,
} from '../harness/records/index.ts';
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
  formatMs,
  html,
  isoTime,
  prettyJson,
  type SafeHtml,
  scrubCredentials,
  truncate,
  trusted,
} from './text.ts';

/** Decoded SETs drawn per story; past this, a note says how many more the record has. */
export const MAX_SETS = 200;
/** System Log rows drawn per story; past this, a note says how many more the record has. */
export const MAX_LOG_ROWS = 2000;
const MAX_TEXT = 2000;
const MAX_BODY = 4096;
const MAX_JSON = 32 * 1024;
const MAX_TARGETS = 20;
/** Rows of the SET deliveries table (the newest; the record keeps every one). */
const MAX_DELIVERY_ROWS = 200;

/**
 * Okta's System Log events for one risk signal that ends in Universal Logout, in the order Okta writes
 * them, each with the name the report labels it with. A label names an event; the report never says
 * whether the other events came (that is for a check to judge).
 */
export const OKTA_SYSTEM_LOG_STEPS = [
  { eventType: 'security.events.provider.receive_event', name: 'receive' },
  { eventType: 'user.risk.detect', name: 'detect' },
  { eventType: 'policy.entity_risk.evaluate', name: 'evaluate' },
  { eventType: 'policy.entity_risk.action', name: 'action' },
  { eventType: 'user.session.end', name: 'session end' },
  { eventType: 'user.authentication.universal_logout', name: 'universal logout' },
  { eventType: 'user.risk.change', name: 'risk change' },
] as const;

/** The step of Okta's flow an event type is (numbered from 1), if it is one. */
export function systemLogStepOf(
  eventType: string,
): { readonly number: number; readonly name: string } | undefined {
  const i = OKTA_SYSTEM_LOG_STEPS.findIndex((s) => s.eventType === eventType);
  const step = OKTA_SYSTEM_LOG_STEPS[i];
  return step === undefined ? undefined : { number: i + 1, name: step.name };
}

const APP_NAMES: ReadonlySet<string> = new Set(LAB_APPS);

export interface StorySectionOptions {
  /** Unique per document: every id and in-page link of the section starts with it. */
  readonly idPrefix: string;
  /**
   * The level of the sections' headings (3 in the run report, 4 under a certification module); a SET's
   * heading takes the next level and its parts the one after.
   */
  readonly headingLevel?: 3 | 4;
  /** The file that holds what the report leaves out past a cap (`certification.json`). */
  readonly recordFile?: string;
}

// ——— small pieces ———

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A badge saying a record's own yes or no (a step's `ok`); not a verdict of the report's. */
function verdict(ok: boolean, yes = 'passed', no = 'failed'): SafeHtml {
  return ok
    ? html`<span class="badge ok"><span aria-hidden="true">✓</span> ${yes}</span>`
    : html`<span class="badge fail"><span aria-hidden="true">✗</span> ${no}</span>`;
}

function heading(level: number, id: string | undefined, content: SafeHtml): SafeHtml {
  const tag = trusted(`h${Math.min(6, Math.max(1, Math.trunc(level)))}`);
  return id === undefined ? html`<${tag}>${content}</${tag}>` : html`<${tag} id="${id}">${content}</${tag}>`;
}

function section(id: string, level: number, title: SafeHtml, body: SafeHtml): SafeHtml {
  return html`<section id="${id}" aria-labelledby="${id}-h">${heading(level, `${id}-h`, title)}${body}</section>`;
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

/**
 * Real time, from the first exchange shown, when every exchange carries it (older records do not): a
 * lab on virtual time keeps `at` still between waits, so `at` alone would show +0 ms on every hop.
 */
function realOriginOf(timeline: readonly ExchangeRecord[]): { originRealMs?: number } {
  if (timeline.length === 0 || timeline.some((x) => x.realMs === undefined)) return {};
  return { originRealMs: Math.min(...timeline.map((x) => x.realMs ?? 0)) };
}

/** The epoch ms the diagram's margin counts from: the start, or the first exchange if it came earlier. */
function timelineOrigin(startedAt: string, timeline: readonly ExchangeRecord[]): number {
  const started = Date.parse(startedAt);
  const first = timeline[0]?.at;
  if (!Number.isFinite(started)) return first ?? 0;
  return first !== undefined && first < started ? first : started;
}

// ——— sections ———

/** The steps a scenario took, with their start, duration and error. */
function renderStepsSection(steps: readonly StepRecord[], options: StorySectionOptions): SafeHtml {
  const id = `${options.idPrefix}-steps`;
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
  return section(id, options.headingLevel ?? 3, html`Steps`, table);
}

interface SequenceSectionOptions extends StorySectionOptions {
  /** The diagram's accessible title. */
  readonly title: string;
  /** When the run or module started (ISO 8601): the margin counts from it. */
  readonly startedAt: string;
  /** What the margin counts from the start of, in the caption (default `run`). */
  readonly startedWhat?: string;
  /** The plan to draw (default: `planSequence` of the timeline with `maxArrows`). */
  readonly plan?: SequencePlan;
  /** Arrows before arrows are elided (default 300), when no plan is given. */
  readonly maxArrows?: number;
  /** The in-page anchor an arrow links to (the exchange's row), if any. */
  readonly linkFor?: (seq: number) => string | null;
}

/** The sequence diagram of a timeline, with its caption and legend. */
function renderSequenceSection(
  timeline: readonly ExchangeRecord[],
  options: SequenceSectionOptions,
): SafeHtml {
  const id = `${options.idPrefix}-sequence`;
  const level = options.headingLevel ?? 3;
  if (timeline.length === 0)
    return section(id, level, html`Sequence`, html`<p class="muted">No HTTP exchanges were recorded.</p>`);
  const plan = options.plan ?? planSequence(timeline, { maxArrows: options.maxArrows ?? DEFAULT_MAX_ARROWS });
  const real = realOriginOf(timeline);
  const svg = renderSequenceSvg(timeline, plan, {
    idPrefix: `${options.idPrefix}-seq`,
    originMs: timelineOrigin(options.startedAt, timeline),
    ...real,
    title: options.title,
    ...(options.linkFor === undefined ? {} : { linkFor: options.linkFor }),
  });
  const what = options.startedWhat ?? 'run';
  return section(
    id,
    level,
    html`Sequence`,
    html`
<figure><div class="scroll sequence-wrap">${svg}</div>
<figcaption>${describePlan(plan)} ${real.originRealMs === undefined ? `Times in the margin count from the start of the ${what}.` : "Times in the margin are real time from the first exchange shown; each arrow's tooltip gives the lab's clock."}</figcaption>
<ul class="legend" aria-label="Arrow colours">
<li><span class="swatch set"></span>SET</li><li><span class="swatch gtr"></span>call into an app (Universal Logout)</li><li><span class="swatch err"></span>error or 4xx/5xx</li><li><span class="swatch lab"></span>lab control (<code>/_lab/</code>)</li><li><span class="swatch plain"></span>other</li>
</ul></figure>`,
  );
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

/** Every SET the timeline carried, decoded: a summary, the header and claims, the compact form as sent. */
function renderSetsSection(timeline: readonly ExchangeRecord[], options: StorySectionOptions): SafeHtml {
  const prefix = options.idPrefix;
  const level = options.headingLevel ?? 3;
  const withSet = timeline.filter((e) => e.set !== undefined);
  const shown = withSet.slice(0, MAX_SETS);
  const body =
    withSet.length === 0
      ? html`<p class="muted">No SET crossed the wire in this run.</p>`
      : html`${shown.map((e) => {
          const name = setEventName(e);
          const setId = `${prefix}-set-${e.seq}`;
          return html`<article class="set" id="${setId}" aria-labelledby="${setId}-h">
${heading(level + 1, `${setId}-h`, html`SET${name ? html` <code>${name}</code>` : ''} · #${e.seq} ${displayName(e.from)} → ${displayName(e.to)} · ${e.method} ${pathOf(e.url)} → ${e.status ?? e.error ?? 'no answer'}`)}
${setSummary(e)}
<div class="set-parts">
<div>${heading(level + 2, undefined, html`Header`)}${e.set?.header ? html`<pre class="json">${jsonHtml(e.set.header)}</pre>` : html`<p class="muted">The header could not be decoded.</p>`}</div>
<div>${heading(level + 2, undefined, html`Claims`)}${e.set?.claims ? html`<pre class="json">${jsonHtml(e.set.claims)}</pre>` : html`<p class="muted">The claims could not be decoded.</p>`}</div>
</div>
${e.requestBody === undefined ? '' : html`<details><summary>Compact serialization (as sent)</summary><pre class="token">${truncate(e.requestBody, MAX_BODY * 2)}</pre></details>`}
</article>`;
        })}${withSet.length > shown.length ? html`<p class="note">${plural(withSet.length - shown.length, 'more SET')} not shown (the report shows the first ${formatCount(MAX_SETS)}; <code>${options.recordFile ?? 'the record'}</code> has them all).</p>` : ''}`;
  return section(
    `${prefix}-sets`,
    level,
    html`SETs <span class="count">${formatCount(withSet.length)}</span>`,
    body,
  );
}

/**
 * Okta's System Log as read back, grouped by TraceId (groups in order of first appearance, events in the
 * order read), each event of Okta's entity-risk flow labelled with its step's number and name.
 */
function renderSystemLogSection(entries: readonly SystemLogEntry[], options: StorySectionOptions): SafeHtml {
  const id = `${options.idPrefix}-system-log`;
  const level = options.headingLevel ?? 3;
  if (entries.length === 0)
    return section(
      id,
      level,
      html`System Log`,
      html`<p class="muted">No System Log events were read back in this run.</p>`,
    );
  const shown = entries.slice(0, MAX_LOG_ROWS);
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
  const bodies = [...groups.values()].map(
    (group, g) => html`<tbody class="trace trace-${g % 6}">
<tr class="trace-head"><th scope="rowgroup" colspan="7">${group.traceId === null ? 'No TraceId' : html`TraceId <code>${group.traceId}</code>`} · ${plural(group.rows.length, 'event')}</th></tr>
${group.rows.map(({ entry, n }) => {
  const step = systemLogStepOf(entry.eventType);
  const outcome = (entry.outcome ?? '').toUpperCase();
  const outcomeClass =
    outcome === 'SUCCESS' ? 'ok' : outcome === 'FAILURE' || outcome === 'DENY' ? 'fail' : 'neutral';
  return html`<tr class="${step === undefined ? '' : 'flow-step'}">
<td class="num">${n}</td>
<td><time>${entry.published}</time></td>
<td>${step === undefined ? '' : html`<span class="step" title="Okta's entity-risk step ${step.number}: ${step.name}">${step.number} · ${step.name}</span> `}<code>${entry.eventType}</code>${entry.displayMessage ? html`<br><span class="muted">${truncate(entry.displayMessage, MAX_TEXT)}</span>` : ''}</td>
<td>${entry.outcome === null ? html`<span class="muted">—</span>` : html`<span class="outcome ${outcomeClass}">${entry.outcome}</span>`}</td>
<td>${entry.actor ?? html`<span class="muted">—</span>`}</td>
<td>${entry.targets.length === 0 ? html`<span class="muted">—</span>` : html`<ul class="plain">${entry.targets.slice(0, MAX_TARGETS).map((t) => html`<li>${truncate(t, MAX_TEXT)}</li>`)}${entry.targets.length > MAX_TARGETS ? html`<li class="muted">and ${formatCount(entry.targets.length - MAX_TARGETS)} more</li>` : ''}</ul>`}</td>
<td>${entry.traceId === null ? html`<span class="muted">—</span>` : html`<code class="trace-id">${entry.traceId}</code>`}</td>
</tr>`;
})}</tbody>`,
  );
  return section(
    id,
    level,
    html`System Log <span class="count">${formatCount(entries.length)}</span>`,
    html`
<p class="note">Okta's System Log as read back, grouped by TraceId; events keep the order they were read in. Events of Okta's entity-risk flow carry their step's name: ${OKTA_SYSTEM_LOG_STEPS.map((s, i) => html`${i > 0 ? ' → ' : ''}<span class="step">${i + 1} · ${s.name}</span> <code>${s.eventType}</code>`)}.</p>
<div class="scroll"><table class="system-log">
<caption>${plural(entries.length, 'System Log event')} in ${plural(groups.size, 'trace')}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event type</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Targets</th><th scope="col">TraceId</th></tr></thead>
${bodies}</table></div>${entries.length > shown.length ? html`<p class="note">${plural(entries.length - shown.length, 'more event')} not shown (<code>${options.recordFile ?? 'the record'}</code> has them all).</p>` : ''}`,
  );
}

/** Each app's Universal Logout calls as the app received them. */
function renderLogoutsSection(logouts: readonly LogoutRecord[], options: StorySectionOptions): SafeHtml {
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
  return section(
    `${options.idPrefix}-logouts`,
    options.headingLevel ?? 3,
    html`App logouts <span class="count">${formatCount(logouts.length)}</span>`,
    body,
  );
}

/** Where each SET the lab's transmitter made ended up: a dead letter or a drop is never only a count. */
function renderDeliveriesSection(
  deliveries: readonly SetDeliveryRecord[],
  options: StorySectionOptions,
): SafeHtml {
  const shown = deliveries.slice(-MAX_DELIVERY_ROWS);
  const cls = (state: string): string =>
    state === 'delivered' || state === 'acked'
      ? 'ok'
      : state === 'dead-lettered' || state === 'dropped'
        ? 'fail'
        : 'partial';
  return section(
    `${options.idPrefix}-deliveries`,
    options.headingLevel ?? 3,
    html`SET deliveries <span class="count">${formatCount(deliveries.length)}</span>`,
    html`<div class="scroll"><table class="deliveries">
<caption>Where each SET the transmitter made ended up</caption>
<thead><tr><th scope="col">jti</th><th scope="col">Event</th><th scope="col">Stream</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last change</th></tr></thead>
<tbody>${shown.map(
      (
        d,
      ) => html`<tr><td><code>${d.jti}</code></td><td><code>${d.eventType.split('/').at(-1) ?? d.eventType}</code></td><td><code>${d.streamId}</code></td>
<td><span class="outcome ${cls(d.state)}">${d.state}</span>${d.reason === undefined ? '' : html` <span class="muted">(${d.reason})</span>`}</td>
<td class="num">${d.attempts}</td><td><time>${d.updatedAt}</time></td></tr>`,
    )}</tbody></table></div>${deliveries.length > shown.length ? html`<p class="note">${plural(deliveries.length - shown.length, 'earlier SET')} not shown (<code>${options.recordFile ?? 'the record'}</code> has them all).</p>` : ''}`,
  );
}

// ——— the whole story ———

export interface StoryInput {
  /** What the story is of (a module's title): the diagram's title says it. */
  readonly title: string;
  /** When it started (ISO 8601): the diagram's margin counts from it. */
  readonly startedAt: string;
  /** Its exchanges (its timeline), redacted. */
  readonly exchanges: readonly ExchangeRecord[];
  /** The steps, System Log and logouts, when it is a scenario's. */
  readonly story?: ModuleStory;
}

export interface StoryOptions extends StorySectionOptions {
  /** Arrows per sequence diagram before arrows are elided (default 300). */
  readonly maxDiagramArrows?: number;
  /** The in-page anchor an arrow links to (the exchange's row), if any. */
  readonly linkFor?: (seq: number) => string | null;
}

/** Whether there is a story to draw: a scenario's story, or exchanges that carried a SET. */
export function hasStory(input: Pick<StoryInput, 'exchanges' | 'story'>): boolean {
  return input.story !== undefined || input.exchanges.some((e) => e.set !== undefined);
}

/**
 * The story of a module, as one `div.story`: with a scenario's story, its description and file, its
 * steps, the sequence diagram, the decoded SETs, the System Log and the apps' logouts; with exchanges
 * alone, the diagram and the SETs. Empty when there is nothing to draw (`hasStory`).
 */
export function renderStory(input: StoryInput, options: StoryOptions): SafeHtml {
  if (!hasStory(input)) return html``;
  const story = input.story;
  const level = options.headingLevel ?? 3;
  const sections: StorySectionOptions = {
    idPrefix: options.idPrefix,
    headingLevel: level,
    ...(options.recordFile === undefined ? {} : { recordFile: options.recordFile }),
  };
  const sequence = renderSequenceSection(input.exchanges, {
    ...sections,
    title: `Exchanges of ${input.title}`,
    startedAt: input.startedAt,
    startedWhat: 'module',
    ...(options.maxDiagramArrows === undefined ? {} : { maxArrows: options.maxDiagramArrows }),
    ...(options.linkFor === undefined ? {} : { linkFor: options.linkFor }),
  });
  const about =
    story === undefined || (story.description === undefined && story.file === undefined)
      ? ''
      : html`<p class="description">${story.description === undefined ? '' : truncate(story.description, MAX_TEXT)}${story.file === undefined ? '' : html`${story.description === undefined ? '' : ' '}<span class="muted">Scenario <code>${story.file}</code></span>`}</p>`;
  return html`<div class="story" id="${options.idPrefix}-story">
${about}
${story === undefined ? '' : renderStepsSection(story.steps, sections)}
${sequence}
${renderSetsSection(input.exchanges, sections)}
${story === undefined ? '' : renderSystemLogSection(story.systemLog, sections)}
${story === undefined ? '' : renderLogoutsSection(story.logouts, sections)}
${story?.deliveries === undefined ? '' : renderDeliveriesSection(story.deliveries, sections)}
</div>`;
}

/**
 * The styles a story needs, scoped to `.story` with its own palette (light and dark), so it reads the
 * same inside any page.
 */
export const STORY_CSS = `
.story{--bg:#fff;--fg:#1b1f24;--muted:#5c6670;--border:#d5dae0;--panel:#f5f7f9;--code:#eef1f4;
--ok:#1a7f37;--ok-bg:#dafbe1;--fail:#c62828;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;
--set:#6f42c1;--gtr:#0a6ebd;--lab:#8c959f;--plain:#57606a;--accent:#0a6ebd;
--t0:#0a6ebd;--t1:#8250df;--t2:#bf8700;--t3:#1a7f37;--t4:#cf222e;--t5:#57606a;
--j-key:#0550ae;--j-str:#0a3069;--j-num:#953800;--j-lit:#8250df}
@media (prefers-color-scheme:dark){.story{--bg:#0f1419;--fg:#e6edf3;--muted:#9aa5b1;--border:#30363d;--panel:#161b22;--code:#1f262e;
--ok:#3fb950;--ok-bg:#12261b;--fail:#f85149;--fail-bg:#2d1416;--warn:#d29922;--warn-bg:#2b2211;
--set:#bc8cff;--gtr:#58a6ff;--lab:#6e7681;--plain:#9aa5b1;--accent:#58a6ff;
--t0:#58a6ff;--t1:#bc8cff;--t2:#d29922;--t3:#3fb950;--t4:#f85149;--t5:#9aa5b1;
--j-key:#79c0ff;--j-str:#a5d6ff;--j-num:#ffa657;--j-lit:#d2a8ff}}
.story .muted{color:var(--muted)}
.story .note{color:var(--muted);font-size:.9rem}
.story .count{font-size:.8rem;font-weight:normal;color:var(--muted);border:1px solid var(--border);border-radius:999px;padding:0 .5em;margin-left:.25em}
.story .badge{display:inline-block;font-size:.8rem;font-weight:600;border:0;border-radius:999px;padding:.05em .6em;white-space:nowrap}
.story .badge.ok{color:var(--ok);background:var(--ok-bg)}
.story .badge.fail{color:var(--fail);background:var(--fail-bg)}
.story .kind{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.75rem;color:var(--muted)}
.story .message{color:var(--fail)}
.story .scroll{overflow-x:auto}
.story code{background:var(--code);padding:.05em .3em;border-radius:3px;word-break:break-word}
.story pre{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:.6rem .75rem;overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word;margin:0}
.story pre.token{word-break:break-all}
.story table{border-collapse:collapse;width:100%;margin:.25rem 0}
.story caption{text-align:left;color:var(--muted);font-size:.85rem;padding:.25rem 0}
.story th,.story td{border:0;border-bottom:1px solid var(--border);padding:.35rem .5rem;text-align:left;vertical-align:top}
.story thead th{background:var(--panel);font-size:.85rem}
.story td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.story tr.fail>td{background:var(--fail-bg)}
.story ul.plain{list-style:none;margin:0;padding:0}
.story dl.facts.small{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:.25rem 1.25rem;margin:.5rem 0;font-size:.9rem}
.story dl.facts.small div{min-width:0}
.story dl.facts.small dt{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.story dl.facts.small dd{margin:0;word-break:break-word}
.story figure{margin:0}
.story figcaption{color:var(--muted);font-size:.9rem;margin-top:.5rem}
.story .sequence-wrap{border:1px solid var(--border);border-radius:6px;background:var(--bg)}
.story svg.sequence{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:11px}
.story svg.sequence text{fill:var(--fg);paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.story svg.sequence .participant rect{fill:var(--panel);stroke:var(--border)}
.story svg.sequence .participant text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;font-weight:600;stroke:none}
.story svg.sequence .lifeline{stroke:var(--border);stroke-dasharray:4 4}
.story svg.sequence .seq,.story svg.sequence .elapsed{fill:var(--muted);font-size:10px}
.story svg.sequence .msg .line{stroke:var(--plain);stroke-width:1.25;fill:none}
.story svg.sequence .msg .head{fill:var(--plain)}
.story svg.sequence .msg.group .line{stroke-width:3}
.story svg.sequence .msg.set .line{stroke:var(--set);stroke-width:2}.story svg.sequence .msg.set .head{fill:var(--set)}.story svg.sequence .msg.set .label{fill:var(--set);font-weight:600}
.story svg.sequence .msg.gtr .line{stroke:var(--gtr);stroke-width:2}.story svg.sequence .msg.gtr .head{fill:var(--gtr)}.story svg.sequence .msg.gtr .label{fill:var(--gtr)}
.story svg.sequence .msg.err .line{stroke:var(--fail);stroke-dasharray:5 3}.story svg.sequence .msg.err .head{fill:var(--fail)}.story svg.sequence .msg.err .label{fill:var(--fail)}
.story svg.sequence .msg.lab .line{stroke:var(--lab)}.story svg.sequence .msg.lab .head{fill:var(--lab)}.story svg.sequence .msg.lab .label{fill:var(--muted)}
.story svg.sequence a:hover .label,.story svg.sequence a:focus .label{text-decoration:underline}
.story svg.sequence .gap rect{fill:var(--panel);stroke:var(--border);stroke-dasharray:3 3}
.story svg.sequence .gap text{fill:var(--muted);font-style:italic}
.story ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.5rem 0 0;font-size:.85rem;color:var(--muted)}
.story .swatch{display:inline-block;width:1.5em;height:.25em;vertical-align:middle;margin-right:.4em;border-radius:2px}
.story .swatch.set{background:var(--set)}.story .swatch.gtr{background:var(--gtr)}.story .swatch.err{background:var(--fail)}.story .swatch.lab{background:var(--lab)}.story .swatch.plain{background:var(--plain)}
.story article.set>:is(h4,h5){font-size:1rem;margin:0 0 .5rem;word-break:break-word}
.story .set-parts :is(h5,h6){font-size:.85rem;margin:.75rem 0 .25rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.story article.set{border:1px solid var(--border);border-left:4px solid var(--set);border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.story .set-parts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.story .j-key{color:var(--j-key)}.story .j-str{color:var(--j-str)}.story .j-num{color:var(--j-num)}.story .j-bool,.story .j-null{color:var(--j-lit)}
.story tbody.trace>tr>td:first-child{border-left:4px solid var(--t0)}
.story tbody.trace-1>tr>td:first-child{border-left-color:var(--t1)}.story tbody.trace-2>tr>td:first-child{border-left-color:var(--t2)}
.story tbody.trace-3>tr>td:first-child{border-left-color:var(--t3)}.story tbody.trace-4>tr>td:first-child{border-left-color:var(--t4)}
.story tbody.trace-5>tr>td:first-child{border-left-color:var(--t5)}
.story tr.trace-head>th{background:var(--panel);font-weight:500;font-size:.9rem;border-top:2px solid var(--border)}
.story tr.flow-step>td{background:color-mix(in srgb,var(--set) 7%,transparent)}
.story .step{display:inline-block;text-align:center;font-size:.75rem;font-weight:700;color:var(--bg);background:var(--set);border-radius:999px;padding:0 .5em;white-space:nowrap}
.story .outcome,.story .status{font-weight:600}
.story .outcome.ok,.story .status.ok{color:var(--ok)}.story .outcome.fail,.story .status.fail{color:var(--fail)}.story .outcome.partial{color:var(--warn)}.story .outcome.neutral{color:var(--muted)}
.story table.system-log td:nth-child(2),.story table.logouts td:last-child{white-space:nowrap}
.story table.system-log td:nth-child(3) code{white-space:nowrap}
.story code.trace-id{font-size:.75em;word-break:break-all}
@media print{
.story{--bg:#fff;--fg:#000;--muted:#444;--border:#bbb;--panel:#f3f3f3;--code:#f3f3f3}
.story ul.legend{display:none}
.story .scroll{overflow:visible}
.story svg.sequence{max-width:100%;height:auto}
.story pre{max-height:none;overflow:visible}
.story tr,.story article.set{break-inside:avoid}
}
`;
