/**
 * Lab-only extra issuers: `POST /_lab/trusted-issuers {issuer, jwksUri | jwks, clientId?}` makes the app
 * also accept GTR JWTs from another issuer — the conformance harness playing Okta with its own key, so the
 * `universal-logout` plan can grade the lab's apps without ever holding mock Okta's private key. A token is
 * routed by its (not yet verified) `iss`: a registered issuer's tokens go through the very same
 * GtrTokenVerifier as Okta's, with that issuer's keys and client id and this endpoint's audience, and share
 * the replay cache; every other token, and a request without one, goes to the Okta org's verifier as
 * before. Nothing changes for an app no one registers an issuer with. Reset forgets them.
 *
 * Trusting an issuer is an admin act — whoever holds that issuer's key can then log this app's users out —
 * so each one (and each DELETE) is recorded where the app keeps its lab records: `adminActs` in
 * `GET /_lab/trusted-issuers` (the app has no System Log), with the time, the control and the lab admin as
 * actor (the lab lets only the holder of its admin token reach `/_lab/`). The record outlives a reset.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, DeviationSwitch } from '../../harness/kernel/index.ts';
import {
  isJsonObject,
  jwksFromObject,
  type KeySource,
  parseJwks,
  parseStrictJson,
} from '../../harness/protocol/index.ts';
import type { AppContext } from './context.ts';
import { AppError, badRequest } from './errors.ts';
import { GtrTokenVerifier } from './gtr-token.ts';
import type { ReplayCache } from './replay-cache.ts';
import { APP_ROUTE_SCHEMAS as S } from './route-schemas.ts';

/** A lab has a handful of harness issuers at most; the bound keeps a runaway script from growing memory. */
const MAX_TRUSTED_ISSUERS = 16;

/** Admin acts kept (oldest dropped first). */
export const MAX_ADMIN_ACTS = 100;

/** One admin act on the app's trusted issuers, as `GET /_lab/trusted-issuers` lists it. */
export interface TrustedIssuerAct {
  readonly seq: number;
  readonly at: string;
  readonly actor: 'lab admin';
  readonly control: 'POST /_lab/trusted-issuers' | 'DELETE /_lab/trusted-issuers';
  readonly act: 'trust-issuer' | 'forget-issuers';
  readonly issuer?: string;
  readonly clientId?: string;
}

export interface TrustedIssuerView {
  readonly issuer: string;
  readonly clientId: string;
  readonly jwksUri?: string;
  /** Number of keys, when the JWKS was given inline. */
  readonly keys?: number;
}

interface Entry {
  readonly view: TrustedIssuerView;
  readonly verifier: GtrTokenVerifier;
}

export interface TrustedIssuersOptions {
  readonly audience: string;
  readonly clockSkewSeconds: number;
  readonly clock: Clock;
  readonly replay: ReplayCache;
  /** The app's deviations, which a registered issuer's tokens meet as Okta's do. */
  readonly deviations: DeviationSwitch;
  /** A key source over a JWKS URL, fetched with the app's outbound fetch and JWKS cache settings. */
  readonly remoteKeys: (url: string) => KeySource;
}

/** The unverified `iss` of a bearer JWT, or undefined when there is none to read. */
export function peekIssuer(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.[A-Za-z0-9_-]* *$/i.exec(authorization ?? '');
  const segment = match?.[2];
  if (segment === undefined || segment.length > 8 * 1024) return undefined;
  const parsed = parseStrictJson(Buffer.from(segment, 'base64url').toString('utf8'), 8);
  if (!parsed.ok || !isJsonObject(parsed.value)) return undefined;
  const iss = (parsed.value as Record<string, unknown>).iss;
  return typeof iss === 'string' ? iss : undefined;
}

export class TrustedIssuers {
  readonly #options: TrustedIssuersOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #acts: TrustedIssuerAct[] = [];
  #seq = 0;

  constructor(options: TrustedIssuersOptions) {
    this.#options = options;
  }

  /** Records an admin act (see the module comment). */
  record(act: Omit<TrustedIssuerAct, 'seq' | 'at' | 'actor'>): void {
    this.#acts.push({
      seq: ++this.#seq,
      at: new Date(this.#options.clock.now()).toISOString(),
      actor: 'lab admin',
      ...act,
    });
    if (this.#acts.length > MAX_ADMIN_ACTS) this.#acts.shift();
  }

