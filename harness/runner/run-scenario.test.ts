/**
 * The runner can fail, and says why: a scenario whose expectations are wrong fails with each difference in
 * words; a step that cannot run stops the steps and is recorded; the record holds no credential.
 */
import { expect, test } from 'vitest';
import { parseScenario } from './load-scenario.ts';
import { runScenario } from './run-scenario.ts';
import { defineScenario } from './scenario.ts';

test('wrong expectations fail, each with what differed; the record is complete and holds no credential', async () => {
  const scenario = parseScenario(
    `
name: wrong on purpose
setup: { seed: 7, devices: 4 }
steps:
  - threat: { device: mac, category: Malware }
  - wait: { until: { logout: mac }, within: 10s }
expect:
  - userRisk: { user: mac, level: HIGH, detected: [MEDIUM] }
  - logout: { user: mac, salesforce: full, google-workspace: none, office365: full }
  - rule: { user: mac, matched: catch-all }
  - sets: { to: okta, count: 2 }
  - oktaSessions: { user: mac, count: 1 }
  - systemLog: { user: mac, sequence: [user.risk.detect] }
  - within: { ms: 0.001 }
`,
    'wrong.yaml',
  );
  const record = await runScenario(scenario);
  expect(record.passed).toBe(false);
  expect(record.steps.every((s) => s.ok)).toBe(true);
  const messages = record.expectations.map((e) => [e.ok, e.message]);
  expect(messages).toEqual([
    [false, 'the risk is LOW, not HIGH; detections reported ["HIGH"], not ["MEDIUM"]'],
    [false, 'google-workspace: full, not none; office365: partial, not full'],
    [
      false,
      expect.stringMatching(
        /^the last evaluation matched "High risk: Logout and Revoke Tokens" with action TERMINATE_ALL_SESSIONS$/,
      ),
    ],
    [false, 'okta accepted 1 such SETs, not 2'],
    [false, '0 Okta sessions are live, not 1'],
    [
      false,
      expect.stringMatching(
        /^the System Log has security\.events\.provider\.receive_event → user\.risk\.detect → /,
      ),
    ],
    [false, expect.stringMatching(/^it took \d+ ms$/)],
  ]);
  // The record carries the evidence, and no credential in any form.
  expect(record.timeline.some((e) => e.set && e.to === 'okta')).toBe(true);
  expect(record.systemLog.map((e) => e.eventType)).toContain('user.authentication.universal_logout');
  expect(record.logouts.map((l) => l.app).sort()).toEqual(['google-workspace', 'office365', 'salesforce']);
  const text = JSON.stringify(record);
  expect(text).not.toMatch(/(SSWS|Bearer|Basic) (?!\[redacted\])/);
  expect(text).not.toMatch(/"(access_token|refresh_token|id_token|client_secret|token)":"(?!\[redacted\])/);
  expect(text).not.toMatch(/client_secret=(?!%5Bredacted%5D)/);
});

test('a step that cannot run is recorded with its reason, and the steps after it do not run', async () => {
  const record = await runScenario(
    defineScenario({
      name: 'unknown device',
      setup: { seed: 7, devices: 3 },
      steps: [{ threat: { device: 'NO-SUCH-SERIAL', category: 'Malware' } }, { advance: '1s' }],
      expect: [{ sets: { to: 'okta', count: 0 } }],
    }),
  );
  expect(record.passed).toBe(false);
  expect(record.steps).toHaveLength(1);
  expect(record.steps[0]).toMatchObject({
    ok: false,
    error: 'NO-SUCH-SERIAL: no device has this UDID, serial number or id',
  });
  expect(record.expectations[0]?.ok).toBe(true);
});

test('a scenario object that does not fit the schema is refused before any lab starts', async () => {
  await expect(
    runScenario({ name: 'x', steps: [{ threat: { device: 'mac' } } as never], expect: [] }),
  ).rejects.toThrow('x: steps[0].threat: "category" is required');
});
