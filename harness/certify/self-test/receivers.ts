/**
 * Self-test rows for the receiver plans. `ssf-receiver` grades two lab receivers: by default the lab's
 * strict SSF receiver (RECEIVER_DEVIATIONS), and with `--lab-target okta` mock Okta's SET receiver under
 * Okta's contract, Okta told to break one rule at a time (OKTA_DEVIATIONS); `okta-receiver` grades Okta's
 * SET contract and Identity Threat Protection. A deviation that breaks a rule both plans grade has a row
 * in each.
 */
import type { SelfTestRow } from './matrix.ts';

/** Mock Okta's SET receiver graded by the ssf-receiver plan (`--lab-target okta`). */
function ssfReceiver(deviation: string, module: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'ssf-receiver', modules: [module], fails, target: 'okta' };
}

/** One invalid-SET battery case let through: the validation step that refuses it is switched off. */
function battery(deviation: string, ...fails: string[]): SelfTestRow {
  return ssfReceiver(deviation, 'invalid-sets', ...fails);
}

/** The lab's strict SSF receiver graded by the ssf-receiver plan (its default lab target). */
function strict(deviation: string, module: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'ssf-receiver', modules: [module], fails };
}

function contract(deviation: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'okta-receiver', modules: ['okta-set-contract'], fails };
}

function outcomes(deviation: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'okta-receiver', modules: ['okta-itp-outcomes'], fails };
}

export const SSF_RECEIVER_SELF_TEST: readonly SelfTestRow[] = [
  ssfReceiver('okta-answers-200', 'valid-sets', 'receiver-accepts-valid-sets-with-202'),
  ssfReceiver('okta-202-with-body', 'valid-sets', 'receiver-accept-has-empty-body'),
  ssfReceiver('okta-refuses-redelivered-set', 'redelivery', 'receiver-accepts-redelivered-set'),
  battery('okta-expects-admin-audience', 'receiver-accepts-the-battery-baseline'),
  // Without the signature check, every SET whose only fault is its signature gets through.
  battery(
    'okta-skips-signature-check',
    'receiver-refuses-bad-signature',
    'receiver-refuses-tampered-payload',
    'receiver-refuses-signature-stripped',
    'receiver-refuses-alg-hs256-public-key',
  ),
  // A key the JWKS does not hold, however the SET names or carries it, is taken unverified.
  battery(
    'okta-accepts-unknown-kid',
    'receiver-refuses-unknown-kid',
    'receiver-refuses-alg-mismatch',
    'receiver-refuses-jku-elsewhere',
    'receiver-refuses-x5u-elsewhere',
    'receiver-refuses-jwk-embedded',
  ),
  battery('okta-ignores-issuer', 'receiver-refuses-wrong-issuer'),
  battery(
    'okta-accepts-wrong-audience',
    'receiver-refuses-wrong-audience',
    'receiver-refuses-aud-array-without-receiver',
  ),
  battery('okta-accepts-missing-typ', 'receiver-refuses-missing-typ'),
  battery('okta-accepts-jwt-typ', 'receiver-refuses-wrong-typ'),
  battery('okta-accepts-alg-none', 'receiver-refuses-alg-none'),
  battery('okta-accepts-oversized', 'receiver-refuses-oversized'),
  battery('okta-error-as-text-plain', 'receiver-error-is-json-with-err'),
  battery('okta-error-without-content-language', 'receiver-error-has-content-language'),
  // Families of one validation step each: every SET the step alone refuses gets through.
  battery(
    'okta-skips-claim-checks',
    'receiver-refuses-missing-iss',
    'receiver-refuses-missing-aud',
    'receiver-refuses-missing-iat',
    'receiver-refuses-iat-not-numeric',
    'receiver-refuses-missing-jti',
    'receiver-refuses-missing-events',
    'receiver-refuses-events-empty',
    'receiver-refuses-events-not-object',
  ),
  // Under Okta's contract the subject is inside the event, so its faults are the event schema's.
  battery(
    'okta-skips-event-payload-checks',
    'receiver-refuses-event-payload-invalid',
    'receiver-refuses-subject-not-object',
    'receiver-refuses-subject-unknown-format',
    'receiver-refuses-subject-missing-member',
    'receiver-refuses-subject-bad-email',
  ),
  battery('okta-lenient-header', 'receiver-refuses-kid-not-string', 'receiver-refuses-crit-unknown'),
  battery(
    'okta-keeps-first-duplicate-member',
    'receiver-refuses-duplicate-header-member',
    'receiver-refuses-duplicate-claim',
  ),
  // Every body that is not one readable SET, however it got that way.
  battery(
    'okta-accepts-unparseable',
    'receiver-refuses-not-compact-jws',
    'receiver-refuses-jwe-compact',
    'receiver-refuses-bad-base64url',
    'receiver-refuses-header-not-json',
    'receiver-refuses-payload-not-json',
    'receiver-refuses-payload-not-object',
    'receiver-refuses-empty-body',
    'receiver-refuses-json-body',
    'receiver-refuses-two-sets-in-body',
  ),
  battery('okta-ignores-content-type', 'receiver-refuses-wrong-content-type'),
  battery('okta-answers-one-error-code', 'receiver-error-code-fits-the-fault'),
];

