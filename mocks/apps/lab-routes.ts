/**
 * Lab controls under `/_lab/` (never a vendor path): sign a fleet user in as Okta SSO would, look at
 * sessions and tokens (states and times only — the secrets are returned once, at sign-in, and never
 * again), read the GTR record, force failures, reset. Bad input is a 4xx naming what was wrong.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NORMAL_BEHAVIOUR, parseBehaviour } from './behaviour.ts';
import { type AppContext, resetContext, stateView } from './context.ts';
import { emailKey } from './directory.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { queryString } from './http.ts';
import { APP_ROUTE_SCHEMAS as S } from './route-schemas.ts';

/** The most users one bulk `POST /_lab/sessions` signs in (its body stays well under fastify's 1 MiB). */
export const BULK_SIGN_IN_MAX = 1_000;

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

  app.post('/_lab/sessions', { schema: S.signIn }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = requireObject(request.body, '{"email": "pat@acme.example", "oktaUserId": "00u..."}');
    if ('sessions' in body) return signInMany(body, reply);
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

  /**
   * The bulk form, `{"sessions": [{"email", "oktaUserId"}, …]}` (at most BULK_SIGN_IN_MAX): a whole fleet's
   * first sign-in without one request per user — the lab's seed set-up signs 10,000 devices' users in
   * this way. All or nothing: any bad entry is a 400 naming it and signs nobody in. The answer is the
   * count only; a caller that needs a user's cookie or tokens signs that user in with the single form.
   */
  const signInMany = (body: Record<string, unknown>, reply: FastifyReply): FastifyReply => {
    const extra = Object.keys(body).find((k) => k !== 'sessions');
    if (extra !== undefined) throw badRequest(`unknown member "${extra.slice(0, 40)}"; send only sessions`);
    const list = body.sessions;
    if (!Array.isArray(list) || list.length === 0 || list.length > BULK_SIGN_IN_MAX)
      throw badRequest(
        `sessions must be an array of 1 to ${BULK_SIGN_IN_MAX} {"email", "oktaUserId"} objects`,
      );
    // Okta id → email key and email key → Okta id, of the entries checked so far.
    const batch = new Map<string, string>();
    const batchIds = new Map<string, string>();
    const wanted = list.map((entry: unknown, i) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw badRequest(`sessions[${i}] must be an object with email and oktaUserId`);
      const e = entry as Record<string, unknown>;
      const unknownMember = Object.keys(e).find((k) => k !== 'email' && k !== 'oktaUserId');
      if (unknownMember !== undefined)
        throw badRequest(`sessions[${i}]: unknown member "${unknownMember.slice(0, 40)}"`);
      if (typeof e.email !== 'string' || e.email.trim() === '')
        throw badRequest(`sessions[${i}].email must be a non-empty string`);
      if (
        e.oktaUserId !== undefined &&
        (typeof e.oktaUserId !== 'string' || e.oktaUserId === '' || e.oktaUserId.length > 256)
      )
        throw badRequest(
          `sessions[${i}].oktaUserId, when given, must be a non-empty string of at most 256 characters`,
        );
      const user = userFor(e.email);
      const oktaUserId = e.oktaUserId as string | undefined;
      if (oktaUserId !== undefined) {
        // Checked here, against the app and the entries before this one, so a conflict binds nobody.
        const refused = ctx.directory.oktaIdConflict(user, oktaUserId);
        if (refused !== undefined) throw refused;
        const key = emailKey(user.email);
        const earlier = batch.get(oktaUserId);
        if (earlier !== undefined && earlier !== key)
          throw conflict(`sessions[${i}]: Okta user ${oktaUserId} is given for two users`);
        const given = batchIds.get(key);
        if (given !== undefined && given !== oktaUserId)
          throw conflict(`sessions[${i}]: ${user.email} is given two Okta user ids`);
        batch.set(oktaUserId, key);
        batchIds.set(key, oktaUserId);
      }
      return { user, oktaUserId };
    });
    for (const { user, oktaUserId } of wanted) {
      if (oktaUserId !== undefined) ctx.directory.bindOktaId(user, oktaUserId);
      ctx.sessions.signInUnseen(user, oktaUserId);
    }
    return reply.code(201).headers({ 'cache-control': 'no-store' }).send({ signedIn: wanted.length });
  };

  app.get('/_lab/sessions', { schema: S.sessions }, async (request: FastifyRequest) => {
    const email = queryString(request, 'email');
    if (email === undefined) return { sessions: ctx.sessions.list() };
    const user = userFor(email);
    return { email: user.email, sessions: ctx.sessions.list(user.email) };
  });

  app.get('/_lab/users', { schema: S.users }, async () => ({
    users: ctx.directory.list().map((u) => {
      const oktaUserId = ctx.directory.oktaIdOf(u);
      return { email: u.email, name: u.displayName, ...(oktaUserId === undefined ? {} : { oktaUserId }) };
    }),
  }));

  app.get('/_lab/state', { schema: S.state }, async () => stateView(ctx));

  app.get('/_lab/gtr-requests', { schema: S.gtrRequests }, async (request: FastifyRequest) => {
    const since = queryString(request, 'since');
    if (since !== undefined && !/^\d{1,15}$/.test(since))
      throw badRequest('since must be a record number (the "seq" of the last record you saw)');
    const after = since === undefined ? 0 : Number(since);
    return { ...ctx.ledger.summary(), requests: ctx.ledger.list().filter((r) => r.seq > after) };
  });

  app.get('/_lab/behaviour', { schema: S.readBehaviour }, async () => ctx.behaviour);

  app.put('/_lab/behaviour', { schema: S.setBehaviour }, async (request: FastifyRequest) => {
    ctx.behaviour = parseBehaviour(request.body);
    return ctx.behaviour;
  });

  app.post('/_lab/reset', { schema: S.reset }, async (_request: FastifyRequest, reply: FastifyReply) => {
    resetContext(ctx, NORMAL_BEHAVIOUR);
    return reply.code(204).send();
  });
}
