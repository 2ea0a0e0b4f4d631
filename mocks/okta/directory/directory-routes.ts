/**
 * The Users, Groups and Sessions APIs over the org's directory: list users (`limit`/`after` pages, `q`,
 * and the supported subsets of `search` and `filter`), get a user by id, login or login short name, a
 * user's groups, the groups ("Everyone" and one per department) and their members, an Okta session by id,
 * and clearing a user's sessions (`DELETE /api/v1/users/{userId}/sessions?oauthTokens=`), which logs
 * `user.session.clear` and one `user.session.end` per ended session under one transaction id, as Okta's
 * System Log shows it (vendor-apis.md §1.4). Operation ids, scopes and defaults are management-minimal.yaml's.
 */
import { createHash } from 'node:crypto';
import { actorOf, type OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { invalidSearch, notFound, validationFailed } from '../core/errors.ts';
import {
  checkFilter,
  FilterError,
  type FilterExpr,
  matchesFilter,
  parseFilter,
  valuesAt,
} from '../core/filter.ts';
import { limitParam, pageById, queryOf, setLinks } from '../core/pagination.ts';
import { sessionView } from '../oidc/sessions.ts';
import { groupView, type OktaGroup, type OktaUser, userView } from './directory.ts';

const USER_TOP_LEVEL = [
  'id',
  'status',
  'created',
  'activated',
  'statusChanged',
  'lastUpdated',
  'lastLogin',
  'passwordChanged',
];
const USER_FILTER_ATTRS = [
  'status',
  'lastUpdated',
  'id',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
];
const USER_CO_ATTRS = ['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login'];

/** Parses `text` and checks it with `rule`; any problem is Okta's 400 E0000031. */
function expression(
  text: string,
  param: string,
  rule: (path: string, op: string) => string | undefined,
): FilterExpr {
  try {
    const expr = parseFilter(text);
    checkFilter(expr, rule);
    return expr;
  } catch (error) {
    if (error instanceof FilterError) throw invalidSearch(`${param}: ${error.message}`);
    throw error;
  }
}

/** Users `search` (developer.okta.com: most properties; eq, sw, co on four profile fields, gt/ge/lt/le; no ne). */
function userSearchRule(path: string, op: string): string | undefined {
  if (op === 'not') return 'the not operator is not supported; use lt … or … gt';
  if (op === 'ne') return 'the ne operator is not supported; use lt … or … gt';
  if (!USER_TOP_LEVEL.includes(path) && path !== 'type.id' && !/^profile\.\w+$/.test(path))
    return `"${path}" is not a searchable user property`;
  if (op === 'co' && !USER_CO_ATTRS.includes(path))
    return `co is supported only on ${USER_CO_ATTRS.join(', ')}`;
  if (op === 'ew') return 'the ew operator is not supported for users';
  return undefined;
}

/** Users `filter` (a limited subset: eq on seven properties, inequalities only on lastUpdated). */
function userFilterRule(path: string, op: string): string | undefined {
  if (op === 'not') return 'the not operator is not supported';
  if (!USER_FILTER_ATTRS.includes(path))
    return `"${path}" cannot be filtered on; use one of ${USER_FILTER_ATTRS.join(', ')}`;
  if (op === 'eq') return undefined;
  if (path === 'lastUpdated' && ['gt', 'ge', 'lt', 'le'].includes(op)) return undefined;
  return `${op} is not supported on ${path} in a filter`;
}

function groupRule(path: string, op: string): string | undefined {
  if (op === 'not') return 'the not operator is not supported';
  if (
    !['id', 'type', 'created', 'lastUpdated', 'lastMembershipUpdated'].includes(path) &&
    !/^profile\.\w+$/.test(path)
  )
    return `"${path}" is not a searchable group property`;
  return undefined;
}

function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw validationFailed(name, `${name}: must be true or false, not ${JSON.stringify(raw)}`);
}

