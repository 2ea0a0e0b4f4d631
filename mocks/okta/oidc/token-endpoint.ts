/**
 * `POST /oauth2/v1/token` of the org authorization server (oauth-minimal.yaml `token`): a form body, the
 * client authenticated by its registered method (../auth/client-auth.ts), and three grants —
 * `authorization_code` (the code from `/authorize`, the exact `redirect_uri`, the PKCE verifier; RFC 6749
 * §4.1.3, RFC 7636 §4.6), `refresh_token` (with `offline_access`; STATIC or ROTATE as the app says, a rotated
 * token staying valid for the app's leeway), and `client_credentials` for service apps, limited to the Okta
 * API scopes granted to them. DPoP (../auth/dpop.ts) is checked before the client's credentials so the nonce
 * handshake does not spend a one-time client assertion. Answers `{token_type, expires_in, access_token,
 * scope}` plus `id_token` and `refresh_token` for a user, with `Cache-Control: no-store`; errors are RFC 6749
 * `{error, error_description}`, 400 except `invalid_client` (401).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { OktaApp } from '../apps/apps.ts';
import { ClientAuthenticator } from '../auth/client-auth.ts';
import { DpopError } from '../auth/dpop.ts';
import type { OktaContext } from '../core/context.ts';
import { formOf } from '../core/conventions.ts';
import { invalidGrant, invalidRequest, invalidScope, OAuthError } from '../core/errors.ts';
import { issuedSecret } from '../core/ids.ts';
import type { OktaUser } from '../directory/directory.ts';
import { mintAccessToken, mintIdToken } from './oidc-tokens.ts';
import type { RefreshTokenRecord } from './tokens.ts';

const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'];

export function tokenRoutes(ctx: OktaContext): void {
  const { org, router, dpop } = ctx;
  const clients = new ClientAuthenticator(org);
  const tokenUrl = (): string => `${org.url}/oauth2/v1/token`;

  /** The DPoP key thumbprint the tokens will be bound to (only for apps that require DPoP). */
  const dpopBinding = async (app: OktaApp, request: FastifyRequest): Promise<string | undefined> => {
    const proof = request.headers.dpop;
    const required = app.oauthClient.dpop_bound_access_tokens;
    if (!required && proof === undefined) return undefined;
    try {
      const { jkt } = await dpop.verify(proof, { method: 'POST', url: tokenUrl(), requireNonce: required });
      // A proof sent to an app without "Require DPoP" is checked and then ignored: the token stays Bearer,
      // as okta-sdk-nodejs (which always sends one) expects.
      return required ? jkt : undefined;
    } catch (error) {
      if (!(error instanceof DpopError)) throw error;
      throw new OAuthError(400, error.code, error.message, { 'dpop-nonce': dpop.nonce() });
    }
  };

  const userTokens = async (
    app: OktaApp,
    user: OktaUser,
    grant: {
      readonly scopes: readonly string[];
      readonly sessionId: string;
      readonly authTime: number;
      readonly nonce?: string;
      readonly jkt?: string;
    },
  ): Promise<Record<string, unknown>> => {
    const access = await mintAccessToken(org, {
      clientId: app.clientId,
      scopes: grant.scopes,
      user,
      sessionId: grant.sessionId,
      authTime: grant.authTime,
      ...(grant.jkt === undefined ? {} : { jkt: grant.jkt }),
    });
    const idToken = grant.scopes.includes('openid')
      ? await mintIdToken(org, {
          app,
          user,
          scopes: grant.scopes,
          authTime: grant.authTime,
          accessToken: access.token,
          ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
        })
      : undefined;
    return {
      token_type: grant.jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: access.expiresIn,
      access_token: access.token,
      scope: grant.scopes.join(' '),
      ...(idToken === undefined ? {} : { id_token: idToken }),
    };
  };

  const newRefreshToken = (record: Omit<RefreshTokenRecord, 'issuedAt' | 'expiresAt'>): string => {
    const token = issuedSecret('', 32);
    org.tokens.refreshTokens.set(token, {
      ...record,
      issuedAt: org.now(),
      // The org authorization server's default refresh token lifetime is unlimited (until revoked).
      expiresAt: Number.POSITIVE_INFINITY,
    });
    return token;
  };

  router.route(
    { operationId: 'token', method: 'POST', path: '/oauth2/v1/token', spec: 'oauth' },
    async (request, reply) => {
      const form = formOf(request.body);
      if (form === undefined)
        throw invalidRequest('The request must be sent as application/x-www-form-urlencoded.');
      const grantType = form.get('grant_type');
      if (grantType === null || grantType === '')
        throw invalidRequest("The 'grant_type' parameter is required.");
      if (!GRANTS.includes(grantType))
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          `The authorization grant type is not supported by the authorization server. Configured grant types: [${GRANTS.join(', ')}].`,
        );
      const authorization = request.headers.authorization;
      const claimed = clients.identify(form, authorization);
      const jkt = await dpopBinding(claimed, request);
      const app = await clients.authenticate(form, authorization);
      if (!app.oauthClient.grant_types.includes(grantType))
        throw new OAuthError(
          400,
          'unauthorized_client',
          `The client is not authorized to use the provided grant type. Configured grant types: [${app.oauthClient.grant_types.join(', ')}].`,
        );
      void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
      if (jkt !== undefined) void reply.header('dpop-nonce', dpop.nonce());

      if (grantType === 'client_credentials') {
        const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
        if (requested.length === 0)
          throw invalidScope('The authorization request must name the Okta API scopes it needs (scope).');
        const granted = org.apps.grantedScopes(app);
        const denied = requested.filter((s) => !granted.has(s));
        if (denied.length > 0)
          throw invalidScope(
            `The requested scope is invalid, unknown, or malformed: ${denied.join(' ')} not granted to the client.`,
          );
        const access = await mintAccessToken(org, {
          clientId: app.clientId,
          scopes: requested,
          ...(jkt === undefined ? {} : { jkt }),
        });
        return {
          token_type: jkt === undefined ? 'Bearer' : 'DPoP',
          expires_in: access.expiresIn,
          access_token: access.token,
          scope: requested.join(' '),
        };
      }

      if (grantType === 'authorization_code') {
        const code = form.get('code');
        if (code === null || code === '') throw invalidRequest("The 'code' parameter is required.");
        const entry = org.tokens.codes.take(code);
        if (!entry || entry.clientId !== app.clientId)
          throw invalidGrant('The authorization code is invalid or has expired.');
        if (form.get('redirect_uri') !== entry.redirectUri)
          throw invalidGrant(
            "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
          );
        const verifier = form.get('code_verifier');
        if (entry.codeChallenge !== undefined) {
          if (verifier === null)
            throw invalidGrant("PKCE verification failed: the 'code_verifier' is missing.");
          if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
            throw invalidRequest("The 'code_verifier' must be 43 to 128 unreserved characters.");
          if (createHash('sha256').update(verifier).digest('base64url') !== entry.codeChallenge)
            throw invalidGrant('PKCE verification failed.');
        } else if (verifier !== null) {
          throw invalidGrant('PKCE verification failed: the authorization request had no code_challenge.');
        }
        const user = org.directory.user(entry.userId);
        if (!user || !org.sessions.get(entry.sessionId))
          throw invalidGrant("The user's Okta session has ended.");
        const body = await userTokens(app, user, {
          scopes: entry.scopes,
          sessionId: entry.sessionId,
          authTime: entry.authTime,
          ...(entry.nonce === undefined ? {} : { nonce: entry.nonce }),
          ...(jkt === undefined ? {} : { jkt }),
        });
        if (
          entry.scopes.includes('offline_access') &&
          app.oauthClient.grant_types.includes('refresh_token')
        ) {
          body.refresh_token = newRefreshToken({
            clientId: app.clientId,
            userId: user.id,
            sessionId: entry.sessionId,
            scopes: entry.scopes,
            authTime: entry.authTime,
            ...(entry.nonce === undefined ? {} : { nonce: entry.nonce }),
            ...(jkt === undefined ? {} : { jkt }),
          });
        }
        return body;
      }

      // refresh_token
      const presented = form.get('refresh_token');
      if (presented === null || presented === '')
        throw invalidRequest("The 'refresh_token' parameter is required.");
      const record = org.tokens.refreshTokens.get(presented);
      if (!record || record.clientId !== app.clientId)
        throw invalidGrant('The refresh token is invalid or expired.');
      if (record.jkt !== undefined && record.jkt !== jkt)
        throw new OAuthError(
          400,
          'invalid_dpop_proof',
          'The DPoP proof key is not the key the refresh token is bound to.',
        );
      const asked = form.get('scope');
      const scopes = asked === null ? record.scopes : asked.split(' ').filter(Boolean);
      if (scopes.some((s) => !record.scopes.includes(s)))
        throw invalidScope(
          'The requested scope is invalid, unknown, or malformed: a refresh cannot widen the scopes.',
        );
      const user = org.directory.user(record.userId);
      if (!user) throw invalidGrant('The refresh token is invalid or expired.');
      const body = await userTokens(app, user, {
        scopes,
        sessionId: record.sessionId,
        authTime: record.authTime,
        ...(jkt === undefined ? {} : { jkt }),
      });
      const rotation = app.oauthClient.refresh_token;
      if (rotation?.rotation_type === 'ROTATE') {
        org.tokens.refreshTokens.set(presented, { ...record, expiresAt: org.now() + rotation.leeway * 1000 });
        const { issuedAt: _issued, expiresAt: _expires, ...rest } = record;
        body.refresh_token = newRefreshToken(rest);
      } else {
        body.refresh_token = presented;
      }
      return body;
    },
  );
}
