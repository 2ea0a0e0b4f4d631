/**
 * The transmitter's HTTP face: a fastify plugin any mock mounts (without a prefix — the routes are derived
 * from the issuer, and the well-known document lives outside the issuer's path by SSF §7.2.1's path
 * insertion). Status codes are the spec's: create 201, read/update/status 200, delete 204, add subject
 * 200 with an empty body, remove subject 204, verify 204, poll 200 (SSF §8.1, RFC 8936 §2).
 *
 * Bodies are validated with the protocol core's schemas (one ajv registry) inside the transmitter rather
 * than by fastify's route schemas, which would compile a second copy and report less precisely.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Scope } from './auth.ts';
import { SsfApiError } from './errors.ts';
import type { Transmitter } from './transmitter.ts';

export interface TransmitterPluginOptions {
  readonly transmitter: Transmitter;
}

function queryStreamId(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.stream_id;
}

/** Fastify's own request errors, answered in the same `{error, error_description}` shape. */
function fromFastifyError(error: FastifyError): SsfApiError {
  const status = error.statusCode ?? 500;
  if (status === 415)
    return new SsfApiError(415, 'invalid_request', `unsupported Content-Type: send application/json`);
  if (status === 413) return new SsfApiError(413, 'invalid_request', 'the request body is too large');
  if (status >= 400 && status < 500) {
    const what =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'the body is not valid JSON'
        : error.message;
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

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );

  app.setErrorHandler((error: FastifyError | SsfApiError, _request, reply) => {
    const e = error instanceof SsfApiError ? error : fromFastifyError(error);
    if (e.status >= 500) app.log.error({ err: error }, 'transmitter error');
    void reply
      .code(e.status)
      .headers({ ...e.headers, 'cache-control': 'no-store' })
      .send(e.body());
  });

  const who = (request: FastifyRequest, scope: Scope): Principal =>
    tx.auth.authenticate(request.headers.authorization, scope);
  const json = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
    reply.code(status).header('cache-control', 'no-store').send(body);

  app.get(p.metadata, async (_request, reply) => json(reply, 200, tx.metadata()));
  app.get(p.jwks, async (_request, reply) => reply.type('application/jwk-set+json').send(tx.jwks()));

  if (tx.metadata().authorization_schemes?.some((s) => s.spec_urn === 'urn:ietf:rfc:6749')) {
    app.post(p.token, async (request, reply) => {
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      return json(reply, 200, tx.auth.issueToken(request.headers.authorization, form));
    });
  }

  app.post(p.streams, async (request, reply) => {
    const principal = who(request, 'ssf.manage');
    return json(reply, 201, tx.createStream(principal.receiver.id, request.body));
  });
  app.get(p.streams, async (request, reply) => {
    const principal = who(request, 'ssf.read');
    const id = queryStreamId(request);
    // SSF §8.1.1.2: with stream_id an object, without it an array (empty when there are none).
    return json(reply, 200, id === undefined ? tx.readStreams(principal) : tx.readStream(principal, id));
  });
  app.patch(p.streams, async (request, reply) =>
    json(reply, 200, tx.updateStream(who(request, 'ssf.manage'), request.body, 'patch')),
  );
  app.put(p.streams, async (request, reply) =>
    json(reply, 200, tx.updateStream(who(request, 'ssf.manage'), request.body, 'replace')),
  );
  app.delete(p.streams, async (request, reply) => {
    tx.deleteStream(who(request, 'ssf.manage'), queryStreamId(request));
    return reply.code(204).send();
  });

  app.get(p.status, async (request, reply) =>
    json(reply, 200, tx.readStatus(who(request, 'ssf.read'), queryStreamId(request))),
  );
  app.post(p.status, async (request, reply) =>
    json(reply, 200, tx.updateStatusFromReceiver(who(request, 'ssf.manage'), request.body)),
  );

  app.post(p.addSubject, async (request, reply) => {
    tx.addSubject(who(request, 'ssf.manage'), request.body);
    return reply.code(200).send();
  });
  app.post(p.removeSubject, async (request, reply) => {
    tx.removeSubject(who(request, 'ssf.manage'), request.body);
    return reply.code(204).send();
  });

  app.post(p.verify, async (request, reply) => {
    await tx.requestVerification(who(request, 'ssf.manage'), request.body);
    return reply.code(204).send();
  });

  app.post(`${p.poll}/:streamId`, async (request, reply) => {
    const principal = who(request, 'ssf.read');
    const { streamId } = request.params as { streamId: string };
    // A long poll ends early when the receiver hangs up.
    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    const body = request.body === undefined || request.body === null ? {} : request.body;
    return json(reply, 200, await tx.poll(principal, streamId, body, abort.signal));
  });
}
