/**
 * One bounded HTTP exchange for the Receiver's clients (discovery, stream management, OAuth, polling):
 * the request is aborted after a time limit, the response body is read up to a size limit, and a JSON body
 * is parsed strictly (duplicate members and deep nesting are refused) — so a hanging or hostile
 * Transmitter can stall or flood the Receiver no more than a JWKS host can the validator. The time limit
 * runs on the injected Scheduler when there is one, so polling tests time out in virtual time. Redirects
 * are not followed: SSF endpoints come from the metadata (SSF-7.1) and are used as published.
 */
import { BodyTooLargeError, readBodyBytes, type Scheduler, type Timer } from '../../kernel/index.ts';
import { parseStrictJson } from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError } from './http-errors.ts';

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ExchangeOptions {
  /** Names the exchange in errors. */
  readonly operation: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs: number;
  /** Refuse a response body larger than this. */
  readonly maxBytes: number;
  /** Runs the time limit; without one, `AbortSignal.timeout` (real time) does. */
  readonly scheduler?: Scheduler;
  /** The caller's own cancellation: when it fires, its reason is thrown, not an SsfHttpError. */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON when it is JSON, else its text; null when empty. */
  readonly body: unknown;
  /** Why the body is not usable JSON, when it is not (empty, not JSON, duplicate members, too deep). */
  readonly notJson?: string;
}

/** JSON from the network nests no deeper than this. */
const MAX_JSON_DEPTH = 32;

function parseBody(text: string): Pick<HttpResponse, 'body' | 'notJson'> {
  if (text.length === 0) return { body: null, notJson: 'is empty' };
  const parsed = parseStrictJson(text, MAX_JSON_DEPTH);
  if (!parsed.ok) return { body: text, notJson: `is not JSON (${parsed.message})` };
  const duplicate = parsed.duplicates[0];
  if (duplicate !== undefined)
    return { body: text, notJson: `has the member "${duplicate.name}" twice (RFC 8259 §4)` };
  return { body: parsed.value };
}

function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.message}${cause}`;
}

/** Sends `request` and reads the answer within the limits; throws SsfHttpError with status 0 on failure. */
export async function exchange(request: HttpRequest, options: ExchangeOptions): Promise<HttpResponse> {
  const { operation, timeoutMs, scheduler } = options;
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  let timedOut = false;
  let timer: Timer | undefined;
  const signals = [controller.signal];
  if (options.signal) signals.push(options.signal);
  if (scheduler) {
    timer = scheduler.setTimer(timeoutMs, () => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    });
  } else {
    signals.push(AbortSignal.timeout(timeoutMs));
  }
  const signal = AbortSignal.any(signals);
  let response: Response;
  let bytes: Uint8Array;
  let status: number | undefined;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'error',
    });
    status = response.status;
    // The body is read under the same time limit; past maxBytes the stream is cancelled, never buffered.
    bytes = await readBodyBytes(response, options.maxBytes);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof BodyTooLargeError)
      throw new SsfResponseError(
        { operation, status: status ?? 0, body: null },
        `is larger than ${options.maxBytes} bytes`,
      );
    throw new SsfHttpError(
      { operation, status: 0, body: null },
      `${operation}: ${request.method} ${request.url} failed: ${describeFailure(error, timedOut, timeoutMs)}`,
      { cause: error },
    );
  } finally {
    timer?.cancel();
  }
  return {
    status: response.status,
    headers: response.headers,
    ...parseBody(new TextDecoder().decode(bytes)),
  };
}
