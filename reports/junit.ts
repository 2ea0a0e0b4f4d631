/**
 * JUnit XML of a certification run, for CI systems that show test results: one <testsuite> per plan
 * module, one <testcase> per check (classname `plan.module`, name `check-id: title`).
 *
 * Statuses map to JUnit so a CI's red matches ssf-lab's exit code: a failed check whose requirement is a
 * MUST is a <failure>; a failed SHOULD/MAY check passes in JUnit and says so in <system-out> (it does
 * not fail the run); error → <error>; skipped and tolerated → <skipped> with the reason. Ledger entries
 * that matched nothing are failures of a `ledger` suite. Every string is XML-escaped, characters XML
 * cannot carry are replaced with U+FFFD, and credentials in free text are scrubbed.
 */
import { REQUIREMENTS } from '../harness/protocol/index.ts';
import {
  type CertificationRecord,
  type CheckResult,
  countStatuses,
  type ModuleResult,
  type SuiteFinding,
} from '../harness/records/index.ts';
import { redactCertificationRecord } from './certification-json.ts';
import { compactJson, scrubCredentials, truncate } from './text.ts';

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
  const first = check.findings[0]?.message;
  switch (check.status) {
    case 'passed':
      return `${open}/>`;
    case 'failed':
      if (check.level === 'failure')
        return `${open}>\n      <failure ${attr('message', `${check.requirement}: ${truncate(first ?? check.title, 500)}`)} ${attr('type', check.requirement)}>${escapeXml(body(check))}</failure>\n    </testcase>`;
      return `${open}>\n      <system-out>${escapeXml(`${check.level.toUpperCase()} (does not fail the run)\n${body(check)}`)}</system-out>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error ${attr('message', truncate(check.reason ?? 'the harness could not judge this check', 500))}>${escapeXml(requirementLine(check))}</error>\n    </testcase>`;
    case 'tolerated':
      return `${open}>\n      <skipped ${attr('message', `tolerated by the ledger: ${truncate(check.findings.map((f) => f.toleratedBecause ?? '').join('; '), 500)}`)}/>\n      <system-out>${escapeXml(body(check))}</system-out>\n    </testcase>`;
    case 'skipped':
      return `${open}>\n      <skipped ${attr('message', truncate(check.reason ?? 'skipped', 500))}/>\n    </testcase>`;
  }
}

function suiteCounts(checks: readonly CheckResult[]): { failures: number; errors: number; skipped: number } {
  return {
    failures: checks.filter((c) => c.status === 'failed' && c.level === 'failure').length,
    errors: checks.filter((c) => c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skipped' || c.status === 'tolerated').length,
  };
}

function testsuite(module: ModuleResult, id: number): string {
  const { failures, errors, skipped } = suiteCounts(module.checks);
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
    `    <properties><property ${attr('name', 'title')} ${attr('value', module.title)}/></properties>`,
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
  const totals = suiteCounts(checks);
  const ledger = record.ledgerProblems;
  const suites = modules.map((m, i) => testsuite(m, i));
  if (ledger.length > 0) {
    suites.push(
      [
        `  <testsuite name="ledger" ${attr('id', modules.length)} ${attr('tests', ledger.length)} ${attr('failures', ledger.length)} errors="0" skipped="0" time="0">`,
        ...ledger.map(
          (l, i) =>
            `    <testcase classname="ledger" ${attr('name', `entry ${i + 1}: ${compactJson(l.entry)}`)} time="0">\n      <failure ${attr('message', l.message)}/>\n    </testcase>`,
        ),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const counts = countStatuses(record);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', `ssf-lab certification: ${record.target.name}${record.dryRun ? ' (dry run)' : ''}`)} ${attr('tests', checks.length + ledger.length)} ${attr('failures', totals.failures + ledger.length)} ${attr('errors', totals.errors)} ${attr('skipped', totals.skipped)} ${attr('time', seconds(record.durationMs))} ${attr('timestamp', record.startedAt)}>`,
    `<!-- ${escapeXml(`${record.passed ? 'passed' : 'failed'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.tolerated} tolerated, ${counts.skipped} skipped, ${counts.error} error`).replace(/--/g, '- -')} -->`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
