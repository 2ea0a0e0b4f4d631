/**
 * A module's story in the certification reports: the HTML draws it (steps, sequence diagram, decoded
 * SETs, the System Log grouped by TraceId with Okta's flow labelled, the apps' logouts) and never judges
 * it; Markdown lists the steps; everything from the system under test is escaped and scrubbed.
 */
import { expect, test } from 'vitest';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type ModuleResult,
} from '../harness/records/index.ts';
import {
  hostileStoryRecord,
  longExchanges,
  OKTA_EVENT,
  PLANTED,
  passingRecord,
  pollingExchanges,
  STORY_USER,
  scenarioModule,
  scenarioRecordWith,
  scenarioStory,
  storyRecord,
  TRACE_ID,
  troubledExchanges,
} from './certification.fixtures.testing.ts';
import { MAX_EXCHANGES_PER_MODULE, renderCertificationHtml } from './certification-html.ts';
import { MAX_MARKDOWN_STEPS, renderCertificationMarkdown } from './certification-markdown.ts';
import { DEFAULT_MAX_ARROWS } from './sequence.ts';
import { MAX_LOG_ROWS, MAX_SETS, OKTA_SYSTEM_LOG_STEPS, renderStory, systemLogStepOf } from './story.ts';

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

/** The markup between the opening of the element with this id and the next element with `endId`. */
function between(markup: string, id: string, endId?: string): string {
  const start = markup.indexOf(` id="${id}"`);
  expect(start, `#${id}`).toBeGreaterThan(0);
  const end = endId === undefined ? markup.length : markup.indexOf(` id="${endId}"`, start);
  expect(end, `#${endId}`).toBeGreaterThan(start);
  return markup.slice(start, end);
}

/** The `div.story` of a module. */
function storyOf(markup: string, moduleId: string): string {
  const start = markup.indexOf(`<div class="story" id="${moduleId}-story">`);
  expect(start, `${moduleId}'s story`).toBeGreaterThan(0);
  return markup.slice(start, markup.indexOf('<h4>Exchanges', start));
}

