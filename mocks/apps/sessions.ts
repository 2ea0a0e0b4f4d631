/**
 * The app's own sign-in state: one session per SSO sign-in, each with a session cookie, the access tokens
 * issued in it and one refresh token (refresh grants mint access tokens and do not rotate the refresh
 * token; RFC 6749 §6 allows either). This is what Universal Logout acts on.
 *
 * Secrets are random and handed out once, at sign-in or refresh; the store keeps only their SHA-256, so
 * nothing the lab can list or dump holds a usable credential. Bounded: at most 10,000 sessions (the oldest
 * is forgotten first) and 100 access tokens per session (likewise); a forgotten credential is unknown.
 */
import { hash, randomBytes } from 'node:crypto';
import type { FleetUser } from '../../harness/fleet/index.ts';
import { type IdSource, rememberIssuedSecret } from '../../harness/kernel/index.ts';
import type { Lifetimes } from './profiles.ts';

export type CredentialKind = 'session' | 'access-token' | 'refresh-token';
export type CredentialState = 'active' | 'expired' | 'revoked';
/** Why a credential stopped working before it expired. */
export type EndedBy = 'universal-logout' | 'sign-out';

interface Credential {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly hash: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revokedAt?: number;
  revokedBy?: EndedBy;
}

interface Session {
  readonly id: string;
  readonly email: string;
  readonly oktaUserId?: string;
  readonly cookie: Credential;
  readonly accessTokens: Credential[];
  readonly refreshToken: Credential;
  issuedAccessTokens: number;
}

export interface CredentialView {
  readonly id: string;
  readonly state: CredentialState;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  readonly revokedBy?: EndedBy;
}

/** A session as the lab shows it: states and times, never a secret. */
export interface SessionView {
  readonly sessionId: string;
  readonly email: string;
  readonly oktaUserId?: string;
  /** The session cookie's state. */
  readonly state: CredentialState;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  readonly revokedBy?: EndedBy;
  readonly accessTokens: readonly CredentialView[];
  readonly refreshToken: CredentialView;
}

/** The secrets of a new sign-in: what the browser and the app's client would hold. */
export interface SignInSecrets {
  readonly sessionId: string;
  /** The cookie value (without the name). */
  readonly cookieValue: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessTokenExpiresIn: number;
}

export type Lookup =
  | { readonly ok: true; readonly session: SessionView }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked'; readonly revokedBy?: EndedBy };

export interface RevocationCounts {
  readonly sessions: number;
  readonly accessTokens: number;
  readonly refreshTokens: number;
}

/** What Universal Logout revokes: everything (full), or refresh tokens only (partial). */
export type RevocationScope = 'full' | 'refresh-tokens';

export interface SessionStoreOptions {
  readonly now: () => number;
  readonly ids: IdSource;
  readonly lifetimes: Lifetimes;
  readonly maxSessions?: number;
  readonly maxAccessTokensPerSession?: number;
}

const PREFIX: Readonly<Record<CredentialKind, string>> = {
  session: 'sess_',
  'access-token': 'at_',
  'refresh-token': 'rt_',
};

function hashOf(secret: string): string {
  // base64url rather than hex: the key is only ever compared, and 43 characters hold less than 64 (a
  // 10,000-device lab keeps about 25,000 sessions of three credentials each).
  return hash('sha256', secret, 'base64url');
}

/**
 * 32 random bytes at a time, drawn from node:crypto's generator 8 KiB at once: one draw per 256 secrets
 * instead of one each, which at a fleet's bulk sign-in (75,000 secrets) also spares the collector as
 * many small buffers. Every secret still gets bytes of its own, never reused.
 */
const RANDOM_POOL_BYTES = 8 * 1024;
let randomPool = Buffer.alloc(0);
let randomAt = 0;

