/**
 * A Markdown summary of a certification run (GitHub-flavoured: a CI job summary, a pull request): the
 * verdict and counts, one table row per module, the steps of each module that carries a story (ok or
 * failed, with the error), then what failed — each with the requirement it cites — what the ledger
 * tolerated and why, what errored, ledger entries that matched nothing and cleanup that did not
 * succeed. Every string from the record is escaped, so a message cannot add a column or markup.
 */
import { REQUIREMENTS } from '../harness/protocol/index.ts';
import {
  type CertificationRecord,
  type CheckResult,
  checksOf,
  countStatuses,
  type ModuleResult,
} from '../harness/records/index.ts';
import { redactCertificationRecord } from './certification-json.ts';
import { compactJson, escapeMarkdown, formatCount, formatDuration, formatMs, truncate } from './text.ts';

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
  if (check.reason !== undefined && check.findings.length === 0) lines.push(`  - ${md(check.reason)}`);
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
  const counts = countStatuses(record);
  const verdict = record.passed ? '✅ passed' : '❌ failed';
  const lines = [
    `## ssf-lab certification: ${md(record.target.name, CELL)} — ${verdict}${record.dryRun ? ' (dry run)' : ''}`,
    '',
    `${formatCount(counts.passed)} passed, ${formatCount(counts.failed)} failed, ${formatCount(counts.tolerated)} tolerated, ${formatCount(counts.skipped)} skipped, ${formatCount(counts.error)} error · ${formatDuration(record.durationMs)} · ${md(record.tool.name, 40)} ${md(record.tool.version, 40)} · started ${md(record.startedAt, 40)}`,
    '',
  ];
  const modules = record.plans.flatMap((p) => p.modules);
  if (modules.length > 0) {
    lines.push('| Plan | Module | ✓ | ✗ | tolerated | skipped | error | Duration |');
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const m of modules) {
      const n = (s: CheckResult['status']): number => m.checks.filter((c) => c.status === s).length;
      lines.push(
        `| ${md(m.plan, CELL)} | ${md(m.title, CELL)} (\`${md(m.id, 80)}\`) | ${n('passed')} | ${n('failed')} | ${n('tolerated')} | ${n('skipped')} | ${n('error')} | ${formatDuration(m.durationMs)} |`,
      );
    }
    lines.push('');
  } else lines.push('No plan ran.', '');
  for (const m of modules) if (m.story !== undefined) lines.push(...stepLines(m));
  const checks = checksOf(record);
  const section = (title: string, picked: readonly CheckResult[]): void => {
    if (picked.length === 0) return;
    lines.push(`### ${title}`, '');
    for (const c of picked) lines.push(...checkLine(c));
    lines.push('');
  };
  section(
    'Failures',
    checks.filter((c) => c.status === 'failed' && c.level === 'failure'),
  );
  section(
    'Warnings and notes (do not fail the run)',
    checks.filter((c) => c.status === 'failed' && c.level !== 'failure'),
  );
  section(
    'Errors (the harness could not judge)',
    checks.filter((c) => c.status === 'error'),
  );
  section(
    'Tolerated by the ledger',
    checks.filter((c) => c.status === 'tolerated'),
  );
  if (record.ledgerProblems.length > 0) {
    lines.push('### Ledger problems', '');
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
