/**
 * Lab controls, under `/_lab/` so they never collide with an Okta path (ARCHITECTURE principle 2), and not
 * authenticated, like every mock's lab controls: register an OAuth service app in one call (what an admin
 * clicks together in the Admin Console — a private_key_jwt client, its public keys, granted Okta API scopes,
 * optionally "Require DPoP"), and list the live Okta sessions so a scenario can see sign-ins and logouts.
 */
import type { OktaContext } from '../core/context.ts';
import { malformedBody, validationFailed } from '../core/errors.ts';

export function labRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;

  router.route(
    { operationId: 'lab: register a service app', method: 'POST', path: '/_lab/service-apps', spec: 'none' },
    async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody();
      const b = body as Record<string, unknown>;
      const scopes = b.scopes ?? [];
      if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
        throw validationFailed('scopes', 'scopes: must be an array of Okta API scopes');
      if (b.clientId !== undefined && typeof b.clientId !== 'string')
        throw validationFailed('clientId', 'clientId: must be a string');
      if (b.name !== undefined && typeof b.name !== 'string')
        throw validationFailed('name', 'name: must be a string');
      if (b.requireDPoP !== undefined && typeof b.requireDPoP !== 'boolean')
        throw validationFailed('requireDPoP', 'requireDPoP: must be a boolean');
      if (b.jwks === undefined) throw validationFailed('jwks', "jwks: the client's public keys are required");
      const app = org.apps.registerServiceApp({
        ...(typeof b.clientId === 'string' ? { clientId: b.clientId } : {}),
        ...(typeof b.name === 'string' ? { name: b.name } : {}),
        jwks: b.jwks,
        scopes: scopes as string[],
        requireDPoP: b.requireDPoP === true,
        issuer: org.url,
        grantedBy: { id: org.admin.id, type: 'User' },
      });
      return reply.code(201).send({
        appId: app.id,
        clientId: app.clientId,
        scopes: [...org.apps.grantedScopes(app)],
        requireDPoP: app.oauthClient.dpop_bound_access_tokens,
        tokenEndpoint: `${org.url}/oauth2/v1/token`,
      });
    },
  );

  router.route(
    { operationId: 'lab: list Okta sessions', method: 'GET', path: '/_lab/sessions', spec: 'none' },
    async () =>
      org.sessions.active().map((s) => ({
        id: s.id,
        userId: s.userId,
        login: s.login,
        createdAt: new Date(s.createdAt).toISOString(),
        expiresAt: new Date(s.expiresAt).toISOString(),
      })),
  );
}
