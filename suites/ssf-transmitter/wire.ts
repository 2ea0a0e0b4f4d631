/**
 * What the plan's modules share: plain HTTP calls to the transmitter captured as data (status, a few
 * headers, the body), discovery by path insertion, the JWKS, and judging a SET with the protocol core's
 * validator. Nothing here decides pass or fail; the checks do, over what these functions capture.
 */
import { BODY_CAPS, readBodyText, redactJson } from '../../harness/kernel/index.ts';
import {
  EVENT_URIS,
  type Finding,
  getProfile,
  isJsonObject,
  type JwkSet,
  jwksFromObject,
  type Profile,
  parseJwks,
  validateSet,
} from '../../harness/protocol/index.ts';
import { SkipModule, type SuiteContext } from '../core/index.ts';
import type { ResolvedOptions } from './options.ts';

/** One HTTP exchange as the checks see it. */
export interface Captured {
  readonly method: string;
  readonly url: string;
  /** 0 when no answer came. */
  readonly status: number;
  readonly contentType?: string;
  /** Parsed JSON (secrets redacted) when the body is JSON, the text otherwise, undefined when empty. */
  readonly body?: unknown;
  readonly error?: string;
}

export interface CallInput {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  /** The bearer token; `null` sends no Authorization header. */
  readonly token: string | null;
  /** JSON body; a string is sent as it is (a broken body). */
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
}

