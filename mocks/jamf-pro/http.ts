/**
 * Small request and reply helpers the route modules share: which API family a URL belongs to (each has its
 * own error shape), the authenticated caller of a request, typed access to query and params, the JSON
 * body of a Pro API call, the XML body of a Classic call, and Classic replies in the negotiated format.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedToken, Principal } from './auth.ts';
import { type ClassicValue, negotiateClassic, renderClassic } from './classic-format.ts';
import { badRequest, JamfError } from './errors.ts';
import type { Query } from './query.ts';
import { parseXml, type XmlElement, XmlSyntaxError } from './xml.ts';

export type Family = 'oauth' | 'pro' | 'classic' | 'lab' | 'other';

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function familyOf(url: string): Family {
  const path = pathOf(url);
  if (path === '/api/oauth/token') return 'oauth';
  if (path === '/api' || path.startsWith('/api/')) return 'pro';
  if (path === '/JSSResource' || path.startsWith('/JSSResource/')) return 'classic';
  if (path === '/_lab' || path.startsWith('/_lab/')) return 'lab';
  return 'other';
}

const callers = new WeakMap<FastifyRequest, { principal: Principal; token?: AuthenticatedToken }>();

export function setCaller(request: FastifyRequest, principal: Principal, token?: AuthenticatedToken): void {
  callers.set(request, token ? { principal, token } : { principal });
}

/** The bearer token of a request the auth hook accepted (for keep-alive and invalidate). */
export function tokenOf(request: FastifyRequest): AuthenticatedToken {
  const token = callers.get(request)?.token;
  if (!token) throw new JamfError(401, []);
  return token;
}

export function principalOf(request: FastifyRequest): Principal {
  const caller = callers.get(request);
  if (!caller) throw new JamfError(401, []);
  return caller.principal;
}

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

export function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The parsed JSON body of a Pro API write; 415 for any other media type. */
export function jsonBody(request: FastifyRequest): unknown {
  const type = mediaType(request);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new JamfError(415, [
      {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'Content-Type',
        description: `send application/json, not ${type === '' ? 'no Content-Type' : type}`,
        id: '0',
      },
    ]);
  }
  if (request.body === undefined) throw badRequest('body', 'the request body is empty', 'INVALID_JSON');
  return request.body;
}

/** The root element of a Classic write: 415 unless XML, 400 with the parser's message when malformed. */
export function xmlBody(request: FastifyRequest): XmlElement {
  const type = mediaType(request);
  if (type !== 'application/xml' && type !== 'text/xml') {
    throw new JamfError(415, [
      {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'Content-Type',
        description: `The Classic API accepts XML only: send Content-Type application/xml or text/xml, not ${type === '' ? 'none' : type}`,
        id: '0',
      },
    ]);
  }
  const text = typeof request.body === 'string' ? request.body : '';
  try {
    return parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError)
      throw badRequest('body', `Bad Request: malformed XML: ${error.message}`, 'INVALID_XML');
    throw error;
  }
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json;charset=UTF-8')
    .send(JSON.stringify(body));
}

export function sendClassic(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  root: string,
  value: ClassicValue,
): FastifyReply {
  const { body, contentType } = renderClassic(root, value, negotiateClassic(request.headers.accept));
  return reply.code(status).header('content-type', contentType).send(body);
}

/** Classic writes answer with the object's id, always in XML (`<computer><id>5</id></computer>`). */
export function sendClassicId(reply: FastifyReply, status: number, root: string, id: number): FastifyReply {
  const { body, contentType } = renderClassic(root, { id }, 'xml');
  return reply.code(status).header('content-type', contentType).send(body);
}
