/**
 * `describeConformance` as a vendor's vitest run sees it: vitest-flawed-receiver.testing.ts runs in a
 * vitest of its own (its verdicts must not be this run's), and its JSON report is read back — one test per
 * check of the ssf-receiver plan, a MUST-level failure failing its test with the requirement and the
 * evidence, SHOULD-level findings and ledger-tolerated ones passing, modules that did not apply skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PLANS } from '../certify/index.ts';
import { REPO, runVitest, type VitestResult } from '../distribution/packed.testing.ts';

const FIXTURE = fileURLToPath(new URL('./vitest-flawed-receiver.testing.ts', import.meta.url));

let dir = '';
let results: VitestResult[] = [];
let output = '';
let exitCode = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-vitest-'));
  const config = join(dir, 'vitest.config.mjs');
  writeFileSync(config, `export default { test: { include: [${JSON.stringify(FIXTURE)}] } };\n`);
  const ran = await runVitest(REPO, join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), [
    '--root',
    REPO,
    '--config',
    config,
  ]);
  ({ results, code: exitCode } = ran);
  output = ran.stdout + ran.stderr;
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function byCheck(id: string): VitestResult {
  const found = results.find((r) => r.title.startsWith(`${id}: `));
  if (found === undefined) throw new Error(`no test for ${id}`);
  return found;
}

test('one test per check, under a describe per plan and per module', () => {
  const plan = PLANS.find((p) => p.name === 'ssf-receiver');
  const checks = plan?.modules.flatMap((m) => m.checks.map((c) => ({ module: m, check: c }))) ?? [];
  expect(results).toHaveLength(checks.length + 1); // and the ledger's own test
  for (const { module, check } of checks) {
    const test = byCheck(check.id);
    expect(test.title).toBe(`${check.id}: ${check.title}`);
    expect(test.ancestorTitles).toEqual([
      'ssf-lab conformance: a flawed receiver',
      `ssf-receiver: ${plan?.title}`,
      `${module.id}: ${module.title}`,
    ]);
  }
});

test('a MUST-level failure fails its test, with the requirement, the findings and the evidence', () => {
  const failed = results.filter((r) => r.status === 'failed').map((r) => r.title.split(':')[0]);
  // What a receiver built on jose's jwtVerify alone lets through, besides its own 202 body.
  expect(failed).toEqual([
    'receiver-accept-has-empty-body',
    'receiver-refuses-missing-jti',
    'receiver-refuses-missing-events',
    'receiver-refuses-events-empty',
    'receiver-refuses-events-not-object',
    'receiver-refuses-event-payload-invalid',
    'receiver-refuses-subject-not-object',
    'receiver-refuses-subject-missing-member',
    'receiver-refuses-subject-bad-email',
    'receiver-refuses-subject-bad-phone',
    'receiver-refuses-subject-bad-uri',
    'receiver-refuses-bad-base64url',
  ]);
  const message = byCheck('receiver-accept-has-empty-body').failureMessages.join('\n');
  expect(message).toContain('[RFC8935-2.2, MUST] A 202 answer to a pushed SET has an empty body.');
  expect(message).toContain('evidence: {"body":"accepted"}');
  expect(exitCode).toBe(1);
});

test('SHOULD-level findings and tolerated failures pass, reported as what they are', () => {
  for (const id of [
    'receiver-refuses-sub-present',
    'receiver-refuses-exp-present',
    'receiver-refuses-oversized',
  ]) {
    expect(byCheck(id).status).toBe('passed');
    expect(byCheck(id).meta.ssfLab).toMatchObject({ status: 'failed', level: 'warning' });
    expect(output).toContain(`⚠ [${byCheck(id).meta.ssfLab?.requirement}, SHOULD]`);
  }
  expect(byCheck('receiver-refuses-missing-iat').status).toBe('passed');
  expect(byCheck('receiver-refuses-missing-iat').meta.ssfLab).toMatchObject({ status: 'tolerated' });
  // "invalid_key" for a forged signature is one of the codes RFC 8935 §2.4's definitions fit.
  expect(byCheck('receiver-refuses-bad-signature').meta.ssfLab).toMatchObject({ status: 'passed' });
  expect(byCheck('receiver-accepts-valid-sets-with-202').meta.ssfLab).toMatchObject({
    status: 'passed',
    level: 'failure',
    requirement: 'RFC8935-2.2',
  });
  expect(results.find((r) => r.title.startsWith('every expected-failures ledger entry'))?.status).toBe(
    'passed',
  );
});

test('checks that did not apply are skipped', () => {
  const skipped = results.filter((r) => r.status === 'skipped').map((r) => r.title.split(':')[0]);
  expect(skipped.sort()).toEqual(
    [
      'receiver-refuses-several-events',
      'receiver-fetches-no-key-url-from-the-header',
      'receiver-refuses-wrong-state',
      'receiver-creates-its-stream',
      'receiver-accepts-unsolicited-verification',
      'receiver-requests-verification',
      'receiver-accepts-solicited-verification',
      'receiver-deletes-its-stream',
      'receiver-accepts-rs256-signed-sets',
      'receiver-accepts-ps256-signed-sets',
      'receiver-accepts-es256-signed-sets',
      'receiver-accepts-eddsa-signed-sets',
      'receiver-refuses-short-rsa-key',
      'receiver-accepts-a-rotated-key',
      'receiver-refuses-a-withdrawn-key',
      'receiver-refused-sets-changed-nothing',
    ].sort(),
  );
});
