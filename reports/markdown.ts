/**
 * A short Markdown summary of one or several runs (GitHub-flavoured: for a job summary, a pull-request
 * comment or a terminal): one table row per run, then, for each failed run, what failed. Every string
 * from a record is escaped (`escapeMarkdown`), so a scenario name or a message cannot add a table column,
 * open a code span, inject HTML or a link.
 */
import type { RunRecord } from '../harness/protocol/index.ts';
import { compactJson, escapeMarkdown, formatCount, formatDuration, truncate } from './text.ts';

/** Failed expectations listed in a table cell; the rest are counted. */
const CELL_FAILURES = 3;
const CELL_TEXT = 200;
const LIST_TEXT = 1000;

function md(text: string, max: number): string {
  return escapeMarkdown(truncate(text, max));
}

function failureCell(record: RunRecord): string {
  const failed = record.expectations.filter((e) => !e.ok);
  const items = failed
    .slice(0, CELL_FAILURES)
    .map(
      (e) => `**${md(e.title, CELL_TEXT)}**${e.message === undefined ? '' : `: ${md(e.message, CELL_TEXT)}`}`,
    );
  if (failed.length > CELL_FAILURES) items.push(`and ${formatCount(failed.length - CELL_FAILURES)} more`);
  const failedStep = record.steps.find((s) => !s.ok);
  if (failedStep && items.length === 0)
    items.push(
      `step ${failedStep.index} (${md(failedStep.kind, CELL_TEXT)}) failed${failedStep.error === undefined ? '' : `: ${md(failedStep.error, CELL_TEXT)}`}`,
    );
  if (items.length === 0) return record.passed ? '—' : 'failed (no failed expectation or step recorded)';
  return items.join('<br>');
}

function failedRunSection(record: RunRecord): string[] {
  const lines = [`### ❌ ${md(record.scenario.name, CELL_TEXT)} (${md(record.transport, 40)})`, ''];
  for (const e of record.expectations.filter((x) => !x.ok)) {
    lines.push(
      `- **${md(e.title, LIST_TEXT)}** (expectation ${e.index}, ${md(e.kind, 80)})${e.message === undefined ? '' : `: ${md(e.message, LIST_TEXT)}`}`,
    );
    lines.push(
      `  - expected ${md(compactJson(e.expected), CELL_TEXT)}; actual ${md(compactJson(e.actual), CELL_TEXT)}`,
    );
  }
  for (const s of record.steps.filter((x) => !x.ok)) {
    lines.push(
      `- step ${s.index} (${md(s.kind, 80)}) failed: ${md(s.title, LIST_TEXT)}${s.error === undefined ? '' : `: ${md(s.error, LIST_TEXT)}`}`,
    );
  }
  if (lines.length === 2) lines.push('- the run failed without a failed expectation or step');
  lines.push('');
  return lines;
}

/** A short Markdown summary of the runs. */
export function renderMarkdownSummary(records: readonly RunRecord[]): string {
  const passed = records.filter((r) => r.passed).length;
  const failed = records.length - passed;
  const lines = [
    `## ssf-lab: ${formatCount(records.length)} run${records.length === 1 ? '' : 's'}, ${formatCount(passed)} passed, ${formatCount(failed)} failed`,
    '',
  ];
  if (records.length > 0) {
    lines.push('| Scenario | Transport | Result | Duration | Failed expectations |');
    lines.push('| --- | --- | --- | ---: | --- |');
    for (const r of records) {
      lines.push(
        `| ${md(r.scenario.name, CELL_TEXT)} | ${md(r.transport, 40)} | ${r.passed ? '✅ passed' : '❌ failed'} | ${formatDuration(r.durationMs)} | ${failureCell(r)} |`,
      );
    }
    lines.push('');
  }
  for (const r of records) if (!r.passed) lines.push(...failedRunSection(r));
  return `${lines.join('\n').trimEnd()}\n`;
}
