/**
 * The requirement → checks table: validator and suite checks are listed against the requirement they
 * cite, uncited requirements are listed as uncovered, and the committed docs/requirements.md is the code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { REQUIREMENTS } from '../protocol/index.ts';
import { FAKE_ENTRIES } from './certify.fixtures.testing.ts';
import { renderRequirementsMarkdown, requirementCoverage } from './requirements-table.ts';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'requirements.md');

test('every requirement is listed once, with validator and suite checks that cite it', () => {
  const rows = requirementCoverage(FAKE_ENTRIES);
  expect(rows.map((r) => r.requirement.id)).toEqual(Object.keys(REQUIREMENTS));
  const typ = rows.find((r) => r.requirement.id === 'SSF-4.1.1');
  expect(typ?.validator).toContainEqual({
    check: 'header-typ-is-secevent-jwt',
    profiles: ['ssf', 'caep-interop'],
  });
  const set = rows.find((r) => r.requirement.id === 'RFC8417-2.2');
  expect(set?.suites).toEqual([
    { plan: 'fake-transmitter', module: 'stream-lifecycle', check: 'fake-create-answers-201' },
    { plan: 'fake-transmitter', module: 'harness-endpoint', check: 'fake-endpoint-answers' },
  ]);
  const text = renderRequirementsMarkdown(FAKE_ENTRIES);
  expect(text).toContain('fake-transmitter › stream-lifecycle › `fake-create-answers-201`');
  expect(text).toContain('## Uncovered');
});

test('a requirement nothing cites is listed as uncovered', () => {
  const rows = requirementCoverage([]);
  const uncovered = rows.filter((r) => r.validator.length === 0 && r.suites.length === 0);
  const text = renderRequirementsMarkdown([]);
  for (const r of uncovered) expect(text).toContain(`- [${r.requirement.id}](`);
});

test('docs/requirements.md is up to date (run `npm run docs` after changing checks, plans or requirements)', () => {
  expect(readFileSync(DOC, 'utf8'), 'docs/requirements.md drifted from the code: run `npm run docs`').toBe(
    renderRequirementsMarkdown(),
  );
});
