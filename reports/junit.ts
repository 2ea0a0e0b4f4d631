/**
 * JUnit XML of a certification run, for CI systems that show test results: one <testsuite> per plan
 * module, one <testcase> per check (classname `plan.module`, name `check-id: title`).
 *
 * Outcomes (reports/vocabulary.ts) map to JUnit so a CI's red matches ssf-lab's exit code: a failed
 * check (a MUST-level finding) is a <failure>, and nothing else is; a warning (SHOULD/MAY findings)
 * passes in JUnit and says so in <system-out>; an error is an <error>; skipped, inconclusive, blocked and
 * tolerated checks are <skipped> with a message that starts with what they are (`inconclusive:`,
 * `blocked by <id>:`, `tolerated by the ledger:`). Each suite's <properties> carry its tally, the
 * document's first comment the run's. Ledger entries that did not hold are failures of a `ledger` suite,
 * an unreachable target an error of an `unreachable` suite. Every string is XML-escaped, characters XML
 * cannot carry are replaced with U+FFFD, and credentials in free text are scrubbed.
 */
import { REQUIREMENTS } from '../harness/protocol/index.ts';
import {
  type CertificationRecord,
  type CheckResult,
  type ModuleResult,
  outcomeOf,
  type SuiteFinding,
  type Tally,
  tallyChecks,
} from '../harness/records/index.ts';
import { redactCertificationRecord } from './certification-json.ts';
import { compactJson, scrubCredentials, truncate } from './text.ts';
import { expectedSkips, notJudgedText, tallyLine, verdictWord } from './vocabulary.ts';

const MAX_TEXT = 4000;
const MAX_EVIDENCE = 1000;

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; unpaired
 * surrogates): a parser would reject the whole file for one of them.
 */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML element content and attributes; line breaks in attributes survive as references. */
export function escapeXml(text: string, attribute = false): string {
  const out = scrubCredentials(text)
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
  return attribute ? out.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : out;
}

function attr(name: string, value: string | number): string {
  return `${name}="${escapeXml(String(value), true)}"`;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '0';
}

function requirementLine(check: CheckResult): string {
  const r = REQUIREMENTS[check.requirement];
  return r === undefined
    ? `Requirement: ${check.requirement}`
    : `Requirement: ${r.id} (${r.keyword}, ${check.level}) ${r.url}\n${r.summary}`;
}

function findingText(f: SuiteFinding): string {
  const evidence =
    f.evidence === undefined ? '' : `\n  evidence: ${truncate(compactJson(f.evidence), MAX_EVIDENCE)}`;
  const tolerated = f.toleratedBecause === undefined ? '' : `\n  tolerated: ${f.toleratedBecause}`;
  return `- ${f.message}${evidence}${tolerated}`;
}

function body(check: CheckResult): string {
  return truncate([...check.findings.map(findingText), requirementLine(check)].join('\n'), MAX_TEXT);
}

function testcase(check: CheckResult): string {
  const open = `    <testcase ${attr('classname', `${check.plan}.${check.module}`)} ${attr('name', `${check.id}: ${check.title}`)} time="0"`;
  const first = check.findings.find((f) => f.level === 'failure')?.message ?? check.findings[0]?.message;
  const outcome = outcomeOf(check);
  switch (outcome) {
    case 'passed':
      return `${open}/>`;
    case 'failed':
      return `${open}>\n      <failure ${attr('message', `${check.requirement}: ${truncate(first ?? check.title, 500)}`)} ${attr('type', check.requirement)}>${escapeXml(body(check))}</failure>\n    </testcase>`;
    case 'warning':
      return `${open}>\n      <system-out>${escapeXml(`${check.level === 'info' ? 'NOTE' : 'WARNING'} (does not fail the run)\n${body(check)}`)}</system-out>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error ${attr('message', truncate(check.reason ?? 'the harness could not judge this check', 500))}>${escapeXml(requirementLine(check))}</error>\n    </testcase>`;
    case 'tolerated':
      return `${open}>\n      <skipped ${attr('message', `tolerated by the ledger: ${truncate(check.findings.map((f) => f.toleratedBecause ?? '').join('; '), 500)}`)}/>\n      <system-out>${escapeXml(body(check))}</system-out>\n    </testcase>`;
    case 'skipped':
    case 'inconclusive':
    case 'blocked':
      return `${open}>\n      <skipped ${attr('message', truncate(notJudgedText(check) || 'skipped', 500))}/>\n    </testcase>`;
  }
}

