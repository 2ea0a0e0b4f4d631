/**
 * The app's own surface, just enough to see Universal Logout bite: who am I (`GET /api/me`, by session
 * cookie or bearer access token), the OAuth refresh grant (`POST /oauth/token`, RFC 6749 §6), and the
 * user's own sign-out (`POST /logout`). A revoked credential answers 401 (or `invalid_grant`) and says
 * why, so a timeline reader sees "revoked by Universal Logout" rather than a bare failure.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';
import { AppError } from './errors.ts';
import { bearerChallenge, bearerToken, cookieValue, isFormBody, sendError } from './http.ts';
import { APP_ROUTE_SCHEMAS as S } from './route-schemas.ts';
import type { Lookup } from './sessions.ts';

function why(what: string, lookup: Exclude<Lookup, { ok: true }>): string {
  if (lookup.reason === 'unknown') return `the ${what} is not one this app issued`;
  if (lookup.reason === 'expired') return `the ${what} has expired`;
  const by = lookup.revokedBy === 'universal-logout' ? 'by Universal Logout' : 'when the user signed out';
  return `the ${what} was revoked ${by}`;
}

export async function appRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const unauthorized = (reply: FastifyReply, description: string, error?: 'invalid_token'): FastifyReply =>
    sendError(
      reply,
      new AppError(401, error ?? 'unauthorized', description, {
        'www-authenticate': bearerChallenge(ctx.origin, error, description),
      }),
    );

  app.get('/api/me', { schema: S.me }, async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    const cookie = cookieValue(request, ctx.cookieName);
    let lookup: Lookup;
    let via: 'access-token' | 'session-cookie';
    if (token !== undefined) {
      if (token === '')
        return unauthorized(
          reply,
          'the Authorization header must be "Bearer <access token>"',
          'invalid_token',
        );
      lookup = ctx.sessions.authenticate('access-token', token);
      via = 'access-token';
      if (!lookup.ok) return unauthorized(reply, why('access token', lookup), 'invalid_token');
    } else if (cookie !== undefined) {
      lookup = ctx.sessions.authenticate('session', cookie);
      via = 'session-cookie';
      if (!lookup.ok) return unauthorized(reply, why('session', lookup));
    } else {
      return unauthorized(reply, `sign in first: send the ${ctx.cookieName} cookie or a bearer access token`);
    }
    const user = ctx.directory.byEmail(lookup.session.email);
    return reply.header('cache-control', 'no-store').send({
      email: lookup.session.email,
      name: user?.displayName ?? lookup.session.email,
      givenName: user?.firstName ?? null,
      familyName: user?.lastName ?? null,
      department: user?.department ?? null,
      sessionId: lookup.session.sessionId,
      via,
    });
  });

  app.post('/oauth/token', { schema: S.token }, async (request: FastifyRequest, reply: FastifyReply) => {
    const oauthError = (code: string, description: string): FastifyReply =>
      sendError(reply.header('pragma', 'no-cache'), new AppError(400, code, description));
    if (!isFormBody(request.body))
      return oauthError(
        'invalid_request',
        'send the token request as application/x-www-form-urlencoded (RFC 6749 §6)',
      );
    const { params, repeated } = request.body;
    if (repeated.length > 0)
      return oauthError(
        'invalid_request',
        `parameter "${repeated[0]?.slice(0, 40)}" is repeated (RFC 6749 §3.2)`,
      );
    const grantType = params.grant_type;
    if (grantType === undefined) return oauthError('invalid_request', 'grant_type is missing');
    if (grantType !== 'refresh_token')
      return oauthError(
        'unsupported_grant_type',
        `grant_type ${JSON.stringify(grantType.slice(0, 40))} is not supported; sign-in goes through Okta SSO, this endpoint only refreshes`,
      );
    const refreshToken = params.refresh_token;
    if (refreshToken === undefined || refreshToken === '')
      return oauthError('invalid_request', 'refresh_token is missing');
    const result = ctx.sessions.refresh(refreshToken);
    if (!result.ok) return oauthError('invalid_grant', why('refresh token', result));
    return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send({
      access_token: result.accessToken,
      token_type: 'Bearer',
      expires_in: result.expiresIn,
    });
  });

  app.post('/logout', { schema: S.logout }, async (request: FastifyRequest, reply: FastifyReply) => {
    const cookie = cookieValue(request, ctx.cookieName);
    if (cookie === undefined)
      return unauthorized(reply, `send the ${ctx.cookieName} cookie of the session to end`);
    const result = ctx.sessions.signOut(cookie);
    if (!result.ok) return unauthorized(reply, why('session', result));
    return reply
      .code(204)
      .header('set-cookie', `${ctx.cookieName}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`)
      .send();
  });
}
