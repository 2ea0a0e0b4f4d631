/**
 * Shared fixtures for the receiver's tests: a Transmitter issuer and a Receiver audience, real signing keys
 * (the Transmitter's, an impostor claiming its kid, and an unpublished one), and builders for real signed
 * SETs — a CAEP session-revoked and SSF Verification events — stamped in a given scheduler's time.
 */
import type { Scheduler } from '../../kernel/index.ts';
import {
  buildEventSet,
  EVENT_URIS,
  exampleEventFor,
  generateSigningKey,
  jwksFromObject,
  type KeySource,
  type SigningKey,
  signSet,
} from '../../protocol/index.ts';

export const ISS = 'https://transmitter.example.com/tenant-1';
export const AUD = 'https://receiver.example.com';
export const STREAM_ID = 'stream-7f3a';

export interface ReceiverTestKeys {
  /** The Transmitter's key, published in `source`. */
  readonly transmitter: SigningKey;
  /** A different key that claims the Transmitter's kid: its signatures do not verify. */
  readonly impostor: SigningKey;
  /** A key whose kid is not in the Transmitter's JWKS. */
  readonly unpublished: SigningKey;
  readonly source: KeySource;
}

/**
 * ES256 keys: generating one takes a millisecond where an RSA-2048 key can take a second, and the
 * receiver's behaviour does not depend on the algorithm (the validator's own tests cover RS256 in depth).
 */
export async function makeReceiverKeys(): Promise<ReceiverTestKeys> {
  const [transmitter, impostor, unpublished] = await Promise.all([
    generateSigningKey('ES256', { kid: 'tx-1' }),
    generateSigningKey('ES256', { kid: 'tx-1' }),
    generateSigningKey('ES256', { kid: 'unknown-9' }),
  ]);
  return {
    transmitter: transmitter.key,
    impostor: impostor.key,
    unpublished: unpublished.key,
    source: jwksFromObject({ keys: [transmitter.key.publicJwk] }),
  };
}

export interface SetOverrides {
  readonly jti?: string;
  readonly iss?: string;
  readonly aud?: string;
  readonly subject?: Readonly<Record<string, unknown>>;
  readonly key?: SigningKey;
}

/** A valid CAEP session-revoked SET under the `ssf` profile, signed by the Transmitter unless overridden. */
export async function sessionRevokedSet(
  keys: ReceiverTestKeys,
  scheduler: Scheduler,
  overrides: SetOverrides = {},
): Promise<string> {
  const example = exampleEventFor(EVENT_URIS.sessionRevoked);
  const claims = buildEventSet(
    {
      iss: overrides.iss ?? ISS,
      aud: overrides.aud ?? AUD,
      eventType: EVENT_URIS.sessionRevoked,
      payload: example.payload,
      subject: overrides.subject ?? example.subject,
      txn: 'txn-1',
      ...(overrides.jti === undefined ? {} : { jti: overrides.jti }),
    },
    { clock: scheduler },
  );
  return signSet(claims, overrides.key ?? keys.transmitter);
}

/** A Verification SET for `streamId`, with `state` when given (without it: an unsolicited one). */
export async function verificationSet(
  keys: ReceiverTestKeys,
  scheduler: Scheduler,
  options: { readonly streamId?: string; readonly state?: string; readonly jti?: string } = {},
): Promise<string> {
  const claims = buildEventSet(
    {
      iss: ISS,
      aud: AUD,
      eventType: EVENT_URIS.verification,
      payload: options.state === undefined ? {} : { state: options.state },
      subject: { format: 'opaque', id: options.streamId ?? STREAM_ID },
      txn: 'txn-v',
      ...(options.jti === undefined ? {} : { jti: options.jti }),
    },
    { clock: scheduler },
  );
  return signSet(claims, keys.transmitter);
}

/** One request seen by `recordingFetch`. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The clock's time when the request was made. */
  readonly at: number;
  readonly redirect: RequestInit['redirect'];
}

export type Responder = (request: RecordedRequest, index: number) => Response | Promise<Response>;

/**
 * A `fetch` that records every request and answers with `responder`. It honours the request's abort
 * signal like the real one, so time limits can be tested with a responder that never answers.
 */
export function recordingFetch(
  responder: Responder,
  clock: { now(): number } = { now: () => Date.now() },
): { readonly fetch: typeof fetch; readonly requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fake = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request: RecordedRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
      at: clock.now(),
      redirect: init.redirect,
    };
    requests.push(request);
    const signal = init.signal;
    if (signal?.aborted) throw signal.reason;
    const answer = Promise.resolve(responder(request, requests.length - 1));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      answer.then(resolve, reject);
    });
  };
  return { fetch: fake as typeof fetch, requests };
}

/** A JSON response (`application/json`), or an empty one for 204. */
export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A promise that never settles: a server that never answers. */
export function never(): Promise<Response> {
  return new Promise(() => {});
}

/** Waits in real time (briefly) until `condition` holds: for work on the crypto thread pool to finish. */
export async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}
