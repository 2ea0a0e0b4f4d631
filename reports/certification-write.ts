/**
 * Writes every report of a certification run into one directory: `junit.xml`, `certification.json`,
 * `summary.md` and `report.html`. The directory is created when missing; each file is written beside
 * itself and renamed into place, so a CI step reading it never sees half a report.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomically } from '../harness/kernel/index.ts';
import type { CertificationRecord } from '../harness/records/index.ts';
import { renderCertificationHtml } from './certification-html.ts';
import { serializeCertificationRecord } from './certification-json.ts';
import { renderCertificationMarkdown } from './certification-markdown.ts';
import { renderJunit } from './junit.ts';

export interface WrittenCertificationReports {
  /** Absolute paths. */
  readonly junit: string;
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
}

export async function writeCertificationReports(
  record: CertificationRecord,
  dir: string,
): Promise<WrittenCertificationReports> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths: WrittenCertificationReports = {
    junit: join(root, 'junit.xml'),
    json: join(root, 'certification.json'),
    markdown: join(root, 'summary.md'),
    html: join(root, 'report.html'),
  };
  await Promise.all([
    writeFileAtomically(paths.junit, renderJunit(record)),
    writeFileAtomically(paths.json, serializeCertificationRecord(record)),
    writeFileAtomically(paths.markdown, renderCertificationMarkdown(record)),
    writeFileAtomically(paths.html, renderCertificationHtml(record)),
  ]);
  return paths;
}
