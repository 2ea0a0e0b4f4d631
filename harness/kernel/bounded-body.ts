/**
 * One bounded reader for every HTTP body the lab reads from someone else — a mock's outbound answer, an
 * engine's, a plan's, a request relayed in-process. A body is read chunk by chunk and never held past
 * its cap plus the one chunk that crossed it: a declared `Content-Length` over the cap is refused before
 * a byte is read, and a stream that grows past the cap is cancelled at once (which closes the connection,
 * so the sender stops too). An optional AbortSignal bounds the read in time as well.
 *
 * The caps live in one table, `BODY_CAPS`, named for what the body is; README's "Limits" table lists them.
 */
import type { Readable } from 'node:stream';
import { takeWholeBody } from './whole-body.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The most each kind of body may hold, in bytes. A body over its cap is refused (or, for the recorder
 * and error excerpts, cut), never buffered whole.
 */
export const BODY_CAPS = {
  /** A SET (RFC 8417): no SET needs more (the validator's LAB-SIZE limit). */
  set: 64 * KiB,
  /** A JWK Set fetched from a `jwks_uri` (validator, Okta, apps, JSC). */
  jwks: 256 * KiB,
  /** A discovery document: SSF transmitter metadata, OpenID Connect `.well-known`. */
  discovery: 64 * KiB,
  /** An OAuth token endpoint's answer. */
  tokenAnswer: 64 * KiB,
  /** An SSF stream-management answer (stream configuration, status, subjects, verification). */
  streamAnswer: 1 * MiB,
  /** An SSF poll answer (RFC 8936): up to `maxEvents` SETs at once. */
  pollAnswer: 8 * MiB,
  /** A Universal Logout endpoint's or delegated flow's answer: only its status and an error matter. */
  logoutAnswer: 16 * KiB,
  /** A push endpoint's answer to a SET: normally empty; read only so the connection can be reused. */
  pushAnswer: 64 * KiB,
  /** A 4xx/5xx answer's body, read for its error code and message. */
  errorBody: 16 * KiB,
  /** A vendor API's answer (Okta, Jamf Pro, JSC) read by a client, the runner or a plan. */
  apiAnswer: 4 * MiB,
  /** A request body a client of this process sends to an in-process lab service (msw relay). */
  labRequest: 1 * MiB,
  /** The part of a body the timeline keeps per message (the rest is cut, and the record says so). */
  record: 16 * KiB,
} as const;

export type BodyPurpose = keyof typeof BODY_CAPS;

/** A body over its cap: the stream was cancelled (or never read) when this is thrown. */
export class BodyTooLargeError extends Error {
  /** The cap that was passed, in bytes. */
  readonly limit: number;
  /** The `Content-Length` the sender declared, when that is what refused it. */
  readonly declared: number | undefined;

  constructor(limit: number, declared?: number) {
    super(
      declared === undefined
        ? `the body is larger than ${limit} bytes`
        : `the body declares ${declared} bytes; at most ${limit} are read`,
    );
    this.name = 'BodyTooLargeError';
    this.limit = limit;
    this.declared = declared;
  }
}

/** What a body can be read from: a fetch Response or Request, a web stream, or a Node stream (IncomingMessage). */
export type BodySource = Response | Request | ReadableStream<Uint8Array> | Readable;

export interface ReadBodyOptions {
  /** Stops the read (and cancels the stream) when it fires; its reason is thrown. */
  readonly signal?: AbortSignal;
}

/** The first bytes of a body, and whether there was more. */
export interface BodyHead {
  readonly bytes: Uint8Array;
  /** True when the body went on past the bytes kept (the rest was not read). */
  readonly cut: boolean;
  /** The declared `Content-Length`, when there was one. */
  readonly declared: number | undefined;
}

interface Chunks {
  readonly declared: number | undefined;
  next(): Promise<Uint8Array | undefined>;
  cancel(): Promise<void>;
}

function declaredLength(value: string | string[] | number | null | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === null || text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function isWebStream(source: BodySource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream).getReader === 'function';
}

/** Duck-typed: a Response from another realm or a patched global (msw) is still a Response. */
function isFetchMessage(source: BodySource): source is Response | Request {
  const headers = (source as { headers?: unknown }).headers;
  return 'body' in source && typeof (headers as Headers | undefined)?.get === 'function';
}

function fromWebStream(stream: ReadableStream<Uint8Array> | null, declared: number | undefined): Chunks {
  if (stream === null) return { declared, next: async () => undefined, cancel: async () => undefined };
  const reader = stream.getReader();
  return {
    declared,
    async next() {
      const { done, value } = await reader.read();
      return done ? undefined : value;
    },
    // Not awaited: cancelling one branch of a tee (a Response.clone()) settles only once the other
    // branch is cancelled too, which may be never. The cancel itself takes effect at once. A branch that
    // already errored rejects; there is nothing left to release then.
    cancel: async () => void reader.cancel().catch(() => undefined),
  };
}

