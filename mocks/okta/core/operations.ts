/**
 * Every route the mock serves is an operation: Okta's operationId, method and path template exactly as in
 * its API description (`/api/v1/users/{id}`), the OAuth scopes that grant it, and which description it
 * belongs to. The router registers it with fastify, authenticates it, and puts it in the rate limiter's
 * bucket of the same name; the contract test compares the table with management-minimal.yaml and
 * oauth-minimal.yaml, and part B adds its operations through the same `route` call.
 *
 * Each route declares its schemas (harness/ssf/route-schemas.ts): an operation from Okta's descriptions
 * takes the ones generated from them (schemas/okta-api.generated.ts), any other brings its own. The
 * credentials are checked in a `preValidation` hook, before fastify validates the request, so a caller
 * without a valid token gets 401/403 whatever its body, as from Okta.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { Principal, ResourceAuth } from '../auth/auth.ts';
import { OKTA_OPERATION_SCHEMAS } from '../schemas/okta-api.generated.ts';
import { pathOf } from './pagination.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OktaOperation {
  /** Okta's operationId (or a descriptive id for lab and undocumented routes). */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Okta's path template, e.g. `/api/v1/users/{id}`. */
  readonly path: string;
  /**
   * Management API operations: the OAuth scopes that grant the call (SSWS tokens may call everything).
   * Absent: no credentials are checked here (public endpoints, or the handler authenticates itself).
   */
  readonly scopes?: readonly string[];
  /**
   * The scopes a handler that authenticates the request itself checks (the router does not): userinfo,
   * which answers an OAuth client with RFC 6750 challenges rather than Okta's error body.
   */
  readonly handlerScopes?: readonly string[];
  /** Which published description lists the operation: Okta's management or OAuth API, or none. */
  readonly spec: 'management' | 'oauth' | 'none';
  /**
   * The route's schemas, for operations no published description lists (`spec: 'none'`): lab controls and
   * undocumented endpoints. The others' come from Okta's descriptions and cannot be given here.
   */
  readonly schema?: FastifySchema;
  /**
   * How a request the route's schema refused is answered when the handler words it better than the generic
   * mapping (core/conventions.ts). `check` runs the handler's own checks first — they throw Okta's worded
   * error, which existing clients and tests read — and the schema's verdict is answered only if they pass;
   * nothing else of the handler runs. `'handler'`: the handler reads `request.validationError` itself
   * (`/authorize`, whose refusals are redirects or an HTML page, never a JSON error).
   */
  readonly refusals?: { readonly check: (request: FastifyRequest) => unknown } | 'handler';
}

/** The schemas of an operation: generated from Okta's description, or the operation's own. */
export function schemaOf(op: OktaOperation): FastifySchema | undefined {
  if (op.spec === 'none') return op.schema;
  if (op.schema !== undefined)
    throw new TypeError(`${op.operationId}: its schemas come from Okta's ${op.spec} description`);
  return OKTA_OPERATION_SCHEMAS[op.operationId] as FastifySchema | undefined;
}

export type OktaHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal | undefined,
) => Promise<unknown>;

/** `/api/v1/users/{id}` → `/api/v1/users/:id` */
function fastifyPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

function matcher(template: string): RegExp {
  const escaped = template
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}$`);
}

export class OktaRouter {
  readonly #app: FastifyInstance;
  readonly #auth: ResourceAuth;
  readonly #operations: OktaOperation[] = [];
  readonly #byRoute = new Map<string, OktaOperation>();
  readonly #matchers: { readonly op: OktaOperation; readonly re: RegExp }[] = [];
  /** The principal the preValidation hook authenticated, for the handler. */
  readonly #principals = new WeakMap<FastifyRequest, Principal>();

  constructor(app: FastifyInstance, auth: ResourceAuth) {
    this.#app = app;
    this.#auth = auth;
  }

  /** Every operation registered, in registration order. */
  get operations(): readonly OktaOperation[] {
    return this.#operations;
  }

  /** Registers an operation; its handler gets the authenticated principal when the operation has scopes. */
  route(op: OktaOperation, handler: OktaHandler): void {
    const url = fastifyPath(op.path);
    this.#operations.push(op);
    this.#byRoute.set(`${op.method} ${url}`, op);
    this.#matchers.push({ op, re: matcher(op.path) });
    const scopes = op.scopes;
    const schema = schemaOf(op);
    const refusals = op.refusals;
    const options: RouteOptions = {
      method: op.method,
      url,
      ...(schema === undefined ? {} : { schema }),
      ...(refusals === undefined ? {} : { attachValidation: true }),
      handler: async (request, reply) => {
        if (request.validationError !== undefined && typeof refusals === 'object') {
          refusals.check(request);
          throw request.validationError;
        }
        return handler(request, reply, this.#principals.get(request));
      },
    };
    if (scopes !== undefined)
      options.preValidation = async (request) => {
        this.#principals.set(request, await this.#auth.authenticate(request, pathOf(request), scopes));
      };
    this.#app.route(options);
  }

  /** The operation a request was routed to. */
  operationOf(request: FastifyRequest): OktaOperation | undefined {
    const url = request.routeOptions.url;
    return url === undefined ? undefined : this.#byRoute.get(`${request.method} ${url}`);
  }

  /** The methods registered for a path (for 405 answers). */
  methodsFor(path: string): string[] {
    return [...new Set(this.#matchers.filter((m) => m.re.test(path)).map((m) => m.op.method))];
  }
}

/** The rate-limit bucket of an operation (`GET /api/v1/users`). */
export function bucketOf(op: OktaOperation): string {
  return `${op.method} ${op.path}`;
}
