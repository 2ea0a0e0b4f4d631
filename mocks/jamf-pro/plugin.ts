/**
 * The fastify plugin that serves one `JamfProServer`: body parsers (tolerant JSON, XML and form bodies as
 * text), the bearer-token gate in front of `/api` and `/JSSResource`, one error handler that renders every
 * failure in the shape of the API family the request belongs to, and the route modules. Mount it without a
 * prefix: Jamf's paths are absolute. Nothing here throws a 500 for bad input; a 500 means a bug in the mock.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { useRouteSchemas, type ValidationCause, validationCauses } from '../../harness/ssf/index.ts';
import { unauthorized } from './auth.ts';
import { registerClassicDeployables } from './classic-deployables.ts';
import { registerClassicDevices } from './classic-devices.ts';
import { registerClassicObjects } from './classic-objects.ts';
import { badRequest, classicStatusPage, JamfError, OAuthError } from './errors.ts';
import { familyOf, pathOf, setCaller } from './http.ts';
import { registerLab } from './lab.ts';
import { registerAuthRoutes } from './routes-auth.ts';
import { registerComputerRoutes } from './routes-computers.ts';
import { registerExtensionAttributeRoutes } from './routes-extension-attributes.ts';
import { registerGroupRoutes } from './routes-groups.ts';
import { registerMobileRoutes } from './routes-mobile-devices.ts';
import { type JamfProMockOptions, JamfProServer } from './server.ts';

export type JamfProPluginOptions = JamfProMockOptions | { readonly server: JamfProServer };

const CLASSIC_REALM = 'Basic realm="Restful JSS Access -- Please supply your credentials"';
const NOT_FOUND_TEXT = 'The server has not found anything matching the request URI';
const PUBLIC_PATHS = new Set(['/api/oauth/token', '/api/v1/auth/token']);

/** Jamf names body members as paths (`general.name`, `extensionAttributes[0].values`). */
function jamfField(cause: ValidationCause): string {
  if (cause.part !== 'body') return cause.field.split('.')[0] || cause.part;
  if (cause.field === '') return 'body';
  return cause.field.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/^(\d+)/, '[$1]');
}

/**
 * A request its route's schema refuses, as Jamf answers it: 400 naming each field (`INVALID_FIELD` for a
 * body member, `INVALID_PARAMETER` for a query or path parameter), on both APIs. A missing body answers
 * what the handlers' own empty-body checks answer.
 */
function fromValidation(
  causes: readonly ValidationCause[],
  request: FastifyRequest,
  family: string,
): JamfError {
  const body = request.body;
  if (causes.some((c) => c.part === 'body') && (body === undefined || body === null || body === ''))
    return family === 'classic'
      ? badRequest('body', 'Bad Request: malformed XML: the document is empty', 'INVALID_XML')
      : badRequest('body', 'the request body is empty', 'INVALID_JSON');
  return new JamfError(
    400,
    causes.map((c) => {
      const field = jamfField(c);
      return {
        // The body as a whole of the wrong kind is `INVALID_CONTENT`, as the handlers' `requireBody` says.
        code: c.part !== 'body' ? 'INVALID_PARAMETER' : c.field === '' ? 'INVALID_CONTENT' : 'INVALID_FIELD',
        field,
        description: `${field} ${c.message}`,
        id: '0',
      };
    }),
  );
}

