/**
 * The harness's own push endpoint (RFC 8935) the transmitter delivers to: one fastify app, one path per
 * stream (`/push/<slot>`), every request kept as plain data for the checks — headers, the SET, when it
 * came and what the harness answered. It answers 202 unless a script says otherwise for a given
 * verification state (503, 429 with Retry-After, 400, or holding the answer past the transmitter's
 * timeout): that is how the retry checks provoke a transmitter.
 *
 * Every inbound request is recorded into the timeline as served by the harness, so a report shows what
 * reached the harness whatever the target is. In the lab the transmitter's own outbound fetch is recorded
 * too, so a push appears twice there (once sent by the transmitter, once received by the harness); the
 * harness's record is the one that exists for a remote target, so it is always made.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeSet, EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';

export interface ScriptStep {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Hold the answer this long before giving it. */
  readonly holdMs?: number;
}

export interface ReceivedPush {
  readonly slot: string;
  /** Target time the request arrived. */
  readonly at: number;
  readonly contentType?: string;
  readonly accept?: string;
  /** Compared with the slot's configured authorization_header, never kept itself. */
  readonly authorization: 'absent' | 'expected' | 'different' | 'present';
  readonly token: string;
  readonly jti?: string;
  /** A verification event's state (null: a verification event without one). */
  readonly state?: string | null;
  /** What the harness answered (0: held past the transmitter's timeout, so not counted as an answer). */
  readonly answered: number;
}

interface Slot {
  readonly authorization?: string;
}

export class PushReceiver {
  readonly app: FastifyInstance;
  readonly pushes: ReceivedPush[] = [];
  readonly #slots = new Map<string, Slot>();
  /** state → the answers to give, one per attempt; after the last, 202. */
  readonly #scripts = new Map<string, readonly ScriptStep[]>();
  readonly #attempts = new Map<string, number>();
  readonly #ctx: SuiteContext;
  #base = '';

  constructor(ctx: SuiteContext) {
    this.#ctx = ctx;
    this.app = Fastify();
    this.app.removeAllContentTypeParsers();
    this.app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_r, body, done) =>
      done(null, body),
    );
    this.app.post('/push/:slot', async (request, reply) => {
      const started = performance.now();
      const { slot } = request.params as { slot: string };
      const token = typeof request.body === 'string' ? request.body.trim() : '';
      const payload = decodeSet(token).payload ?? {};
      const events = isJsonObject(payload.events) ? payload.events : {};
      const v = events[EVENT_URIS.verification];
      const state = isJsonObject(v) ? (typeof v.state === 'string' ? v.state : null) : undefined;
      const header = request.headers.authorization;
      const expected = this.#slots.get(slot)?.authorization;
      const authorization =
        header === undefined
          ? 'absent'
          : expected === undefined
            ? 'present'
            : header === expected
              ? 'expected'
              : 'different';
      let step: ScriptStep = { status: 202 };
      if (typeof state === 'string') {
        const n = this.#attempts.get(state) ?? 0;
        this.#attempts.set(state, n + 1);
        step = this.#scripts.get(state)?.[n] ?? step;
      }
      const push: ReceivedPush = {
        slot,
        at: this.#ctx.now(),
        ...(request.headers['content-type'] === undefined
          ? {}
          : { contentType: request.headers['content-type'] }),
        ...(typeof request.headers.accept === 'string' ? { accept: request.headers.accept } : {}),
        authorization,
        token,
        ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
        ...(state === undefined ? {} : { state }),
        // A held answer is one the transmitter is expected to have given up on: it does not count as given.
        answered: step.holdMs === undefined ? step.status : 0,
      };
      this.pushes.push(push);
      if (step.holdMs !== undefined) await this.#ctx.sleep(step.holdMs).catch(() => undefined);
      const headers: Record<string, string> = {};
      let body = '';
      if (step.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.retryAfterSeconds);
      if (step.status === 400) {
        headers['content-type'] = 'application/json';
        headers['content-language'] = 'en';
        body = JSON.stringify({ err: 'invalid_request', description: 'refused by the ssf-lab retry check' });
      }
      this.#ctx.timeline.record({
        from: 'target',
        to: 'harness',
        method: 'POST',
        url: `${this.#base}${request.url}`,
        requestHeaders: request.headers,
        requestBody: token,
        status: step.status,
        responseHeaders: headers,
        responseBody: body,
        durationMs: performance.now() - started,
      });
      void reply.code(step.status).headers(headers);
      return body === '' ? reply.send() : reply.send(body);
    });
  }

  /** Serves the app where the target can reach it; detached when the module ends. */
  async serve(): Promise<string> {
    const served = await this.#ctx.serve('ssf-transmitter', this.app);
    this.#base = served.url.replace(/\/+$/, '');
    this.#ctx.defer('stop the harness push endpoint', () => served.detach());
    return this.#base;
  }

  /** A push endpoint for one stream; `authorization` is the authorization_header the stream is given. */
  slot(name: string, authorization?: string): string {
    this.#slots.set(name, authorization === undefined ? {} : { authorization });
    return `${this.#base}/push/${encodeURIComponent(name)}`;
  }

  script(state: string, steps: readonly ScriptStep[]): void {
    this.#scripts.set(state, steps);
  }

  withState(state: string): ReceivedPush[] {
    return this.pushes.filter((p) => p.state === state);
  }
}
