/**
 * Runs every scenario in scenarios/ under one transport and asserts that each passes — listing, when one
 * does not, every failed step and check with what differed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { LabTransport } from '../lab/index.ts';
import { loadScenario } from './load-scenario.ts';
import { modulePassed, runScenarioModule } from './run-scenario.ts';

export const SCENARIOS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

export function seedScenarioFiles(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function testEveryScenario(transport: LabTransport): void {
  for (const file of seedScenarioFiles()) {
    test(`${file} passes (${transport})`, async () => {
      const module = await runScenarioModule(await loadScenario(join(SCENARIOS_DIR, file)), {
        target: { transport },
      });
      const failed = [
        ...(module.story?.steps ?? []).filter((s) => !s.ok).map((s) => `step "${s.title}": ${s.error}`),
        ...module.checks
          .filter((c) => c.status !== 'passed')
          .map((c) => `${c.id} "${c.title}": ${c.status} ${JSON.stringify(c.findings)} ${c.reason ?? ''}`),
      ];
      expect(failed).toEqual([]);
      expect(modulePassed(module)).toBe(true);
      expect(module.checks.length).toBeGreaterThan(0);
    });
  }
}
