/**
 * The harness's side of key distribution when it hosts the JWKS (`jwksPath`): the JWKS itself, which a
 * module may change while it runs (rotation, withdrawal), a count of how often the receiver fetched it,
 * and the lure URLs the battery's `jku` and `x5u` cases name — served so that a receiver following them is
 * seen doing it (and, for `jku`, handed the forger's key as bait). Everything is taken away when the module
 * ends.
 */
import Fastify from 'fastify';
import { type JwkSet, publicJwks, type SigningKey } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';
import { LURE_PATHS } from './battery.ts';
import { harnessSideKey } from './keys.ts';
import type { SsfReceiverOptions } from './options.ts';
import { type SetFactory, setFactory } from './sets.ts';

export interface ServedJwks {
  /** Where the receiver fetches the JWKS. */
  readonly jwksUrl: string;
  /** The base URL of everything served (the lure paths are below it). */
  readonly base: string;
  /** Replaces the JWKS: from the next fetch on, the receiver sees exactly these keys' public halves. */
  publish(keys: readonly SigningKey[]): void;
  /** How many times the JWKS has been fetched so far. */
  jwksFetches(): number;
  /** How many times each lure URL has been requested so far. */
  lureHits(): Record<keyof typeof LURE_PATHS, number>;
}

export interface Serving {
  readonly factory: SetFactory;
  /** The JWKS URL, when the harness serves it. */
  readonly jwksUrl?: string;
  readonly served?: ServedJwks;
}

/**
 * The factory for a module's SETs; when the harness hosts the JWKS (`jwksPath`) it is served for the
 * module's duration — the harness key alone, until the module publishes others — and taken away after.
 */
export async function prepareServing(ctx: SuiteContext, options: SsfReceiverOptions): Promise<Serving> {
  const factory = await setFactory(options, () => ctx.now());
  if (options.jwksPath === undefined) return { factory };
  let jwks: JwkSet = publicJwks(factory.key);
  let fetches = 0;
  const hits = { jku: 0, x5u: 0 };
  // The jku lure hands out the forger's key: a receiver that trusts the header then accepts the forgery.
  const bait = publicJwks(await harnessSideKey(factory.key.alg, 'forger'));
  const app = Fastify();
  app.get(options.jwksPath, async (_request, reply) => {
    fetches += 1;
    return reply.header('cache-control', 'no-store').send(jwks);
  });
  app.get(LURE_PATHS.jku, async (_request, reply) => {
    hits.jku += 1;
    return reply.header('cache-control', 'no-store').send(bait);
  });
  app.get(LURE_PATHS.x5u, async (_request, reply) => {
    hits.x5u += 1;
    return reply.code(404).send();
  });
  const served = await ctx.serve('ssf-receiver-keys', app);
  ctx.defer('stop serving the harness JWKS', () => served.detach());
  const jwksUrl = `${served.url}${options.jwksPath}`;
  ctx.progress(`serving the harness JWKS at ${jwksUrl}`);
  return {
    factory,
    jwksUrl,
    served: {
      jwksUrl,
      base: served.url,
      publish(keys) {
        jwks = publicJwks(...keys);
      },
      jwksFetches: () => fetches,
      lureHits: () => ({ ...hits }),
    },
  };
}
