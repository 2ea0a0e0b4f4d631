/**
 * What every Okta response has in common (vendor-apis.md §1.2, §4): `Content-Type: application/json` on
 * bodies (okta-sdk-nodejs refuses a body without it), `Date` and `X-Okta-Request-Id` (the SDK needs both
 * to back off on 429), the three `X-Rate-Limit-*` headers, `no-cache` on API answers, and errors in the
 * shape of the endpoint — Okta's `Error` object on the Management API, `{error, error_description}` on the
 * OAuth endpoints. Bad input of any kind (malformed JSON, an unsupported media type, an unknown path) is a
 * 4xx with Okta's code, never a 500. The `Date` comes from the injected clock, so virtual time is consistent
 * with `X-Rate-Limit-Reset`.
 */
import type { FastifyError, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { RequestOrigin } from '../system-log/system-log.ts';
import {
  ErrorPage,
  invalidRequest,
  malformedBody,
  methodNotAllowed,
  OAuthError,
  OktaError,
  rateLimited,
  validationFailed,
} from './errors.ts';
import { derivedText } from './ids.ts';
import { bucketOf, type OktaRouter } from './operations.ts';
import type { OktaOrg } from './org.ts';
import { pathOf } from './pagination.ts';
import type { RateLimiter, RateState } from './rate-limit.ts';

/** Where the request came from, for the System Log. */
export function originOf(request: FastifyRequest): RequestOrigin {
  const ua = request.headers['user-agent'];
  return {
    ip: request.ip,
    ...(typeof ua === 'string' ? { userAgent: ua } : {}),
    requestId: String(request.id),
    url: request.url,
  };
}

const isOAuthPath = (path: string): boolean =>
  path.startsWith('/oauth2/') || path.startsWith('/.well-known/');
const isLabPath = (path: string): boolean => path.startsWith('/_lab/');

/** The `errorId` of a request's error: Okta's look like `oae` and 22 characters. */
export function errorIdOf(request: FastifyRequest): string {
  return `oae${derivedText(`error:${String(request.id)}`, 22)}`;
}

/** Fastify's own request errors (body parsing, media type, size), answered in the endpoint's shape. */
function fromFastify(error: FastifyError, oauth: boolean): OktaError | OAuthError {
  const status = error.statusCode ?? 500;
  const code = error.code;
  const notJson =
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    error instanceof SyntaxError;
  if (oauth) {
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return invalidRequest('The request must be sent as application/x-www-form-urlencoded.');
    if (status >= 400 && status < 500)
      return invalidRequest(notJson ? 'The request body is malformed.' : error.message);
    return new OAuthError(500, 'server_error', 'The authorization server failed to handle the request.');
  }
  if (notJson) return malformedBody();
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new OktaError(413, 'E0000001', 'Api validation failed: request body', [
      'the request body is larger than 1 MiB',
    ]);
  if (status >= 400 && status < 500) return validationFailed('request', error.message);
  return new OktaError(500, 'E0000009', 'Internal Server Error');
}

/**
 * Errors fastify raises before routing (a path that is not valid percent-encoding, a parameter over the
 * length limit): answered as Okta's 400 E0000001 instead of fastify's own body. Pass as `frameworkErrors`.
 */
export function frameworkErrorsFor(org: OktaOrg): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, request, reply) => {
    const e = validationFailed('request', `the request URL is not valid: ${error.message}`);
    const body = JSON.stringify(e.body(errorIdOf(request)));
    // Raised before routing, so no route hooks run: the answer is written as fastify's own default is.
    reply.raw.writeHead(e.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      date: new Date(org.now()).toUTCString(),
      'x-okta-request-id': String(request.id),
    });
    reply.raw.end(body);
  };
}

export interface ConventionsDeps {
  readonly org: OktaOrg;
  readonly router: OktaRouter;
  readonly limiter: RateLimiter;
}

/** Installs the parsers, hooks and handlers; call before any route is registered. */
export function installConventions(app: FastifyInstance, deps: ConventionsDeps): void {
  const { org, router, limiter } = deps;
  const rates = new WeakMap<FastifyRequest, RateState>();

  // An empty body with Content-Type: application/json (SDKs do this on bodiless POSTs) is no body at all.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) done(null, undefined);
    else json(request, typeof body === 'string' ? body : body.toString('utf8'), done);
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
    },
  );

  app.addHook('onRequest', async (request) => {
    const path = pathOf(request);
    if (isLabPath(path)) return;
    const op = router.operationOf(request);
    const bucket = op ? bucketOf(op) : `${request.method} ${path.startsWith('/api/') ? '/api/*' : '/*'}`;
    const state = limiter.take(bucket);
    rates.set(request, state);
    if (state.exceeded) throw rateLimited({});
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const path = pathOf(request);
    void reply.header('date', new Date(org.now()).toUTCString());
    void reply.header('x-okta-request-id', String(request.id));
    const rate = rates.get(request);
    if (rate) {
      void reply.header('x-rate-limit-limit', String(rate.limit));
      void reply.header('x-rate-limit-remaining', String(rate.remaining));
      void reply.header('x-rate-limit-reset', String(rate.reset));
    }
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json'))
      void reply.header('content-type', 'application/json');
    if (path.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-cache, no-store');
      void reply.header('pragma', 'no-cache');
      void reply.header('expires', '0');
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError | OktaError | OAuthError | ErrorPage, request, reply) => {
    if (error instanceof ErrorPage) {
      void reply.code(error.status).type('text/html; charset=utf-8').send(error.html());
      return;
    }
    const oauthRoute = router.operationOf(request)?.spec === 'oauth' || isOAuthPath(pathOf(request));
    const e =
      error instanceof OktaError || error instanceof OAuthError ? error : fromFastify(error, oauthRoute);
    if (e.status >= 500) app.log.error({ err: error }, 'okta mock error');
    if (e instanceof OAuthError) {
      void reply
        .code(e.status)
        .headers({ ...e.headers, 'cache-control': 'no-store', pragma: 'no-cache' })
        .send(e.body());
      return;
    }
    void reply
      .code(e.status)
      .headers(e.headers)
      .send(e.body(errorIdOf(request)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    const allowed = router.methodsFor(path);
    const error =
      allowed.length > 0 ? methodNotAllowed(allowed) : new OktaError(404, 'E0000007', `Not found: ${path}`);
    void reply
      .code(error.status)
      .headers(error.headers)
      .send(error.body(errorIdOf(request)));
  });
}
