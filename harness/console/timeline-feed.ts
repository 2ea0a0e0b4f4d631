/**
 * The live timeline: every exchange between the lab's services, as the lab's Timeline records it
 * (redacted, SETs decoded), sent to each open page as a server-sent event the moment it completes — the
 * same record `GET /_lab/timeline` pages through and `serve --narrate` tells. A page gets the recent past
 * when it connects, then each hop live; and a SET it clicks is judged here: decoded, its signature
 * verified against the transmitter's published JWKS, and its findings under each profile.
 */
import type { ServerResponse } from 'node:http';
import { BODY_CAPS, redactUrl } from '../kernel/index.ts';
import {
  type Finding,
  jwksFromObject,
  type KeySource,
  PROFILE_NAMES,
  parseJwks,
  validateSet,
} from '../protocol/index.ts';
import type { Exchange, Timeline } from '../records/index.ts';
import { ConsoleError, type LabClient } from './lab-client.ts';

/** One hop as the page draws it: no header, no body (the SET aside, decoded). */
export interface Hop {
  readonly seq: number;
  readonly at: number;
  readonly realMs: number | undefined;
  readonly from: string;
  readonly to: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly durationMs: number;
  /** A SET the request carried: its event type's last segment, `jti`, and the levels of a risk change. */
  readonly set?: { readonly event: string; readonly jti: string; readonly summary: string };
}

/** Hops a page gets when it connects (the recent past); older ones are in `GET /_lab/record`. */
export const BACKLOG = 300;
/** Pages following the timeline at once; past it a new one is refused (503) rather than slowing the lab. */
export const MAX_FOLLOWERS = 16;
/** A comment every so often keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function hopOf(exchange: Exchange): Hop {
  let path = exchange.url;
  try {
    const url = new URL(redactUrl(exchange.url));
    path = `${url.pathname}${url.search}`;
  } catch {
    path = redactUrl(exchange.url);
  }
  const events = exchange.set?.claims?.events;
  let set: Hop['set'];
  if (exchange.set !== undefined) {
    const uri = events && typeof events === 'object' ? (Object.keys(events)[0] ?? '') : '';
    const payload = (events as Record<string, Record<string, unknown>> | undefined)?.[uri] ?? {};
    const levels =
      payload.previous_level !== undefined || payload.current_level !== undefined
        ? `${str(payload.previous_level) || '?'} → ${str(payload.current_level) || '?'}`
        : str(payload.status);
    set = {
      event: uri.split('/').at(-1) ?? 'SET',
      jti: str(exchange.set.claims?.jti),
      summary: levels,
    };
  }
  return {
    seq: exchange.seq,
    at: exchange.at,
    realMs: exchange.realMs,
    from: exchange.from,
    to: exchange.to,
    method: exchange.method,
    path: path.slice(0, 300),
    status: exchange.status,
    error: exchange.error,
    durationMs: Math.round(exchange.durationMs),
    ...(set === undefined ? {} : { set }),
  };
}

/** Follows `timeline` for the pages that ask: each gets the backlog, then every hop as it completes. */
export class TimelineFeed {
  readonly #timeline: Timeline;
  readonly #followers = new Set<ServerResponse>();
  #unsubscribe: (() => void) | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(timeline: Timeline) {
    this.#timeline = timeline;
  }

  get followers(): number {
    return this.#followers.size;
  }

  /** Takes over `response` as an event stream; false when too many pages follow already. */
  follow(response: ServerResponse): boolean {
    if (this.#followers.size >= MAX_FOLLOWERS) return false;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    // The recent past in completion order (the order `/_lab/timeline` gives), then live.
    const { exchanges } = this.#timeline.completedSince(0);
    for (const exchange of exchanges.slice(-BACKLOG)) write(response, hopOf(exchange));
    this.#followers.add(response);
    response.on('close', () => this.#leave(response));
    if (this.#unsubscribe === undefined) {
      this.#unsubscribe = this.#timeline.subscribe((exchange) => {
        const hop = hopOf(exchange);
        for (const follower of this.#followers) write(follower, hop);
      });
      this.#heartbeat = setInterval(() => {
        for (const follower of this.#followers) follower.write(': still here\n\n');
      }, HEARTBEAT_MS);
      this.#heartbeat.unref();
    }
    return true;
  }

  #leave(response: ServerResponse): void {
    this.#followers.delete(response);
    if (this.#followers.size === 0) this.#quiet();
  }

  #quiet(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#heartbeat);
  }

  /** Ends every stream (the console stopping). */
  close(): void {
    for (const follower of this.#followers) follower.end();
    this.#followers.clear();
    this.#quiet();
  }
}

function write(response: ServerResponse, hop: Hop): void {
  // JSON on one line: no newline can end the event early, whatever a service put in a path.
  response.write(`id: ${hop.seq}\nevent: hop\ndata: ${JSON.stringify(hop)}\n\n`);
}

export interface SetJudgement {
  readonly seq: number;
  readonly from: string;
  readonly to: string;
  readonly status: number | undefined;
  readonly header: Record<string, unknown> | null;
  readonly payload: Record<string, unknown> | null;
  /** `verified`, `failed`, … as the validator says; `not-checked` when the JWKS could not be had. */
  readonly signature: string;
  readonly jwks: string;
  readonly profiles: Readonly<Record<string, readonly Finding[]>>;
}

/** The SET the exchange `seq` carried, judged under every profile with the transmitter's keys. */
export async function judgeSet(timeline: Timeline, client: LabClient, seq: number): Promise<SetJudgement> {
  const exchange = timeline.entries.find((e) => e.seq === seq);
  if (exchange === undefined)
    throw new ConsoleError(404, `no exchange ${seq} in the lab's timeline (it keeps the last 10,000)`);
  const token = exchange.requestBody?.trim() ?? '';
  if (exchange.set === undefined || token === '')
    throw new ConsoleError(404, `exchange ${seq} carried no SET`);
  if (token.length > BODY_CAPS.set) throw new ConsoleError(422, 'the SET is larger than any SET needs to be');
  // The keys the transmitter publishes now: its metadata's jwks_uri, as a receiver finds them.
  let keys: KeySource | undefined;
  let jwks = client.manifest.jamfSecurityCloud.wellKnownUrl;
  try {
    const metadata = (await client.ok(jwks)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri === 'string') {
      jwks = metadata.jwks_uri;
      const parsed = parseJwks(await client.ok(jwks));
      if (parsed.ok) keys = jwksFromObject(parsed.jwks, jwks);
    }
  } catch {
    // No keys: the SET is judged without its signature ("not-checked"), and the page says so.
  }
  const profiles: Record<string, readonly Finding[]> = {};
  let result: Awaited<ReturnType<typeof validateSet>> | undefined;
  for (const profile of PROFILE_NAMES) {
    result = await validateSet(token, {
      profile,
      ...(keys === undefined ? {} : { keys }),
      // Judged as of when it was sent, not now: a SET a minute old is not "stale".
      clock: { now: () => exchange.at },
    });
    profiles[profile] = result.findings;
  }
  return {
    seq,
    from: exchange.from,
    to: exchange.to,
    status: exchange.status,
    header: result?.header ?? null,
    payload: result?.payload ?? null,
    signature: result?.signature ?? 'not-checked',
    jwks,
    profiles,
  };
}