export function directoryRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  const dir = org.directory;
  const view = (u: OktaUser): Record<string, unknown> => userView(u, org.url);
  const appsCount = (g: OktaGroup): number => org.apps.list().filter((a) => a.groups.has(g.id)).length;
  const findUser = (key: string): OktaUser => {
    const user = dir.user(key);
    if (!user) throw notFound(key, 'User');
    return user;
  };
  const findGroup = (id: string): OktaGroup => {
    const group = dir.group(id);
    if (!group) throw notFound(id, 'UserGroup');
    return group;
  };
  const param = (params: unknown, name: string): string =>
    String((params as Record<string, string>)[name] ?? '');

  router.route(
    {
      operationId: 'listUsers',
      method: 'GET',
      path: '/api/v1/users',
      scopes: ['okta.users.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      const q = query.get('q');
      if (q !== null) {
        // `q` is a startsWith match on first name, last name or email, limited (default 10) and never paged.
        const limit = limitParam(query, { fallback: 10, max: 200 });
        const needle = q.toLowerCase();
        const found = dir
          .users()
          .filter((u) =>
            [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) =>
              v.toLowerCase().startsWith(needle),
            ),
          );
        setLinks(reply, org.url, request);
        return found.slice(0, limit).map(view);
      }
      const search = query.get('search');
      const filter = query.get('filter');
      const conditions: { expr: FilterExpr; ignoreCase: boolean }[] = [];
      if (search !== null)
        conditions.push({ expr: expression(search, 'search', userSearchRule), ignoreCase: true });
      if (filter !== null)
        conditions.push({ expr: expression(filter, 'filter', userFilterRule), ignoreCase: false });
      const limit = limitParam(query, { fallback: 200, max: 200 });
      const selected = conditions.length
        ? dir.users().filter((u) => {
            const json = view(u);
            return conditions.every((c) =>
              matchesFilter(c.expr, (path) => valuesAt(json, path), { ignoreCase: c.ignoreCase }),
            );
          })
        : dir.users();
      const page = pageById(selected, query.get('after'), limit);
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.map(view);
    },
  );

  router.route(
    {
      operationId: 'getUser',
      method: 'GET',
      path: '/api/v1/users/{id}',
      scopes: ['okta.users.read'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      let key = param(request.params, 'id');
      if (key === 'me' && principal?.kind === 'oauth' && principal.userId !== undefined)
        key = principal.userId;
      const user = findUser(key);
      const etag = createHash('sha256')
        .update(`${user.id}:${user.lastUpdated}:${user.lastLogin}`)
        .digest('base64url');
      void reply.header('etag', `W/"${etag.slice(0, 16)}"`);
      return userView(user, org.url, true);
    },
  );

  router.route(
    {
      operationId: 'listUserGroups',
      method: 'GET',
      path: '/api/v1/users/{id}/groups',
      scopes: ['okta.users.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const user = findUser(param(request.params, 'id'));
      setLinks(reply, org.url, request);
      return dir.groupsOf(user.id).map((g) => groupView(g, org.url));
    },
  );

  router.route(
    {
      operationId: 'revokeUserSessions',
      method: 'DELETE',
      path: '/api/v1/users/{userId}/sessions',
      scopes: ['okta.users.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const query = queryOf(request);
      const oauthTokens = booleanParam(query, 'oauthTokens', false);
      booleanParam(query, 'forgetDevices', true);
      const user = findUser(param(request.params, 'userId'));
      const origin = originOf(request);
      const actor = actorOf(principal);
      org.log({
        eventType: 'user.session.clear',
        actor,
        origin,
        target: [
          {
            id: user.id,
            type: 'User',
            alternateId: user.profile.login,
            displayName: user.profile.displayName,
            detailEntry: null,
          },
        ],
        debugData: { oauthTokens: String(oauthTokens) },
      });
      org.endSessions(user.id, { revokeTokens: oauthTokens, actor, origin, transactionId: origin.requestId });
      return reply.code(204).send();
    },
  );

  router.route(
    {
      operationId: 'getSession',
      method: 'GET',
      path: '/api/v1/sessions/{sessionId}',
      scopes: ['okta.sessions.read'],
      spec: 'management',
    },
    async (request) => {
      const id = param(request.params, 'sessionId');
      const session = org.sessions.get(id);
      if (!session) throw notFound(id, 'Session');
      return sessionView(session, org.url, org.idpId);
    },
  );

  router.route(
    {
      operationId: 'revokeSession',
      method: 'DELETE',
      path: '/api/v1/sessions/{sessionId}',
      scopes: ['okta.sessions.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const id = param(request.params, 'sessionId');
      const session = org.sessions.end(id);
      if (!session) throw notFound(id, 'Session');
      const user = dir.user(session.userId);
      org.log({
        eventType: 'user.session.end',
        actor: actorOf(principal),
        origin: originOf(request),
        target: user
          ? [
              {
                id: user.id,
                type: 'User',
                alternateId: user.profile.login,
                displayName: user.profile.displayName,
                detailEntry: null,
              },
            ]
          : [],
        authenticationContext: { externalSessionId: session.id, rootSessionId: session.id },
        debugData: { EndedSessionId: session.id },
      });
      return reply.code(204).send();
    },
  );

  router.route(
    {
      operationId: 'listGroups',
      method: 'GET',
      path: '/api/v1/groups',
      scopes: ['okta.groups.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      const stats = (query.get('expand') ?? '').split(',').includes('stats');
      const limit = limitParam(query, { fallback: 10_000, max: 10_000 });
      let groups: readonly OktaGroup[] = dir.groups();
      const q = query.get('q');
      if (q !== null) groups = groups.filter((g) => g.name.toLowerCase().startsWith(q.toLowerCase()));
      for (const [name, ignoreCase] of [
        ['search', true],
        ['filter', false],
      ] as const) {
        const text = query.get(name);
        if (text === null) continue;
        const expr = expression(text, name, groupRule);
        groups = groups.filter((g) => {
          const json = groupView(g, org.url);
          return matchesFilter(expr, (path) => valuesAt(json, path), { ignoreCase });
        });
      }
      const page = pageById(groups, query.get('after'), limit);
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.map((g) => groupView(g, org.url, stats ? appsCount(g) : undefined));
    },
  );

  router.route(
    {
      operationId: 'getGroup',
      method: 'GET',
      path: '/api/v1/groups/{groupId}',
      scopes: ['okta.groups.read'],
      spec: 'management',
    },
    async (request) => {
      const query = queryOf(request);
      const group = findGroup(param(request.params, 'groupId'));
      const stats = (query.get('expand') ?? '').split(',').includes('stats');
      return groupView(group, org.url, stats ? appsCount(group) : undefined);
    },
  );

  router.route(
    {
      operationId: 'listGroupUsers',
      method: 'GET',
      path: '/api/v1/groups/{groupId}/users',
      scopes: ['okta.groups.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      const group = findGroup(param(request.params, 'groupId'));
      const limit = limitParam(query, { fallback: 1000, max: 1000 });
      const members = dir.users().filter((u) => group.members.has(u.id));
      const page = pageById(members, query.get('after'), limit);
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.map(view);
    },
  );
}
