/**
 * The committed route schemas (okta-api.generated.ts) are what the generator makes today from Okta's
 * descriptions in ../shared/vendor-specs/okta for the operations the mock serves: a route added or an
 * edited generator without `npm run vendor-schemas` fails here. Skips, saying why, when ../shared is absent
 * (a user's clone ships the generated module only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { OKTA_API_DOCUMENTS, OKTA_OPERATION_SCHEMAS } from './okta-api.generated.ts';
import { oktaSchemasModule } from './write-okta-schemas.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SPECS = resolve(HERE, '../../../../shared/vendor-specs/okta');
const PRESENT = ['management-minimal.yaml', 'oauth-minimal.yaml'].every((f) => existsSync(resolve(SPECS, f)));

test('the committed okta-api.generated.ts is what `npm run vendor-schemas` makes from Okta’s descriptions', async (ctx) => {
  if (!PRESENT)
    ctx.skip(
      `Okta's API descriptions are not at ${SPECS}: the generated module cannot be compared with them`,
    );
  const committed = readFileSync(resolve(HERE, 'okta-api.generated.ts'), 'utf8');
  expect(await oktaSchemasModule(SPECS)).toBe(committed);
}, 20_000);

test('the generated module keeps facts only: no prose, no vendor extensions, one $defs document per description', () => {
  // Schema keywords only: names inside `properties`, `$defs` and the operation map are members, not prose.
  const prose: string[] = [];
  const walk = (node: unknown, at: string, names: boolean): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${at}/${i}`, false);
    } else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) {
        if (!names && /^(description|example|examples|title|x-.*|discriminator|nullable)$/.test(key))
          prose.push(`${at}/${key}`);
        walk(value, `${at}/${key}`, !names && ['properties', '$defs', 'content'].includes(key));
      }
  };
  walk(OKTA_API_DOCUMENTS, '', false);
  walk(OKTA_OPERATION_SCHEMAS, '', true);
  expect(prose).toEqual([]);
  expect(OKTA_API_DOCUMENTS.map((d) => d.$id)).toEqual([
    'urn:ssf-lab:okta-management-api',
    'urn:ssf-lab:okta-oauth-api',
  ]);
  // Log* properties may be null (real Okta sends null where the description does not say nullable).
  const defs = (OKTA_API_DOCUMENTS[0]?.$defs ?? {}) as Record<
    string,
    { properties: Record<string, unknown> }
  >;
  const logEvent = defs.LogEvent;
  expect(logEvent?.properties.severity).toEqual({
    anyOf: [{ $ref: '#/$defs/LogSeverity' }, { type: 'null' }],
  });
});