function randomText32(): string {
  if (randomAt + 32 > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomAt = 0;
  }
  const text = randomPool.toString('base64url', randomAt, randomAt + 32);
  // Used bytes are wiped, so the pool never holds a secret already handed out.
  randomPool.fill(0, randomAt, randomAt + 32);
  randomAt += 32;
  return text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class SessionStore {
  readonly #now: () => number;
  readonly #ids: IdSource;
  readonly #lifetimes: Lifetimes;
  readonly #maxSessions: number;
  readonly #maxAccessTokens: number;
  /** Insertion order is sign-in order, so the first entry is the oldest session. */
  readonly #sessions = new Map<string, Session>();
  readonly #byHash = new Map<string, { session: Session; credential: Credential }>();

  constructor(options: SessionStoreOptions) {
    this.#now = options.now;
    this.#ids = options.ids;
    this.#lifetimes = options.lifetimes;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#maxAccessTokens = options.maxAccessTokensPerSession ?? 100;
  }

  #issue(
    kind: CredentialKind,
    id: string,
    lifetimeSeconds: number,
    remember = true,
  ): { credential: Credential; secret: string } {
    // Remembered as issued so recorders redact it by value (harness/kernel/issued-secrets.ts).
    const raw = `${PREFIX[kind]}${randomText32()}`;
    const secret = remember ? rememberIssuedSecret(raw) : raw;
    const issuedAt = this.#now();
    return {
      credential: { id, kind, hash: hashOf(secret), issuedAt, expiresAt: issuedAt + lifetimeSeconds * 1000 },
      secret,
    };
  }

  #stateOf(credential: Credential): CredentialState {
    if (credential.revokedAt !== undefined) return 'revoked';
    return this.#now() >= credential.expiresAt ? 'expired' : 'active';
  }

  #addAccessToken(session: Session, remember = true): string {
    session.issuedAccessTokens += 1;
    const { credential, secret } = this.#issue(
      'access-token',
      `${session.id}.at${session.issuedAccessTokens}`,
      this.#lifetimes.accessTokenSeconds,
      remember,
    );
    session.accessTokens.push(credential);
    this.#byHash.set(credential.hash, { session, credential });
    while (session.accessTokens.length > this.#maxAccessTokens) {
      const oldest = session.accessTokens.shift();
      if (oldest) this.#byHash.delete(oldest.hash);
    }
    return secret;
  }

  #forget(session: Session): void {
    this.#sessions.delete(session.id);
    this.#byHash.delete(session.cookie.hash);
    this.#byHash.delete(session.refreshToken.hash);
    for (const token of session.accessTokens) this.#byHash.delete(token.hash);
  }

  /** A new SSO sign-in: a session, its cookie, an access token and a refresh token. */
  signIn(user: FleetUser, oktaUserId?: string): SignInSecrets {
    return this.#signIn(user, oktaUserId, true);
  }

  /**
   * The same sign-in for a caller that is given none of its secrets (the bulk sign-in): they are not
   * remembered as issued — a value nobody ever holds cannot reach a log or a report, and a fleet's 75,000
   * of them would push the lab's own credentials out of the bounded registry. Returns the session id.
   */
  signInUnseen(user: FleetUser, oktaUserId?: string): string {
    return this.#signIn(user, oktaUserId, false).sessionId;
  }

  #signIn(user: FleetUser, oktaUserId: string | undefined, remember: boolean): SignInSecrets {
    const id = `ses_${this.#ids()}`;
    const cookie = this.#issue('session', id, this.#lifetimes.sessionSeconds, remember);
    const refresh = this.#issue('refresh-token', `${id}.rt`, this.#lifetimes.refreshTokenSeconds, remember);
    const session: Session = {
      id,
      email: user.email,
      ...(oktaUserId === undefined ? {} : { oktaUserId }),
      cookie: cookie.credential,
      accessTokens: [],
      refreshToken: refresh.credential,
      issuedAccessTokens: 0,
    };
    this.#sessions.set(id, session);
    this.#byHash.set(cookie.credential.hash, { session, credential: cookie.credential });
    this.#byHash.set(refresh.credential.hash, { session, credential: refresh.credential });
    const accessToken = this.#addAccessToken(session, remember);
    while (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.values().next().value;
      if (oldest) this.#forget(oldest);
    }
    return {
      sessionId: id,
      cookieValue: cookie.secret,
      accessToken,
      refreshToken: refresh.secret,
      accessTokenExpiresIn: this.#lifetimes.accessTokenSeconds,
    };
  }

  #find(kind: CredentialKind, secret: string): { session: Session; credential: Credential } | Lookup {
    const found = this.#byHash.get(hashOf(secret));
    if (!found || found.credential.kind !== kind) return { ok: false, reason: 'unknown' };
    const state = this.#stateOf(found.credential);
    if (state === 'revoked')
      return {
        ok: false,
        reason: 'revoked',
        ...(found.credential.revokedBy ? { revokedBy: found.credential.revokedBy } : {}),
      };
    if (state === 'expired') return { ok: false, reason: 'expired' };
    return found;
  }

  /** Who a session cookie or access token belongs to, if it still works. */
  authenticate(kind: 'session' | 'access-token', secret: string): Lookup {
    const found = this.#find(kind, secret);
    if ('ok' in found) return found;
    return { ok: true, session: this.#view(found.session) };
  }

  /** The refresh grant: a new access token, unless the refresh token no longer works. */
  refresh(
    secret: string,
  ): { ok: true; accessToken: string; expiresIn: number } | Exclude<Lookup, { ok: true }> {
    const found = this.#find('refresh-token', secret);
    if ('ok' in found) return found.ok ? { ok: false, reason: 'unknown' } : found;
    return {
      ok: true,
      accessToken: this.#addAccessToken(found.session),
      expiresIn: this.#lifetimes.accessTokenSeconds,
    };
  }

  /** The user signs out of the app: the session and everything issued in it stop working. */
  signOut(cookieSecret: string): Lookup {
    const found = this.#find('session', cookieSecret);
    if ('ok' in found) return found;
    const at = this.#now();
    const { session } = found;
    for (const credential of [session.cookie, session.refreshToken, ...session.accessTokens])
      this.#revoke(credential, at, 'sign-out');
    return { ok: true, session: this.#view(session) };
  }

  #revoke(credential: Credential, at: number, by: EndedBy): boolean {
    if (this.#stateOf(credential) !== 'active') return false;
    credential.revokedAt = at;
    credential.revokedBy = by;
    return true;
  }

  /** Universal Logout for one user; counts only credentials that were still working. */
  revokeUser(email: string, scope: RevocationScope): RevocationCounts {
    const at = this.#now();
    const counts = { sessions: 0, accessTokens: 0, refreshTokens: 0 };
    for (const session of this.#sessions.values()) {
      if (session.email !== email) continue;
      if (this.#revoke(session.refreshToken, at, 'universal-logout')) counts.refreshTokens += 1;
      if (scope === 'refresh-tokens') continue;
      if (this.#revoke(session.cookie, at, 'universal-logout')) counts.sessions += 1;
      for (const token of session.accessTokens)
        if (this.#revoke(token, at, 'universal-logout')) counts.accessTokens += 1;
    }
    return counts;
  }

  #credentialView(credential: Credential): CredentialView {
    return {
      id: credential.id,
      state: this.#stateOf(credential),
      issuedAt: iso(credential.issuedAt),
      expiresAt: iso(credential.expiresAt),
      ...(credential.revokedAt === undefined ? {} : { revokedAt: iso(credential.revokedAt) }),
      ...(credential.revokedBy === undefined ? {} : { revokedBy: credential.revokedBy }),
    };
  }

  #view(session: Session): SessionView {
    const cookie = this.#credentialView(session.cookie);
    return {
      sessionId: session.id,
      email: session.email,
      ...(session.oktaUserId === undefined ? {} : { oktaUserId: session.oktaUserId }),
      state: cookie.state,
      createdAt: cookie.issuedAt,
      expiresAt: cookie.expiresAt,
      ...(cookie.revokedAt === undefined ? {} : { revokedAt: cookie.revokedAt }),
      ...(cookie.revokedBy === undefined ? {} : { revokedBy: cookie.revokedBy }),
      accessTokens: session.accessTokens.map((t) => this.#credentialView(t)),
      refreshToken: this.#credentialView(session.refreshToken),
    };
  }

  /** Every session (of one user when `email` is given), oldest first. */
  list(email?: string): SessionView[] {
    const out: SessionView[] = [];
    for (const session of this.#sessions.values())
      if (email === undefined || session.email === email) out.push(this.#view(session));
    return out;
  }

  /** How many credentials of each kind are in each state. */
  counts(): Record<'sessions' | 'accessTokens' | 'refreshTokens', Record<CredentialState, number>> {
    const zero = (): Record<CredentialState, number> => ({ active: 0, expired: 0, revoked: 0 });
    const counts = { sessions: zero(), accessTokens: zero(), refreshTokens: zero() };
    for (const session of this.#sessions.values()) {
      counts.sessions[this.#stateOf(session.cookie)] += 1;
      counts.refreshTokens[this.#stateOf(session.refreshToken)] += 1;
      for (const token of session.accessTokens) counts.accessTokens[this.#stateOf(token)] += 1;
    }
    return counts;
  }

  reset(): void {
    this.#sessions.clear();
    this.#byHash.clear();
  }
}
