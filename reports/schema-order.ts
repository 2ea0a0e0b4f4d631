/**
 * Serialized records keep a stable member order — the order of their JSON Schema — so that the same
 * record always gives the same bytes, whatever order the code built it in.
 */

export type Schema = { readonly [keyword: string]: unknown };

/**
 * A copy of `value` with object members in the schema's order (unknown members after, as they came;
 * string maps such as header records sorted by name). `$ref`s point into `defs` (`#/$defs/<name>`).
 */
export function orderedBySchema(
  value: unknown,
  schemaIn: Schema | undefined,
  defs: Readonly<Record<string, Schema>>,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  const ref = schemaIn?.$ref;
  const schema =
    typeof ref === 'string' && ref.startsWith('#/$defs/')
      ? (defs[ref.slice('#/$defs/'.length)] ?? {})
      : schemaIn;
  if (Array.isArray(value))
    return value.map((v) => orderedBySchema(v, schema?.items as Schema | undefined, defs));
  const record = value as Record<string, unknown>;
  const properties = schema?.properties as Record<string, Schema> | undefined;
  const additional = schema?.additionalProperties;
  if (properties === undefined && additional !== undefined && typeof additional === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) sorted[key] = record[key];
    return sorted;
  }
  if (properties === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(properties))
    if (record[key] !== undefined) out[key] = orderedBySchema(record[key], sub, defs);
  for (const [key, v] of Object.entries(record)) if (!(key in out) && v !== undefined) out[key] = v;
  return out;
}
