/**
 * Request and reply helpers every route module shares: the `{error, error_description}` reply, RFC 6750
 * challenges, the Cookie and Authorization headers, form bodies (RFC 6749 token requests), and the error
 * and not-found handlers that keep every failure a small JSON 4xx. A 500 from these apps means a bug in
 * the mock, never bad input.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, badRequest } from './errors.ts';
import { validationDescription } from './route-schemas.ts';

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .code(error.status)
    .headers({ ...error.headers, 'cache-control': 'no-store' })
    .type('application/json; charset=utf-8')
    .send(error.body());
}

/** A quoted-string safe for a WWW-Authenticate parameter (RFC 6750 §3: no `"` or `\`, printable ASCII). */
function headerText(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]|["\\]/g, "'");
  return safe.length > 200 ? `${safe.slice(0, 199)}…`.replace(/[^\x20-\x7e]/g, '.') : safe;
}

/** The RFC 6750 §3 `WWW-Authenticate` value; no error code when the request carried no credentials. */
export function bearerChallenge(realm: string, error?: string, description?: string): string {
  const parts = [`realm="${headerText(realm)}"`];
  if (error !== undefined) parts.push(`error="${error}"`);
  if (error !== undefined && description !== undefined)
    parts.push(`error_description="${headerText(description)}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** The token of an `Authorization: Bearer` header; undefined when there is no such header. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1] : '';
}

/** The value of one cookie from the Cookie header (RFC 6265 §5.4 syntax), if sent. */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name)
      return pair
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export interface FormBody {
  readonly params: Readonly<Record<string, string>>;
  /** Parameter names sent more than once (RFC 6749 §3.2: they MUST NOT be). */
  readonly repeated: readonly string[];
}

export function isFormBody(value: unknown): value is FormBody {
  return typeof value === 'object' && value !== null && 'params' in value && 'repeated' in value;
}

function parseForm(text: string): FormBody {
  const params: Record<string, string> = Object.create(null);
  const repeated: string[] = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in params) repeated.push(name);
    else params[name] = value;
  }
  return { params, repeated };
}

/** A query parameter that must be given at most once, as a string. */
export function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`give the query parameter "${name}" once`);
  return value;
}

function fromFastify(error: FastifyError): AppError {
  const refused = validationDescription(error);
  if (refused !== undefined) return new AppError(400, 'invalid_request', refused);
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError(413, 'invalid_request', 'the request body is too large');
  if (status >= 400 && status < 500) {
    const description =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'the body is not valid JSON'
        : error.message;
    return new AppError(status, 'invalid_request', description);
  }
  return new AppError(
    500,
    'server_error',
    'the mock failed to handle the request; this is a bug in the mock',
  );
}

/** Parsers and handlers for the whole app (the GTR endpoint's own scope overrides the body parsing). */
export function installHttpBasics(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => done(null, parseForm(String(body))),
  );
  app.setErrorHandler((error: unknown, request, reply) => {
    const e = error instanceof AppError ? error : fromFastify(error as FastifyError);
    if (e.status >= 500) request.log.error({ err: error }, 'app mock error');
    return sendError(reply, e);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AppError(
        404,
        'not_found',
        `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
      ),
    ),
  );
}
