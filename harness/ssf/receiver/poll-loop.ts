/**
 * Poll-based SET delivery from the Receiver's side (RFC 8936, SSF 1.0 §6.1.2). `pollOnce` sends one
 * request to the Transmitter-assigned `endpoint_url` — acknowledging what the previous response brought
 * (`ack`) and reporting the SETs that failed validation (`setErrs`, with a `Content-Language`) — and runs
 * every returned SET through the intake: accepted, duplicate and discarded SETs are acknowledged (a
 * Receiver SHOULD ack repeats again, RFC8936-2.4), rejected ones become `setErrs`. `startPolling` loops:
 * each request carries the acks and errors of the previous response (a combined request, RFC8936-2.4),
 * a response with new SETs polls again at once (to deliver its acks promptly and fetch what is left, which
 * covers `moreAvailable`), an answer with nothing new waits `intervalMs`, 429 and 503 wait `Retry-After`
 * or back off exponentially with seeded jitter, network failures back off, and a 4xx that will not change
 * by retrying (400, 401, 403, 404…) stops the loop and is reported. Acks are never dropped: a request that
 * fails has its acks sent again with the next one, and stopping sends a final acknowledge-only request.
 * All waiting goes through the Scheduler, so tests run in virtual time.
 */
import { BODY_CAPS, type Scheduler, seededRandom, systemScheduler } from '../../kernel/index.ts';
import {
  decodeSet,
  isJsonObject,
  POLL_RESPONSE_SCHEMA_ID,
  type PollResponse,
  type PushErrorBody,
  parseRetryAfter,
  validateWithSchema,
} from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError, shorten } from './http-errors.ts';
import { exchange } from './http-exchange.ts';
import type { IntakeResult, SetIntake } from './set-intake.ts';

/** The `Authorization` value for each request, or a function that supplies it (e.g. a fresh OAuth token). */
export type PollAuthorization = string | (() => Promise<string>);

export interface PollOnceOptions {
  /** The Transmitter-assigned poll endpoint of the stream (SSF-6.1.2). */
  readonly endpointUrl: string;
  /** Sent verbatim as `Authorization` (SSF-6.1.2: the same schemes as the management API). */
  readonly authorization?: PollAuthorization;
  readonly intake: SetIntake;
  readonly fetch?: typeof fetch;
  /** RFC8936-2.4: the most SETs to return; 0 makes the request acknowledge-only. Omitted: no limit. */
  readonly maxEvents?: number;
  /** RFC8936-2.4: true asks for a short poll. Omitted: the Transmitter's default, a long poll. */
  readonly returnImmediately?: boolean;
  /** jti values to acknowledge; omitted from the request when empty. */
  readonly ack?: readonly string[];
  /** jti → error for SETs that failed validation; omitted from the request when empty. */
  readonly setErrs?: Readonly<Record<string, PushErrorBody>>;
  /** Per request (default 30 000 ms); above the agreed long-poll timeout when long polling. */
  readonly timeoutMs?: number;
  /** Refuse a response larger than this (default 8 MiB). */
  readonly maxResponseBytes?: number;
  readonly scheduler?: Scheduler;
  readonly signal?: AbortSignal;
}

