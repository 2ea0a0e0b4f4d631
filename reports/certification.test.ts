/**
 * The certification reporters: every status rendered in each format, every hostile string escaped, no
 * planted credential in any report, JUnit that an XML parser would take, JSON that round-trips through
 * the committed schema (version 2, a module's story included; version 1 records still read), and the
 * four files written. The story's rendering is tested in story.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { expect, test } from 'vitest';
import {
  CERTIFICATION_RECORD_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_V1,
  type CertificationRecord,
} from '../harness/records/index.ts';
import {
  HOSTILE,
  hostileRecord,
  hostileStoryRecord,
  PLANTED,
  passingRecord,
  storyRecord,
  V1_RECORD_JSON,
} from './certification.fixtures.testing.ts';
import { renderCertificationHtml } from './certification-html.ts';
import {
  CERTIFICATION_RECORD_JSON_SCHEMA,
  CERTIFICATION_RECORD_V1_JSON_SCHEMA,
  parseCertificationRecord,
  serializeCertificationRecord,
  validateCertificationRecord,
} from './certification-json.ts';
import { renderCertificationMarkdown } from './certification-markdown.ts';
import { writeCertificationReports } from './certification-write.ts';
import { escapeXml, renderJunit } from './junit.ts';

const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

function renderAll(record: CertificationRecord = hostileRecord()): Record<string, string> {
  return {
    junit: renderJunit(record),
    json: serializeCertificationRecord(record),
    markdown: renderCertificationMarkdown(record),
    html: renderCertificationHtml(record),
  };
}

test('no planted credential reaches any report, a story included', () => {
  for (const record of [hostileRecord(), hostileStoryRecord()])
    for (const [format, text] of Object.entries(renderAll(record))) {
      for (const secret of Object.values(PLANTED))
        expect(text, `${format} leaks ${secret}`).not.toContain(secret);
    }
});

test('credentials in cookies, Basic authentication, callback URLs and token responses reach no report', () => {
  const base = passingRecord();
  const module = base.plans[0]?.modules[0];
  if (module === undefined) throw new Error('fixture');
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXQifQ.cGxhbnRlZC1zaWduYXR1cmUtMTIz';
  const leaky: CertificationRecord = {
    ...base,
    plans: [
      {
        name: 'ssf-transmitter',
        title: 'SSF transmitter',
        modules: [
          {
            ...module,
            exchanges: [
              {
                seq: 1,
                at: 1_700_000_000_000,
                from: 'harness',
                to: 'okta',
                method: 'GET',
                url: 'https://acme.okta.lab/oauth2/v1/authorize?state=s1&code=planted-code-42&access_token=planted-url-token-77',
                requestHeaders: {
                  authorization: `Bearer ${token}`,
                  Cookie: 'sid=planted-cookie-value-123',
                  'proxy-authorization': 'Basic cGxhbnRlZDpwYXNzd29yZDk5',
                  'content-type': 'application/json',
                },
                requestBody: JSON.stringify({ client_id: 'c1', client_secret: 'planted-secret-555' }),
                status: 200,
                responseHeaders: {
                  'set-cookie': 'sid=planted-session-456; HttpOnly',
                  'content-type': 'application/json',
                },
                responseBody: JSON.stringify({
                  access_token: 'planted-access-token-789',
                  refresh_token: 'planted-refresh-token-321',
                  token_type: 'Bearer',
                }),
                error: `upstream said: Authorization: Bearer ${token}`,
                durationMs: 5,
              },
            ],
          },
        ],
      },
    ],
  };
  for (const [format, text] of Object.entries(renderAll(leaky)))
    for (const secret of [
      token,
      'planted-cookie-value-123',
      'cGxhbnRlZDpwYXNzd29yZDk5',
      'planted-secret-555',
      'planted-session-456',
      'planted-access-token-789',
      'planted-refresh-token-321',
      'planted-url-token-77',
      'planted-code-42',
    ])
      expect(text, `${format} leaks ${secret}`).not.toContain(secret);
  // What is left is still readable: the scheme stays, the state parameter too.
  const exchange = parseCertificationRecord(serializeCertificationRecord(leaky)).plans[0]?.modules[0]
    ?.exchanges[0];
  expect(exchange?.requestHeaders).toEqual({
    authorization: 'Bearer [redacted]',
    'content-type': 'application/json',
    cookie: '[redacted]',
    'proxy-authorization': 'Basic [redacted]',
  });
  expect(exchange?.url).toContain('state=s1');
  expect(exchange?.error).toBe('upstream said: Authorization: Bearer [redacted]');
});

test('hostile strings are escaped in HTML: no tag, no raw control character', () => {
  const html = renderAll().html ?? '';
  expect(html).not.toContain('<script>');
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may survive
  expect(html).not.toMatch(/[\u0000\u0007]/);
  expect(html).toContain("default-src 'none'");
  expect(html).not.toMatch(/<(script|link|img)\b/);
  // A requirement is linked; each status is rendered.
  expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc7515.html#section-4">RFC7515-4</a>');
  for (const status of ['passed', 'failed', 'warning', 'tolerated', 'skipped', 'error'])
    expect(html).toContain(`class="badge ${status}"`);
  expect(html).toContain('✗ not removed:');
  expect(html).toContain('Ledger problems');
  expect(html).toContain('#1 POST');
});

test('hostile strings are escaped in Markdown: no table break, no HTML, no link', () => {
  const markdown = renderAll().markdown ?? '';
  expect(markdown).not.toContain('<script>');
  expect(markdown).not.toMatch(/(?<!\\)\]\(javascript:/);
  for (const line of markdown.split('\n').filter((l) => l.startsWith('| ssf-transmitter')))
    expect(line.split(/(?<!\\)\|/).length).toBe(13);
  expect(markdown).toContain('❌ failed');
  expect(markdown).toContain('### Failures');
  expect(markdown).toContain('[RFC7515-4](https://www.rfc-editor.org/rfc/rfc7515.html#section-4) (MUST)');
  expect(markdown).toContain('### Warnings (SHOULD or MAY: do not fail the run) (1)');
  expect(markdown).toContain('### Errors');
  expect(markdown).toContain('### Tolerated by the ledger');
  expect(markdown).toContain('### Ledger problems');
  expect(markdown).toContain('### Cleanup that failed');
  expect(renderCertificationMarkdown(passingRecord())).toMatch(
    /^## ssf-lab certification: the lab \(in-process\) — ✅ passed/,
  );
});

test('Markdown keeps a hostile string on one line and inert: no new row, block, code span, link or math', () => {
  const hostile = '| x | `code` <img src=x onerror=alert(1)> [link](javascript:alert(2)) *b* $m$\nnext';
  const markdown = renderCertificationMarkdown(hostileStoryRecord(hostile));
  // The module table: header, separator and one row, each with its twelve pipes (eleven columns).
  const table = markdown.split('\n').filter((l) => l.startsWith('| '));
  expect(table).toHaveLength(3);
  for (const row of table) expect(row.match(/(?<!\\)\|/g)).toHaveLength(12);
  expect(markdown).toContain(hostile.slice(0, 8).replace(/[|`]/g, '\\$&'));
  expect(markdown).not.toContain('<');
  expect(markdown).not.toMatch(/(?<!\\)`code/);
  expect(markdown).not.toMatch(/(?<!\\)\[link/);
  expect(markdown).not.toMatch(/(?<!\\)\$m/);
  expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
  // A newline in a value does not start a new line, so not a new block either.
  expect(markdown).not.toMatch(/^next/m);
});

/** A minimal well-formedness check: balanced tags, quoted attributes, only known entities, no raw `<`/`&`. */
function wellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may survive
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  const body = xml.slice(xml.indexOf('\n') + 1).replace(/<!--[\s\S]*?-->/g, (c) => {
    expect(c.slice(4, -3)).not.toContain('--');
    return '';
  });
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
    last = (m.index ?? 0) + m[0].length;
    const [, close, name = '', attrs = '', selfClose] = m;
    expect(attrs.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

test('JUnit: well-formed, one testcase per check, statuses mapped, requirement cited', () => {
  const xml = renderJunit(hostileRecord());
  wellFormed(xml);
  expect(xml.match(/<testcase /g)?.length).toBe(7); // six checks and one ledger problem
  expect(xml).toContain(
    'classname="ssf-transmitter.stream-create" name="create-answers-201: The create-answers-201 holds."',
  );
  expect(xml).toMatch(/<failure message="RFC7515-4: delivery came back as &lt;script&gt;/);
  expect(xml).toContain(
    'Requirement: RFC7515-4 (MUST, failure) https://www.rfc-editor.org/rfc/rfc7515.html#section-4',
  );
  expect(xml).toContain('WARNING (does not fail the run)');
  expect(xml).toContain('<error message="the check threw: &lt;script&gt;');
  expect(xml).toContain('<skipped message="tolerated by the ledger: vendor ticket');
  expect(xml).toContain('<skipped message="no poll endpoint');
  expect(xml).toContain('<testsuite name="ledger"');
  expect(xml).toMatch(/<testsuites [^>]*tests="7" failures="2" errors="1" skipped="2"/);
  wellFormed(renderJunit(passingRecord()));
});

test('escapeXml replaces what XML cannot carry and keeps line breaks in attributes', () => {
  expect(escapeXml('a\u0000b\uFFFEc\uD800d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
  expect(escapeXml('😀')).toBe('😀');
  expect(escapeXml(`<a b="c">'&`, true)).toBe('&lt;a b=&quot;c&quot;&gt;&apos;&amp;');
  expect(escapeXml('x\ny', true)).toBe('x&#10;y');
});

test('JSON: valid against the committed schema, stable, parsed back; the committed schema is the code', () => {
  const committed = JSON.parse(
    readFileSync(new URL('./certification-record.schema.json', import.meta.url), 'utf8'),
  );
  // After changing certification-schema.ts run `npm run docs`, which regenerates the file.
  expect(committed).toEqual(CERTIFICATION_RECORD_JSON_SCHEMA);
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv, ['date-time']);
  const validate = ajv.compile(committed);
  const text = serializeCertificationRecord(hostileRecord());
  expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
  const parsed = parseCertificationRecord(text);
  expect(serializeCertificationRecord(parsed)).toBe(text);
  expect(text.startsWith('{\n  "schema": "urn:ssf-lab:certification:2",\n  "tool": {')).toBe(true);
  expect(text).toContain('Bearer [redacted]');
  expect(text).toContain(JSON.stringify(HOSTILE).slice(1, 20)); // kept as data, JSON-escaped
  expect(() => parseCertificationRecord('{"schema": "urn:ssf-lab:certification:3"}')).toThrow(
    'invalid certification record: schema is "urn:ssf-lab:certification:3"; this ssf-lab reads "urn:ssf-lab:certification:2" and "urn:ssf-lab:certification:1"',
  );
  const broken = JSON.parse(text);
  delete broken.plans[0].modules[0].checks[0].status;
  expect(() => parseCertificationRecord(JSON.stringify(broken))).toThrow(
    'invalid certification record: /plans/0/modules/0/checks/0 is missing "status"',
  );
});

test('writeCertificationReports writes the four files in a directory created on the way; again, it replaces them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-cert-'));
  try {
    const out = join(dir, 'nested', 'out');
    const paths = await writeCertificationReports(passingRecord(), out);
    expect(paths).toEqual({
      junit: join(out, 'junit.xml'),
      json: join(out, 'certification.json'),
      markdown: join(out, 'summary.md'),
      html: join(out, 'report.html'),
    });
    expect(readFileSync(paths.junit, 'utf8')).toContain('<testsuites');
    expect(parseCertificationRecord(readFileSync(paths.json, 'utf8')).passed).toBe(true);
    expect(readFileSync(paths.markdown, 'utf8')).toContain('✅ passed');
    expect(readFileSync(paths.html, 'utf8')).toContain('<!doctype html>');
    await writeCertificationReports(storyRecord(), out);
    expect(readdirSync(out).sort()).toEqual(['certification.json', 'junit.xml', 'report.html', 'summary.md']);
    expect(parseCertificationRecord(readFileSync(paths.json, 'utf8'))).toEqual(
      parseCertificationRecord(serializeCertificationRecord(storyRecord())),
    );
    expect(readFileSync(paths.markdown, 'utf8')).toContain('❌ failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON: stable — the order members were built in does not change the bytes', () => {
  const record = storyRecord();
  const reversed = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).reverse()) as T;
  const shuffled: CertificationRecord = {
    ...reversed(record),
    plans: record.plans.map((p) => ({
      ...reversed(p),
      modules: p.modules.map((m) => ({
        ...reversed(m),
        exchanges: m.exchanges.map((e) => ({ ...reversed(e), requestHeaders: reversed(e.requestHeaders) })),
        checks: m.checks.map(reversed),
        ...(m.story === undefined
          ? {}
          : { story: { ...reversed(m.story), steps: m.story.steps.map(reversed) } }),
      })),
    })),
  };
  expect(Object.keys(shuffled)[0]).not.toBe('schema');
  expect(serializeCertificationRecord(shuffled)).toBe(serializeCertificationRecord(record));
});

test('JSON: not JSON and not an object are refused; members a newer writer adds are read', () => {
  expect(() => parseCertificationRecord('{"schema": ')).toThrow(
    /^invalid certification record: not valid JSON: /,
  );
  expect(() => parseCertificationRecord('[1]')).toThrow('invalid certification record: not a JSON object');
  // A version grows without a new version: a reader accepts members it does not know.
  const value = JSON.parse(serializeCertificationRecord(storyRecord()));
  value.seed = 7;
  value.plans[0].modules[0].exchanges[0].phase = 'sign-in';
  value.plans[0].modules[0].story.steps[0].note = 'added later';
  const parsed = parseCertificationRecord(JSON.stringify(value));
  expect(parsed).toMatchObject({ seed: 7 });
  expect(parsed.plans[0]?.modules[0]?.exchanges[0]).toMatchObject({ phase: 'sign-in' });
});

test("JSON: a version 2 record with a story round-trips, in the schema's order, valid against the committed schema", () => {
  const record = storyRecord();
  const text = serializeCertificationRecord(record);
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv, ['date-time']);
  const validate = ajv.compile(CERTIFICATION_RECORD_JSON_SCHEMA);
  expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
  const parsed = parseCertificationRecord(text);
  expect(parsed).toEqual(record);
  expect(serializeCertificationRecord(parsed)).toBe(text);
  // The story's members come in the schema's order, after the module's checks.
  const module = JSON.parse(text).plans[0].modules[0];
  expect(Object.keys(module).at(-1)).toBe('story');
  expect(Object.keys(module.story)).toEqual(['file', 'description', 'steps', 'systemLog', 'logouts']);
  expect(Object.keys(module.story.steps[3])).toEqual([
    'index',
    'kind',
    'title',
    'startedMs',
    'durationMs',
    'ok',
    'error',
  ]);
  expect(JSON.parse(text).target).toEqual({
    name: 'ssf-lab serve',
    kind: 'manifest',
    file: '/tmp/lab/manifest.json',
  });
  // Credentials written into a story's free text are scrubbed on the way out.
  const hostile = serializeCertificationRecord(hostileStoryRecord());
  for (const secret of Object.values(PLANTED)) expect(hostile).not.toContain(secret);
  expect(validateCertificationRecord(JSON.parse(hostile)).plans[0]?.modules[0]?.story?.steps[0]?.error).toBe(
    '401 for Bearer [redacted]',
  );
});

