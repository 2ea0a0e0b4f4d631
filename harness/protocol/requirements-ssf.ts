/**
 * Requirements the conformance suites cite about SSF's stream management, delivery and verification
 * (SSF 1.0 §7–§8, RFC 8935, RFC 8936) and about Universal Logout's Global Token Revocation endpoint.
 * Merged into the one registry in requirements.ts; an id is defined in exactly one file (a test checks).
 * Section numbers follow SSF 1.0 final; summaries paraphrase the normative text.
 */
import type { RequirementInput } from './requirements.ts';

export const SSF_SUITE_REQUIREMENTS = {
  // --- RFC 8935: push delivery ---------------------------------------------------------------------------
  'RFC8935-2.1': {
    spec: 'RFC8935',
    section: '2.1',
    keyword: 'MUST',
    summary:
      'A push is a POST of the SET in compact form with "Content-Type: application/secevent+jwt" and "Accept: application/json".',
  },
  'RFC8935-2.2': {
    spec: 'RFC8935',
    section: '2.2',
    keyword: 'SHALL',
    summary: 'A SET the recipient accepts is answered with 202 Accepted and an empty body.',
  },
  'RFC8935-2.3': {
    spec: 'RFC8935',
    section: '2.3',
    keyword: 'SHALL',
    summary:
      'A SET that fails parsing, validation or authentication is answered with 400, "Content-Type: application/json", a "Content-Language" header and {"err", "description"} naming the matching error code.',
  },
  'RFC8935-2.4': {
    spec: 'RFC8935',
    section: '2.4',
    keyword: 'MUST',
    summary:
      'The recipient answers a retransmitted SET (a "jti" it has seen) as if it were new: 202, never an error.',
  },
  'RFC8935-2.4-RETRY': {
    spec: 'RFC8935',
    section: '2.4',
    keyword: 'SHOULD',
    summary:
      'A transmitter retransmits only after a failure that might be recoverable (network errors, 5xx, 429), backing off between attempts, and not after a 400 that says the SET is bad.',
  },
  'SSF-6.1.1-AUTHZ': {
    spec: 'SSF',
    section: '6.1.1',
    anchor: 'section-6.1.1',
    keyword: 'MUST',
    summary:
      'When the stream has an "authorization_header", every push carries it verbatim as the Authorization value; without one, no Authorization header is sent.',
  },
  'RFC6585-4': {
    spec: 'RFC6585',
    section: '4',
    keyword: 'SHOULD',
    summary:
      'A client told 429 Too Many Requests with "Retry-After" waits at least that long before retrying.',
  },

  // --- RFC 8936: poll delivery ---------------------------------------------------------------------------
  'RFC8936-2.4': {
    spec: 'RFC8936',
    section: '2.4',
    keyword: 'SHALL',
    summary:
      'A poll answers 200 with {"sets": {jti: SET}} ("sets" is {} when there is nothing), honours "maxEvents" and "returnImmediately", and treats "maxEvents": 0 with "ack" as acknowledge-only.',
  },
  'RFC8936-2.5': {
    spec: 'RFC8936',
    section: '2.5',
    keyword: 'MAY',
    summary: 'SETs not acknowledged are delivered again on a later poll; an acknowledged SET is not.',
  },

  // --- SSF 1.0 §7: transmitter metadata ------------------------------------------------------------------
  'SSF-7.1.1': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary:
      'The metadata is JSON with a REQUIRED "issuer"; multi-valued members are arrays, and members with no values are omitted rather than empty.',
  },
  'SSF-7.1-JWKS': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: 'A transmitter that signs SETs publishes "jwks_uri", a JWK Set (RFC 7517) of its signing keys.',
  },
  'SSF-7.1-DELIVERY': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'RECOMMENDED',
    summary: '"delivery_methods_supported" lists the delivery method URIs the transmitter supports.',
  },
  'SSF-7.1-DEFAULT-SUBJECTS': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: '"default_subjects", when present, is "ALL" or "NONE".',
  },
  'SSF-7.2': {
    spec: 'SSF',
    section: '7.2',
    keyword: 'MUST',
    summary:
      'The metadata is served at the issuer with "/.well-known/ssf-configuration" inserted between host and path, answering 200 with "Content-Type: application/json".',
  },
  'SSF-7.2.4': {
    spec: 'SSF',
    section: '7.2.4',
    keyword: 'MUST',
    summary:
      'The metadata "issuer" is identical to the issuer URL it was fetched for, and to the SETs\' "iss".',
  },

  // --- SSF 1.0 §8: management API ------------------------------------------------------------------------
  'SSF-8-AUTH': {
    spec: 'SSF',
    section: '8',
    keyword: 'MUST',
    summary:
      "Every management request is authorized (401 without valid credentials), and a receiver sees and changes only its own streams (another's stream id is 404).",
  },
  'SSF-8.1.1.1': {
    spec: 'SSF',
    section: '8.1.1.1',
    keyword: 'MUST',
    summary:
      'Create answers 201 with the full configuration ("stream_id", "iss", "aud", "events_delivered", "delivery"); without "delivery" it is a poll stream with a transmitter-assigned "endpoint_url"; 400 for an unparsable body, 401 without authorization, 409 when a second stream is not supported.',
  },
  'SSF-8.1.1.1-EVENTS': {
    spec: 'SSF',
    section: '8.1.1',
    keyword: 'MUST',
    summary: '"events_delivered" is a subset of "events_supported" ∩ "events_requested".',
  },
  'SSF-8.1.1.2': {
    spec: 'SSF',
    section: '8.1.1.2',
    keyword: 'MUST',
    summary:
      'Read with "stream_id" answers 200 and the stream object (404 for an unknown stream); without it, 200 and an array of the receiver\'s streams, [] when there are none.',
  },
  'SSF-8.1.1.3': {
    spec: 'SSF',
    section: '8.1.1.3',
    keyword: 'MUST',
    summary:
      'PATCH applies the receiver-supplied members given and leaves the others unchanged; transmitter-supplied members are accepted only when equal to their current value (else 400); it answers 200 with the whole configuration, 404 for an unknown stream.',
  },
  'SSF-8.1.1.4': {
    spec: 'SSF',
    section: '8.1.1.4',
    keyword: 'MUST',
    summary:
      'PUT replaces the receiver-supplied members: an omitted one is deleted; it answers 200 with the whole configuration, 400 for an invalid body, 404 for an unknown stream.',
  },
  'SSF-8.1.1.5': {
    spec: 'SSF',
    section: '8.1.1.5',
    keyword: 'MUST',
    summary: 'DELETE with "stream_id" answers 204 with an empty body, 404 for an unknown stream.',
  },
  'SSF-8.1.2.1': {
    spec: 'SSF',
    section: '8.1.2.1',
    keyword: 'MUST',
    summary: 'Reading the status answers 200 with {"stream_id", "status"} (404 for an unknown stream).',
  },
  'SSF-8.1.2.2': {
    spec: 'SSF',
    section: '8.1.2.2',
    keyword: 'MUST',
    summary: 'Updating the status answers 200 with the resulting status object.',
  },
  'SSF-8.1.2-PAUSED': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'SHOULD',
    summary:
      'A paused stream sends nothing, holds its events and sends them once enabled again, in order per subject.',
  },
  'SSF-8.1.2-DISABLED': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'MUST NOT',
    summary: 'A disabled stream sends nothing and does not hold events: what happens meanwhile is dropped.',
  },
  'SSF-8.1.3.2': {
    spec: 'SSF',
    section: '8.1.3.2',
    keyword: 'MUST',
    summary: 'Adding a subject answers 200 (404 for an unknown stream).',
  },
  'SSF-8.1.3.3': {
    spec: 'SSF',
    section: '8.1.3.3',
    keyword: 'MUST',
    summary: 'Removing a subject answers 204 (404 for an unknown stream).',
  },
  'SSF-8.1.4.2': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'MUST',
    summary:
      'A verification request answers 204 and a Verification event follows on the stream, echoing the request\'s "state".',
  },
  'SSF-8.1.4.2-UNSOLICITED': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'MUST NOT',
    summary: 'A Verification event the transmitter sends on its own carries no "state".',
  },
  'SSF-8.1.4.2-RATE': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'SHOULD NOT',
    summary:
      'A transmitter answers 429 to verification only when requests come faster than "min_verification_interval".',
  },
  'SSF-8.1.4.1-STATE': {
    spec: 'SSF',
    section: '8.1.4.1',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a Verification event whose "state" is not the one it asked for, with "invalid_state".',
  },

  // --- Universal Logout: Global Token Revocation ---------------------------------------------------------
  'GTR-3': {
    spec: 'GTR',
    section: '3',
    keyword: 'MUST',
    summary:
      'A revocation request is a POST of {"sub_id": <subject identifier>} as JSON, authenticated by the caller; success is 204 once the user\'s sessions and tokens are revoked.',
  },
  'GTR-3-AUTH': {
    spec: 'GTR',
    section: '3',
    keyword: 'MUST',
    summary:
      'A request whose authentication fails (bad signature, expired, wrong audience, no token) is refused with 401.',
  },
  'GTR-3-ERRORS': {
    spec: 'GTR',
    section: '3',
    keyword: 'MUST',
    summary:
      'A malformed request or unsupported subject format is refused with 400; an unknown user with 404.',
  },
} as const satisfies Record<string, RequirementInput>;
