/**
 * The Jamf Pro API's collection conventions, shared by every paged endpoint: `page` (0-based), `page-size`
 * (with a hyphen; capped, see `MAX_PAGE_SIZE`), `sort` (`field:asc|desc`, repeated or comma-separated),
 * `filter` (RSQL, via rsql.ts) and the repeatable, upper-case `section` enum. Every bad parameter is a 400
 * `ApiError` naming the parameter, never a silently ignored one. Paging slices after filtering and sorting,
 * and only the returned page is rendered, so a 10,000-device listing costs one sort and one page.
 */
import { badRequest } from './errors.ts';
import {
  compileRsql,
  parseRsql,
  RsqlFieldError,
  type RsqlFieldTable,
  type RsqlScalar,
  RsqlSyntaxError,
} from './rsql.ts';

/** Largest `page-size` accepted; larger values are refused with 400 (what Jamf's SDKs document as the max). */
export const MAX_PAGE_SIZE = 2000;

export type QueryValue = string | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** All values of a repeatable query parameter, each split on commas. */
export function listParam(value: QueryValue): string[] {
  const raw = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function singleParam(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value.length > 1) throw badRequest(name, `${name} may be given only once`, 'INVALID_PARAMETER');
  return value[0];
}

function integerParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const text = singleParam(query, name);
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d+$/.test(text.trim()))
    throw badRequest(name, `${name} must be an integer, not '${text}'`, 'INVALID_PARAMETER');
  const n = Number(text);
  if (n < min || n > max)
    throw badRequest(name, `${name} must be between ${min} and ${max}`, 'INVALID_PARAMETER');
  return n;
}

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

export function parsePaging(query: Query, maxPageSize = MAX_PAGE_SIZE): Paging {
  return {
    page: integerParam(query, 'page', 0, 0, Number.MAX_SAFE_INTEGER),
    pageSize: integerParam(query, 'page-size', 100, 0, maxPageSize),
  };
}

export function pageOf<T>(items: readonly T[], paging: Paging): T[] {
  const start = paging.page * paging.pageSize;
  return start >= items.length ? [] : items.slice(start, start + paging.pageSize);
}

/** Parses the repeatable `section` parameter against an enum; case-insensitive, `ALL` is not a thing. */
export function parseSections<S extends string>(
  value: QueryValue,
  allowed: readonly S[],
  fallback: readonly S[],
): Set<S> {
  const requested = listParam(value);
  if (requested.length === 0) return new Set(fallback);
  const out = new Set<S>();
  for (const r of requested) {
    const upper = r.toUpperCase();
    const match = allowed.find((a) => a === upper);
    if (!match)
      throw badRequest(
        'section',
        `section must be one of ${allowed.join(', ')}; '${r}' is not`,
        'INVALID_PARAMETER',
      );
    out.add(match);
  }
  return out;
}

export type SortType = 'string' | 'number' | 'boolean' | 'date';
export interface SortField<T> {
  readonly type: SortType;
  readonly get: (item: T) => RsqlScalar;
}
export type SortTable<T> = ReadonlyMap<string, SortField<T>>;

type Key = string | number;

function keyOf(type: SortType, value: RsqlScalar): Key | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (type === 'string') return String(value).toLowerCase();
  if (type === 'boolean') return value === true || value === 'true' ? 1 : 0;
  if (type === 'number') return typeof value === 'number' ? value : Number(value);
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Sorts by the `sort` parameter (or `fallback`). A criterion without a direction sorts descending, as
 * the 11.7.1 schema's shared `sort` parameter says. Ties always end in ascending `id`, so pages are
 * stable. Keys are computed once per item, not once per comparison.
 */
export function sortItems<T extends { readonly id: number }>(
  items: readonly T[],
  value: QueryValue,
  fields: SortTable<T>,
  fallback: readonly string[],
): T[] {
  const requested = listParam(value);
  const criteria = (requested.length > 0 ? requested : fallback).map((c) => {
    const [name = '', direction, ...extra] = c.split(':');
    const field = fields.get(name);
    if (!field || extra.length > 0) {
      throw badRequest(
        'sort',
        `Cannot sort by field [${name}]. Fields that can be used in sorting results of this endpoint: [${[...fields.keys()].join(', ')}]`,
        'INVALID_FIELD',
      );
    }
    const dir = direction === undefined ? 'desc' : direction.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc')
      throw badRequest('sort', `sort direction must be asc or desc, not '${direction}'`, 'INVALID_FIELD');
    return { field, sign: dir === 'asc' ? 1 : -1 };
  });
  const keyed = items.map((item) => ({
    item,
    keys: criteria.map((c) => keyOf(c.field.type, c.field.get(item))),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      const sign = criteria[i]?.sign ?? 1;
      // Missing values sort first ascending (SQL NULLs first), last descending.
      if (x === undefined) return -sign;
      if (y === undefined) return sign;
      return (x < y ? -1 : 1) * sign;
    }
    return a.item.id - b.item.id;
  });
  return keyed.map((k) => k.item);
}

/** Applies the `filter` parameter; unknown fields and bad values become 400 `INVALID_FIELD`. */
export function filterItems<T>(
  items: readonly T[],
  value: QueryValue,
  fields: RsqlFieldTable<T>,
): readonly T[] {
  const text = value === undefined ? '' : typeof value === 'string' ? value : value.join(';');
  let test: ((item: T) => boolean) | undefined;
  try {
    const node = parseRsql(text);
    if (!node) return items;
    test = compileRsql(node, fields);
  } catch (error) {
    if (error instanceof RsqlSyntaxError)
      throw badRequest('filter', `Invalid RSQL filter: ${error.message}`, 'INVALID_RSQL_FILTER');
    if (error instanceof RsqlFieldError && error.reason === 'unknown-field') {
      throw badRequest(
        'filter',
        `Cannot filter by field [${error.selector}]. Fields that can be used in filtering results of this endpoint: [${[...fields.keys()].join(', ')}]`,
        'INVALID_FIELD',
      );
    }
    if (error instanceof RsqlFieldError) throw badRequest('filter', error.message, 'INVALID_FIELD');
    throw error;
  }
  return items.filter(test);
}

/** Filter, sort and page in one go: `{totalCount, results}` with only the page rendered. */
export function search<T extends { readonly id: number }, R>(
  items: readonly T[],
  query: Query,
  spec: {
    readonly filter?: RsqlFieldTable<T>;
    readonly sort: SortTable<T>;
    readonly defaultSort: readonly string[];
    readonly render: (item: T) => R;
    readonly maxPageSize?: number;
  },
): { totalCount: number; results: R[] } {
  const paging = parsePaging(query, spec.maxPageSize);
  // An endpoint without `filter` ignores one, as Jamf's server ignores unknown query parameters.
  const filtered = spec.filter ? filterItems(items, query.filter, spec.filter) : items;
  const sorted = sortItems(filtered, query.sort, spec.sort, spec.defaultSort);
  return { totalCount: filtered.length, results: pageOf(sorted, paging).map(spec.render) };
}