test("JSON: a version 1 record is still read, as it is, against version 1's schema; written out, it is version 2", () => {
  const parsed = parseCertificationRecord(V1_RECORD_JSON);
  expect(parsed).toEqual(JSON.parse(V1_RECORD_JSON));
  expect(parsed.schema).toBe(CERTIFICATION_RECORD_SCHEMA_V1);
  expect(parsed.plans[0]?.modules[0]?.story).toBeUndefined();
  expect(CERTIFICATION_RECORD_V1_JSON_SCHEMA.$id).toBe('urn:ssf-lab:schema:certification:1');
  expect(CERTIFICATION_RECORD_V1_JSON_SCHEMA.properties.schema.const).toBe(CERTIFICATION_RECORD_SCHEMA_V1);
  // Every reporter takes it.
  expect(renderCertificationMarkdown(parsed)).toContain('✅ passed');
  expect(renderCertificationHtml(parsed)).toContain('Create a stream');
  expect(renderJunit(parsed)).toContain('<testcase ');
  const rewritten = serializeCertificationRecord(parsed);
  expect(rewritten.startsWith(`{\n  "schema": "${CERTIFICATION_RECORD_SCHEMA}",`)).toBe(true);
  expect({ ...parseCertificationRecord(rewritten), schema: CERTIFICATION_RECORD_SCHEMA_V1 }).toEqual(parsed);
  // Version 1 is checked against version 1: a manifest target is a version 2 thing.
  const manifest = JSON.parse(V1_RECORD_JSON);
  manifest.target.kind = 'manifest';
  expect(() => validateCertificationRecord(manifest)).toThrow(
    'invalid certification record: /target/kind must be one of "lab", "file", "code"',
  );
  expect(() =>
    validateCertificationRecord({ ...manifest, schema: CERTIFICATION_RECORD_SCHEMA }),
  ).not.toThrow();
  const broken = JSON.parse(V1_RECORD_JSON);
  delete broken.plans[0].modules[0].exchanges[0].url;
  expect(() => validateCertificationRecord(broken)).toThrow(
    'invalid certification record: /plans/0/modules/0/exchanges/0 is missing "url"',
  );
});

