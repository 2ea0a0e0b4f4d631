/**
 * The generated check catalogue: complete, and the committed docs/checks.md matches the code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { checkCatalogue, renderCatalogueMarkdown } from './catalogue.ts';
import { CHECK_IDS } from './checks.ts';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'checks.md');

test('the catalogue lists every check with at least one requirement per profile that runs it', () => {
  const rows = checkCatalogue();
  expect(rows.map((r) => r.check)).toEqual([...CHECK_IDS]);
  for (const row of rows) {
    for (const entries of Object.values(row.profiles)) expect(entries?.length, row.check).toBeGreaterThan(0);
  }
});

test('the okta profile catalogue shows Okta requirement ids where Okta decides', () => {
  const typ = checkCatalogue('okta').find((r) => r.check === 'header-typ-is-secevent-jwt');
  expect(typ?.profiles.okta?.[0]?.requirement).toBe('OKTA-SET-HEADER');
  expect(checkCatalogue('okta').some((r) => r.check === 'claims-have-no-exp')).toBe(false);
});

test('docs/checks.md is up to date (run `npm run docs` after changing checks or requirements)', () => {
  expect(readFileSync(DOC, 'utf8')).toBe(renderCatalogueMarkdown());
});
