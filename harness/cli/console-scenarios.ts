/**
 * The scenarios the lab console's Runs page offers: every scenario of the package's scenarios/ directory
 * but the seed's configuration, which configures a lab ssf-lab starts itself — the console's lab is
 * configured already, as a served lab is (`ssf-lab run --target MANIFEST` runs the others against it).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../config/package.ts';
import type { ScenarioFile } from '../console/index.ts';

export const CONFIGURATION_SCENARIO = '01-seed-configuration.yaml';

export function consoleScenarios(): ScenarioFile[] {
  const root = packageDir();
  const dir = root === undefined ? undefined : join(root, 'scenarios');
  if (dir === undefined || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== CONFIGURATION_SCENARIO)
    .sort()
    .map((name) => ({ name, file: join(dir, name) }));
}
