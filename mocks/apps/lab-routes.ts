/**
 * Lab controls under `/_lab/` (never a vendor path): sign a fleet user in as Okta SSO would, look at
 * sessions and tokens (states and times only — the secrets are returned once, at sign-in, and never
 * again), read the GTR record, force failures, reset. Bad input is a 4xx naming what was wrong.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NORMAL_BEHAVIOUR, parseBehaviour } from './behaviour.ts';
import { type AppContext, resetContext, stateView } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { queryString } from './http.ts';

function requireObject(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(`the body must be a JSON object like ${example}`);
  return body as Record<string, unknown>;
}

export async function labRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const userFor = (email: string) => {
    const user = ctx.directory.byEmail(email);
    if (!user)
      throw notFound(
        `no user ${JSON.stringify(email.slice(0, 100))} in ${ctx.label}; it knows the ${ctx.directory.size} users of fleet seed ${ctx.fleetSeed}`,
        'user_not_found',
      );
    return user;
  };

  app.post('/_lab/sessions', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = requireObject(request.body, '{"email": "pat@acme.example", "oktaUserId": "00u..."}');
    const extra = Object.keys(body).find((k) => k !== 'email' && k !== 'oktaUserId');
    if (extra !== undefined)
      throw badRequest(`unknown member "${extra.slice(0, 40)}"; send email and oktaUserId`);
    if (typeof body.email !== 'string' || body.email.trim() === '')
      throw badRequest('email must be a non-empty string');
    const oktaUserId = body.oktaUserId;
    if (
      oktaUserId !== undefined &&
      (typeof oktaUserId !== 'string' || oktaUserId === '' || oktaUserId.length > 256)
    )
      throw badRequest('oktaUserId, when given, must be a non-empty string of at most 256 characters');
    const user = userFor(body.email);
    if (oktaUserId !== undefined) ctx.directory.bindOktaId(user, oktaUserId);
    const signedIn = ctx.sessions.signIn(user, oktaUserId);
    return reply
      .code(201)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .send({
        sessionId: signedIn.sessionId,
        email: user.email,
        ...(oktaUserId === undefined ? {} : { oktaUserId }),
        sessionCookie: `${ctx.cookieName}=${signedIn.cookieValue}`,
        accessToken: signedIn.accessToken,
        refreshToken: signedIn.refreshToken,
        tokenType: 'Bearer',
        expiresIn: signedIn.accessTokenExpiresIn,
      });
  });

  app.get('/_lab/sessions', async (request: FastifyRequest) => {
    const email = queryString(request, 'email');
    if (email === undefined) return { sessions: ctx.sessions.list() };
    const user = userFor(email);
    return { email: user.email, sessions: ctx.sessions.list(user.email) };
  });

  app.get('/_lab/users', async () => ({
    users: ctx.directory.list().map((u) => {
      const oktaUserId = ctx.directory.oktaIdOf(u);
      return { email: u.email, name: u.displayName, ...(oktaUserId === undefined ? {} : { oktaUserId }) };
    }),
  }));

  app.get('/_lab/state', async () => stateView(ctx));

  app.get('/_lab/gtr-requests', async (request: FastifyRequest) => {
    const since = queryString(request, 'since');
    if (since !== undefined && !/^\d{1,15}$/.test(since))
      throw badRequest('since must be a record number (the "seq" of the last record you saw)');
    const after = since === undefined ? 0 : Number(since);
    return { ...ctx.ledger.summary(), requests: ctx.ledger.list().filter((r) => r.seq > after) };
  });

  app.get('/_lab/behaviour', async () => ctx.behaviour);

  app.put('/_lab/behaviour', async (request: FastifyRequest) => {
    ctx.behaviour = parseBehaviour(request.body);
    return ctx.behaviour;
  });

  app.post('/_lab/reset', async (_request: FastifyRequest, reply: FastifyReply) => {
    resetContext(ctx, NORMAL_BEHAVIOUR);
    return reply.code(204).send();
  });
}
