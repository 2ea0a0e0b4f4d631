import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { packageDir, toolVersion } from './package.ts';

test("ssf-lab's own directory and version are found from the sources (and from dist/ the same way)", () => {
  const dir = packageDir();
  expect(dir).toBeDefined();
  const pkg = JSON.parse(readFileSync(join(dir as string, 'package.json'), 'utf8')) as { version: string };
  expect(toolVersion()).toBe(pkg.version);
  expect(existsSync(join(dir as string, 'scenarios'))).toBe(true);
});
