/**
 * A `fetch` that hands requests for given origins to fastify apps with `inject()` — no sockets. Tests
 * wire mocks to each other with it (JSC → Jamf Pro, a transmitter → a receiver), and the lab's
 * in-process mode does the same through msw. Requests to other origins go to `fallback` (by default they
 * fail, so a test never reaches the network by accident).
 *
 * Sizes: inject hands over the app's answer already buffered, so the Response is built from it whole —
 * one that makes no stream unless a reader asks for one (kernel/whole-body.ts), so the lab's layers cost
 * no more than inject() itself. Holding it whole is safe because the routed apps are the lab's own,
 * whose answers are as small as they make them; every caller still reads the body through the kernel's
 * bounded reader with its own cap, exactly as over loopback, and anything from outside the lab (a user's
 * endpoint) goes through `fallback` as a stream.
 * Request bodies reaching inject are bounded by the apps' own body limits (and, through msw, by
 * harness/lab/intercept.ts).
 */
import { wholeResponse } from '../kernel/index.ts';

/** Statuses whose answer has no body (fetch refuses a Response that pairs one with a body). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

export interface Injectable {
  inject(options: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string | Buffer;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | number | undefined>;
    rawPayload: Buffer;
  }>;
}

export function createInjectFetch(
  routes: ReadonlyMap<string, Injectable>,
  fallback?: typeof fetch,
): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const app = routes.get(url.origin);
    if (!app) {
      if (fallback) return fallback(input, init);
      throw new TypeError('fetch failed', { cause: new Error(`no route to ${url.origin} (inject fetch)`) });
    }
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body;
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) // a view: inject only reads it
            : body instanceof URLSearchParams
              ? body.toString()
              : undefined;
    if (body instanceof URLSearchParams && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    }
    const response = await app.inject({
      method: init?.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      headers: { host: url.host, ...headers },
      ...(payload === undefined ? {} : { payload }),
    });
    if (signal?.aborted) throw signal.reason;
    // Pairs, not a Headers: the Response makes its own from them (one copy, not two).
    const out: [string, string][] = [];
    let location: string | undefined;
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) out.push([name, v]);
      else out.push([name, String(value)]);
      if (name.toLowerCase() === 'location') location = Array.isArray(value) ? value[0] : String(value);
    }
    const status = response.statusCode;
    if (status >= 300 && status < 400) {
      if (init?.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error('redirect') });
      // Follow like fetch does, for GETs; the engines always ask for manual or error.
      if (init?.redirect !== 'manual' && location !== undefined)
        return createInjectFetch(routes, fallback)(new URL(location, url).href, {
          ...init,
          method: 'GET',
          body: null,
        });
    }
    if (NULL_BODY_STATUSES.has(status) || response.rawPayload.length === 0)
      return new Response(null, { status, headers: out });
    // The answer is already whole in memory: the lab's layers read it from there (kernel/whole-body.ts).
    const raw = response.rawPayload;
    return wholeResponse(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), {
      status,
      headers: out,
    });
  };
}
