/**
 * `GET /api/v1/logs` (listLogEvents, scope `okta.logs.read`): reads `since`, `until` (ISO 8601), `after`
 * (the opaque cursor of a `next` link; not with `since`), `filter` (SCIM expression over any LogEvent
 * attribute but `published`, strings compared ignoring case), `q` (at most 10 keywords of at most 40
 * characters, all of which must occur), `limit` (0–1000, default 100) and `sortOrder` (ASCENDING default,
 * DESCENDING). A poll (no `until`, ASCENDING) always links `next`; a bounded query links it only while
 * more events remain (developer.okta.com/docs/reference/system-log-query).
 */
import type { OktaContext } from '../core/context.ts';
import { invalidSearch, validationFailed } from '../core/errors.ts';
import { checkFilter, FilterError, type FilterExpr, parseFilter } from '../core/filter.ts';
import { limitParam, queryOf, setLinks } from '../core/pagination.ts';
import { LogCursorError } from './system-log.ts';

const TOP_LEVEL = new Set([
  'uuid',
  'eventType',
  'version',
  'severity',
  'legacyEventType',
  'displayMessage',
  'actor',
  'client',
  'device',
  'authenticationContext',
  'outcome',
  'securityContext',
  'debugContext',
  'transaction',
  'request',
  'target',
]);

function instant(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)
    ? Date.parse(raw)
    : Number.NaN;
  if (Number.isNaN(at))
    throw validationFailed(name, `${name}: ${JSON.stringify(raw)} is not an ISO 8601 timestamp`);
  return at;
}

export function systemLogRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  router.route(
    {
      operationId: 'listLogEvents',
      method: 'GET',
      path: '/api/v1/logs',
      scopes: ['okta.logs.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      const since = instant(query, 'since');
      const until = instant(query, 'until');
      const after = query.get('after') ?? undefined;
      if (after !== undefined && since !== undefined)
        throw validationFailed('after', 'after: cannot be used together with since');
      if (since !== undefined && until !== undefined && since > until)
        throw validationFailed('since', 'since: must not be later than until');
      const order = query.get('sortOrder') ?? 'ASCENDING';
      if (order !== 'ASCENDING' && order !== 'DESCENDING')
        throw validationFailed('sortOrder', 'sortOrder: must be ASCENDING or DESCENDING');
      const limit = limitParam(query, { fallback: 100, min: 0, max: 1000 });

      let filter: FilterExpr | undefined;
      const filterText = query.get('filter');
      if (filterText !== null && filterText !== '') {
        try {
          filter = parseFilter(filterText);
          checkFilter(filter, (path, op) => {
            if (op === 'not') return undefined;
            if (path === 'published') return 'published cannot be filtered on: use since and until';
            if (!TOP_LEVEL.has(path.split('.')[0] ?? '')) return `"${path}" is not a LogEvent attribute`;
            return undefined;
          });
        } catch (error) {
          if (error instanceof FilterError) throw invalidSearch(`filter: ${error.message}`);
          throw error;
        }
      }
      const q = query.get('q');
      const keywords = q === null ? [] : q.toLowerCase().split(/\s+/).filter(Boolean);
      if (keywords.length > 10) throw validationFailed('q', 'q: at most 10 keywords');
      const long = keywords.find((k) => k.length > 40);
      if (long !== undefined)
        throw validationFailed('q', `q: the keyword "${long.slice(0, 50)}" is longer than 40 characters`);

      let page: ReturnType<typeof org.systemLog.query>;
      try {
        page = org.systemLog.query({
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
          ...(after === undefined ? {} : { after }),
          ...(filter === undefined ? {} : { filter }),
          keywords,
          limit,
          order,
        });
      } catch (error) {
        if (error instanceof LogCursorError) throw validationFailed('after', error.message);
        throw error;
      }
      // A next link never carries `since` (Okta: mutually exclusive with `after`); a bounded cursor holds it.
      setLinks(
        reply,
        org.url,
        request,
        page.next === undefined ? undefined : { after: page.next, drop: ['since'] },
      );
      return page.events;
    },
  );
}
