/**
 * The generator of the Jamf Pro API route schemas: the committed module is what the generator makes of
 * Jamf's 11.7.1 description today (regenerated in memory; skipped with a message when ../shared is absent,
 * as in users' clones), it keeps facts only and the stated relaxations, and the conversion rules hold on a
 * small description of our own (run everywhere).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import {
  DESCRIBED_OPERATIONS,
  deriveJamfProSchemas,
  JAMF_PRO_API_SCHEMA_ID,
  type OpenApiDocument,
} from './generate-jamf-pro-schemas.ts';
import { JAMF_PRO_API_DOCUMENT, JAMF_PRO_API_ROUTES } from './jamf-pro-api.generated.ts';

const specPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/vendor-specs/jamf-pro/jamf-pro-11.7.1-openapi.json',
);
const available = existsSync(specPath);

test.runIf(!available)(`regeneration is skipped: ${specPath} is absent (it lives beside the project)`, () => {
  expect(available).toBe(false);
});

test.skipIf(!available)(
  'the committed module is exactly what the generator derives from the description (run `npm run vendor-schemas`)',
  () => {
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
    const derived = deriveJamfProSchemas(spec);
    // Through JSON: fastify marks the schemas a running app declares with a symbol (test files share a worker).
    const committed = JSON.parse(JSON.stringify({ JAMF_PRO_API_DOCUMENT, JAMF_PRO_API_ROUTES }));
    expect(derived.document).toEqual(committed.JAMF_PRO_API_DOCUMENT);
    expect(derived.routes).toEqual(committed.JAMF_PRO_API_ROUTES);
    // Only the components the routes reach, not the description's hundreds.
    const defs = Object.keys(derived.document.$defs);
    expect(defs.length).toBeLessThan(Object.keys(spec.components.schemas).length / 2);
  },
);

/** Every keyword used anywhere, property names excluded. */
function keywords(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keywords(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      if (k === 'properties' || k === '$defs') for (const s of Object.values(v as object)) keywords(s, out);
      else {
        out.add(k);
        keywords(v, out);
      }
    }
  return out;
}

test('the committed module holds facts only, one route per described operation, with the relaxations', () => {
  const used = keywords([JAMF_PRO_API_DOCUMENT, JAMF_PRO_API_ROUTES]);
  for (const prose of ['description', 'example', 'examples', 'title', 'nullable', 'discriminator'])
    expect(used.has(prose), prose).toBe(false);
  expect([...used].filter((k) => k.startsWith('x-'))).toEqual([]);
  expect(Object.keys(JAMF_PRO_API_ROUTES).sort()).toEqual(
    DESCRIBED_OPERATIONS.map((o) => o.replace(' /', ' /api/')).sort(),
  );
  const defs = JAMF_PRO_API_DOCUMENT.$defs as Record<string, { properties: Record<string, unknown> }>;
  // Real 401s carry `"field": null`.
  expect(defs.ApiErrorCause?.properties.field).toEqual({ type: ['string', 'null'] });
  // Unrequested sections are null.
  expect(defs.ComputerInventory?.properties.hardware).toMatchObject({ anyOf: [{}, { type: 'null' }] });
  expect(defs.ComputerInventory?.properties.id).not.toHaveProperty('anyOf');
  // Every route declares Jamf's ApiError for the errors the description leaves out.
  for (const [key, route] of Object.entries(JAMF_PRO_API_ROUTES))
    expect(route.response['4xx'] ?? route.response['404'], key).toBeDefined();
});

test('the conversion: refs into one $defs document, nullable, discriminated unions, reached components only', () => {
  const spec: OpenApiDocument = {
    paths: {
      '/v1/auth/token': {
        post: {
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        ApiError: { type: 'object', properties: { httpStatus: { type: 'integer' } } },
        Pet: {
          type: 'object',
          description: 'prose',
          'x-internal': true,
          discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } },
          oneOf: [{ $ref: '#/components/schemas/Cat' }],
        },
        Cat: {
          type: 'object',
          properties: { description: { type: 'string', nullable: true, example: 'x' } },
        },
        Unreached: { type: 'string' },
      },
    },
  };
  // An operation the mock serves but the description lacks is an error, not a silently missing schema.
  expect(() => deriveJamfProSchemas(spec)).toThrow(/the description has no POST \/v1\/auth\/keep-alive/);
  const operation = spec.paths['/v1/auth/token']?.post ?? {};
  const paths: Record<string, Record<string, typeof operation>> = {};
  for (const op of DESCRIBED_OPERATIONS) {
    const [method = '', p = ''] = op.split(' ');
    paths[p] = { ...paths[p], [method.toLowerCase()]: operation };
  }
  const full: OpenApiDocument = { ...spec, paths };
  const { document, routes } = deriveJamfProSchemas(full);
  expect(Object.keys(document.$defs).sort()).toEqual(['ApiError', 'Cat', 'Pet']);
  const ref = (name: string) => ({ $ref: `${JAMF_PRO_API_SCHEMA_ID}#/$defs/${name}` });
  expect(document.$defs.Pet).toEqual({
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: ['cat'] } },
    // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword here.
    allOf: [{ if: { properties: { kind: { const: 'cat' } } }, then: ref('Cat') }],
  });
  // A property named `description` is data and stays; its `example` goes; `nullable` becomes a null type.
  expect(document.$defs.Cat).toEqual({
    type: 'object',
    properties: { description: { type: ['string', 'null'] } },
  });
  expect(routes['POST /api/v1/auth/token']?.response).toEqual({
    200: ref('Pet'),
    '4xx': ref('ApiError'),
    '5xx': ref('ApiError'),
  });
});
