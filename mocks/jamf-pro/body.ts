/**
 * Typed reads of an untrusted JSON body, each naming the offending field as a path (`general.name`,
 * `extensionAttributes[0].values`) in the 400 `ApiError` it throws. Handlers read and validate the whole
 * body into plain values first and only then change state, so a bad field never leaves a request half
 * applied. `null` is treated like an absent member: Jamf's Jackson mapper does the same for PATCH bodies.
 */
import { invalid } from './errors.ts';

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The body itself must be a JSON object. */
export function requireBody(value: unknown): JsonObject {
  if (!isObject(value)) throw invalid('body', 'the request body must be a JSON object', 'INVALID_CONTENT');
  return value;
}

export function optObject(o: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalid(join(path, key), `${join(path, key)} must be an object`);
  return v;
}

export function optString(o: JsonObject, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(join(path, key), `${join(path, key)} must be a string`);
  return v;
}

/** A string, or a number where Jamf's string ids are often sent as numbers (`"id": 5`). */
export function optId(o: JsonObject, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v !== 'string') throw invalid(join(path, key), `${join(path, key)} must be a string id`);
  return v;
}

export function optBoolean(o: JsonObject, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(join(path, key), `${join(path, key)} must be true or false`);
  return v;
}

export function optInteger(o: JsonObject, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw invalid(join(path, key), `${join(path, key)} must be an integer`);
  return v;
}

export function optArray(o: JsonObject, key: string, path: string): readonly unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(join(path, key), `${join(path, key)} must be an array`);
  return v;
}

export function optStringArray(o: JsonObject, key: string, path: string): string[] | undefined {
  const items = optArray(o, key, path);
  if (items === undefined) return undefined;
  return items.map((item, i) => {
    if (typeof item !== 'string')
      throw invalid(join(join(path, key), i), `${join(join(path, key), i)} must be a string`);
    return item;
  });
}

/** A `YYYY-MM-DD` date (Jamf's `format: date`). */
export function optDate(o: JsonObject, key: string, path: string): string | undefined {
  const v = optString(o, key, path);
  if (v === undefined || v === '') return v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
    throw invalid(join(path, key), `${join(path, key)} must be a date like 2026-01-31`);
  return v;
}
