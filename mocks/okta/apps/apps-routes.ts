/**
 * The Apps API subset the lab needs (management-minimal.yaml, tag Application): list, create, get and
 * replace OpenID Connect apps, activate/deactivate them, assign users (`POST …/users`) and groups (`PUT
 * …/groups/{groupId}`), grant Okta API scopes to service apps (`…/grants`), and read or set the ID token's
 * groups claim at the internal path the Admin Console and Okta's Terraform provider use. Status codes are
 * Okta's: create and replace 200 (not 201), grant 201, unassign 204. Each change is logged.
 */
import { actorOf, type OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { invalidSearch, malformedBody, notFound, validationFailed } from '../core/errors.ts';
import { checkFilter, FilterError, matchesFilter, parseFilter } from '../core/filter.ts';
import { limitParam, pageById, queryOf, setLinks } from '../core/pagination.ts';
import { object, oktaRoute, pathParams, STRING } from '../core/route-schemas.ts';
import type { LogTarget } from '../system-log/system-log.ts';
import { parseAppBody } from './app-settings.ts';
import type { AppUserAssignment, OktaApp, SamlApp } from './apps.ts';
import { appUserView, appView, grantView, groupAssignmentView, samlAppView } from './apps-views.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function appsRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  const apps = org.apps;
  const view = (app: OktaApp): Record<string, unknown> => appView(app, org.url, org.signingKey.kid);
  const param = (params: unknown, name: string): string =>
    String((params as Record<string, string>)[name] ?? '');
  const findApp = (params: unknown): OktaApp => {
    const id = param(params, 'appId');
    const app = apps.get(id);
    if (!app) throw notFound(id, 'AppInstance');
    return app;
  };
  const appTarget = (app: OktaApp): LogTarget => ({
    id: app.id,
    type: 'AppInstance',
    alternateId: app.label,
    displayName: app.label,
    detailEntry: { signOnModeType: 'OPENID_CONNECT' },
  });
  const body = (request: { body: unknown }): Record<string, unknown> => {
    if (!isObject(request.body)) throw malformedBody();
    return request.body;
  };
  const boolean = (query: URLSearchParams, name: string, fallback: boolean): boolean => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (raw !== 'true' && raw !== 'false') throw validationFailed(name, `${name}: must be true or false`);
    return raw === 'true';
  };

  router.route(
    {
      operationId: 'listApplications',
      method: 'GET',
      path: '/api/v1/apps',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      // Okta's default is "all apps" (-1); a page holds at most 200.
      const limit = query.get('limit') === '-1' ? 200 : limitParam(query, { fallback: 200, max: 200 });
      // The org's OIDC apps and its SAML app instances (the seed's SaaS apps), ordered by id.
      type Listed = { readonly oidc: OktaApp } | { readonly saml: SamlApp };
      const idOf = (a: Listed): string => ('oidc' in a ? a.oidc.id : a.saml.id);
      let list: Listed[] = [
        ...apps.list().map((oidc) => ({ oidc })),
        ...apps.samlApps().map((saml) => ({ saml })),
      ].sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
      const labelOf = (a: Listed): string => ('oidc' in a ? a.oidc.label : a.saml.label);
      const nameOf = (a: Listed): string => ('oidc' in a ? a.oidc.name : a.saml.name);
      const q = query.get('q');
      if (q !== null)
        list = list.filter(
          (a) => labelOf(a).toLowerCase().startsWith(q.toLowerCase()) || nameOf(a).startsWith(q),
        );
      const filterText = query.get('filter');
      if (filterText !== null) {
        let expr: ReturnType<typeof parseFilter>;
        try {
          expr = parseFilter(filterText);
          checkFilter(expr, (path, op) =>
            ['status', 'name', 'user.id', 'group.id'].includes(path) && op === 'eq'
              ? undefined
              : `only status, name, user.id and group.id with eq are supported, not ${path || op} ${op}`,
          );
        } catch (error) {
          if (error instanceof FilterError) throw invalidSearch(`filter: ${error.message}`);
          throw error;
        }
        list = list.filter((entry) =>
          matchesFilter(
            expr,
            (path) => {
              if ('saml' in entry) {
                // A lab SAML app is every user's and no group's.
                if (path === 'status') return ['ACTIVE'];
                if (path === 'name') return [entry.saml.name];
                if (path === 'user.id') return org.directory.users().map((u) => u.id);
                return [];
              }
              const a = entry.oidc;
              if (path === 'status') return [a.status];
              if (path === 'name') return [a.name];
              if (path === 'user.id') return apps.appUsers(a).map((u) => u.userId);
              return [...a.groups.keys()];
            },
            { ignoreCase: false },
          ),
        );
      }
      const page = pageById(
        list.map((entry) => ({ id: idOf(entry), entry })),
        query.get('after'),
        limit,
      );
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.map(({ entry }) =>
        'oidc' in entry ? view(entry.oidc) : samlAppView(entry.saml, org.url, org.signingKey.kid),
      );
    },
  );

  router.route(
    {
      operationId: 'createApplication',
      method: 'POST',
      path: '/api/v1/apps',
      scopes: ['okta.apps.manage'],
      spec: 'management',
      refusals: { check: (request) => parseAppBody(body(request), undefined) },
    },
    async (request, _reply, principal) => {
      const activate = boolean(queryOf(request), 'activate', true);
      const app = apps.create(body(request), activate);
      org.log({
        eventType: 'application.lifecycle.create',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [appTarget(app)],
      });
      return view(app);
    },
  );

  router.route(
    {
      operationId: 'getApplication',
      method: 'GET',
      path: '/api/v1/apps/{appId}',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request) => {
      const saml = apps.saml(param(request.params, 'appId'));
      return saml ? samlAppView(saml, org.url, org.signingKey.kid) : view(findApp(request.params));
    },
  );

  router.route(
    {
      operationId: 'replaceApplication',
      method: 'PUT',
      path: '/api/v1/apps/{appId}',
      scopes: ['okta.apps.manage'],
      spec: 'management',
      refusals: { check: (request) => parseAppBody(body(request), findApp(request.params)) },
    },
    async (request, _reply, principal) => {
      const app = apps.replace(findApp(request.params), body(request));
      org.log({
        eventType: 'application.lifecycle.update',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [appTarget(app)],
      });
      return view(app);
    },
  );

  for (const [action, status] of [
    ['activate', 'ACTIVE'],
    ['deactivate', 'INACTIVE'],
  ] as const) {
    router.route(
      {
        operationId: `${action}Application`,
        method: 'POST',
        path: `/api/v1/apps/{appId}/lifecycle/${action}`,
        scopes: ['okta.apps.manage'],
        spec: 'management',
      },
      async (request, _reply, principal) => {
        const app = findApp(request.params);
        if (app.status !== status) {
          app.status = status;
          app.lastUpdated = org.now();
          org.log({
            eventType: `application.lifecycle.${action}`,
            actor: actorOf(principal),
            origin: originOf(request),
            target: [appTarget(app)],
          });
        }
        return {};
      },
    );
  }

  const userEntry = (app: OktaApp, userId: string): { scope: 'USER' | 'GROUP'; since: number } | undefined =>
    apps.appUsers(app).find((u) => u.userId === userId);

  router.route(
    {
      operationId: 'listApplicationUsers',
      method: 'GET',
      path: '/api/v1/apps/{appId}/users',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const app = findApp(request.params);
      const query = queryOf(request);
      const limit = limitParam(query, { fallback: 50, max: 500 });
      const entries = apps.appUsers(app).map((e) => ({ ...e, id: e.userId }));
      const page = pageById(entries, query.get('after'), limit);
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.flatMap((e) => {
        const user = org.directory.user(e.userId);
        return user ? [appUserView(app, user, e, org.url)] : [];
      });
    },
  );

  router.route(
    {
      operationId: 'assignUserToApplication',
      method: 'POST',
      path: '/api/v1/apps/{appId}/users',
      scopes: ['okta.apps.manage'],
      spec: 'management',
    },
    async (request, _reply, principal) => {
      const app = findApp(request.params);
      const b = body(request);
      if (typeof b.id !== 'string' || b.id === '')
        throw validationFailed('id', 'id: The field cannot be left blank');
      const user = org.directory.user(b.id);
      if (!user || user.id !== b.id) throw notFound(b.id, 'User');
      if (b.profile !== undefined && !isObject(b.profile))
        throw validationFailed('profile', 'profile: must be an object');
      const assignment: AppUserAssignment = apps.assignUser(
        app,
        user.id,
        isObject(b.profile) ? b.profile : {},
      );
      org.log({
        eventType: 'application.user_membership.add',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [
          {
            id: user.id,
            type: 'AppUser',
            alternateId: user.profile.login,
            displayName: user.profile.displayName,
            detailEntry: null,
          },
          appTarget(app),
        ],
      });
      return appUserView(app, user, { scope: 'USER', since: assignment.created }, org.url);
    },
  );

  router.route(
    {
      operationId: 'getApplicationUser',
      method: 'GET',
      path: '/api/v1/apps/{appId}/users/{userId}',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request) => {
      const app = findApp(request.params);
      const userId = param(request.params, 'userId');
      const entry = userEntry(app, userId);
      const user = org.directory.user(userId);
      if (!entry || !user) throw notFound(userId, 'AppUser');
      return appUserView(app, user, entry, org.url);
    },
  );

  router.route(
    {
      operationId: 'unassignUserFromApplication',
      method: 'DELETE',
      path: '/api/v1/apps/{appId}/users/{userId}',
      scopes: ['okta.apps.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const app = findApp(request.params);
      const userId = param(request.params, 'userId');
      const user = org.directory.user(userId);
      if (!app.users.delete(userId) || !user) throw notFound(userId, 'AppUser');
      org.log({
        eventType: 'application.user_membership.remove',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [
          {
            id: user.id,
            type: 'AppUser',
            alternateId: user.profile.login,
            displayName: user.profile.displayName,
            detailEntry: null,
          },
          appTarget(app),
        ],
      });
      return reply.code(204).send();
    },
  );

  router.route(
    {
      operationId: 'listApplicationGroupAssignments',
      method: 'GET',
      path: '/api/v1/apps/{appId}/groups',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const app = findApp(request.params);
      const query = queryOf(request);
      const limit = limitParam(query, { fallback: 20, max: 200 });
      const entries = [...app.groups.values()]
        .map((a) => ({ ...a, id: a.groupId }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const page = pageById(entries, query.get('after'), limit);
      setLinks(reply, org.url, request, page.next === undefined ? undefined : { after: page.next });
      return page.items.map((a) => groupAssignmentView(app, a, org.url));
    },
  );

  router.route(
    {
      operationId: 'assignGroupToApplication',
      method: 'PUT',
      path: '/api/v1/apps/{appId}/groups/{groupId}',
      scopes: ['okta.apps.manage'],
      spec: 'management',
    },
    async (request, _reply, principal) => {
      const app = findApp(request.params);
      const groupId = param(request.params, 'groupId');
      const group = org.directory.group(groupId);
      if (!group) throw notFound(groupId, 'UserGroup');
      const b = request.body === undefined ? {} : body(request);
      const priority = b.priority ?? 0;
      if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0)
        throw validationFailed('priority', 'priority: must be a non-negative integer');
      if (b.profile !== undefined && !isObject(b.profile))
        throw validationFailed('profile', 'profile: must be an object');
      const assignment = apps.assignGroup(app, group.id, priority, isObject(b.profile) ? b.profile : {});
      org.log({
        eventType: 'group.application_assignment.add',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [
          {
            id: group.id,
            type: 'UserGroup',
            alternateId: 'unknown',
            displayName: group.name,
            detailEntry: null,
          },
          appTarget(app),
        ],
      });
      return groupAssignmentView(app, assignment, org.url);
    },
  );

  router.route(
    {
      operationId: 'getApplicationGroupAssignment',
      method: 'GET',
      path: '/api/v1/apps/{appId}/groups/{groupId}',
      scopes: ['okta.apps.read'],
      spec: 'management',
    },
    async (request) => {
      const app = findApp(request.params);
      const groupId = param(request.params, 'groupId');
      const assignment = app.groups.get(groupId);
      if (!assignment) throw notFound(groupId, 'ApplicationGroupAssignment');
      return groupAssignmentView(app, assignment, org.url);
    },
  );

  router.route(
    {
      operationId: 'unassignApplicationFromGroup',
      method: 'DELETE',
      path: '/api/v1/apps/{appId}/groups/{groupId}',
      scopes: ['okta.apps.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const app = findApp(request.params);
      const groupId = param(request.params, 'groupId');
      const group = org.directory.group(groupId);
      if (!app.groups.delete(groupId) || !group) throw notFound(groupId, 'ApplicationGroupAssignment');
      org.log({
        eventType: 'group.application_assignment.remove',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [
          {
            id: group.id,
            type: 'UserGroup',
            alternateId: 'unknown',
            displayName: group.name,
            detailEntry: null,
          },
          appTarget(app),
        ],
      });
      return reply.code(204).send();
    },
  );

  router.route(
    {
      operationId: 'listScopeConsentGrants',
      method: 'GET',
      path: '/api/v1/apps/{appId}/grants',
      scopes: ['okta.appGrants.read'],
      spec: 'management',
    },
    async (request) => {
      const app = findApp(request.params);
      return [...app.grants.values()].map((g) => grantView(app, g, org.url));
    },
  );

  router.route(
    {
      operationId: 'grantConsentToScope',
      method: 'POST',
      path: '/api/v1/apps/{appId}/grants',
      scopes: ['okta.appGrants.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const app = findApp(request.params);
      const actor = actorOf(principal);
      const grant = apps.grant(app, body(request), { id: actor.id, type: actor.type }, org.url);
      org.log({
        eventType: 'app.oauth2.as.consent.grant',
        actor,
        origin: originOf(request),
        target: [
          appTarget(app),
          {
            id: grant.scopeId,
            type: 'Scope',
            alternateId: grant.scopeId,
            displayName: grant.scopeId,
            detailEntry: null,
          },
        ],
      });
      return reply.code(201).send(grantView(app, grant, org.url));
    },
  );

  router.route(
    {
      operationId: 'getScopeConsentGrant',
      method: 'GET',
      path: '/api/v1/apps/{appId}/grants/{grantId}',
      scopes: ['okta.appGrants.read'],
      spec: 'management',
    },
    async (request) => {
      const app = findApp(request.params);
      const grantId = param(request.params, 'grantId');
      const grant = app.grants.get(grantId);
      if (!grant) throw notFound(grantId, 'OAuth2ScopeConsentGrant');
      return grantView(app, grant, org.url);
    },
  );

  router.route(
    {
      operationId: 'revokeScopeConsentGrant',
      method: 'DELETE',
      path: '/api/v1/apps/{appId}/grants/{grantId}',
      scopes: ['okta.appGrants.manage'],
      spec: 'management',
    },
    async (request, reply) => {
      const app = findApp(request.params);
      const grantId = param(request.params, 'grantId');
      if (!app.grants.delete(grantId)) throw notFound(grantId, 'OAuth2ScopeConsentGrant');
      return reply.code(204).send();
    },
  );

  // Not in Okta's published description: the Admin Console's groups-claim panel, as Terraform calls it.
  // Its members as the Terraform provider sends and reads them (Okta publishes no schema).
  const GROUPS_CLAIM = object({ issuerMode: STRING, name: STRING, value: STRING, valueType: STRING });
  router.route(
    {
      operationId: 'getAppGroupsClaim (internal)',
      method: 'GET',
      path: '/api/v1/internal/apps/{appId}/settings/oauth/idToken',
      scopes: ['okta.apps.read'],
      spec: 'none',
      schema: oktaRoute({ params: pathParams('appId'), response: { 200: GROUPS_CLAIM } }),
    },
    async (request) => {
      const app = findApp(request.params);
      return app.groupsClaim ?? { issuerMode: app.oauthClient.issuer_mode };
    },
  );
  router.route(
    {
      operationId: 'updateAppGroupsClaim (internal)',
      method: 'POST',
      path: '/api/v1/internal/apps/{appId}/settings/oauth/idToken',
      scopes: ['okta.apps.manage'],
      spec: 'none',
      schema: oktaRoute({
        params: pathParams('appId'),
        body: object({
          issuerMode: STRING,
          name: STRING,
          value: STRING,
          valueType: STRING,
          groupFilterType: STRING,
        }),
        response: { 200: GROUPS_CLAIM },
      }),
    },
    async (request, _reply, principal) => {
      const app = findApp(request.params);
      const claim = apps.setGroupsClaim(app, body(request));
      org.log({
        eventType: 'application.lifecycle.update',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [appTarget(app)],
      });
      return claim;
    },
  );
}
