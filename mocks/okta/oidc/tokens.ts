/**
 * What the org has issued and must remember: Authentication API session tokens (one use, 5 minutes),
 * authorization codes (one use, 60 seconds), access tokens (1 hour) and refresh tokens (until revoked). A
 * token is looked up by its exact string; revoking a user's tokens (`oauthTokens=true` when sessions are
 * cleared, Universal Logout in part B) forgets them. Every store is bounded — expired entries go first, then
 * the oldest — with the caps documented in ../README.md, so a long-running lab cannot grow without limit.
 */

/** A map whose entries expire, holding at most `cap` entries (oldest dropped first). */
export class ExpiringStore<V extends { readonly expiresAt: number }> {
  readonly #now: () => number;
  readonly #cap: number;
  readonly #items = new Map<string, V>();

  constructor(now: () => number, cap: number) {
    this.#now = now;
    this.#cap = cap;
  }

  set(key: string, value: V): void {
    this.#items.delete(key);
    this.#items.set(key, value);
    if (this.#items.size > this.#cap) this.prune();
    while (this.#items.size > this.#cap) {
      const oldest = this.#items.keys().next().value;
      if (oldest === undefined) break;
      this.#items.delete(oldest);
    }
  }

  get(key: string): V | undefined {
    const value = this.#items.get(key);
    if (value && value.expiresAt <= this.#now()) {
      this.#items.delete(key);
      return undefined;
    }
    return value;
  }

  /** Gets and forgets (one-time values: session tokens, codes). */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.#items.delete(key);
    return value;
  }

  delete(key: string): boolean {
    return this.#items.delete(key);
  }

  /** Forgets every entry `test` selects; returns how many. */
  deleteWhere(test: (value: V) => boolean): number {
    let n = 0;
    for (const [key, value] of this.#items) {
      if (test(value)) {
        this.#items.delete(key);
        n += 1;
      }
    }
    return n;
  }

  values(): V[] {
    this.prune();
    return [...this.#items.values()];
  }

  prune(): void {
    const now = this.#now();
    for (const [key, value] of this.#items) if (value.expiresAt <= now) this.#items.delete(key);
  }
}

export interface SessionToken {
  readonly userId: string;
  readonly expiresAt: number;
}

export interface AuthorizationCode {
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly nonce?: string;
  readonly codeChallenge?: string;
  readonly authTime: number;
  readonly expiresAt: number;
}

export interface AccessTokenRecord {
  readonly jti: string;
  readonly clientId: string;
  /** The user the token acts for (authorization code and refresh flows); absent for client credentials. */
  readonly userId?: string;
  readonly sessionId?: string;
  readonly scopes: ReadonlySet<string>;
  /** RFC 9449 §6: the thumbprint of the DPoP key the token is bound to. */
  readonly jkt?: string;
  readonly expiresAt: number;
}

export interface RefreshTokenRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly nonce?: string;
  readonly jkt?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Lifetimes and caps (../README.md). */
export const SESSION_TOKEN_TTL_MS = 5 * 60_000;
export const CODE_TTL_MS = 60_000;
export const ACCESS_TOKEN_TTL_S = 3600;
export const TOKEN_STORE_CAP = 10_000;

export class TokenStores {
  readonly sessionTokens: ExpiringStore<SessionToken>;
  readonly codes: ExpiringStore<AuthorizationCode>;
  readonly accessTokens: ExpiringStore<AccessTokenRecord>;
  readonly refreshTokens: ExpiringStore<RefreshTokenRecord>;

  constructor(now: () => number) {
    this.sessionTokens = new ExpiringStore(now, TOKEN_STORE_CAP);
    this.codes = new ExpiringStore(now, TOKEN_STORE_CAP);
    this.accessTokens = new ExpiringStore(now, TOKEN_STORE_CAP);
    this.refreshTokens = new ExpiringStore(now, TOKEN_STORE_CAP);
  }

  /** Revokes every access and refresh token issued to the user; returns how many of each. */
  revokeForUser(userId: string): { readonly accessTokens: number; readonly refreshTokens: number } {
    return {
      accessTokens: this.accessTokens.deleteWhere((t) => t.userId === userId),
      refreshTokens: this.refreshTokens.deleteWhere((t) => t.userId === userId),
    };
  }

  /** The user's live refresh tokens (what a downstream app would still be able to use). */
  refreshTokensOf(userId: string): RefreshTokenRecord[] {
    return this.refreshTokens.values().filter((t) => t.userId === userId);
  }
}