/** JUnit's three counts from the tally: failures are the failed checks; skipped is every kind of skip. */
function suiteCounts(t: Tally): { failures: number; errors: number; skipped: number } {
  return {
    failures: t.failed,
    errors: t.errors,
    skipped: t.skipped + t.inconclusive + t.blocked + t.tolerated,
  };
}

/** The tally as suite properties (`ssf-lab.passed`, …), for a CI that shows them. */
function tallyProperties(t: Tally): string[] {
  return Object.entries(t).map(
    ([name, value]) => `<property ${attr('name', `ssf-lab.${name}`)} ${attr('value', value)}/>`,
  );
}

function testsuite(module: ModuleResult, id: number): string {
  const counts = tallyChecks(module.checks);
  const { failures, errors, skipped } = suiteCounts(counts);
  const notes = [
    module.skipped === undefined ? '' : `skipped: ${module.skipped}`,
    module.error === undefined ? '' : `error: ${module.error}`,
    ...module.cleanup.map(
      (c) => `cleanup ${c.ok ? 'ok' : 'FAILED'}: ${c.what}${c.error ? ` — ${c.error}` : ''}`,
    ),
    `${module.exchanges.length} HTTP exchange(s) recorded`,
  ].filter((s) => s !== '');
  return [
    `  <testsuite ${attr('name', `${module.plan}.${module.id}`)} ${attr('id', id)} ${attr('tests', module.checks.length)} ${attr('failures', failures)} ${attr('errors', errors)} ${attr('skipped', skipped)} ${attr('time', seconds(module.durationMs))} ${attr('timestamp', module.startedAt)}>`,
    `    <properties><property ${attr('name', 'title')} ${attr('value', module.title)}/>${tallyProperties(counts).join('')}</properties>`,
    ...module.checks.map(testcase),
    `    <system-out>${escapeXml(notes.join('\n'))}</system-out>`,
    '  </testsuite>',
  ].join('\n');
}

/** The record as a JUnit XML document. */
export function renderJunit(input: CertificationRecord): string {
  const record = redactCertificationRecord(input);
  const modules = record.plans.flatMap((p) => p.modules);
  const checks = modules.flatMap((m) => m.checks);
  const counts = tallyChecks(checks);
  const totals = suiteCounts(counts);
  const ledger = record.ledgerProblems;
  const unreachable = record.unreachable ?? [];
  const suites = modules.map((m, i) => testsuite(m, i));
  if (ledger.length > 0) {
    suites.push(
      [
        `  <testsuite name="ledger" ${attr('id', suites.length)} ${attr('tests', ledger.length)} ${attr('failures', ledger.length)} errors="0" skipped="0" time="0">`,
        ...ledger.map(
          (l, i) =>
            `    <testcase classname="ledger" ${attr('name', `entry ${i + 1}: ${compactJson(l.entry)}`)} time="0">\n      <failure ${attr('message', l.message)}/>\n    </testcase>`,
        ),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  // A target that could not be reached is one error of its own, not a failure of each check it has.
  if (unreachable.length > 0) {
    suites.push(
      [
        `  <testsuite name="unreachable" ${attr('id', suites.length)} ${attr('tests', unreachable.length)} failures="0" ${attr('errors', unreachable.length)} skipped="0" time="0">`,
        ...unreachable.map(
          (u) =>
            `    <testcase classname="unreachable" ${attr('name', `${u.plan}: ${u.url}`)} time="0">\n      <error ${attr('message', `the target could not be reached at ${u.url}: ${u.message}`)}/>\n    </testcase>`,
        ),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', `ssf-lab certification: ${record.target.name}${record.dryRun ? ' (dry run)' : ''}`)} ${attr('tests', checks.length + ledger.length + unreachable.length)} ${attr('failures', totals.failures + ledger.length)} ${attr('errors', totals.errors + unreachable.length)} ${attr('skipped', totals.skipped)} ${attr('time', seconds(record.durationMs))} ${attr('timestamp', record.startedAt)}>`,
    `<!-- ${escapeXml(`${verdictWord(record)} — ${tallyLine(counts, expectedSkips(checks))}`).replace(/--/g, '- -')} -->`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
