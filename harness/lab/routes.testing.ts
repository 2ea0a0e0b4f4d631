/**
 * The routes a fastify app serves, read from the app itself (`printRoutes({ commonPrefix: false })`), so a
 * sweep over "every route" — the admin gate's, the hostile suite's — also covers the routes added later.
 */
import type { FastifyInstance } from 'fastify';

export interface AppRoute {
  readonly method: string;
  /** As registered: `/api/v1/users/:id|:userId/risk`. */
  readonly path: string;
}

/** Full paths and methods of a printed route tree: OPTIONS left out, and HEAD unless `head`. */
export function routesOfTree(tree: string, options: { readonly head?: boolean } = {}): AppRoute[] {
  const stack: string[] = [];
  const routes: AppRoute[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${match[2]}`;
    stack.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(', '))
      if (method !== '' && method !== 'OPTIONS' && (method !== 'HEAD' || options.head === true))
        routes.push({ method, path });
  }
  return routes;
}

/** Every route `app` serves. */
export function routesOf(app: FastifyInstance, options: { readonly head?: boolean } = {}): AppRoute[] {
  return routesOfTree(app.printRoutes({ commonPrefix: false }), options);
}

/** A concrete path: each parameter (`:id`, `:id|:userId`, one parameter under two names) filled with `value`. */
export function filledPath(path: string, value: string): string {
  return path.replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, value);
}
