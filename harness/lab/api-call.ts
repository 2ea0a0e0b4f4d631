/**
 * One HTTP call of a set-up or scenario step, through a given fetch, with the answer read once and a
 * clear error when the status is not the one the step needs: the step, the method and URL, the status and
 * the body (redacted — an error message ends up in logs and reports).
 */
import { BODY_CAPS, readBodyHeadText, readBodyText, redactBody, redactUrl } from '../kernel/index.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
}

export class StepFailedError extends Error {
  readonly step: string;
  readonly status: number | undefined;

  constructor(step: string, message: string, status?: number) {
    super(`${step}: ${message}`);
    this.name = 'StepFailedError';
    this.step = step;
    this.status = status;
  }
}

export interface CallOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as a form. */
  readonly form?: Record<string, string>;
  /** Sent as it is (set the content type in `headers`). */
  readonly body?: string;
  /** Statuses that count as success (default any 2xx). */
  readonly expect?: readonly number[];
  /** Hand redirects back instead of following them. */
  readonly manualRedirect?: boolean;
}

export async function apiCall(
  fetchImpl: typeof fetch,
  step: string,
  url: string,
  options: CallOptions = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.manualRedirect ? { redirect: 'manual' as const } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new StepFailedError(
      step,
      `${method} ${redactUrl(url)} failed: ${cause ?? (error as Error).message}`,
    );
  }
  const ok = options.expect
    ? options.expect.includes(response.status)
    : response.status >= 200 && response.status < 300;
  const type = response.headers.get('content-type') ?? '';
  let text: string;
  try {
    // An answer the step needs is read up to BODY_CAPS.apiAnswer; one it only quotes in an error, up to
    // BODY_CAPS.errorBody. Either way a larger body is cancelled unread, never buffered.
    text = ok
      ? await readBodyText(response, BODY_CAPS.apiAnswer)
      : (await readBodyHeadText(response, BODY_CAPS.errorBody)).text;
  } catch (error) {
    throw new StepFailedError(
      step,
      `${method} ${redactUrl(url)} answered ${response.status}, but its body could not be read: ${(error as Error).message}`,
      response.status,
    );
  }
  let parsed: unknown = text === '' ? undefined : text;
  if (text !== '' && type.includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!ok) {
    const shown = redactBody(text, type).slice(0, 500);
    throw new StepFailedError(
      step,
      `${method} ${redactUrl(url)} answered ${response.status}${shown ? `: ${shown}` : ''}`,
      response.status,
    );
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A member of a JSON answer, or a StepFailedError naming what was missing. */
export function field<T = string>(answer: ApiAnswer, step: string, ...path: (string | number)[]): T {
  let value: unknown = answer.body;
  for (const key of path) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string | number, unknown>)[key]
        : undefined;
  }
  if (value === undefined || value === null)
    throw new StepFailedError(step, `the answer has no ${path.join('.')}`, answer.status);
  return value as T;
}
