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
import { type ValidationCause, validationCauses } from '../../../harness/ssf/index.ts';
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

/**
 * Form bodies are parsed into a plain object (what the route's schema validates; a repeated parameter
 * becomes an array, which the schema refuses: RFC 6749 §3.1 allows each parameter once) and remembered,
 * so `formOf` hands the handler the URLSearchParams it reads — and a JSON object is never taken for a form.
 */
const forms = new WeakMap<object, URLSearchParams>();

/** The form a request was sent with, or undefined when its body is not `application/x-www-form-urlencoded`. */
export function formOf(body: unknown): URLSearchParams | undefined {
  return typeof body === 'object' && body !== null ? forms.get(body) : undefined;
}

function parseForm(text: string): Record<string, string | string[]> {
  const params = new URLSearchParams(text);
  const fields: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    // defineProperty: a parameter named `__proto__` is a field like any other.
    Object.defineProperty(fields, name, {
      value: values.length === 1 ? (values[0] as string) : values,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  forms.set(fields, params);
  return fields;
}

/** `must be null` is the other branch of a nullable or optional schema: the real problem is beside it. */
function realCauses(causes: readonly ValidationCause[]): readonly ValidationCause[] {
  const real = causes.filter((c) => c.message !== 'must be null');
  return real.length > 0 ? real : causes;
}

/** An OAuth endpoint's `error_description` for the causes of a refusal, naming each parameter. */
function oauthDescription(causes: readonly ValidationCause[]): string {
  // One sentence per parameter: the first problem found is the one a client needs to fix.
  const byField = new Map<string, ValidationCause>();
  for (const c of causes) if (!byField.has(c.field)) byField.set(c.field, c);
  const described = [...byField.values()].map((c) =>
    c.field === ''
      ? 'The request body is malformed.'
      : c.message === 'is required'
        ? `The '${c.field}' parameter is required.`
        : `The '${c.field}' parameter is invalid: it ${c.message}.`,
  );
  return [...new Set(described)].join(' ');
}

/** The `error_description` of a schema's refusal on an OAuth endpoint that answers it itself (`/authorize`). */
export function refusalDescription(error: Error): string {
  return oauthDescription(realCauses(validationCauses(error as FastifyError) ?? []));
}

/**
 * A request the route's schema refused (harness/ssf/route-schemas.ts), answered as Okta does: on the
 * OAuth endpoints RFC 6749's `invalid_request` naming the parameter; on the Management API a body that is
 * not the JSON object asked for is E0000003, and any other problem E0000001 "Api validation failed:
 * <fields>" with one cause per field (`field: message`), query and path parameters named the same way.
 */
function fromValidation(
  causes: readonly ValidationCause[],
  oauth: boolean,
  body: unknown,
): OktaError | OAuthError {
  const list = realCauses(causes);
  if (oauth) {
    // RFC 6749 §3.1: a parameter sent more than once is refused as such, not as a value of the wrong type.
    const form = formOf(body);
    const repeated =
      form === undefined ? [] : [...new Set(form.keys())].filter((k) => form.getAll(k).length > 1);
    if (repeated.length > 0)
      return invalidRequest(repeated.map((k) => `The '${k}' parameter must not be repeated.`).join(' '));
    return invalidRequest(oauthDescription(list));
  }
  if (list.some((c) => c.part === 'body' && c.field === '')) return malformedBody();
  const fields = [...new Set(list.map((c) => c.field.split('.')[0] || c.part))];
  return validationFailed(
    fields.join(', '),
    ...new Set(list.map((c) => `${c.field || c.part}: ${c.message}`)),
  );
}

/** Fastify's own request errors (body parsing, media type, size, schemas), answered in the endpoint's shape. */
function fromFastify(error: FastifyError, oauth: boolean, body: unknown): OktaError | OAuthError {
  const causes = validationCauses(error);
  if (causes !== undefined) return fromValidation(causes, oauth, body);
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
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
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
      error instanceof OktaError || error instanceof OAuthError
        ? error
        : fromFastify(error, oauthRoute, request.body);
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
