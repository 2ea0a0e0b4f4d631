/**
 * Derives the route schemas of the mock's Jamf Pro API routes from Jamf's own API description (the 11.7.1
 * OpenAPI 3.0.1 document in ../shared/vendor-specs, outside the project) and renders them as the committed
 * module `jamf-pro-api.generated.ts`, which the routes declare. Users' clones have no ../shared, so the
 * generated module ships; `npm run vendor-schemas` rewrites it and `generate-jamf-pro-schemas.test.ts`
 * regenerates it in memory and compares.
 *
 * What is taken: for each operation the mock serves, its path and query parameters, its JSON request body
 * and its answers by status, with only the components those reach. Facts only: descriptions, examples,
 * titles, `x-` extensions and XML hints are dropped. OpenAPI 3.0 is turned into JSON Schema 2020-12:
 * `nullable` becomes a `null` type, `#/components/schemas/X` a `$ref` into one `$defs` document, and a
 * `oneOf` with a discriminator mapping becomes one `if`/`then` per mapped value (plain `oneOf` would
 * refuse an iOS device that also happens to match the tvOS shape).
 *
 * Where the description is wrong about what Jamf Pro really sends, the generator relaxes that point, each
 * with its reason (see `RELAXATIONS`); and every route declares Jamf's `ApiError` for the 4xx and 5xx
 * statuses the description leaves out, because Jamf Pro answers every error of this API with one.
 */
import { type GeneratedRouteSchema, JAMF_PRO_API_SCHEMA_ID, REPEATABLE_STRING } from './jamf-pro-api-ids.ts';

export { type GeneratedRouteSchema, JAMF_PRO_API_SCHEMA_ID, REPEATABLE_STRING };

/** The subset of an OpenAPI 3.0 document the generator reads. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, unknown>>;
    readonly parameters?: Readonly<Record<string, OpenApiParameter>>;
  };
}

interface OpenApiParameter {
  readonly name?: string;
  readonly in?: string;
  readonly required?: boolean;
  readonly schema?: unknown;
  readonly $ref?: string;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> };
  readonly responses?: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> }>
  >;
}

type Schema = { [keyword: string]: unknown };

/**
 * The operations of the description the mock serves, as `METHOD /path` of the description (without the
 * `/api` server prefix). The mock's other Pro API routes are newer than 11.7.1 and hand-written.
 */
export const DESCRIBED_OPERATIONS = [
  'POST /v1/auth/token',
  'POST /v1/auth/keep-alive',
  'POST /v1/auth/invalidate-token',
  'GET /v1/auth',
  'GET /v1/jamf-pro-version',
  'GET /v1/computers-inventory',
  'GET /v1/computers-inventory/{id}',
  'GET /v1/computers-inventory-detail/{id}',
  'PATCH /v1/computers-inventory-detail/{id}',
  'POST /v1/computers/{id}/recalculate-smart-groups',
  'GET /v1/computer-groups',
  'GET /v1/mobile-device-groups',
  'POST /v1/smart-computer-groups/{id}/recalculate',
  'POST /v1/smart-mobile-device-groups/{id}/recalculate',
  'GET /v1/mobile-device-groups/static-groups',
  'POST /v1/mobile-device-groups/static-groups',
  'GET /v1/mobile-device-groups/static-groups/{id}',
  'PATCH /v1/mobile-device-groups/static-groups/{id}',
  'DELETE /v1/mobile-device-groups/static-groups/{id}',
  'GET /v1/mobile-device-groups/static-group-membership/{id}',
  'GET /v2/mobile-devices',
  'GET /v2/mobile-devices/detail',
  'GET /v2/mobile-devices/{id}',
  'GET /v2/mobile-devices/{id}/detail',
  'PATCH /v2/mobile-devices/{id}',
  'POST /v1/mobile-devices/{id}/recalculate-smart-groups',
] as const;

/** Inventory sections left `null` when not requested (the `section` parameter), except these members. */
const ALWAYS_PRESENT = new Set(['id', 'udid', 'mobileDeviceId', 'deviceType']);

/**
 * Where the description disagrees with what Jamf Pro 11.7.1 sends, or with what the mock accepts on
 * purpose; applied to the converted components and parameters.
 */
