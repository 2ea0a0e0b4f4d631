/**
 * The harness playing Okta: it mints Global Token Revocation JWTs as Okta's guide describes them (header
 * `typ: global-token-revocation+jwt`; claims jti, iss, sub, aud, exp +5 min, nbf −5 min, iat), each with
 * a fresh `jti` so a replay defence never masks what a request tests, sends them to the app, and keeps
 * what came back — the status and a short excerpt of the body, never a token.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { BODY_CAPS, readBodyHeadText } from '../../harness/kernel/index.ts';
import { generateSigningKey, publicJwks, type SigningKey, signSet } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';
import type { ResolvedOptions, SessionProbe } from './options.ts';

export const GTR_JWT_TYP = 'global-token-revocation+jwt';
/** Okta's tokens live five minutes; `nbf` is five minutes before `iat` (Okta's guide). */
const LIFETIME_SECONDS = 300;
const BODY_EXCERPT = 300;

/** What the app answered: `status` null when no answer came (network error, timeout). */
export interface Answer {
  readonly status: number | null;
  /** The start of the response body, or the network error. */
  readonly excerpt: string;
}

export interface MintOverrides {
  /** Sign with this key instead (the forged-signature case). */
  readonly key?: SigningKey;
  /** Claims to replace. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export async function mintToken(
  options: ResolvedOptions,
  nowMs: number,
  overrides: MintOverrides = {},
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const claims = {
    jti: randomUUID(),
    iss: options.issuer,
    sub: options.clientId,
    aud: options.endpoint,
    iat: now,
    nbf: now - LIFETIME_SECONDS,
    exp: now + LIFETIME_SECONDS,
    ...overrides.claims,
  };
  const key = overrides.key ?? options.key;
  // The header names the trusted key's kid even when a forger signs: the app must check the signature.
  return signSet(claims, key, { header: { typ: GTR_JWT_TYP, kid: options.key.kid } });
}

/** A key of the same algorithm the app has never seen, to forge a signature with. */
export async function impostorKey(options: ResolvedOptions): Promise<SigningKey> {
  return (await generateSigningKey(options.key.alg, { kid: options.key.kid })).key;
}

async function answerOf(pending: Promise<Response>): Promise<Answer> {
  try {
    const response = await pending;
    // Only an excerpt is kept: the first BODY_CAPS.logoutAnswer bytes are read, the rest cancelled unread.
    const { text } = await readBodyHeadText(response, BODY_CAPS.logoutAnswer);
    return { status: response.status, excerpt: text.slice(0, BODY_EXCERPT) };
  } catch (error) {
    return { status: null, excerpt: error instanceof Error ? error.message : String(error) };
  }
}

export interface GtrRequest {
  /** The bearer token; null sends no Authorization header. */
  readonly token: string | null;
  /** The raw body (already JSON, or deliberately not). */
  readonly body: string;
}

export function sendGtr(ctx: SuiteContext, options: ResolvedOptions, request: GtrRequest): Promise<Answer> {
  return answerOf(
    ctx.fetch(options.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(request.token === null ? {} : { authorization: `Bearer ${request.token}` }),
      },
      body: request.body,
      signal: ctx.signal,
    }),
  );
}

export function sendProbe(ctx: SuiteContext, probe: SessionProbe): Promise<Answer> {
  return answerOf(
    ctx.fetch(probe.url, {
      method: probe.method ?? 'GET',
      headers: { ...probe.headers },
      ...(probe.body === undefined ? {} : { body: probe.body }),
      signal: ctx.signal,
    }),
  );
}

/**
 * SuiteContext.serve lives as long as the context, but a module's cleanup runs when the module ends, so
 * the JWKS is served once per run (keyed by the run's options object) and left for the context to close.
 */
const served = new WeakMap<object, Promise<string>>();

export function serveJwksOnce(ctx: SuiteContext, raw: object, options: ResolvedOptions): Promise<string> {
  let url = served.get(raw);
  if (url === undefined) {
    const app = Fastify({ logger: false });
    app.get(options.jwksPath, async (_request, reply) =>
      reply.header('cache-control', 'max-age=60').send(publicJwks(options.key)),
    );
    url = ctx.serve('universal-logout-jwks', app).then((s) => {
      const at = `${s.url}${options.jwksPath}`;
      ctx.progress(`serving the signing key's JWKS at ${at}`);
      return at;
    });
    served.set(raw, url);
  }
  return url;
}
