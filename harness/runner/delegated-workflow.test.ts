/**
 * Scenario 08 (scenarios/08-delegated-workflow.yaml) follows the seed's "The entity risk policy
 * (ENTITY_RISK) evaluates and may act: TERMINATE_ALL_SESSIONS (session revocation + Universal Logout for
 * configured apps) or RUN_WORKFLOW" (reference/events.md §5.4). That it passes on both transports is
 * scenarios-in-process/-loopback.test.ts; here, that it can fail: with the rule's action changed to the
 * seed's logout, the flow is never run and the expectations about it say so.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadScenario } from './load-scenario.ts';
import { modulePassed, runScenarioModule } from './run-scenario.ts';
import type { Scenario, Step } from './scenario.ts';
import { SCENARIOS_DIR } from './scenarios.testing.ts';

/** The scenario's own file, with the rule's RUN_WORKFLOW action replaced, and only its first part run. */
async function withoutTheFlow(): Promise<Scenario> {
  const scenario = await loadScenario(join(SCENARIOS_DIR, '08-delegated-workflow.yaml'));
  // Up to the resolve; without the wait for HIGH, which the logout's risk reset may leave unseen.
  const firstPart = scenario.steps
    .slice(
      0,
      scenario.steps.findIndex((s) => 'resolve' in s),
    )
    .filter((s) => !('wait' in s && 'risk' in s.wait.until));
  let changed = 0;
  const steps = firstPart.map((step): Step => {
    if (!('call' in step) || !step.call.path.endsWith('/rules')) return step;
    changed += 1;
    const json = step.call.json as { actions: unknown };
    return {
      call: {
        ...step.call,
        json: { ...json, actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } } },
      },
    };
  });
  expect(changed).toBe(1);
  return {
    ...scenario,
    // A smaller fleet than the file's (the same seed still has a Mac with a user): the set-up is most of the time.
    setup: { ...scenario.setup, devices: 4 },
    steps,
    expect: scenario.expect.filter((e) => 'rule' in e || 'workflow' in e || 'logout' in e),
  };
}

test('the seed’s “may act … or RUN_WORKFLOW”: scenario 08 fails when the rule logs the user out instead of running the flow', async () => {
  const module = await runScenarioModule(await withoutTheFlow(), { target: { transport: 'in-process' } });
  expect(module.story?.steps.every((s) => s.ok)).toBe(true);
  expect(modulePassed(module)).toBe(false);
  const verdicts = module.checks.map((c) => [c.id, c.status, c.findings.map((f) => f.message).join('; ')]);
  expect(verdicts).toEqual([
    [
      'scenario-policy-rule-matched',
      'failed',
      'the last evaluation matched "High risk: Run delegated flow" with action TERMINATE_ALL_SESSIONS',
    ],
    [
      'scenario-delegated-flow',
      'failed',
      'the Workflows stand-in received 0 runs for mac, not 1; the System Log has workflows.user.delegatedflow.run with outcomes [], not ["SUCCESS","FAILURE"]',
    ],
    ['scenario-app-logouts', 'failed', expect.stringMatching(/^salesforce: full, not none; /)],
  ]);
}, 30_000);
