/**
 * Authentication endpoints: the OAuth client-credentials token endpoint, the user bearer-token trio
 * (token, keep-alive, invalidate-token), the current-authorization view, and the version endpoint that
 * clients (Jamf Security Cloud's UEM connector among them) call first. The version endpoint requires a
 * token, as the 11.7.1 schema marks it `x-authentication-required: true`.
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError } from './errors.ts';
import { principalOf, sendJson, tokenOf } from './http.ts';
import { described, OAUTH_TOKEN } from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function registerAuthRoutes(app: FastifyInstance, server: JamfProServer): void {
  app.post('/api/oauth/token', { schema: OAUTH_TOKEN }, async (request, reply) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded')
      throw new OAuthError(
        400,
        'invalid_request',
        'send the token request as application/x-www-form-urlencoded',
      );
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const token = server.tokens.issueClientToken(form, request.headers.authorization);
    return reply.code(200).headers(NO_STORE).send(token);
  });

  app.post(
    '/api/v1/auth/token',
    { schema: described('POST', '/api/v1/auth/token') },
    async (request, reply) =>
      sendJson(reply.headers(NO_STORE), 200, server.tokens.issueUserToken(request.headers.authorization)),
  );

  app.post(
    '/api/v1/auth/keep-alive',
    { schema: described('POST', '/api/v1/auth/keep-alive') },
    async (request, reply) =>
      sendJson(reply.headers(NO_STORE), 200, server.tokens.keepAlive(tokenOf(request))),
  );

  app.post(
    '/api/v1/auth/invalidate-token',
    { schema: described('POST', '/api/v1/auth/invalidate-token') },
    async (request, reply) => {
      server.tokens.invalidate(tokenOf(request));
      return reply.code(204).send();
    },
  );

  app.get('/api/v1/auth', { schema: described('GET', '/api/v1/auth') }, async (request, reply) => {
    const principal = principalOf(request);
    const user = principal.kind === 'user';
    const username = user ? principal.username : principal.clientId;
    return sendJson(reply, 200, {
      account: {
        id: user ? String(principal.userId) : '-1',
        username,
        realName: user ? username : `API client ${username}`,
        email: '',
        preferences: {
          language: 'en',
          dateFormat: 'yyyy/MM/dd',
          region: 'Americas',
          timezone: 'UTC',
          disableRelativeDates: false,
        },
        multiSiteAdmin: true,
        accessLevel: 'FullAccess',
        privilegeSet: 'ADMINISTRATOR',
        privilegesBySite: {},
        groupIds: [],
        currentSiteId: '-1',
      },
      accountGroups: [],
      sites: [],
      authenticationType: user ? 'JSS' : 'CLIENT_CREDENTIALS',
    });
  });

  app.get(
    '/api/v1/jamf-pro-version',
    { schema: described('GET', '/api/v1/jamf-pro-version') },
    async (_request, reply) => sendJson(reply, 200, { version: server.version }),
  );
}
