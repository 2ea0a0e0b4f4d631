/**
 * Mock Jamf Security Cloud: scores devices from threats, transmits RISK_LEVEL_CHANGED and
 * DEVICE_COMPLIANCE_CHANGE over SSF, and signals risk back into Jamf Pro through UEM Connect. See README.md
 * for every endpoint and every choice made where Jamf publishes nothing.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
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
import {
  createHttpFetch,
  ssfTransmitterPlugin,
  Transmitter,
  type TransmitterOptions,
  useRouteSchemas,
} from '../../harness/ssf/index.ts';
import { Identity } from './identity.ts';
import { type AppCredential, RadarAuth } from './radar-auth.ts';
import { jscRoutes } from './routes.ts';
import { SSF_SUPPORTED, SsfIntegrations } from './ssf-integration.ts';
import { JscTenant } from './tenant.ts';
import { UemConnect } from './uem-connect.ts';

export interface JscMockOptions {
  /** Public origin of the mock (default `https://jsc.lab`); the SSF issuer is `<baseUrl>/sse/<customerId>`. */
  readonly baseUrl?: string;
  /** Tenant id (default derived from the fleet seed). */
  readonly customerId?: string;
  /** Radar API applications (default one, `lab-app` (JSC_LAB_APP_ID), with a random secret). */
  readonly apps?: readonly AppCredential[];
  /** SET signing key (default a new RS256 key). */
  readonly signingKey?: SigningKey;
  /** The fleet this tenant's devices come from (same seed as the Jamf Pro mock). */
  readonly fleet?: FleetOptions;
  /** Time: the clock and timers (a kernel Scheduler; default real time, `systemScheduler`). */
  readonly clock?: Scheduler;
  /** Outbound HTTP: pushes to receivers, Jamf Pro, the identity provider (default node:http). */
  readonly fetch?: typeof fetch;
  readonly ids?: IdSource;
  /** Password a lab activation uses when it gives none. */
  readonly defaultUserPassword?: string;
  /** Radar API requests per application per second (default: no limit). */
  readonly rateLimitPerSecond?: number;
  /** Rules its SSF transmitter breaks on purpose (TRANSMITTER_DEVIATIONS; default none). */
  readonly deviations?: DeviationSwitch;
  /**
   * Its SSF transmitter's limits: push retries (the Retry-After cap, default 5 min), streams per receiver
   * token (default 25) and SET records kept for `/_lab/sets` (default 10,000); and `defaultSubjects`, what
   * a new stream carries before its receiver adds or removes subjects (SSF §7.1: `ALL`, default, or `NONE`).
   */
  readonly ssf?: Pick<
    TransmitterOptions,
    'retry' | 'maxStreamsPerReceiver' | 'ledgerCap' | 'defaultSubjects'
  >;
}

export interface JscMock {
  readonly app: FastifyInstance;
  readonly transmitter: Transmitter;
  readonly tenant: JscTenant;
  readonly uem: UemConnect;
  readonly customerId: string;
  readonly issuer: string;
  /** The Radar API applications (secrets: for the lab manifest, never for logs). */
  readonly apps: readonly AppCredential[];
  close(): Promise<void>;
}

/** The id of the Radar API application a tenant has unless `apps` says otherwise. */
export const JSC_LAB_APP_ID = 'lab-app';

/** Builds the mock as a fastify app that does not listen. */
export async function buildJscMock(options: JscMockOptions = {}): Promise<JscMock> {
  const scheduler = options.clock ?? systemScheduler;
  const ids = options.ids ?? randomIds;
  const fleet = sharedFleet(options.fleet ?? {});
  const seedHash = createHash('sha256').update(`jsc-customer:${fleet.seed}`).digest('hex');
  const customerId =
    options.customerId ??
    `${seedHash.slice(0, 8)}-${seedHash.slice(8, 12)}-4${seedHash.slice(13, 16)}-8${seedHash.slice(17, 20)}-${seedHash.slice(20, 32)}`;
  const baseUrl = (options.baseUrl ?? 'https://jsc.lab').replace(/\/+$/, '');
  const issuer = `${baseUrl}/sse/${customerId}`;
  const fetchImpl = options.fetch ?? createHttpFetch();
  const apps = options.apps ?? [{ appId: JSC_LAB_APP_ID, appSecret: randomBytes(24).toString('base64url') }];
  // Remembered as issued so recorders redact them by value (harness/kernel/issued-secrets.ts).
  for (const app of apps) rememberLabCredential(app.appSecret);
  const transmitter = new Transmitter({
    issuer,
    signingKey: options.signingKey ?? (await generateSigningKey('RS256')).key,
    eventsSupported: SSF_SUPPORTED,
    receivers: [],
    scheduler,
    fetch: fetchImpl,
    ids,
    ...(options.deviations === undefined ? {} : { deviations: options.deviations }),
    ...options.ssf,
  });
  const now = (): number => scheduler.now();
  const integrations = new SsfIntegrations(transmitter, now);
  const tenant = new JscTenant({ customerId, scheduler, ids, fleet, integrations });
  const uem = new UemConnect({ tenant, scheduler, fetch: fetchImpl, ids });
  const identity = new Identity(fetchImpl, now, ids);
  const auth = new RadarAuth(apps, customerId, scheduler);

  const app = Fastify();
  // Every route declares its schemas (route-schemas.ts, and the transmitter plugin's own).
  useRouteSchemas(app);
  await app.register(ssfTransmitterPlugin, { transmitter });
  await app.register(jscRoutes, {
    tenant,
    transmitter,
    integrations,
    uem,
    identity,
    auth,
    now,
    ids,
    ...(options.defaultUserPassword === undefined
      ? {}
      : { defaultUserPassword: options.defaultUserPassword }),
    ...(options.rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond: options.rateLimitPerSecond }),
  });
  await app.ready();
  return {
    app,
    transmitter,
    tenant,
    uem,
    customerId,
    issuer,
    apps,
    close: async () => {
      uem.close();
      transmitter.close();
      await app.close();
    },
  };
}

export { JAMF_TRUST_POST_LOGOUT_REDIRECT_URI, JAMF_TRUST_REDIRECT_URI } from './identity.ts';
export { JSC_EVENTS, type StreamFormat } from './ssf-integration.ts';
