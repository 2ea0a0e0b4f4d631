/**
 * The Receiver's push endpoint (RFC 8935, SSF 1.0 §6.1.1) as a fastify plugin: the Transmitter POSTs one
 * SET per request as `application/secevent+jwt`, and the answer is `202 Accepted` with an empty body once
 * the SET is validated (RFC8935-2), or `400` with a JSON `{err, description}` body, `Content-Type:
 * application/json` and a `Content-Language` header when it is not (RFC8935-2.3). Register it in its own
 * encapsulated context (`app.register(ssfPushEndpoint, {path, intake})`): the content-type parser, the
 * authorization gate and the error handler apply to this route only. Nothing a client sends can produce a
 * 500: request errors become `400 invalid_request`, and a failure inside the Receiver a `503` so the
 * Transmitter retries (RFC8935-2: it SHOULD retry only after a recoverable failure).
 */
import { timingSafeEqual } from 'node:crypto';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { PushErrorCode } from '../../protocol/index.ts';
import { IntakeFullError, type IntakeResult, IntakeUnavailableError, type SetIntake } from './set-intake.ts';

/** RFC 8417 §2.3 / RFC8935-2: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

/**
 * Bodies up to 1 MiB are read and handed to the validator, which refuses SETs over its own, smaller limit
 * with `400 invalid_request`; a larger body is refused the same way without being read to the end.
 */
export const MAX_PUSH_BODY_BYTES = 1024 * 1024;

export interface PushEndpointOptions {
  /** The route, e.g. `/ssf/push/stream-1` (RFC 8935 recommends one URL per stream). */
  readonly path: string;
  /** What judges each SET: a SetIntake, or anything that answers like one (a lab receiver's wrapper). */
  readonly intake: Pick<SetIntake, 'accept'>;
  /**
   * The `authorization_header` this Receiver gave the Transmitter (SSF-6.1.1): when set, every push must
   * carry exactly this `Authorization` value. When unset, any `Authorization` header is ignored.
   */
  readonly authorization?: string;
}

interface ErrorBody {
  readonly err: PushErrorCode;
  readonly description: string;
}

/**
 * RFC8935-2.3: `application/json` and a `Content-Language`; this Receiver writes English only. The body
 * goes out as bytes so fastify leaves the media type exactly `application/json` (RFC 8259 §11 defines no
 * charset parameter for it).
 */
function sendJson(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .header('content-language', 'en')
    .send(Buffer.from(JSON.stringify(body), 'utf8'));
}

function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return sendJson(reply, status, body);
}

/** The media type of a Content-Type value without its parameters, lower-cased (RFC 9110 §8.3.1). */
function mediaType(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]?.trim().toLowerCase();
}

/** Byte-for-byte comparison in constant time for equal lengths. */
function sameBytes(given: string, expected: Buffer): boolean {
  const a = Buffer.from(given, 'utf8');
  return a.length === expected.length && timingSafeEqual(a, expected);
}

/** Registers the push route; use with `app.register(ssfPushEndpoint, options)`. */
export async function ssfPushEndpoint(app: FastifyInstance, opts: PushEndpointOptions): Promise<void> {
  const { intake, authorization } = opts;
  // Encoded once, not on every push.
  const expected = authorization === undefined ? undefined : Buffer.from(authorization, 'utf8');

  app.addContentTypeParser(
    SET_MEDIA_TYPE,
    { parseAs: 'string', bodyLimit: MAX_PUSH_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );

  // Errors fastify raises while reading the request (body too large, Content-Length mismatch, a media type
  // with no parser) are the client's: RFC8935-2.3 answers a SET that cannot be parsed with invalid_request.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 400, {
        err: 'invalid_request',
        description: `the body is larger than ${MAX_PUSH_BODY_BYTES} bytes, which no acceptable SET is`,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, 400, {
        err: 'invalid_request',
        description: `the request could not be read as a SET: ${error.message}`,
      });
    }
    return sendJson(reply, 503, { description: 'the Receiver could not process the SET; retry later' });
  });

  // The gate runs before the body is read: an unauthenticated or mistyped request costs nothing. It is a
  // callback hook, not an async one: it runs on every push, and this way it costs no promise.
  const gate = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (expected !== undefined) {
      const given = request.headers.authorization;
      if (given === undefined || !sameBytes(given, expected)) {
        // RFC 9110 §11.6.1: a 401 names the scheme in WWW-Authenticate.
        reply.header('www-authenticate', 'Bearer');
        sendError(reply, 401, {
          err: 'authentication_failed',
          description:
            given === undefined
              ? 'the push carries no Authorization header; this endpoint requires the authorization_header of its stream'
              : 'the Authorization header is not the authorization_header configured for this stream',
        });
        return; // replied: the chain stops here (the callback is not called)
      }
    }
    const type = mediaType(request.headers['content-type']);
    if (type !== SET_MEDIA_TYPE) {
      sendError(reply, 400, {
        err: 'invalid_request',
        description: `a push carries one SET as Content-Type: ${SET_MEDIA_TYPE} (RFC 8935 §2); got ${
          type === undefined || type === '' ? 'no Content-Type' : `"${type.slice(0, 80)}"`
        }`,
      });
      return;
    }
    done();
  };

  app.post(opts.path, { onRequest: gate }, async (request, reply) => {
    const token = typeof request.body === 'string' ? request.body : '';
    let result: IntakeResult;
    try {
      result = await intake.accept(token, 'push');
    } catch (error) {
      // IntakeUnavailableError: the Transmitter's keys are out of reach, a recoverable failure it should
      // retry (RFC8935-2). Anything else is a fault of ours, which is no reason to answer 500 either.
      // IntakeFullError: the replay store is full of unexpired ids; refused for now rather than forgotten.
      if (error instanceof IntakeFullError) {
        reply.header('retry-after', String(error.retryAfterSeconds ?? 1));
        return sendJson(reply, 503, { description: error.message });
      }
      const why =
        error instanceof IntakeUnavailableError
          ? "the Receiver cannot obtain the Transmitter's keys right now"
          : 'the Receiver could not process the SET';
      return sendJson(reply, 503, { description: `${why}; retry later` });
    }
    if (result.status === 'rejected') {
      return sendError(reply, 400, { err: result.err, description: result.description });
    }
    // RFC8935-2: 202 with an empty body; a duplicate or a discarded SET gets the same answer.
    return reply.code(202).send();
  });
}
