/**
 * The runner can fail, and says why: a scenario whose expectations are wrong fails each of its checks with
 * the difference in words; a step that cannot run stops the steps and is recorded; the module holds no
 * credential.
 */
import { expect, test } from 'vitest';
import { parseScenario } from './load-scenario.ts';
import {
  modulePassed,
  runScenarioModule as runScenario,
  runScenario as runScenarioRecord,
} from './run-scenario.ts';
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
  const module = await runScenario(scenario);
  expect(modulePassed(module)).toBe(false);
  expect(module.story?.steps.every((s) => s.ok)).toBe(true);
  const messages = module.checks.map((c) => [c.id, c.status, c.findings.map((f) => f.message).join('; ')]);
  expect(messages).toEqual([
    [
      'scenario-user-risk',
      'failed',
      'the risk is LOW, not HIGH; detections reported ["HIGH"], not ["MEDIUM"]',
    ],
    ['scenario-app-logouts', 'failed', 'google-workspace: full, not none; office365: partial, not full'],
    [
      'scenario-policy-rule-matched',
      'failed',
      expect.stringMatching(
        /^the last evaluation matched "High risk: Logout and Revoke Tokens" with action TERMINATE_ALL_SESSIONS$/,
      ),
    ],
    ['scenario-sets-accepted', 'failed', 'okta accepted 1 such SETs, not 2'],
    ['scenario-okta-sessions', 'failed', '0 Okta sessions are live, not 1'],
    [
      'scenario-system-log-chain',
      'failed',
      expect.stringMatching(
        /^the System Log has security\.events\.provider\.receive_event → user\.risk\.detect → /,
      ),
    ],
    [
      'scenario-flow-within-bound',
      'failed',
      expect.stringMatching(/^it took \d+ ms \(to the last logout call\)$/),
    ],
  ]);
  // Requirement ids and levels: the bound is a SHOULD (a warning), the rest MUSTs.
  expect(module.checks.map((c) => [c.requirement, c.level])).toEqual([
    ['OKTA-ITP-RISK', 'failure'],
    ['OKTA-ITP-APP-LOGOUT', 'failure'],
    ['OKTA-ITP-POLICY', 'failure'],
    ['OKTA-ITP-RECEIVE', 'failure'],
    ['OKTA-ITP-POLICY', 'failure'],
    ['OKTA-ITP-POLICY', 'failure'],
    ['LAB-E2E-LATENCY', 'warning'],
  ]);
  // The module carries the evidence, and no credential in any form.
  expect(module.exchanges.some((e) => e.set && e.to === 'okta')).toBe(true);
  expect(module.story?.systemLog.map((e) => e.eventType)).toContain('user.authentication.universal_logout');
  expect(module.story?.logouts.map((l) => l.app).sort()).toEqual([
    'google-workspace',
    'office365',
    'salesforce',
  ]);
  const text = JSON.stringify(module);
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
  expect(modulePassed(record)).toBe(false);
  expect(record.story?.steps).toHaveLength(1);
  expect(record.story?.steps[0]).toMatchObject({
    ok: false,
    error: 'NO-SUCH-SERIAL: no device has this UDID, serial number or id',
  });
  expect(record.error).toBe(
    'step 1 (Malware threat on NO-SUCH-SERIAL) failed: NO-SUCH-SERIAL: no device has this UDID, serial number or id',
  );
  // What held on the partial run cannot count as passed.
  expect(record.checks[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/a step/) });
});

test('a scenario object that does not fit the schema is refused before any lab starts', async () => {
  await expect(
    runScenarioRecord({ name: 'x', steps: [{ threat: { device: 'mac' } } as never], expect: [] }),
  ).rejects.toThrow('x: steps[0].threat: "category" is required');
});