export interface PollResult {
  /** The HTTP status of the response (RFC8936-2.5: 200). */
  readonly status: number;
  /** SETs of this response to acknowledge: accepted, duplicate and discarded ones. */
  readonly acks: string[];
  /** SETs of this response that failed validation. */
  readonly setErrs: Record<string, PushErrorBody>;
  /** RFC8936-2.5: absent means false. */
  readonly moreAvailable: boolean;
  /** SETs left unacknowledged because the Receiver could not judge them now; the Transmitter redelivers. */
  readonly deferred: string[];
  /** How many SETs the response carried. */
  readonly received: number;
  /** How many of them were not repeats (accepted, discarded or refused now, not deferred). */
  readonly fresh: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = BODY_CAPS.pollAnswer;

async function authorizationValue(auth: PollAuthorization | undefined): Promise<string | undefined> {
  return typeof auth === 'function' ? auth() : auth;
}

/** RFC8936-2.5: a SET is delivered under its own `jti`; one filed under another key is refused. */
function keyMismatch(jti: string, token: string): PushErrorBody | undefined {
  const claimed = decodeSet(token).payload?.jti;
  if (typeof claimed !== 'string' || claimed === jti) return undefined;
  return {
    err: 'invalid_request',
    description: `the SET's "jti" is "${shorten(claimed, 80)}" but it was delivered under "${shorten(jti, 80)}" (RFC 8936 §2.5)`,
  };
}

/** One RFC 8936 poll: send acks and errors, receive SETs, judge each through the intake. */
export async function pollOnce(options: PollOnceOptions): Promise<PollResult> {
  const scheduler = options.scheduler ?? systemScheduler;
  const ack = options.ack ?? [];
  const errs = options.setErrs ?? {};
  const hasErrs = Object.keys(errs).length > 0;
  // RFC8936-2.4: omit "ack" and "setErrs" when there is nothing to say.
  const request = {
    ...(options.maxEvents === undefined ? {} : { maxEvents: options.maxEvents }),
    ...(options.returnImmediately === undefined ? {} : { returnImmediately: options.returnImmediately }),
    ...(ack.length === 0 ? {} : { ack }),
    ...(hasErrs ? { setErrs: errs } : {}),
  };
  const authorization = await authorizationValue(options.authorization);
  const operation = 'poll';
  const response = await exchange(
    {
      url: options.endpointUrl,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
        // RFC8936-2.4: a request carrying error descriptions names their language.
        ...(hasErrs ? { 'content-language': 'en' } : {}),
      },
      body: JSON.stringify(request),
    },
    {
      operation,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      scheduler,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  const details = { operation, status: response.status, body: response.body };
  if (response.status !== 200) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), scheduler.now());
    throw new SsfHttpError({ ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (response.notJson !== undefined) throw new SsfResponseError(details, `body ${response.notJson}`);
  const schema = validateWithSchema(POLL_RESPONSE_SCHEMA_ID, response.body, 'the poll response');
  if (!schema.valid || !isJsonObject(response.body)) {
    throw new SsfResponseError(
      details,
      `is not an RFC 8936 poll response: ${schema.errors
        .slice(0, 5)
        .map((e) => e.message)
        .join('; ')}`,
    );
  }
  const body = response.body as unknown as PollResponse;
  const acks: string[] = [];
  const setErrs: Record<string, PushErrorBody> = {};
  const deferred: string[] = [];
  let duplicates = 0;
  const sets = Object.entries(body.sets);
  for (const [jti, token] of sets) {
    const mismatch = keyMismatch(jti, token);
    if (mismatch) {
      setErrs[jti] = mismatch;
      continue;
    }
    let result: IntakeResult;
    try {
      result = await options.intake.accept(token, 'poll');
    } catch {
      // The Receiver cannot judge it now (e.g. the JWKS is unreachable): neither ack nor error, so the
      // Transmitter delivers it again (RFC8936-2.4 keeps setErrs for parsing and validation errors).
      deferred.push(jti);
      continue;
    }
    if (result.status === 'duplicate') duplicates += 1;
    if (result.status === 'rejected') setErrs[jti] = { err: result.err, description: result.description };
    else acks.push(jti);
  }
  return {
    status: response.status,
    acks,
    setErrs,
    moreAvailable: body.moreAvailable === true,
    deferred,
    received: sets.length,
    fresh: sets.length - duplicates - deferred.length,
  };
}

export interface Backoff {
  /** The first retry waits between half of this and this. */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly maxMs: number;
}

export interface RetryNotice {
  /** True when the loop stops because of this error. */
  readonly fatal: boolean;
  /** When the loop retries: how long it waits first. */
  readonly retryInMs?: number;
}

export interface StartPollingOptions extends Omit<PollOnceOptions, 'ack' | 'setErrs' | 'signal'> {
  /** Defaults to true here: the loop short-polls every `intervalMs`. For long polls pass false and a
   * `timeoutMs` above the long-poll timeout agreed with the Transmitter (RFC8936-2.4). */
  readonly returnImmediately?: boolean;
  /** Wait after a response with no SETs (default 1000 ms). */
  readonly intervalMs?: number;
  /** Exponential backoff for failures without Retry-After (default 1 s doubling up to 60 s). */
  readonly backoff?: Backoff;
  /** Stops the loop; pending acks are then sent in one acknowledge-only request. */
  readonly signal?: AbortSignal;
  /** Jitter source (default: `seededRandom` seeded from the scheduler's clock). */
  readonly random?: () => number;
  /** Told about every failed request, and whether the loop goes on. */
  readonly onError?: (error: unknown, notice: RetryNotice) => void;
  /** Told about every successful poll. */
  readonly onPoll?: (result: PollResult) => void;
}

export type PollingEnd =
  | { readonly reason: 'stopped' }
  | { readonly reason: 'fatal'; readonly error: SsfHttpError };

export interface PollingHandle {
  /** Resolves when the loop has ended (after the final acknowledge-only request, if one was needed). */
  readonly done: Promise<PollingEnd>;
  /** Stops the loop, like aborting `signal`. */
  stop(): void;
  /** The acks and errors not yet delivered to the Transmitter. */
  pending(): { readonly ack: readonly string[]; readonly setErrs: Readonly<Record<string, PushErrorBody>> };
}

/** 4xx statuses that retrying will not change: the loop stops instead of spinning. */
function isFatal(error: unknown): error is SsfHttpError {
  if (!(error instanceof SsfHttpError) || error instanceof SsfResponseError) return false;
  const s = error.status;
  return s >= 400 && s < 500 && s !== 408 && s !== 425 && s !== 429;
}

/** The Retry-After to honour: RFC 6585 §4 (429) and RFC 9110 §15.6.4 (503). */
function retryAfter(error: unknown): number | undefined {
  if (!(error instanceof SsfHttpError) || (error.status !== 429 && error.status !== 503)) return undefined;
  return error.retryAfterMs;
}

/** Runs the poll loop until `signal` aborts, `stop()` is called, or a fatal error. */
export function startPolling(options: StartPollingOptions): PollingHandle {
  const {
    signal: callerSignal,
    intervalMs = 1000,
    backoff,
    random,
    onError,
    onPoll,
    ...pollOptions
  } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const { baseMs, maxMs } = backoff ?? { baseMs: 1000, maxMs: 60_000 };
  const jitter = random ?? seededRandom(scheduler.now());
  const stopper = new AbortController();
  const signal = callerSignal ? AbortSignal.any([callerSignal, stopper.signal]) : stopper.signal;
  const pendingAcks = new Set<string>();
  const pendingErrs = new Map<string, PushErrorBody>();

  // Observers that throw must not break the loop.
  const report = (error: unknown, notice: RetryNotice): void => {
    try {
      onError?.(error, notice);
    } catch {}
  };
  const observe = (result: PollResult): void => {
    try {
      onPoll?.(result);
    } catch {}
  };

  const backoffDelay = (failures: number): number => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
    // Equal jitter: at least half the ceiling, so the wait really grows, and spread so Receivers desync.
    return Math.round(ceiling / 2 + jitter() * (ceiling / 2));
  };

  const request = async (extra: Partial<PollOnceOptions>): Promise<PollResult> => {
    const ack = [...pendingAcks];
    const setErrs = Object.fromEntries(pendingErrs);
    const result = await pollOnce({ ...pollOptions, scheduler, ack, setErrs, ...extra });
    // Delivered: forget what this request carried, remember what its response needs acknowledged.
    for (const jti of ack) pendingAcks.delete(jti);
    for (const jti of Object.keys(setErrs)) pendingErrs.delete(jti);
    for (const jti of result.acks) pendingAcks.add(jti);
    for (const [jti, err] of Object.entries(result.setErrs)) pendingErrs.set(jti, err);
    return result;
  };

  const run = async (): Promise<PollingEnd> => {
    let failures = 0;
    while (!signal.aborted) {
      let delay: number;
      try {
        const result = await request({ signal, returnImmediately: options.returnImmediately ?? true });
        failures = 0;
        observe(result);
        // New SETs: acks to deliver promptly (RFC8936-2.4) and perhaps more waiting (moreAvailable), so
        // poll again at once. Nothing new — empty, or only repeats of what was acked, even if the answer
        // claims moreAvailable — waits, so a Transmitter that ignores acks cannot drive a hot loop.
        delay = result.fresh > 0 ? 0 : intervalMs;
      } catch (error) {
        if (signal.aborted) break;
        if (isFatal(error)) {
          report(error, { fatal: true });
          return { reason: 'fatal', error };
        }
        failures += 1;
        delay = retryAfter(error) ?? backoffDelay(failures);
        report(error, { fatal: false, retryInMs: delay });
      }
      if (delay > 0) {
        try {
          await scheduler.sleep(delay, signal);
        } catch {
          break;
        }
      }
    }
    if (pendingAcks.size > 0 || pendingErrs.size > 0) {
      // RFC8936-2.4 acknowledge-only request: maxEvents 0 and returnImmediately, so nothing new arrives.
      try {
        await request({ maxEvents: 0, returnImmediately: true });
      } catch (error) {
        report(error, { fatal: true });
      }
    }
    return { reason: 'stopped' };
  };

  return {
    done: run(),
    stop: () => stopper.abort(new DOMException('polling stopped', 'AbortError')),
    pending: () => ({ ack: [...pendingAcks], setErrs: Object.fromEntries(pendingErrs) }),
  };
}
