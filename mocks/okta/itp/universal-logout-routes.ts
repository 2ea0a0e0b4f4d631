/**
 * Lab routes for Universal Logout (not authenticated, under `/_lab/` like every lab control): create the
 * SAML app instances the seed's SaaS apps are, configure an app for Universal Logout (the Admin Console's
 * Logout section), list the apps configured, and read every logout attempt — app, HTTP status, outcome,
 * reason, trace — without the bearer token.
 */
import type { OktaContext } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { queryOf } from '../core/pagination.ts';
import {
  arrayOf,
  INSTANT,
  NO_CONTENT,
  object,
  oktaRoute,
  pathParams,
  queryParams,
  STRING,
} from '../core/route-schemas.ts';
import { type LogoutApp, logoutConfigView, type UniversalLogout } from './universal-logout.ts';

const LOGOUT_CONFIG = object(
  {
    appId: STRING,
    label: STRING,
    signOnMode: STRING,
    status: { enum: ['ACTIVE', 'INACTIVE'] },
    endpoint: { type: 'string', format: 'uri' },
    authenticationMethod: STRING,
    subjectFormat: STRING,
    partialSupport: { type: 'boolean' },
    timeoutMs: { type: 'integer' },
    configuredAt: INSTANT,
  },
  ['appId', 'label', 'endpoint', 'subjectFormat', 'configuredAt'],
);
const SAML_APP = object(
  {
    id: STRING,
    name: STRING,
    label: STRING,
    signOnMode: { const: 'SAML_2_0' },
    status: STRING,
    created: INSTANT,
  },
  ['id', 'name', 'label', 'signOnMode', 'status', 'created'],
);

export function universalLogoutRoutes(ctx: OktaContext, logout: UniversalLogout): void {
  const { router } = ctx;
  const findApp = (params: unknown): LogoutApp => {
    const id = String((params as Record<string, string>).appId ?? '');
    const app = logout.app(id);
    if (!app) throw notFound(id, 'AppInstance');
    return app;
  };
  const samlView = (app: { id: string; name: string; label: string; created: number }) => ({
    id: app.id,
    name: app.name,
    label: app.label,
    signOnMode: 'SAML_2_0',
    status: 'ACTIVE',
    created: new Date(app.created).toISOString(),
  });

  router.route(
    {
      operationId: 'lab: create a SAML app',
      method: 'POST',
      path: '/_lab/saml-apps',
      spec: 'none',
      schema: oktaRoute({
        body: object({ label: STRING, id: STRING, name: STRING }, ['label']),
        response: { 201: SAML_APP },
      }),
    },
    async (request, reply) => reply.code(201).send(samlView(logout.createSamlApp(request.body))),
  );
  router.route(
    {
      operationId: 'lab: list SAML apps',
      method: 'GET',
      path: '/_lab/saml-apps',
      spec: 'none',
      schema: oktaRoute({ response: { 200: arrayOf(SAML_APP) } }),
    },
    async () => logout.samlApps().map(samlView),
  );
  router.route(
    {
      operationId: 'lab: configure Universal Logout for an app',
      method: 'PUT',
      path: '/_lab/apps/{appId}/universal-logout',
      spec: 'none',
      schema: oktaRoute({
        params: pathParams('appId'),
        body: object(
          {
            endpoint: STRING,
            authenticationMethod: STRING,
            subjectFormat: STRING,
            partialSupport: { type: 'boolean' },
            timeoutMs: { type: 'integer' },
          },
          ['endpoint'],
        ),
        response: { 200: LOGOUT_CONFIG },
      }),
      // The lab's own checks word each refused field (a test reads them all, in order).
      refusals: { check: (request) => logout.parseConfig(findApp(request.params), request.body) },
    },
    async (request) => {
      const app = findApp(request.params);
      return logoutConfigView(app, logout.configure(app, request.body));
    },
  );
  router.route(
    {
      operationId: "lab: get an app's Universal Logout configuration",
      method: 'GET',
      path: '/_lab/apps/{appId}/universal-logout',
      spec: 'none',
      schema: oktaRoute({ params: pathParams('appId'), response: { 200: LOGOUT_CONFIG } }),
    },
    async (request) => {
      const app = findApp(request.params);
      const config = logout.config(app.id);
      if (!config) throw notFound(`${app.id}/universal-logout`, 'UniversalLogoutConfiguration');
      return logoutConfigView(app, config);
    },
  );
  router.route(
    {
      operationId: 'lab: turn Universal Logout off for an app',
      method: 'DELETE',
      path: '/_lab/apps/{appId}/universal-logout',
      spec: 'none',
      schema: oktaRoute({ params: pathParams('appId'), response: { 204: NO_CONTENT } }),
    },
    async (request, reply) => {
      const app = findApp(request.params);
      if (!logout.unconfigure(app.id))
        throw notFound(`${app.id}/universal-logout`, 'UniversalLogoutConfiguration');
      return reply.code(204).send();
    },
  );
  router.route(
    {
      operationId: 'lab: list apps configured for Universal Logout',
      method: 'GET',
      path: '/_lab/universal-logout/apps',
      spec: 'none',
      schema: oktaRoute({ response: { 200: arrayOf(LOGOUT_CONFIG) } }),
    },
    async () => logout.configured().map(({ app, config }) => logoutConfigView(app, config)),
  );
  router.route(
    {
      operationId: 'lab: list Universal Logout attempts',
      method: 'GET',
      path: '/_lab/universal-logout',
      spec: 'none',
      schema: oktaRoute({
        querystring: queryParams('traceId', 'userId', 'appId'),
        response: { 200: arrayOf(object({ traceId: STRING, userId: STRING, appId: STRING })) },
      }),
    },
    async (request) => {
      const query = queryOf(request);
      const filter: { traceId?: string; userId?: string; appId?: string } = {};
      for (const name of ['traceId', 'userId', 'appId'] as const) {
        const value = query.get(name);
        if (value !== null) filter[name] = value;
      }
      return logout.attempts(filter);
    },
  );
}
