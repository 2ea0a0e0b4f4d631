/**
 * What the generated Jamf Pro schemas and the mock share at run time: the `$id` of the components
 * document, the shape of one route's schemas, and the one relaxed query type. The generator
 * (generate-jamf-pro-schemas.ts) is a development tool and is not shipped; this module is.
 */

/** The `$id` of the components document the route schemas `$ref`. */
export const JAMF_PRO_API_SCHEMA_ID = 'urn:ssf-lab:jamf-pro:api-11.7.1';

/** A string query parameter that may also be repeated (see the generator's `RELAXATIONS`). */
export const REPEATABLE_STRING = { type: ['string', 'array'], items: { type: 'string' } };

type Schema = { [keyword: string]: unknown };

/** A route's schemas as fastify takes them (request parts and answers by status). */
export interface GeneratedRouteSchema {
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  response: Record<string, unknown>;
}
