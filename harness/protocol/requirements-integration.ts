/**
 * Requirements only the `integration` conformance plan cites (it also cites the OKTA-ITP-* ones in
 * requirements-okta.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const INTEGRATION_SUITE_REQUIREMENTS = {
  'OKTA-ITP-APP-LOGOUT': {
    spec: 'OKTA',
    section: 'Universal Logout',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      "Universal Logout takes effect in every app the acting rule selects: an app with full support ends the user's sessions and tokens; one with partial support revokes at least the refresh tokens, so a refresh grant fails.",
    quote:
      'These apps share an identity stack and only provide a partial Universal Logout. Universal Logout only revokes their refresh tokens.',
    why: 'Okta\'s published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile. A full app ends sessions and tokens ("terminate users\' sessions and their tokens for supported apps").',
  },
  'LAB-E2E-LATENCY': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      'A device threat at the transmitter ends in Universal Logout within the configured bound (30 s by default), measured from the request that raises the threat to the universal_logout event in the System Log.',
    why: 'No spec requires it: no document bounds the time from threat to logout; a lab rule → warning.',
  },
} as const satisfies Record<string, RequirementInput>;
