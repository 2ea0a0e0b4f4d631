/**
 * Route schemas for every fastify app the lab serves (the mocks, the lab's controls): each route declares
 * its request parts (`body`, `querystring`, `params`, `headers`) and its answers by status (`response`,
 * keyed `200`, `4xx`, `default`) as JSON Schemas, and `useRouteSchemas` makes them work the same way in
 * every app:
 *
 * - **Requests are validated, never rewritten.** Fastify's default ajv coerces types, fills defaults and
 *   strips unknown members; a mock that did that would accept what the vendor refuses and hide what a
 *   client really sent. Here body schemas validate the body as sent; the querystring, path parameters and
 *   headers (always strings on the wire) are validated on a coerced copy, so `limit=20` matches an
 *   `integer` schema while the handler still reads the string. A refused request reaches the app's error
 *   handler as fastify's `FST_ERR_VALIDATION` error; `validationCauses` turns it into field-named causes
 *   so each mock answers in its vendor's error shape.
 * - **Validators compile on first use**, once per schema object in the process: a lab that starts in
 *   every test file pays only for the routes it calls.
 * - **A schema that is exactly `{ $ref: <id> }` of the protocol core's registry** (the SSF wire schemas) is
 *   declared on the route but validated where the engine reads it, with the same compiled schema, because
 *   the engine answers with SSF's own error codes (`invalid_request`…) and the precise member at fault.
 * - **Answers are serialized with `JSON.stringify`**, not compiled from the response schema: a serializer
 *   built from the schema drops undeclared members and coerces types, which would make a mock's answer
 *   look conformant on the wire when it is not. The response schemas are checked instead: `observeResponses`
 *   validates every JSON answer against the schema declared for its status (the contract tests use it), and
 *   an answer with a status the route does not declare is a violation too.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type * as AjvFormats from 'ajv-formats';
import type { FastifyError, FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { getValidator, hasSchema, type JsonSchema } from '../protocol/index.ts';

const requireOnFirstUse = createRequire(import.meta.url);

/** A route as declared: method, url pattern as registered (`/api/v1/users/:id`) and its schemas. */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema | undefined;
}

/** One JSON answer that does not match what its route declares. */
export interface ResponseViolation {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly problems: readonly string[];
}

/** What an observer is told about each answer to a routed request. */
export interface ObservedAnswer {
  readonly method: string;
  /** The route's url pattern. */
  readonly url: string;
  readonly status: number;
  /** The violations of the declared response schema; empty when the answer conforms. */
  readonly problems: readonly string[];
}

export type ResponseObserver = (answer: ObservedAnswer) => void;

/** A request part fastify validates. */
type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

interface AppRecord {
  readonly routes: DeclaredRoute[];
  readonly observers: Set<ResponseObserver>;
}

const apps = new WeakMap<FastifyInstance, AppRecord>();
/** Schema documents (`$id`ed) referenced by route schemas, added to both engines before the first compile. */
const documents = new Map<string, JsonSchema>();

let exactAjv: Ajv2020 | undefined;
let coercingAjv: Ajv2020 | undefined;

function createAjv(coerce: boolean): Ajv2020 {
  const { Ajv2020: Ajv } = requireOnFirstUse('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = (requireOnFirstUse('ajv-formats') as typeof AjvFormats)
    .default as unknown as AjvFormats.FormatsPlugin;
  // strict off: vendor-derived schemas carry OpenAPI annotations (`format: int64`, `readOnly`…) that
  // strict mode would refuse; unknown formats are accepted as annotations, as OpenAPI intends.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: false,
    removeAdditional: false,
    validateFormats: true,
  });
  addFormats(ajv, ['email', 'uri', 'date-time', 'date', 'uuid', 'ipv4', 'ipv6']);
  for (const format of [
    'int32',
    'int64',
    'float',
    'double',
    'byte',
    'binary',
    'password',
    'hostname',
    'uri-reference',
  ])
    ajv.addFormat(format, true);
  for (const doc of documents.values()) ajv.addSchema(doc as object);
  return ajv;
}

function engine(coerce: boolean): Ajv2020 {
  if (coerce) {
    coercingAjv ??= createAjv(true);
    return coercingAjv;
  }
  exactAjv ??= createAjv(false);
  return exactAjv;
}

/**
 * Makes schema documents (each with a `$id`) available to `$ref`s in route schemas, e.g. the vendor
 * descriptions' components. Idempotent per `$id`; must run before the first request is validated.
 */
export function addSchemaDocuments(docs: readonly JsonSchema[]): void {
  for (const doc of docs) {
    const id = doc.$id;
    if (typeof id !== 'string') throw new TypeError('a schema document needs a $id');
    if (documents.has(id)) continue;
    documents.set(id, doc);
    exactAjv?.addSchema(doc as object);
    coercingAjv?.addSchema(doc as object);
  }
}

/** `{ $ref: id }` of a protocol-core schema: validated where the engine reads it (see the header). */
function protocolRef(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const keys = Object.keys(schema);
  const ref = (schema as { $ref?: unknown }).$ref;
  return keys.length === 1 && typeof ref === 'string' && hasSchema(ref) ? ref : undefined;
}

const compiled = new Map<string, WeakMap<object, ValidateFunction>>([
  ['exact', new WeakMap()],
  ['coerce', new WeakMap()],
]);

