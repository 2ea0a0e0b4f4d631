/**
 * The generator of okta-api.generated.ts: the route schemas of every operation the mock serves from Okta's
 * published API descriptions (management-minimal.yaml, oauth-minimal.yaml), derived from them — path and
 * query parameters, the request body (JSON, or the form the OAuth endpoints read), and each documented
 * response — plus one `$defs` document per description holding only the components those reach. Users'
 * clones have no ../shared/vendor-specs, so the generated module is what ships; `npm run vendor-schemas`
 * rewrites it and okta-api.generated.test.ts checks it is current.
 *
 * Choices where the description says nothing the router can use:
 * - statuses Okta does not list for an operation (413 for a body over the limit, 415, 500) answer with the
 *   description's own error object, so each route also declares `4xx` and `5xx` as Okta's `Error`
 *   (Management API) or `OAuthError` (OAuth endpoints);
 * - a documented status without content declares an empty answer (no body, or `{}`);
 * - `/authorize` also declares its 302 redirect (SUPPLEMENTS);
 * - an operation without a request body declares `body: {}`: Okta reads none and ignores what is sent;
 * - an optional request body may be absent (`null` is what the validator sees then);
 * - header parameters are not declared (Okta lists only optional ones the mock does not read);
 * - a `format` no validator knows (`ISO 8601 compliant timestamp`, `Opaque token`) is prose, and dropped.
 */
import { convertSchema, isObject, type Json, nullablePropertiesOf, parseSubset } from './openapi-subset.ts';

export type OktaSpec = 'management' | 'oauth';

/** The `$id` of the `$defs` document of each description. */
export const DOCUMENT_IDS: Readonly<Record<OktaSpec, string>> = {
  management: 'urn:ssf-lab:okta-management-api',
  oauth: 'urn:ssf-lab:okta-oauth-api',
};

/**
 * Answers an operation gives that its description leaves out, stated: `/authorize` redirects (Okta's text
 * says example responses are "intentionally omitted"), with no body.
 */
const SUPPLEMENTS: Readonly<Record<string, Json>> = {
  authorize: { 302: { type: 'object', maxProperties: 0 } },
};

/** The error object of each description: what an undocumented 4xx/5xx answers. */
const ERROR_SCHEMA: Readonly<Record<OktaSpec, string>> = { management: 'Error', oauth: 'OAuthError' };

export interface GeneratorInput {
  /** The text of management-minimal.yaml and oauth-minimal.yaml. */
  readonly management: string;
  readonly oauth: string;
  /** The operations the mock serves from each description. */
  readonly operations: readonly { readonly operationId: string; readonly spec: string }[];
}

export interface GeneratedSchemas {
  readonly documents: readonly Json[];
  /** Route schemas by operationId (`params`, `querystring`, `body`, `response`). */
  readonly operations: Readonly<Record<string, Json>>;
}

/** A description's path items and components, ready to resolve `$ref`s against. */
interface Source {
  readonly spec: OktaSpec;
  readonly doc: Json;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function component(source: Source, ref: string): Json | undefined {
  const m = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
  const components = source.doc.components;
  if (!m?.[1] || !m[2] || !isObject(components)) return undefined;
  const kind = components[m[1]];
  const found = isObject(kind) ? kind[m[2]] : undefined;
  return isObject(found) ? found : undefined;
}

/** Follows a `$ref` to a parameter, request body or response component (schemas stay references). */
function deref(source: Source, node: unknown): Json | undefined {
  if (!isObject(node)) return undefined;
  return typeof node.$ref === 'string' ? component(source, node.$ref) : node;
}

/** Rewrites `#/components/schemas/X` to `ref(X)` everywhere in a converted schema. */
function rewriteRefs(node: unknown, ref: (name: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, ref));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const m =
      key === '$ref' && typeof value === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(value) : null;
    out[key] = m?.[1] ? ref(m[1]) : rewriteRefs(value, ref);
  }
  return out;
}

