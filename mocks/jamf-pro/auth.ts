/**
 * Who may call the mock, and the tokens they get. Jamf Pro has two token paths: API clients use the OAuth
 * client-credentials grant (`POST /api/oauth/token`, form body, `expires_in` in seconds) and user accounts
 * trade HTTP Basic for a bearer token (`POST /api/v1/auth/token`, `expires` as an ISO string). Both tokens
 * are JWTs that work on the Pro API and the Classic API alike.
 *
 * Tokens here are real HS512 JWTs signed with a per-instance random key (so they are unguessable even in a
 * seeded run), with the claims Jamf's tokens carry. The JWT alone is not enough: every token is also
 * recorded by its `token-uuid`, which is how keep-alive and invalidate-token can revoke one before it
 * expires. Expiry is judged against the injected clock. The record keeps at most `MAX_ACTIVE_TOKENS`
 * tokens; expired ones are dropped first, then the oldest (documented in the README).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Clock, rememberIssuedSecret } from '../../harness/kernel/index.ts';
import { JamfError, OAuthError } from './errors.ts';

export interface ApiClientAccount {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The API roles the client may request, as they appear in `scope` (default `['api-role:1']`). */
  readonly scopes?: readonly string[];
}

export interface UserAccount {
  readonly username: string;
  readonly password: string;
}

export type Principal =
  | { readonly kind: 'client'; readonly clientId: string; readonly scopes: readonly string[] }
  | { readonly kind: 'user'; readonly username: string; readonly userId: number };

export interface AuthenticatedToken {
  readonly principal: Principal;
  readonly tokenUuid: string;
  readonly expiresAt: number;
}

/** Why a bearer token was refused; the Pro API's 401 body differs by reason (see the README). */
export type AuthRefusal = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';

interface IssuedToken {
  readonly principal: Principal;
  readonly expiresAt: number;
  revoked: boolean;
}

export const MAX_ACTIVE_TOKENS = 10_000;

