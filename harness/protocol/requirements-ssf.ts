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
    quote:
      'The "Content-Type" header field of this request MUST be "application/secevent+jwt" as defined in Sections 2.3 and 7.2 of [RFC8417], and the "Accept" header field MUST be "application/json".',
    why: 'MUST → failure.',
  },
  'RFC8935-2.2': {
    spec: 'RFC8935',
    section: '2.2',
    keyword: 'SHALL',
    summary: 'A SET the recipient accepts is answered with 202 Accepted and an empty body.',
    quote:
      'If the SET is determined to be valid, the SET Recipient SHALL acknowledge successful transmission by responding with HTTP Response Status Code 202 (Accepted) … The body of the response MUST be empty.',
    why: 'SHALL / MUST → failure.',
  },
  'RFC8935-2.3': {
    spec: 'RFC8935',
    section: '2.3',
    keyword: 'SHALL',
    summary:
      'A SET that fails parsing, validation or authentication is answered with 400, "Content-Type: application/json", a "Content-Language" header and a JSON object with "err" (a registered Security Event Token Error Code) and "description" (a human-readable string). Which code fits which fault is RFC8935-2.4-CODE.',
    quote:
      'When the SET Recipient detects an error parsing, validating, or authenticating a SET transmitted in a SET Transmission Request, the SET Recipient SHALL respond with an HTTP Response Status Code of 400 (Bad Request).',
    why: 'SHALL → failure; the JSON body ("MUST be application/json") and "Content-Language" ("MUST include") are MUSTs of the same section.',
  },
  'RFC8935-2.4': {
    spec: 'RFC8935',
    section: '2',
    anchor: 'section-2',
    keyword: 'MUST',
    summary:
      'The recipient answers a retransmitted SET (a "jti" it has seen) as if it were new: 202, never an error.',
    quote:
      'The SET Recipient MUST respond as it would if the SET had not been previously received by the SET Recipient.',
    why: 'MUST → failure.',
  },
  'RFC8935-2.4-RETRY': {
    spec: 'RFC8935',
    section: '2',
    anchor: 'section-2',
    keyword: 'SHOULD',
    summary:
      'A transmitter does not retransmit a SET that was delivered or refused as bad (400), and delays between the retransmissions it does make.',
    quote:
      'The SET Transmitter should not re-transmit a SET unless the SET Transmitter suspects that previous transmissions may have failed … In all other cases, the SET Transmitter SHOULD NOT re-transmit a SET.',
    why: 'SHOULD NOT → warning; the same paragraph says the transmitter "SHOULD delay retransmission for an appropriate amount of time".',
  },
  'SSF-6.1.1-AUTHZ': {
    spec: 'SSF',
    section: '6.1.1',
    anchor: 'section-6.1.1',
    keyword: 'MUST',
    summary:
      'When the stream has an "authorization_header", every push carries it verbatim as the Authorization value.',
    quote: 'If present, the Transmitter MUST provide this value with every HTTP request to the endpoint_url.',
    why: 'MUST → failure.',
  },
  'RFC6585-4': {
    spec: 'RFC6585',
    section: '4',
    keyword: 'SHOULD',
    summary:
      'A client told 429 Too Many Requests with "Retry-After" waits at least that long before retrying.',
    quote:
      'The response representations SHOULD include details explaining the condition, and MAY include a Retry-After header indicating how long to wait before making a new request.',
    why: "No sentence obliges the client: the server MAY say how long to wait; a client that retries sooner defeats the header's purpose → warning at most.",
  },

  'RFC8936-2.5': {
    spec: 'RFC8936',
    section: '2.1',
    anchor: 'section-2.1',
    keyword: 'MAY',
    summary: 'An acknowledged SET needs no redelivery, so a later poll no longer returns it.',
    quote:
      'The purpose of the acknowledgement is to inform the SET Transmitter that delivery has succeeded and redelivery is no longer required.',
    why: 'No keyword forbids redelivery (§2.4 even lets a transmitter redeliver, MAY) → info.',
  },

  // --- SSF 1.0 §7: transmitter metadata ------------------------------------------------------------------
  'SSF-7.1.1': {
    spec: 'SSF',
    section: '7.2.3',
    anchor: 'section-7.2.3',
    keyword: 'MUST',
    summary:
      'The metadata is JSON with a REQUIRED "issuer"; multi-valued members are arrays, and members with no values are omitted rather than empty.',
    quote:
      'Claims that return multiple values are represented as JSON arrays. Claims with zero elements MUST be omitted from the response.',
    why: 'MUST → failure.',
  },
  'SSF-7.1-JWKS': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: 'A transmitter that signs SETs publishes "jwks_uri", a JWK Set (RFC 7517) of its signing keys.',
    quote: 'This value MUST be specified if the Transmitter intends to generate signed JWTs.',
    why: 'MUST → failure.',
  },
  'SSF-7.1-DELIVERY': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'RECOMMENDED',
    summary: '"delivery_methods_supported" lists the delivery method URIs the transmitter supports.',
    quote: 'delivery_methods_supported: RECOMMENDED. List of supported delivery method URIs.',
    why: 'RECOMMENDED → warning.',
  },
  'SSF-7.1-DEFAULT-SUBJECTS': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary: '"default_subjects", when present, is "ALL" or "NONE".',
    quote: 'If present, the value MUST be either "ALL" or "NONE".',
    why: 'MUST → failure.',
  },
  'SSF-7.2': {
    spec: 'SSF',
    section: '7.2',
    keyword: 'MUST',
    summary:
      'The metadata is served at the issuer with "/.well-known/ssf-configuration" inserted between host and path, answering 200 with "Content-Type: application/json".',
    quote:
      'Transmitters supporting Discovery MUST make a JSON document available at the path formed by inserting the string "/.well-known/ssf-configuration" into the Issuer between the host component and the path component, if any.',
    why: 'MUST → failure ("that document MUST be returned using the "application/json" content type"; §7.2.3: "A successful response MUST use the 200 OK HTTP status code").',
  },
  'SSF-7.2.4': {
    spec: 'SSF',
    section: '7.2.4',
    keyword: 'MUST',
    summary:
      'The metadata "issuer" is identical to the issuer URL it was fetched for, and to the SETs\' "iss".',
    quote:
      'The "issuer" value returned MUST be identical to the Issuer URL that was directly used to retrieve the configuration information.',
    why: 'MUST → failure.',
  },

  // --- SSF 1.0 §8: management API ------------------------------------------------------------------------
  'SSF-8-AUTH': {
    spec: 'SSF',
    section: '8',
    keyword: 'MUST',
    summary:
      "Every management request is authorized (401 without valid credentials), and a receiver sees and changes only its own streams (another's stream id is 404).",
    quote:
      'all Stream Management API endpoints MUST use standard HTTP authentication and authorization schemes … This authorization MUST associate a Receiver with one or more stream IDs and "aud" values',
    why: 'MUST → failure; 401 and 404 ("no Event Stream with the given stream_id for this Event Receiver") are the codes the error tables give.',
  },
  'SSF-8.1.1.1': {
    spec: 'SSF',
    section: '8.1.1.1',
    keyword: 'MUST',
    summary:
      'Create answers 201 with the full configuration ("stream_id", "iss", "aud", "events_delivered", "delivery"); without "delivery" it is a poll stream with a transmitter-assigned "endpoint_url"; 400 for an unparsable body, 401 without authorization, 409 when a second stream is not supported.',
    quote:
      'On receiving a valid request the Event Transmitter responds with a "201 Created" response containing a JSON [RFC7159] representation of the stream’s configuration in the body.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure; the errors (400 unparsable, 401, 409) come from the section\'s table, and a create without "delivery" from its MUSTs.',
  },
  'SSF-8.1.1.1-EVENTS': {
    spec: 'SSF',
    section: '8.1.1',
    keyword: 'MUST',
    summary: '"events_delivered" is a subset of "events_supported" ∩ "events_requested".',
    quote:
      'events_delivered … An array of URIs identifying the set of events that the Transmitter MUST include in the stream. This is a subset … of the intersection of "events_supported" and "events_requested".',
    why: 'MUST → failure.',
  },
  'SSF-8.1.1.2': {
    spec: 'SSF',
    section: '8.1.1.2',
    keyword: 'MUST',
    summary:
      'Read with "stream_id" answers 200 and the stream object (404 for an unknown stream); without it, 200 and an array of the receiver\'s streams, [] when there are none.',
    quote:
      'If the "stream_id" parameter is missing, then the Transmitter MUST return a list of the stream configurations available to this Receiver. … the Transmitter MUST return an empty list.',
    why: "MUST → failure; 200 and 404 come from the section's indicative text and error table (RFC 8174 counts text without a keyword as normative).",
  },
  'SSF-8.1.1.3': {
    spec: 'SSF',
    section: '8.1.1.3',
    keyword: 'MUST',
    summary:
      'PATCH applies the receiver-supplied members given and leaves the others unchanged; transmitter-supplied members are accepted only when equal to their current value (else 400); it answers 200 with the whole configuration, 404 for an unknown stream.',
    quote:
      'Any Receiver-Supplied property present in the request MUST be updated by the Transmitter. Any properties missing in the request MUST NOT be changed by the Transmitter.',
    why: 'MUST / MUST NOT → failure; "Transmitter-Supplied properties … MUST match the expected value" gives the 400.',
  },
  'SSF-8.1.1.4': {
    spec: 'SSF',
    section: '8.1.1.4',
    keyword: 'MUST',
    summary:
      'PUT replaces the receiver-supplied members: an omitted one is deleted; it answers 200 with the whole configuration, 400 for an invalid body, 404 for an unknown stream.',
    quote: 'Missing Receiver-Supplied properties MUST be interpreted as requested to be deleted.',
    why: 'MUST → failure.',
  },
  'SSF-8.1.1.5': {
    spec: 'SSF',
    section: '8.1.1.5',
    keyword: 'MUST',
    summary: 'DELETE with "stream_id" answers 204 with an empty body, 404 for an unknown stream.',
    quote:
      'On receiving a request, the Event Transmitter responds with an empty "204 No Content" response if the configuration was successfully removed.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'SSF-8.1.2.1': {
    spec: 'SSF',
    section: '8.1.2.1',
    keyword: 'MUST',
    summary: 'Reading the status answers 200 with {"stream_id", "status"} (404 for an unknown stream).',
    quote:
      'the Event Transmitter responds with a 200 OK response containing a JSON [RFC7159] object … If the Receiver requests the status for a stream that does not exist then the Transmitter MUST respond with a 404 error status.',
    why: 'MUST (404) and an indicative definition of the 200 (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'SSF-8.1.2.2': {
    spec: 'SSF',
    section: '8.1.2.2',
    keyword: 'MUST',
    summary: 'Updating the status answers 200 with the resulting status object.',
    quote:
      'On receiving a valid request, the Event Transmitter responds with a "200 OK" response containing a JSON [RFC7159] representation of the updated stream status in the body',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'SSF-8.1.2-PAUSED': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'SHOULD',
    summary:
      'A paused stream sends nothing, holds its events and sends them once enabled again, in order per subject.',
    quote:
      'The Transmitter SHOULD hold any events it would have transmitted while paused, and SHOULD transmit them when the stream’s status becomes "enabled".',
    why: 'SHOULD → warning.',
  },
  'SSF-8.1.2-DISABLED': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'MUST NOT',
    summary: 'A disabled stream sends nothing and does not hold events: what happens meanwhile is dropped.',
    quote:
      'The Transmitter MUST NOT transmit events over the stream and will not hold any events for later transmission.',
    why: 'MUST NOT → failure.',
  },
  'SSF-8.1.3.2': {
    spec: 'SSF',
    section: '8.1.3.2',
    keyword: 'MUST',
    summary: 'Adding a subject answers 200 (404 for an unknown stream).',
    quote: 'On a successful response, the Event Transmitter responds with an empty "200 OK" response.',
    why: "The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure; 404 comes from the section's error table.",
  },
  'SSF-8.1.3.3': {
    spec: 'SSF',
    section: '8.1.3.3',
    keyword: 'MUST',
    summary: 'Removing a subject answers 204 (404 for an unknown stream).',
    quote: 'On a successful response, the Event Transmitter responds with a "204 No Content" response.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'SSF-8.1.4.2': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'MUST',
    summary: 'A verification request answers 204 No Content.',
    quote: 'On a successful request, the Event Transmitter responds with an empty "204 No Content" response.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'SSF-8.1.4.2-UNSOLICITED': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'MUST NOT',
    summary: 'A Verification event the transmitter sends on its own carries no "state".',
    quote: 'If the Verification Event is initiated by the Transmitter then this parameter MUST not be set.',
    why: 'MUST not → failure.',
  },
  'SSF-8.1.4.2-RATE': {
    spec: 'SSF',
    section: '8.1.1',
    anchor: 'section-8.1.1',
    keyword: 'SHOULD NOT',
    summary:
      'A transmitter answers 429 to verification only when requests come faster than "min_verification_interval".',
    quote:
      'An Event Transmitter SHOULD NOT respond with a 429 status code if an Event Receiver is not exceeding this frequency.',
    why: 'SHOULD NOT → warning.',
  },
  'SSF-8.1.4.1-STATE': {
    spec: 'SSF',
    section: '8.1.4.1',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a Verification event whose "state" is not the one it asked for, with "invalid_state".',
    quote:
      'If the value of "state" does not match, an error response with the "err" field set to "invalid_state" SHOULD be returned',
    why: 'SHOULD → warning.',
  },

  // --- Universal Logout: Global Token Revocation ---------------------------------------------------------
  'GTR-3': {
    spec: 'GTR',
    section: '3.4.1',
    anchor: 'section-3.4.1',
    keyword: 'MUST',
    summary:
      'A valid revocation request (a POST of {"sub_id": <subject identifier>} as JSON, authenticated by the caller) for a known user is answered 204.',
    quote:
      'To indicate that the request was successful and revocation of the requested set of tokens has begun, the server returns an HTTP 204 response.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) → failure.',
  },
  'GTR-3-AUTH': {
    spec: 'GTR',
    section: '3.2, 3.4.2',
    anchor: 'section-3.2',
    keyword: 'MUST',
    summary:
      'A request whose authentication fails (bad signature, expired, wrong audience, no token) is refused with 401.',
    quote: 'The request MUST also be authenticated … 401 Unauthorized: Authentication provided was invalid.',
    why: 'MUST be authenticated → failure when an unauthenticated request is not refused; 401 is the code the draft gives for it.',
  },
  'GTR-3-ERRORS': {
    spec: 'GTR',
    section: '3.4.2',
    anchor: 'section-3.4.2',
    keyword: 'SHOULD',
    summary:
      'A malformed request or unsupported subject format is refused with 400; an unknown user with 404.',
    quote:
      'The following HTTP response codes can be used to indicate various error conditions: 400 Bad Request: The request was malformed, e.g. an unrecognized or unsupported type of subject identifier. … 404 User Not Found',
    why: 'The draft lists these codes as ones that "can be used", with no BCP 14 keyword → warning.',
  },
  'RFC8936-2.3': {
    spec: 'RFC8936',
    section: '2.3',
    keyword: 'SHALL',
    summary:
      'A poll answers with {"sets": {jti: SET}}: each member name is a SET\'s "jti" and its value the SET; "sets" is {} when nothing is outstanding.',
    quote:
      'sets: A JSON object containing zero or more SETs being returned. Each member name is the "jti" of a SET to be delivered and its value is a JSON string representing the corresponding SET.',
    why: 'The response is defined without a keyword (RFC 8174 counts text without a keyword as normative) and "If there are no outstanding SETs to be transmitted, the JSON object SHALL be empty" → failure.',
  },
  'RFC8936-2.2-MAXEVENTS': {
    spec: 'RFC8936',
    section: '2.2',
    keyword: 'SHOULD NOT',
    summary:
      'A poll returns no more SETs than "maxEvents" asks for; "maxEvents": 0 with "ack" is acknowledge-only.',
    quote:
      'maxEvents: An OPTIONAL integer value indicating the maximum number of unacknowledged SETs to be returned. The SET Transmitter SHOULD NOT send more SETs than the specified maximum.',
    why: 'SHOULD NOT → warning.',
  },
  'SSF-8.1.4.2-STATE': {
    spec: 'SSF',
    section: '8.1.4.2',
    keyword: 'MUST',
    summary:
      'The Verification event a receiver asked for echoes the "state" of its request; one the transmitter sends on its own carries none.',
    quote:
      'An arbitrary string that the Event Transmitter MUST echo back to the Event Receiver in the Verification Event’s payload. … If the Verification Event is initiated by the Transmitter then this parameter MUST not be set.',
    why: 'MUST / MUST not → failure.',
  },
  'GTR-3.3': {
    spec: 'GTR',
    section: '3.3',
    keyword: 'MUST',
    summary:
      "Once a revocation is accepted, the user's refresh tokens are revoked and the user must sign in again: what the app's session probe reached before no longer works.",
    quote:
      'Upon receiving a revocation request, … the Authorization Server: MUST revoke all active refresh tokens … MUST re-authenticate the user before issuing new access tokens or refresh tokens',
    why: 'MUST → failure (invalidating access tokens is only a SHOULD in the same list).',
  },
  'LAB-PUSH-NO-AUTHZ': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary: 'A push to a stream with no "authorization_header" carries no Authorization header.',
    why: 'No spec requires it: SSF §6.1.1 only says what to send when the header is present; sending credentials the receiver never gave is a lab rule → warning.',
  },
} as const satisfies Record<string, RequirementInput>;
