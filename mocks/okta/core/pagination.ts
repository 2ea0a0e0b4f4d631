/**
 * Okta's cursor pagination (developer.okta.com/docs/api/#pagination): a page holds at most `limit` items and
 * the `Link` headers carry absolute URLs — `rel="self"` always, `rel="next"` while more items exist — whose
 * `after` cursor is opaque to clients. okta-sdk-nodejs follows the `next` URL verbatim and stops when it is
 * absent (vendor-apis.md §1.2), so the links are built from the org URL, never from the Host header. Lists
 * here are ordered by id and the cursor is the last id served, which stays valid while objects come and go.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validationFailed } from './errors.ts';

/** The request's query, decoded once (repeated names keep their first value). */
export function queryOf(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

/** The request path without the query. */
export function pathOf(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? request.url : request.url.slice(0, at);
}

export interface LimitRule {
  /** When the parameter is absent. */
  readonly fallback: number;
  readonly min?: number;
  /** Larger values are served as `max` (Okta caps page sizes rather than failing). */
  readonly max: number;
}

/** Reads `limit`: an integer, at least `min`; non-numbers are E0000001. */
export function limitParam(query: URLSearchParams, rule: LimitRule, name = 'limit'): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return rule.fallback;
  const n = Number(raw);
  const min = rule.min ?? 1;
  if (!Number.isInteger(n) || n < min)
    throw validationFailed(
      name,
      `${name}: must be an integer of at least ${min}, not ${JSON.stringify(raw)}`,
    );
  return Math.min(n, rule.max);
}

/** The page after the item whose id is `after` (items sorted by id), and the next cursor when more remain. */
export function pageById<T extends { readonly id: string }>(
  sorted: readonly T[],
  after: string | null,
  limit: number,
): { readonly items: readonly T[]; readonly next?: string } {
  const start = after === null ? 0 : sorted.findIndex((item) => item.id > after);
  if (start < 0) return { items: [] };
  const items = sorted.slice(start, start + limit);
  const last = items.at(-1);
  return start + limit < sorted.length && last ? { items, next: last.id } : { items };
}

/**
 * Sets the `Link` headers: `self` is the request as received, `next` the same query with `after` replaced
 * (and `drop` removed), both absolute under the org URL. Two header lines, as Okta sends them.
 */
export function setLinks(
  reply: FastifyReply,
  orgUrl: string,
  request: FastifyRequest,
  next?: {
    readonly after: string;
    readonly set?: Readonly<Record<string, string>>;
    readonly drop?: readonly string[];
  },
): void {
  const links = [`<${orgUrl}${request.url}>; rel="self"`];
  if (next) {
    const query = queryOf(request);
    for (const name of next.drop ?? []) query.delete(name);
    for (const [name, value] of Object.entries(next.set ?? {})) query.set(name, value);
    query.set('after', next.after);
    links.push(`<${orgUrl}${pathOf(request)}?${query.toString().replace(/\+/g, '%20')}>; rel="next"`);
  }
  void reply.header('link', links);
}
