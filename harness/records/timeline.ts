/**
 * The lab's timeline: every HTTP exchange between the services and with the harness, in order, with its
 * timing — and each SET that crossed the wire, decoded. Everything is redacted on the way in (Authorization
 * headers, cookies, tokens, secrets, passwords), so a timeline can be printed, saved and put in a report
 * as it is.
 */
import {
  BODY_CAPS,
  readBodyHeadText,
  redactBody,
  redactHeaders,
  redactUrl,
  wholeBodyOf,
} from '../kernel/index.ts';
import { decodeSet } from '../protocol/index.ts';
import type { ExchangeRecord } from './exchange.ts';

/** Body text kept per message; longer bodies are cut (the SET itself is always kept whole and decoded). */
const BODY_CAP = BODY_CAPS.record;

export type DecodedSetOnWire = NonNullable<ExchangeRecord['set']>;

/** One recorded exchange: the record's shape (harness/records), so reports can read it as it is. */
export type Exchange = ExchangeRecord;

export type ExchangeListener = (exchange: Exchange) => void;

function cap(text: string): string {
  return text.length <= BODY_CAP
    ? text
    : `${text.slice(0, BODY_CAP)}… [${text.length - BODY_CAP} more characters]`;
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  return `[${Object.prototype.toString.call(body).slice(8, -1)} body]`;
}

/** The request side of a record: URL and headers redacted, the body redacted or — a SET — decoded. */
function requestPart(
  url: string,
  headers: Headers | Record<string, string>,
  body: string | undefined,
): Pick<Exchange, 'url' | 'requestHeaders' | 'requestBody' | 'set'> {
  const requestHeaders = redactHeaders(headers);
  const type = requestHeaders['content-type'] ?? null;
  if (body === undefined) return { url: redactUrl(url), requestHeaders };
  if ((type ?? '').toLowerCase().startsWith('application/secevent+jwt')) {
    // A SET is a signed statement meant to be logged: kept whole, and decoded for the reader.
    const decoded = decodeSet(body.trim());
    return {
      url: redactUrl(url),
      requestHeaders,
      requestBody: body,
      set: { header: decoded.header, claims: decoded.payload },
    };
  }
  return { url: redactUrl(url), requestHeaders, requestBody: cap(redactBody(body, type)) };
}

/**
 * The first part of a body cut short, up to the last complete JSON string: a credential whose value was
 * cut in two would otherwise slip past redaction, which only knows complete `"key": "value"` pairs.
 */
function withoutOpenString(text: string): string {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (open >= 0 && c === '\\') i++;
    else if (c === '"') open = open >= 0 ? -1 : i;
  }
  return open >= 0 ? text.slice(0, open) : text;
}

/** What was recorded of a response body the recorder read only the start of. */
interface ReadBody {
  readonly text: string;
  /** The answer went on past the recorded part (the rest was never read by the recorder). */
  readonly cut: boolean;
  readonly declared?: number | undefined;
}

function cutNote(body: ReadBody): string {
  const size =
    body.declared === undefined ? `more than ${BODY_CAP} bytes` : `${body.declared} bytes declared`;
  return `… [cut: the answer is ${size}; only the first ${BODY_CAP} were read]`;
}

const utf8 = new TextDecoder();

/** What the recorder keeps of a body it has whole: the same excerpt it would read of the stream. */
function headOf(bytes: Uint8Array, headers: Headers): ReadBody {
  const cut = bytes.byteLength > BODY_CAP;
  const length = headers.get('content-length');
  const declared = length === null || length === '' ? Number.NaN : Number(length);
  return {
    text: utf8.decode(cut ? bytes.subarray(0, BODY_CAP) : bytes),
    cut,
    declared: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
  };
}

/** The response side of a record, redacted; an empty body is left out. */
function responsePart(
  status: number,
  headers: Headers | Record<string, string>,
  body: string | ReadBody | undefined,
): Pick<Exchange, 'status' | 'responseHeaders' | 'responseBody'> {
  const responseHeaders = redactHeaders(headers);
  const type = responseHeaders['content-type'] ?? null;
  const read: ReadBody | undefined = typeof body === 'string' ? { text: body, cut: false } : body;
  if (read === undefined || read.text === '') return { status, responseHeaders };
  if (!read.cut) return { status, responseHeaders, responseBody: cap(redactBody(read.text, type)) };
  const start = (type ?? '').toLowerCase().includes('json') ? withoutOpenString(read.text) : read.text;
  return { status, responseHeaders, responseBody: `${redactBody(start, type)}${cutNote(read)}` };
}