function routeSchema(source: Source, method: string, pathItem: Json, operation: Json): Json {
  const external = (node: unknown): unknown =>
    rewriteRefs(convertSchema(node), (name) => `${DOCUMENT_IDS[source.spec]}#/$defs/${name}`);
  const parameters = [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ]
    .map((p) => deref(source, p))
    .filter((p): p is Json => p !== undefined);
  const schema: Json = {};
  for (const [part, where] of [
    ['params', 'path'],
    ['querystring', 'query'],
  ] as const) {
    const list = parameters.filter((p) => p.in === where && typeof p.name === 'string');
    if (list.length === 0) continue;
    const required = list.filter((p) => p.required === true).map((p) => String(p.name));
    schema[part] = {
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [String(p.name), external(p.schema ?? {})])),
      ...(required.length > 0 ? { required } : {}),
    };
  }
  const requestBody = deref(source, operation.requestBody);
  const content = isObject(requestBody?.content) ? requestBody.content : undefined;
  if (content === undefined) {
    if (method !== 'get' && method !== 'delete') schema.body = {};
  } else {
    const optional = requestBody?.required !== true;
    const bodyOf = (media: Json): unknown => {
      const s = external(media.schema ?? {});
      return optional ? { anyOf: [{ type: 'null' }, s] } : s;
    };
    const types = Object.keys(content);
    schema.body =
      types.length === 1 && types[0] === 'application/json' && isObject(content['application/json'])
        ? bodyOf(content['application/json'])
        : {
            content: Object.fromEntries(
              types
                .filter((t) => isObject(content[t]))
                .map((t) => [t, { schema: bodyOf(content[t] as Json) }]),
            ),
          };
  }
  const response: Json = {};
  const responses = isObject(operation.responses) ? operation.responses : {};
  for (const [status, raw] of Object.entries(responses)) {
    const answer = deref(source, raw);
    if (answer === undefined || !/^\d{3}$/.test(status)) continue;
    const media = isObject(answer.content) ? answer.content : undefined;
    const json = media === undefined ? undefined : Object.keys(media).find((t) => t.includes('json'));
    const entry = json === undefined ? undefined : (media?.[json] as Json | undefined);
    // No content documented: no body, or an empty JSON object (what some SDKs and proxies make of it).
    response[status] =
      entry === undefined ? { type: 'object', maxProperties: 0 } : external(entry.schema ?? {});
  }
  Object.assign(response, SUPPLEMENTS[String(operation.operationId)]);
  const error = { $ref: `${DOCUMENT_IDS[source.spec]}#/$defs/${ERROR_SCHEMA[source.spec]}` };
  response['4xx'] = error;
  response['5xx'] = error;
  schema.response = response;
  return schema;
}

/** The `$defs` document of a description: every schema component reached, converted, refs made local. */
function defsDocument(source: Source): Json {
  const components = isObject(source.doc.components) ? source.doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const names = Object.keys(schemas).sort();
  return {
    $id: DOCUMENT_IDS[source.spec],
    $defs: Object.fromEntries(
      names.map((name) => [
        name,
        rewriteRefs(convertSchema(schemas[name], nullablePropertiesOf(name)), (n) => `#/$defs/${n}`),
      ]),
    ),
  };
}

/** Derives the route schemas of `input.operations` from Okta's descriptions. */
export function generateOktaSchemas(input: GeneratorInput): GeneratedSchemas {
  const operations: Record<string, Json> = {};
  const documents: Json[] = [];
  for (const spec of ['management', 'oauth'] as const) {
    const ids = input.operations
      .filter((o) => o.spec === spec)
      .map((o) => o.operationId)
      .sort();
    const source: Source = { spec, doc: parseSubset(input[spec], ids, [ERROR_SCHEMA[spec]]) };
    const paths = isObject(source.doc.paths) ? source.doc.paths : {};
    for (const id of ids) {
      let found = false;
      for (const item of Object.values(paths)) {
        if (!isObject(item)) continue;
        for (const method of METHODS) {
          const operation = item[method];
          if (isObject(operation) && operation.operationId === id) {
            operations[id] = routeSchema(source, method, item, operation);
            found = true;
          }
        }
      }
      if (!found) throw new Error(`${id} is not an operation of Okta's ${spec} description`);
    }
    documents.push(defsDocument(source));
  }
  return { documents, operations };
}

/** The generated module's text: one line per definition and per operation, so a change reads as a diff. */
export function renderOktaSchemasModule(generated: GeneratedSchemas): string {
  const entries = (record: Json): string =>
    Object.entries(record)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
      .join('\n');
  const documents = generated.documents
    .map(
      (doc) =>
        `  {\n    $id: ${JSON.stringify(doc.$id)},\n    $defs: {\n${entries(doc.$defs as Json)
          .replaceAll('\n    ', '\n      ')
          .replace(/^ {4}/, '      ')}\n    },\n  },`,
    )
    .join('\n');
  return `// Generated by \`npm run vendor-schemas\` (mocks/okta/schemas/generate-okta-schemas.ts) from Okta's
// management-minimal.yaml and oauth-minimal.yaml: do not edit. Only facts are kept (no descriptions,
// examples, titles or x-* extensions), and only the components the mock's operations reach.
import type { JsonSchema } from '../../../harness/protocol/index.ts';

/** The \`$defs\` documents the route schemas \`$ref\` (one per Okta description). */
export const OKTA_API_DOCUMENTS: readonly JsonSchema[] = [
${documents}
];

/** Route schemas (\`params\`, \`querystring\`, \`body\`, \`response\`) by Okta operationId. */
export const OKTA_OPERATION_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
${entries(generated.operations as Json)
  .replaceAll('\n    ', '\n  ')
  .replace(/^ {4}/, '  ')}
};
`;
}
