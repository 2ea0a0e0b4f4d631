/**
 * Target files: what `ssf-lab certify` and `npm test` grade when they do not grade the lab — real
 * endpoints, the plans to run against them with each plan's options, where the harness's own endpoints
 * are reachable, and an optional expected-failures ledger. Format (docs/certify.md has a full example):
 *
 *   {
 *     "name": "Acme transmitter, staging",
 *     "harness": { "publicUrl": "https://abc.tunnel.example", "listenHost": "127.0.0.1", "listenPort": 8443 },
 *     "plans": { "ssf-transmitter": { "issuer": "https://…", "token": { "env": "ACME_SSF_TOKEN" } } },
 *     "ledger": "ssf-lab.ledger.json"
 *   }
 *
 * Secrets are never written into the file: a value `{ "env": "NAME" }` anywhere in a plan's section is
 * replaced by that environment variable (by the object it holds when it holds a JSON object, such as a
 * private JWK), and a literal string under a credential-named member (isSecretOptionName: `token`,
 * `apiToken`, `clientSecret`, `privateJwk`, `authorization`, `…Token`, `…Secret`), a literal
 * `Bearer …`/`SSWS …` value or a literal private JWK is refused. A file that is wrong fails before
 * anything runs, naming the file, line:column and the field; a value from the environment is never
 * shown back in a message.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { HarnessError, isSecretKey } from '../kernel/index.ts';
import { isJsonObject, parseStrictJson } from '../protocol/index.ts';
import { readFileBounded } from './inputs.ts';
import { LOAD_SETTINGS_SCHEMA, type LoadSettings } from './load-settings.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin is that default member.
const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

/** The file `ssf-lab certify` and `npm test` pick up from the working directory. */
export const TARGET_FILE_NAME = 'ssf-lab.target.json';
/** The environment variable naming a target file (it wins over the working directory's). */
export const TARGET_ENV = 'SSF_LAB_TARGET';
/** Target files are small; anything bigger is a mistake (a log, a dump) and is not read. */
const MAX_TARGET_BYTES = 1024 * 1024;

export type JsonPath = readonly (string | number)[];

/** Where the harness's own endpoints listen, and where the target reaches them. */
export interface HarnessSettings {
  /** The public base URL in front of listenHost:listenPort (a tunnel, an ingress). */
  readonly publicUrl?: string;
  readonly listenHost?: string;
  readonly listenPort?: number;
}

/** A target file, validated, with every `{ "env": … }` replaced by its value. */
export interface Target {
  readonly name: string;
  /** The file it was read from, absolute (none for a target given in code). */
  readonly file?: string;
  readonly harness: HarnessSettings;
  /** Each plan's options, in the file's order, validated with that plan's options schema. */
  readonly plans: Readonly<Record<string, unknown>>;
  /** The ledger file, absolute (a relative path is relative to the target file). */
  readonly ledger?: string;
  /**
   * `tls.caFile`: a CA certificate (PEM) trusted besides node's roots when reaching the target — a
   * served lab's CA (`ssf-lab serve` names it in its manifest). The path is absolute (relative to the
   * target file); `caCert` is its content, read by `loadTarget` (not by `targetFromValue`).
   */
  readonly tls?: { readonly caFile: string; readonly caCert?: string };
  /** `ssf-lab load`'s section: the plan whose endpoint it loads, how hard, and its SLOs. */
  readonly load?: LoadSettings;
  /** Paths of the option values that came from the environment or are secrets given in code (never printed back). */
  readonly secretPaths: readonly string[];
}

