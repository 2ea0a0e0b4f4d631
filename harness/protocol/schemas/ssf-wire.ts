/**
 * JSON Schemas for the SSF wire objects other than SETs: transmitter configuration metadata (SSF 1.0 §7.1),
 * the stream management API bodies (§8.1.1 to §8.1.4), and the RFC 8935 / RFC 8936 delivery bodies.
 *
 * The objects stay open ("additionalProperties" not false): SSF §7.1 lets metadata carry extra claims, and
 * for management bodies it is the transmitter that decides what to do with members it does not know, so an
 * extra member is a finding for a check to judge, not a schema violation.
 */
import type { JsonSchema } from './json-schema.ts';
import { SUBJECT_ID_SCHEMA_ID } from './subject-identifiers.ts';

const BASE = 'urn:ssf-lab:schema:ssf';

export const TRANSMITTER_METADATA_SCHEMA_ID = `${BASE}:transmitter-metadata`;
export const DELIVERY_SCHEMA_ID = `${BASE}:delivery`;
export const STREAM_CONFIGURATION_SCHEMA_ID = `${BASE}:stream-configuration`;
export const STREAM_CREATE_REQUEST_SCHEMA_ID = `${BASE}:stream-create-request`;
export const STREAM_UPDATE_REQUEST_SCHEMA_ID = `${BASE}:stream-update-request`;
export const STREAM_REPLACE_REQUEST_SCHEMA_ID = `${BASE}:stream-replace-request`;
export const STREAM_STATUS_SCHEMA_ID = `${BASE}:stream-status`;
export const STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID = `${BASE}:stream-status-update-request`;
export const ADD_SUBJECT_REQUEST_SCHEMA_ID = `${BASE}:add-subject-request`;
export const REMOVE_SUBJECT_REQUEST_SCHEMA_ID = `${BASE}:remove-subject-request`;
export const VERIFICATION_REQUEST_SCHEMA_ID = `${BASE}:verification-request`;
export const POLL_REQUEST_SCHEMA_ID = `${BASE}:poll-request`;
export const POLL_RESPONSE_SCHEMA_ID = `${BASE}:poll-response`;
export const PUSH_ERROR_SCHEMA_ID = `${BASE}:push-error`;

/** Delivery method URIs defined by SSF 1.0 §6.1.1 (push, RFC 8935) and §6.1.2 (poll, RFC 8936). */
export const PUSH_DELIVERY_METHOD = 'urn:ietf:rfc:8935';
export const POLL_DELIVERY_METHOD = 'urn:ietf:rfc:8936';

/** Stream configuration members the Receiver supplies (SSF 1.0 §8.1.1); `delivery` is supplied by both. */
export const RECEIVER_SUPPLIED_MEMBERS = ['events_requested', 'delivery', 'description'] as const;

/**
 * Stream configuration members only the Transmitter supplies (SSF 1.0 §8.1.1). A Receiver MAY echo them in
 * a PATCH or PUT body, but only with their current values (§8.1.1.3, §8.1.1.4).
 */
export const TRANSMITTER_SUPPLIED_MEMBERS = [
  'stream_id',
  'iss',
  'aud',
  'events_supported',
  'events_delivered',
  'min_verification_interval',
  'inactivity_timeout',
] as const;

/**
 * Error codes in the IANA "Security Event Token Error Codes" registry: the RFC 8935 §2.4 set plus
 * `invalid_state`, which SSF 1.0 §8.1.4.1 and §11 register for verification. The registry is open-ended,
 * so the push-error schema does not restrict `err` to these; a check can flag unregistered codes.
 */
export const PUSH_ERROR_CODES = [
  'invalid_request',
  'invalid_key',
  'invalid_issuer',
  'invalid_audience',
  'authentication_failed',
  'access_denied',
  'invalid_state',
] as const;

