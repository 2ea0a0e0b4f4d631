/**
 * Test fixtures for the transmitter: a transmitter mounted on a fastify app that does not listen, a
 * scripted push receiver (a fetch stub that records every request and answers as told), and helpers to
 * call the management API the way a receiver would.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { seededRandom, sequentialIds, VirtualScheduler } from '../../kernel/index.ts';
import { EVENT_URIS, generateSigningKey, type SigningKey } from '../../protocol/index.ts';
import { ssfTransmitterPlugin } from './plugin.ts';
import { Transmitter, type TransmitterOptions } from './transmitter.ts';

export const ISSUER = 'https://tx.example.com/tenant-1';
export const TOKEN_A = 'token-receiver-a';
export const TOKEN_B = 'token-receiver-b';
export const PUSH_URL = 'https://rx.example.com/ssf/events';

let cachedKey: SigningKey | undefined;
export async function testKey(): Promise<SigningKey> {
  cachedKey ??= (await generateSigningKey('RS256', { kid: 'tx-key-1' })).key;
  return cachedKey;
}

export interface PushCall {
  readonly at: number;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type PushAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | 'network-error'
  | 'hang';

/** A push receiver stub: answers each request with the next scripted answer (then 202 for ever). */
export class ScriptedReceiver {
  readonly calls: PushCall[] = [];
  readonly #answers: PushAnswer[] = [];
  readonly #scheduler: VirtualScheduler;

  constructor(scheduler: VirtualScheduler) {
    this.#scheduler = scheduler;
  }

  answer(...answers: PushAnswer[]): void {
    this.#answers.push(...answers);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    this.calls.push({
      at: this.#scheduler.now(),
      url: String(input),
      headers,
      body: String(init?.body ?? ''),
    });
    const answer = this.#answers.shift() ?? { status: 202 };
    if (answer === 'network-error')
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    if (answer === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    }
    return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers ?? {} });
  };
}

export interface Harness {
  readonly scheduler: VirtualScheduler;
  readonly receiver: ScriptedReceiver;
  readonly transmitter: Transmitter;
  readonly app: FastifyInstance;
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const SUPPORTED = [
  EVENT_URIS.sessionRevoked,
  EVENT_URIS.credentialChange,
  EVENT_URIS.deviceComplianceChange,
  EVENT_URIS.oktaDeviceRiskChange,
];

export async function harness(options: Partial<TransmitterOptions> = {}): Promise<Harness> {
  const scheduler = new VirtualScheduler();
  const receiver = new ScriptedReceiver(scheduler);
  const transmitter = new Transmitter({
    issuer: ISSUER,
    signingKey: await testKey(),
    eventsSupported: SUPPORTED,
    receivers: [
      { id: 'a', audience: 'https://rx-a.example.com', tokens: [TOKEN_A] },
      { id: 'b', audience: 'https://rx-b.example.com', tokens: [TOKEN_B] },
    ],
    scheduler,
    fetch: receiver.fetch,
    ids: sequentialIds('id'),
    random: seededRandom(7),
    ...options,
  });
  const app = Fastify();
  await app.register(ssfTransmitterPlugin, { transmitter });
  await app.ready();
  return {
    scheduler,
    receiver,
    transmitter,
    app,
    call: (method, path, body, token = TOKEN_A) =>
      app.inject({
        method,
        url: path,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    close: async () => {
      transmitter.close();
      await app.close();
    },
  };
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export const pushDelivery = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  method: 'urn:ietf:rfc:8935',
  endpoint_url: PUSH_URL,
  ...extra,
});