/** A target file that cannot be used: the file, line:column when known, and the field. */
export class TargetError extends HarnessError {
  readonly file: string;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    file: string,
    field: string | undefined,
    message: string,
    position?: { line: number; column: number },
  ) {
    const where = position ? `${file}:${position.line}:${position.column}` : file;
    super('ERR_INPUT_INVALID', `${where}: ${field === undefined ? '' : `${field}: `}${message}`);
    this.name = 'TargetError';
    this.file = file;
    this.field = field;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/**
 * The target file to use: `$SSF_LAB_TARGET` (relative to `cwd`) when set, else `./ssf-lab.target.json`
 * when it exists, else none — the lab.
 */
export function findTargetFile(
  cwd: string = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const named = env[TARGET_ENV];
  if (named !== undefined && named.trim() !== '') return resolve(cwd, named.trim());
  const local = join(cwd, TARGET_FILE_NAME);
  return existsSync(local) ? local : undefined;
}

/** `plans.ssf-transmitter.streams[0].url` — how a field is named in every message. */
export function fieldName(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/**
 * Line and column (1-based) of the value at `path` in a JSON text, or of the nearest enclosing value
 * that exists (a missing member is reported where its object starts). Assumes the text parsed.
 */
export function positionOf(text: string, path: JsonPath): { line: number; column: number } {
  let i = 0;
  let best = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  // Walks the value at i; `depth` counts how many leading parts of `path` the current value matches.
  const value = (depth: number): void => {
    ws();
    if (depth >= 0) best = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        i++; // :
        const on = depth >= 0 && depth < path.length && path[depth] === key;
        value(on ? depth + 1 : -1);
        ws();
        if (text[i] === ',') i++;
        else {
          i++; // }
          return;
        }
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        const on = depth >= 0 && depth < path.length && path[depth] === n;
        value(on ? depth + 1 : -1);
        ws();
        if (text[i] === ',') i++;
        else {
          i++; // ]
          return;
        }
      }
    }
    if (c === '"') {
      string();
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i] ?? '')) i++;
  };
  // The deepest matching value's start is kept: non-matching members are walked with depth -1.
  value(0);
  const before = text.slice(0, best);
  const line = before.split('\n').length;
  return { line, column: best - before.lastIndexOf('\n') };
}

/** Reads a small UTF-8 file (a target or ledger file), with the reason in words when it cannot be read. */
export function readSmallFile(path: string, what: string): Promise<string> {
  return readFileBounded(path, what, MAX_TARGET_BYTES);
}

/** Parses strict JSON (no duplicate member), or throws a TargetError with the position. */
export function parseJsonFile(text: string, file: string): unknown {
  const parsed = parseStrictJson(text, 64);
  if (!parsed.ok) {
    const at = /position (\d+)/.exec(parsed.message)?.[1];
    const position =
      at === undefined
        ? undefined
        : (() => {
            const before = text.slice(0, Number(at));
            return { line: before.split('\n').length, column: Number(at) - before.lastIndexOf('\n') };
          })();
    throw new TargetError(file, undefined, `not valid JSON: ${parsed.message}`, position);
  }
  const duplicate = parsed.duplicates[0];
  if (duplicate) {
    const path = [...duplicate.path, duplicate.name];
    throw new TargetError(
      file,
      fieldName(path),
      'appears twice (JSON keeps only the last; remove one)',
      positionOf(text, duplicate.path),
    );
  }
  return parsed.value;
}

// ——— the envelope ———

const ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['name', 'plans'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string' },
    harness: {
      type: 'object',
      additionalProperties: false,
      properties: {
        publicUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
        listenHost: { type: 'string', minLength: 1 },
        listenPort: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    plans: { type: 'object', minProperties: 1 },
    ledger: { type: 'string', minLength: 1 },
    tls: {
      type: 'object',
      required: ['caFile'],
      additionalProperties: false,
      properties: { caFile: { type: 'string', minLength: 1 } },
    },
    // Checked after its `{ "env": … }` values are resolved, like a plan's section.
    load: { type: 'object' },
  },
} as const;

let ajvInstance: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (v === undefined) {
    ajvInstance ??= (() => {
      // Plans write their own schemas: unknown keywords (descriptions, examples) must not break loading.
      const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
      addFormats(ajv);
      return ajv;
    })();
    v = ajvInstance.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  uri: 'a URL',
  url: 'a URL',
  'uri-reference': 'a URL or a path',
  email: 'an email address',
  hostname: 'a host name',
  'date-time': 'an RFC 3339 date-time',
  uuid: 'a UUID',
};

function typeWords(type: unknown): string {
  const article = (t: string): string => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return String(type).split(',').map(article).join(' or ');
}

/** One ajv error as a field and a sentence; the value is shown only when it is not a secret. */
function describe(
  error: ErrorObject,
  base: JsonPath,
  value: unknown,
  isSecret: (path: JsonPath) => boolean,
): { path: JsonPath; message: string } {
  const p = error.params as Record<string, unknown>;
  const inner = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const path = [...base, ...inner];
  let found = value;
  for (const part of inner) found = (found as Record<string | number, unknown> | undefined)?.[part];
  const shown =
    isSecret(path) || found === undefined
      ? ''
      : ` (found ${(() => {
          const t = JSON.stringify(found) ?? String(found);
          return t.length > 60 ? `${t.slice(0, 59)}…` : t;
        })()})`;
  switch (error.keyword) {
    case 'required':
      return { path: [...path, String(p.missingProperty)], message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return {
        path: [...path, String(p.additionalProperty)],
        message: `is not a known member${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
      };
    }
    case 'type':
      return {
        path,
        message: `must be ${typeWords(p.type)}${shown}${
          isSecret(path) && String(p.type).includes('object')
            ? ' (put the JSON object itself in the environment variable)'
            : ''
        }`,
      };
    case 'format':
      return {
        path,
        message: `must be ${FORMAT_WORDS[String(p.format)] ?? `a valid ${String(p.format)}`}${shown}`,
      };
    case 'pattern':
      return {
        path,
        message:
          String(p.pattern) === '^https?://'
            ? `must be an http(s) URL${shown}`
            : `must match ${String(p.pattern)}${shown}`,
      };
    case 'enum':
      return {
        path,
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${shown}`,
      };
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}${shown}` };
    case 'minProperties':
      return { path, message: `must name at least ${String(p.limit)} member(s)` };
    default:
      return { path, message: `${error.message ?? 'is not valid'}${shown}` };
  }
}

/** The first thing wrong, ordered so a misspelt member is named as such rather than as a missing one. */
function firstProblem(
  schema: object,
  value: unknown,
  base: JsonPath,
  isSecret: (path: JsonPath) => boolean,
): { path: JsonPath; message: string } | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  const rank = (e: ErrorObject): number =>
    (({ additionalProperties: 0, required: 1, type: 2 }) as Record<string, number>)[e.keyword] ?? 3;
  const error = [...(validate.errors ?? [])].sort((a, b) => rank(a) - rank(b))[0];
  if (error === undefined) return { path: base, message: 'is not valid' };
  return describe(error, base, value, isSecret);
}

// ——— secrets ———

/** `{ "env": "NAME" }` and nothing else. */
function envReference(value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'env' && typeof value.env === 'string' ? value.env : undefined;
}

const CREDENTIAL_VALUE = /^(Bearer|SSWS|Basic|DPoP)\s+\S/i;

function isPrivateJwk(value: Record<string, unknown>): boolean {
  return typeof value.kty === 'string' && (typeof value.d === 'string' || typeof value.k === 'string');
}

/**
 * Which members hold secrets: the names the redactor treats as credentials (`token`, `apiToken`,
 * `clientSecret`, `privateJwk`, `authorization`, …) and any name ending in one of these words
 * (`secondToken`, `x-api-key`). A plan overrides the rule for one member with the standard JSON Schema
 * annotation `writeOnly`: `true` marks it secret, `false` marks it not (a captured SET is a `token` but
 * no credential).
 */
export function isSecretOptionName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return (
    isSecretKey(name) ||
    /(token|secret|password|passphrase|apikey|privatekey|privatejwk|credentials?)$/.test(n)
  );
}

type SchemaNode = Readonly<Record<string, unknown>> | undefined;

/** The subschema for one member or item, best effort: properties, items, $defs refs, one level of *Of. */
function subschema(schema: SchemaNode, key: string | number, root: SchemaNode): SchemaNode {
  if (schema === undefined) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const defs = root?.$defs as Record<string, SchemaNode> | undefined;
    return subschema(defs?.[ref.slice('#/$defs/'.length)], key, root);
  }
  if (typeof key === 'number') {
    const items = schema.items;
    if (isJsonObject(items)) return items;
  } else {
    const properties = schema.properties as Record<string, SchemaNode> | undefined;
    if (properties && Object.hasOwn(properties, key)) return properties[key];
    if (isJsonObject(schema.additionalProperties)) return schema.additionalProperties;
  }
  for (const branch of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[branch];
    if (!Array.isArray(list)) continue;
    for (const b of list) {
      const found = subschema(b as SchemaNode, key, root);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

interface SecretWalk {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fail: (path: JsonPath, message: string) => never;
  /** Paths whose value came from the environment. */
  readonly secrets: string[];
  readonly root: SchemaNode;
  /** Whether a literal secret is acceptable (a target in code) or refused (a file). */
  readonly literalSecrets: boolean;
}

/** The value of `{ "env": NAME }`: the variable's text, or the object when it holds a JSON object (a JWK). */
function fromEnvironment(name: string, path: JsonPath, walk: SecretWalk): unknown {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    walk.fail([...path, 'env'], `"${name}" is not an environment variable name`);
  const text = walk.env[name];
  if (text === undefined || text === '')
    walk.fail(path, `the environment variable ${name} is not set (the target file reads this value from it)`);
  walk.secrets.push(fieldName(path));
  const value = text as string;
  if (!value.trimStart().startsWith('{')) return value;
  const parsed = parseStrictJson(value, 16);
  if (!parsed.ok || !isJsonObject(parsed.value))
    walk.fail(path, `the environment variable ${name} starts with "{" but is not a JSON object`);
  return (parsed as { value: unknown }).value;
}

/**
 * A plan's section with every `{ "env": … }` replaced; a literal secret is refused (see
 * isSecretOptionName). `schema` is the plan's subschema at `path`, for its `writeOnly` annotations.
 */
function resolveSecrets(
  value: unknown,
  path: JsonPath,
  schema: SchemaNode,
  secret: boolean,
  walk: SecretWalk,
): unknown {
  const name = envReference(value);
  if (name !== undefined) return fromEnvironment(name, path, walk);
  const marked = schema?.writeOnly;
  const isSecret = typeof marked === 'boolean' ? marked : secret;
  if (typeof value === 'string') {
    if (isSecret && value !== '' && walk.literalSecrets) walk.secrets.push(fieldName(path));
    else if (isSecret && value !== '')
      walk.fail(
        path,
        'holds a literal secret; a target file never does: write { "env": "SOME_VARIABLE" } and export the value in that variable',
      );
    if (marked !== false && CREDENTIAL_VALUE.test(value) && !walk.literalSecrets)
      walk.fail(
        path,
        'holds a literal credential (an Authorization value); write { "env": "SOME_VARIABLE" } and export the value in that variable',
      );
    return value;
  }
  if (Array.isArray(value))
    return value.map((v, i) =>
      resolveSecrets(v, [...path, i], subschema(schema, i, walk.root), isSecret, walk),
    );
  if (isJsonObject(value)) {
    if (isPrivateJwk(value) && walk.literalSecrets) {
      walk.secrets.push(fieldName(path));
      return value;
    }
    if (isPrivateJwk(value))
      walk.fail(
        path,
        'holds a literal private key; write { "env": "SOME_VARIABLE" } and put the JWK, as JSON, in that variable',
      );
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = resolveSecrets(
        v,
        [...path, k],
        subschema(schema, k, walk.root),
        isSecret || isSecretOptionName(k),
        walk,
      );
    return out;
  }
  return value;
}

// ——— loading ———

interface TargetSource {
  /** What messages name: the file, or `target` for one given in code. */
  readonly label: string;
  /** The file, absolute, when the target was read from one. */
  readonly file: string | undefined;
  /** Where a field is in the file's text, when there is a text. */
  readonly position: (path: JsonPath) => { line: number; column: number } | undefined;
  /** A literal secret is refused in a file (it would be committed) and allowed in code. */
  readonly literalSecrets: boolean;
}

function checkTarget(
  value: unknown,
  source: TargetSource,
  schemas: Readonly<Record<string, object>>,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  const fail = (path: JsonPath, message: string): never => {
    throw new TargetError(
      source.label,
      path.length === 0 ? undefined : fieldName(path),
      message,
      source.position(path),
    );
  };
  if (!isJsonObject(value))
    fail(
      [],
      source.file === undefined
        ? 'a target is an object with "name" and "plans"'
        : 'a target file is a JSON object with "name" and "plans"',
    );
  const envelope = firstProblem(ENVELOPE_SCHEMA, value, [], () => false);
  if (envelope) fail(envelope.path, envelope.message);
  const raw = value as {
    name: string;
    harness?: HarnessSettings;
    plans: Record<string, unknown>;
    ledger?: string;
    tls?: { caFile: string };
    load?: LoadSettings;
  };
  const known = Object.keys(schemas);
  const secrets: string[] = [];
  const plans: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(raw.plans)) {
    const schema = schemas[name];
    if (schema === undefined || !Object.hasOwn(schemas, name))
      fail(
        ['plans', name],
        known.length === 0
          ? 'is not a plan this ssf-lab knows (it knows none yet)'
          : `is not a plan this ssf-lab knows; the plans are: ${known.join(', ')}`,
      );
    const root = schema as SchemaNode;
    const walk = { env, fail, secrets, root, literalSecrets: source.literalSecrets };
    const resolved = resolveSecrets(section, ['plans', name], root, false, walk);
    // Nothing at or below a value from the environment is ever shown back.
    const isFromEnv = (p: JsonPath): boolean => {
      const f = fieldName(p);
      return secrets.some((x) => f === x || f.startsWith(`${x}.`) || f.startsWith(`${x}[`));
    };
    const problem = firstProblem(schema as object, resolved, ['plans', name], isFromEnv);
    if (problem) fail(problem.path, problem.message);
    plans[name] = resolved;
  }
  let load: LoadSettings | undefined;
  if (raw.load !== undefined) {
    const root = LOAD_SETTINGS_SCHEMA as unknown as SchemaNode;
    const walk = { env, fail, secrets, root, literalSecrets: source.literalSecrets };
    const resolved = resolveSecrets(raw.load, ['load'], root, false, walk);
    const isFromEnv = (p: JsonPath): boolean => {
      const f = fieldName(p);
      return secrets.some((x) => f === x || f.startsWith(`${x}.`));
    };
    const problem = firstProblem(LOAD_SETTINGS_SCHEMA, resolved, ['load'], isFromEnv);
    if (problem) fail(problem.path, problem.message);
    load = resolved as LoadSettings;
    if (!Object.hasOwn(plans, load.plan))
      fail(
        ['load', 'plan'],
        `names the plan "${load.plan}", but the file has no "${load.plan}" section under "plans"`,
      );
  }
  // A ledger path is relative to the file naming it, or to the working directory for a target in code.
  const base = source.file === undefined ? process.cwd() : dirname(source.file);
  return {
    name: raw.name,
    ...(source.file === undefined ? {} : { file: source.file }),
    harness: { ...raw.harness },
    plans,
    ...(raw.ledger === undefined ? {} : { ledger: resolve(base, raw.ledger) }),
    ...(raw.tls === undefined ? {} : { tls: { caFile: resolve(base, raw.tls.caFile) } }),
    ...(load === undefined ? {} : { load }),
    secretPaths: secrets,
  };
}

/**
 * Validates a target file's text. `schemas` maps every known plan name to its options schema (the
 * caller passes the plans' own; config never imports the suites).
 */
export function parseTarget(
  text: string,
  file: string,
  schemas: Readonly<Record<string, object>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Target {
  const value = parseJsonFile(text, file);
  return checkTarget(
    value,
    { label: file, file: resolve(file), position: (path) => positionOf(text, path), literalSecrets: false },
    schemas,
    env,
  );
}

/**
 * Validates a target given in code — the same object a target file holds. `{ "env": NAME }` references
 * are resolved as in a file; literal secrets are allowed (a key generated by the test itself, a value
 * the caller read from its own secret store), and never shown back in a message all the same.
 */
export function targetFromValue(
  value: unknown,
  schemas: Readonly<Record<string, object>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Target {
  let plain: unknown;
  try {
    // Only what JSON can carry reaches a plan, exactly as from a file (no functions, no class instances).
    plain = JSON.parse(JSON.stringify(value ?? null));
  } catch (error) {
    throw new TargetError('target', undefined, `cannot be read as JSON: ${(error as Error).message}`);
  }
  return checkTarget(
    plain,
    { label: 'target', file: undefined, position: () => undefined, literalSecrets: true },
    schemas,
    env,
  );
}

/** Reads and validates a target file (see parseTarget). */
export async function loadTarget(
  file: string,
  schemas: Readonly<Record<string, object>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Target> {
  const target = parseTarget(await readSmallFile(file, 'target file'), file, schemas, env);
  if (target.tls === undefined) return target;
  const caCert = await readSmallFile(target.tls.caFile, "the target's tls.caFile");
  if (!caCert.includes('-----BEGIN CERTIFICATE-----'))
    throw new TargetError(file, 'tls.caFile', `"${target.tls.caFile}" holds no PEM certificate`);
  return { ...target, tls: { caFile: target.tls.caFile, caCert } };
}