// An https URL with a host and neither query nor fragment: the Issuer rule of SSF 1.0 §7.1 (same as SET `iss`).
const issuerUrl = { type: 'string', format: 'uri', pattern: '^https://[^?#]+$' } as const;
// An https URL with a host; endpoints may carry a query, the spec only demands the https scheme (§7.1).
const httpsUrl = { type: 'string', format: 'uri', pattern: '^https://[^/?#]+' } as const;
const nonEmptyString = { type: 'string', minLength: 1 } as const;
const uriString = { type: 'string', format: 'uri' } as const;
// SSF 1.0 §7.1: metadata claims with zero elements MUST be omitted, so every metadata array is non-empty.
const nonEmptyArrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', minItems: 1, items });
const nonNegativeInteger = { type: 'integer', minimum: 0 } as const;
// Three base64url segments; the signature may be empty only for an unsecured JWT (RFC 8417 §5.1).
const compactJws = { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*$' } as const;

/** Requires `members` when the object's `method` is `method` (if/then keeps the error on the member). */
function whenMethod(method: string, members: readonly string[]): JsonSchema {
  return {
    if: { type: 'object', properties: { method: { const: method } }, required: ['method'] },
    then: { type: 'object', required: [...members] },
  };
}

/** Every stream configuration member (SSF 1.0 §8.1.1), all optional; each schema adds its own `required`. */
const streamMembers = {
  stream_id: nonEmptyString,
  iss: issuerUrl,
  // A single audience string, or a non-empty array of them.
  aud: {
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    ],
  },
  // Not minItems 1: events_delivered may well be empty (an empty intersection), and events_requested
  // being empty is only a SHOULD NOT (§8.1.1.3), which a check reports rather than the schema.
  events_supported: { type: 'array', items: uriString },
  events_requested: { type: 'array', items: uriString },
  events_delivered: { type: 'array', items: uriString },
  delivery: { $ref: DELIVERY_SCHEMA_ID },
  min_verification_interval: nonNegativeInteger,
  description: { type: 'string' },
  inactivity_timeout: nonNegativeInteger,
} as const;

const streamStatusMembers = {
  stream_id: nonEmptyString,
  status: { enum: ['enabled', 'paused', 'disabled'] },
  reason: { type: 'string' },
} as const;

/**
 * The RFC 8935 §2.3 / RFC 8936 §2.4 error object: both members required. RFC 8935 §2.3: the body "MUST be
 * a UTF-8 encoded JSON object containing the following name/value pairs", `err` and `description`, neither
 * marked optional; RFC 8936 §2.6 describes a `setErrs` entry with the same two.
 */
const errorObject = {
  type: 'object',
  required: ['err', 'description'],
  properties: {
    err: {
      type: 'string',
      minLength: 1,
      description: 'A Security Event Token Error Code; the IANA registry is open-ended.',
      examples: [...PUSH_ERROR_CODES],
    },
    description: { type: 'string' },
  },
} as const;