export async function call(ctx: SuiteContext, input: CallInput): Promise<Captured> {
  const url = new URL(input.url);
  for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (input.token !== null) headers.authorization = `Bearer ${input.token}`;
  let body: string | undefined;
  if (input.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  }
  try {
    const response = await ctx.fetch(url.href, {
      method: input.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
    // Past BODY_CAPS.apiAnswer the answer is cancelled unread; the catch below records why.
    const text = await readBodyText(response, BODY_CAPS.apiAnswer);
    const contentType = response.headers.get('content-type') ?? undefined;
    let parsed: unknown;
    if (text !== '') {
      try {
        // Captures end up as findings' evidence in a record that holds no secret: an echoed
        // authorization_header is redacted here (on both sides of any comparison alike).
        parsed = redactJson(JSON.parse(text));
      } catch {
        parsed = text.slice(0, 2000);
      }
    }
    return {
      method: input.method,
      url: url.href,
      status: response.status,
      ...(contentType === undefined ? {} : { contentType }),
      ...(parsed === undefined ? {} : { body: parsed }),
    };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { method: input.method, url: url.href, status: 0, error: (error as Error).message };
  }
}

/** SSF §7.2.1: the well-known segment inserted between host and path (the path's trailing / removed). */
export function wellKnownUrl(issuer: string): string {
  const url = new URL(issuer);
  return `${url.origin}/.well-known/ssf-configuration${url.pathname.replace(/\/+$/, '')}`;
}

export type Metadata = Readonly<Record<string, unknown>>;

export interface Discovered {
  readonly metadata: Metadata;
  readonly jwks?: JwkSet;
  readonly jwksProblem?: string;
}

function endpoint(metadata: Metadata, name: string): string | undefined {
  const value = metadata[name];
  return typeof value === 'string' ? value : undefined;
}

/** Discovery for the modules after the metadata module: what it cannot find makes the module skip. */
export async function discover(ctx: SuiteContext, o: ResolvedOptions): Promise<Discovered> {
  const got = await call(ctx, { method: 'GET', url: wellKnownUrl(o.issuer), token: null });
  if (got.status !== 200 || !isJsonObject(got.body))
    throw new SkipModule(
      `the transmitter metadata could not be read (HTTP ${got.status}); see the metadata module`,
      { blockedBy: 'transmitter-metadata-answers-200-json' },
    );
  const metadata = got.body as Metadata;
  const jwksUri = endpoint(metadata, 'jwks_uri');
  if (jwksUri === undefined) return { metadata, jwksProblem: 'the metadata has no jwks_uri' };
  const jwks = await call(ctx, { method: 'GET', url: jwksUri, token: null });
  const parsed = parseJwks(jwks.body);
  if (jwks.status !== 200 || !parsed.ok)
    return { metadata, jwksProblem: `the JWKS at ${jwksUri} is unusable (HTTP ${jwks.status})` };
  return { metadata, jwks: parsed.jwks };
}

export function requireEndpoint(d: Discovered, name: string): string {
  const url = endpoint(d.metadata, name);
  if (url === undefined) throw new SkipModule(`the metadata publishes no ${name}`);
  return url;
}

export function optionalEndpoint(d: Discovered, name: string): string | undefined {
  return endpoint(d.metadata, name);
}

/** Which delivery methods the plan grades here: the option, narrowed to what the metadata lists. */
export function deliveryWanted(d: Discovered, o: ResolvedOptions, method: 'push' | 'poll'): boolean {
  if (o.delivery !== 'both' && o.delivery !== method) return false;
  const listed = d.metadata.delivery_methods_supported;
  const urn = method === 'push' ? 'urn:ietf:rfc:8935' : 'urn:ietf:rfc:8936';
  // Without the (RECOMMENDED) list, try it: the stream create says whether it works.
  return !Array.isArray(listed) || listed.includes(urn);
}

/** A SET as the harness received it (pushed or polled), decoded and judged by the validator. */
export interface JudgedSet {
  readonly via: 'push' | 'poll';
  readonly jti?: string;
  readonly eventTypes: readonly string[];
  /** The verification event's state ('' none), when it is one. */
  readonly state?: string | null;
  readonly subId?: unknown;
  readonly findings: readonly Finding[];
  readonly signature: string;
  /** Why the signature could not be checked (no JWKS). */
  readonly keysProblem?: string;
}

export function ssfProfile(o: ResolvedOptions): Profile {
  const base = getProfile('ssf');
  if (!o.allowHttp) return base;
  // A lab on loopback has an http Issuer; the https rule is graded by the metadata checks instead.
  return { ...base, checks: new Set([...base.checks].filter((c) => c !== 'iss-is-https-url')) };
}

export interface JudgeContext {
  readonly issuer: string;
  readonly audience?: string | readonly string[];
  readonly streamId?: string;
  /** States the harness asked for: a verification event with another state is judged against none. */
  readonly states?: ReadonlySet<string>;
}

/** Decodes and judges a SET; the findings are data for the checks. */
export async function judgeSet(
  token: string,
  via: 'push' | 'poll',
  d: Discovered,
  o: ResolvedOptions,
  jc: JudgeContext,
): Promise<JudgedSet> {
  const first = await validateSet(token, {
    profile: ssfProfile(o),
    ...(d.jwks ? { keys: jwksFromObject(d.jwks, 'the transmitter JWKS') } : {}),
    expectedIssuer: jc.issuer,
    ...(jc.audience === undefined ? {} : { expectedAudience: jc.audience }),
    ...(jc.streamId === undefined ? {} : { expectedStreamId: jc.streamId }),
  });
  const payload = first.payload ?? {};
  const events = isJsonObject(payload.events) ? payload.events : {};
  const verification = events[EVENT_URIS.verification];
  const state = isJsonObject(verification)
    ? typeof verification.state === 'string'
      ? verification.state
      : null
    : undefined;
  return {
    via,
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    eventTypes: Object.keys(events),
    ...(state === undefined ? {} : { state }),
    ...(payload.sub_id === undefined ? {} : { subId: payload.sub_id }),
    // The state rule is judged by the plan's own checks (which states were asked for is the plan's).
    findings: first.findings.filter((f) => f.check !== 'verification-state-matches-expected'),
    signature: first.signature,
    ...(d.jwks ? {} : { keysProblem: d.jwksProblem ?? 'no JWKS' }),
  };
}

/** A fresh, unguessable value (states, tokens, slot names). */
export function nonce(): string {
  return crypto.randomUUID();
}

/** The stream's `aud` as the judge should expect it: the option when given, else the stream's own. */
export function audienceFor(o: ResolvedOptions, stream: unknown): string | readonly string[] | undefined {
  if (o.audience !== undefined) return o.audience;
  if (!isJsonObject(stream)) return undefined;
  const aud = stream.aud;
  if (typeof aud === 'string') return aud;
  if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud as string[];
  return undefined;
}

export function streamIdOf(body: unknown): string | undefined {
  return isJsonObject(body) && typeof body.stream_id === 'string' ? body.stream_id : undefined;
}

/**
 * Creates a stream and registers its deletion: `intend` first (a dry run skips the module), `defer` to
 * delete it whatever happens. Returns the create exchange.
 */
export async function createStream(
  ctx: SuiteContext,
  configurationEndpoint: string,
  token: string,
  body: unknown,
  what = 'create a stream',
): Promise<Captured> {
  if (!ctx.intend(what)) throw new SkipModule(`dry run: would ${what}`);
  const created = await call(ctx, { method: 'POST', url: configurationEndpoint, token, body });
  const id = streamIdOf(created.body);
  if (id !== undefined) {
    ctx.defer(`delete stream ${id}`, async () => {
      const gone = await call(ctx, {
        method: 'DELETE',
        url: configurationEndpoint,
        token,
        query: { stream_id: id },
      });
      // Already deleted by the module itself: nothing left to undo.
      if (gone.status !== 204 && gone.status !== 404 && !(gone.status >= 200 && gone.status < 300))
        throw new Error(`DELETE stream ${id} answered HTTP ${gone.status}`);
    });
  }
  return created;
}

/** Waits until `done()` or the timeout, polling every 25 ms in the target's time. */
export async function waitUntil(ctx: SuiteContext, done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = ctx.now() + timeoutMs;
  while (!done()) {
    if (ctx.now() >= until) return false;
    await ctx.sleep(25);
  }
  return true;
}
