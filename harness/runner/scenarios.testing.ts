/**
 * Runs every scenario in scenarios/ under one transport and asserts that each passes — listing, when one
 * does not, every failed step and expectation with what differed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { LabTransport } from '../lab/index.ts';
import { loadScenario } from './load-scenario.ts';
import { runScenario } from './run-scenario.ts';

export const SCENARIOS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

export function seedScenarioFiles(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function testEveryScenario(transport: LabTransport): void {
  for (const file of seedScenarioFiles()) {
    test(`${file} passes (${transport})`, async () => {
      const record = await runScenario(await loadScenario(join(SCENARIOS_DIR, file)), { transport });
      const failed = [
        ...record.steps.filter((s) => !s.ok).map((s) => `step "${s.title}": ${s.error}`),
        ...record.expectations
          .filter((e) => !e.ok)
          .map((e) => `expectation "${e.title}": ${e.message} (actual ${JSON.stringify(e.actual)})`),
      ];
      expect(failed).toEqual([]);
      expect(record.passed).toBe(true);
      expect(record.expectations.length).toBeGreaterThan(0);
    });
  }
}
