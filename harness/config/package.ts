/**
 * ssf-lab's own package: where it is installed and its version. The sources sit one directory level
 * higher than their compiled copies in dist/, so both walk up from this module to the package.json
 * named "ssf-lab".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { dir: string; version: string } | null | undefined;

function find(): { dir: string; version: string } | null {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'ssf-lab') {
          cached = { dir, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
          return cached;
        }
      } catch {
        // Not ours, or unreadable: keep walking up.
      }
    }
    dir = dirname(dir);
  }
  cached = null;
  return cached;
}

/** The version in ssf-lab's package.json ('unknown' if it cannot be found). */
export function toolVersion(): string {
  return find()?.version ?? 'unknown';
}

/** The directory holding ssf-lab's package.json, or undefined if it cannot be found. */
export function packageDir(): string | undefined {
  return find()?.dir;
}
