import { expect, test } from 'vitest';
import type { RunRecord } from '../harness/protocol/index.ts';
import {
  failingRun,
  longRun,
  OKTA_EVENT,
  passingRun,
  pollingRun,
  TRACE_ID,
  USER,
  withHostileStrings,
} from './fixtures.testing.ts';
import { renderHtmlReport } from './html.ts';
import { OKTA_SYSTEM_LOG_STEPS } from './story.ts';

/** The document's visible text, roughly: tags removed, entities decoded. */
function textOf(markup: string): string {
  return markup
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The sequence diagram(s) of a document. */
function svgsOf(markup: string): string[] {
  return [...markup.matchAll(/<svg class="sequence"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

const ALLOWED_TAGS = new Set(
  (
    'html head meta title style body header main footer nav section article figure figcaption div p span ' +
    'h1 h2 h3 h4 h5 dl dt dd ul li table caption thead tbody tr th td code pre time details summary a b br ' +
    'svg g line path rect text desc'
  ).split(' '),
);
const ALLOWED_ATTRIBUTES = new Set(
  (
    'lang charset name content http-equiv class id href title scope colspan aria-label aria-labelledby ' +
    'aria-hidden role width height viewBox x y x1 y1 x2 y2 d rx text-anchor data-seq data-count'
  ).split(' '),
);

/**
 * Every `<` in the output must open one of our own tags, with only our own attributes, each
 * double-quoted; links only point inside the document. Text from a record can therefore never
 * become markup.
 */
function assertOnlyOwnMarkup(markup: string): void {
  const body = markup.replace(/^<!DOCTYPE html>\n/, '');
  expect(body).not.toContain('<!');
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*>/g;
  let tags = 0;
  for (const m of body.matchAll(tag)) {
    tags++;
    const name = m[2] ?? '';
    expect(ALLOWED_TAGS.has(name), `tag <${name}>`).toBe(true);
    for (const a of (m[3] ?? '').matchAll(/([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)"/g)) {
      const attribute = a[1] ?? '';
      expect(ALLOWED_ATTRIBUTES.has(attribute), `attribute ${attribute} on <${name}>`).toBe(true);
      if (attribute === 'href') expect(a[2]?.startsWith('#'), `href ${a[2]}`).toBe(true);
    }
  }
  expect(tags).toBe(count(body, '<'));
  expect(count(markup, '</style>')).toBe(1);
}

test('one passing run: every section is there, in order, with the run facts', () => {
  const out = renderHtmlReport([passingRun()], { generatedAt: '2026-01-15T10:00:00Z' });
  expect(out.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
  const sections = ['expectations', 'steps', 'sequence', 'sets', 'system-log', 'logouts', 'exchanges'];
  const positions = sections.map((s) => out.indexOf(`<section id="run-1-${s}"`));
  expect(positions.every((p) => p > 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(out).not.toContain('id="summary"');
  const text = textOf(out);
  for (const fact of [
    'macOS device threat → Universal Logout',
    'in-process',
    '2026-01-15T09:30:00.000Z',
    '612 ms',
    '7 of 7 held',
    '4 of 4 ok',
    '30 exchanges · 1 SET · 8 System Log events · 3 app logouts',
    'at 2026-01-15T10:00:00Z',
  ])
    expect(text).toContain(fact);
  expect(out).toContain('<span class="badge ok">');
  expect(out).toContain('prefers-color-scheme:dark');
  expect(out).toContain('@media print');
});

test('the sequence diagram draws one arrow per exchange, labelled with method, path, status and time', () => {
  const record = passingRun();
  const [svg] = svgsOf(renderHtmlReport([record]));
  if (!svg) throw new Error('no diagram');
  expect(count(svg, '<g class="msg ')).toBe(record.timeline.length);
  for (const e of record.timeline) expect(svg).toContain(`data-seq="${e.seq}"`);
  for (const name of [
    'harness',
    'Jamf Pro',
    'Jamf Security Cloud',
    'Okta',
    'Salesforce',
    'Google Workspace',
    'Office 365',
  ])
    expect(svg).toContain(`text-anchor="middle">${name}</text>`);
  expect(svg).toContain('<g class="msg set" data-seq="11">');
  expect(textOf(svg)).toContain(
    'POST /security/api/v1/security-events [SET device-risk-change] → 202 · 9.8 ms',
  );
  expect(count(svg, '<g class="msg gtr"')).toBe(3);
  expect(textOf(svg)).toContain('+160 ms');
  expect(svg).toContain('<a href="#run-1-ex-11">');
  expect(svg).toContain('role="img"');
  expect(svg).not.toContain('not drawn');
});

test('errors and failed statuses are drawn as such', () => {
  const [svg] = svgsOf(renderHtmlReport([failingRun()]));
  expect(svg).toContain('<g class="msg err" data-seq="4">');
  expect(textOf(svg ?? '')).toContain('PATCH /api/v1/computers-inventory-detail/17 → ✕ ECONNREFUSED');
});

test('a long run is capped, with the elision said in the diagram and its caption', () => {
  const out = renderHtmlReport([longRun(1000)], { maxDiagramArrows: 200 });
  const [svg] = svgsOf(out);
  if (!svg) throw new Error('no diagram');
  expect(count(svg, '<g class="msg ')).toBe(200);
  expect(textOf(svg)).toMatch(/⋯ 800 exchanges not drawn \(#\d+ – #\d+\) ⋯/);
  expect(textOf(out)).toContain('800 exchanges were elided in 1 gap');
  // The default cap.
  const [capped] = svgsOf(renderHtmlReport([longRun(1000)]));
  expect(count(capped ?? '', '<g class="msg ')).toBe(300);
});

test('repeated polling is one ×N arrow', () => {
  const [svg] = svgsOf(renderHtmlReport([pollingRun(25)]));
  if (!svg) throw new Error('no diagram');
  expect(count(svg, '<g class="msg ')).toBe(3);
  expect(svg).toContain('data-count="25"');
  expect(textOf(svg)).toContain('×25 GET /api/v1/logs?since=');
});

test('every SET is decoded: header and claims, pretty-printed', () => {
  const out = renderHtmlReport([passingRun(), failingRun()]);
  expect(count(out, '<article class="set"')).toBe(3);
  const text = textOf(out);
  expect(text).toContain('"alg": "RS256"');
  expect(text).toContain('"typ": "secevent+jwt"');
  expect(text).toContain('"kid": "jsc-signing-2026-01"');
  expect(text).toContain(`"${OKTA_EVENT}": {`);
  expect(text).toContain('"current_level": "high"');
  expect(text).toContain('"previous_level": "secure"');
  expect(text).toContain('"initiating_entity": "policy"');
  expect(text).toContain(`"email": "${USER.email}"`);
  expect(text).toContain(`"id": "${USER.jscDevice}"`);
  expect(text).toContain('"secure" → "high"');
});

test("the System Log is grouped by TraceId, Okta's flow events labelled, nothing judged", () => {
  const out = renderHtmlReport([passingRun()]);
  const section = out.slice(
    out.indexOf('<section id="run-1-system-log"'),
    out.indexOf('<section id="run-1-logouts"'),
  );
  expect(count(section, '<tbody class="trace')).toBe(2);
  expect(count(section, '<tr class="flow-step">')).toBe(7);
  const text = textOf(section);
  expect(text).toContain(`TraceId ${TRACE_ID} · 7 events`);
  const order = OKTA_SYSTEM_LOG_STEPS.map((s, i) =>
    section.indexOf(`${i + 1} · ${s.name}</span> <code>${s.eventType}</code><br>`),
  );
  expect(order.every((p) => p > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  // The failing run's log lacks its last events: the report says nothing about it.
  const failing = renderHtmlReport([failingRun()]);
  const failingLog = textOf(
    failing.slice(
      failing.indexOf('<section id="run-1-system-log"'),
      failing.indexOf('<section id="run-1-logouts"'),
    ),
  );
  for (const text of [textOf(section), failingLog])
    expect(text).not.toMatch(/chain|missing|in order|out of order|\bof [67]\b|complete/i);
});

test("the apps' logout results: app, status, outcome, user, time", () => {
  const out = renderHtmlReport([passingRun()]);
  const section = out.slice(
    out.indexOf('<section id="run-1-logouts"'),
    out.indexOf('<section id="run-1-exchanges"'),
  );
  expect(count(section, '<tr><td>')).toBe(3);
  const text = textOf(section);
  for (const app of ['Salesforce', 'Google Workspace', 'Office 365']) expect(text).toContain(app);
  expect(count(section, '<span class="outcome ok">logged-out</span>')).toBe(2);
  expect(section).toContain('<span class="outcome partial">refresh-tokens-revoked</span>');
  expect(text).toContain('2026-01-15T09:30:00.215Z');
});

test('several runs get a summary on top; a failed expectation shows expected, actual and message', () => {
  const out = renderHtmlReport([passingRun(), failingRun()]);
  expect(out.indexOf('id="summary"')).toBeLessThan(out.indexOf('id="run-1"'));
  expect(out).toContain('<a href="#run-2">Office 365 ends every session on Universal Logout</a>');
  const text = textOf(out);
  expect(text).toContain('2 runs: ✓ 1 passed ✗ 1 failed');
  expect(text).toContain('2 sessions are still active');
  expect(out).toContain('<tr class="fail">');
  expect(text).toContain('"activeSessions": 2');
  expect(out).toContain('<article class="run failed" id="run-2"');
});

test('the report is self-contained: no script, no external resource, nothing to fetch', () => {
  const out = renderHtmlReport([passingRun(), failingRun()]);
  expect(out).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(|src=/i);
  expect(out).not.toMatch(/href="(?!#)/);
  expect(out).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  assertOnlyOwnMarkup(out);
});

test('the same records give the same bytes', () => {
  expect(renderHtmlReport([passingRun(), failingRun()])).toBe(renderHtmlReport([passingRun(), failingRun()]));
});

const HOSTILE =
  `<script>alert(1)</script>"><img src=x onerror=alert(2)>'><svg onload=alert(3)>` +
  `</style><script>alert(4)</script>]]><![CDATA[x]]></title></svg><!-- javascript:alert(5) &lt;b&gt;\u0000`;

test('hostile strings in every field of a record render inert', () => {
  const records: RunRecord[] = [
    withHostileStrings(passingRun(), HOSTILE),
    withHostileStrings(failingRun(), HOSTILE),
  ];
  const out = renderHtmlReport(records, { title: HOSTILE, generatedAt: HOSTILE });
  assertOnlyOwnMarkup(out);
  expect(out).not.toMatch(/<script|<img|<svg onload|<!\[CDATA|<!--/i);
  expect(out.includes(String.fromCharCode(0))).toBe(false);
  // No tag gains an event-handler attribute (escaped text inside a quoted attribute value is inert).
  expect(out.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son(error|load)=/i);
  // The strings are still there for the reader, escaped.
  expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  expect(out).toContain('&amp;lt;b&amp;gt;');
  // In the diagram too, as text of the SVG.
  const svgs = svgsOf(out);
  expect(svgs).toHaveLength(2);
  for (const svg of svgs) expect(svg).toContain('&lt;/title&gt;&lt;/svg&gt;');
});

test('credentials are never rendered, even when a record carries them raw', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXQifQ.cGxhbnRlZC1zaWduYXR1cmUtMTIz';
  const base = passingRun();
  const first = base.timeline[0];
  if (!first) throw new Error('fixture is empty');
  const leaky: RunRecord = {
    ...base,
    timeline: [
      {
        ...first,
        url: 'https://acme.okta.lab/oauth2/v1/authorize?state=s1&code=planted-code-42&access_token=planted-url-token-77',
        requestHeaders: {
          authorization: `Bearer ${token}`,
          Cookie: 'sid=planted-cookie-value-123',
          'proxy-authorization': 'Basic cGxhbnRlZDpwYXNzd29yZDk5',
          'content-type': 'application/json',
        },
        requestBody: JSON.stringify({ client_id: 'c1', client_secret: 'planted-secret-555' }),
        responseHeaders: {
          'set-cookie': 'sid=planted-session-456; HttpOnly',
          'content-type': 'application/json',
        },
        responseBody: JSON.stringify({ access_token: 'planted-access-token-789', token_type: 'Bearer' }),
        error: `upstream said: Authorization: Bearer ${token}`,
      },
      ...base.timeline.slice(1),
    ],
    steps: [
      {
        index: 1,
        kind: 'call',
        title: 'x',
        startedMs: 0,
        durationMs: 1,
        ok: false,
        error: `SSWS 00Planted0ApiToken0Value1`,
      },
    ],
  };
  const out = renderHtmlReport([leaky]);
  for (const secret of [
    token,
    'planted-cookie-value-123',
    'cGxhbnRlZDpwYXNzd29yZDk5',
    'planted-secret-555',
    'planted-session-456',
    'planted-access-token-789',
    'planted-url-token-77',
    'planted-code-42',
    '00Planted0ApiToken0Value1',
  ])
    expect(out).not.toContain(secret);
  const text = textOf(out);
  expect(text).toContain('Bearer [redacted]');
  expect(text).toContain('SSWS [redacted]');
});

test('no runs, or a run with nothing in it, still renders', () => {
  expect(textOf(renderHtmlReport([]))).toContain('No runs.');
  const empty: RunRecord = {
    ...passingRun(),
    steps: [],
    expectations: [],
    timeline: [],
    systemLog: [],
    logouts: [],
  };
  const text = textOf(renderHtmlReport([empty]));
  expect(text).toContain('No HTTP exchanges were recorded.');
  expect(text).toContain('No SET crossed the wire in this run.');
  expect(text).toContain('No System Log events were read back in this run.');
});
