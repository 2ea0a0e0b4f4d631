/**
 * Mock downstream apps — Salesforce, Google Workspace, Microsoft Office 365 — each with the Global Token
 * Revocation endpoint Okta's Universal Logout calls (draft-parecki-oauth-global-token-revocation), its own
 * sessions and tokens to revoke, and lab controls under `/_lab/`. `buildAppMock` returns a ready fastify
 * app that does not listen (`inject()` it, put msw in front, or `listen()` yourself) and a handle. See
 * README.md for every endpoint and every choice made where the draft and the vendors are silent.
 * @module
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type FleetOptions, sharedFleet } from '../../harness/fleet/index.ts';
import {
  type DeviationSwitch,
  HarnessError,
  type IdSource,
  NO_DEVIATIONS,
  randomIds,
  type Scheduler,
  systemClock,
} from '../../harness/kernel/index.ts';
import { jwksFromUrl, type RemoteJwksOptions } from '../../harness/protocol/index.ts';
import { useRouteSchemas } from '../../harness/ssf/index.ts';
import { appRoutes } from './app-routes.ts';
import { NORMAL_BEHAVIOUR } from './behaviour.ts';
import { type AppContext, type AppStateView, resetContext, stateView } from './context.ts';
import { AppDirectory } from './directory.ts';
import { GtrLedger, type GtrRecord } from './gtr-ledger.ts';
import { SUBJECT_FORMATS, type SubjectFormat } from './gtr-request.ts';
import { gtrRoutes } from './gtr-route.ts';
import { GtrTokenVerifier } from './gtr-token.ts';
import { installHttpBasics } from './http.ts';
import { labRoutes } from './lab-routes.ts';
import {
  APP_PROFILES,
  type AppKind,
  DEFAULT_GTR_PATH,
  DEFAULT_LIFETIMES,
  isAppKind,
  type Lifetimes,
} from './profiles.ts';
import { ReplayCache } from './replay-cache.ts';
import { SessionStore, type SessionView } from './sessions.ts';
import { TrustedIssuers, trustedIssuerRoutes } from './trusted-issuers.ts';

export type { Behaviour, ForcibleStatus } from './behaviour.ts';
export type { AppStateView } from './context.ts';
export { APP_DEVIATIONS, type AppDeviation } from './deviations.ts';
export type { GtrOutcome, GtrRecord } from './gtr-ledger.ts';
export type { SubjectFormat, SubjectKey, SubjectRef } from './gtr-request.ts';
export { GTR_ALGORITHMS, GTR_TYP } from './gtr-token.ts';
export {
  APP_KINDS,
  APP_PROFILES,
  type AppKind,
  type AppProfile,
  DEFAULT_GTR_PATH,
  type Lifetimes,
} from './profiles.ts';
export type { CredentialState, CredentialView, EndedBy, RevocationCounts, SessionView } from './sessions.ts';

export interface AppMockOptions {
  readonly kind: AppKind;
  /** Public base URL, no path (default per kind: https://acme.my.salesforce.lab, https://workspace.google.lab, https://outlook.office365.lab). */
  readonly origin?: string;
  /** Path of the Global Token Revocation endpoint (default `/oauth/global-token-revocation`). */
  readonly gtrPath?: string;
  /** The Okta org URL; the GTR JWT's `iss` must equal it (default `https://acme.okta.lab`). */
  readonly oktaIssuer?: string;
  /** What Okta puts in the GTR JWT's `sub`: the app's OIDC client_id or SAML appInstanceId (default per kind). */
  readonly clientId?: string;
  /** Where the org's signing keys are (default `${oktaIssuer}/oauth2/v1/keys`). */
  readonly jwksUrl?: string;
  /** All outbound HTTP, i.e. the JWKS fetch (default the global fetch). */
  readonly fetch?: typeof fetch;
  /** JWKS cache tuning (defaults: 10 min cache, refetch for an unknown kid at most every 30 s). */
  readonly jwks?: Omit<RemoteJwksOptions, 'fetch' | 'clock'>;
  /** The lab fleet whose users the app knows by email (same seed as the other mocks; default seed 1). */
  readonly fleet?: FleetOptions;
  /**
   * Time for JWT checks, credential lifetimes and records: a kernel Scheduler, the `clock` every mock
   * takes (this one only reads `now()`; default the system clock).
   */
  readonly clock?: Scheduler;
  /** Leeway for `exp`, `nbf` and `iat` (default 60 s). */
  readonly clockSkewSeconds?: number;
  /** The subject format this app is configured for in Okta: `email` (default) or `iss_sub`. */
  readonly subjectFormat?: SubjectFormat;
  /** Partial Universal Logout: revoke refresh tokens only (default true for office365, false otherwise). */
  readonly partial?: boolean;
  /** Credential lifetimes in seconds (default: access token 1 h, session 8 h, refresh token 90 days). */
  readonly lifetimes?: Partial<Lifetimes>;
  /** Session ids (default random UUIDs). */
  readonly ids?: IdSource;
  /**
   * Rules the app breaks on purpose, asked at the moment each is followed (APP_DEVIATIONS,
   * docs/self-test.md): the lab passes its switch. Default none — the endpoint follows the draft.
   */
  readonly deviations?: DeviationSwitch;
}

export interface AppMock {
  /** The fastify app (ready, not listening). */
  readonly app: FastifyInstance;
  readonly kind: AppKind;
  /** Display name: Salesforce, Google Workspace, Microsoft Office 365. */
  readonly label: string;
  readonly origin: string;
  /** The absolute URL Okta must call and put in the JWT's `aud`. */
  readonly gtrEndpoint: string;
  readonly clientId: string;
  readonly oktaIssuer: string;
  readonly jwksUrl: string;
  readonly subjectFormat: SubjectFormat;
  readonly partial: boolean;
  /** Sessions and their tokens (states only, no secrets), of one user when `email` is given. */
  sessions(email?: string): SessionView[];
  /** The GTR request record (no tokens), oldest first. */
  gtrRequests(): readonly GtrRecord[];
  state(): AppStateView;
  /** Back to the app as built (same as `POST /_lab/reset`). */
  reset(): void;
  close(): Promise<void>;
}

