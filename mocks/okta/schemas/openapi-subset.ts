/**
 * Reading Okta's published API descriptions (OpenAPI 3.0, bundled YAML) for the route-schema generator and
 * the contract test: only the path items of the operations the mock serves and the components they reach,
 * because the 3.4 MB management file takes ~3 s to parse whole on two cores; and OpenAPI 3.0 schemas turned
 * into JSON Schema that ajv reads — `nullable` becomes a `null` type, `discriminator` is dropped (ajv has no
 * use for it; the union it names is still listed), and prose (`description`, `title`, `summary`,
 * `example(s)`, `x-*` extensions, `externalDocs`) is stripped so only facts remain.
 */
import { parse } from 'yaml';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Component kinds a path item may `$ref`. */
const KINDS = ['schemas', 'responses', 'parameters', 'requestBodies'] as const;

/** The `format`s the route validators check or accept (harness/ssf/route-schemas.ts); others are prose. */
const FORMATS = new Set([
  'email',
  'uri',
  'date-time',
  'date',
  'uuid',
  'ipv4',
  'ipv6',
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
  'hostname',
  'uri-reference',
]);

const PROSE = new Set(['description', 'title', 'summary', 'example', 'examples', 'externalDocs', 'xml']);

/**
 * Which schema components get every property nullable: Okta's own ListLogs example puts `null` in LogEvent
 * fields the schema does not mark nullable (`detailEntry`, `zone`, `outcome.reason`, `issuer`…), and real
 * Okta sends the same, so inside Log* schemas every property may be null.
 */
export const nullablePropertiesOf = (componentName: string): boolean => componentName.startsWith('Log');

/**
 * OpenAPI 3.0 schema → JSON Schema, prose stripped. With `nullableProperties`, every property also admits
 * `null` (the stated relaxation above). `discriminator` is dropped; so is `example` inside schemas.
 */
export function convertSchema(node: unknown, nullableProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, nullableProperties));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || PROSE.has(key) || key.startsWith('x-')) continue;
    if (key === 'format' && typeof value === 'string' && !FORMATS.has(value)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => {
          const converted = convertSchema(schema, nullableProperties);
          return [name, nullableProperties ? { anyOf: [converted, { type: 'null' }] } : converted];
        }),
      );
      continue;
    }
    out[key] = convertSchema(value, nullableProperties);
  }
  // `allOf: [{$ref}, {description}]` is how Okta annotates a reference; without the prose it is the reference.
  if (Array.isArray(out.allOf)) {
    const parts = out.allOf.filter((p) => !(isObject(p) && Object.keys(p).length === 0));
    if (parts.length === 1 && Object.keys(out).length === 1) return parts[0];
    out.allOf = parts;
  }
  const nullable = out.nullable === true;
  delete out.nullable;
  if (nullable) {
    if (typeof out.type === 'string' && !('allOf' in out) && !('$ref' in out)) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * A whole (subset) document with its schemas converted: Log* components get nullable properties. Used by
 * the contract test, which resolves JSON pointers into it as Okta wrote them.
 */
export function convertDocument(doc: Json): Json {
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  return {
    paths: convertSchema(doc.paths),
    components: {
      ...(convertSchema(components) as Json),
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [name, convertSchema(s, nullablePropertiesOf(name))]),
      ),
    },
  };
}

/**
 * Parses only what is needed from a bundled description — the path items holding `operationIds` and the
 * components they (and `schemas`) reach through `$ref`. Okta's bundled YAML is regular: sections at column
 * 0, path items at 2, components at 4 spaces, `operationId` at 6.
 */
export function parseSubset(
  text: string,
  operationIds: readonly string[],
  schemas: readonly string[] = [],
): Json {
  const lines = text.split('\n');
  const section = (name: string): number => lines.indexOf(`${name}:`);
  const block = (start: number, indent: number): string => {
    let end = start + 1;
    const deeper = new RegExp(`^ {${indent + 1},}\\S|^\\s*$`);
    while (end < lines.length && deeper.test(lines[end] ?? '')) end++;
    return lines.slice(start, end).join('\n');
  };
  const paths: Json = {};
  const pathsAt = section('paths');
  for (const id of operationIds) {
    let at = lines.indexOf(`      operationId: ${id}`, pathsAt);
    if (at < 0) continue;
    while (at > pathsAt && !/^ {2}\S/.test(lines[at] ?? '')) at--;
    Object.assign(paths, parse(block(at, 2)) as Json);
  }
  const componentsAt = section('components');
  const entries = new Map<string, number>();
  let kind = '';
  for (let i = componentsAt + 1; i < lines.length && !/^\S/.test(lines[i] ?? ''); i++) {
    const line = lines[i] ?? '';
    const k = /^ {2}(\w+):$/.exec(line);
    if (k?.[1]) kind = k[1];
    const name = /^ {4}([^\s:'"]+):$/.exec(line);
    if (name?.[1] && (KINDS as readonly string[]).includes(kind)) entries.set(`${kind}/${name[1]}`, i);
  }
  const components: Record<string, Json> = Object.fromEntries(KINDS.map((k) => [k, {}]));
  const queue: unknown[] = [paths, ...schemas.map((name) => ({ $ref: `#/components/schemas/${name}` }))];
  const seen = new Set<string>();
  const refPattern = new RegExp(`^#/components/(${KINDS.join('|')})/(.+)$`);
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) queue.push(...node);
    else if (isObject(node)) {
      const ref = node.$ref;
      const m = typeof ref === 'string' ? refPattern.exec(ref) : null;
      if (m?.[1] && m[2] && !seen.has(`${m[1]}/${m[2]}`)) {
        const key = `${m[1]}/${m[2]}`;
        seen.add(key);
        const at = entries.get(key);
        if (at !== undefined) {
          const parsed = parse(block(at, 4)) as Json;
          Object.assign(components[m[1]] ?? {}, parsed);
          queue.push(parsed);
        }
      }
      for (const [k, v] of Object.entries(node)) if (k !== 'examples' && k !== 'example') queue.push(v);
    }
  }
  return { paths, components };
}