/** The sequence diagram(s) of a document. */
function svgsOf(markup: string): string[] {
  return [...markup.matchAll(/<svg class="sequence"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

/** The only sequence diagram of a document. */
function svgOf(markup: string): string {
  const svgs = svgsOf(markup);
  expect(svgs).toHaveLength(1);
  return svgs[0] ?? '';
}

const ALLOWED_TAGS = new Set(
  (
    'html head meta title style body header main nav section article figure figcaption div p span ' +
    'h1 h2 h3 h4 h5 h6 dl dt dd ul li table caption thead tbody tr th td code pre time details summary a br ' +
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
 * Every `<` opens one of our own tags with only our own double-quoted attributes; links go inside the
 * document or to a requirement's https page. Text from a record can therefore never become markup.
 */
function assertOnlyOwnMarkup(markup: string): void {
  const body = markup.replace(/^<!doctype html>\n/, '');
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
      if (attribute === 'href') expect(a[2], `href ${a[2]}`).toMatch(/^(#|https:\/\/)/);
    }
  }
  expect(tags).toBe(count(body, '<'));
  expect(count(markup, '</style>')).toBe(1);
}

test('a scenario module carries its story, after its checks and before its exchanges', () => {
  const out = renderCertificationHtml(storyRecord());
  const module = between(out, 'plan-0-m-0', 'plan-1-m-0');
  const order = [
    '<table><thead><tr><th scope="col">Status</th>',
    '<div class="story" id="plan-0-m-0-story">',
    '<section id="plan-0-m-0-steps"',
    '<section id="plan-0-m-0-sequence"',
    '<section id="plan-0-m-0-sets"',
    '<section id="plan-0-m-0-system-log"',
    '<section id="plan-0-m-0-logouts"',
    '<h4>Exchanges',
  ].map((marker) => module.indexOf(marker));
  expect(order.every((p) => p > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  const text = textOf(module);
  expect(text).toContain('A Malware threat on a Mac raises its risk');
  expect(text).toContain('Scenario scenarios/02-macos-threat-logout.yaml');
  // The summary on top is the certification record's, as before.
  expect(out.indexOf('<header>')).toBeLessThan(out.indexOf('<div class="story"'));
  expect(textOf(out)).toContain('ssf-lab serve (manifest, /tmp/lab/manifest.json)');
});

test('the steps, with their start, duration and error', () => {
  const steps = between(renderCertificationHtml(storyRecord()), 'plan-0-m-0-steps', 'plan-0-m-0-sequence');
  expect(count(steps, '<tr class="ok">')).toBe(3);
  expect(count(steps, '<tr class="fail">')).toBe(1);
  const text = textOf(steps);
  expect(text).toContain('4 steps');
  expect(text).toContain('Read back Office 365’s sessions+378 ms96 ms');
  expect(text).toContain('Office 365 still holds 2 active sessions');
  expect(text).toContain('Jamf Security Cloud reports Malware+115 ms52 ms');
});

test('the sequence diagram draws every exchange, the SET marked, each arrow linked to its exchange', () => {
  const out = renderCertificationHtml(storyRecord());
  const section = between(out, 'plan-0-m-0-sequence', 'plan-0-m-0-sets');
  const svg = section.slice(section.indexOf('<svg class="sequence"'), section.indexOf('</svg>') + 6);
  const module = scenarioModule();
  expect(count(svg, '<g class="msg ')).toBe(module.exchanges.length);
  expect(svg).toContain('<g class="msg set" data-seq="3">');
  expect(count(svg, '<g class="msg gtr"')).toBe(3);
  expect(textOf(svg)).toContain('POST /security/api/v1/security-events [SET device-risk-change] → 202');
  for (const name of [
    'harness',
    'Jamf Security Cloud',
    'Okta',
    'Salesforce',
    'Google Workspace',
    'Office 365',
  ])
    expect(svg).toContain(`text-anchor="middle">${name}</text>`);
  expect(textOf(svg)).toContain('+160 ms'); // from the module's start
  // Each link lands on an exchange of the list below.
  for (const e of module.exchanges) {
    expect(svg).toContain(`<a href="#plan-0-m-0-ex-${e.seq}">`);
    expect(out).toContain(`<details id="plan-0-m-0-ex-${e.seq}">`);
  }
  expect(textOf(section)).toContain('Times in the margin count from the start of the module.');
});

test('past the exchange cap, arrows of exchanges not listed link nowhere', () => {
  const module = scenarioModule();
  const first = module.exchanges[0];
  if (first === undefined) throw new Error('fixture');
  const many = Array.from({ length: MAX_EXCHANGES_PER_MODULE + 5 }, (_, i) => ({
    ...first,
    seq: i + 1,
    url: `${first.url}/${i}`,
  }));
  const record = storyRecord();
  const out = renderCertificationHtml({
    ...record,
    plans: [{ name: 'scenarios', title: 'Scenarios', modules: [{ ...module, exchanges: many }] }],
  });
  expect(out).toContain(`<a href="#plan-0-m-0-ex-${MAX_EXCHANGES_PER_MODULE}">`);
  expect(out).not.toContain(`href="#plan-0-m-0-ex-${MAX_EXCHANGES_PER_MODULE + 1}"`);
  expect(textOf(out)).toContain('5 more in certification.json.');
});

test('errors and failed statuses are drawn as such', () => {
  const svg = svgOf(renderCertificationHtml(scenarioRecordWith(troubledExchanges())));
  // The push Okta answered 503 (a SET, drawn as an error), Jamf Pro unreachable, then the retry.
  expect(svg).toContain('<g class="msg err" data-seq="4">');
  expect(textOf(svg)).toContain('POST /security/api/v1/security-events [SET device-risk-change] → 503');
  expect(svg).toContain('<g class="msg err" data-seq="5">');
  expect(textOf(svg)).toContain('PATCH /api/v1/computers-inventory-detail/17 → ✕ ECONNREFUSED');
  expect(svg).toContain('<g class="msg set" data-seq="6">');
  expect(count(svg, '<g class="msg err"')).toBe(2);
});

test("a long module's diagram is capped, the elision said in the diagram and in its caption", () => {
  const out = renderCertificationHtml(scenarioRecordWith(longExchanges(1000)));
  const svg = svgOf(out);
  expect(count(svg, '<g class="msg ')).toBe(DEFAULT_MAX_ARROWS);
  expect(textOf(svg)).toMatch(/⋯ 700 exchanges not drawn \(#\d+ – #\d+\) ⋯/);
  const section = between(out, 'plan-0-m-0-sequence', 'plan-0-m-0-sets');
  const caption = section.slice(section.indexOf('<figcaption>'), section.indexOf('</figcaption>'));
  expect(textOf(caption)).toContain('1,000 exchanges, 300 arrows drawn.');
  expect(textOf(caption)).toContain('700 exchanges were elided in 1 gap');
  // The exchanges listed below are capped as well.
  expect(textOf(out)).toContain(`${1000 - MAX_EXCHANGES_PER_MODULE} more in certification.json.`);
});

test('repeated polling is one ×N arrow', () => {
  const svg = svgOf(renderCertificationHtml(scenarioRecordWith(pollingExchanges(25))));
  expect(count(svg, '<g class="msg ')).toBe(3);
  expect(svg).toContain('data-count="25"');
  expect(textOf(svg)).toContain('×25 GET /api/v1/logs?since=');
});

test('past their caps, SETs and System Log rows are counted, not drawn', () => {
  const set = scenarioModule().exchanges.find((e) => e.set !== undefined);
  const story = scenarioStory();
  const entry = story.systemLog[1];
  if (set === undefined || entry === undefined) throw new Error('fixture');
  const sets = Array.from({ length: MAX_SETS + 3 }, (_, i) => ({ ...set, seq: i + 1 }));
  const log = Array.from({ length: MAX_LOG_ROWS + 2 }, () => entry);
  const out = renderCertificationHtml(scenarioRecordWith(sets, { ...story, systemLog: log }));
  const setsSection = between(out, 'plan-0-m-0-sets', 'plan-0-m-0-system-log');
  expect(count(setsSection, '<article class="set"')).toBe(MAX_SETS);
  expect(textOf(setsSection)).toContain('3 more SETs not shown');
  expect(textOf(setsSection)).toContain('certification.json has them all');
  const logSection = between(out, 'plan-0-m-0-system-log', 'plan-0-m-0-logouts');
  expect(count(logSection, '<tr class="flow-step">')).toBe(MAX_LOG_ROWS);
  expect(textOf(logSection)).toContain('2 more events not shown');
});

test('the SETs are decoded: header, claims and a summary', () => {
  const sets = between(renderCertificationHtml(storyRecord()), 'plan-0-m-0-sets', 'plan-0-m-0-system-log');
  expect(count(sets, '<article class="set"')).toBe(1);
  expect(sets).toContain('<h5 id="plan-0-m-0-set-3-h">');
  const text = textOf(sets);
  expect(text).toContain('SET device-risk-change · #3 Jamf Security Cloud → Okta');
  expect(text).toContain('"typ": "secevent+jwt"');
  expect(text).toContain('"kid": "jsc-signing-2026-01"');
  expect(text).toContain(`"${OKTA_EVENT}": {`);
  expect(text).toContain('"current_level": "high"');
  expect(text).toContain(`"email": "${STORY_USER.email}"`);
  expect(text).toContain('"secure" → "high"');
  expect(text).toContain('Compact serialization (as sent)');
});

test("the System Log is grouped by TraceId, each of Okta's seven events labelled with its step", () => {
  const log = between(renderCertificationHtml(storyRecord()), 'plan-0-m-0-system-log', 'plan-0-m-0-logouts');
  expect(count(log, '<tbody class="trace')).toBe(2);
  expect(count(log, '<tr class="flow-step">')).toBe(7);
  const text = textOf(log);
  expect(text).toContain(`TraceId ${TRACE_ID} · 7 events`);
  expect(text).toContain('8 System Log events in 2 traces');
  // The seven labels, in Okta's order, user.risk.change the seventh.
  expect(OKTA_SYSTEM_LOG_STEPS.map((s) => s.name)).toEqual([
    'receive',
    'detect',
    'evaluate',
    'action',
    'session end',
    'universal logout',
    'risk change',
  ]);
  expect(systemLogStepOf('user.risk.change')).toEqual({ number: 7, name: 'risk change' });
  expect(systemLogStepOf('user.session.start')).toBeUndefined();
  const rows = log.slice(log.indexOf('<tbody'));
  expect(rows).toContain(
    `<span class="step" title="Okta's entity-risk step 7: risk change">7 · risk change</span> <code>user.risk.change</code>`,
  );
  const order = OKTA_SYSTEM_LOG_STEPS.map((s, i) =>
    rows.indexOf(`${i + 1} · ${s.name}</span> <code>${s.eventType}</code><br>`),
  );
  expect(order.every((p) => p > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  // An event outside Okta's flow is listed without a label.
  expect(rows).toContain('<td><code>user.session.start</code>');
});

test("each app's Universal Logout calls: app, status, outcome, user, time", () => {
  const logouts = between(renderCertificationHtml(storyRecord()), 'plan-0-m-0-logouts');
  const table = logouts.slice(0, logouts.indexOf('</table>'));
  expect(count(table, '<tr><td>')).toBe(3);
  const text = textOf(table);
  for (const app of ['Salesforce', 'Google Workspace', 'Office 365']) expect(text).toContain(app);
  expect(count(table, '<span class="outcome ok">logged-out</span>')).toBe(2);
  expect(table).toContain('<span class="outcome partial">refresh-tokens-revoked</span>');
  expect(text).toContain('2026-01-15T09:30:00.272Z');
  expect(text).toContain(STORY_USER.email);
});

test('a module without a story whose exchanges carried a SET gets the diagram and the SET only', () => {
  const out = renderCertificationHtml(storyRecord());
  const story = storyOf(out, 'plan-1-m-0');
  expect(story).toContain('<section id="plan-1-m-0-sequence"');
  expect(story).toContain('<section id="plan-1-m-0-sets"');
  expect(story).toContain('<g class="msg set" data-seq="1">');
  for (const absent of ['steps', 'system-log', 'logouts'])
    expect(story).not.toContain(`<section id="plan-1-m-0-${absent}"`);
  // A module with neither a story nor a SET has no story at all.
  expect(renderCertificationHtml(passingRecord())).not.toContain('class="story"');
  expect(renderCertificationHtml(passingRecord())).not.toContain('<svg');
});

test('the story never judges: no chain verdict, and the same story whatever the checks say', () => {
  const record = storyRecord();
  const failing = storyOf(renderCertificationHtml(record), 'plan-0-m-0');
  // The log with Okta's last two events gone: still no word about what is missing.
  const module = scenarioModule();
  const story = module.story;
  if (story === undefined) throw new Error('fixture');
  const partial: ModuleResult = { ...module, story: { ...story, systemLog: story.systemLog.slice(0, 6) } };
  const partialStory = storyOf(
    renderCertificationHtml({
      ...record,
      plans: [{ name: 'scenarios', title: 'Scenarios', modules: [partial] }],
    }),
    'plan-0-m-0',
  );
  for (const html of [failing, partialStory]) {
    const log = textOf(html.slice(html.indexOf('<section id="plan-0-m-0-system-log"')));
    expect(log).not.toMatch(/chain|missing|in order|out of order|incomplete|complete|\bof [67]\b/i);
    expect(log).not.toMatch(/passed|failed|✓|✗/);
    expect(html).not.toMatch(/chain-ok|chain-partial/);
  }
  expect(count(partialStory, '<tr class="flow-step">')).toBe(5);
  // Verdicts come only from the checks: flipping every check to passed leaves the story's bytes as they were.
  const allPassed: CertificationRecord = {
    ...record,
    passed: true,
    plans: record.plans.map((p) => ({
      ...p,
      modules: p.modules.map((m) => ({
        ...m,
        checks: m.checks.map((c) => ({ ...c, status: 'passed' as const, findings: [] })),
      })),
    })),
  };
  expect(storyOf(renderCertificationHtml(allPassed), 'plan-0-m-0')).toBe(failing);
  // And the story itself says neither "passed" nor the module's verdict.
  expect(textOf(failing)).not.toContain('passed');
});

test('hostile strings in the story render inert; planted credentials never appear', () => {
  const out = renderCertificationHtml(hostileStoryRecord());
  assertOnlyOwnMarkup(out);
  expect(out).not.toMatch(/<script|<img|<svg onload|<!\[CDATA|<!--/i);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may survive
  expect(out).not.toMatch(/[\u0000\u0007]/);
  expect(out.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son(error|load)=/i);
  for (const secret of Object.values(PLANTED)) expect(out).not.toContain(secret);
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
  const story = storyOf(out, 'plan-0-m-0');
  const sections = ['steps', 'sequence', 'sets', 'system-log', 'logouts'];
  sections.forEach((section, i) => {
    const next = sections[i + 1];
    expect(
      between(story, `plan-0-m-0-${section}`, next === undefined ? undefined : `plan-0-m-0-${next}`),
      section,
    ).toContain(escaped);
  });
  const svg = story.slice(story.indexOf('<svg'), story.indexOf('</svg>'));
  expect(svg).toContain(escaped);
  expect(textOf(story)).toContain('Bearer [redacted]');
  expect(textOf(story)).toContain('SSWS [redacted]');
  expect(out).toContain("default-src 'none'");
});

/** Strings that try to leave the text they are in: a style, an SVG title, CDATA, a comment, an entity. */
const BREAKOUTS =
  `<script>alert(1)</script>"><img src=x onerror=alert(2)>'><svg onload=alert(3)>` +
  `</style><script>alert(4)</script>]]><![CDATA[x]]></title></svg><!-- javascript:alert(5) &lt;b&gt;\u0000`;

test('strings that try to close a style, an SVG title, CDATA or a comment render inert', () => {
  const out = renderCertificationHtml(hostileStoryRecord(BREAKOUTS));
  assertOnlyOwnMarkup(out);
  expect(out).not.toMatch(/<script|<img|<svg onload|<!\[CDATA|<!--/i);
  expect(out.includes(String.fromCharCode(0))).toBe(false);
  expect(out.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son(error|load)=/i);
  // Still there for the reader, escaped — an entity in the data stays text, not a character.
  expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  expect(out).toContain('&amp;lt;b&amp;gt;');
  // In the diagram too, as text of the SVG.
  expect(svgOf(out)).toContain('&lt;/title&gt;&lt;/svg&gt;');
});

test('a story with nothing in it, or a record with no plan, still renders', () => {
  const out = renderCertificationHtml(scenarioRecordWith([], { steps: [], systemLog: [], logouts: [] }));
  assertOnlyOwnMarkup(out);
  const story = textOf(storyOf(out, 'plan-0-m-0'));
  for (const empty of [
    'No steps were recorded.',
    'No HTTP exchanges were recorded.',
    'No SET crossed the wire in this run.',
    'No System Log events were read back in this run.',
    'No app recorded a Universal Logout call in this run.',
  ])
    expect(story).toContain(empty);
  const none = renderCertificationHtml({ ...storyRecord(), plans: [] });
  assertOnlyOwnMarkup(none);
  expect(textOf(none)).toContain('No plan ran.');
  expect(renderCertificationMarkdown({ ...storyRecord(), plans: [] })).toContain('No plan ran.');
});

test('the report stays self-contained with a story: no script, nothing fetched', () => {
  const out = renderCertificationHtml(storyRecord());
  expect(out.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
  expect(out).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(|src=/i);
  expect(out).not.toMatch(/href="(?!#|https:\/\/)/);
  expect(out).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  assertOnlyOwnMarkup(out);
  expect(out).toContain('prefers-color-scheme:dark');
  expect(out).toContain('@media print');
  expect(out).toContain('.story svg.sequence');
  expect(renderCertificationHtml(storyRecord())).toBe(out);
});

test('renderStory draws nothing when there is nothing to draw; a story without exchanges still has its steps', () => {
  const { story, ...module } = { ...scenarioModule(), exchanges: [] };
  expect(String(renderStory(module, { idPrefix: 'x' }))).toBe('');
  const steps = String(
    renderStory({ ...module, ...(story === undefined ? {} : { story }) }, { idPrefix: 'x', headingLevel: 4 }),
  );
  expect(steps).toContain('<h4 id="x-steps-h">Steps</h4>');
  expect(textOf(steps)).toContain('No HTTP exchanges were recorded.');
});

test('Markdown lists the steps of a module with a story: ok or failed, with the error', () => {
  const markdown = renderCertificationMarkdown(storyRecord());
  const steps = markdown.slice(markdown.indexOf('### Steps:'), markdown.indexOf('### Failures'));
  expect(steps).toContain(
    '### Steps: macOS device threat → Universal Logout (`scenarios.macos-threat-logout`)',
  );
  expect(steps).toContain('- ✓ ok · 1. Pat Lee signs in (`sign-in`, 108 ms)');
  expect(steps).toContain(
    '- ✗ failed · 4. Read back Office 365’s sessions (`check`, 96 ms) — Office 365 still holds 2 active sessions',
  );
  expect(count(markdown, '### Steps:')).toBe(1); // the push module has no story
  expect(renderCertificationMarkdown(passingRecord())).not.toContain('### Steps');
  // Hostile and long.
  const hostile = renderCertificationMarkdown(hostileStoryRecord());
  expect(hostile).not.toContain('<script>');
  expect(hostile).not.toMatch(/(?<!\\)\]\(javascript:/);
  for (const secret of Object.values(PLANTED)) expect(hostile).not.toContain(secret);
  const module = scenarioModule();
  const story = module.story;
  if (story === undefined) throw new Error('fixture');
  const long = renderCertificationMarkdown({
    ...storyRecord(),
    schema: CERTIFICATION_RECORD_SCHEMA,
    plans: [
      {
        name: 'scenarios',
        title: 'Scenarios',
        modules: [
          {
            ...module,
            story: {
              ...story,
              steps: Array.from({ length: MAX_MARKDOWN_STEPS + 3 }, (_, i) => ({
                index: i + 1,
                kind: 'wait',
                title: `step ${i + 1}`,
                startedMs: i,
                durationMs: 1,
                ok: true,
              })),
            },
          },
        ],
      },
    ],
  });
  expect(count(long, '- ✓ ok · ')).toBe(MAX_MARKDOWN_STEPS);
  expect(long).toContain('- … 3 more in certification.json');
});

test("a lab run's SET deliveries are drawn, each with its state and the reason for a drop, as text", () => {
  const out = renderCertificationHtml(
    scenarioRecordWith([], {
      steps: [],
      systemLog: [],
      logouts: [],
      deliveries: [
        {
          jti: 'jti-1',
          streamId: 's-1',
          eventType: 'https://schemas.openid.net/secevent/caep/event-type/device-risk-change',
          state: 'delivered',
          attempts: 3,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:05.000Z',
        },
        {
          jti: '<img src=x onerror=alert(1)>',
          streamId: 's-2',
          eventType: 'https://schemas.openid.net/secevent/caep/event-type/device-risk-change',
          state: 'dropped',
          reason: 'stream-deleted',
          attempts: 1,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:01.000Z',
        },
      ],
    }),
  );
  assertOnlyOwnMarkup(out);
  const section = between(out, 'plan-0-m-0-deliveries');
  expect(section).toContain('<span class="outcome ok">delivered</span>');
  expect(section).toContain(
    '<span class="outcome fail">dropped</span> <span class="muted">(stream-deleted)</span>',
  );
  expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(textOf(section)).toContain('device-risk-change');
});
