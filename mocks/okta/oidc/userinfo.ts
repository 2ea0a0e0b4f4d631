/**
 * The org authorization server's UserInfo endpoint, `GET /oauth2/v1/userinfo` (oauth-minimal.yaml,
 * operation `userinfo`; OpenID Connect Core §5.3), named by the discovery document as `userinfo_endpoint`:
 * what an OpenID-certified relying party — Jamf Trust signing a user in — reads after the token exchange.
 *
 * It takes an access token the org issued to a user with the `openid` scope (`Bearer`, or `DPoP` with a proof
 * when the token is DPoP-bound) and answers the user's claims as the scopes allow (§5.4): always `sub` (the
 * Okta user id, as in the ID token); `profile` adds `name`, `preferred_username`, `given_name`,
 * `family_name`, `locale`, `zoneinfo` and `updated_at`; `email` adds `email` and `email_verified`; `phone`
 * adds `phone_number` when the user has one; `groups` adds the app's groups claim, filtered as in the ID
 * token. A missing, unknown, expired or revoked token — or one that acts for no user, such as an SSWS
 * token — is 401 with `WWW-Authenticate: Bearer … error="invalid_token"`; a token without `openid` (a
 * client-credentials token) is 403 `insufficient_scope` (RFC 6750 §3.1), as Okta's description shows.
 * Both without a body (Okta's description gives none).
 */
import type { OktaContext } from '../core/context.ts';
import { OktaError } from '../core/errors.ts';

const PATH = '/oauth2/v1/userinfo';

export function userinfoRoutes(ctx: OktaContext): void {
  const { org, router, auth } = ctx;
  const challenge = (error: string, description: string): string =>
    `Bearer authorization_uri="${org.url}/oauth2/v1/authorize", realm="${org.url}", scope="openid", error="${error}", error_description="${description}"`;

  router.route(
    { operationId: 'userinfo', method: 'GET', path: PATH, handlerScopes: ['openid'], spec: 'oauth' },
    async (request, reply) => {
      const refuse = (status: 401 | 403, www: string) =>
        reply.code(status).header('www-authenticate', www).header('cache-control', 'no-store').send();
      let principal: Awaited<ReturnType<typeof auth.authenticate>>;
      try {
        principal = await auth.authenticate(request, PATH, ['openid']);
      } catch (error) {
        if (!(error instanceof OktaError) || (error.status !== 401 && error.status !== 403)) throw error;
        const www = error.headers['www-authenticate'];
        if (error.status === 403)
          return refuse(
            403,
            www ??
              challenge(
                'insufficient_scope',
                'The access token must provide access to at least one of these scopes - openid.',
              ),
          );
        return refuse(401, www ?? challenge('invalid_token', 'The access token is invalid.'));
      }
      const user =
        principal.kind === 'oauth' && principal.userId !== undefined
          ? org.directory.user(principal.userId)
          : undefined;
      if (principal.kind !== 'oauth' || !user || user.id !== principal.userId)
        return refuse(401, challenge('invalid_token', 'The access token does not act for a user.'));
      const scopes = principal.scopes;
      const app = org.apps.byClientId(principal.clientId);
      const groups =
        scopes.has('groups') && app?.groupsClaim !== undefined
          ? { [app.groupsClaim.name]: org.apps.groupsClaimValues(app, user.id) }
          : {};
      const p = user.profile;
      return reply.header('cache-control', 'no-store').send({
        sub: user.id,
        ...(scopes.has('profile')
          ? {
              name: p.displayName,
              preferred_username: p.login,
              given_name: p.firstName,
              family_name: p.lastName,
              locale: 'en_US',
              zoneinfo: 'America/Los_Angeles',
              updated_at: Math.floor(user.lastUpdated / 1000),
            }
          : {}),
        ...(scopes.has('email') ? { email: p.email, email_verified: true } : {}),
        ...(scopes.has('phone') && p.mobilePhone !== null
          ? { phone_number: p.mobilePhone, phone_number_verified: false }
          : {}),
        ...groups,
      });
    },
  );
}
