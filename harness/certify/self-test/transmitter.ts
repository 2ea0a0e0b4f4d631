/**
 * Self-test rows for the `ssf-transmitter` plan: Jamf Security Cloud's transmitter (the reference
 * transmitter) told to break one rule at a time (TRANSMITTER_DEVIATIONS).
 */
import type { SelfTestRow } from './matrix.ts';

/** The modules whose SETs the per-SET checks judge, by the word their check ids use. */
const SET_MODULES = {
  status: 'status',
  'verification-push': 'push',
  'verification-poll': 'poll',
  retry: 'retry',
  inactivity: 'inactivity',
  events: 'event',
} as const;

/** A deviation in what every SET carries fails the same per-SET check(s) in every module that sees SETs. */
function everySet(deviation: string, ...suffixes: string[]): SelfTestRow {
  return {
    deviation,
    plan: 'ssf-transmitter',
    modules: Object.keys(SET_MODULES),
    fails: Object.values(SET_MODULES).flatMap((word) => suffixes.map((s) => `transmitter-${word}-sets-${s}`)),
  };
}

function retry(deviation: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'ssf-transmitter', modules: ['retry'], fails };
}

function push(deviation: string, ...fails: string[]): SelfTestRow {
  return { deviation, plan: 'ssf-transmitter', modules: ['verification-push'], fails };
}

/** A row over the named modules of the ssf-transmitter plan. */
function only(modules: string | readonly string[], deviation: string, ...fails: string[]): SelfTestRow {
  return {
    deviation,
    plan: 'ssf-transmitter',
    modules: typeof modules === 'string' ? [modules] : modules,
    fails,
  };
}