export const SSF_WIRE_SCHEMAS: readonly JsonSchema[] = [
  {
    $id: TRANSMITTER_METADATA_SCHEMA_ID,
    title: 'SSF 1.0 §7.1 transmitter configuration metadata',
    type: 'object',
    required: ['issuer'],
    properties: {
      spec_version: { type: 'string' },
      issuer: issuerUrl,
      jwks_uri: httpsUrl,
      // Extension method URIs are allowed besides the two of §6.1.
      delivery_methods_supported: nonEmptyArrayOf(uriString),
      configuration_endpoint: httpsUrl,
      status_endpoint: httpsUrl,
      add_subject_endpoint: httpsUrl,
      remove_subject_endpoint: httpsUrl,
      verification_endpoint: httpsUrl,
      critical_subject_members: nonEmptyArrayOf(nonEmptyString),
      authorization_schemes: nonEmptyArrayOf({
        type: 'object',
        required: ['spec_urn'],
        properties: { spec_urn: { type: 'string', pattern: '^urn:' } },
      }),
      default_subjects: { enum: ['ALL', 'NONE'] },
    },
  },
  {
    $id: DELIVERY_SCHEMA_ID,
    title: 'SSF 1.0 §6.1 delivery method object (push RFC 8935, poll RFC 8936, or an extension method)',
    type: 'object',
    required: ['method'],
    properties: {
      method: uriString,
      // Receiver-assigned for push (§6.1.1), Transmitter-assigned for poll (§6.1.2). TLS is a transport
      // rule (RFC 8935 §5), checked on the connection, so the scheme is not pinned here.
      endpoint_url: uriString,
      // Push only: sent verbatim as the Authorization header of every push (§6.1.1).
      authorization_header: { type: 'string' },
    },
    allOf: [whenMethod(PUSH_DELIVERY_METHOD, ['endpoint_url'])],
  },
  {
    $id: STREAM_CONFIGURATION_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.1 stream configuration',
    type: 'object',
    required: ['stream_id', 'iss', 'aud', 'events_delivered', 'delivery'],
    properties: {
      ...streamMembers,
      // In a configuration the Transmitter returns, a poll stream carries the endpoint the Transmitter
      // assigned (§6.1.2; §8.1.1.1 says so explicitly for the default poll method).
      delivery: { $ref: DELIVERY_SCHEMA_ID, ...whenMethod(POLL_DELIVERY_METHOD, ['endpoint_url']) },
    },
  },
  {
    $id: STREAM_CREATE_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.1.1 stream creation request body',
    // Only the Receiver-supplied members mean anything here; others are left for the Transmitter to judge.
    type: 'object',
    properties: {
      events_requested: streamMembers.events_requested,
      delivery: streamMembers.delivery,
      description: streamMembers.description,
    },
  },
  {
    $id: STREAM_UPDATE_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.1.3 stream update (PATCH) request body',
    type: 'object',
    required: ['stream_id'],
    properties: streamMembers,
  },
  {
    $id: STREAM_REPLACE_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.1.4 stream replacement (PUT) request body',
    // A PUT carries every Receiver-supplied member, and an omitted one is deleted; `delivery` is REQUIRED
    // in a stream configuration, so it cannot be deleted and must be present.
    type: 'object',
    required: ['stream_id', 'delivery'],
    properties: streamMembers,
  },
  {
    $id: STREAM_STATUS_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.2.1 stream status',
    type: 'object',
    required: ['stream_id', 'status'],
    properties: streamStatusMembers,
  },
  {
    $id: STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.2.2 stream status update request body',
    type: 'object',
    required: ['stream_id', 'status'],
    properties: streamStatusMembers,
  },
  {
    $id: ADD_SUBJECT_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.3.2 add subject request body',
    type: 'object',
    required: ['stream_id', 'subject'],
    properties: {
      stream_id: nonEmptyString,
      subject: { $ref: SUBJECT_ID_SCHEMA_ID },
      // Absent means the Transmitter SHOULD assume true.
      verified: { type: 'boolean' },
    },
  },
  {
    $id: REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.3.3 remove subject request body',
    type: 'object',
    required: ['stream_id', 'subject'],
    properties: {
      stream_id: nonEmptyString,
      subject: { $ref: SUBJECT_ID_SCHEMA_ID },
    },
  },
  {
    $id: VERIFICATION_REQUEST_SCHEMA_ID,
    title: 'SSF 1.0 §8.1.4.2 verification request body',
    type: 'object',
    required: ['stream_id'],
    properties: {
      stream_id: nonEmptyString,
      state: { type: 'string' },
    },
  },
  {
    $id: POLL_REQUEST_SCHEMA_ID,
    title: 'RFC 8936 §2.4 poll request body',
    // Every member is optional; `{}` asks for a default poll.
    type: 'object',
    properties: {
      // 0 makes the request acknowledge-only.
      maxEvents: nonNegativeInteger,
      returnImmediately: { type: 'boolean' },
      ack: { type: 'array', items: nonEmptyString },
      setErrs: {
        type: 'object',
        propertyNames: nonEmptyString,
        additionalProperties: errorObject,
      },
    },
  },
  {
    $id: POLL_RESPONSE_SCHEMA_ID,
    title: 'RFC 8936 §2.5 poll response body',
    type: 'object',
    required: ['sets'],
    properties: {
      // jti → SET; `{}` when nothing is available.
      sets: {
        type: 'object',
        propertyNames: nonEmptyString,
        additionalProperties: compactJws,
      },
      // Absent means false.
      moreAvailable: { type: 'boolean' },
    },
  },
  {
    $id: PUSH_ERROR_SCHEMA_ID,
    title: 'RFC 8935 §2.3 push error response body',
    ...errorObject,
  },
];
