/**
 * A Markdown summary of a certification run (GitHub-flavoured: a CI job summary, a pull request): the
 * verdict and the tally in the words every report uses (reports/vocabulary.ts), a target that could not
 * be reached, one table row per module with a column per outcome, the steps of each module that carries
 * a story (ok or failed, with the error), then the checks by outcome — failures (each with the
 * requirement it cites), warnings, errors, blocked (by which check), inconclusive, tolerated and
 * skipped (each with its reason) — ledger entries that did not hold and cleanup that did not succeed.
 * Every string from the record is escaped, so a message cannot add a column or markup.
 */
import { REQUIREMENTS } from '../harness/protocol/index.ts';
import {
  type CertificationRecord,
  type CheckOutcome,
  type CheckResult,
  checksOf,
  type ModuleResult,
  outcomeOf,
  tallyChecks,
} from '../harness/records/index.ts';
import { redactCertificationRecord } from './certification-json.ts';
import { compactJson, escapeMarkdown, formatCount, formatDuration, formatMs, truncate } from './text.ts';
import { expectedSkips, notJudgedText, tallyLine, verdictWord } from './vocabulary.ts';

const CELL = 200;
const LIST = 1000;
/** Steps listed per module; past this, a line says how many more `certification.json` has. */
export const MAX_MARKDOWN_STEPS = 50;

function md(text: string, max = LIST): string {
  return escapeMarkdown(truncate(text, max));
}

function requirementLink(check: CheckResult): string {
  const r = REQUIREMENTS[check.requirement];
  if (r === undefined || !/^https:\/\//.test(r.url)) return `\`${md(check.requirement, 80)}\``;
  return `[${md(check.requirement, 80)}](${r.url.replace(/[()\s]/g, encodeURIComponent)}) (${r.keyword})`;
}

function checkLine(check: CheckResult): string[] {
  const lines = [`- \`${md(check.id, 120)}\` ${md(check.title)} — ${requirementLink(check)}, ${check.level}`];
  for (const f of check.findings) {
    lines.push(
      `  - ${md(f.message)}${f.evidence === undefined ? '' : ` (evidence: ${md(compactJson(f.evidence), CELL)})`}`,
    );
    if (f.toleratedBecause !== undefined) lines.push(`    - tolerated: ${md(f.toleratedBecause)}`);
  }
  if (check.reason !== undefined && check.findings.length === 0)
    lines.push(`  - ${md(notJudgedText(check))}`);
  return lines;
}

/** A story module's steps, each ok or failed with its error (the steps' own record, not a verdict). */
function stepLines(m: ModuleResult): string[] {
  const steps = m.story?.steps ?? [];
  const lines = [`### Steps: ${md(m.title, CELL)} (\`${md(m.plan, 80)}.${md(m.id, 80)}\`)`, ''];
  if (m.story?.description !== undefined) lines.push(md(m.story.description), '');
  if (steps.length === 0) lines.push('No steps were recorded.');
  for (const s of steps.slice(0, MAX_MARKDOWN_STEPS))
    lines.push(
      `- ${s.ok ? '✓ ok' : '✗ failed'} · ${s.index}. ${md(s.title)} (\`${md(s.kind, 40)}\`, ${formatMs(s.durationMs)})${s.error === undefined ? '' : ` — ${md(s.error)}`}`,
    );
  if (steps.length > MAX_MARKDOWN_STEPS)
    lines.push(`- … ${formatCount(steps.length - MAX_MARKDOWN_STEPS)} more in certification.json`);
  lines.push('');
  return lines;
}

/** The Markdown summary of one certification run. */
export function renderCertificationMarkdown(input: CertificationRecord): string {
  const record = redactCertificationRecord(input);
  const checks = checksOf(record);
  const counts = tallyChecks(checks);
  const word = verdictWord(record);
  const verdict = word === 'passed' ? '✅ passed' : `❌ ${word}`;
  const lines = [
    `## ssf-lab certification: ${md(record.target.name, CELL)} — ${verdict}${record.dryRun ? ' (dry run)' : ''}`,
    '',
    `${md(tallyLine(counts, expectedSkips(checks)))} · ${formatDuration(record.durationMs)} · ${md(record.tool.name, 40)} ${md(record.tool.version, 40)} · started ${md(record.startedAt, 40)}`,
    '',
  ];
  const unreachable = record.unreachable ?? [];
  if (unreachable.length > 0) {
    lines.push('### Unreachable (nothing was graded there)', '');
    for (const u of unreachable)
      lines.push(
        `- \`${md(u.plan, 80)}\`: the target could not be reached at ${md(u.url, CELL)} — ${md(u.message)}`,
      );
    lines.push('');
  }
  const modules = record.plans.flatMap((p) => p.modules);
  if (modules.length > 0) {
    lines.push(
      '| Plan | Module | passed | failed | warnings | skipped | inconclusive | blocked | tolerated | errors | Duration |',
    );
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const m of modules) {
      const t = tallyChecks(m.checks);
      lines.push(
        `| ${md(m.plan, CELL)} | ${md(m.title, CELL)} (\`${md(m.id, 80)}\`) | ${t.passed} | ${t.failed} | ${t.warnings} | ${t.skipped} | ${t.inconclusive} | ${t.blocked} | ${t.tolerated} | ${t.errors} | ${formatDuration(m.durationMs)} |`,
      );
    }
    lines.push('');
  } else lines.push('No plan ran.', '');
  for (const m of modules) if (m.story !== undefined) lines.push(...stepLines(m));
  const section = (title: string, outcome: CheckOutcome): void => {
    const picked = checks.filter((c) => outcomeOf(c) === outcome);
    if (picked.length === 0) return;
    lines.push(`### ${title} (${formatCount(picked.length)})`, '');
    for (const c of picked) lines.push(...checkLine(c));
    lines.push('');
  };
  section('Failures', 'failed');
  section('Warnings (SHOULD or MAY: do not fail the run)', 'warning');
  section('Errors (the harness could not judge)', 'error');
  section('Blocked (an earlier check failed)', 'blocked');
  section('Inconclusive (a precondition failed)', 'inconclusive');
  section('Tolerated by the ledger', 'tolerated');
  section('Skipped', 'skipped');
  if (record.ledgerProblems.length > 0) {
    lines.push(`### Ledger problems (${formatCount(record.ledgerProblems.length)})`, '');
    for (const l of record.ledgerProblems)
      lines.push(`- ${md(l.message)} (${md(compactJson(l.entry), CELL)})`);
    lines.push('');
  }
  const cleanup = modules.flatMap((m) => m.cleanup.filter((c) => !c.ok).map((c) => ({ m, c })));
  if (cleanup.length > 0) {
    lines.push('### Cleanup that failed (remove these by hand)', '');
    for (const { m, c } of cleanup)
      lines.push(
        `- ${md(m.plan, CELL)}/${md(m.id, CELL)}: ${md(c.what)}${c.error === undefined ? '' : ` — ${md(c.error)}`}`,
      );
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
