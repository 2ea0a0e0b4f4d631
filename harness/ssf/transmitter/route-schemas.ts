/**
 * The route schemas of the transmitter's HTTP face (plugin.ts). Every body and answer SSF defines is
 * declared as `{ $ref: <protocol registry id> }` of the SSF wire schemas: declared on the route, validated
 * where the transmitter reads it (route-schemas.ts), because the transmitter answers a bad body with SSF's
 * own `invalid_request` naming the member at fault. What fastify itself validates is only what the
 * transmitter reads as a plain string: the `stream_id` query parameter and the poll path's stream id.
 *
 * Statuses are the spec's (SSF §8.1, RFC 8936 §2); an answer a deviation makes (a 200 for a 201, a 204 for
 * a 200…) is declared nowhere, so a contract test reports it — that is what a deviation is for. Errors are
 * the transmitter's `{error, error_description}` (errors.ts) under `4xx` and `5xx`.
 */
import {
  ADD_SUBJECT_REQUEST_SCHEMA_ID,
  type JsonSchema,
  POLL_REQUEST_SCHEMA_ID,
  POLL_RESPONSE_SCHEMA_ID,
  REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
  SSF_WIRE_SCHEMAS,
  STREAM_CONFIGURATION_SCHEMA_ID,
  STREAM_CREATE_REQUEST_SCHEMA_ID,
  STREAM_REPLACE_REQUEST_SCHEMA_ID,
  STREAM_STATUS_SCHEMA_ID,
  STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
  STREAM_UPDATE_REQUEST_SCHEMA_ID,
  TRANSMITTER_METADATA_SCHEMA_ID,
  VERIFICATION_REQUEST_SCHEMA_ID,
} from '../../protocol/index.ts';
import { addSchemaDocuments } from '../route-schemas.ts';

// The wire schemas as documents of the route engine too, so a route schema can `$ref` one inside a larger
// schema (a list of stream configurations); a bare `{ $ref }` still goes to the protocol core's engine.
addSchemaDocuments(SSF_WIRE_SCHEMAS);

/** The transmitter's error body (errors.ts): OAuth's `{error, error_description}`. */
export const SSF_API_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: { error: { type: 'string', minLength: 1 }, error_description: { type: 'string' } },
};

const errors = { '4xx': SSF_API_ERROR_SCHEMA, '5xx': SSF_API_ERROR_SCHEMA } as const;
const ref = (id: string): JsonSchema => ({ $ref: id });
/** An answer with no body (201/204 of SSF's subject and verification calls). */
const noBody: JsonSchema = { description: 'No body.' };

const streamIdQuery: JsonSchema = {
  type: 'object',
  properties: { stream_id: { type: 'string', minLength: 1 } },
};

/** RFC 7517 §5: a JWK Set; the keys are public (no `d`). */
export const JWK_SET_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty'],
        properties: { kty: { type: 'string' } },
        not: { required: ['d'] },
      },
    },
  },
};

/** RFC 6749 §5.1 token answer of the client-credentials grant. */
const tokenAnswer: JsonSchema = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in'],
  properties: {
    access_token: { type: 'string', minLength: 1 },
    token_type: { const: 'Bearer' },
    expires_in: { type: 'integer', minimum: 1 },
    scope: { type: 'string' },
  },
};

export const TRANSMITTER_ROUTE_SCHEMAS = {
  metadata: { response: { 200: ref(TRANSMITTER_METADATA_SCHEMA_ID), ...errors } },
  jwks: { response: { 200: JWK_SET_SCHEMA, ...errors } },
  token: {
    // The form is parsed into URLSearchParams and read by the authenticator, which answers RFC 6749's
    // own error codes (`unsupported_grant_type`, `invalid_client`); the schema documents the members.
    body: {
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            description: 'grant_type=client_credentials, client_id and client_secret (or HTTP Basic), scope',
          },
        },
      },
    },
    response: { 200: tokenAnswer, ...errors },
  },
  createStream: {
    body: ref(STREAM_CREATE_REQUEST_SCHEMA_ID),
    response: { 201: ref(STREAM_CONFIGURATION_SCHEMA_ID), ...errors },
  },
  readStreams: {
    querystring: streamIdQuery,
    // SSF §8.1.1.2: one configuration with stream_id, an array of them without.
    response: {
      200: {
        anyOf: [
          ref(STREAM_CONFIGURATION_SCHEMA_ID),
          { type: 'array', items: ref(STREAM_CONFIGURATION_SCHEMA_ID) },
        ],
      },
      ...errors,
    },
  },
  updateStream: {
    body: ref(STREAM_UPDATE_REQUEST_SCHEMA_ID),
    response: { 200: ref(STREAM_CONFIGURATION_SCHEMA_ID), ...errors },
  },
  replaceStream: {
    body: ref(STREAM_REPLACE_REQUEST_SCHEMA_ID),
    response: { 200: ref(STREAM_CONFIGURATION_SCHEMA_ID), ...errors },
  },
  deleteStream: { querystring: streamIdQuery, response: { 204: noBody, ...errors } },
  readStatus: { querystring: streamIdQuery, response: { 200: ref(STREAM_STATUS_SCHEMA_ID), ...errors } },
  updateStatus: {
    body: ref(STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID),
    response: { 200: ref(STREAM_STATUS_SCHEMA_ID), ...errors },
  },
  addSubject: { body: ref(ADD_SUBJECT_REQUEST_SCHEMA_ID), response: { 200: noBody, ...errors } },
  removeSubject: { body: ref(REMOVE_SUBJECT_REQUEST_SCHEMA_ID), response: { 204: noBody, ...errors } },
  verify: { body: ref(VERIFICATION_REQUEST_SCHEMA_ID), response: { 204: noBody, ...errors } },
  poll: {
    params: {
      type: 'object',
      required: ['streamId'],
      properties: { streamId: { type: 'string', minLength: 1 } },
    },
    body: ref(POLL_REQUEST_SCHEMA_ID),
    response: { 200: ref(POLL_RESPONSE_SCHEMA_ID), ...errors },
  },
} as const;
