/**
 * In-process transport for clients the lab does not own: msw intercepts every request this process makes
 * to a lab origin — through `fetch`, `node:http`/`https` (so Okta's Node SDK, axios, node-fetch work
 * unmodified) — and hands it to the right fastify app with `inject()`. No socket is opened. Requests to
 * any other origin pass through untouched.
 *
 * msw patches process-wide globals, so there is one interceptor per process; each lab registers its
 * origins with it and removes them on close. Two labs cannot serve the same origin at once.
 */
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { createInjectFetch, type Injectable } from '../ssf/index.ts';

const served = new Map<string, Injectable>();
const injectFetch = createInjectFetch(served);
let server: ReturnType<typeof setupServer> | undefined;

export class OriginInUseError extends Error {
  constructor(origin: string) {
    super(`${origin} is already served by another in-process lab in this process; close it first`);
    this.name = 'OriginInUseError';
  }
}

function start(): ReturnType<typeof setupServer> {
  const s = setupServer(
    http.all('*', async ({ request }) => {
      const origin = new URL(request.url).origin;
      if (!served.has(origin)) return passthrough();
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      // Redirects go back to the client as they are: a browser-like client follows them itself.
      return injectFetch(request.url, {
        method: request.method,
        headers: request.headers,
        redirect: 'manual',
        ...(hasBody ? { body: new Uint8Array(await request.arrayBuffer()) } : {}),
      });
    }),
  );
  s.listen({ onUnhandledRequest: 'bypass' });
  return s;
}

export interface Interception {
  readonly origins: readonly string[];
  /** Stops intercepting these origins (the interceptor itself stops with the last lab). */
  close(): void;
}

/** Routes every request for these origins to their apps until `close()`. */
export function interceptOrigins(routes: ReadonlyMap<string, Injectable>): Interception {
  const origins = [...routes.keys()].map((o) => new URL(o).origin);
  const taken = origins.find((o) => served.has(o));
  if (taken) throw new OriginInUseError(taken);
  for (const [origin, app] of routes) served.set(new URL(origin).origin, app);
  server ??= start();
  let closed = false;
  return {
    origins,
    close: () => {
      if (closed) return;
      closed = true;
      for (const o of origins) served.delete(o);
      if (served.size === 0 && server) {
        server.close();
        server = undefined;
      }
    },
  };
}
