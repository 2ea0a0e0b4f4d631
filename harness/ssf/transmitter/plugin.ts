/**
 * The transmitter's HTTP face: a fastify plugin any mock mounts (without a prefix — the routes are derived
 * from the issuer, and the well-known document lives outside the issuer's path by SSF §7.2.1's path
 * insertion). Status codes are the spec's: create 201, read/update/status 200, delete 204, add subject
 * 200 with an empty body, remove subject 204, verify 204, poll 200 (SSF §8.1, RFC 8936 §2).
 *
 * Every route declares its schemas (route-schemas.ts): the SSF bodies and answers as `{ $ref }` of the
 * protocol core's wire schemas, validated inside the transmitter (one ajv registry, SSF's own error codes
 * and the precise member at fault) rather than by fastify; fastify validates only the stream id in the
 * query or the poll path. The caller is authenticated in `preValidation`, before any of that, so a request
 * without a valid token is a 401 whatever else is wrong with it. The plugin sets the route-schema
 * behaviour up on its own scope, so it works the same in an app that did not (a test's bare fastify).
 *
 * The deviations that get only the HTTP shape wrong (a status code, a body's form) are applied here, where
 * a real implementation would make the mistake; each names the requirement it breaks.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isJsonObject, type StreamConfiguration } from '../../protocol/index.ts';
import { useRouteSchemas, validationCauses } from '../route-schemas.ts';
import type { Principal, Scope } from './auth.ts';
import { SsfApiError } from './errors.ts';
import { TRANSMITTER_ROUTE_SCHEMAS as S } from './route-schemas.ts';
import type { Transmitter } from './transmitter.ts';

export interface TransmitterPluginOptions {
  readonly transmitter: Transmitter;
}

function queryStreamId(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.stream_id;
}

/** An event type URI's last path segment: `…/event-type/session-revoked` → `session-revoked`. */
function shortName(eventType: string): string {
  return eventType.replace(/\/+$/, '').split('/').pop() ?? eventType;
}

function isBrokenJson(error: FastifyError): boolean {
  return error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
}

/** Fastify's own request errors, answered in the same `{error, error_description}` shape. */
function fromFastifyError(error: FastifyError, tx: Transmitter): SsfApiError {
  // SSF-8.1.1.1 and its siblings (deviation): the parser's error escapes as a server error.
  if (isBrokenJson(error) && tx.deviates('transmitter-broken-json-is-500'))
    return new SsfApiError(500, 'server_error', 'the transmitter failed to handle the request');
  const causes = validationCauses(error);
  if (causes !== undefined)
    return new SsfApiError(
      400,
      'invalid_request',
      causes.map((c) => `${c.part} member "${c.field}" ${c.message}`).join('; '),
    );
  const status = error.statusCode ?? 500;
  if (status === 415)
    return new SsfApiError(415, 'invalid_request', `unsupported Content-Type: send application/json`);
  if (status === 413) return new SsfApiError(413, 'invalid_request', 'the request body is too large');
  if (status >= 400 && status < 500) {
    const what = isBrokenJson(error) ? 'the body is not valid JSON' : error.message;
    return new SsfApiError(status, 'invalid_request', what);
  }
  return new SsfApiError(500, 'server_error', 'the transmitter failed to handle the request');
}