  acts(): readonly TrustedIssuerAct[] {
    return [...this.#acts];
  }

  add(issuer: string, clientId: string, keys: { jwksUri: string } | { jwks: unknown }): TrustedIssuerView {
    let source: KeySource;
    let view: TrustedIssuerView;
    if ('jwksUri' in keys) {
      source = this.#options.remoteKeys(keys.jwksUri);
      view = { issuer, clientId, jwksUri: keys.jwksUri };
    } else {
      const parsed = parseJwks(keys.jwks);
      if (!parsed.ok) throw badRequest(`jwks: ${parsed.message}`);
      source = jwksFromObject(parsed.jwks, `the JWKS registered for ${issuer}`);
      view = { issuer, clientId, keys: parsed.jwks.keys.length };
    }
    if (!this.#entries.has(issuer) && this.#entries.size >= MAX_TRUSTED_ISSUERS)
      throw new AppError(409, 'conflict', `at most ${MAX_TRUSTED_ISSUERS} extra issuers; reset first`);
    const { audience, clockSkewSeconds, clock, replay, deviations } = this.#options;
    const verifier = new GtrTokenVerifier(
      source,
      { issuer, audience, clientId, clockSkewSeconds, clock },
      replay,
      deviations,
    );
    this.#entries.set(issuer, { view, verifier });
    return view;
  }

  /** The verifier for a request's token: a registered issuer's, else undefined (the Okta org's applies). */
  verifierFor(authorization: string | undefined): GtrTokenVerifier | undefined {
    if (this.#entries.size === 0) return undefined;
    const iss = peekIssuer(authorization);
    return iss === undefined ? undefined : this.#entries.get(iss)?.verifier;
  }

  list(): TrustedIssuerView[] {
    return [...this.#entries.values()].map((e) => e.view);
  }

  clear(): void {
    this.#entries.clear();
  }
}

function httpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length > 2048) throw badRequest(`${name} must be an http(s) URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`${name} must be an absolute URL, not ${JSON.stringify(value.slice(0, 100))}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hash !== '')
    throw badRequest(`${name} must be an http(s) URL without a fragment`);
  return value;
}

export async function trustedIssuerRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  app.post(
    '/_lab/trusted-issuers',
    { schema: S.trustIssuer },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body;
      if (!isJsonObject(body))
        throw badRequest(
          'the body must be a JSON object like {"issuer": "https://…", "jwksUri": "https://…"}',
        );
      const b = body as Record<string, unknown>;
      const extra = Object.keys(b).find((k) => !['issuer', 'clientId', 'jwksUri', 'jwks'].includes(k));
      if (extra !== undefined)
        throw badRequest(`unknown member "${extra.slice(0, 40)}"; send issuer, jwksUri or jwks, clientId`);
      // The issuer is compared byte for byte, as the Okta org's is.
      const issuer = httpUrl(b.issuer, 'issuer');
      if (issuer.replace(/\/+$/, '') === ctx.oktaIssuer)
        throw badRequest('issuer is the Okta org this app already trusts; register a different issuer');
      if ((b.jwksUri === undefined) === (b.jwks === undefined))
        throw badRequest('send exactly one of jwksUri (a URL the app fetches) and jwks (the JWK Set itself)');
      if (b.clientId !== undefined && (typeof b.clientId !== 'string' || b.clientId === ''))
        throw badRequest('clientId, when given, must be a non-empty string');
      const clientId = typeof b.clientId === 'string' ? b.clientId : ctx.clientId;
      const view = ctx.trustedIssuers.add(
        issuer,
        clientId,
        b.jwksUri !== undefined ? { jwksUri: httpUrl(b.jwksUri, 'jwksUri') } : { jwks: b.jwks },
      );
      ctx.trustedIssuers.record({
        control: 'POST /_lab/trusted-issuers',
        act: 'trust-issuer',
        issuer,
        clientId,
      });
      return reply.code(201).send(view);
    },
  );

  app.get('/_lab/trusted-issuers', { schema: S.trustedIssuers }, async () => ({
    issuers: ctx.trustedIssuers.list(),
    adminActs: ctx.trustedIssuers.acts(),
  }));

  app.delete(
    '/_lab/trusted-issuers',
    { schema: S.forgetIssuers },
    async (_request: FastifyRequest, reply: FastifyReply) => {
      ctx.trustedIssuers.clear();
      ctx.trustedIssuers.record({ control: 'DELETE /_lab/trusted-issuers', act: 'forget-issuers' });
      return reply.code(204).send();
    },
  );
}
