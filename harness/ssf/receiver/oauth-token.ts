/**
 * An OAuth 2.0 access token for the SSF management API, obtained with the client credentials grant
 * (RFC 6749 §4.4) and client_secret_basic authentication (RFC 6749 §2.3.1) — the usual way a Receiver
 * authenticates to a Transmitter that lists `urn:ietf:rfc:6749` in `authorization_schemes` (SSF-7.1, CAEP
 * interop profile §2.2). The token is cached until shortly before `expires_in` runs out, by the
 * scheduler's clock; concurrent callers share one token request; and `invalidate()` drops it when the
 * Transmitter answers 401, so the next call fetches a fresh one.
 */
import { BODY_CAPS, type Scheduler, systemScheduler } from '../../kernel/index.ts';
import { isJsonObject } from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError } from './http-errors.ts';
import { exchange } from './http-exchange.ts';

export interface ClientCredentials {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** e.g. `ssf.manage ssf.read` (CAEP interop profile §2.2 scopes). */
  readonly scope?: string;
}

export interface TokenOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly scheduler?: Scheduler;
}

/** A token is renewed this long before it expires (or at half its lifetime, if that is shorter). */
export const TOKEN_RENEWAL_MARGIN_MS = 30_000;

/** RFC 6749 §2.3.1: the client id and secret are form-urlencoded before they are joined and base64ed. */
function formEncode(value: string): string {
  return new URLSearchParams([['v', value]]).toString().slice(2);
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

interface CachedToken {
  readonly value: string;
  /** Scheduler time after which the token is not used; Infinity when the server gave no lifetime. */
  readonly renewAt: number;
}

export class ClientCredentialsToken {
  readonly #credentials: ClientCredentials;
  readonly #options: TokenOptions;
  readonly #scheduler: Scheduler;
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(credentials: ClientCredentials, options: TokenOptions = {}) {
    this.#credentials = credentials;
    this.#options = options;
    this.#scheduler = options.scheduler ?? systemScheduler;
  }

  /** A valid access token: the cached one, or a new one from the token endpoint. */
  get(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#scheduler.now() < cached.renewAt) return Promise.resolve(cached.value);
    this.#inFlight ??= this.#request().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Forgets the cached token (the resource server rejected it). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #request(): Promise<string> {
    const c = this.#credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (c.scope !== undefined) form.set('scope', c.scope);
    const operation = 'token';
    const response = await exchange(
      {
        url: c.tokenEndpoint,
        method: 'POST',
        headers: {
          authorization: basicAuthorization(c.clientId, c.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      },
      {
        operation,
        timeoutMs: this.#options.timeoutMs ?? 10_000,
        maxBytes: BODY_CAPS.tokenAnswer,
        scheduler: this.#scheduler,
        ...(this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch }),
      },
    );
    const details = { operation, status: response.status, body: response.body };
    // RFC 6749 §5.1: 200 with a JSON object; §5.2: errors are 400 (or 401) with "error".
    if (response.status !== 200) throw new SsfHttpError(details);
    const body = response.body;
    if (response.notJson !== undefined || !isJsonObject(body))
      throw new SsfResponseError(details, response.notJson ?? 'is not a JSON object');
    if (typeof body.access_token !== 'string' || body.access_token === '')
      throw new SsfResponseError(details, 'has no "access_token" (RFC 6749 §5.1)');
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
      throw new SsfResponseError(
        details,
        `has "token_type" ${JSON.stringify(body.token_type ?? null)}; a Bearer token is needed (RFC 6750)`,
      );
    }
    const expiresIn = body.expires_in;
    let renewAt = Number.POSITIVE_INFINITY;
    if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0) {
      const lifetime = expiresIn * 1000;
      renewAt = this.#scheduler.now() + lifetime - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetime / 2);
    }
    this.#cached = { value: body.access_token, renewAt };
    return body.access_token;
  }
}