export interface TokenLifetimes {
  /** OAuth client token lifetime in seconds (default 1200). */
  readonly oauth?: number;
  /** User bearer token lifetime in seconds (default 1800, Jamf's 30 minutes). */
  readonly user?: number;
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Decodes `Authorization: Basic …` into its two halves, or `undefined` when it is not Basic. */
export function parseBasic(authorization: string | undefined): { user: string; secret: string } | undefined {
  const match = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export class TokenService {
  readonly #clients: readonly ApiClientAccount[];
  readonly #users: readonly UserAccount[];
  readonly #clock: Clock;
  readonly #oauthSeconds: number;
  readonly #userSeconds: number;
  readonly #issuer: string;
  readonly #key = randomBytes(64);
  readonly #issued = new Map<string, IssuedToken>();

  constructor(options: {
    clients: readonly ApiClientAccount[];
    users: readonly UserAccount[];
    clock: Clock;
    lifetimes: TokenLifetimes;
    issuer: string;
  }) {
    this.#clients = options.clients;
    this.#users = options.users;
    this.#clock = options.clock;
    this.#oauthSeconds = options.lifetimes.oauth ?? 1200;
    this.#userSeconds = options.lifetimes.user ?? 1800;
    this.#issuer = options.issuer;
  }

  get activeTokens(): number {
    return [...this.#issued.values()].filter((t) => !t.revoked && t.expiresAt > this.#clock.now()).length;
  }

  #sign(claims: Record<string, unknown>): string {
    const head = `${b64url(JSON.stringify({ alg: 'HS512' }))}.${b64url(JSON.stringify(claims))}`;
    const signature = createHmac('sha512', this.#key).update(head).digest('base64url');
    // Remembered as issued so recorders redact it by value (harness/kernel/issued-secrets.ts).
    return rememberIssuedSecret(`${head}.${signature}`);
  }

  #record(principal: Principal, lifetimeSeconds: number): { uuid: string; now: number; expiresAt: number } {
    const now = this.#clock.now();
    // Bounded: drop expired and revoked records first, then the oldest live ones.
    if (this.#issued.size >= MAX_ACTIVE_TOKENS) {
      for (const [uuid, t] of this.#issued) if (t.revoked || t.expiresAt <= now) this.#issued.delete(uuid);
      for (const uuid of this.#issued.keys()) {
        if (this.#issued.size < MAX_ACTIVE_TOKENS) break;
        this.#issued.delete(uuid);
      }
    }
    const uuid = randomUUID();
    const expiresAt = now + lifetimeSeconds * 1000;
    this.#issued.set(uuid, { principal, expiresAt, revoked: false });
    return { uuid, now, expiresAt };
  }

  /** RFC 6749 §4.4 client credentials; client authentication by form fields or HTTP Basic. */
  issueClientToken(
    form: URLSearchParams,
    authorization: string | undefined,
  ): { access_token: string; scope: string; token_type: 'Bearer'; expires_in: number } {
    const grant = form.get('grant_type');
    if (grant === null) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials')
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported`);
    const basic = parseBasic(authorization);
    const clientId = basic?.user ?? form.get('client_id');
    const clientSecret = basic?.secret ?? form.get('client_secret');
    if (!clientId || clientSecret === null)
      throw new OAuthError(400, 'invalid_request', 'client_id and client_secret are required');
    const client = this.#clients.find((c) => c.clientId === clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret))
      throw new OAuthError(401, 'invalid_client', 'client authentication failed');
    const allowed = client.scopes ?? ['api-role:1'];
    const requested = form.get('scope');
    const scopes = requested === null ? allowed : requested.split(/\s+/).filter(Boolean);
    const unknown = scopes.filter((s) => !allowed.includes(s));
    if (unknown.length > 0)
      throw new OAuthError(400, 'invalid_scope', `scope not granted: ${unknown.join(' ')}`);
    const principal: Principal = { kind: 'client', clientId, scopes };
    const { uuid, now, expiresAt } = this.#record(principal, this.#oauthSeconds);
    const iat = Math.floor(now / 1000);
    const token = this.#sign({
      aud: clientId,
      sub: clientId,
      nbf: iat,
      'subject-type': 'REGISTERED_CLIENT_ID',
      'token-uuid': uuid,
      'authentication-type': 'CLIENT_CREDENTIALS',
      scope: scopes,
      iss: this.#issuer,
      exp: Math.floor(expiresAt / 1000),
      iat,
    });
    return {
      access_token: token,
      scope: scopes.join(' '),
      token_type: 'Bearer',
      expires_in: this.#oauthSeconds,
    };
  }

  #userToken(principal: Principal & { kind: 'user' }): { token: string; expires: string } {
    const { uuid, expiresAt } = this.#record(principal, this.#userSeconds);
    const token = this.#sign({
      'authenticated-app': 'GENERIC',
      'authentication-type': 'JSS',
      groups: [],
      'subject-type': 'JSS_USER_ID',
      'token-uuid': uuid,
      'ldap-server-id': -1,
      sub: String(principal.userId),
      exp: Math.floor(expiresAt / 1000),
    });
    return { token, expires: new Date(expiresAt).toISOString() };
  }

  /** `POST /api/v1/auth/token`: HTTP Basic for a user account. */
  issueUserToken(authorization: string | undefined): { token: string; expires: string } {
    const basic = parseBasic(authorization);
    const index = basic ? this.#users.findIndex((u) => u.username === basic.user) : -1;
    const user = this.#users[index];
    if (!basic || !user || !sameSecret(user.password, basic.secret)) throw unauthorized('missing');
    return this.#userToken({ kind: 'user', username: user.username, userId: index + 1 });
  }

  /** Classic API HTTP Basic (only when the mock allows it): the user, or `undefined`. */
  basicUser(authorization: string | undefined): Principal | undefined {
    const basic = parseBasic(authorization);
    const index = basic ? this.#users.findIndex((u) => u.username === basic.user) : -1;
    const user = this.#users[index];
    if (!basic || !user || !sameSecret(user.password, basic.secret)) return undefined;
    return { kind: 'user', username: user.username, userId: index + 1 };
  }

  /** Resolves `Authorization: Bearer <jwt>`, or says why not. */
  authenticate(authorization: string | undefined): AuthenticatedToken | AuthRefusal {
    if (!authorization) return 'missing';
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\s*$/i.exec(authorization);
    if (!match?.[1] || !match[2] || !match[3]) return 'malformed';
    const expected = createHmac('sha512', this.#key).update(`${match[1]}.${match[2]}`).digest('base64url');
    if (!sameSecret(expected, match[3])) return 'unknown';
    let uuid: unknown;
    try {
      uuid = (JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8')) as Record<string, unknown>)[
        'token-uuid'
      ];
    } catch {
      return 'malformed';
    }
    const issued = typeof uuid === 'string' ? this.#issued.get(uuid) : undefined;
    if (typeof uuid !== 'string' || !issued) return 'expired';
    if (issued.revoked) return 'revoked';
    if (issued.expiresAt <= this.#clock.now()) return 'expired';
    return { principal: issued.principal, tokenUuid: uuid, expiresAt: issued.expiresAt };
  }

  /** `POST /api/v1/auth/keep-alive`: a fresh user token; the presented one stops working. */
  keepAlive(current: AuthenticatedToken): { token: string; expires: string } {
    if (current.principal.kind !== 'user') {
      throw new JamfError(403, [
        {
          code: 'ACCESS_DENIED',
          field: null,
          description: 'keep-alive is for user tokens; API clients request a new token from /api/oauth/token',
          id: '0',
        },
      ]);
    }
    this.invalidate(current);
    return this.#userToken(current.principal);
  }

  invalidate(current: AuthenticatedToken): void {
    const issued = this.#issued.get(current.tokenUuid);
    if (issued) issued.revoked = true;
  }
}

/**
 * The Pro API's 401. A missing or invalidated token gets `errors: []` (what an invalidated token gets from a
 * real server); a token that is malformed, forged or expired gets Jamf's `INVALID_TOKEN` cause.
 */
export function unauthorized(reason: AuthRefusal): JamfError {
  const causes =
    reason === 'missing' || reason === 'revoked'
      ? []
      : [{ code: 'INVALID_TOKEN', field: null, description: 'Unauthorized', id: '0' }];
  return new JamfError(401, causes);
}
