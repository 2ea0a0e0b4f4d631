/**
 * The reference transmitter's deviations (see harness/kernel/deviations.ts): each breaks one rule the
 * `ssf-transmitter` plan grades, so docs/self-test.md can show that plan's checks failing against a
 * transmitter that really misbehaves. Jamf Security Cloud's mock is built on this transmitter, so these
 * are the lab's transmitter deviations.
 */
import type { DeviationCatalogue } from '../../kernel/index.ts';

export const TRANSMITTER_DEVIATIONS = {
  // What every SET it makes carries (SSF §4.1, RFC 8417 §2.2).
  'transmitter-typ-jwt': 'signs every SET with "typ": "JWT" instead of the secevent+jwt media type',
  'transmitter-sub-claim': 'puts a "sub" claim in every SET',
  'transmitter-exp-claim': 'puts an "exp" claim in every SET',
  'transmitter-wrong-iss': 'signs SETs with an "iss" that is not its issuer',
  'transmitter-wrong-aud': 'addresses SETs to an "aud" that is not the stream\'s',
  'transmitter-unpublished-key': 'signs SETs with a key its JWKS does not hold (under the published kid)',
  'transmitter-no-txn': 'leaves "txn" out of its SETs',
  'transmitter-duplicate-member':
    'writes an event\'s "event_timestamp" member twice in the SET\'s JSON (events that carry one)',
  'transmitter-iat-as-string': 'writes "iat" as an ISO 8601 string instead of a NumericDate',
  'transmitter-proprietary-subject-format':
    'names the subjects of its events in a proprietary format ("x-vendor-id") that neither RFC 9493 nor SSF registers (control events still name the stream)',
  // How it pushes (RFC 8935 §2, SSF §6.1.1).
  'transmitter-wrong-content-type': 'pushes SETs as "Content-Type: application/jwt"',
  'transmitter-no-accept': 'pushes SETs without "Accept: application/json"',
  'transmitter-drops-authorization-header': "pushes without the stream's authorization_header",
  'transmitter-invents-authorization-header':
    'sends an Authorization header to a stream that configured none',
  // When it retries (RFC 8935 §2.4, RFC 6585 §4).
  'transmitter-ignores-retry-after': "retries a 429 on its own schedule, ignoring the receiver's Retry-After",
  'transmitter-no-backoff': 'retries sooner each time (400 ms, then 50 ms) instead of backing off',
  'transmitter-retries-after-400': 'retries a SET the receiver refused with 400',
  'transmitter-never-retries': 'gives a SET up at the first 5xx, 429 or timeout',
  'transmitter-no-retry-after-timeout': 'gives a SET up when the push times out',
  'transmitter-resends-delivered': 'pushes a SET once more after the receiver accepted it with 202',
  // Its metadata and JWKS (SSF §7).
  'transmitter-metadata-not-json': 'serves its metadata as "Content-Type: text/plain"',
  'transmitter-metadata-issuer-trailing-slash':
    'publishes a metadata "issuer" with a trailing slash the Issuer it is fetched for does not have',
  'transmitter-metadata-empty-array': 'publishes "critical_subject_members": [] when it has none',
  'transmitter-metadata-default-subjects-lowercase': 'publishes "default_subjects" in lower case ("all")',
  'transmitter-leaks-private-key': 'publishes its signing key\'s private part ("d", …) in its JWKS',
  'transmitter-delivery-methods-as-names':
    'lists "delivery_methods_supported" as "push" and "poll" instead of the delivery method URIs',
  'transmitter-metadata-no-status-endpoint':
    'leaves "status_endpoint" out of its metadata (the endpoint still answers)',
  'transmitter-metadata-http-endpoints':
    'publishes its management endpoints as http:// URLs, as behind a TLS-terminating proxy that drops the scheme',
  // Stream management (SSF §8.1.1).
  'transmitter-create-answers-200': 'answers a stream create with 200 instead of 201 Created',
  'transmitter-create-answers-stream-id-only':
    'answers a stream create with {"stream_id"} alone instead of the stream\'s configuration',
  'transmitter-stream-iss-is-the-origin':
    'gives its streams an "iss" of its origin, without the Issuer\'s path',
  'transmitter-delivers-unrequested-events':
    'sets "events_delivered" to every event type it supports, whatever "events_requested" says',
  'transmitter-read-one-answers-an-array':
    'answers a read with stream_id with an array holding the stream instead of the stream object',
  'transmitter-read-all-answers-an-object':
    'answers a read without stream_id with {"streams": […]} instead of an array',
  'transmitter-patch-clears-omitted-members':
    'deletes the receiver-supplied members a PATCH omits ("events_requested", "description"), as a PUT would',
  'transmitter-put-keeps-omitted-members':
    'merges a PUT like a PATCH: the receiver-supplied members it omits are kept',
  'transmitter-delete-answers-200': 'answers a stream DELETE with 200 instead of 204 No Content',
  'transmitter-delete-keeps-the-stream':
    'answers 204 to a stream DELETE but removes the stream only seconds later, reading it back until then',
  // Management refusals (SSF §8).
  'transmitter-accepts-requests-without-a-token':
    'serves a management request without an Authorization header as if its first API client had sent it',
  'transmitter-accepts-any-token':
    'serves a management request with a bearer token it never issued as if its first API client had sent it',
  'transmitter-unknown-stream-is-403':
    "answers 403 instead of 404 to a stream_id that names none of the caller's streams",
  'transmitter-broken-json-is-500':
    'answers 500 to a request body that is not JSON (its parse error goes unhandled)',
  'transmitter-patch-overwrites-transmitter-members':
    'applies the transmitter-supplied members ("iss", "aud", …) a PATCH gives instead of refusing a changed one',
  'transmitter-shows-other-receivers-streams':
    "lets a receiver read, update and delete another receiver's stream by its stream_id",
  // Stream status (SSF §8.1.2).
  'transmitter-status-without-stream-id':
    'answers a status read with {"status"} alone, without the stream_id',
  'transmitter-status-update-answers-204':
    'answers a status update with 204 and no body instead of the resulting status',
  'transmitter-paused-stream-keeps-sending': 'goes on delivering the events of a paused stream',
  'transmitter-paused-stream-drops-events':
    'drops the events of a paused stream instead of holding them until it is enabled',
  'transmitter-disabled-stream-delivers':
    'treats a disabled stream as an enabled one: it verifies it and delivers its events',
  'transmitter-keeps-held-events-when-disabled':
    'keeps the events held for a paused stream when it is disabled, and delivers them once it is enabled',
  // Subjects (SSF §8.1.3).
  'transmitter-add-subject-answers-201': 'answers an add subject request with 201 instead of 200',
  'transmitter-remove-subject-answers-200': 'answers a remove subject request with 200 instead of 204',
  // Verification (SSF §8.1.4).
  'transmitter-verify-answers-202': 'answers a verification request with 202 instead of 204 No Content',
  'transmitter-verification-drops-state': 'leaves the requested "state" out of the verification event',
  'transmitter-verification-names-the-audience':
    'names the receiver (the stream\'s "aud") in a verification event\'s sub_id instead of the stream',
  'transmitter-unsolicited-verification-with-state':
    'sends a verification event with a "state" of its own making when a push stream is created',
  'transmitter-verify-429-without-interval':
    'answers 429 to a verification request within 30 s of the last one, though its streams declare no min_verification_interval',
  // Poll delivery (SSF §8.1.1.1, RFC 8936).
  'transmitter-requires-delivery':
    'refuses a stream create without "delivery" (400) instead of making a poll stream',
  'transmitter-poll-sets-keyed-by-position':
    'answers a poll with "sets" keyed by position ("1", "2", …) instead of by each SET\'s jti',
  'transmitter-ack-only-omits-sets': 'answers an acknowledge-only poll (maxEvents 0) without a "sets" member',
  'transmitter-poll-ignores-acks':
    'ignores the "ack" list of a poll and hands every SET it queued out again on each poll',
  // Status changes of its own (SSF §8.1.5).
  'transmitter-silent-status-change': 'pauses or disables a stream on its own without a Stream Updated event',
  'transmitter-stream-updated-names-the-audience':
    'names the receiver (the stream\'s "aud") in a Stream Updated event\'s sub_id instead of the stream',
  // Events (SSF §6, §8.1.1).
  'transmitter-no-events-on-receiver-streams':
    'sends events only on the streams its admin configured, none on those receivers created through the API',
  'transmitter-events-delivered-short-names':
    'lists "events_delivered" by short names ("device-risk-change") instead of the event type URIs it sends',
} as const satisfies DeviationCatalogue;

export type TransmitterDeviation = keyof typeof TRANSMITTER_DEVIATIONS;

/** Where SETs go when `transmitter-wrong-iss` / `-wrong-aud` are on: names nobody can own. */
export const DEVIANT_ISSUER = 'https://wrong-issuer.ssf-lab.invalid/';
export const DEVIANT_AUDIENCE = 'https://wrong-audience.ssf-lab.invalid/';

/**
 * The subject format `transmitter-proprietary-subject-format` names: a vendor's own, registered nowhere, as
 * a transmitter that exports its internal identifiers might write. The "x-" prefix keeps it from ever
 * colliding with a format RFC 9493 or SSF may register later.
 */
export const DEVIANT_SUBJECT_FORMAT = 'x-vendor-id';
