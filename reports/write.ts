/**
 * Writes every report for a set of runs into one directory: `run.json` (one run) or `runs.json`
 * (several), `report.html` and `summary.md`. The directory is created when missing; each file is
 * written beside itself first and renamed into place, so a reader never sees half a report.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunRecord } from '../harness/protocol/index.ts';
import { type HtmlReportOptions, renderHtmlReport } from './html.ts';
import { serializeRunRecords } from './json.ts';
import { renderMarkdownSummary } from './markdown.ts';

export interface WrittenReports {
  /** Absolute path of `report.html`. */
  readonly html: string;
  /** Absolute path of `run.json` (one run) or `runs.json` (several). */
  readonly json: string;
  /** Absolute path of `summary.md`. */
  readonly markdown: string;
}

async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

/** Renders the runs in every format and writes them into `dir` (created if missing); returns the paths. */
export async function writeReports(
  records: readonly RunRecord[],
  dir: string,
  options: HtmlReportOptions = {},
): Promise<WrittenReports> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths: WrittenReports = {
    html: join(root, 'report.html'),
    json: join(root, records.length === 1 ? 'run.json' : 'runs.json'),
    markdown: join(root, 'summary.md'),
  };
  await Promise.all([
    writeWhole(paths.json, serializeRunRecords(records)),
    writeWhole(paths.html, renderHtmlReport(records, options)),
    writeWhole(paths.markdown, renderMarkdownSummary(records)),
  ]);
  return paths;
}
