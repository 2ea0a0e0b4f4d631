/**
 * The sequence diagram of a run's timeline, as inline SVG: one lifeline per participant that appears
 * (harness, Jamf Pro, Jamf Security Cloud, Okta, the apps, any other origin), one arrow per exchange
 * labelled with method, path, status and duration, and the time since the run started in the margin.
 *
 * Long runs are bounded in two steps. First, three or more consecutive identical calls (same caller,
 * callee, method, path without query, status or error; never a SET) become one arrow marked `×N` — the
 * polling loops. Then, past `maxArrows`, the diagram keeps the notable arrows (SETs, errors, 4xx/5xx,
 * calls into the apps) up to a third of the budget, then the first two thirds and the last third of the
 * rest, and draws one marked gap, with its count, wherever arrows were left out.
 */
import { type ExchangeRecord, LAB_APPS } from '../harness/records/index.ts';
import { clip, formatCount, formatMs, html, isoTime, type SafeHtml } from './text.ts';

export const DEFAULT_MAX_ARROWS = 300;
/** Consecutive identical calls from this many on are drawn as one arrow. */
export const MIN_GROUP = 3;
/** Distinct participants drawn; the rest share one `(other)` lifeline. */
export const MAX_PARTICIPANTS = 12;

const KNOWN_ORDER = [
  'harness',
  'jamf-pro',
  'jamf-security-cloud',
  'okta',
  'salesforce',
  'google-workspace',
  'office365',
] as const;

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  harness: 'harness',
  'jamf-pro': 'Jamf Pro',
  'jamf-security-cloud': 'Jamf Security Cloud',
  okta: 'Okta',
  salesforce: 'Salesforce',
  'google-workspace': 'Google Workspace',
  office365: 'Office 365',
};

const APPS: ReadonlySet<string> = new Set(LAB_APPS);
const OTHER = '(other)';

export function displayName(participant: string): string {
  return DISPLAY_NAMES[participant] ?? participant;
}

export type DiagramRow =
  /** One exchange, or (more than one) a run of identical consecutive calls drawn as one arrow. */
  | { readonly kind: 'message'; readonly exchanges: readonly ExchangeRecord[] }
  /** Arrows left out to respect the cap. */
  | {
      readonly kind: 'gap';
      readonly exchanges: number;
      readonly firstSeq: number;
      readonly lastSeq: number;
    };

