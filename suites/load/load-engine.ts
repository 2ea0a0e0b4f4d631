/**
 * Drives a receiver's push endpoint with autocannon (a well-kept Node load generator: connection reuse,
 * open-loop rates, timeouts) rather than a loop of our own. Each request takes the next SET of the pool;
 * autocannon's `response` event gives each answer's latency as autocannon measures it, and `onResponse`
 * its status and body, from which the RFC 8935 `err` code of a refusal is read. Nothing is retried: a
 * refused or failed SET is an outcome to report, not to hide.
 */
import autocannon from 'autocannon';
import type { SetPool } from './set-pool.ts';

export interface LoadRequestSettings {
  readonly url: string;
  readonly authorization?: string;
  readonly connections: number;
  /** Requests per second across all connections; none: closed loop. */
  readonly rate?: number;
  /** Seconds to run; none: until every SET of the pool is sent. */
  readonly duration?: number;
  readonly timeoutMs: number;
  /** Extra CA certificate (PEM) to trust for https. */
  readonly ca?: string;
  /** Stops the run (the answers so far are kept). */
  readonly signal?: AbortSignal;
}

/** What happened to one SET of the pool (index = pool index). */
export interface SetOutcome {
  /** HTTP status, or 0 when no answer came (timeout, connection error) or the SET was never sent. */
  readonly status: number;
  /** The `err` of an RFC 8935 error body, when there is one. */
  readonly err?: string;
}

export interface LoadSamples {
  /** Latency of each answer, in milliseconds, in arrival order. */
  readonly latenciesMs: Float64Array;
  /** Arrival time of each answer, in milliseconds since the start. */
  readonly arrivalsMs: Float64Array;
  readonly answered: number;
  readonly outcomes: readonly (SetOutcome | undefined)[];
  readonly sent: number;
  readonly timeouts: number;
  readonly connectionErrors: number;
  readonly durationMs: number;
}

const SET_MEDIA_TYPE = 'application/secevent+jwt';

function errOf(body: string): string | undefined {
  if (body === '' || body.length > 64 * 1024) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const err = (parsed as Record<string, unknown>).err ?? (parsed as Record<string, unknown>).error;
      return typeof err === 'string' ? err.slice(0, 64) : undefined;
    }
  } catch {
    // Not JSON: no err code to read.
  }
  return undefined;
}

/** Sends the pool's SETs to `settings.url` and records every answer. */
export async function runLoad(pool: SetPool, settings: LoadRequestSettings): Promise<LoadSamples> {
  const total = pool.sets.length;
  const latencies = new Float64Array(total);
  const arrivals = new Float64Array(total);
  const outcomes: (SetOutcome | undefined)[] = new Array(total);
  let next = 0;
  let answered = 0;
  let timeouts = 0;
  let connectionErrors = 0;
  const started = performance.now();
  const instance = autocannon({
    url: settings.url,
    connections: Math.min(settings.connections, total),
    // With a duration the run stops at the deadline (or when the pool runs out, below).
    ...(settings.duration === undefined ? { amount: total } : { duration: settings.duration }),
    ...(settings.rate === undefined ? {} : { overallRate: settings.rate }),
    timeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
    method: 'POST',
    headers: {
      'content-type': SET_MEDIA_TYPE,
      accept: 'application/json',
      ...(settings.authorization === undefined ? {} : { authorization: settings.authorization }),
    },
    ...(settings.ca === undefined ? {} : { tlsOptions: { ca: settings.ca } }),
    requests: [
      {
        setupRequest(request, context) {
          const index = next++;
          if (index >= total) {
            instance.stop();
            return { ...request, body: '' };
          }
          context.index = index;
          return { ...request, body: pool.sets[index] as string };
        },
        onResponse(status, body, context) {
          const index = context.index as number;
          const err = status >= 400 ? errOf(body) : undefined;
          outcomes[index] = err === undefined ? { status } : { status, err };
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    if (answered >= total) return;
    latencies[answered] = responseTime;
    arrivals[answered] = performance.now() - started;
    answered++;
  });
  instance.on('reqError', (error) => {
    if (/timeout/i.test(error.message)) timeouts++;
    else connectionErrors++;
  });
  const stop = (): void => instance.stop();
  settings.signal?.addEventListener('abort', stop, { once: true });
  try {
    await instance;
  } finally {
    settings.signal?.removeEventListener('abort', stop);
  }
  return {
    latenciesMs: latencies.subarray(0, answered),
    arrivalsMs: arrivals.subarray(0, answered),
    answered,
    outcomes,
    sent: Math.min(next, total),
    timeouts,
    connectionErrors,
    durationMs: performance.now() - started,
  };
}
