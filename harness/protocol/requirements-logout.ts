/**
 * Requirements only the `events` and `universal-logout` conformance plans cite (the shared SSF, RFC and
 * GTR ones — GTR-3, GTR-3-AUTH, GTR-3-ERRORS — are in requirements-ssf.ts). Merged into the one registry
 * in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const LOGOUT_SUITE_REQUIREMENTS = {
  // The `events` plan judges SETs captured from a real transmitter with the validator, whose findings each
  // name their own requirement. A suite check cites one requirement, so these three gather the validator's
  // findings by level — the finding's message keeps the specific requirement id — and a SHOULD-level
  // deviation stays a warning instead of being promoted to a failure.
  'SSF-4-PROFILE-MUST': {
    spec: 'SSF',
    section: '4',
    keyword: 'MUST',
    summary:
      'A SET meets every MUST-level requirement of the profile it is judged under (SSF 1.0 strict, the CAEP interoperability profile, or Okta’s receiver contract).',
    quote:
      'The Shared Signals Framework profiles the Security Event Token (SET) [RFC8417] specification by defining certain properties of SETs as described in this section.',
    why: 'An aggregate: each finding names its own requirement and keyword; this one gathers the MUST-level ones → failure.',
  },
  'SSF-4-PROFILE-SHOULD': {
    spec: 'SSF',
    section: '4',
    keyword: 'SHOULD',
    summary: 'A SET meets every SHOULD-level requirement of the profile it is judged under.',
    quote:
      'The Shared Signals Framework profiles the Security Event Token (SET) [RFC8417] specification by defining certain properties of SETs as described in this section.',
    why: 'An aggregate: each finding names its own requirement and keyword; this one gathers the SHOULD-level ones → warning.',
  },
  'SSF-4-PROFILE-MAY': {
    spec: 'SSF',
    section: '4',
    keyword: 'MAY',
    summary:
      'Optional behaviours of a SET (proprietary subject formats, event types outside the catalogue) are reported for information.',
    quote:
      'The Shared Signals Framework profiles the Security Event Token (SET) [RFC8417] specification by defining certain properties of SETs as described in this section.',
    why: 'An aggregate: each finding names its own requirement and keyword; this one gathers the MAY-level ones → info.',
  },
} as const satisfies Record<string, RequirementInput>;
