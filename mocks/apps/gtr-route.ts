/**
 * The Global Token Revocation endpoint Okta's Universal Logout calls. The order of the steps is the one
 * Okta's guide prescribes — authenticate (401/403), read the request (400), find the user (404), try to log
 * them out (422) — and answers 204 when the revocation is done (draft-parecki-oauth-global-token-revocation-05
 * §3.4). Authentication runs in `onRequest`, before the body is even read, so an unauthenticated caller
 * learns nothing about how its body would have been judged. Every request, whatever its fate, lands in the
 * GTR record when its response is sent.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forcedFailure } from './behaviour.ts';
import type { AppContext } from './context.ts';
import { deviates } from './deviations.ts';
import { AppError } from './errors.ts';
import type { GtrOutcome, GtrRecord } from './gtr-ledger.ts';
import { parseGtrBody, type SubjectRef } from './gtr-request.ts';
import { bearerChallenge, sendError } from './http.ts';
import { APP_ROUTE_SCHEMAS as S } from './route-schemas.ts';

const MAX_BODY_BYTES = 16 * 1024;

type Trace = { -readonly [K in keyof GtrRecord]?: GtrRecord[K] } & { at: string };

const OUTCOME_BY_STATUS: Readonly<Record<number, GtrOutcome>> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'user-not-found',
  405: 'method-not-allowed',
  422: 'cannot-log-out',
};

export async function gtrRoutes(scope: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const traces = new WeakMap<FastifyRequest, Trace>();
  const traceOf = (request: FastifyRequest): Trace => {
    let trace = traces.get(request);
    if (!trace) {
      trace = { at: new Date(ctx.clock.now()).toISOString() };
      traces.set(request, trace);
    }
    return trace;
  };

  const fail = (
    request: FastifyRequest,
    reply: FastifyReply,
    error: AppError,
    outcome: GtrOutcome,
  ): FastifyReply => {
    Object.assign(traceOf(request), { outcome, error: error.code, errorDescription: error.message });
    return sendError(reply, error);
  };

  // The body is read raw and judged by parseGtrBody, so a wrong Content-Type or broken JSON is the
  // endpoint's 400, not a framework 415, and only after authentication.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  // Errors fastify raises while reading the body (too large, aborted) are the request's fault: 400. Anything
  // else thrown here is a bug in the mock and says so.
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 400 || status >= 500) {
      request.log.error({ err: error }, 'gtr endpoint error');
      const bug = new AppError(
        500,
        'server_error',
        'the mock failed to handle the request; this is a bug in the mock',
      );
      return fail(request, reply, bug, 'mock-error');
    }
    const description =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `the body is larger than ${MAX_BODY_BYTES} bytes`
        : `the request could not be read: ${error.message}`;
    return fail(request, reply, new AppError(400, 'invalid_request', description), 'bad-request');
  });

  scope.addHook('onResponse', async (request, reply) => {
    const trace = traceOf(request);
    const status = reply.statusCode;
    const outcome: GtrOutcome =
      trace.outcome ?? OUTCOME_BY_STATUS[status] ?? (status >= 500 ? 'mock-error' : 'bad-request');
    ctx.ledger.add({ seq: ctx.ledger.nextSeq(), ...trace, status, outcome } as GtrRecord);
  });

  const authenticate = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    const trace = traceOf(request);
    // app-allows-no-authorization breaks GTR-3-AUTH: a request with no credentials at all goes through.
    if (
      request.headers.authorization === undefined &&
      deviates(ctx.deviations, 'app-allows-no-authorization')
    )
      return undefined;
    // A lab-registered issuer's token is judged by that issuer's verifier (same checks, its keys).
    const verifier = ctx.trustedIssuers.verifierFor(request.headers.authorization) ?? ctx.verifier;
    const auth = await verifier.verify(request.headers.authorization);
    if (auth.ok) {
      Object.assign(trace, {
        jti: auth.token.jti,
        alg: auth.token.alg,
        ...(auth.token.kid === undefined ? {} : { kid: auth.token.kid }),
      });
      return undefined;
    }
    Object.assign(trace, {
      ...(auth.jti === undefined ? {} : { jti: auth.jti }),
      ...(auth.alg === undefined ? {} : { alg: auth.alg }),
      ...(auth.kid === undefined ? {} : { kid: auth.kid }),
    });
    const headers: Record<string, string> =
      auth.status === 503
        ? { 'retry-after': '5' }
        : { 'www-authenticate': bearerChallenge(ctx.origin, auth.challengeError, auth.description) };
    const outcome: GtrOutcome =
      auth.status === 503 ? 'unavailable' : auth.status === 403 ? 'forbidden' : 'unauthenticated';
    // Answering from an async onRequest hook: send, then return the reply so fastify stops here.
    return fail(request, reply, new AppError(auth.status, auth.error, auth.description, headers), outcome);
  };

  const resolveUser = (subject: SubjectRef) => {
    if (subject.format === 'email') return ctx.directory.byEmail(subject.email);
    // RFC 9493 iss_sub: the Okta org as issuer (one trailing slash tolerated) and the Okta user id.
    if (subject.iss.replace(/\/$/, '') !== ctx.oktaIssuer.replace(/\/$/, '')) return undefined;
    return ctx.directory.byOktaId(subject.sub);
  };

  scope.route({
    method: 'POST',
    url: ctx.gtrPath,
    schema: S.gtr,
    onRequest: authenticate,
    handler: async (request, reply) => {
      const trace = traceOf(request);
      const body = parseGtrBody(
        request.headers['content-type'],
        Buffer.isBuffer(request.body) ? request.body : undefined,
        ctx.subjectFormat,
      );
      if (!body.ok) {
        // app-500-on-malformed-body breaks GTR-3-ERRORS: a body that is not JSON crashes the endpoint.
        if (body.kind === 'not-json' && deviates(ctx.deviations, 'app-500-on-malformed-body'))
          return fail(
            request,
            reply,
            new AppError(500, 'server_error', 'Unexpected token in JSON (lab deviation)'),
            'deviation',
          );
        // app-404-for-unsupported-format breaks GTR-3-ERRORS: an unusable subject is taken for an unknown user.
        if (body.kind === 'unsupported-format' && deviates(ctx.deviations, 'app-404-for-unsupported-format'))
          return fail(
            request,
            reply,
            new AppError(404, 'user_not_found', `no such user in ${ctx.label} (lab deviation)`),
            'deviation',
          );
        return fail(request, reply, new AppError(400, 'invalid_request', body.description), 'bad-request');
      }
      Object.assign(trace, { subjectKey: body.key, subject: body.subject });

      const user = resolveUser(body.subject);
      // app-204-for-unknown-user breaks GTR-3-ERRORS: an unknown user is "nothing to revoke", not 404.
      if (!user && deviates(ctx.deviations, 'app-204-for-unknown-user')) {
        trace.outcome = 'deviation';
        return reply.code(204).header('cache-control', 'no-store').send();
      }
      if (!user) {
        const who =
          body.subject.format === 'email'
            ? `no user with email ${JSON.stringify(body.subject.email)}`
            : `no user signed in through Okta ${JSON.stringify(body.subject.iss)} as ${JSON.stringify(body.subject.sub)}`;
        return fail(
          request,
          reply,
          new AppError(404, 'user_not_found', `${who} in ${ctx.label}`),
          'user-not-found',
        );
      }
      trace.user = user.email;

      const forced = forcedFailure(ctx.behaviour, user.email);
      if (forced === 422)
        return fail(
          request,
          reply,
          new AppError(422, 'unable_to_log_out', `${ctx.label} cannot log ${user.email} out (lab behaviour)`),
          'cannot-log-out',
        );
      if (forced !== null)
        return fail(
          request,
          reply,
          new AppError(
            forced,
            forced === 503 ? 'temporarily_unavailable' : 'server_error',
            `forced HTTP ${forced} (lab behaviour)`,
          ),
          'forced-failure',
        );

      // app-ignores-revocation breaks GTR-3.3: the answer says done, the user's credentials live on.
      if (deviates(ctx.deviations, 'app-ignores-revocation')) trace.outcome = 'deviation';
      else {
        trace.revoked = ctx.sessions.revokeUser(user.email, ctx.partial ? 'refresh-tokens' : 'full');
        trace.outcome = ctx.partial ? 'refresh-tokens-revoked' : 'logged-out';
      }
      // app-answers-200 breaks GTR-3: the draft answers a done revocation with 204 and no body.
      if (deviates(ctx.deviations, 'app-answers-200')) {
        trace.outcome = 'deviation';
        return reply.code(200).header('cache-control', 'no-store').send({ revoked: true });
      }
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  });

  // Any other method is a 405 naming POST (and recorded like every request). A GET or DELETE carries no
  // body to declare; a PUT or PATCH may, and it is ignored.
  const notAllowed = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    fail(
      request,
      reply.header('allow', 'POST'),
      new AppError(
        405,
        'method_not_allowed',
        `the Global Token Revocation endpoint takes POST, not ${request.method}`,
      ),
      'method-not-allowed',
    );
  scope.route({
    method: ['GET', 'DELETE'],
    url: ctx.gtrPath,
    schema: { response: S.gtrOtherMethods.response },
    handler: notAllowed,
  });
  scope.route({ method: ['PUT', 'PATCH'], url: ctx.gtrPath, schema: S.gtrOtherMethods, handler: notAllowed });
}