/** What mock Okta cannot show (its contract, its 30 s JWKS cache, no stream of its own), the strict one does. */
export const STRICT_RECEIVER_SELF_TEST: readonly SelfTestRow[] = [
  strict('receiver-accepts-future-iat', 'invalid-sets', 'receiver-refuses-iat-far-future'),
  strict('receiver-accepts-subject-in-event', 'invalid-sets', 'receiver-refuses-unknown-event-with-subject'),
  strict(
    'receiver-accepts-sub-and-exp',
    'invalid-sets',
    'receiver-refuses-sub-present',
    'receiver-refuses-exp-present',
  ),
  strict(
    'receiver-skips-subject-checks',
    'invalid-sets',
    'receiver-refuses-sub-id-missing',
    'receiver-refuses-subject-bad-phone',
    'receiver-refuses-subject-bad-uri',
  ),
  strict('receiver-requires-short-typ', 'invalid-sets', 'receiver-accepts-long-form-typ'),
  // The bait key at the jku URL signs the forgery, so trusting the header lets it in too.
  strict(
    'receiver-follows-jku',
    'invalid-sets',
    'receiver-fetches-no-key-url-from-the-header',
    'receiver-refuses-jku-elsewhere',
  ),
  strict('receiver-processes-refused-sets', 'invalid-sets', 'receiver-refused-sets-changed-nothing'),
  // Pinned to the battery's key, it takes no other: no algorithm's key, no rotated one.
  strict(
    'receiver-pins-the-first-key',
    'signing-keys',
    'receiver-accepts-rs256-signed-sets',
    'receiver-accepts-ps256-signed-sets',
    'receiver-accepts-es256-signed-sets',
    'receiver-accepts-eddsa-signed-sets',
    'receiver-accepts-a-rotated-key',
  ),
  strict('receiver-accepts-short-rsa-keys', 'signing-keys', 'receiver-refuses-short-rsa-key'),
  strict('receiver-keeps-withdrawn-keys', 'signing-keys', 'receiver-refuses-a-withdrawn-key'),
  strict('receiver-creates-no-stream', 'stream-management', 'receiver-creates-its-stream'),
  strict('receiver-requests-no-verification', 'stream-management', 'receiver-requests-verification'),
  strict(
    'receiver-refuses-verification',
    'stream-management',
    'receiver-accepts-unsolicited-verification',
    'receiver-accepts-solicited-verification',
  ),
  strict('receiver-accepts-any-state', 'stream-management', 'receiver-refuses-wrong-state'),
  strict('receiver-keeps-its-stream', 'stream-management', 'receiver-deletes-its-stream'),
];

export const OKTA_RECEIVER_SELF_TEST: readonly SelfTestRow[] = [
  contract('okta-answers-200', 'okta-accepts-its-event-types'),
  contract('okta-202-with-body', 'okta-accept-has-no-body'),
  contract('okta-accepts-other-event-types', 'okta-refuses-unaccepted-event-type'),
  contract('okta-accepts-missing-kid', 'okta-refuses-missing-kid'),
  contract('okta-accepts-audience-array', 'okta-refuses-audience-array'),
  contract('okta-error-as-text-plain', 'okta-error-is-security-event-token-error'),
  contract('okta-refuses-unknown-user', 'okta-accepts-set-about-unknown-user'),
  outcomes('okta-logs-no-receive-event', 'okta-logs-receive-event'),
  outcomes('okta-reads-high-as-medium', 'okta-detects-high-risk', 'okta-user-risk-reads-high'),
  outcomes('okta-logs-no-policy-evaluation', 'okta-policy-terminates-sessions'),
  outcomes('okta-keeps-okta-sessions', 'okta-policy-ends-sessions'),
  outcomes('okta-logs-no-universal-logout', 'okta-policy-logs-universal-logout'),
  outcomes('okta-logs-out-before-ending-sessions', 'okta-itp-chain-in-order'),
  outcomes(
    'okta-keeps-risk-after-action',
    'okta-policy-logs-risk-change',
    'okta-user-risk-reset-after-action',
  ),
  outcomes('okta-refuses-redelivered-set', 'okta-accepts-redelivered-set'),
  outcomes(
    'okta-acts-on-refused-sets',
    'okta-refused-sets-leave-risk-unchanged',
    'okta-refused-sets-are-not-logged-as-received',
  ),
  outcomes('okta-processes-redelivered-set', 'okta-ignores-redelivered-set'),
];
