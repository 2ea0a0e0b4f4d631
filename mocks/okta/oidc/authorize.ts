/**
 * `GET /oauth2/v1/authorize` of the org authorization server, for the authorization code flow (RFC 6749
 * §4.1, PKCE RFC 7636, OIDC Core §3.1.2). The user is the one behind `sessionToken` (Okta's browserless
 * sign-in: a one-time token from `/api/v1/authn`, which starts a new Okta session) or behind the `sid` cookie
 * of a session the org started earlier. The lab has no sign-in page, so with neither the answer is
 * `login_required`. Checks, in Okta's order: a known, active client and an exactly registered `redirect_uri`
 * (else a 400 HTML page: errors cannot be sent to an untrusted URI), then — as `error`/`error_description`
 * on the redirect — `response_type=code`, `state`, the scopes (`openid` required), PKCE (S256; required for
 * public and native clients), the user, the user's assignment to the app (`access_denied`), consent.
 * Success is 302 to the redirect URI with `code` and `state`, logged as `user.session.start` and
 * `user.authentication.sso`. Codes are one-time and live 60 seconds.
 */
import type { OktaApp } from '../apps/apps.ts';
import type { OktaContext } from '../core/context.ts';
import { originOf, refusalDescription } from '../core/conventions.ts';
import { ErrorPage } from '../core/errors.ts';
import { issuedSecret } from '../core/ids.ts';
import { queryOf } from '../core/pagination.ts';
import type { OktaUser } from '../directory/directory.ts';
import type { OktaSession } from './sessions.ts';
import { CODE_TTL_MS } from './tokens.ts';

/** The scopes the org authorization server knows for sign-in (OrgASOidcMetadata `scopes_supported`). */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'groups'];

class RedirectError extends Error {
  readonly error: string;

  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function authorizeRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  const userTarget = (user: OktaUser) => ({
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: user.profile.displayName,
    detailEntry: null,
  });
  const appTarget = (app: OktaApp) => ({
    id: app.id,
    type: 'AppInstance',
    alternateId: app.label,
    displayName: app.label,
    detailEntry: { signOnModeType: 'OPENID_CONNECT' },
  });

