import { expect, test } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  formatDuration,
  formatMs,
  html,
  scrubCredentials,
  truncate,
  trusted,
} from './text.ts';

test('escapeHtml escapes the five significant characters and shows control characters as U+FFFD', () => {
  expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
  );
  expect(escapeHtml('a\u0000b\u001Bc\td\ne')).toBe('a\uFFFDb\uFFFDc\td\ne');
});

test('html`` escapes every interpolation unless it is markup it built itself', () => {
  const name = '"><script>alert(1)</script>';
  const inner = html`<b>${name}</b>`;
  expect(html`<p title="${name}">${inner}${[1, '<', null, undefined, false]}</p>`.value).toBe(
    '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><b>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b>1&lt;</p>',
  );
  expect(html`${trusted('<i>own</i>')}`.value).toBe('<i>own</i>');
});

test('credentials written into free text are scrubbed; prose about them is not', () => {
  expect(scrubCredentials('retry with Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln failed')).toBe(
    'retry with Bearer [redacted] failed',
  );
  expect(scrubCredentials('header was SSWS 00aBcDeFgHiJkLmNoPqRsT')).toBe('header was SSWS [redacted]');
  expect(scrubCredentials('missing Bearer token; Basic authentication refused')).toBe(
    'missing Bearer token; Basic authentication refused',
  );
  expect(scrubCredentials('Bearer [redacted]')).toBe('Bearer [redacted]');
});

test('escapeMarkdown keeps a string on one line and inert in a table cell', () => {
  expect(escapeMarkdown('a|b `c` *d* _e_ [f](g) ~h~ $i$ \\j')).toBe(
    'a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\$i\\$ \\\\j',
  );
  expect(escapeMarkdown('<img src=x onerror=alert(1)> &amp;\nnext line')).toBe(
    '&lt;img src=x onerror=alert(1)&gt; &amp;amp; next line',
  );
});

test('numbers, durations and truncation read well', () => {
  expect(formatMs(2.44)).toBe('2.4 ms');
  expect(formatMs(1234.4)).toBe('1,234 ms');
  expect(formatDuration(612.4)).toBe('612 ms');
  expect(formatDuration(4213)).toBe('4.21 s');
  expect(formatDuration(125_000)).toBe('2 min 05 s');
  expect(formatDuration(Number.NaN)).toBe('—');
  expect(truncate('abcdef', 3)).toBe('abc… [3 more characters]');
});
