/**
 * `npm test` against a real tenant: when a target file is given (`SSF_LAB_TARGET=path`, or
 * `ssf-lab.target.json` in the working directory), the plans it names run against its endpoints, the
 * reports (JUnit, JSON, Markdown, HTML) go to reports/out/certify/, and the test fails listing every
 * failure-level finding. Without a target file this test is skipped: the plans then run against the lab
 * in the other certify-*.test.ts files.
 */
import { expect, test } from 'vitest';
import { writeCertificationReports } from '../../reports/index.ts';
import { prepareCertification } from '../certify/index.ts';
import { findTargetFile } from '../config/target.ts';
import { checksOf } from '../records/index.ts';

const file = findTargetFile();

test.skipIf(file === undefined)(
  `the plans of the target file pass against its endpoints (${file ?? 'no target file'})`,
  async () => {
    const record = await (
      await prepareCertification({ target: file as string, signal: AbortSignal.timeout(15 * 60_000) })
    ).run();
    const paths = await writeCertificationReports(record, 'reports/out/certify');
    const failures = checksOf(record)
      .filter((c) => c.status === 'error' || (c.status === 'failed' && c.level === 'failure'))
      .map(
        (c) =>
          `${c.plan} › ${c.id} (${c.requirement}): ${c.reason ?? c.findings.map((f) => f.message).join('; ')}`,
      );
    const ledger = record.ledgerProblems.map((p) => p.message);
    expect(
      [...failures, ...ledger],
      `see ${paths.html}; tolerate a finding in the target's ledger with a reason`,
    ).toEqual([]);
    expect(record.passed).toBe(true);
  },
  20 * 60_000,
);