const ROWS: readonly SelfTestRow[] = [
  everySet('transmitter-typ-jwt', 'are-explicitly-typed'),
  everySet('transmitter-iat-as-string', 'meet-the-ssf-profile'),
  everySet('transmitter-sub-claim', 'have-no-sub'),
  everySet('transmitter-exp-claim', 'have-no-exp'),
  everySet('transmitter-wrong-iss', 'iss-is-the-issuer'),
  everySet('transmitter-wrong-aud', 'aud-names-the-receiver'),
  everySet('transmitter-unpublished-key', 'signature-verifies'),
  everySet('transmitter-no-txn', 'meet-the-ssf-recommendations'),
  push('transmitter-wrong-content-type', 'transmitter-push-content-type-is-secevent-jwt'),
  push('transmitter-no-accept', 'transmitter-push-accepts-json'),
  push('transmitter-drops-authorization-header', 'transmitter-push-sends-the-authorization-header'),
  push(
    'transmitter-invents-authorization-header',
    'transmitter-push-without-authorization-header-sends-none',
  ),
  retry('transmitter-ignores-retry-after', 'transmitter-honours-retry-after'),
  retry('transmitter-no-backoff', 'transmitter-backs-off-between-retries'),
  retry('transmitter-retries-after-400', 'transmitter-does-not-retry-after-400'),
  retry(
    'transmitter-never-retries',
    'transmitter-retries-after-a-5xx',
    'transmitter-honours-retry-after',
    'transmitter-retried-sets-are-delivered',
  ),
  // The lab leaves the timeout case off (it holds a push 11 s); this row turns it on.
  {
    ...retry('transmitter-no-retry-after-timeout', 'transmitter-retries-after-a-timeout'),
    options: { retry: { timeoutCase: true } },
  },
  retry('transmitter-resends-delivered', 'transmitter-does-not-resend-a-delivered-set'),
  // Metadata and JWKS (SSF §7).
  only('metadata', 'transmitter-metadata-not-json', 'transmitter-metadata-answers-200-json'),
  only('metadata', 'transmitter-metadata-issuer-trailing-slash', 'transmitter-metadata-issuer-is-identical'),
  only('metadata', 'transmitter-metadata-empty-array', 'transmitter-metadata-has-no-empty-arrays'),
  only(
    'metadata',
    'transmitter-metadata-default-subjects-lowercase',
    'transmitter-metadata-default-subjects-is-all-or-none',
  ),
  only('metadata', 'transmitter-leaks-private-key', 'transmitter-metadata-publishes-a-jwks'),
  only('metadata', 'transmitter-delivery-methods-as-names', 'transmitter-metadata-lists-delivery-methods'),
  only(
    'metadata',
    'transmitter-metadata-no-status-endpoint',
    'transmitter-metadata-publishes-management-endpoints',
  ),
  only('metadata', 'transmitter-metadata-http-endpoints', 'transmitter-metadata-endpoints-are-https'),
  // Stream management (SSF §8.1.1).
  only('streams', 'transmitter-create-answers-200', 'transmitter-create-answers-201'),
  only(
    'streams',
    'transmitter-create-answers-stream-id-only',
    'transmitter-create-returns-the-configuration',
  ),
  only('streams', 'transmitter-stream-iss-is-the-origin', 'transmitter-stream-iss-is-the-issuer'),
  only(
    'streams',
    'transmitter-delivers-unrequested-events',
    'transmitter-events-delivered-within-supported-and-requested',
  ),
  only('streams', 'transmitter-read-one-answers-an-array', 'transmitter-read-stream-returns-the-object'),
  only('streams', 'transmitter-read-all-answers-an-object', 'transmitter-read-all-returns-an-array'),
  only(
    'streams',
    'transmitter-patch-clears-omitted-members',
    'transmitter-patch-leaves-omitted-members-unchanged',
  ),
  only('streams', 'transmitter-put-keeps-omitted-members', 'transmitter-put-deletes-omitted-members'),
  only('streams', 'transmitter-delete-answers-200', 'transmitter-delete-answers-204'),
  only('streams', 'transmitter-delete-keeps-the-stream', 'transmitter-deleted-stream-is-gone'),
  // Management refusals (SSF §8).
  only(
    'errors',
    'transmitter-accepts-requests-without-a-token',
    'transmitter-refuses-requests-without-a-token',
  ),
  only('errors', 'transmitter-accepts-any-token', 'transmitter-refuses-requests-with-a-wrong-token'),
  only(
    ['errors', 'status', 'subjects'],
    'transmitter-unknown-stream-is-403',
    'transmitter-read-unknown-stream-is-404',
    'transmitter-update-unknown-stream-is-404',
    'transmitter-replace-unknown-stream-is-404',
    'transmitter-delete-unknown-stream-is-404',
    'transmitter-status-of-unknown-stream-is-404',
    'transmitter-add-subject-to-unknown-stream-is-404',
  ),
  only(
    'errors',
    'transmitter-broken-json-is-500',
    'transmitter-create-with-a-broken-body-is-400',
    'transmitter-update-with-a-broken-body-is-400',
    'transmitter-replace-with-a-broken-body-is-400',
  ),
  only(
    'errors',
    'transmitter-patch-overwrites-transmitter-members',
    'transmitter-patch-refuses-a-changed-transmitter-member',
  ),
  only('errors', 'transmitter-shows-other-receivers-streams', 'transmitter-hides-other-receivers-streams'),
  // Stream status (SSF §8.1.2).
  only('status', 'transmitter-status-without-stream-id', 'transmitter-status-read-answers-200'),
  only('status', 'transmitter-status-update-answers-204', 'transmitter-status-update-echoes-the-status'),
  only('status', 'transmitter-paused-stream-keeps-sending', 'transmitter-paused-stream-sends-nothing'),
  only('status', 'transmitter-paused-stream-drops-events', 'transmitter-paused-stream-delivers-held-events'),
  only('status', 'transmitter-disabled-stream-delivers', 'transmitter-disabled-stream-drops-events'),
  only('status', 'transmitter-keeps-held-events-when-disabled', 'transmitter-disabling-discards-held-events'),
  // Subjects (SSF §8.1.3).
  only('subjects', 'transmitter-add-subject-answers-201', 'transmitter-add-subject-answers-200'),
  only('subjects', 'transmitter-remove-subject-answers-200', 'transmitter-remove-subject-answers-204'),
  // Verification (SSF §8.1.4).
  push('transmitter-verify-answers-202', 'transmitter-verify-answers-204'),
  only(
    ['verification-push', 'verification-poll'],
    'transmitter-verification-drops-state',
    'transmitter-push-verification-echoes-the-state',
    'transmitter-poll-returns-the-verification-event',
    'transmitter-poll-and-ack-returns-the-next-event',
  ),
  push('transmitter-verification-names-the-audience', 'transmitter-verification-event-names-the-stream'),
  push(
    'transmitter-unsolicited-verification-with-state',
    'transmitter-unsolicited-verification-has-no-state',
  ),
  push('transmitter-verify-429-without-interval', 'transmitter-verify-429-only-when-too-fast'),
  // Poll delivery (SSF §8.1.1.1, RFC 8936).
  only('verification-poll', 'transmitter-requires-delivery', 'transmitter-create-without-delivery-is-poll'),
  only(
    'verification-poll',
    'transmitter-poll-sets-keyed-by-position',
    'transmitter-poll-answers-sets-by-jti',
  ),
  only('verification-poll', 'transmitter-ack-only-omits-sets', 'transmitter-ack-only-answers-no-sets'),
  only('verification-poll', 'transmitter-poll-ignores-acks', 'transmitter-acked-sets-are-not-redelivered'),
  // Status changes of its own (SSF §8.1.5).
  only(
    'inactivity',
    'transmitter-silent-status-change',
    'transmitter-own-status-change-sends-stream-updated',
  ),
  only(
    'inactivity',
    'transmitter-stream-updated-names-the-audience',
    'transmitter-stream-updated-names-the-stream',
  ),
  // Events (SSF §6, §8.1.1).
  only('events', 'transmitter-no-events-on-receiver-streams', 'transmitter-triggered-event-arrives'),
  only('events', 'transmitter-events-delivered-short-names', 'transmitter-event-types-are-delivered-types'),
];

