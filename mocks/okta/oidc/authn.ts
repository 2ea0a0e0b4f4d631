/**
 * The Classic Authentication API's primary authentication, `POST /api/v1/authn` (developer.okta.com
 * /docs/reference/api/authn): `{username, password}` → `{status: "SUCCESS", sessionToken, expiresAt,
 * _embedded: {user}}`. The session token is one-time and lives 5 minutes; exchanged at `/oauth2/v1/authorize`
 * it becomes an Okta session — the browserless sign-in mock Jamf Security Cloud drives for Jamf Trust. Every
 * fleet user's password is the lab password. Wrong credentials are 401 E0000004 with one message whatever
 * the reason (Okta does not say whether the user exists) and a failed `user.session.start` in the System Log.
 */
import type { OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { authenticationFailed, malformedBody, validationFailed } from '../core/errors.ts';
import { issuedSecret } from '../core/ids.ts';
import { INSTANT, object, oktaRoute, STRING } from '../core/route-schemas.ts';
import { SESSION_TOKEN_TTL_MS } from './tokens.ts';

export function authnRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  router.route(
    {
      operationId: 'authenticate (Classic Authentication API)',
      method: 'POST',
      path: '/api/v1/authn',
      spec: 'none',
      // The Classic Authentication API is not in the published descriptions: Okta's documented members.
      schema: oktaRoute({
        body: object({ username: STRING, password: STRING, options: { type: 'object' } }),
        response: {
          200: object(
            { status: STRING, sessionToken: STRING, expiresAt: INSTANT, _embedded: { type: 'object' } },
            ['status', 'sessionToken', 'expiresAt'],
          ),
        },
      }),
    },
    async (request) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody();
      const { username, password } = body as Record<string, unknown>;
      const missing = [
        ...(typeof username === 'string' && username !== ''
          ? []
          : ['username: The field cannot be left blank']),
        ...(typeof password === 'string' && password !== ''
          ? []
          : ['password: The field cannot be left blank']),
      ];
      if (missing.length > 0) throw validationFailed('authRequest', ...missing);
      const user = org.directory.user(String(username));
      const origin = originOf(request);
      if (!user || !org.directory.passwordMatches(String(password))) {
        org.log({
          eventType: 'user.session.start',
          actor: {
            id: user?.id ?? 'unknown',
            type: 'User',
            alternateId: String(username),
            displayName: user?.profile.displayName ?? 'unknown',
            detailEntry: null,
          },
          origin,
          outcome: { result: 'FAILURE', reason: user ? 'INVALID_CREDENTIALS' : 'VERIFICATION_ERROR' },
          legacyEventType: 'core.user_auth.login_failed',
          authenticationContext: {
            credentialType: 'PASSWORD',
            authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
          },
        });
        throw authenticationFailed();
      }
      const expiresAt = org.now() + SESSION_TOKEN_TTL_MS;
      const sessionToken = issuedSecret('20111', 24);
      org.tokens.sessionTokens.set(sessionToken, { userId: user.id, expiresAt });
      return {
        expiresAt: new Date(expiresAt).toISOString(),
        status: 'SUCCESS',
        sessionToken,
        _embedded: {
          user: {
            id: user.id,
            passwordChanged: new Date(user.passwordChanged).toISOString(),
            profile: {
              login: user.profile.login,
              firstName: user.profile.firstName,
              lastName: user.profile.lastName,
              locale: 'en',
              timeZone: 'America/Los_Angeles',
            },
          },
        },
        _links: {
          cancel: { href: `${org.url}/api/v1/authn/cancel`, hints: { allow: ['POST'] } },
        },
      };
    },
  );
}
