/**
 * A `fetch` for the engines' outbound calls, on node:http(s) with keep-alive agents. Node 20's built-in
 * fetch costs about three times as much CPU per request (measured by `npm run bench` on two cores), and a
 * transmitter pushing thousands of SETs spends its time there. It implements what the engines use —
 * method, headers, a string or byte body, an AbortSignal, `redirect: 'manual' | 'error'` — and returns a
 * standard Response, so callers cannot tell it from fetch.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { createSecureContext, rootCertificates } from 'node:tls';

export interface HttpFetchOptions {
  /** Connections kept per origin (default 32). */
  readonly maxSockets?: number;
  /**
   * CA certificates (PEM) trusted for https besides node's bundled roots — a loopback lab's own CA. TLS
   * is always verified: an origin whose certificate chains to neither is refused, never downgraded.
   */
  readonly ca?: string | readonly string[];
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const given = init?.headers;
  if (given === undefined) return {};
  // The engines pass plain objects; take them as they are instead of round-tripping through Headers.
  if (typeof given === 'object' && !(given instanceof Headers) && !Array.isArray(given)) {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) out[name.toLowerCase()] = String(value);
    return out;
  }
  return Object.fromEntries(new Headers(given).entries());
}

function bodyOf(init: RequestInit | undefined): string | Uint8Array | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  // A form (OAuth token requests) goes as fetch sends it; its content type is added below.
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('httpFetch sends string or byte bodies (or a form) only');
}

export function createHttpFetch(options: HttpFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 32;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({
      keepAlive: true,
      maxSockets,
      // Given `ca` replaces node's roots, so the roots go along with it. One secure context, built once:
      // given as `ca`, the agent would name every request by ~200 KB of PEM and parse every root again
      // for each new connection (0.7 s of CPU over a 10,000-device set-up).
      ...(options.ca === undefined
        ? {}
        : { secureContext: createSecureContext({ ca: [...rootCertificates, ...[options.ca].flat()] }) }),
    }),
  };
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError(`httpFetch cannot fetch ${url.protocol} URLs`));
        return;
      }
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body = bodyOf(init);
      const headers = headersOf(init);
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      if (init?.body instanceof URLSearchParams && headers['content-type'] === undefined)
        headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        url,
        { method: init?.method ?? 'GET', headers, agent: agents[url.protocol], signal },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400 && init?.redirect === 'error') {
            response.resume();
            reject(new TypeError(`redirected (HTTP ${status}) and redirects are refused`));
            return;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          // Statuses that cannot carry a body get none; an announced empty body skips the stream too.
          const empty =
            status === 204 ||
            status === 304 ||
            init?.method === 'HEAD' ||
            response.headers['content-length'] === '0';
          if (empty) response.resume();
          const stream = empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
          resolve(new Response(stream, { status, headers: responseHeaders }));
        },
      );
      request.on('error', (error) =>
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error })),
      );
      request.end(body);
    });
}
