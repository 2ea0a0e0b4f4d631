/**
 * Mock Okta org, part A: the Management API conventions (Okta's error object, request ids, rate-limit
 * headers, cursor pagination), SSWS and OAuth 2.0 service-app authentication (private_key_jwt, scopes,
 * DPoP), the directory generated from the lab fleet, Okta sessions, the Apps API for OpenID Connect apps,
 * the sign-in a native app runs (Authentication API, `/authorize` with PKCE, `/token`, ID tokens), and the
 * System Log. See README.md for every endpoint and every lab choice. Part B (security events providers,
 * risk, ENTITY_RISK policy, Universal Logout) plugs in through `plugins` and the `org` state object.
 * @module
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type FleetOptions, sharedFleet } from '../../harness/fleet/index.ts';
import {
  type DeviationSwitch,
  type IdSource,
  randomIds,
  rememberLabCredential,
  type Scheduler,
  systemScheduler,
} from '../../harness/kernel/index.ts';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { addSchemaDocuments, createHttpFetch, useRouteSchemas } from '../../harness/ssf/index.ts';
import { appsRoutes } from './apps/apps-routes.ts';
import { ResourceAuth } from './auth/auth.ts';
import { Dpop } from './auth/dpop.ts';
import type { OktaContext, OktaPlugin } from './core/context.ts';
import { frameworkErrorsFor, installConventions } from './core/conventions.ts';
import { secretToken } from './core/ids.ts';
import { type OktaOperation, OktaRouter } from './core/operations.ts';
import { OktaOrg } from './core/org.ts';
import { RateLimiter, type RateLimitOptions } from './core/rate-limit.ts';
import { directoryRoutes } from './directory/directory-routes.ts';
import { entityRiskPlugin } from './itp/entity-risk.ts';
import type { RiskEngineOptions } from './itp/risk-engine.ts';
import { itpReceivingPlugin } from './itp/set-receiver.ts';
import { labRoutes } from './lab/lab-routes.ts';
import { authnRoutes } from './oidc/authn.ts';
import { authorizeRoutes } from './oidc/authorize.ts';
import { discoveryRoutes } from './oidc/discovery.ts';
import { tokenRoutes } from './oidc/token-endpoint.ts';
import { userinfoRoutes } from './oidc/userinfo.ts';
import { OKTA_API_DOCUMENTS } from './schemas/okta-api.generated.ts';
import { systemLogRoutes } from './system-log/system-log-routes.ts';

/**
 * The password every fleet user signs in with unless `userPassword` says otherwise. A fixed lab value, yet
 * a credential: buildOktaMock registers the org's password as an issued secret, so output redacts it.
 */
// Only characters a credential is made of (kernel/issued-secrets.ts finds runs of them), so output that
// carries it is redacted whole.
export const OKTA_LAB_PASSWORD = 'Okta-Lab-Passw0rd-15';
export const DEFAULT_ORG_URL = 'https://acme.okta.lab';

export interface OktaMockOptions {
  /** The org URL, also the issuer of the org authorization server (default `https://acme.okta.lab`). */
  readonly orgUrl?: string;
  /** The fleet whose users are the org's users (same seed as mock Jamf Pro and Jamf Security Cloud). */
  readonly fleet?: FleetOptions;
  /** Time: the clock and timers (a kernel Scheduler; default real time, `systemScheduler`). */
  readonly clock?: Scheduler;
  /** Ids of created objects and log events (default random UUIDs). */
  readonly ids?: IdSource;
  /** The org's signing key for ID tokens, access tokens and JWKS (default a new RS256 key). */
  readonly signingKey?: SigningKey;
  /** Per-minute limits; given, requests over them get 429 E0000047 (default: counted, never refused). */
  readonly rateLimit?: RateLimitOptions;
  /** The lab admin's SSWS API token (default a random `00…` token; a secret either way). */
  readonly apiToken?: string;
  /** The password of every fleet user (default OKTA_LAB_PASSWORD). */
  readonly userPassword?: string;
  /** Outbound HTTP (a service app's `jwks_uri`; part B's JWKS fetches and logout calls). */
  readonly fetch?: typeof fetch;
  /** Most System Log events kept (default 10,000; the oldest go first). */
  readonly systemLogCap?: number;
  /** Route modules added after part A's, on the same app (part B). */
  readonly plugins?: readonly OktaPlugin[];
  /** The risk engine: the level a reset after a policy action leaves (default LOW), history kept per user. */
  readonly risk?: RiskEngineOptions;
  /**
   * Rules the org breaks on purpose, asked at the moment each is followed (OKTA_DEVIATIONS,
   * docs/self-test.md): the lab passes its switch. Default none — the org follows Okta's behaviour.
   */
  readonly deviations?: DeviationSwitch;
}

