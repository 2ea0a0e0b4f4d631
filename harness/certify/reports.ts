/**
 * The certification reports, written from code as `ssf-lab certify` writes them.
 */
import { writeCertificationReports } from '../../reports/index.ts';
import type { CertificationRecord } from '../records/index.ts';

/** Absolute paths of the four reports. */
export interface WrittenReports {
  readonly junit: string;
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
}

/**
 * Writes `junit.xml`, `certification.json`, `summary.md` and `report.html` into `dir` (created when
 * missing; each file replaced whole, so a CI step never reads half a report). No credential is written.
 */
export function writeReports(record: CertificationRecord, dir: string): Promise<WrittenReports> {
  return writeCertificationReports(record, dir);
}
