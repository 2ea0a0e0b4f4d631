/**
 * Every member the vendors' API descriptions mark `writeOnly` (../shared/vendor-specs: Okta's management
 * and OAuth descriptions, Jamf Pro 11.7.1) is either redacted by name or named here as no credential.
 * Skips, saying why, when the descriptions are not beside the project (a clean clone elsewhere).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { isSecretKey, redactJson } from './redact.ts';

const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/vendor-specs');
const FILES = {
  oktaManagement: join(SPECS, 'okta/management-minimal.yaml'),
  oktaOauth: join(SPECS, 'okta/oauth-minimal.yaml'),
  jamfPro: join(SPECS, 'jamf-pro/jamf-pro-11.7.1-openapi.json'),
};

/** writeOnly members that are no credential: a subject identifier sent to a revocation endpoint, a TTL. */
const NOT_SECRET = new Set(['id', 'format', 'iss', 'sub', 'ttl', 'multiUse']);
/** writeOnly members whose secret is their parent's (`password: { value }`): redacted with it. */
const SECRET_BY_PARENT = new Set(['value']);

/**
 * Property names with `writeOnly: true` in a YAML description: the flag's key one level up, when that key
 * sits under `properties:` (a whole schema marked writeOnly is no member name).
 */
function writeOnlyInYaml(text: string): Set<string> {
  const names = new Set<string>();
  const lines = text.split('\n');
  /** The nearest key above line `from` indented less than `indent`. */
  const keyAbove = (
    from: number,
    indent: number,
  ): { name: string; indent: number; line: number } | undefined => {
    for (let j = from - 1; j >= 0; j--) {
      const key = /^(\s*)([A-Za-z_][\w-]*):\s*$/.exec(lines[j] ?? '');
      if (key && (key[1]?.length ?? 0) < indent)
        return { name: key[2] ?? '', indent: key[1]?.length ?? 0, line: j };
    }
    return undefined;
  };
  lines.forEach((line, i) => {
    const flag = /^(\s*)writeOnly:\s*true\s*$/.exec(line);
    if (!flag) return;
    const member = keyAbove(i, flag[1]?.length ?? 0);
    if (member && keyAbove(member.line, member.indent)?.name === 'properties') names.add(member.name);
  });
  return names;
}

function writeOnlyInJson(document: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const properties = (node as { properties?: Record<string, { writeOnly?: boolean }> }).properties;
    if (properties && typeof properties === 'object')
      for (const [name, schema] of Object.entries(properties))
        if (schema?.writeOnly === true) names.add(name);
    for (const child of Object.values(node)) walk(child);
  };
  walk(document);
  return names;
}

test.skipIf(!Object.values(FILES).every((f) => existsSync(f)))(
  "every writeOnly member of the vendors' descriptions is redacted by name, or is no credential",
  () => {
    const names = new Set([
      ...writeOnlyInYaml(readFileSync(FILES.oktaManagement, 'utf8')),
      ...writeOnlyInYaml(readFileSync(FILES.oktaOauth, 'utf8')),
      ...writeOnlyInJson(JSON.parse(readFileSync(FILES.jamfPro, 'utf8'))),
    ]);
    // The descriptions hold writeOnly members (a scanner that found none would pass vacuously).
    expect(names.size).toBeGreaterThan(15);
    const unredacted = [...names].filter(
      (n) => !isSecretKey(n) && !NOT_SECRET.has(n) && !SECRET_BY_PARENT.has(n),
    );
    expect(unredacted).toEqual([]);
  },
);

test("a password credential's write-only value goes with its password", () => {
  const out = redactJson({
    credentials: { password: { value: 'Tr0ub4dor&3-horse' }, recovery_question: { answer: 'blue' } },
  });
  expect(JSON.stringify(out)).not.toContain('Tr0ub4dor');
  expect(JSON.stringify(out)).not.toContain('blue');
});
