/**
 * Text helpers every reporter shares: HTML escaping through a tagged template that escapes by default,
 * Markdown escaping, a last scrub of credentials in free text, and number, duration and time formatting.
 * Nothing here reads a clock: the same record always renders the same bytes.
 */

/** Markup this module built (or vouched for): interpolated as it is, never escaped again. */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

/** Markup passed through unescaped. Only for this module's own constants, never for recorded data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * C0 controls (but tab, line feed and carriage return) and DEL: not allowed in HTML text and invalid in
 * XML, so an SVG with one would be broken. Shown as U+FFFD.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * A credential written into free text (an error message, a note) after the recorder redacted the
 * structured places: `Bearer`, `SSWS`, `Basic` or `DPoP` followed by a token-like word of 16 or more
 * characters with a digit. Prose such as "missing Bearer token" is left alone.
 */
const CREDENTIAL_IN_TEXT =
  /\b(Bearer|SSWS|Basic|DPoP)(\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/-]{16,}=*/gi;

export const REDACTED_TEXT = '[redacted]';

/** Replaces credentials found in free text with `<scheme> [redacted]`. */
export function scrubCredentials(text: string): string {
  return text.replace(
    CREDENTIAL_IN_TEXT,
    (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED_TEXT}`,
  );
}

/** Escapes a string for HTML text and double- or single-quoted attributes (also inside inline SVG). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c).replace(CONTROL, '\uFFFD');
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function interpolate(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: HtmlValue) => interpolate(v)).join('');
  return escapeHtml(scrubCredentials(String(value)));
}

/**
 * The only way reporters build markup: every interpolated value is escaped (and scrubbed of credentials)
 * unless it is `SafeHtml` built by this template; arrays are joined; `null`, `undefined` and `false`
 * vanish. Attributes in the templates are always double-quoted, so an escaped value cannot leave one.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Escapes a string for Markdown text (GitHub-flavoured, also inside a table cell): one line, Markdown's
 * punctuation backslash-escaped (`|`, backticks, `*`, `_`, `[`, `]`, `~`, `$`, `\`), and `<`, `>`, `&` as
 * entities so no raw HTML or entity survives.
 */
export function escapeMarkdown(text: string): string {
  return scrubCredentials(text)
    .replace(CONTROL, '\uFFFD')
    .replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ')
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Shortens a string to at most `max` characters, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${formatCount(text.length - max)} more characters]`;
}

/** Shortens to `max` characters with a bare ellipsis (for labels, where space is counted). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? '…' : `${text.slice(0, max - 1)}…`;
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return Number.isFinite(n) ? COUNT.format(n) : String(n);
}

/** `0.4 ms`, `12 ms`, `1,234 ms` — for timings inside a run, where milliseconds read best. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 10 && ms !== Math.round(ms)) return `${ms.toFixed(1)} ms`;
  return `${formatCount(Math.round(ms))} ms`;
}

/** `850 ms`, `4.21 s`, `2 min 05 s` — for whole runs. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return formatMs(ms);
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** An epoch-milliseconds time as ISO 8601, or the number itself when it is not a valid time. */
export function isoTime(epochMs: number): string {
  const d = new Date(epochMs);
  return Number.isFinite(d.getTime()) ? d.toISOString() : String(epochMs);
}

/** Compact JSON for a value of any kind (`undefined` → `—`), never throwing. */
export function compactJson(value: unknown): string {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Pretty JSON (two spaces) for a value of any kind, never throwing. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
