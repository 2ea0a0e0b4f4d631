/**
 * Requirements only the `okta` conformance checks cite (the shared SSF and RFC ones are in
 * requirements-ssf.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const OKTA_SUITE_REQUIREMENTS = {
  'OKTA-SET-RESPONSE': {
    spec: 'OKTA',
    section: 'publishSecurityEventTokens',
    anchor: 'operation/publishSecurityEventTokens',
    keyword: 'MUST',
    summary:
      'A SET Okta accepts is answered 202 with no body; one it refuses, 400 with a JSON SecurityEventTokenError {"err", "description"} whose "err" is authentication_failed, invalid_audience, invalid_issuer, invalid_key or invalid_request.',
  },
  'OKTA-SET-UNKNOWN-USER': {
    spec: 'OKTA',
    section: 'receiver guide',
    anchor: 'SecurityEventSubject',
    keyword: 'MUST',
    summary:
      'A valid SET whose subject is no sign-in email of the org is accepted (202) and dropped: nothing is logged and no risk changes.',
  },
  'OKTA-SET-DUPLICATE': {
    spec: 'OKTA',
    section: 'receiver guide',
    anchor: 'SecurityEventTokenRequestJwtBody',
    keyword: 'MUST',
    summary:
      'A SET whose "jti" Okta has already received is ignored: no second receive_event, no second detection.',
  },
  'OKTA-ITP-RECEIVE': {
    spec: 'OKTA',
    section: 'System Log security.events.provider.receive_event',
    anchor: 'SecurityEventTokenRequestJwtEvents',
    keyword: 'MUST',
    summary:
      'An accepted event about a user of the org is logged as security.events.provider.receive_event, actor the provider, target the user.',
  },
  'OKTA-ITP-RISK': {
    spec: 'OKTA',
    section: 'System Log user.risk.detect; User Risk API',
    anchor: 'OktaDeviceRiskChangeEvent',
    keyword: 'MUST',
    summary:
      'A provider\'s device-risk-change reporting "high" is a "Security Events Provider Reported Risk" detection: user.risk.detect with level HIGH, and the User Risk API shows HIGH until a policy action lowers it.',
  },
  'OKTA-ITP-POLICY': {
    spec: 'OKTA',
    section: 'ENTITY_RISK policy',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      "A risk change is evaluated by the ENTITY_RISK policy (policy.entity_risk.evaluate); a matching TERMINATE_ALL_SESSIONS rule acts (policy.entity_risk.action) and ends the user's Okta sessions (user.session.end), all under the signal's TraceId.",
  },
  'OKTA-ITP-LOGOUT': {
    spec: 'OKTA',
    section: 'Universal Logout',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      'When the acting rule selects apps for Universal Logout, user.authentication.universal_logout is logged once for the signal, after the sessions end.',
  },
  'OKTA-ITP-SESSIONS-CLEARED': {
    spec: 'OKTA',
    section: 'ENTITY_RISK policy TERMINATE_ALL_SESSIONS',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      'A rule acting with TERMINATE_ALL_SESSIONS ends every Okta session the user holds, not only one: each is logged as user.session.end naming it (EndedSessionId), and the Sessions API no longer finds it.',
  },
  'OKTA-ITP-RISK-RESET': {
    spec: 'OKTA',
    section: 'Universal Logout lowers the entity risk',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      "Once the policy's action has signed the user out of Okta (sessions ended, Universal Logout run), Okta takes the threat's risk off the user again — back to the level before the threat, or Low, the level Okta documents after Universal Logout — logs the change as user.risk.change under the signal's TraceId, and the User Risk API reads the lowered level.",
  },
} as const satisfies Record<string, RequirementInput>;
