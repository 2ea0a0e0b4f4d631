/**
 * Requirements only the `okta` conformance checks cite (the shared SSF and RFC ones are in
 * requirements-ssf.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const OKTA_SUITE_REQUIREMENTS = {
  'LAB-REFUSED-NO-EFFECT': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      "A SET the receiver refused with 400 changes nothing it exposes: no receive_event in the System Log, no change to the user's risk.",
    why: 'No spec says it in so many words: RFC 8935 §2.2 accepts a SET (202) only once it has been validated, so acting on one answered 400 contradicts that answer, but no sentence forbids it; a lab rule → warning.',
  },
  'OKTA-SET-RESPONSE': {
    spec: 'OKTA',
    section: 'publishSecurityEventTokens',
    anchor: 'operation/publishSecurityEventTokens',
    keyword: 'MUST',
    summary:
      'A SET Okta accepts is answered 202 with no body; one it refuses, 400 with a JSON SecurityEventTokenError {"err", "description"} whose "err" is authentication_failed, invalid_audience, invalid_issuer, invalid_key or invalid_request.',
    quote:
      "publishSecurityEventTokens responses: '202': Accepted; '400': SecurityEventTokenError … err: enum: authentication_failed, invalid_audience, invalid_issuer, invalid_key, invalid_request",
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-SET-UNKNOWN-USER': {
    spec: 'OKTA',
    section: 'receiver guide',
    anchor: 'SecurityEventSubject',
    keyword: 'MUST',
    summary:
      'A valid SET whose subject is no sign-in email of the org is accepted (202) and dropped: nothing is logged and no risk changes.',
    quote: 'The System Log event is created when a SET is published to Okta successfully.',
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile. The drop of an unknown user's SET is from Okta's receiver guide; its exact sentence was not found, so the quote is the closest published one.",
  },
  'OKTA-SET-DUPLICATE': {
    spec: 'OKTA',
    section: 'receiver guide',
    anchor: 'SecurityEventTokenRequestJwtBody',
    keyword: 'MUST',
    summary:
      'A SET whose "jti" Okta has already received is ignored: no second receive_event, no second detection.',
    quote: 'After the token is verified, Okta ingests the event and performs any appropriate action.',
    why: 'Okta\'s published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile. That a repeated "jti" is ignored is from Okta\'s receiver guide; its exact sentence was not found, so the quote is the closest published one.',
  },
  'OKTA-ITP-RECEIVE': {
    spec: 'OKTA',
    section: 'System Log security.events.provider.receive_event',
    anchor: 'SecurityEventTokenRequestJwtEvents',
    keyword: 'MUST',
    summary:
      'An accepted event about a user of the org is logged as security.events.provider.receive_event, actor the provider, target the user.',
    quote: 'The System Log event is created when a SET is published to Okta successfully.',
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-ITP-RISK': {
    spec: 'OKTA',
    section: 'System Log user.risk.detect; User Risk API',
    anchor: 'OktaDeviceRiskChangeEvent',
    keyword: 'MUST',
    summary:
      'A provider\'s device-risk-change reporting "high" is a "Security Events Provider Reported Risk" detection: user.risk.detect with level HIGH, and the User Risk API shows HIGH until a policy action lowers it.',
    quote:
      'After Okta successfully receives the security events, you can access them from the System Log. These signals are reported as entity risk detection (user.risk.detect) events.',
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-ITP-POLICY': {
    spec: 'OKTA',
    section: 'ENTITY_RISK policy',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      "A risk change is evaluated by the ENTITY_RISK policy (policy.entity_risk.evaluate); a matching TERMINATE_ALL_SESSIONS rule acts (policy.entity_risk.action) and ends the user's Okta sessions (user.session.end), all under the signal's TraceId.",
    quote:
      'policy.entity_risk.action: appears when Okta evaluates the entity risk policy and invokes an action.',
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-ITP-LOGOUT': {
    spec: 'OKTA',
    section: 'Universal Logout',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      'When the acting rule selects apps for Universal Logout, user.authentication.universal_logout is logged once for the signal, after the sessions end.',
    quote:
      "Universal Logout lets you terminate users' sessions and their tokens for supported apps when Identity Threat Protection identifies a change in risk.",
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-ITP-SESSIONS-CLEARED': {
    spec: 'OKTA',
    section: 'ENTITY_RISK policy TERMINATE_ALL_SESSIONS',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      'A rule acting with TERMINATE_ALL_SESSIONS ends every Okta session the user holds, not only one: each is logged as user.session.end naming it (EndedSessionId), and the Sessions API no longer finds it.',
    quote: "This action revokes or terminates all of the user's active sessions.",
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
  'OKTA-ITP-RISK-RESET': {
    spec: 'OKTA',
    section: 'Universal Logout lowers the entity risk',
    anchor: 'EntityRiskPolicyRule',
    keyword: 'MUST',
    summary:
      "Once the policy's action has signed the user out of Okta (sessions ended, Universal Logout run), Okta takes the threat's risk off the user again — back to the level before the threat, or Low, the level Okta documents after Universal Logout — logs the change as user.risk.change under the signal's TraceId, and the User Risk API reads the lowered level.",
    quote:
      'Okta changes the entity risk level to Low when the entity risk policy or the Clear user sessions action triggers Universal Logout and terminates the Okta Identity Provider session.',
    why: "Okta's published contract (its API description uses no BCP 14 keywords); a SET outside it is one Okta refuses → failure under the okta profile.",
  },
} as const satisfies Record<string, RequirementInput>;