function usage(message: string): HarnessError {
  return new HarnessError('ERR_USAGE', `buildAppMock: ${message}`);
}

/** An absolute http(s) URL with nothing after the host; trailing slash removed. */
function originOption(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usage(`${name} must be an absolute URL, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage(`${name} must be an http(s) URL`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw usage(`${name} must be an origin with no path, query or fragment, not ${JSON.stringify(value)}`);
  return url.origin;
}

/** The Okta org URL as Okta writes it in `iss`: absolute http(s), no query or fragment, no trailing slash. */
function issuerOption(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usage(`oktaIssuer must be an absolute URL, not ${JSON.stringify(value)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '')
    throw usage(`oktaIssuer must be an http(s) URL with no query or fragment, not ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '');
}

function lifetimesOption(given: Partial<Lifetimes> | undefined): Lifetimes {
  const lifetimes = { ...DEFAULT_LIFETIMES, ...given };
  for (const [name, seconds] of Object.entries(lifetimes))
    if (!Number.isSafeInteger(seconds) || seconds <= 0)
      throw usage(`lifetimes.${name} must be a positive integer`);
  return lifetimes;
}

/** Builds one app mock; the returned app is ready and does not listen. */
export async function buildAppMock(options: AppMockOptions): Promise<AppMock> {
  if (!isAppKind(options.kind)) throw usage(`kind must be salesforce, google-workspace or office365`);
  const profile = APP_PROFILES[options.kind];
  const origin = originOption('origin', options.origin ?? profile.origin);
  const gtrPath = options.gtrPath ?? DEFAULT_GTR_PATH;
  if (!/^\/[\w\-./~]*$/.test(gtrPath) || gtrPath.startsWith('/_lab'))
    throw usage(`gtrPath must be a plain absolute path outside /_lab, not ${JSON.stringify(gtrPath)}`);
  const oktaIssuer = issuerOption(options.oktaIssuer ?? 'https://acme.okta.lab');
  const jwksUrl = options.jwksUrl ?? `${oktaIssuer}/oauth2/v1/keys`;
  const clientId = options.clientId ?? profile.clientId;
  if (clientId === '') throw usage('clientId must not be empty');
  const subjectFormat = options.subjectFormat ?? 'email';
  if (!SUBJECT_FORMATS.includes(subjectFormat)) throw usage(`subjectFormat must be email or iss_sub`);
  const clockSkewSeconds = options.clockSkewSeconds ?? 60;
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) throw usage('clockSkewSeconds must be ≥ 0');
  const clock = options.clock ?? systemClock;
  const fleet = sharedFleet(options.fleet ?? {});
  const lifetimes = lifetimesOption(options.lifetimes);
  const gtrEndpoint = `${origin}${gtrPath}`;
  const replay = new ReplayCache({ now: () => clock.now() });
  const deviations = options.deviations ?? NO_DEVIATIONS;

  const ctx: AppContext = {
    kind: profile.kind,
    label: profile.label,
    origin,
    gtrPath,
    gtrEndpoint,
    oktaIssuer,
    jwksUrl,
    clientId,
    subjectFormat,
    partial: options.partial ?? profile.partial,
    cookieName: profile.cookieName,
    lifetimes,
    clockSkewSeconds,
    fleetSeed: fleet.seed,
    clock,
    directory: new AppDirectory(fleet),
    sessions: new SessionStore({ now: () => clock.now(), ids: options.ids ?? randomIds, lifetimes }),
    ledger: new GtrLedger(),
    replay,
    verifier: new GtrTokenVerifier(
      jwksFromUrl(jwksUrl, { ...options.jwks, clock, ...(options.fetch ? { fetch: options.fetch } : {}) }),
      { issuer: oktaIssuer, audience: gtrEndpoint, clientId, clockSkewSeconds, clock },
      replay,
      deviations,
    ),
    trustedIssuers: new TrustedIssuers({
      audience: gtrEndpoint,
      clockSkewSeconds,
      clock,
      replay,
      deviations,
      remoteKeys: (url) =>
        jwksFromUrl(url, { ...options.jwks, clock, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    }),
    behaviour: NORMAL_BEHAVIOUR,
    deviations,
  };

  const app = Fastify({ logger: false });
  // Every route declares its schemas (route-schemas.ts).
  useRouteSchemas(app);
  installHttpBasics(app);
  // The context travels wrapped: plugin options may be copied, and the lab mutates ctx.behaviour.
  await app.register(appRoutes, { ctx });
  await app.register(labRoutes, { ctx });
  await app.register(trustedIssuerRoutes, { ctx });
  // Its own scope: the endpoint reads raw bodies and records every request.
  await app.register(gtrRoutes, { ctx });
  await app.ready();

  return {
    app,
    kind: ctx.kind,
    label: ctx.label,
    origin,
    gtrEndpoint,
    clientId,
    oktaIssuer,
    jwksUrl,
    subjectFormat,
    partial: ctx.partial,
    sessions: (email) => {
      const user = email === undefined ? undefined : ctx.directory.byEmail(email);
      if (email !== undefined && !user) return [];
      return ctx.sessions.list(user?.email);
    },
    gtrRequests: () => [...ctx.ledger.list()],
    state: () => stateView(ctx),
    reset: () => resetContext(ctx, NORMAL_BEHAVIOUR),
    close: () => app.close(),
  };
}
