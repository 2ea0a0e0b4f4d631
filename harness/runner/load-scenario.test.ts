/**
 * Scenario files that are broken fail with the file, line and column, the path inside the scenario and
 * what is wrong; the seed's scenarios all load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { checkScenario, loadScenario, parseScenario, ScenarioError } from './load-scenario.ts';
import { durationMs } from './scenario.ts';
import { SCENARIOS_DIR, seedScenarioFiles } from './scenarios.testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problem(text: string): string {
  try {
    parseScenario(text, 'scenarios/t.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
}

test('the seed scenarios load, each with an id from its file name', async () => {
  const files = seedScenarioFiles();
  expect(files).toHaveLength(8);
  for (const file of files) {
    const scenario = await loadScenario(join(SCENARIOS_DIR, file));
    expect(scenario.id).toBe(file.replace(/\.yaml$/, ''));
    expect(scenario.expect.length).toBeGreaterThan(0);
  }
});

test.each([
  [
    'name: x\nsteps:\n  - threat: { device: mac, categry: Malware }\nexpect: []\n',
    'scenarios/t.yaml:3:28: steps[0].threat.categry: unknown key "categry"',
  ],
  [
    'name: x\nsteps:\n  - threat: { device: mac }\nexpect: []\n',
    'scenarios/t.yaml:3:5: steps[0].threat: "category" is required',
  ],
  [
    'name: x\nsteps:\n  - thret: { device: mac }\nexpect: []\n',
    'scenarios/t.yaml:3:5: steps[0].thret: unknown step "thret"; it must be one of threat, resolve, override, down, up, wait, advance, call, configure, forge',
  ],
  [
    'name: x\nsteps:\n  - wait: { until: { logut: mac } }\nexpect: []\n',
    'scenarios/t.yaml:3:22: steps[0].wait.until.logut: unknown wait condition "logut"',
  ],
  [
    'name: x\nsteps:\n  - wait: { until: { logout: mac }, within: soon }\nexpect: []\n',
    'scenarios/t.yaml:3:37: steps[0].wait.within: must be a duration like 5s, 250ms or 2m',
  ],
  [
    'name: x\nsteps: []\nexpect:\n  - rule: { user: mac, matched: r, action: X }\n',
    'scenarios/t.yaml:4:36: expect[0].rule.action: must be one of "TERMINATE_ALL_SESSIONS", "RUN_WORKFLOW", "NULL"',
  ],
  [
    'name: x\nsteps: []\nexpect:\n  - sets: { to: okta, count: 1 }\n    logout: { user: mac }\n',
    'scenarios/t.yaml:4:5: expect[0]: must be an object with exactly one key (the kind)',
  ],
  [
    'name: x\nsteps: []\nexpect:\n  - workflow: { user: mac }\n',
    'scenarios/t.yaml:4:5: expect[0].workflow: needs "received" or "outcomes" as well',
  ],
  [
    'name: x\nsteps: []\nexpect:\n  - workflow: { user: mac, outcomes: [OK] }\n',
    'scenarios/t.yaml:4:39: expect[0].workflow.outcomes[0]: must be one of "SUCCESS", "FAILURE"',
  ],
  ['name: x\nsteps: []\n', 'scenarios/t.yaml:1:1: the scenario: "expect" is required'],
  [
    'name: x\nname: y\nsteps: []\nexpect: []\n',
    'scenarios/t.yaml:2:1: not valid YAML: Map keys must be unique',
  ],
  ['name: x\nsteps: [\n', 'scenarios/t.yaml:'],
  ['- just\n- a list\n', 'scenarios/t.yaml:1:1: the scenario: must be object'],
])('%#: a broken scenario says where and what', (text, message) => {
  expect(problem(text)).toContain(message);
});

test('a file that cannot be read, or is not a scenario, fails with the file named', async () => {
  await expect(loadScenario(join(dir, 'missing.yaml'))).rejects.toThrow(
    /missing\.yaml: cannot read it: ENOENT/,
  );
  const file = join(dir, 'empty.yaml');
  writeFileSync(file, '');
  await expect(loadScenario(file)).rejects.toThrow(/empty\.yaml: the scenario: must be object/);
});

test('scenarios written in TypeScript are checked the same way', () => {
  expect(() => checkScenario({ name: 'ts', steps: [{ advance: 'a while' }], expect: [] })).toThrow(
    'ts: steps[0].advance: must be a duration like 5s, 250ms or 2m',
  );
  expect(checkScenario({ name: 'ts', steps: [{ advance: '2m' }], expect: [] }).name).toBe('ts');
});

test('durations', () => {
  expect([
    durationMs('250ms'),
    durationMs('5s'),
    durationMs('2m'),
    durationMs(7),
    durationMs('soon'),
    durationMs(-1),
  ]).toEqual([250, 5000, 120_000, 7, undefined, undefined]);
});