export async function ssfTransmitterPlugin(
  app: FastifyInstance,
  options: TransmitterPluginOptions,
): Promise<void> {
  const tx = options.transmitter;
  const p = tx.paths;
  // This scope's own set-up (validators, serializer): a no-op difference where the app already has it.
  useRouteSchemas(app);

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );

  app.setErrorHandler((error: FastifyError | SsfApiError, _request, reply) => {
    const e = error instanceof SsfApiError ? error : fromFastifyError(error, tx);
    if (e.status >= 500) app.log.error({ err: error }, 'transmitter error');
    void reply
      .code(e.status)
      .headers({ ...e.headers, 'cache-control': 'no-store' })
      .send(e.body());
  });

  const principals = new WeakMap<FastifyRequest, Principal>();
  /** The preValidation hook that authenticates the caller for `scope` (401/403 before any validation). */
  const guard =
    (scope: Scope) =>
    async (request: FastifyRequest): Promise<void> => {
      principals.set(request, tx.auth.authenticate(request.headers.authorization, scope));
    };
  const who = (request: FastifyRequest): Principal => {
    const principal = principals.get(request);
    if (principal === undefined)
      throw new SsfApiError(500, 'server_error', 'the caller was not authenticated');
    return principal;
  };
  const read = { preValidation: guard('ssf.read') };
  const manage = { preValidation: guard('ssf.manage') };
  const json = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
    reply.code(status).header('cache-control', 'no-store').send(body);
  /** A stream configuration as answered; SSF-8.1.1.1-EVENTS (deviation): events_delivered by short name. */
  const view = (config: StreamConfiguration): StreamConfiguration =>
    tx.deviates('transmitter-events-delivered-short-names')
      ? { ...config, events_delivered: config.events_delivered.map(shortName) }
      : config;

  app.get(p.metadata, { schema: S.metadata }, async (_request, reply) =>
    // SSF-7.2 (deviation): the JSON document labelled as plain text.
    tx.deviates('transmitter-metadata-not-json')
      ? reply.code(200).type('text/plain; charset=utf-8').send(JSON.stringify(tx.metadata()))
      : json(reply, 200, tx.metadata()),
  );
  app.get(p.jwks, { schema: S.jwks }, async (_request, reply) =>
    reply.type('application/jwk-set+json').send(tx.jwks()),
  );

  if (tx.metadata().authorization_schemes?.some((s) => s.spec_urn === 'urn:ietf:rfc:6749')) {
    app.post(p.token, { schema: S.token }, async (request, reply) => {
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      return json(reply, 200, tx.auth.issueToken(request.headers.authorization, form));
    });
  }

  app.post(p.streams, { ...manage, schema: S.createStream }, async (request, reply) => {
    const principal = who(request);
    const config = view(tx.createStream(principal.receiver.id, request.body));
    return json(
      reply,
      // SSF-8.1.1.1 (deviation): 200 OK, not 201 Created.
      tx.deviates('transmitter-create-answers-200') ? 200 : 201,
      // SSF-8.1.1.1 (deviation): the new stream's id alone, not its configuration.
      tx.deviates('transmitter-create-answers-stream-id-only') ? { stream_id: config.stream_id } : config,
    );
  });
  app.get(p.streams, { ...read, schema: S.readStreams }, async (request, reply) => {
    const principal = who(request);
    const id = queryStreamId(request);
    // SSF §8.1.1.2: with stream_id an object, without it an array (empty when there are none).
    if (id === undefined) {
      const all = tx.readStreams(principal).map(view);
      // SSF-8.1.1.2 (deviation): the array wrapped in an object.
      return json(reply, 200, tx.deviates('transmitter-read-all-answers-an-object') ? { streams: all } : all);
    }
    const one = view(tx.readStream(principal, id));
    // SSF-8.1.1.2 (deviation): the one stream asked for, in an array.
    return json(reply, 200, tx.deviates('transmitter-read-one-answers-an-array') ? [one] : one);
  });
  app.patch(p.streams, { ...manage, schema: S.updateStream }, async (request, reply) =>
    json(reply, 200, view(tx.updateStream(who(request), request.body, 'patch'))),
  );
  app.put(p.streams, { ...manage, schema: S.replaceStream }, async (request, reply) =>
    json(reply, 200, view(tx.updateStream(who(request), request.body, 'replace'))),
  );
  app.delete(p.streams, { ...manage, schema: S.deleteStream }, async (request, reply) => {
    tx.deleteStream(who(request), queryStreamId(request));
    // SSF-8.1.1.5 (deviation): 200 OK, not 204 No Content.
    return reply.code(tx.deviates('transmitter-delete-answers-200') ? 200 : 204).send();
  });

  app.get(p.status, { ...read, schema: S.readStatus }, async (request, reply) => {
    const status = tx.readStatus(who(request), queryStreamId(request));
    if (!tx.deviates('transmitter-status-without-stream-id')) return json(reply, 200, status);
    // SSF-8.1.2.1 (deviation): the status without the stream it belongs to.
    const { stream_id: _id, ...rest } = status;
    return json(reply, 200, rest);
  });
  app.post(p.status, { ...manage, schema: S.updateStatus }, async (request, reply) => {
    const status = tx.updateStatusFromReceiver(who(request), request.body);
    // SSF-8.1.2.2 (deviation): the update is made but not echoed.
    if (tx.deviates('transmitter-status-update-answers-204')) return reply.code(204).send();
    return json(reply, 200, status);
  });

  app.post(p.addSubject, { ...manage, schema: S.addSubject }, async (request, reply) => {
    tx.addSubject(who(request), request.body);
    // SSF-8.1.3.2 (deviation): 201 Created, not 200 OK.
    return reply.code(tx.deviates('transmitter-add-subject-answers-201') ? 201 : 200).send();
  });
  app.post(p.removeSubject, { ...manage, schema: S.removeSubject }, async (request, reply) => {
    tx.removeSubject(who(request), request.body);
    // SSF-8.1.3.3 (deviation): 200 OK, not 204 No Content.
    return reply.code(tx.deviates('transmitter-remove-subject-answers-200') ? 200 : 204).send();
  });

  app.post(p.verify, { ...manage, schema: S.verify }, async (request, reply) => {
    await tx.requestVerification(who(request), request.body);
    // SSF-8.1.4.2 (deviation): 202 Accepted, not 204 No Content.
    return reply.code(tx.deviates('transmitter-verify-answers-202') ? 202 : 204).send();
  });

  app.post(`${p.poll}/:streamId`, { ...read, schema: S.poll }, async (request, reply) => {
    const principal = who(request);
    const { streamId } = request.params as { streamId: string };
    // A long poll ends early when the receiver hangs up.
    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    const body = request.body === undefined || request.body === null ? {} : request.body;
    const answer = await tx.poll(principal, streamId, body, abort.signal);
    // RFC8936-2.2-MAXEVENTS (deviation): an acknowledge-only request answered without "sets".
    if (isJsonObject(body) && body.maxEvents === 0 && tx.deviates('transmitter-ack-only-omits-sets'))
      return json(reply, 200, { moreAvailable: answer.moreAvailable });
    // RFC8936-2.3 (deviation): the SETs numbered in the answer, their jti lost as keys — so the receiver's
    // acknowledgements name nothing the transmitter knows.
    if (tx.deviates('transmitter-poll-sets-keyed-by-position')) {
      const sets = Object.fromEntries(Object.values(answer.sets).map((token, i) => [String(i + 1), token]));
      return json(reply, 200, { sets, moreAvailable: answer.moreAvailable });
    }
    return json(reply, 200, answer);
  });
}
