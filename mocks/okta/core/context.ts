/**
 * What a route module gets: the fastify app, the org, the router (operations with auth and rate limits),
 * the resource authenticator and the DPoP verifier. Part A's modules and part B's plugins are all functions
 * of this context, registered in order on one fastify instance so they share its parsers, hooks and error
 * handling — an `OktaPlugin` passed to `buildOktaMock({ plugins })` runs after part A's routes.
 */
import type { FastifyInstance } from 'fastify';
import type { Principal, ResourceAuth } from '../auth/auth.ts';
import type { Dpop } from '../auth/dpop.ts';
import { type LogActor, SYSTEM_PRINCIPAL } from '../system-log/system-log.ts';
import type { OktaRouter } from './operations.ts';
import type { OktaOrg } from './org.ts';

export interface OktaContext {
  readonly app: FastifyInstance;
  readonly org: OktaOrg;
  readonly router: OktaRouter;
  readonly auth: ResourceAuth;
  readonly dpop: Dpop;
}

/** A module of routes (and state) added to the org; part B's modules are plugins. */
export type OktaPlugin = (context: OktaContext) => void | Promise<void>;

/** The System Log actor for a principal (the lab admin for SSWS, the client or user for OAuth). */
export function actorOf(principal: Principal | undefined): LogActor {
  return principal?.actor ?? SYSTEM_PRINCIPAL;
}
