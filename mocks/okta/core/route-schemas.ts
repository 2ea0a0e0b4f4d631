/**
 * Building blocks of the hand-written route schemas: the lab's `/_lab/` controls and the endpoints Okta
 * does not describe (the Classic Authentication API, the groups-claim panel, the OAuth metadata alias, the
 * Workflows stand-in). Their errors are Okta's `Error` object — the same definition the generated schemas
 * use (schemas/okta-api.generated.ts), so a lab control refuses bad input exactly as the Management API does.
 */
import type { FastifySchema } from 'fastify';
import type { JsonSchema } from '../../../harness/protocol/index.ts';

/** Okta's Management API error object (`errorCode`, `errorSummary`, `errorCauses`…). */
export const OKTA_ERROR: JsonSchema = { $ref: 'urn:ssf-lab:okta-management-api#/$defs/Error' };

/** An answer without a body (204), or an empty JSON object. */
export const NO_CONTENT: JsonSchema = { type: 'object', maxProperties: 0 };

export const STRING: JsonSchema = { type: 'string' };
export const INSTANT: JsonSchema = { type: 'string', format: 'date-time' };

/** An object with these members (others allowed: the views grow), `required` naming the ones always there. */
export function object(properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length > 0 ? { required: [...required] } : {}) };
}

export const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

/** Path parameters, all strings and required (`/_lab/apps/{appId}/…`). */
export function pathParams(...names: readonly string[]): JsonSchema {
  return object(Object.fromEntries(names.map((n) => [n, STRING])), names);
}

/** Optional query parameters, all strings. */
export function queryParams(...names: readonly string[]): JsonSchema {
  return object(Object.fromEntries(names.map((n) => [n, STRING])));
}

/** A route schema whose 4xx and 5xx answers are Okta's error object. */
export function oktaRoute(schema: FastifySchema & { response: Record<string, unknown> }): FastifySchema {
  return { ...schema, response: { ...schema.response, '4xx': OKTA_ERROR, '5xx': OKTA_ERROR } };
}