export interface OktaMock {
  /** The fastify app, not listening: `inject()` it, or `listen()` on a port matching `orgUrl`. */
  readonly app: FastifyInstance;
  readonly org: OktaOrg;
  /** The lab admin's SSWS API token: a secret for the lab manifest and clients, never for logs. */
  readonly apiToken: string;
  /** The password every user of the org signs in with: a credential, for the lab manifest, never for logs. */
  readonly userPassword: string;
  /** Every operation served (Okta operationId, method, path template, scopes). */
  readonly operations: readonly OktaOperation[];
  close(): Promise<void>;
}

function normalizeOrgUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`orgUrl must be an absolute http(s) URL, not ${JSON.stringify(raw)}`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname.replace(/\/+$/, '') !== '' ||
    url.search
  )
    throw new RangeError(
      `orgUrl must be an http(s) origin without a path or query, not ${JSON.stringify(raw)}`,
    );
  return url.origin;
}

/** Builds the mock org as a fastify app that does not listen. */
export async function buildOktaMock(options: OktaMockOptions = {}): Promise<OktaMock> {
  const scheduler = options.clock ?? systemScheduler;
  const userPassword = rememberLabCredential(options.userPassword ?? OKTA_LAB_PASSWORD);
  const org = new OktaOrg({
    orgUrl: normalizeOrgUrl(options.orgUrl ?? DEFAULT_ORG_URL),
    fleet: sharedFleet(options.fleet ?? {}),
    scheduler,
    ids: options.ids ?? randomIds,
    signingKey: options.signingKey ?? (await generateSigningKey('RS256')).key,
    userPassword,
    fetch: options.fetch ?? createHttpFetch(),
    ...(options.systemLogCap === undefined ? {} : { systemLogCap: options.systemLogCap }),
    ...(options.deviations === undefined ? {} : { deviations: options.deviations }),
  });
  // Okta request ids are 27 characters; they are not secret but carry no state either.
  const app = Fastify({
    genReqId: () => secretToken('', 20),
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: frameworkErrorsFor(org),
  });
  // Every route declares its schemas (README, "Schemas"): Okta's components are what they `$ref`.
  addSchemaDocuments(OKTA_API_DOCUMENTS);
  useRouteSchemas(app);
  const dpop = new Dpop(() => scheduler.now());
  const auth = new ResourceAuth(org, dpop);
  const apiToken = rememberLabCredential(options.apiToken ?? secretToken('00', 30));
  auth.addApiToken(apiToken, org.admin);
  const router = new OktaRouter(app, auth);
  installConventions(app, {
    org,
    router,
    limiter: new RateLimiter(() => scheduler.now(), options.rateLimit),
  });

  const context: OktaContext = { app, org, router, auth, dpop };
  for (const plugin of [
    discoveryRoutes,
    authnRoutes,
    authorizeRoutes,
    tokenRoutes,
    userinfoRoutes,
    directoryRoutes,
    appsRoutes,
    systemLogRoutes,
    labRoutes,
    itpReceivingPlugin(options.risk),
    entityRiskPlugin,
    ...(options.plugins ?? []),
  ]) {
    await plugin(context);
  }
  await app.ready();
  return {
    app,
    org,
    apiToken,
    userPassword,
    operations: router.operations,
    close: async () => {
      await app.close();
    },
  };
}

export type { Principal } from './auth/auth.ts';
export type { OktaContext, OktaPlugin } from './core/context.ts';
export { actorOf } from './core/context.ts';
export { originOf } from './core/conventions.ts';
export * from './core/errors.ts';
export type { OktaOperation } from './core/operations.ts';
export { OktaOrg } from './core/org.ts';
export { limitParam, pageById, queryOf, setLinks } from './core/pagination.ts';
export type { RateLimitOptions } from './core/rate-limit.ts';
export { OKTA_DEVIATIONS, type OktaDeviation } from './deviations.ts';
export { type RiskEngine, type RiskEngineOptions, riskEngineOf } from './itp/risk-engine.ts';
export type { LogActor, LogEvent, LogEventInput, LogEventType, LogTarget } from './system-log/system-log.ts';
export { SYSTEM_PRINCIPAL } from './system-log/system-log.ts';