  router.route(
    {
      operationId: 'authorize',
      method: 'GET',
      path: '/oauth2/v1/authorize',
      spec: 'oauth',
      // Okta answers a bad authorization request on the redirect URI (or with its error page), never as JSON.
      refusals: 'handler',
    },
    async (request, reply) => {
      const q = queryOf(request);
      const clientId = q.get('client_id');
      const app = clientId === null ? undefined : org.apps.byClientId(clientId);
      if (app?.status !== 'ACTIVE')
        throw new ErrorPage(
          'invalid_client',
          "The 'client_id' parameter is missing or is not an active client app.",
        );
      const redirectUri = q.get('redirect_uri');
      if (redirectUri === null || !app.oauthClient.redirect_uris.includes(redirectUri))
        throw new ErrorPage(
          'invalid_request',
          "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
        );
      const state = q.get('state');
      const back = new URL(redirectUri);
      const origin = originOf(request);

      try {
        if (q.get('response_type') !== 'code' || !app.oauthClient.grant_types.includes('authorization_code'))
          throw new RedirectError(
            'unsupported_response_type',
            `The response type is not supported by the authorization server. Configured response types: [code].`,
          );
        const mode = q.get('response_mode');
        if (mode !== null && mode !== 'query')
          throw new RedirectError(
            'invalid_request',
            "The lab's org returns codes with response_mode=query only.",
          );
        if (state === null || state === '')
          throw new RedirectError('invalid_request', "The 'state' parameter is required.");
        const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
        if (!scopes.includes('openid'))
          throw new RedirectError(
            'invalid_scope',
            "The authentication request has an invalid 'scope' parameter.",
          );
        const unknown = scopes.filter((s) => !OIDC_SCOPES.includes(s));
        if (unknown.length > 0)
          throw new RedirectError(
            'invalid_scope',
            `One or more scopes are not configured for the authorization server resource: ${unknown.join(' ')}.`,
          );
        const challenge = q.get('code_challenge');
        const method = q.get('code_challenge_method');
        if (challenge !== null) {
          if (method !== 'S256')
            throw new RedirectError('invalid_request', "The 'code_challenge_method' must be 'S256'.");
          if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))
            throw new RedirectError(
              'invalid_request',
              "The 'code_challenge' is not a valid PKCE code challenge.",
            );
        } else if (app.pkceRequired) {
          throw new RedirectError(
            'invalid_request',
            app.authMethod === 'none'
              ? "PKCE code challenge is required when the token endpoint authentication method is 'NONE'."
              : 'PKCE code challenge is required by the client app.',
          );
        }
        const nonce = q.get('nonce') ?? undefined;
        const prompt = q.get('prompt');
        // What Okta's description refuses and the checks above do not word (a `prompt` or `max_age` it
        // does not know…): invalid_request on the redirect URI, naming the parameter.
        if (request.validationError !== undefined)
          throw new RedirectError('invalid_request', refusalDescription(request.validationError));

        // Who is signing in: a session token from /api/v1/authn, else the org's session cookie.
        let user: OktaUser | undefined;
        let session: OktaSession | undefined;
        let fresh = false;
        const sessionToken = q.get('sessionToken');
        if (sessionToken !== null) {
          const entry = org.tokens.sessionTokens.take(sessionToken);
          if (!entry)
            throw new RedirectError('login_required', 'The session token is invalid, used or expired.');
          user = org.directory.user(entry.userId);
          fresh = true;
        } else if (prompt !== 'login') {
          const sid = cookie(request.headers.cookie, 'sid');
          session = sid === undefined ? undefined : org.sessions.get(sid);
          user = session ? org.directory.user(session.userId) : undefined;
        }
        if (!user)
          throw new RedirectError(
            'login_required',
            'The user is not signed in: pass a sessionToken from /api/v1/authn (the lab has no sign-in page).',
          );
        if (!org.apps.isAssigned(app, user.id)) {
          org.log({
            eventType: 'user.authentication.sso',
            actor: userTarget(user),
            origin,
            outcome: { result: 'FAILURE', reason: 'User is not assigned to the client application.' },
            target: [appTarget(app)],
          });
          throw new RedirectError('access_denied', 'User is not assigned to the client application.');
        }
        if (app.oauthClient.consent_method === 'REQUIRED')
          throw new RedirectError(
            'consent_required',
            'The client requires user consent; the lab has no consent page.',
          );

        if (fresh) {
          session = org.sessions.create(user);
          user.lastLogin = session.createdAt;
          org.log({
            eventType: 'user.session.start',
            actor: userTarget(user),
            origin,
            authenticationContext: {
              authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
              credentialType: 'PASSWORD',
              externalSessionId: session.id,
              rootSessionId: session.id,
            },
          });
        }
        if (!session) throw new RedirectError('login_required', 'The session has ended.');
        org.log({
          eventType: 'user.authentication.sso',
          actor: userTarget(user),
          origin,
          target: [appTarget(app)],
          authenticationContext: { externalSessionId: session.id, rootSessionId: session.id },
        });
        const code = issuedSecret('', 32);
        org.tokens.codes.set(code, {
          clientId: app.clientId,
          userId: user.id,
          sessionId: session.id,
          redirectUri,
          scopes,
          ...(nonce === undefined ? {} : { nonce }),
          ...(challenge === null ? {} : { codeChallenge: challenge }),
          authTime: session.createdAt,
          expiresAt: org.now() + CODE_TTL_MS,
        });
        back.searchParams.set('code', code);
        back.searchParams.set('state', state);
        const site = org.url.startsWith('https:') ? 'SameSite=None; Secure' : 'SameSite=Lax';
        void reply.header('set-cookie', `sid=${session.id}; Path=/; HttpOnly; ${site}`);
      } catch (error) {
        if (!(error instanceof RedirectError)) throw error;
        back.searchParams.set('error', error.error);
        back.searchParams.set('error_description', error.message);
        if (state !== null) back.searchParams.set('state', state);
      }
      void reply.header('cache-control', 'no-cache, no-store');
      return reply.redirect(back.href, 302);
    },
  );
}
