/**
 * The one ajv registry. Every wire payload schema is registered here once, under its stable `$id`, and
 * nothing happens at import: the ajv instance is made, and every schema added to it, on the first
 * validation in the process; each schema is compiled the first time it is used and cached — so importing
 * the protocol core costs no compilation, a CLI run pays only for the schemas it touches, and nothing
 * compiles twice. Mocks, the validator and the suites all validate through it.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type * as AjvFormats from 'ajv-formats';
import { EVENT_SCHEMAS } from './events.ts';
import { GTR_SCHEMAS } from './gtr-request.ts';
import type { JsonSchema } from './json-schema.ts';
import { SET_SCHEMAS } from './set-claims.ts';
import { SSF_WIRE_SCHEMAS } from './ssf-wire.ts';
import { SUBJECT_ID_SCHEMAS } from './subject-identifiers.ts';

// ajv and ajv-formats are CommonJS: required on the first validation, so that importing the protocol core
// does not even load them.
const requireOnFirstUse = createRequire(import.meta.url);

export const ALL_SCHEMAS: readonly JsonSchema[] = [
  ...SUBJECT_ID_SCHEMAS,
  ...EVENT_SCHEMAS,
  ...SET_SCHEMAS,
  ...SSF_WIRE_SCHEMAS,
  ...GTR_SCHEMAS,
];

export interface SchemaError {
  /** JSON Pointer to the offending value inside the validated document. */
  readonly path: string;
  readonly message: string;
  /** The ajv keyword that failed, e.g. `required`, `enum`, `additionalProperties`. */
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface SchemaResult {
  readonly valid: boolean;
  readonly errors: readonly SchemaError[];
}

/** Made on first use: adding a schema checks it against the meta-schema, which ajv compiles first. */
function createAjv(): Ajv2020 {
  const { Ajv2020: Ajv } = requireOnFirstUse('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // ajv-formats sets `exports.default`; under NodeNext the plugin is that default member.
  const addFormats = (requireOnFirstUse('ajv-formats') as typeof AjvFormats)
    .default as unknown as AjvFormats.FormatsPlugin;
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    // The schemas use "examples" and "title" as annotations; nothing else is tolerated.
    strictRequired: false,
  });
  addFormats(ajv, ['email', 'uri', 'ipv4', 'ipv6', 'date-time', 'uuid']);
  const seen = new Set<string>();
  for (const schema of ALL_SCHEMAS) {
    const id = schema.$id;
    if (typeof id !== 'string')
      throw new TypeError(`schema without $id: ${JSON.stringify(schema).slice(0, 80)}`);
    if (seen.has(id)) throw new TypeError(`duplicate schema $id ${id}`);
    seen.add(id);
    ajv.addSchema(schema as object);
  }
  return ajv;
}

let ajv: Ajv2020 | undefined;

export function schemaIds(): string[] {
  return ALL_SCHEMAS.map((s) => s.$id as string);
}

export function hasSchema(id: string): boolean {
  return ALL_SCHEMAS.some((s) => s.$id === id);
}

const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for a schema id (compiled on first use, then cached). */
export function getValidator(id: string): ValidateFunction {
  let validate = compiled.get(id);
  if (validate === undefined) {
    ajv ??= createAjv();
    validate = ajv.getSchema(id);
    if (validate === undefined) throw new TypeError(`no schema registered with $id ${id}`);
    compiled.set(id, validate);
  }
  return validate;
}

export function toSchemaErrors(
  errors: readonly ErrorObject[] | null | undefined,
  rootLabel = 'the value',
): SchemaError[] {
  if (!errors) return [];
  return errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf')
    .map((e) => ({
      path: e.instancePath,
      keyword: e.keyword,
      params: e.params as Record<string, unknown>,
      message: describeError(e, rootLabel),
    }));
}

/** Validates `data` against the schema `id`; `rootLabel` names the document in messages. */
export function validateWithSchema(id: string, data: unknown, rootLabel = 'the value'): SchemaResult {
  const validate = getValidator(id);
  if (validate(data)) return { valid: true, errors: [] };
  return { valid: false, errors: toSchemaErrors(validate.errors, rootLabel) };
}

/** Turns an ajv error into a sentence that names the member and what was expected. */
export function describeError(e: ErrorObject, rootLabel = 'the value'): string {
  const where =
    e.instancePath === ''
      ? rootLabel
      : `"${e.instancePath.slice(1).replaceAll('~1', '/').replaceAll('~0', '~')}"`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where} is missing required member "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${where} has member "${String(p.additionalProperty)}", which its definition does not describe`;
    case 'enum':
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where} must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `${where} must be of type ${String(p.type)}`;
    case 'format':
      return `${where} is not a valid ${String(p.format)}`;
    case 'pattern':
      return `${where} does not match the required syntax ${String(p.pattern)}`;
    case 'minProperties':
      return `${where} must have at least ${String(p.limit)} member(s)`;
    case 'minItems':
      return `${where} must have at least ${String(p.limit)} item(s)`;
    case 'minLength':
      return `${where} must not be empty`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}
