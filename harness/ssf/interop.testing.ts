/**
 * Fixtures for the transmitter ↔ receiver tests over real loopback sockets. Both sides use https
 * identities (SSF requires https issuers and endpoints, and discovery insists on them); a rewriting fetch
 * maps each https origin to the 127.0.0.1 port its server listens on, so every exchange still crosses a
 * real TCP connection.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { seededRandom, VirtualScheduler } from '../kernel/index.ts';
import {
  EVENT_URIS,
  generateSigningKey,
  jwksFromUrl,
  type SigningKey,
  type StreamConfiguration,
} from '../protocol/index.ts';
import {
  discoverTransmitter,
  type ReceivedSet,
  SetIntake,
  SsfStreamClient,
  ssfPushEndpoint,
  VerificationStates,
} from './receiver/index.ts';
import { ssfTransmitterPlugin, Transmitter, type TransmitterOptions } from './transmitter/index.ts';

export const TX_ORIGIN = 'https://tx.ssf-lab.test';
export const ISSUER = `${TX_ORIGIN}/tenant-1`;
export const RX_ORIGIN = 'https://rx.ssf-lab.test';
export const PUSH_URL = `${RX_ORIGIN}/ssf/push`;
export const PUSH_AUTH = 'Bearer push-secret-7f3e';

/** A fetch that sends requests for the mapped https origins to their loopback servers. */
export function loopbackFetch(routes: Map<string, string>): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const target = routes.get(url.origin);
    return fetch(target ? `${target}${url.pathname}${url.search}` : url, init);
  };
}

/** How the receiver's push endpoint behaves, for outage tests. */
export type ReceiverMode =
  | { kind: 'up' }
  | { kind: 'status'; status: number; headers?: Record<string, string> };

export interface ReceiverSide {
  readonly app: FastifyInstance;
  readonly intake: SetIntake;
  readonly verification: VerificationStates;
  readonly client: SsfStreamClient;
  /** Every SET the receiver processed, in order (one entry per processing). */
  readonly processed: ReceivedSet[];
  /** Scripted answers for the next pushes; after them the endpoint is up. */
  readonly modes: ReceiverMode[];
  /** Requests whose 202 is held back until `release()` (the receiver processed them but the answer is late). */
  holdReplies: number;
  release(): void;
  requests: number;
}

export interface Interop {
  readonly scheduler: VirtualScheduler;
  readonly transmitter: Transmitter;
  readonly fetch: typeof fetch;
  readonly a: ReceiverSide;
  readonly b: ReceiverSide;
  close(): Promise<void>;
}

let key: SigningKey | undefined;
export async function transmitterKey(): Promise<SigningKey> {
  key ??= (await generateSigningKey('RS256', { kid: 'tx-1' })).key;
  return key;
}

async function listen(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return address.replace('localhost', '127.0.0.1');
}

export async function startInterop(options: Partial<TransmitterOptions> = {}): Promise<Interop> {
  const scheduler = new VirtualScheduler();
  const routes = new Map<string, string>();
  const fetchVia = loopbackFetch(routes);
  const transmitter = new Transmitter({
    issuer: ISSUER,
    signingKey: await transmitterKey(),
    eventsSupported: [
      EVENT_URIS.sessionRevoked,
      EVENT_URIS.credentialChange,
      EVENT_URIS.deviceComplianceChange,
    ],
    receivers: [
      { id: 'a', audience: `${RX_ORIGIN}/a`, tokens: ['mgmt-a'] },
      { id: 'b', audience: `${RX_ORIGIN}/b`, tokens: ['mgmt-b'] },
    ],
    scheduler,
    fetch: fetchVia,
    random: seededRandom(1),
    retry: { timeoutMs: 5000 },
    ...options,
  });
  const txApp = Fastify();
  await txApp.register(ssfTransmitterPlugin, { transmitter });
  routes.set(TX_ORIGIN, await listen(txApp));

  const rxApp = Fastify();
  const metadata = await discoverTransmitter(ISSUER, { fetch: fetchVia });
  const keys = jwksFromUrl(metadata.jwks_uri ?? '', { fetch: fetchVia, clock: scheduler });

  const side = (name: 'a' | 'b', token: string): ReceiverSide => {
    const verification = new VerificationStates();
    const processed: ReceivedSet[] = [];
    const intake = new SetIntake({
      profile: 'ssf',
      keys,
      expectedIssuer: ISSUER,
      expectedAudience: `${RX_ORIGIN}/${name}`,
      verification,
      scheduler,
      onSet: (set) => {
        processed.push(set);
      },
    });
    const client = new SsfStreamClient({
      metadata,
      auth: { bearer: token },
      fetch: fetchVia,
      verification,
      scheduler,
    });
    let releaseHeld: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      releaseHeld = resolve;
    });
    const s: ReceiverSide = {
      app: rxApp,
      intake,
      verification,
      client,
      processed,
      modes: [],
      holdReplies: 0,
      release: () => releaseHeld(),
      requests: 0,
    };
    void rxApp.register(async (scope) => {
      scope.addHook('onRequest', async (_request, reply) => {
        s.requests += 1;
        const mode = s.modes.shift();
        if (mode?.kind === 'status') {
          await reply
            .code(mode.status)
            .headers(mode.headers ?? {})
            .send();
        }
      });
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (reply.statusCode === 202 && s.holdReplies > 0) {
          s.holdReplies -= 1;
          await held;
        }
        return payload;
      });
      await scope.register(ssfPushEndpoint, { path: `/ssf/push/${name}`, intake, authorization: PUSH_AUTH });
    });
    return s;
  };
  const a = side('a', 'mgmt-a');
  const b = side('b', 'mgmt-b');
  routes.set(RX_ORIGIN, await listen(rxApp));

  return {
    scheduler,
    transmitter,
    fetch: fetchVia,
    a,
    b,
    close: async () => {
      a.release();
      b.release();
      transmitter.close();
      await Promise.all([txApp.close(), rxApp.close()]);
    },
  };
}

export function pushConfigFor(name: 'a' | 'b'): Record<string, unknown> {
  return {
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpoint_url: `${PUSH_URL}/${name}`,
      authorization_header: PUSH_AUTH,
    },
  };
}

export function streamIdOf(config: StreamConfiguration | { pending: true }): string {
  if ('pending' in config) throw new TypeError('the transmitter answered 202 pending');
  return config.stream_id;
}
