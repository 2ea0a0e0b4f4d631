/**
 * The errors the Receiver's HTTP clients (stream management, OAuth token, polling) throw, so a caller can
 * tell "the Transmitter could not be reached or said no" (`SsfHttpError`, status 0 for a network failure
 * or timeout) from "the Transmitter answered, but not as the spec says" (`SsfResponseError`, a subclass)
 * and from "this Transmitter does not offer that operation" (`SsfUnsupportedError`). Every message names
 * the operation, the status and the error text of the body, so a log line is enough to act on.
 */

/** Shortens text that came from the other side before it goes into a message. */
export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/**
 * The error text of a response body: RFC 8935 / RFC 8936 `err` + `description`, OAuth 2.0 `error` +
 * `error_description` (RFC 6749 §5.2), or the start of a text body.
 */
export function errorTextOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : shorten(body.trim());
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = [record.err, record.error].find((v) => typeof v === 'string');
  const text = [record.description, record.error_description, record.message].find(
    (v) => typeof v === 'string',
  );
  if (code === undefined && text === undefined) return shorten(JSON.stringify(body));
  return shorten([code, text].filter((v) => v !== undefined).join(': '));
}

export interface SsfHttpErrorDetails {
  /** What was being done, e.g. `createStream`, `poll`, `token`. */
  readonly operation: string;
  /** The HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** The parsed JSON body, its text, or null when there was none. */
  readonly body: unknown;
  /** From a `Retry-After` header, when the response had a usable one. */
  readonly retryAfterMs?: number;
}

/** The exchange failed: no response (status 0) or a status the operation does not succeed with. */
export class SsfHttpError extends Error {
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterMs?: number;

  constructor(details: SsfHttpErrorDetails, message?: string, options?: { cause?: unknown }) {
    const text = errorTextOf(details.body);
    super(
      message ??
        `${details.operation} failed: HTTP ${details.status}${text === undefined ? '' : ` (${text})`}`,
      options,
    );
    this.name = 'SsfHttpError';
    this.operation = details.operation;
    this.status = details.status;
    this.body = details.body;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** The Transmitter answered, but not as the spec requires (wrong success status, bad body, wrong `iss`). */
export class SsfResponseError extends SsfHttpError {
  constructor(details: SsfHttpErrorDetails, problem: string) {
    super(details, `${details.operation}: HTTP ${details.status} response ${problem}`);
    this.name = 'SsfResponseError';
  }
}

/** The Transmitter's metadata publishes no endpoint for the operation (SSF 1.0 §7.1: all are OPTIONAL). */
export class SsfUnsupportedError extends Error {
  readonly operation: string;

  constructor(operation: string, endpoint: string, problem?: string) {
    super(
      `${operation}: the Transmitter's metadata has no ${problem === undefined ? '' : 'usable '}"${endpoint}"${
        problem === undefined ? '' : ` (${problem})`
      }`,
    );
    this.name = 'SsfUnsupportedError';
    this.operation = operation;
  }
}