/** Node's header records (arrays, numbers) as plain strings. */
function flat(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

export class Timeline {
  readonly #cap: number;
  readonly #entries: Exchange[] = [];
  readonly #listeners = new Set<ExchangeListener>();
  readonly #services: ReadonlyMap<string, string>;
  readonly #now: () => number;
  /** performance.now() when recording began: `realMs` counts from here. */
  readonly #realStart = performance.now();
  #seq = 0;
  /**
   * Exchanges in the order they completed, for readers that follow the timeline with a cursor (the lab's
   * `GET /_lab/timeline`): a call made inside another gets the lower seq yet completes last, so a cursor
   * over seq would skip it.
   */
  readonly #completed: Exchange[] = [];
  /** How many completed exchanges were dropped from the front of #completed (the cap). */
  #completedDropped = 0;

  /** `services` names origins (`https://acme.okta.lab` → `okta`); `cap` bounds the memory held. */
  constructor(options: { services: ReadonlyMap<string, string>; now?: () => number; cap?: number }) {
    this.#services = options.services;
    this.#now = options.now ?? Date.now;
    this.#cap = options.cap ?? 10_000;
  }

  /** Every exchange kept, in the order the requests left (listeners hear of each as it completes). */
  get entries(): readonly Exchange[] {
    return this.#entries;
  }

  /** Exchanges from `seq` on (a reader's cursor). */
  since(seq: number): Exchange[] {
    return this.#entries.filter((e) => e.seq >= seq);
  }

  get nextSeq(): number {
    return this.#seq + 1;
  }

  subscribe(listener: ExchangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#entries.length = 0;
    this.#completedDropped += this.#completed.length;
    this.#completed.length = 0;
  }

  /**
   * Exchanges completed since `cursor` (0 at the start), at most `limit`, and the cursor to ask with next.
   * `missed` counts exchanges that fell out of the cap before this reader asked for them.
   */
  completedSince(
    cursor: number,
    limit = Number.POSITIVE_INFINITY,
  ): { exchanges: Exchange[]; cursor: number; missed: number } {
    const from = Math.max(cursor, this.#completedDropped);
    const start = from - this.#completedDropped;
    const exchanges = this.#completed.slice(start, start + limit);
    return { exchanges, cursor: from + exchanges.length, missed: from - cursor };
  }

  /** Real milliseconds since recording began (the clock of `realMs`). */
  realNowMs(): number {
    return Math.round(performance.now() - this.#realStart);
  }

  #nameOf(url: string): string {
    try {
      const origin = new URL(url).origin;
      return this.#services.get(origin) ?? origin;
    } catch {
      return url;
    }
  }

  /** Kept in the order requests left (a call made inside another finishes first but started later). */
  #add(exchange: Exchange): void {
    let i = this.#entries.length;
    while (i > 0 && (this.#entries[i - 1]?.seq ?? 0) > exchange.seq) i--;
    this.#entries.splice(i, 0, exchange);
    if (this.#entries.length > this.#cap) this.#entries.splice(0, this.#entries.length - this.#cap);
    this.#completed.push(exchange);
    if (this.#completed.length > this.#cap) {
      const drop = this.#completed.length - this.#cap;
      this.#completed.splice(0, drop);
      this.#completedDropped += drop;
    }
    for (const listener of this.#listeners) {
      try {
        listener(exchange);
      } catch {
        // A broken listener (a terminal printer) must not break the lab's traffic.
      }
    }
  }

  /** A fetch that records every exchange it carries, as sent by `from`. */
  recording(inner: typeof fetch, from: string): typeof fetch {
    return async (input, init) => {
      const request = input instanceof Request ? input : undefined;
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
      const headers = new Headers(init?.headers ?? request?.headers);
      const rawBody = bodyText(init?.body);
      const seq = ++this.#seq;
      const at = this.#now();
      const started = performance.now();
      const base = {
        seq,
        at,
        realMs: Math.round(started - this.#realStart),
        from,
        to: this.#nameOf(url),
        method,
        ...requestPart(url, headers, rawBody),
      };
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        this.#add({
          ...base,
          error: cause?.code ?? cause?.message ?? (error as Error).message ?? String(error),
          durationMs: performance.now() - started,
        });
        throw error;
      }
      // An answer already whole in memory (the in-process transport's) is read from there. Any other: the
      // recorder reads at most BODY_CAP (and the chunk that passes it) of a copy, then cancels that copy:
      // a huge answer is never buffered here, and the caller still gets the whole stream to read under
      // its own cap. Cancelling one branch of the tee leaves the other untouched.
      const whole = wholeBodyOf(response);
      const read =
        whole === undefined
          ? await readBodyHeadText(response.clone(), BODY_CAP).catch(
              (): ReadBody => ({ text: '', cut: false }),
            )
          : headOf(whole, response.headers);
      this.#add({
        ...base,
        ...responsePart(response.status, response.headers, read),
        durationMs: performance.now() - started,
      });
      return response;
    };
  }
  /**
   * Records an exchange the harness served rather than sent (a push to the harness's receiver, a JWKS
   * fetch from the target): redacted and decoded here like every other, given the next sequence number.
   */
  record(exchange: {
    readonly from: string;
    readonly to: string;
    readonly method: string;
    readonly url: string;
    readonly requestHeaders: Readonly<Record<string, string | string[] | number | undefined>>;
    readonly requestBody?: string;
    readonly status: number;
    readonly responseHeaders?: Readonly<Record<string, string | string[] | number | undefined>>;
    readonly responseBody?: string;
    readonly durationMs: number;
  }): void {
    this.#add({
      seq: ++this.#seq,
      at: this.#now() - exchange.durationMs,
      realMs: Math.max(0, Math.round(performance.now() - exchange.durationMs - this.#realStart)),
      from: exchange.from,
      to: exchange.to,
      method: exchange.method.toUpperCase(),
      ...requestPart(exchange.url, flat(exchange.requestHeaders), exchange.requestBody),
      ...responsePart(exchange.status, flat(exchange.responseHeaders ?? {}), exchange.responseBody),
      durationMs: exchange.durationMs,
    });
  }
}
