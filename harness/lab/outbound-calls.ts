/**
 * The lab's outbound calls — every request its services make to each other and to the world (pushes,
 * Universal Logout, JWKS and discovery fetches) — kept track of, so that stopping the lab aborts every one
 * still open, its answer's body included, instead of leaving the process to wait for their timeouts.
 *
 * Each call gets a signal of its own that aborts when the caller's signal does or when the lab stops.
 * `AbortSignal.any([callerSignal, labSignal])` would say the same, but on Node 20 every signal it makes
 * stays referenced by the lab's long-lived signal until that aborts — a lab that pushes a million SETs
 * would keep a million of them — so calls are tracked here and forgotten as soon as they end.
 */

import { wholeBodyOf } from '../kernel/index.ts';

/** The reason an outbound call was aborted because the lab stopped. */
export class LabStoppedError extends Error {
  override readonly name = 'LabStoppedError';
  constructor() {
    super('the lab stopped');
  }
}

/** A response body that calls `settle` once it ends, fails or is cancelled (and never more than once). */
function settling(body: ReadableStream<Uint8Array>, settle: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            settle();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          settle();
          controller.error(error);
        }
      },
      cancel(reason) {
        settle();
        return reader.cancel(reason);
      },
    },
    // Pull only when the reader asks: the wrapper adds no buffering of its own.
    { highWaterMark: 0 },
  );
}

const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

function signalOf(
  input: Parameters<typeof fetch>[0],
  init: RequestInit | undefined,
): AbortSignal | undefined {
  return init?.signal ?? (input instanceof Request ? input.signal : undefined);
}

export class OutboundCalls {
  readonly #open = new Set<AbortController>();
  #stopped: LabStoppedError | undefined;

  /** Calls started and not yet ended (their answer's body not yet read to its end or cancelled). */
  get open(): number {
    return this.#open.size;
  }

  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  /** `inner`, with every call tracked until its answer is read, and refused once the lab has stopped. */
  wrap(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      if (this.#stopped) throw this.#stopped;
      const own = signalOf(input, init);
      own?.throwIfAborted();
      const controller = new AbortController();
      const follow = (): void => controller.abort(own?.reason);
      own?.addEventListener('abort', follow, { once: true });
      this.#open.add(controller);
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        this.#open.delete(controller);
        own?.removeEventListener('abort', follow);
      };
      try {
        const response = await inner(input, { ...init, signal: controller.signal });
        // A status that cannot carry a body (or a body already gone) ends the call here; so does an
        // answer already whole in memory (the in-process transport's): nothing of it is left to abort.
        // (Whole first: asking a whole answer for its body would make it the stream it does without.)
        if (
          wholeBodyOf(response) !== undefined ||
          response.body === null ||
          response.status < 200 ||
          NULL_BODY_STATUSES.has(response.status)
        ) {
          settle();
          return response;
        }
        return new Response(settling(response.body, settle), {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } catch (error) {
        settle();
        throw error;
      }
    };
  }

  /** Aborts every open call and refuses new ones from now on; returns how many were open. */
  stop(): number {
    this.#stopped ??= new LabStoppedError();
    const open = [...this.#open];
    this.#open.clear();
    for (const controller of open) controller.abort(this.#stopped);
    return open.length;
  }
}