const RELAXATIONS: readonly { readonly what: string; readonly why: string }[] = [
  {
    what: 'ApiErrorCause.field may be null',
    why: 'real 401s carry `"field": null` (no single field is to blame); the description says string',
  },
  {
    what: 'the top-level sections of ComputerInventory and of the mobile inventory (MobileDeviceInventory, MobileDeviceIosInventory) may be null',
    why: 'Jamf sends every section that was not requested as null; the description does not mark them nullable',
  },
  {
    what: 'the `section` query parameter is an array of strings, not of the section enum',
    why: 'the mock accepts sections in any case and comma-separated (as Jamf SDKs send them) and names the parameter itself when one is unknown',
  },
  {
    what: 'the `filter` query parameter may be repeated',
    why: 'the mock joins repeated filters with `and` (a documented mock choice) where the description has one string',
  },
];

/** The relaxations, for the README and the test that shows them in the generated module. */
export function relaxations(): readonly { readonly what: string; readonly why: string }[] {
  return RELAXATIONS;
}

const DROPPED = new Set([
  'description',
  'example',
  'examples',
  'title',
  'xml',
  'externalDocs',
  'deprecated',
  'discriminator',
  'nullable',
]);
/** Keywords whose value is a map of names to schemas (names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs']);

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const COMPONENT_PREFIX = '#/components/schemas/';

/** Converts one OpenAPI 3.0 schema, collecting the names of the components it references. */
function convert(input: unknown, reached: Set<string>): unknown {
  if (Array.isArray(input)) return input.map((v) => convert(v, reached));
  if (!isSchema(input)) return input;
  if (typeof input.$ref === 'string') {
    const name = input.$ref.startsWith(COMPONENT_PREFIX) ? input.$ref.slice(COMPONENT_PREFIX.length) : '';
    if (name === '') throw new Error(`unsupported $ref ${input.$ref}`);
    reached.add(name);
    return { $ref: `${JAMF_PRO_API_SCHEMA_ID}#/$defs/${name}` };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    out[key] =
      SCHEMA_MAPS.has(key) && isSchema(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, reached)]))
        : convert(value, reached);
  }
  const discriminator = input.discriminator;
  if (Array.isArray(input.oneOf) && isSchema(discriminator) && isSchema(discriminator.mapping)) {
    const property = String(discriminator.propertyName);
    const mapping = Object.entries(discriminator.mapping).map(([value, ref]) => [
      value,
      convert({ $ref: ref }, reached),
    ]);
    delete out.oneOf;
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), property])];
    out.properties = {
      ...(isSchema(out.properties) ? out.properties : {}),
      [property]: { enum: mapping.map(([value]) => value) },
    };
    out.allOf = mapping.map(([value, then]) => ({
      if: { properties: { [property]: { const: value } } },
      then,
    }));
  }
  if (input.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined) return { anyOf: [out, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function nullable(schema: unknown): unknown {
  return { anyOf: [schema, { type: 'null' }] };
}

/** Inventories whose sections Jamf sends as null when not requested. */
const SECTIONED = new Set(['ComputerInventory', 'MobileDeviceInventory', 'MobileDeviceIosInventory']);

/** Every member but `ALWAYS_PRESENT` may be null, in the schema and in its inline `allOf` parts. */
function nullableSections(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (isSchema(schema.properties))
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, ALWAYS_PRESENT.has(k) ? v : nullable(v)]),
    );
  if (Array.isArray(schema.allOf))
    out.allOf = schema.allOf.map((part) =>
      isSchema(part) && part.$ref === undefined ? nullableSections(part) : part,
    );
  return out;
}

/** Applies the relaxations that concern components (see `RELAXATIONS`). */
function relaxComponent(name: string, schema: Schema): Schema {
  if (name === 'ApiErrorCause' && isSchema(schema.properties)) {
    const properties = schema.properties as Schema;
    return { ...schema, properties: { ...properties, field: { type: ['string', 'null'] } } };
  }
  if (SECTIONED.has(name)) return nullableSections(schema);
  return schema;
}

export interface GeneratedJamfProSchemas {
  /** The components reached by the routes, as one `$defs` document. */
  readonly document: { readonly $id: string; readonly $defs: Record<string, unknown> };
  /** Route schemas by `METHOD /api/path/{param}` (the mock's url, in the description's notation). */
  readonly routes: Record<string, GeneratedRouteSchema>;
}

const API_ERROR = { $ref: `${JAMF_PRO_API_SCHEMA_ID}#/$defs/ApiError` };