function fromNodeStream(stream: Readable): Chunks {
  const headers = (stream as { headers?: Record<string, string | string[] | undefined> }).headers;
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  return {
    declared: declaredLength(headers?.['content-length']),
    async next() {
      const { done, value } = await iterator.next();
      if (done) return undefined;
      return typeof value === 'string' ? Buffer.from(value) : value;
    },
    async cancel() {
      stream.destroy();
      await iterator.return?.().catch(() => undefined);
    },
  };
}

/** A body already whole in memory (kernel/whole-body.ts): one chunk, no stream. */
function fromWhole(bytes: Uint8Array, declared: number | undefined): Chunks {
  let given = false;
  return {
    declared,
    async next() {
      if (given) return undefined;
      given = true;
      return bytes;
    },
    cancel: async () => undefined,
  };
}

function chunksOf(source: BodySource): Chunks {
  if (source instanceof Response) {
    const whole = takeWholeBody(source);
    if (whole !== undefined) return fromWhole(whole, declaredLength(source.headers.get('content-length')));
  }
  if (isFetchMessage(source))
    return fromWebStream(source.body, declaredLength(source.headers.get('content-length')));
  if (isWebStream(source)) return fromWebStream(source, undefined);
  return fromNodeStream(source);
}

/**
 * Pulls chunks until `enough(total)` says stop or the body ends; a firing signal cancels the stream and
 * throws its reason. Returns the chunks read and whether the body ended.
 */
async function pull(
  chunks: Chunks,
  enough: (total: number) => boolean,
  signal: AbortSignal | undefined,
): Promise<{ parts: Uint8Array[]; total: number; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let total = 0;
  // A pending read of a cancelled web stream resolves as done, so the signal is checked after each read.
  const onAbort = (): void => void chunks.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    for (;;) {
      const chunk = await chunks.next();
      signal?.throwIfAborted();
      if (chunk === undefined) return { parts, total, ended: true };
      parts.push(chunk);
      total += chunk.byteLength;
      if (enough(total)) return { parts, total, ended: false };
    }
  } catch (error) {
    await chunks.cancel();
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function join(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return Buffer.concat(parts, total);
}

/**
 * The whole body, at most `maxBytes`. Over the cap — declared or streamed — the stream is cancelled and
 * BodyTooLargeError thrown; at most `maxBytes` plus one chunk is ever held.
 */
export async function readBodyBytes(
  source: BodySource,
  maxBytes: number,
  options: ReadBodyOptions = {},
): Promise<Uint8Array> {
  const chunks = chunksOf(source);
  if (chunks.declared !== undefined && chunks.declared > maxBytes) {
    await chunks.cancel();
    throw new BodyTooLargeError(maxBytes, chunks.declared);
  }
  const { parts, total, ended } = await pull(chunks, (n) => n > maxBytes, options.signal);
  if (!ended) {
    await chunks.cancel();
    throw new BodyTooLargeError(maxBytes);
  }
  return join(parts, total);
}

/** The whole body as UTF-8 text, at most `maxBytes` (see readBodyBytes). */
export async function readBodyText(
  source: BodySource,
  maxBytes: number,
  options: ReadBodyOptions = {},
): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(source, maxBytes, options));
}

/**
 * The first `maxBytes` of a body, whatever its size: the rest is cancelled unread and `cut` says there
 * was more. For recording a body and quoting an error answer, where a prefix is all that is kept anyway.
 */
export async function readBodyHead(
  source: BodySource,
  maxBytes: number,
  options: ReadBodyOptions = {},
): Promise<BodyHead> {
  const chunks = chunksOf(source);
  // One byte past the cap tells "exactly the cap" from "more than the cap".
  const { parts, total, ended } = await pull(chunks, (n) => n > maxBytes, options.signal);
  if (!ended) await chunks.cancel();
  const all = join(parts, total);
  return { bytes: ended ? all : all.subarray(0, maxBytes), cut: !ended, declared: chunks.declared };
}

/** The first `maxBytes` of a body as text, with `cut` (see readBodyHead). */
export async function readBodyHeadText(
  source: BodySource,
  maxBytes: number,
  options: ReadBodyOptions = {},
): Promise<{ text: string; cut: boolean; declared: number | undefined }> {
  const head = await readBodyHead(source, maxBytes, options);
  return { text: new TextDecoder().decode(head.bytes), cut: head.cut, declared: head.declared };
}

/**
 * Reads and drops a body of at most `maxBytes`, so a keep-alive connection goes back to its pool
 * (cancelling would close it); a longer body is cancelled and its connection closed. Never throws.
 */
export async function discardBody(
  source: BodySource,
  maxBytes: number = BODY_CAPS.pushAnswer,
): Promise<void> {
  const chunks = chunksOf(source);
  if (chunks.declared !== undefined && chunks.declared > maxBytes) {
    await chunks.cancel();
    return;
  }
  try {
    // Only the running total matters: the chunks themselves are let go as they arrive.
    let total = 0;
    for (;;) {
      const chunk = await chunks.next();
      if (chunk === undefined) return;
      total += chunk.byteLength;
      if (total > maxBytes) break;
    }
  } catch {
    // A broken or aborted body (the caller's fetch signal fired) has nothing left worth reading.
  }
  await chunks.cancel();
}