/**
 * Rows that wait out the plan's event timeout, because what they wait for never comes. They go first: the
 * labs take rows in this order, so the longest start early and the run does not end waiting on one of them.
 */
const WAITS_OUT_A_TIMEOUT = new Set([
  'transmitter-verification-drops-state',
  'transmitter-paused-stream-drops-events',
  'transmitter-no-events-on-receiver-streams',
]);

export const TRANSMITTER_SELF_TEST: readonly SelfTestRow[] = [
  ...ROWS.filter((r) => WAITS_OUT_A_TIMEOUT.has(r.deviation)),
  ...ROWS.filter((r) => !WAITS_OUT_A_TIMEOUT.has(r.deviation)),
  // The events plan's captured SETs are what JSC pushed to Okta, judged under Okta's contract, and what
  // it delivered on a poll stream the set-up created, judged under SSF's.
  {
    deviation: 'transmitter-wrong-aud',
    plan: 'events',
    modules: ['captured-sets'],
    fails: ['events-captured-sets-meet-every-must'],
  },
  {
    deviation: 'transmitter-duplicate-member',
    plan: 'events',
    modules: ['captured-sets'],
    fails: ['events-captured-sets-meet-every-should'],
  },
  {
    // An unregistered format is an info finding under SSF (the parties may have agreed on it); Okta
    // documents the in-event device as an opaque id, so under its contract the renamed device fails too.
    deviation: 'transmitter-proprietary-subject-format',
    plan: 'events',
    modules: ['captured-sets'],
    fails: ['events-captured-sets-meet-every-must', 'events-captured-sets-use-catalogued-types-and-formats'],
  },
];
