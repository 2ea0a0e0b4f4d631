/**
 * Consistency of the requirement and check registries: ids well formed and unique, every check citing a
 * requirement that exists, every requirement cited by something, levels derived from keywords.
 */
import { expect, test } from 'vitest';
import { CHECK_IDS, CHECKS, RETIRED_CHECK_IDS } from './checks.ts';
import { EVENT_TYPES } from './event-types.ts';
import {
  levelForKeyword,
  REQUIREMENT_SOURCES,
  REQUIREMENTS,
  RETIRED_REQUIREMENT_IDS,
  type RequirementId,
  SPECS,
} from './requirements.ts';
import { hasSchema } from './schemas/registry.ts';
import { PROFILE_NAMES, PROFILES } from './validator/profiles.ts';

const requirementIds = Object.keys(REQUIREMENTS) as RequirementId[];

/** Requirements the subject and Okta-subject rules cite directly from code. */
const CITED_BY_RULES: readonly RequirementId[] = [
  'RFC9493-3',
  'SSF-3.3',
  'SSF-3.5',
  'OKTA-SET-SUBJECT',
  'CAEP-2',
];

test('check ids are kebab-case sentences and none reuses a retired id', () => {
  for (const id of CHECK_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
  expect(CHECK_IDS.filter((id) => RETIRED_CHECK_IDS.includes(id))).toEqual([]);
});

test('requirement ids name their spec and section, and none reuses a retired id', () => {
  for (const id of requirementIds) {
    const r = REQUIREMENTS[id];
    expect(id.startsWith(`${r.spec}-`), id).toBe(true);
    expect(r.url.startsWith(SPECS[r.spec].url), id).toBe(true);
    // ssf-lab's own limits are documented in its README; everything else is a published spec.
    expect(r.url).toMatch(r.spec === 'LAB' ? /^README\.md#limits$/ : /^https:\/\//);
  }
  expect(requirementIds.filter((id) => RETIRED_REQUIREMENT_IDS.includes(id))).toEqual([]);
});

test('a finding level follows the BCP 14 keyword of its requirement', () => {
  expect(levelForKeyword('MUST')).toBe('failure');
  expect(levelForKeyword('MUST NOT')).toBe('failure');
  expect(levelForKeyword('REQUIRED')).toBe('failure');
  expect(levelForKeyword('SHALL')).toBe('failure');
  expect(levelForKeyword('SHOULD')).toBe('warning');
  expect(levelForKeyword('RECOMMENDED')).toBe('warning');
  expect(levelForKeyword('MAY')).toBe('info');
  for (const id of requirementIds)
    expect(REQUIREMENTS[id].level).toBe(levelForKeyword(REQUIREMENTS[id].keyword));
});

test('every check names a requirement that exists, or says where its requirement comes from', () => {
  for (const id of CHECK_IDS) {
    const check = CHECKS[id];
    if (check.requirement !== undefined)
      expect(Object.hasOwn(REQUIREMENTS, check.requirement), id).toBe(true);
    else expect(check.requirementFrom, id).toBeDefined();
    expect(check.title.endsWith('.'), id).toBe(true);
  }
});

test('every profile override cites an existing requirement for a check the profile runs', () => {
  for (const name of PROFILE_NAMES) {
    const profile = PROFILES[name];
    for (const [check, req] of Object.entries(profile.requirementFor)) {
      expect(profile.checks.has(check as never), `${name}: ${check}`).toBe(true);
      expect(Object.hasOwn(REQUIREMENTS, req), `${name}: ${req}`).toBe(true);
    }
  }
});

test('each requirement id is defined in exactly one source file', () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [source, data] of Object.entries(REQUIREMENT_SOURCES))
    for (const id of Object.keys(data)) {
      const first = seen.get(id);
      if (first) twice.push(`${id} (${first}, ${source})`);
      seen.set(id, source);
    }
  expect(twice).toEqual([]);
});

// The suites' requirements are checked for citations in suites/ (the protocol core cannot see the suites).
test('every validator requirement is cited by a check, a profile, an event type or a subject rule', () => {
  const coreIds = Object.keys(REQUIREMENT_SOURCES.core) as RequirementId[];
  const cited = new Set<string>(CITED_BY_RULES);
  for (const id of CHECK_IDS) if (CHECKS[id].requirement) cited.add(CHECKS[id].requirement as string);
  for (const name of PROFILE_NAMES)
    for (const req of Object.values(PROFILES[name].requirementFor)) cited.add(req);
  for (const e of EVENT_TYPES) {
    cited.add(e.requirement);
    if (e.okta) cited.add(e.okta.requirement);
    if (e.interopReasonAdmin) cited.add(e.interopReasonAdmin);
    if (e.identifierSubject) cited.add(e.identifierSubject);
  }
  expect(coreIds.filter((id) => !cited.has(id))).toEqual([]);
});

test('every catalogued event type has a registered payload schema, and Okta types their receiver shape', () => {
  expect(EVENT_TYPES).toHaveLength(8 + 14 + 2 + 3);
  for (const e of EVENT_TYPES) {
    expect(hasSchema(e.schemaId), e.schemaId).toBe(true);
    if (e.okta) expect(hasSchema(e.okta.schemaId), e.okta.schemaId).toBe(true);
  }
  expect(EVENT_TYPES.filter((e) => e.okta)).toHaveLength(6);
});