test('JSON: a bad story is named field by field', () => {
  const text = serializeCertificationRecord(storyRecord());
  type Rows = Record<string, unknown>[];
  type Story = { steps?: Rows; systemLog: Rows; logouts: Rows };
  const row = (rows: Rows | undefined, i: number): Record<string, unknown> => rows?.[i] ?? {};
  const cases: [string, (module: { story: unknown }, story: Story) => void, string][] = [
    ['steps missing', (_, story) => delete story.steps, '/plans/0/modules/0/story is missing "steps"'],
    ['not an object', (m) => (m.story = 'the story'), '/plans/0/modules/0/story must be object'],
    [
      'a step without ok',
      (_, story) => delete row(story.steps, 1).ok,
      '/plans/0/modules/0/story/steps/1 is missing "ok"',
    ],
    [
      'a step ok as text',
      (_, story) => (row(story.steps, 0).ok = 'yes'),
      '/plans/0/modules/0/story/steps/0/ok must be boolean',
    ],
    [
      'a System Log entry without traceId',
      (_, story) => delete row(story.systemLog, 2).traceId,
      '/plans/0/modules/0/story/systemLog/2 is missing "traceId"',
    ],
    [
      'a logout status out of range',
      (_, story) => (row(story.logouts, 0).status = 1000),
      '/plans/0/modules/0/story/logouts/0/status must be <= 999',
    ],
  ];
  for (const [what, spoil, message] of cases) {
    const bad = JSON.parse(text);
    spoil(bad.plans[0].modules[0], bad.plans[0].modules[0].story);
    expect(() => parseCertificationRecord(JSON.stringify(bad)), what).toThrow(
      `invalid certification record: ${message}`,
    );
  }
});
