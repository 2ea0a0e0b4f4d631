/**
 * Issue 13's "reports that agree with themselves": one real `ssf-lab certify` run — a target file with a
 * ledger, a deliberately deviating target on 127.0.0.1 and a second plan whose target is down — leaves
 * every outcome non-empty (passed, failed, warnings, skipped, inconclusive, blocked, tolerated, errors);
 * the counts parsed back from the console, summary.md, junit.xml, certification.json and report.html
 * are the same, each bucket once per check, summing to the total.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  blocked,
  defineCheck,
  defineModule,
  definePlan,
  expectThat,
  HOLDS,
  inconclusive,
  skip,
} from '../../suites/core/index.ts';
import { type FakeTarget, startFakeTarget } from '../certify/certify.fixtures.testing.ts';
import type { PlanEntry } from '../certify/engine.ts';
import { isHarnessError } from '../kernel/index.ts';
import { certifyCommand } from './certify-command.ts';
import { capturingIo } from './cli.testing.ts';

const TOKEN = 'tok-agree-0123456789abcdef';

interface Options {
  readonly baseUrl: string;
  readonly token: string;
}
const OPTIONS_SCHEMA = {
  type: 'object',
  required: ['baseUrl', 'token'],
  additionalProperties: false,
  properties: { baseUrl: { type: 'string', format: 'uri' }, token: { type: 'string' } },
} as const;

interface Created {
  readonly status: number;
}

/** Creates a stream at the target; its checks land in every outcome a module's checks can have. */
const deviations = defineModule<Options, Created>({
  id: 'deviations',
  title: 'A target that deviates in every way a check can tell',
  async run(ctx, options) {
    const res = await ctx.fetch(`${options.baseUrl}/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'ssf-lab' }),
      signal: ctx.signal,
    });
    const { stream_id: id } = (await res.json()) as { stream_id?: string };
    if (id !== undefined)
      ctx.defer(`delete stream ${id}`, async () => {
        await ctx.fetch(`${options.baseUrl}/streams/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${options.token}` },
          signal: ctx.signal,
        });
      });
    return { status: res.status };
  },
  checks: [
    defineCheck<Created>({
      id: 'agree-target-answers',
      title: 'The target answers.',
      requirement: 'RFC7515-4',
      evaluate: (c) => expectThat(c.status > 0, 'no answer'),
    }),
    defineCheck<Created>({
      id: 'agree-create-answers-201',
      title: 'The create answers 201.',
      requirement: 'RFC7515-4',
      evaluate: (c) => expectThat(c.status === 201, `the create answered ${c.status}`),
    }),
    defineCheck<Created>({
      id: 'agree-stream-reads-back',
      title: 'The stream reads back.',
      requirement: 'RFC7515-4',
      evaluate: (c) =>
        c.status === 201 ? HOLDS : blocked('agree-create-answers-201', 'no stream was created'),
    }),
    defineCheck<Created>({
      id: 'agree-create-is-fast',
      title: 'The create is not refused (SHOULD).',
      requirement: 'SSF-4.1.9',
      evaluate: (c) => expectThat(c.status === 201, `refused with ${c.status}`),
    }),
    defineCheck<Created>({
      id: 'agree-create-has-a-note',
      title: 'The create carries a note (MAY).',
      requirement: 'SSF-3.4',
      evaluate: () => expectThat(false, 'no note'),
    }),
    defineCheck<Created>({
      id: 'agree-optional-endpoint',
      title: 'The optional endpoint answers.',
      requirement: 'RFC7515-4',
      evaluate: () => skip('the target has no optional endpoint'),
    }),
    defineCheck<Created>({
      id: 'agree-hook-fires',
      title: 'The test hook fires.',
      requirement: 'RFC7515-4',
      evaluate: () => skip('no test hook is configured'),
    }),
    defineCheck<Created>({
      id: 'agree-refuses-a-broken-one',
      title: 'A broken create is refused.',
      requirement: 'RFC7515-4',
      evaluate: () => inconclusive('the well-formed create was refused too, so a refusal shows nothing'),
    }),
    defineCheck<Created>({
      id: 'agree-known-bug',
      title: 'The known bug is fixed.',
      requirement: 'RFC7515-4',
      evaluate: () => expectThat(false, 'still answers 200 (vendor ticket 7)'),
    }),
    defineCheck<Created>({
      id: 'agree-check-throws',
      title: 'A check the harness cannot evaluate.',
      requirement: 'RFC7515-4',
      evaluate: () => {
        throw new Error('the capture has no such member');
      },
    }),
  ],
});

/** A module whose run throws: its checks are errors. */
const crashes = defineModule<Options, Created>({
  id: 'crashes',
  title: 'A module the harness cannot finish',
  async run() {
    throw new Error('the harness could not sign');
  },
  checks: [
    defineCheck<Created>({
      id: 'agree-after-the-crash',
      title: 'What the crash kept from being judged.',
      requirement: 'RFC7515-4',
      evaluate: () => HOLDS,
    }),
  ],
});

const PLAN = definePlan<Options>({
  name: 'agree',
  title: 'Every outcome',
  role: 'The harness plays a receiver against a target that deviates.',
  optionsSchema: OPTIONS_SCHEMA,
  modules: [deviations, crashes],
});

/** The same kind of plan, pointed at a port nobody listens on. */
const DOWN_PLAN = definePlan<Options>({
  name: 'agree-down',
  title: 'A target that is down',
  role: 'The harness plays a receiver against a target that is not there.',
  optionsSchema: OPTIONS_SCHEMA,
  modules: [
    { ...deviations, checks: deviations.checks.slice(0, 2).map((c) => ({ ...c, id: `${c.id}-down` })) },
  ],
});

const ENTRIES: readonly PlanEntry[] = [{ plan: PLAN }, { plan: DOWN_PLAN }];

let dir = '';
let fake: FakeTarget;
let downUrl = '';

/** A loopback port that refuses connections: listened on, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-agree-'));
  fake = await startFakeTarget(TOKEN);
  fake.createStatus = 403;
  downUrl = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Counts = Record<
  | 'total'
  | 'passed'
  | 'failed'
  | 'warnings'
  | 'skipped'
  | 'inconclusive'
  | 'blocked'
  | 'tolerated'
  | 'errors',
  number
>;

const TALLY =
  /(\d+) checks?: (\d+) passed, (\d+) failed, (\d+) warnings?, (\d+) skipped(?: \((\d+) expected by the ledger\))?, (\d+) inconclusive, (\d+) blocked, (\d+) tolerated, (\d+) errors?/;

/** The tally line every report writes, parsed: the counts and how many skips the ledger expected. */
function parseTally(text: string, where: string): { counts: Counts; expected: number } {
  const m = TALLY.exec(text);
  if (m === null) throw new Error(`no tally line in ${where}`);
  const n = m.slice(1).map((x) => Number(x ?? 0));
  const [total, passed, failed, warnings, skipped, expected, inconclusive, blockedN, tolerated, errors] = n;
  return {
    counts: {
      total: total ?? -1,
      passed: passed ?? -1,
      failed: failed ?? -1,
      warnings: warnings ?? -1,
      skipped: skipped ?? -1,
      inconclusive: inconclusive ?? -1,
      blocked: blockedN ?? -1,
      tolerated: tolerated ?? -1,
      errors: errors ?? -1,
    },
    expected: expected ?? 0,
  };
}

function zero(): Counts {
  return {
    total: 0,
    passed: 0,
    failed: 0,
    warnings: 0,
    skipped: 0,
    inconclusive: 0,
    blocked: 0,
    tolerated: 0,
    errors: 0,
  };
}

/** JUnit, testcase by testcase: the element each check became, and what its skip message says it is. */
function countJunit(xml: string): Counts {
  const counts = zero();
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)"[\s\S]*?<\/testsuite>/g)].filter(
    (s) => s[1] !== 'ledger' && s[1] !== 'unreachable',
  );
  for (const [suite] of suites)
    for (const [, body = ''] of suite.matchAll(/<testcase [^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      counts.total += 1;
      const skipped = /<skipped message="([^"]*)"/.exec(body)?.[1];
      if (body.includes('<failure ')) counts.failed += 1;
      else if (body.includes('<error ')) counts.errors += 1;
      else if (skipped?.startsWith('tolerated by the ledger:')) counts.tolerated += 1;
      else if (skipped?.startsWith('blocked by ')) counts.blocked += 1;
      else if (skipped?.startsWith('inconclusive:')) counts.inconclusive += 1;
      else if (skipped !== undefined) counts.skipped += 1;
      else if (/<system-out>(WARNING|NOTE) \(does not fail the run\)/.test(body)) counts.warnings += 1;
      else counts.passed += 1;
    }
  return counts;
}

/** summary.md's module table, column by column, summed. */
function sumMarkdownTable(markdown: string): Counts {
  const counts = zero();
  const rows = markdown.split('\n').filter((l) => l.startsWith('| agree'));
  for (const row of rows) {
    const cells = row.split(' | ').map((c) => c.trim());
    const n = cells.slice(2, 10).map(Number);
    const [
      passed = 0,
      failed = 0,
      warnings = 0,
      skipped = 0,
      inconclusive = 0,
      blockedN = 0,
      tolerated = 0,
      errors = 0,
    ] = n;
    counts.passed += passed;
    counts.failed += failed;
    counts.warnings += warnings;
    counts.skipped += skipped;
    counts.inconclusive += inconclusive;
    counts.blocked += blockedN;
    counts.tolerated += tolerated;
    counts.errors += errors;
    counts.total += n.reduce((a, b) => a + b, 0);
  }
  return counts;
}

/** report.html, badge by badge in the checks' tables. */
function countHtmlBadges(html: string): Counts {
  const counts = zero();
  const key: Record<string, keyof Counts> = { warning: 'warnings', error: 'errors' };
  for (const [, outcome = ''] of html.matchAll(/<tr><td><span class="badge ([a-z]+)">/g)) {
    counts.total += 1;
    const k = key[outcome] ?? (outcome as keyof Counts);
    counts[k] += 1;
  }
  return counts;
}

test('the console, summary.md, JUnit, JSON and HTML give the same counts for the same run', async () => {
  const ledger = join(dir, 'ledger.json');
  writeFileSync(
    ledger,
    JSON.stringify([
      { check: 'agree-known-bug', reason: 'vendor ticket 7, fix due next release' },
      { check: 'agree-hook-fires', expect: 'skip', reason: 'this target has no test hook' },
      { module: 'crashes', reason: 'a stale entry: nothing in this module fails with a finding' },
    ]),
  );
  const file = join(dir, 'agree.target.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'A deviating target',
      plans: {
        agree: { baseUrl: fake.url, token: { env: 'AGREE_TOKEN' } },
        'agree-down': { baseUrl: downUrl, token: { env: 'AGREE_TOKEN' } },
      },
      ledger: 'ledger.json',
    }),
  );
  const captured = capturingIo();
  const { io } = captured;
  const out = join(dir, 'out');
  let code: number;
  try {
    code = await certifyCommand(['--target', file, '--out', out], io, {
      entries: ENTRIES,
      env: { AGREE_TOKEN: TOKEN },
      cwd: dir,
    });
  } catch (error) {
    throw isHarnessError(error) ? new Error(`certify refused: ${error.message}`) : error;
  }
  const stdout = captured.stdout();
  const stderr = captured.stderr();

  // The target that is down is one error naming its URL, and its own exit code.
  expect(code).toBe(3);
  expect(stderr).toBe(
    `ssf-lab: cannot reach the target at ${downUrl}/streams (connect ECONNREFUSED ${downUrl.slice('http://'.length)}): plan agree-down was not run — is it up, and is the URL right?\n`,
  );

  const expected: Counts = {
    total: 13,
    passed: 1,
    failed: 1,
    warnings: 2,
    skipped: 4, // the optional endpoint, the expected hook, and the down plan's two checks (not run)
    inconclusive: 1,
    blocked: 1,
    tolerated: 1,
    errors: 2,
  };
  // Every bucket has a check in it, and the buckets sum to the total.
  for (const [bucket, n] of Object.entries(expected)) expect(n, bucket).toBeGreaterThan(0);
  const { total, ...buckets } = expected;
  expect(Object.values(buckets).reduce((a, b) => a + b, 0)).toBe(total);

  // The console: the summary line, and one line per failed, warned, errored and tolerated check.
  const consoleTally = parseTally(
    stdout.split('\n').find((l) => /^✗ unreachable — /.test(l)) ?? '',
    'stdout',
  );
  // A check's line names it and its requirement (`      ✗ id [REQ] …`); a module's own error line does not.
  const lines = (sign: string) =>
    stdout.split('\n').filter((l) => l.startsWith(`      ${sign} `) && /^ {6}\S+ [a-z0-9-]+ \[/.test(l))
      .length;
  expect({ failed: lines('✗'), warnings: lines('⚠'), errors: lines('!'), tolerated: lines('≈') }).toEqual({
    failed: expected.failed,
    warnings: expected.warnings,
    errors: expected.errors,
    tolerated: expected.tolerated,
  });
  expect(stdout).toContain('      ⊘ blocked by agree-create-answers-201: agree-stream-reads-back\n');

  // summary.md: its tally line, and its module table summed column by column.
  const markdown = readFileSync(join(out, 'summary.md'), 'utf8');
  expect(markdown).toMatch(/^## ssf-lab certification: A deviating target — ❌ unreachable\n/);
  const markdownTally = parseTally(markdown, 'summary.md');

  // JUnit: element by element; its own totals; the run's comment.
  const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
  const junitCounts = countJunit(xml);
  const root = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml);
  expect(root?.slice(1).map(Number)).toEqual([
    expected.total + 1 + 1, // the stale ledger entry and the unreachable target are testcases of their own
    expected.failed + 1,
    expected.errors + 1,
    expected.skipped + expected.inconclusive + expected.blocked + expected.tolerated,
  ]);
  const junitTally = parseTally(/<!-- (.*) -->/.exec(xml)?.[1] ?? '', 'junit.xml');

  // certification.json: its counts, and its checks' outcomes counted again.
  const json = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8'));
  const outcomes = zero();
  const key: Record<string, keyof Counts> = { warning: 'warnings', error: 'errors' };
  for (const p of json.plans)
    for (const m of p.modules)
      for (const c of m.checks) {
        outcomes.total += 1;
        outcomes[key[c.outcome] ?? (c.outcome as keyof Counts)] += 1;
      }
  expect(json.unreachable).toEqual([
    expect.objectContaining({ plan: 'agree-down', url: `${downUrl}/streams` }),
  ]);
  expect(json.ledgerProblems).toHaveLength(1);

  // report.html: its tally line, and its badges counted.
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const htmlTally = parseTally(/<dd id="tally">([^<]*)<\/dd>/.exec(html)?.[1] ?? '', 'report.html');

  const every = {
    console: consoleTally.counts,
    'summary.md tally': markdownTally.counts,
    'summary.md table': sumMarkdownTable(markdown),
    'junit.xml testcases': junitCounts,
    'junit.xml comment': junitTally.counts,
    'certification.json counts': json.counts,
    'certification.json outcomes': outcomes,
    'report.html tally': htmlTally.counts,
    'report.html badges': countHtmlBadges(html),
  };
  for (const [where, counts] of Object.entries(every)) expect(counts, where).toEqual(expected);
  // The skip the ledger expected is said the same way everywhere its tally line is.
  for (const t of [consoleTally, markdownTally, junitTally, htmlTally]) expect(t.expected).toBe(1);
});
