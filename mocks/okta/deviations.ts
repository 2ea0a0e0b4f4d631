/**
 * Mock Okta's deviations (harness/kernel/deviations.ts): each breaks one rule the `ssf-receiver`,
 * `okta-receiver` or `integration` plan grades, so docs/self-test.md can show those plans' checks failing
 * against an Okta that really misbehaves. Off unless the lab switches one on; the org asks
 * `org.deviations.on(name)` at the point where it would otherwise follow the rule, and the code there names
 * the requirement broken. Each is a mistake a real receiver or ITP implementation could make.
 */
import type { DeviationCatalogue, DeviationSwitch } from '../../harness/kernel/index.ts';

export const OKTA_DEVIATIONS = {
  // How the SET receiver answers (RFC 8935 §2.2–2.4; Okta's publishSecurityEventTokens).
  'okta-answers-200': 'answers an accepted SET with 200 OK instead of 202 Accepted',
  'okta-202-with-body': 'answers an accepted SET with 202 and a JSON body instead of an empty one',
  'okta-error-as-text-plain':
    'labels its 400 answers "Content-Type: text/plain" (the body is still the JSON error object)',
  'okta-error-without-content-language': 'sends its 400 answers without a Content-Language header',
  'okta-refuses-redelivered-set':
    'refuses a SET whose jti it already accepted with 400 invalid_request instead of answering 202 again',
  'okta-refuses-unknown-user':
    'refuses a valid SET about no user of the org with 400 invalid_request instead of accepting and dropping it',
  // What the SET receiver validates (RFC 8935 §2, RFC 8417, RFC 7515; Okta's SET contract).
  'okta-expects-admin-audience':
    'expects "aud" to be the org\'s admin URL (<org>-admin) instead of the org URL, so it refuses every SET',
  'okta-skips-signature-check': 'accepts a SET whose signature does not verify',
  'okta-accepts-unknown-kid': "accepts, unverified, a SET whose kid the provider's JWKS does not hold",
  'okta-ignores-issuer':
    'judges a SET whose "iss" names no provider against the newest active provider, whatever issuer it names',
  'okta-accepts-wrong-audience': 'accepts a SET whose "aud" is not the org URL',
  'okta-accepts-missing-typ': 'accepts a SET whose header has no "typ"',
  'okta-accepts-jwt-typ': 'accepts a SET typed "JWT" instead of "secevent+jwt"',
  'okta-accepts-alg-none': 'accepts an unsigned SET ("alg": "none")',
  'okta-accepts-oversized': 'accepts a SET larger than the 64 KiB a SET may be',
  'okta-accepts-other-event-types': 'accepts SETs of event types outside its six (and logs them as received)',
  'okta-accepts-missing-kid': 'accepts a SET whose header has no "kid", trying every key of the JWKS',
  'okta-accepts-audience-array':
    'accepts an "aud" array holding the org URL instead of the org URL as one string',
  'okta-skips-claim-checks':
    'accepts a SET missing "iss", "aud", "iat", "jti" or "events", or whose "iat" is no number or whose "events" is no non-empty object',
  'okta-skips-event-payload-checks':
    "accepts a SET whose event payload breaks its event type's schema (a mistyped member, a malformed subject)",
  'okta-lenient-header':
    'accepts a SET whose header has a non-string "kid" or a "crit" extension it does not know',
  'okta-keeps-first-duplicate-member':
    'reads a header parameter or claim given twice by its first occurrence instead of refusing the SET',
  'okta-accepts-unparseable':
    'answers 202 to a body it cannot read as one SET (not a compact JWS, not base64url, not JSON) and drops it',
  'okta-ignores-content-type': 'reads any request body as a SET, whatever its Content-Type',
  'okta-answers-one-error-code':
    'names "invalid_request" in every refusal, whatever the fault (a bad signature, an unknown key, a wrong audience)',
  // What Identity Threat Protection does with an accepted SET (Okta's ITP event reference, the seed's policy).
  'okta-acts-on-refused-sets':
    'refuses a SET with 400 but processes its events all the same: logs receive_event and takes its risk',
  'okta-logs-no-receive-event':
    'processes an accepted SET without logging security.events.provider.receive_event',
  'okta-processes-redelivered-set': 'processes a SET again when the same jti is pushed a second time',
  'okta-reads-high-as-medium': 'records a provider\'s "high" risk report as MEDIUM entity risk',
  'okta-logs-no-policy-evaluation': 'runs the Entity Risk Policy without logging policy.entity_risk.evaluate',
  'okta-keeps-okta-sessions':
    "runs the policy's TERMINATE_ALL_SESSIONS action without ending the user's Okta sessions",
  'okta-logs-out-before-ending-sessions':
    "calls the apps for Universal Logout before it ends the user's Okta sessions",
  'okta-logs-no-universal-logout':
    'calls the apps for Universal Logout without logging user.authentication.universal_logout',
  'okta-delays-universal-logout': 'waits 6 seconds before it calls the apps for Universal Logout',
  'okta-keeps-risk-after-action':
    "leaves the user's risk at HIGH after the policy acted (no reset, no user.risk.change)",
} as const satisfies DeviationCatalogue;

export type OktaDeviation = keyof typeof OKTA_DEVIATIONS;

/** How long `okta-delays-universal-logout` waits: over the integration plan's 5 s bound in the lab. */
export const UNIVERSAL_LOGOUT_DELAY_MS = 6_000;

/**
 * `okta-expects-admin-audience`: the admin console's URL, `https://acme-admin.okta.lab` for
 * `https://acme.okta.lab` — built as text (on loopback the host is an address, which has no admin host; the
 * receiver only compares it).
 */
export function adminUrlOf(orgUrl: string): string {
  const { protocol, hostname, port } = new URL(orgUrl);
  const dot = hostname.indexOf('.');
  const admin = dot < 0 ? `${hostname}-admin` : `${hostname.slice(0, dot)}-admin${hostname.slice(dot)}`;
  return `${protocol}//${admin}${port === '' ? '' : `:${port}`}`;
}

/** Whether `name` is on for the org: typed, so a misspelt name is a compile error, never a silent no. */
export function deviates(org: { readonly deviations: DeviationSwitch }, name: OktaDeviation): boolean {
  return org.deviations.on(name);
}