function compiledFor(schema: object, coerce: boolean): ValidateFunction {
  const cache = compiled.get(coerce ? 'coerce' : 'exact') as WeakMap<object, ValidateFunction>;
  let validate = cache.get(schema);
  if (validate === undefined) {
    validate = engine(coerce).compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** A schema that declares a non-string type, or refers to one that may. */
const COERCIBLE = /"(integer|number|boolean|array|null)"|"\$ref"/;

type FastifyValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The validator fastify calls for one request part of one route. */
function requestValidator(schema: unknown, part: HttpPart): FastifyValidator {
  if (typeof schema === 'boolean') {
    const fixed: FastifyValidator = () => schema;
    return fixed;
  }
  if (protocolRef(schema) !== undefined) return () => true;
  // Query, params and headers arrive as strings: coercion (and the copy it needs) only where the schema
  // asks for another type somewhere, or may through a `$ref`. Most parts are strings only.
  const coerce = part !== 'body' && COERCIBLE.test(JSON.stringify(schema));
  const validator: FastifyValidator = (data) => {
    const validate = compiledFor(schema as object, coerce);
    // Coercion writes into the data it validates: a copy, so the handler reads what was sent.
    const ok = validate(coerce && data !== null && typeof data === 'object' ? structuredClone(data) : data);
    validator.errors = ok ? null : (validate.errors ?? null);
    return ok;
  };
  return validator;
}

/** The schema declared for `status` in a route's `response` map: exact code, then `4xx`, then `default`. */
export function responseSchemaFor(schema: FastifySchema | undefined, status: number): unknown {
  const response = schema?.response as Record<string, unknown> | undefined;
  if (response === undefined) return undefined;
  return response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response.default;
}

/** The JSON schema inside a response entry: plain, or `{ content: { 'application/json': { schema } } }`. */
function jsonSchemaOf(entry: unknown, contentType: string): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  const content = (entry as { content?: Record<string, { schema?: unknown }> }).content;
  if (content === undefined) return entry;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return content[type]?.schema ?? content['*/*']?.schema;
}

/** The problems of one answer against a route's declared response schemas (empty when it conforms). */
export function responseProblems(
  schema: FastifySchema | undefined,
  status: number,
  contentType: string,
  body: string,
): string[] {
  const entry = responseSchemaFor(schema, status);
  if (entry === undefined) return [`the route declares no response schema for status ${status}`];
  const declared = jsonSchemaOf(entry, contentType);
  if (declared === undefined)
    return [`the route declares no schema for a ${contentType || 'untyped'} answer`];
  if (!/json/i.test(contentType)) return [];
  let data: unknown;
  try {
    data = body === '' ? null : JSON.parse(body);
  } catch {
    return ['the answer is declared JSON but does not parse'];
  }
  const ref = protocolRef(declared);
  const validate =
    ref !== undefined
      ? getValidator(ref)
      : typeof declared === 'boolean'
        ? undefined
        : compiledFor(declared as object, false);
  if (validate === undefined) return declared === false ? ['the route declares this answer impossible'] : [];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}

/**
 * Installs the route-schema behaviour on `app` (call before any route is added): request validation as
 * described in the header, `JSON.stringify` serialization, and a record of every route for
 * `declaredRoutes` and `observeResponses`.
 */
export function useRouteSchemas(app: FastifyInstance): void {
  const record: AppRecord = { routes: [], observers: new Set() };
  apps.set(app, record);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    requestValidator(schema, (httpPart ?? 'body') as HttpPart),
  );
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== 'HEAD' && method !== 'OPTIONS')
        record.routes.push({ method, url: route.url, schema: route.schema });
  });
  // A callback hook, not an async one: it runs for every answer, and with no observer it does nothing.
  app.addHook('onSend', (request, reply, payload, done) => {
    const url = request.routeOptions.url;
    if (record.observers.size === 0 || url === undefined) return done(null, payload);
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const contentType = String(reply.getHeader('content-type') ?? '');
    const problems = responseProblems(request.routeOptions.schema, reply.statusCode, contentType, body);
    for (const observer of record.observers)
      observer({ method: request.method, url, status: reply.statusCode, problems });
    done(null, payload);
  });
}

/** Every route added to `app` since `useRouteSchemas`, with what it declares. */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  const record = apps.get(app);
  if (record === undefined) throw new TypeError('this app was not set up with useRouteSchemas');
  return record.routes;
}

/** Calls `observer` with every answer `app` gives to a routed request; returns the function that stops it. */
export function observeResponses(app: FastifyInstance, observer: ResponseObserver): () => void {
  const record = apps.get(app);
  if (record === undefined) throw new TypeError('this app was not set up with useRouteSchemas');
  record.observers.add(observer);
  return () => record.observers.delete(observer);
}

/** One refused request part, named as the vendor would name the field. */
export interface ValidationCause {
  /** `body`, `querystring`, `params` or `headers`. */
  readonly part: string;
  /** Dotted path of the member at fault (`profile.login`), or the missing member; '' for the whole part. */
  readonly field: string;
  /** What is wrong, in plain words (`is required`, `must be integer`). */
  readonly message: string;
}

/** The causes of fastify's schema-validation error, or undefined when `error` is not one. */
export function validationCauses(error: FastifyError): ValidationCause[] | undefined {
  if (error.code !== 'FST_ERR_VALIDATION') return undefined;
  const part = String((error as { validationContext?: string }).validationContext ?? 'body');
  const errors = ((error as { validation?: ErrorObject[] }).validation ?? []).filter(
    (e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf',
  );
  if (errors.length === 0) return [{ part, field: '', message: error.message }];
  return errors.map((e) => {
    const at = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .join('.');
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const missing = String(params.missingProperty);
      return { part, field: at === '' ? missing : `${at}.${missing}`, message: 'is required' };
    }
    if (e.keyword === 'additionalProperties')
      return {
        part,
        field: at === '' ? String(params.additionalProperty) : `${at}.${String(params.additionalProperty)}`,
        message: 'is not a recognised member',
      };
    return { part, field: at, message: e.message ?? e.keyword };
  });
}