export interface SequencePlan {
  readonly participants: readonly string[];
  readonly rows: readonly DiagramRow[];
  /** Arrows drawn. */
  readonly arrows: number;
  readonly totalExchanges: number;
  /** Exchanges drawn inside a `×N` arrow beyond its first. */
  readonly groupedExchanges: number;
  /** Exchanges not drawn at all (inside gaps). */
  readonly elidedExchanges: number;
  readonly gaps: number;
}

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function pathWithoutQuery(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function groupKey(e: ExchangeRecord): string | null {
  if (e.set) return null;
  return JSON.stringify([e.from, e.to, e.method, pathWithoutQuery(e.url), e.status ?? null, e.error ?? null]);
}

function isNotable(row: readonly ExchangeRecord[]): boolean {
  const e = row[0];
  if (!e) return false;
  return (
    e.set !== undefined ||
    e.error !== undefined ||
    e.status === undefined ||
    e.status >= 400 ||
    (APPS.has(e.to) && e.from !== 'harness')
  );
}

function participantsOf(timeline: readonly ExchangeRecord[]): { list: string[]; map: (p: string) => string } {
  const seen = new Set<string>();
  for (const e of timeline) {
    seen.add(e.from);
    seen.add(e.to);
  }
  const known = KNOWN_ORDER.filter((p) => seen.has(p));
  const others = [...seen].filter((p) => !(KNOWN_ORDER as readonly string[]).includes(p));
  const room = Math.max(0, MAX_PARTICIPANTS - known.length);
  const overflow = others.length > room;
  const kept = overflow ? others.slice(0, Math.max(0, room - 1)) : others;
  const keptSet = new Set<string>([...known, ...kept]);
  const list: string[] = [...known, ...kept, ...(overflow ? [OTHER] : [])];
  return { list, map: (p) => (keptSet.has(p) ? p : OTHER) };
}

function groupRows(timeline: readonly ExchangeRecord[]): ExchangeRecord[][] {
  const rows: ExchangeRecord[][] = [];
  let i = 0;
  while (i < timeline.length) {
    const first = timeline[i] as ExchangeRecord;
    const key = groupKey(first);
    let j = i + 1;
    if (key !== null) while (j < timeline.length && groupKey(timeline[j] as ExchangeRecord) === key) j++;
    if (j - i >= MIN_GROUP) {
      rows.push(timeline.slice(i, j));
      i = j;
    } else {
      rows.push([first]);
      i++;
    }
  }
  return rows;
}

/** Which rows to draw, where the gaps go, and the counts a caption needs. */
export function planSequence(
  timeline: readonly ExchangeRecord[],
  options: { readonly maxArrows?: number } = {},
): SequencePlan {
  const maxArrows = Math.max(1, Math.floor(options.maxArrows ?? DEFAULT_MAX_ARROWS));
  const grouped = groupRows(timeline);
  const keep = new Array<boolean>(grouped.length).fill(grouped.length <= maxArrows);
  if (grouped.length > maxArrows) {
    let kept = 0;
    const notableBudget = Math.floor(maxArrows / 3);
    for (let i = 0; i < grouped.length && kept < notableBudget; i++) {
      if (isNotable(grouped[i] as ExchangeRecord[])) {
        keep[i] = true;
        kept++;
      }
    }
    const rest = maxArrows - kept;
    const tail = Math.floor(rest / 3);
    let head = rest - tail;
    for (let i = 0; i < grouped.length && head > 0; i++) {
      if (!keep[i]) {
        keep[i] = true;
        head--;
      }
    }
    let left = tail;
    for (let i = grouped.length - 1; i >= 0 && left > 0; i--) {
      if (!keep[i]) {
        keep[i] = true;
        left--;
      }
    }
  }

  const rows: DiagramRow[] = [];
  let arrows = 0;
  let groupedExchanges = 0;
  let elidedExchanges = 0;
  let gaps = 0;
  let gap: { exchanges: number; firstSeq: number; lastSeq: number } | null = null;
  const closeGap = (): void => {
    if (gap) {
      rows.push({ kind: 'gap', ...gap });
      gaps++;
      gap = null;
    }
  };
  grouped.forEach((row, i) => {
    const first = row[0] as ExchangeRecord;
    const last = row[row.length - 1] as ExchangeRecord;
    if (keep[i]) {
      closeGap();
      rows.push({ kind: 'message', exchanges: row });
      arrows++;
      groupedExchanges += row.length - 1;
    } else {
      elidedExchanges += row.length;
      if (gap) {
        gap.exchanges += row.length;
        gap.lastSeq = last.seq;
      } else gap = { exchanges: row.length, firstSeq: first.seq, lastSeq: last.seq };
    }
  });
  closeGap();
  return {
    participants: participantsOf(timeline).list,
    rows,
    arrows,
    totalExchanges: timeline.length,
    groupedExchanges,
    elidedExchanges,
    gaps,
  };
}

/** The sentence under the diagram: what was drawn, and what was grouped or left out. */
export function describePlan(plan: SequencePlan): string {
  const parts = [
    `${formatCount(plan.totalExchanges)} exchange${plan.totalExchanges === 1 ? '' : 's'}, ${formatCount(plan.arrows)} arrow${plan.arrows === 1 ? '' : 's'} drawn.`,
  ];
  if (plan.groupedExchanges > 0)
    parts.push(
      `${formatCount(plan.groupedExchanges)} repeated identical call${plan.groupedExchanges === 1 ? ' is' : 's are'} folded into arrows marked ×N.`,
    );
  if (plan.elidedExchanges > 0)
    parts.push(
      `${formatCount(plan.elidedExchanges)} exchange${plan.elidedExchanges === 1 ? ' was' : 's were'} elided in ${formatCount(plan.gaps)} gap${plan.gaps === 1 ? '' : 's'} to keep the diagram under ${formatCount(plan.arrows)} arrows (SETs, errors and calls into the apps are kept first, then the start and the end of the run).`,
    );
  return parts.join(' ');
}

/** The short name of a SET's (first) event type: `device-risk-change`. */
export function setEventName(e: ExchangeRecord): string | null {
  const events = e.set?.claims?.events;
  if (events === null || typeof events !== 'object') return null;
  const uri = Object.keys(events)[0];
  if (uri === undefined) return null;
  return uri.split(/[/#]/).filter(Boolean).pop() ?? uri;
}

function outcomeText(e: ExchangeRecord): string {
  if (e.status !== undefined) return String(e.status);
  return e.error !== undefined ? `✕ ${e.error}` : 'no answer';
}

function arrowClass(e: ExchangeRecord): string {
  if (e.error !== undefined || e.status === undefined || e.status >= 400) return 'err';
  if (e.set) return 'set';
  if (APPS.has(e.to) && e.from !== 'harness') return 'gtr';
  if (pathWithoutQuery(e.url).startsWith('/_lab/')) return 'lab';
  return 'plain';
}

// Geometry (px). Labels use an 11 px monospace face, about 6.6 px a character.
const CHAR_W = 6.7;
const GUTTER = 130;
const COL = 168;
const BOX_W = 154;
const BOX_H = 30;
const TOP = 58;
const ROW = 30;
const GAP_ROW = 32;
const BOTTOM = 52;
const RIGHT_PAD = 24;
/** How far labels may widen the diagram past its lifelines before they are shortened. */
const MAX_EXTRA_WIDTH = 420;

export interface SequenceSvgOptions {
  /** Unique per document: ids and links are built from it. */
  readonly idPrefix: string;
  /** Epoch ms the margin's `+… ms` counts from. */
  readonly originMs: number;
  /**
   * When every exchange carries `realMs`: the value the margin counts from instead (real time — a lab on
   * virtual time keeps `at` still between waits). The tooltip still gives the lab clock.
   */
  readonly originRealMs?: number;
  /** The anchor an arrow links to (an exchange's row in the report), if any. */
  readonly linkFor?: (seq: number) => string | null;
  /** Accessible title of the diagram. */
  readonly title: string;
}

/** Draws a plan as inline SVG (to sit inside an HTML document; styled by the document's CSS). */
export function renderSequenceSvg(
  timeline: readonly ExchangeRecord[],
  plan: SequencePlan,
  options: SequenceSvgOptions,
): SafeHtml {
  const { map } = participantsOf(timeline);
  const index = new Map(plan.participants.map((p, i) => [p, i]));
  const cx = (p: string): number => GUTTER + COL * (index.get(map(p)) ?? 0) + COL / 2;
  const id = options.idPrefix;

  // First pass: each arrow's label, in three parts so a long path can be shortened in the middle.
  const messages = plan.rows.map((row) => {
    if (row.kind === 'gap') return null;
    const first = row.exchanges[0] as ExchangeRecord;
    const last = row.exchanges[row.exchanges.length - 1] as ExchangeRecord;
    const count = row.exchanges.length;
    const x1 = cx(first.from);
    const x2 = cx(first.to);
    const eventName = setEventName(first);
    const timing =
      count > 1 ? `${formatMs(last.at + last.durationMs - first.at)} in all` : formatMs(first.durationMs);
    const prefix = `${count > 1 ? `×${count} ` : ''}${first.method} `;
    const path = pathOf(first.url);
    const suffix = `${eventName ? ` [SET ${eventName}]` : ''} → ${outcomeText(first)} · ${timing}`;
    const labelX = Math.min(x1, x2) + (x1 === x2 ? 34 : 8);
    return { first, last, count, x1, x2, prefix, path, suffix, labelX };
  });
  const baseWidth = GUTTER + COL * Math.max(1, plan.participants.length) + RIGHT_PAD;
  const widest = messages.reduce(
    (w, m) =>
      m ? Math.max(w, m.labelX + (m.prefix.length + m.path.length + m.suffix.length) * CHAR_W + 8) : w,
    0,
  );
  const width = Math.ceil(Math.max(baseWidth, Math.min(widest, baseWidth + MAX_EXTRA_WIDTH)));
  const bodyHeight = plan.rows.reduce((h, r) => h + (r.kind === 'gap' ? GAP_ROW : ROW), 0);
  const height = TOP + bodyHeight + BOTTOM;

  const boxes = (y: number): SafeHtml[] =>
    plan.participants.map((p) => {
      const x = GUTTER + COL * (index.get(p) ?? 0) + COL / 2;
      const name = displayName(p);
      return html`<g class="participant"><title>${p}</title><rect x="${x - BOX_W / 2}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="4"></rect><text x="${x}" y="${y + 19}" text-anchor="middle">${clip(name, 20)}</text></g>`;
    });

  const lifelines = plan.participants.map((p) => {
    const x = GUTTER + COL * (index.get(p) ?? 0) + COL / 2;
    return html`<line class="lifeline" x1="${x}" y1="${8 + BOX_H}" x2="${x}" y2="${height - BOTTOM + 8}"></line>`;
  });

  const body: SafeHtml[] = [];
  let y = TOP;
  plan.rows.forEach((row, r) => {
    const m = messages[r];
    if (row.kind === 'gap' || !m) {
      if (row.kind === 'gap') {
        const text = `⋯ ${formatCount(row.exchanges)} exchange${row.exchanges === 1 ? '' : 's'} not drawn (#${row.firstSeq} – #${row.lastSeq}) ⋯`;
        body.push(
          html`<g class="gap"><rect x="4" y="${y + 4}" width="${width - 8}" height="${GAP_ROW - 8}" rx="3"></rect><text x="${width / 2}" y="${y + GAP_ROW / 2 + 4}" text-anchor="middle">${text}</text></g>`,
        );
      }
      y += GAP_ROW;
      return;
    }
    const { first, last, count, x1, x2, prefix, path, suffix, labelX } = m;
    const lineY = y + 21;
    const maxChars = Math.max(8, Math.floor((width - 6 - labelX) / CHAR_W));
    const room = maxChars - prefix.length - suffix.length;
    const label =
      prefix.length + path.length + suffix.length <= maxChars
        ? `${prefix}${path}${suffix}`
        : room >= 12
          ? `${prefix}${clip(path, room)}${suffix}`
          : clip(`${prefix}${path}${suffix}`, maxChars);
    const elapsed =
      options.originRealMs !== undefined && first.realMs !== undefined
        ? `+${formatMs(first.realMs - options.originRealMs)}`
        : `+${formatMs(first.at - options.originMs)}`;
    const seqText = count > 1 ? `#${first.seq}–${last.seq}` : `#${first.seq}`;
    const tooltip = [
      `${seqText}  ${elapsed}  lab clock ${isoTime(first.at)}`,
      `${first.from} → ${first.to}`,
      `${first.method} ${first.url}`,
      `${outcomeText(first)} in ${formatMs(first.durationMs)}${count > 1 ? ` (${count} identical calls until ${isoTime(last.at)})` : ''}`,
    ].join('\n');
    let shape: SafeHtml;
    if (x1 === x2) {
      shape = html`<path class="line" d="M${x1} ${lineY - 6} h26 v12 h-24"></path><path class="head" d="M${x1} ${lineY + 6} l8 -4 v8 z"></path>`;
    } else {
      const dir = x2 > x1 ? 1 : -1;
      shape = html`<line class="line" x1="${x1}" y1="${lineY}" x2="${x2 - dir * 2}" y2="${lineY}"></line><path class="head" d="M${x2} ${lineY} l${-dir * 9} -4.5 v9 z"></path>`;
    }
    const group = html`<g class="msg ${arrowClass(first)}${count > 1 ? ' group' : ''}" data-seq="${first.seq}"${count > 1 ? html` data-count="${count}"` : ''}><title>${tooltip}</title><text class="seq" x="6" y="${lineY + 4}">${seqText}</text><text class="elapsed" x="${GUTTER - 10}" y="${lineY + 4}" text-anchor="end">${elapsed}</text>${shape}<text class="label" x="${labelX}" y="${lineY - 6}">${label}</text></g>`;
    const href = options.linkFor?.(first.seq) ?? null;
    body.push(href === null ? group : html`<a href="#${href}">${group}</a>`);
    y += ROW;
  });

  const names = plan.participants.map(displayName).join(', ');
  return html`<svg class="sequence" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${options.title}</title><desc id="${id}-desc">Sequence diagram of ${formatCount(plan.totalExchanges)} HTTP exchanges between ${names}. ${describePlan(plan)} The exchanges table below lists the same calls as text.</desc>${lifelines}${boxes(8)}${body}${boxes(height - BOTTOM + 8)}</svg>`;
}
