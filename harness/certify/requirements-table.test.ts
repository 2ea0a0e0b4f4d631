/**
 * The requirement review: every requirement quotes the sentence it rests on (unless it is one of the
 * lab's own rules) and says why its level is what it is; docs/requirements.md shows quote, level, why
 * and citing checks per requirement, and a check index leads from any check id to the same; uncited
 * requirements are listed as uncovered; and the committed file is the code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { checkCatalogue, REQUIREMENTS, RETIRED_REQUIREMENT_IDS } from '../protocol/index.ts';
import { FAKE_ENTRIES } from './certify.fixtures.testing.ts';
import {
  headingAnchor,
  levelLabel,
  renderRequirementsMarkdown,
  requirementCoverage,
} from './requirements-table.ts';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'requirements.md');
const ALL = Object.values(REQUIREMENTS);

/** How the table writes a quote or a why on one line (no line breaks, "<" escaped). */
const shown = (s: string): string => s.replace(/\s*\n\s*/g, ' ').replaceAll('<', '&lt;');

test('every requirement but the lab’s own quotes the sentence it rests on, briefly', () => {
  const missing = ALL.filter(
    (r) => r.spec !== 'LAB' && !(typeof r.quote === 'string' && r.quote.trim() !== ''),
  );
  expect(missing.map((r) => r.id)).toEqual([]);
  // "Brief": one sentence or the key clause, not a page (a little over 220 characters at most).
  const long = ALL.filter((r) => (r.quote?.length ?? 0) > 260);
  expect(long.map((r) => r.id)).toEqual([]);
  // The lab's rules quote nothing, and their why says no spec requires them.
  const lab = ALL.filter((r) => r.spec === 'LAB');
  expect(lab.length).toBeGreaterThan(0);
  for (const r of lab) {
    expect(r.quote, r.id).toBeUndefined();
    expect(r.why, r.id).toMatch(/^No spec/i);
  }
});

test('every requirement says why its level is what it is', () => {
  const missing = ALL.filter((r) => typeof r.why !== 'string' || r.why.trim() === '');
  expect(missing.map((r) => r.id)).toEqual([]);
});

test('a lab rule is at most a warning unless its why says why it must stop a SET', () => {
  // Where no spec requires something the check is at most a warning (issue 13). Two exceptions: the size
  // and depth limits (past them the lab does not read the SET, and an unread SET must not pass), and the
  // load objectives — each one the user's own target file sets, so a run that misses it fails.
  const strict = ALL.filter((r) => r.spec === 'LAB' && r.level === 'failure').map((r) => r.id);
  expect(strict.sort()).toEqual([
    'LAB-DEPTH',
    'LAB-LOAD-EFFECT',
    'LAB-LOAD-SLO-LATENCY',
    'LAB-LOAD-SLO-THROUGHPUT',
    'LAB-SIZE',
  ]);
});

test('retired ids stay retired', () => {
  for (const id of RETIRED_REQUIREMENT_IDS) expect(Object.hasOwn(REQUIREMENTS, id), id).toBe(false);
  expect(ALL.some((r) => (r.spec as string) === 'OIDF-CS')).toBe(false);
});

test('every requirement is listed once, with validator and suite checks that cite it', () => {
  const rows = requirementCoverage(FAKE_ENTRIES);
  expect(rows.map((r) => r.requirement.id)).toEqual(Object.keys(REQUIREMENTS));
  const aud = rows.find((r) => r.requirement.id === 'RFC8417-2.2-aud');
  expect(aud?.validator).toContainEqual({ check: 'claims-have-aud', profiles: ['ssf', 'caep-interop'] });
  const set = rows.find((r) => r.requirement.id === 'RFC8417-2.2');
  expect(set?.suites).toEqual([
    { plan: 'fake-transmitter', module: 'stream-lifecycle', check: 'fake-create-answers-201' },
    { plan: 'fake-transmitter', module: 'harness-endpoint', check: 'fake-endpoint-answers' },
  ]);
  const text = renderRequirementsMarkdown(FAKE_ENTRIES);
  expect(text).toContain('fake-transmitter › stream-lifecycle › `fake-create-answers-201`');
  expect(text).toContain('## Uncovered');
});

test('the table shows each requirement’s quote, keyword, level and why', () => {
  const text = renderRequirementsMarkdown(FAKE_ENTRIES);
  for (const r of ALL) {
    const section = text.slice(
      text.indexOf(`\n### ${r.id}\n`),
      text.indexOf('\n### ', text.indexOf(`\n### ${r.id}\n`) + 1),
    );
    expect(section, r.id).toContain(`**${levelLabel(r)}**`);
    expect(section, r.id).toContain(shown(r.why));
    if (r.quote !== undefined) expect(section, r.id).toContain(`> ${shown(r.quote)}`);
    else expect(section, r.id).toContain('> _No spec sentence');
  }
  expect(levelLabel(REQUIREMENTS['SSF-4.1.9'])).toBe('SHOULD → warning');
  expect(levelLabel(REQUIREMENTS['SSF-4.1.7'])).toBe('MUST NOT → failure');
});

test('the check index leads from every check id to its requirement, level, quote and why', () => {
  const text = renderRequirementsMarkdown(FAKE_ENTRIES);
  const index = text.slice(text.indexOf('## Check index'));
  const anchors = new Set(ALL.map((r) => headingAnchor(r.id)));
  expect(anchors.size, 'two requirement ids share a heading anchor').toBe(ALL.length);
  for (const row of checkCatalogue())
    for (const cited of Object.values(row.profiles))
      for (const { requirement } of cited ?? []) {
        const r = REQUIREMENTS[requirement as keyof typeof REQUIREMENTS];
        const line = index
          .split('\n')
          .find(
            (l) => l.startsWith(`| \`${row.check}\` |`) && l.includes(`[${r.id}](#${headingAnchor(r.id)})`),
          );
        expect(line, `${row.check} → ${r.id}`).toBeDefined();
        expect(line).toContain(levelLabel(r));
      }
  const suiteLine = index.split('\n').find((l) => l.startsWith('| `fake-create-answers-201` |'));
  expect(suiteLine).toContain('fake-transmitter › stream-lifecycle');
  expect(suiteLine).toContain(`[RFC8417-2.2](#${headingAnchor('RFC8417-2.2')})`);
  expect(suiteLine).toContain('“"iss" (Issuer) Claim');
});

test('a requirement nothing cites is listed as uncovered', () => {
  const rows = requirementCoverage([]);
  const uncovered = rows.filter((r) => r.validator.length === 0 && r.suites.length === 0);
  expect(uncovered.length).toBeGreaterThan(0);
  const text = renderRequirementsMarkdown([]);
  for (const r of uncovered)
    expect(text).toContain(`- [${r.requirement.id}](#${headingAnchor(r.requirement.id)})`);
});

test('docs/requirements.md is up to date (run `npm run docs` after changing checks, plans or requirements)', () => {
  expect(readFileSync(DOC, 'utf8'), 'docs/requirements.md drifted from the code: run `npm run docs`').toBe(
    renderRequirementsMarkdown(),
  );
});