function fromFastify(error: FastifyError, request: FastifyRequest, family: string): JamfError {
  const causes = validationCauses(error);
  if (causes !== undefined) return fromValidation(causes, request, family);
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new JamfError(415, [
      { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type', description: error.message, id: '0' },
    ]);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new JamfError(413, [
      { code: 'PAYLOAD_TOO_LARGE', field: 'body', description: 'the request body is too large', id: '0' },
    ]);
  if (status === 500)
    return new JamfError(500, [
      { code: 'INTERNAL_ERROR', field: null, description: 'the mock failed; this is a bug', id: '0' },
    ]);
  return new JamfError(status, [
    { code: 'INVALID_REQUEST', field: 'body', description: error.message, id: '0' },
  ]);
}

function reply401Classic(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', CLASSIC_REALM)
    .header('content-type', 'text/html;charset=UTF-8')
    .send(classicStatusPage(401, 'The request requires user authentication'));
}

export async function jamfProPlugin(app: FastifyInstance, options: JamfProPluginOptions): Promise<void> {
  const server = 'server' in options ? options.server : new JamfProServer(options);
  // Every route declares its schemas (schemas/); they need the route-schema compiler. An app set up with
  // `useRouteSchemas` (buildJamfProMock, the lab) already has it; a plain app gets it here, for this plugin.
  if (app.validatorCompiler === undefined) useRouteSchemas(app);

  // Real clients POST keep-alive and friends with `Content-Type: application/json` and no body; Jamf accepts
  // that, so an empty JSON body is "no body" rather than fastify's 400.
  app.removeContentTypeParser('application/json');
  const parseJson = (
    _request: FastifyRequest,
    body: string | Buffer,
    done: (e: Error | null, v?: unknown) => void,
  ) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'unparseable';
      done(badRequest('body', `the request body is not valid JSON: ${detail}`, 'INVALID_JSON'));
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/[\w.-]+\+json/, { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(
    ['application/xml', 'text/xml', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_r, body, done) => {
      done(null, String(body));
    },
  );

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const family = familyOf(request.url);
    if (family !== 'pro' && family !== 'classic') return;
    if (PUBLIC_PATHS.has(pathOf(request.url))) return;
    const result = server.tokens.authenticate(request.headers.authorization);
    if (typeof result !== 'string') {
      setCaller(request, result.principal, result);
      return;
    }
    if (family === 'pro') throw unauthorized(result);
    const basic = server.classicBasicAuth
      ? server.tokens.basicUser(request.headers.authorization)
      : undefined;
    if (basic) {
      setCaller(request, basic);
      return;
    }
    return reply401Classic(reply);
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const family = familyOf(request.url);
    if (error instanceof OAuthError || family === 'oauth') {
      const e =
        error instanceof OAuthError
          ? error
          : new OAuthError(400, 'invalid_request', error instanceof Error ? error.message : 'bad request');
      return reply
        .code(e.status)
        .headers({ ...e.headers, 'cache-control': 'no-store', pragma: 'no-cache' })
        .send(e.body());
    }
    const e = error instanceof JamfError ? error : fromFastify(error as FastifyError, request, family);
    if (e.status >= 500) request.log.error({ err: error }, 'jamf-pro mock error');
    if (family === 'classic') {
      const status = e.classicStatus;
      if (status === 401) return reply401Classic(reply);
      // Classic pages say what their servlet says: a fixed sentence for 404, "Error: …" for rejected content.
      const description = e.causes[0]?.description ?? '';
      const message =
        status === 404
          ? NOT_FOUND_TEXT
          : status === 409 && !description.startsWith('Error')
            ? `Error: ${description}`
            : description;
      return reply
        .code(status)
        .headers(e.headers)
        .header('content-type', 'text/html;charset=UTF-8')
        .send(classicStatusPage(status, message));
    }
    return reply
      .code(e.status)
      .headers(e.headers)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(JSON.stringify(e.apiErrorBody()));
  });

  app.setNotFoundHandler((request, reply) => {
    const family = familyOf(request.url);
    if (family === 'classic') {
      return reply
        .code(404)
        .header('content-type', 'text/html;charset=UTF-8')
        .send(classicStatusPage(404, NOT_FOUND_TEXT));
    }
    const path = pathOf(request.url);
    return reply
      .code(404)
      .header('content-type', 'application/json;charset=UTF-8')
      .send(
        JSON.stringify({
          httpStatus: 404,
          errors: [
            {
              code: 'NOT_FOUND',
              field: 'path',
              description: `${request.method} ${path} is not a resource of this server`,
              id: '0',
            },
          ],
        }),
      );
  });

  registerAuthRoutes(app, server);
  registerComputerRoutes(app, server);
  registerMobileRoutes(app, server);
  registerExtensionAttributeRoutes(app, server);
  registerGroupRoutes(app, server);
  registerClassicDevices(app, server);
  registerClassicObjects(app, server);
  registerClassicDeployables(app, server);
  registerLab(app, server);
}
