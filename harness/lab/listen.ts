/**
 * A loopback lab's addresses, for when it runs somewhere other clients reach it by another name — in a
 * container, on a CI service, on another machine:
 *
 * - the **bind address** (`host`) is where the services listen (127.0.0.1 by default; 0.0.0.0 in a
 *   container, so that published ports reach it);
 * - the **public host** is the name the lab advertises: every service's URL is `http://<public host>:<port>`
 *   with the very port it listens on, so the manifest, the SSF metadata, the issuers and the URLs inside
 *   tokens are the same wherever a client stands, as long as the ports are published one to one (or the
 *   container shares the host's network);
 * - the services call each other by those advertised URLs (Okta fetches the transmitter's JWKS from its
 *   issuer, JSC pushes to the org URL), yet the public host may not resolve — or may lead elsewhere —
 *   inside the lab's own network namespace (a host name only the outside knows, a docker host address).
 *   So the lab's own outbound fetch dials its own advertised origins at the bind address instead, keeping
 *   the URL (and the Host header) as advertised: `dialLabOrigins`.
 *
 * It also answers the lab's readiness probe, `GET /_lab/ready`, on every service's port.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { carriesLabAdminToken, isLabAdminPath, LAB_ADMIN_REFUSAL, READY_PATH } from './lab-admin.ts';
import { isLabControl } from './lab-controls.ts';

/** The lab's readiness probe, on every service's port: 200 once it is ready, 503 before (and while it stops). */
export { READY_PATH };

const DNS_LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`, 'i');

const unbracket = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/**
 * A bind address as `listen()` takes it — an IPv4 or IPv6 literal (brackets optional) or `localhost` —
 * or undefined when `value` is none of those. Host names other than localhost are refused: which address
 * a name would bind is a DNS accident.
 */
export function bindAddress(value: string): string | undefined {
  if (value.toLowerCase() === 'localhost') return 'localhost';
  const bare = unbracket(value);
  return isIP(bare) === 0 ? undefined : bare;
}

/**
 * A public host as it goes into a URL — a DNS name (letters, digits, `-`, `_`; lower-cased), an IPv4
 * literal, or an IPv6 literal in brackets (added when missing) — or undefined when `value` is none of
 * those (a scheme, a port, a path, a space…).
 */
export function publicHostName(value: string): string | undefined {
  const bare = unbracket(value);
  if (isIP(bare) === 6) return `[${bare.toLowerCase()}]`;
  if (bare !== value) return undefined;
  return HOST_NAME.test(value) ? value.toLowerCase() : undefined;
}

/** A bind address as a URL host (IPv6 in brackets). */
function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/**
 * Where the lab's own clients connect to reach a service bound at `host`: the loopback address for a
 * wildcard bind (0.0.0.0, ::), else the bind address itself — as a URL host. It is also the public host
 * a lab advertises when it is told none.
 */
export function dialHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return urlHost(host);
}

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

/**
 * A fetch that sends requests for the lab's own advertised origins to `dial` (a URL host) on the same
 * port, with the advertised `Host` header, and every other request on unchanged. The URL a caller (and
 * the timeline) sees stays the advertised one.
 */
export function dialLabOrigins(inner: typeof fetch, origins: Iterable<string>, dial: string): typeof fetch {
  const own = new Set(origins);
  return (input, init) => {
    const url = urlOf(input);
    if (!own.has(url.origin)) return inner(input, init);
    const headers = new Headers(init?.headers);
    headers.set('host', url.host);
    const target = new URL(url.href);
    target.host = `${dial}:${url.port}`;
    return inner(target.href, { ...init, headers });
  };
}

function answerReadiness(request: IncomingMessage, response: ServerResponse, ready: boolean): void {
  const body = JSON.stringify({ ready });
  response.writeHead(ready ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(ready ? {} : { 'retry-after': '1' }),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Makes `server` answer `GET|HEAD /_lab/ready` itself — 200 `{"ready":true}` while `ready()` holds, else
 * 503 `{"ready":false}` — and hand every other request to the listeners it had.
 *
 * It sits in front of the server's own request listener rather than being a route because the mocks are
 * built (and fastify seals its routes) before the lab knows whether it will listen, and readiness belongs
 * to the lab as a whole, not to any vendor's API: the same answer on every port, on no vendor path.
 */
export function serveReadiness(server: Server, ready: () => boolean): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url?.split('?')[0];
    if (path === READY_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
      answerReadiness(request, response, ready());
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/**
 * Makes `server` hand the lab-wide controls' paths (`/_lab/faults…`, `/_lab/timeline`) to `controls` —
 * a ready fastify app that never listens — and every other request to the listeners it had: like the
 * readiness probe, the lab's controls answer on every service's port, on no vendor path.
 */
export function serveLabControls(server: Server, controls: FastifyInstance): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (isLabControl(request.url?.split('?')[0] ?? '')) {
      controls.routing(request, response);
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/**
 * Makes `server` refuse every `/_lab/` request that does not carry the lab admin token (lab-admin.ts) —
 * 401 with a Bearer challenge, before the request reaches the lab's controls or any service — and hand
 * every other request to the listeners it had. Installed in front of the controls and the service, so
 * a control a mock adds later is guarded without being named here; the readiness probe is answered in
 * front of it.
 */
export function gateLabAdmin(server: Server, token: string): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (isLabAdminPath(request.url ?? '/') && !carriesLabAdminToken(request.headers.authorization, token)) {
      // The body is not read: a refused request must not cost the lab its memory.
      response.writeHead(LAB_ADMIN_REFUSAL.status, {
        ...LAB_ADMIN_REFUSAL.headers,
        'content-length': Buffer.byteLength(LAB_ADMIN_REFUSAL.body),
      });
      response.end(request.method === 'HEAD' ? undefined : LAB_ADMIN_REFUSAL.body);
      return;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/**
 * Makes `server` end each keep-alive connection as soon as its response is done once the server has
 * stopped listening. A connection that was busy when the service began to close is not idle then, so
 * fastify's close does not end it, and the client's keep-alive would hold the close for the server's
 * keep-alive timeout (fastify's 72 s) — long enough for `docker stop` to kill a lab stopped right after
 * some traffic. The lab's own stop destroys every connection at once (listen-limits.ts `stopListening`);
 * this covers a service closed on its own, e.g. an attached endpoint's app closed by its owner.
 */
export function endConnectionsOnClose(server: Server): void {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    response.once('finish', () => {
      if (!server.listening) request.socket.end();
    });
  });
}
