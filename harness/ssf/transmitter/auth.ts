/**
 * Who is calling the management API. Every call needs `Authorization: Bearer <token>` (SSF §8; RFC 6750
 * §2.1 — never a query parameter), and a token belongs to one receiver, so a receiver sees and changes
 * only its own streams. Tokens are static by default; with OAuth on, the transmitter also runs an RFC 6749
 * client-credentials token endpoint whose tokens carry the scopes `ssf.read` and/or `ssf.manage`
 * (CAEP interop §2.7.2) and expire (one hour by default, the interop profile's ceiling).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type DeviationSwitch, NO_DEVIATIONS } from '../../kernel/index.ts';
import { SsfApiError } from './errors.ts';

export type Scope = 'ssf.read' | 'ssf.manage';

export interface ReceiverAccount {
  /** Stable id of the receiver (owner of its streams). */
  readonly id: string;
  /** The `aud` its streams get (SSF §8.1.1: transmitter-supplied). */
  readonly audience: string | readonly string[];
  /** Static bearer tokens for this receiver (both scopes). */
  readonly tokens?: readonly string[];
  /** OAuth clients for this receiver. */
  readonly clients?: readonly {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scopes?: readonly Scope[];
  }[];
  /**
   * This receiver's streams' `inactivity_timeout` (SSF §8.1.1), overriding the transmitter's: one account
   * can be given a short one — to grade a receiver's handling of Stream Updated — without pausing others.
   */
  readonly inactivityTimeoutSeconds?: number;
}

export interface Principal {
  readonly receiver: ReceiverAccount;
  readonly scopes: ReadonlySet<Scope>;
}

interface IssuedToken {
  readonly receiverId: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly expiresAt: number;
}

const ALL_SCOPES: readonly Scope[] = ['ssf.read', 'ssf.manage'];

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function challenge(
  error: 'invalid_token' | 'insufficient_scope' | undefined,
  description: string,
  status = 401,
): SsfApiError {
  const params = error
    ? `Bearer error="${error}", error_description="${description.replaceAll('"', "'")}"`
    : 'Bearer';
  return new SsfApiError(status, error ?? 'invalid_token', description, { 'www-authenticate': params });
}

export class Authenticator {
  readonly #receivers: ReceiverAccount[];
  readonly #issued = new Map<string, IssuedToken>();
  readonly #now: () => number;
  readonly #tokenTtlSeconds: number;
  readonly #deviations: DeviationSwitch;

  constructor(
    receivers: readonly ReceiverAccount[],
    now: () => number,
    tokenTtlSeconds = 3600,
    deviations: DeviationSwitch = NO_DEVIATIONS,
  ) {
    this.#receivers = [...receivers];
    this.#now = now;
    this.#tokenTtlSeconds = tokenTtlSeconds;
    this.#deviations = deviations;
  }

  /**
   * The `transmitter-accepts-…` deviations' caller: the first receiver that holds API credentials, with
   * every scope — a development shortcut ("no auth on localhost") left on in production.
   */
  #fallback(): Principal | undefined {
    const receiver = this.#receivers.find((r) => (r.tokens?.length ?? 0) > 0 || (r.clients?.length ?? 0) > 0);
    return receiver ? { receiver, scopes: new Set(ALL_SCOPES) } : undefined;
  }

  addReceiver(account: ReceiverAccount): void {
    if (this.#receivers.some((r) => r.id === account.id))
      throw new TypeError(`receiver "${account.id}" exists`);
    this.#receivers.push(account);
  }

  receiver(id: string): ReceiverAccount | undefined {
    return this.#receivers.find((r) => r.id === id);
  }

  /** Resolves the caller from the Authorization header, or throws 401/403 as RFC 6750 §3.1 says. */
  authenticate(authorization: string | undefined, needs: Scope): Principal {
    if (authorization === undefined || authorization === '') {
      // SSF-8-AUTH (deviation): no credentials at all, and served all the same.
      const anyone = this.#deviations.on('transmitter-accepts-requests-without-a-token')
        ? this.#fallback()
        : undefined;
      if (anyone) return anyone;
      throw challenge(undefined, 'an Authorization: Bearer token is required');
    }
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization);
    if (!match?.[1]) throw challenge('invalid_token', 'the Authorization header is not a Bearer token');
    const token = match[1];
    const principal =
      this.#principalFor(token) ??
      // SSF-8-AUTH (deviation): a token nobody issued, served all the same.
      (this.#deviations.on('transmitter-accepts-any-token') ? this.#fallback() : undefined);
    if (!principal) throw challenge('invalid_token', 'the access token is unknown or expired');
    // ssf.manage covers reads too: a receiver with manage rights can read its own streams.
    if (!principal.scopes.has(needs) && !(needs === 'ssf.read' && principal.scopes.has('ssf.manage'))) {
      throw challenge('insufficient_scope', `this operation needs the ${needs} scope`, 403);
    }
    return principal;
  }

  #principalFor(token: string): Principal | undefined {
    for (const receiver of this.#receivers) {
      if (receiver.tokens?.some((t) => sameSecret(t, token)))
        return { receiver, scopes: new Set(ALL_SCOPES) };
    }
    const issued = this.#issued.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.#now()) {
      this.#issued.delete(token);
      return undefined;
    }
    const receiver = this.receiver(issued.receiverId);
    return receiver ? { receiver, scopes: issued.scopes } : undefined;
  }

  /**
   * RFC 6749 §4.4 client-credentials grant. Client authentication by HTTP Basic (§2.3.1) or by
   * `client_id`/`client_secret` in the body.
   */
  issueToken(
    authorization: string | undefined,
    form: URLSearchParams,
  ): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    if (form.get('grant_type') !== 'client_credentials') {
      throw new SsfApiError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = authorization && /^Basic (.+)$/i.exec(authorization)?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const found = this.#receivers
      .flatMap((r) => (r.clients ?? []).map((c) => ({ r, c })))
      .find(({ c }) => clientId !== undefined && c.clientId === clientId);
    if (!found || clientSecret === undefined || !sameSecret(found.c.clientSecret, clientSecret)) {
      throw new SsfApiError(401, 'invalid_client', 'client authentication failed', {
        'www-authenticate': 'Basic',
      });
    }
    const allowed = found.c.scopes ?? ALL_SCOPES;
    const requested = (form.get('scope') ?? allowed.join(' ')).split(/\s+/).filter(Boolean);
    const unknown = requested.filter((s) => !(allowed as readonly string[]).includes(s));
    if (unknown.length > 0)
      throw new SsfApiError(400, 'invalid_scope', `scope not allowed for this client: ${unknown.join(' ')}`);
    // Access tokens are secrets: always unguessable, even in a seeded run.
    const token = randomBytes(32).toString('base64url');
    this.#issued.set(token, {
      receiverId: found.r.id,
      scopes: new Set(requested as Scope[]),
      expiresAt: this.#now() + this.#tokenTtlSeconds * 1000,
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: this.#tokenTtlSeconds,
      scope: requested.join(' '),
    };
  }
}
