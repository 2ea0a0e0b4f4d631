/**
 * The `integration` plan against the lab in-process: the seed's flow holds end to end and its checks
 * really pass. Then proof they can fail: Office 365 expected to log out fully (it revokes refresh tokens
 * only, so its session lives on), and a trigger that raises nothing (every chain check fails at once).
 */
import { expect, test } from 'vitest';
import { type CertificationRecord, type CheckResult, checksOf } from '../records/index.ts';
import { certifyLab, type PlanEntry } from './engine.ts';
import { integrationEntry, integrationLabOptions } from './lab-targets/integration.ts';

function failing(record: CertificationRecord): string {
  return checksOf(record)
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map((c) => `${c.id}: ${c.status} ${c.reason ?? ''} ${c.findings.map((f) => f.message).join(' | ')}`)
    .join('\n');
}

const statuses = (record: CertificationRecord): [string, CheckResult['status']][] =>
  checksOf(record).map((c) => [c.id, c.status]);

test('a threat on a Mac in the lab ends in Universal Logout from every app', async () => {
  const record = await certifyLab([integrationEntry], { transport: 'in-process' });
  expect(failing(record), failing(record)).toBe('');
  expect(record.passed).toBe(true);
  expect(statuses(record)).toEqual([
    ['integration-set-reaches-okta', 'passed'],
    ['integration-risk-detected-high', 'passed'],
    ['integration-policy-terminates-sessions', 'passed'],
    ['integration-okta-sessions-end', 'passed'],
    ['integration-okta-sessions-all-cleared', 'passed'],
    ['integration-universal-logout-fires', 'passed'],
    ['integration-apps-show-logout', 'passed'],
    ['integration-risk-change-logged', 'passed'],
    ['integration-user-risk-reset', 'passed'],
    ['integration-chain-in-order-under-one-trace', 'passed'],
    ['integration-logout-within-bound', 'passed'],
  ]);
  const module = record.plans[0]?.modules[0];
  expect(module?.cleanup).toEqual([
    { what: expect.stringMatching(/^resolve the threat \(DELETE /), ok: true },
  ]);
  // The apps' session cookies and refresh tokens are not in the record.
  expect(JSON.stringify(record)).not.toMatch(/rt_[A-Za-z0-9_-]{8,}/);
});

test("Office 365 expected to log out fully fails: partial support leaves the user's session alive", async () => {
  const entry: PlanEntry = {
    plan: integrationEntry.plan,
    lab: (lab, manifest) =>
      integrationLabOptions(lab, manifest, { expect: { 'Microsoft Office 365': 'full' } }),
  };
  const record = await certifyLab([entry], { transport: 'in-process' });
  const apps = checksOf(record).find((c) => c.id === 'integration-apps-show-logout');
  expect(apps?.status).toBe('failed');
  expect(apps?.findings.map((f) => f.message)).toEqual([
    expect.stringMatching(/^Microsoft Office 365: the user's session still works after Universal Logout/),
  ]);
  // The rest of the chain still holds.
  expect(failing(record).split('\n')).toHaveLength(1);
});

test('a trigger that raises nothing fails the chain checks within waitMs', async () => {
  const entry: PlanEntry = {
    plan: integrationEntry.plan,
    lab: async (lab, manifest) => {
      const { resolve: _resolve, ...options } = await integrationLabOptions(lab, manifest);
      return {
        ...options,
        // Answers 200 and changes nothing.
        trigger: { method: 'GET', url: `${manifest.jamfSecurityCloud.url}/_lab/state` },
        waitMs: 300,
      };
    },
  };
  const started = performance.now();
  const record = await certifyLab([entry], { transport: 'in-process' });
  expect(performance.now() - started).toBeLessThan(10_000);
  expect(statuses(record)).toEqual([
    ['integration-set-reaches-okta', 'failed'],
    ['integration-risk-detected-high', 'skipped'],
    ['integration-policy-terminates-sessions', 'skipped'],
    ['integration-okta-sessions-end', 'skipped'],
    ['integration-okta-sessions-all-cleared', 'skipped'],
    ['integration-universal-logout-fires', 'skipped'],
    ['integration-apps-show-logout', 'failed'],
    ['integration-risk-change-logged', 'skipped'],
    ['integration-user-risk-reset', 'skipped'],
    ['integration-chain-in-order-under-one-trace', 'skipped'],
    ['integration-logout-within-bound', 'skipped'],
  ]);
  expect(record.passed).toBe(false);
});
