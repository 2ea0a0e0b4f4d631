/**
 * Faults the scenarios inject between services: a service (or one of its paths) stops answering — the
 * connection is refused — or answers with an error status, until it is brought back. Applied to the lab's
 * own fetch, so it acts the same under both transports and on every caller, mocks and harness alike.
 */
import { HarnessError } from '../kernel/index.ts';

export interface Fault {
  /** Only requests whose path starts with this (default: every path). */
  readonly pathPrefix?: string;
  /** Answer with this status instead of refusing the connection (e.g. 503, 429). */
  readonly status?: number;
  /** With `status` 429 or 503: the Retry-After seconds to send. */
  readonly retryAfterSeconds?: number;
}

export class Faults {
  readonly #byOrigin = new Map<string, Fault>();
  readonly #origins: ReadonlyMap<string, string>;

  /** `services` maps a service name to its origin. */
  constructor(services: ReadonlyMap<string, string>) {
    this.#origins = services;
  }

  #origin(service: string): string {
    const origin = this.#origins.get(service);
    if (!origin)
      throw new HarnessError(
        'ERR_USAGE',
        `unknown service "${service}"; the lab has ${[...this.#origins.keys()].join(', ')}`,
      );
    return origin;
  }

  /** Takes a service down (or makes it answer `fault.status`) until `up`. */
  down(service: string, fault: Fault = {}): void {
    if (
      fault.status !== undefined &&
      (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)
    )
      throw new HarnessError(
        'ERR_USAGE',
        `a fault status must be an HTTP error status (400-599), not ${fault.status}`,
      );
    this.#byOrigin.set(this.#origin(service), fault);
  }

  up(service: string): void {
    this.#byOrigin.delete(this.#origin(service));
  }

  clear(): void {
    this.#byOrigin.clear();
  }

  /** Which services are down right now, and how. */
  active(): Record<string, Fault> {
    const out: Record<string, Fault> = {};
    for (const [name, origin] of this.#origins) {
      const fault = this.#byOrigin.get(origin);
      if (fault) out[name] = fault;
    }
    return out;
  }

  wrap(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const fault = this.#byOrigin.get(url.origin);
      // The lab's own controls are not the vendor's API: a down service can still be brought back up.
      if (url.pathname.startsWith('/_lab/')) return inner(input, init);
      if (!fault || (fault.pathPrefix !== undefined && !url.pathname.startsWith(fault.pathPrefix)))
        return inner(input, init);
      if (fault.status === undefined) {
        const cause = Object.assign(new Error(`connect ECONNREFUSED ${url.host} (lab fault)`), {
          code: 'ECONNREFUSED',
        });
        throw new TypeError('fetch failed', { cause });
      }
      const headers = new Headers({ 'content-type': 'application/json' });
      if (fault.retryAfterSeconds !== undefined) headers.set('retry-after', String(fault.retryAfterSeconds));
      return new Response(JSON.stringify({ error: 'lab fault', status: fault.status }), {
        status: fault.status,
        headers,
      });
    };
  }
}