function parameterObject(
  spec: OpenApiDocument,
  parameters: readonly OpenApiParameter[],
  where: 'path' | 'query',
  reached: Set<string>,
): Schema | undefined {
  const properties: Schema = {};
  const required: string[] = [];
  for (const p of parameters) {
    const resolved =
      typeof p.$ref === 'string'
        ? spec.components.parameters?.[p.$ref.replace('#/components/parameters/', '')]
        : p;
    if (resolved?.in !== where || typeof resolved.name !== 'string') continue;
    let schema = convert(resolved.schema ?? {}, reached);
    if (where === 'query' && resolved.name === 'section')
      schema = { type: 'array', items: { type: 'string' } };
    if (where === 'query' && resolved.name === 'filter') schema = REPEATABLE_STRING;
    properties[resolved.name] = schema;
    if (resolved.required === true || where === 'path') required.push(resolved.name);
  }
  if (Object.keys(properties).length === 0) return undefined;
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** The route schemas of `DESCRIBED_OPERATIONS`, and the components they reach, from `spec`. */
export function deriveJamfProSchemas(spec: OpenApiDocument): GeneratedJamfProSchemas {
  const reached = new Set<string>(['ApiError']);
  const routes: Record<string, GeneratedRouteSchema> = {};
  for (const key of DESCRIBED_OPERATIONS) {
    const [method = '', path = ''] = key.split(' ');
    const op = spec.paths[path]?.[method.toLowerCase()];
    if (op === undefined) throw new Error(`the description has no ${key}`);
    const parameters = op.parameters ?? [];
    const params = parameterObject(spec, parameters, 'path', reached);
    const querystring = parameterObject(spec, parameters, 'query', reached);
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const response: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(op.responses ?? {})) {
      const json = answer.content?.['application/json']?.schema;
      // No content: the answer has no body (fastify's notation for "nothing is sent").
      response[status] = json === undefined ? { type: 'null' } : convert(json, reached);
    }
    response['4xx'] ??= API_ERROR;
    response['5xx'] ??= API_ERROR;
    routes[`${method} /api${path}`] = {
      ...(params ? { params } : {}),
      ...(querystring ? { querystring } : {}),
      ...(bodySchema !== undefined
        ? { body: { content: { 'application/json': { schema: convert(bodySchema, reached) } } } }
        : {}),
      response,
    };
  }
  // Close over the components: each converted component may reach more.
  const $defs: Record<string, unknown> = {};
  const pending = [...reached];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in $defs) continue;
    const source = spec.components.schemas[name];
    if (source === undefined) throw new Error(`the description has no component ${name}`);
    const more = new Set<string>();
    $defs[name] = relaxComponent(name, convert(source, more) as Schema);
    for (const m of more) if (!(m in $defs)) pending.push(m);
  }
  const sorted = Object.fromEntries(
    Object.keys($defs)
      .sort()
      .map((k) => [k, $defs[k]]),
  );
  return { document: { $id: JAMF_PRO_API_SCHEMA_ID, $defs: sorted }, routes };
}

/** The TypeScript source of `jamf-pro-api.generated.ts` (biome formats it after writing). */
export function renderJamfProSchemasModule(spec: OpenApiDocument): string {
  const { document, routes } = deriveJamfProSchemas(spec);
  return [
    '// biome-ignore-all lint/suspicious/noThenProperty: `then` is the JSON Schema keyword in these schemas.',
    '// Generated by `npm run vendor-schemas` from Jamf Pro 11.7.1 OpenAPI description',
    '// (mocks/jamf-pro/schemas/generate-jamf-pro-schemas.ts). Do not edit: regenerate.',
    '// Relaxed where the description is wrong about what Jamf Pro sends:',
    ...RELAXATIONS.map((r) => `// - ${r.what}: ${r.why}.`),
    "import type { JsonSchema } from '../../../harness/protocol/index.ts';",
    "import type { GeneratedRouteSchema } from './jamf-pro-api-ids.ts';",
    '',
    `export const JAMF_PRO_API_DOCUMENT: JsonSchema = ${JSON.stringify(document)};`,
    '',
    `export const JAMF_PRO_API_ROUTES: Readonly<Record<string, GeneratedRouteSchema>> = ${JSON.stringify(routes)};`,
    '',
  ].join('\n');
}
