/**
 * In-process transport for clients the lab does not own: msw intercepts every request this process makes
 * to a lab origin — through `fetch`, `node:http`/`https` (so Okta's Node SDK, axios, node-fetch work
 * unmodified) — and hands it to the right fastify app with `inject()`. No socket is opened. Requests to
 * any other origin go on untouched: to the next msw handler, or to the network.
 *
 * msw patches process-wide globals, so a process has one interceptor. Either the lab starts a hidden one
 * of its own, or — when the process already uses msw for its own mocks — the user's server carries
 * `labHandlers` next to its own handlers (`setupServer(...theirs, ...labHandlers)`) and the labs only
 * register their origins. Two servers in one process fight over the same globals (the later one hides
 * the earlier one's handlers), so the two ways are never mixed. Two labs cannot serve the same origin.
 */

import type { SetupServer } from 'msw/node';
import { BODY_CAPS, BodyTooLargeError, HarnessError, readBodyBytes } from '../kernel/index.ts';
import { createInjectFetch, type Injectable } from '../ssf/index.ts';

const served = new Map<string, Injectable>();
const injectFetch = createInjectFetch(served);

/** The part of msw's `SetupServerApi` a lab uses: which handlers the server has. */
export interface MswServerLike {
  listHandlers(): readonly unknown[];
}

/** Who intercepts right now: nobody, the lab's own hidden server, or a user's server. */
let hidden: SetupServer | undefined;
let external: MswServerLike | undefined;

export class OriginInUseError extends Error {
  constructor(origin: string) {
    super(`${origin} is already served by another in-process lab in this process; close it first`);
    this.name = 'OriginInUseError';
  }
}

/** The most a client of this process may send to an in-process lab service: the services' own limit. */
export const LAB_REQUEST_CAP = BODY_CAPS.labRequest;

/**
 * What a lab answers to a request a client of this process made, or undefined when no in-process lab
 * serves its origin (msw then tries the next handler, or the network). Redirects go back to the client
 * as they are: a browser-like client follows them itself.
 *
 * The request body is read up to LAB_REQUEST_CAP (1 MiB, fastify's default body limit, which no lab route
 * raises): a larger one is refused with 413 before it is buffered, as a listening service would refuse
 * it. The answer needs no cap here: it comes from the lab's own apps through inject, already whole in
 * memory and as small as those apps make it, and whoever reads it reads it through the bounded reader
 * with its own cap — the same as on loopback.
 */
export async function answerForLab(request: Request): Promise<Response | undefined> {
  if (!served.has(new URL(request.url).origin)) return undefined;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let body: Uint8Array | undefined;
  if (hasBody) {
    try {
      body = await readBodyBytes(request, LAB_REQUEST_CAP);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return Response.json(
        {
          statusCode: 413,
          error: 'Payload Too Large',
          message: `the request body is larger than ${LAB_REQUEST_CAP} bytes, the most a lab service reads`,
        },
        { status: 413 },
      );
    }
  }
  return injectFetch(request.url, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
}

async function checkExternal(server: MswServerLike): Promise<void> {
  const { labHandlers } = await import('./msw-handlers.ts');
  const handlers = server.listHandlers();
  if (!labHandlers.every((h) => handlers.includes(h)))
    throw new HarnessError(
      'ERR_USAGE',
      "the msw server given to startLab does not have the lab's handlers: create it with " +
        "setupServer(...yourHandlers, ...labHandlers), labHandlers from 'ssf-lab/msw'",
    );
  if (hidden !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'another in-process lab in this process intercepts with its own msw server; give every lab ' +
        'your msw server (startLab({ msw })) or close that lab first',
    );
  if (external !== undefined && external !== server)
    throw new HarnessError(
      'ERR_USAGE',
      'another in-process lab in this process uses a different msw server; one process has one',
    );
}

/** The lab's own interceptor, loaded (msw and all) only when a lab first needs it. */
async function startHidden(): Promise<void> {
  const [{ setupServer }, { labHandlers }] = await Promise.all([
    import('msw/node'),
    import('./msw-handlers.ts'),
  ]);
  // Another lab may have started it while these loaded.
  if (hidden !== undefined || external !== undefined) return;
  const server = setupServer(...labHandlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  hidden = server;
}

export interface Interception {
  readonly origins: readonly string[];
  /** Stops intercepting these origins (the lab's own interceptor stops with the last lab). */
  close(): void;
}

/**
 * Routes every request for these origins to their apps until `close()`. With `msw`, the user's server
 * (which must carry `labHandlers`) does the intercepting; without it, the lab starts its own — unless a
 * user's server already does it for another lab, which then serves this one too.
 */
export async function interceptOrigins(
  routes: ReadonlyMap<string, Injectable>,
  options: { readonly msw?: MswServerLike } = {},
): Promise<Interception> {
  const origins = [...routes.keys()].map((o) => new URL(o).origin);
  const refuseTaken = (): void => {
    const taken = origins.find((o) => served.has(o));
    if (taken) throw new OriginInUseError(taken);
  };
  if (options.msw !== undefined) await checkExternal(options.msw);
  refuseTaken();
  if (options.msw === undefined && external === undefined && hidden === undefined) await startHidden();
  try {
    // Another lab may have taken one while msw loaded.
    refuseTaken();
  } catch (error) {
    stopIfIdle();
    throw error;
  }
  for (const [origin, app] of routes) served.set(new URL(origin).origin, app);
  if (options.msw !== undefined) external = options.msw;
  let closed = false;
  return {
    origins,
    close: () => {
      if (closed) return;
      closed = true;
      for (const o of origins) served.delete(o);
      stopIfIdle();
    },
  };
}

/** With no lab left to serve, the lab's own interceptor stops and a user's server is forgotten. */
function stopIfIdle(): void {
  if (served.size > 0) return;
  hidden?.close();
  hidden = undefined;
  external = undefined;
}
