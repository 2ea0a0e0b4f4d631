/**
 * Lab controls, under `/_lab/` so they never collide with an Okta path (ARCHITECTURE principle 2). The
 * mock does not authenticate them itself: the lab guards every `/_lab/` route with its admin token in front
 * of the mock (harness/lab/lab-admin.ts). Register an OAuth service app in one call (what an admin
 * clicks together in the Admin Console — a private_key_jwt client, its public keys, granted Okta API scopes,
 * optionally "Require DPoP"), sign a user in (a new Okta session, as the Authentication API and /authorize
 * would make), and list the live Okta sessions so a scenario can see sign-ins and logouts.
 */
import type { OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { malformedBody, notFound, validationFailed } from '../core/errors.ts';
import { arrayOf, INSTANT, object, oktaRoute, STRING } from '../core/route-schemas.ts';
import type { OktaUser } from '../directory/directory.ts';
import type { OktaSession } from '../oidc/sessions.ts';

/** The most users one bulk `POST /_lab/sessions` (`{"logins": […]}`) signs in. */
export const BULK_SIGN_IN_MAX = 1_000;

export function labRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;

  /** A new Okta session for `user`, logged as the Authentication API logs a sign-in. */
  const signIn = (user: OktaUser, origin: ReturnType<typeof originOf>): OktaSession => {
    const session = org.sessions.create(user);
    user.lastLogin = session.createdAt;
    org.log({
      eventType: 'user.session.start',
      actor: {
        id: user.id,
        type: 'User',
        alternateId: user.profile.login,
        displayName: user.profile.displayName,
        detailEntry: null,
      },
      origin,
      authenticationContext: {
        authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
        credentialType: 'PASSWORD',
        externalSessionId: session.id,
        rootSessionId: session.id,
      },
    });
    return session;
  };

  router.route(
    {
      operationId: 'lab: register a service app',
      method: 'POST',
      path: '/_lab/service-apps',
      spec: 'none',
      schema: oktaRoute({
        body: object(
          {
            jwks: object({ keys: arrayOf({ type: 'object' }) }, ['keys']),
            scopes: arrayOf(STRING),
            clientId: STRING,
            name: STRING,
            requireDPoP: { type: 'boolean' },
          },
          ['jwks'],
        ),
        response: {
          201: object(
            {
              appId: STRING,
              clientId: STRING,
              scopes: arrayOf(STRING),
              requireDPoP: { type: 'boolean' },
              tokenEndpoint: { type: 'string', format: 'uri' },
            },
            ['appId', 'clientId', 'scopes', 'requireDPoP', 'tokenEndpoint'],
          ),
        },
      }),
    },
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
      // An admin act — an app that can call Okta's API with the scopes given — so it is in the System Log
      // as the Admin Console's app creation is, with the lab admin as actor and the control named.
      org.log({
        eventType: 'application.lifecycle.create',
        actor: { ...org.admin, detailEntry: { labControl: 'POST /_lab/service-apps' } },
        origin: originOf(request),
        target: [
          {
            id: app.id,
            type: 'AppInstance',
            alternateId: app.label,
            displayName: app.label,
            detailEntry: { signOnModeType: 'OPENID_CONNECT' },
          },
        ],
        debugData: { grantedScopes: [...org.apps.grantedScopes(app)].join(' ') },
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

  // A user signing in, in one call: what the Authentication API and /authorize do in several, so a lab run
  // can give a user the Okta session a plan then sees ended (a plan that logs a user out uses theirs up).
  router.route(
    {
      operationId: 'lab: sign a user in',
      method: 'POST',
      path: '/_lab/sessions',
      spec: 'none',
      schema: oktaRoute({
        // One user (`login`, a login or id) or a fleet's first sign-ins (`logins`); the handler words which.
        body: object({ login: STRING, logins: arrayOf(STRING) }),
        response: {
          201: {
            anyOf: [
              LAB_SESSION,
              object(
                { signedIn: { type: 'integer' }, users: arrayOf(object({ login: STRING, userId: STRING })) },
                ['signedIn', 'users'],
              ),
            ],
          },
        },
      }),
    },
    async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody();
      const b = body as Record<string, unknown>;
      if ('logins' in b) {
        // The bulk form: a fleet's first sign-ins in one request (the seed set-up of a large lab).
        // All or nothing: an unknown user is a 404 naming it and signs nobody in.
        const logins = b.logins;
        if (
          !Array.isArray(logins) ||
          logins.length === 0 ||
          logins.length > BULK_SIGN_IN_MAX ||
          !logins.every((l) => typeof l === 'string' && l !== '')
        )
          throw validationFailed(
            'logins',
            `logins: must be an array of 1 to ${BULK_SIGN_IN_MAX} users' logins (or ids)`,
          );
        const users = (logins as string[]).map((login) => {
          const user = org.directory.user(login);
          if (!user) throw notFound(login, 'User');
          return user;
        });
        const origin = originOf(request);
        for (const user of users) signIn(user, origin);
        // Each user once, with the id a caller needs next (an app's sign-in); not the session ids, which
        // are secrets a bulk caller has no use for (GET /_lab/sessions lists them).
        const byId = new Map(users.map((u) => [u.id, { login: u.profile.login, userId: u.id }]));
        return reply.code(201).send({ signedIn: users.length, users: [...byId.values()] });
      }
      const login = b.login;
      if (typeof login !== 'string' || login === '')
        throw validationFailed('login', "login: the user's login (or id) is required");
      const user = org.directory.user(login);
      if (!user) throw notFound(login, 'User');
      return reply.code(201).send(labSessionView(signIn(user, originOf(request))));
    },
  );

  router.route(
    {
      operationId: 'lab: list Okta sessions',
      method: 'GET',
      path: '/_lab/sessions',
      spec: 'none',
      schema: oktaRoute({ response: { 200: arrayOf(LAB_SESSION) } }),
    },
    async () => org.sessions.active().map(labSessionView),
  );
}

const LAB_SESSION = object(
  { id: STRING, userId: STRING, login: STRING, createdAt: INSTANT, expiresAt: INSTANT },
  ['id', 'userId', 'login', 'createdAt', 'expiresAt'],
);

/** A live Okta session as the lab lists it. */
function labSessionView(s: OktaSession): Record<string, unknown> {
  return {
    id: s.id,
    userId: s.userId,
    login: s.login,
    createdAt: new Date(s.createdAt).toISOString(),
    expiresAt: new Date(s.expiresAt).toISOString(),
  };
}
