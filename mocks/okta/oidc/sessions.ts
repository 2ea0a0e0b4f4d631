/**
 * Okta sessions: the sign-in state an org keeps per user and browser (developer.okta.com Sessions API). A
 * sign-in through `/oauth2/v1/authorize` with a session token creates one, a `sid` cookie names it for
 * later single sign-on, and it ends when its lifetime runs out, when an admin clears the user's sessions
 * (`DELETE /api/v1/users/{id}/sessions`), when `DELETE /api/v1/sessions/{id}` revokes it, or when part B's
 * entity-risk policy terminates them (Universal Logout). Lifetime is a lab choice: 2 hours, Okta's default
 * maximum session lifetime for a new global session policy. The store keeps at most 10,000 sessions; the
 * oldest is dropped first (documented in ../README.md).
 */
import { issuedSecret } from '../core/ids.ts';

export interface OktaSession {
  readonly id: string;
  readonly userId: string;
  readonly login: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastPasswordVerification: number;
  readonly amr: readonly string[];
}

export const SESSION_LIFETIME_MS = 2 * 3600_000;
export const SESSION_CAP = 10_000;

export class Sessions {
  readonly #now: () => number;
  readonly #sessions = new Map<string, OktaSession>();

  constructor(now: () => number) {
    this.#now = now;
  }

  #live(session: OktaSession | undefined): OktaSession | undefined {
    if (session && session.expiresAt <= this.#now()) {
      this.#sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  /** Starts a session for a user who just proved their password. */
  create(user: { readonly id: string; readonly profile: { readonly login: string } }): OktaSession {
    const now = this.#now();
    const session: OktaSession = {
      // Okta session ids start with 102 and are secrets too (the `sid` cookie carries one).
      id: issuedSecret('102', 18),
      userId: user.id,
      login: user.profile.login,
      createdAt: now,
      expiresAt: now + SESSION_LIFETIME_MS,
      lastPasswordVerification: now,
      amr: ['pwd'],
    };
    this.#sessions.set(session.id, session);
    while (this.#sessions.size > SESSION_CAP) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return session;
  }

  get(id: string): OktaSession | undefined {
    return this.#live(this.#sessions.get(id));
  }

  /** The user's live sessions, oldest first. */
  forUser(userId: string): OktaSession[] {
    return this.active().filter((s) => s.userId === userId);
  }

  /** Every live session, oldest first. */
  active(): OktaSession[] {
    return [...this.#sessions.values()].filter((s) => this.#live(s) !== undefined);
  }

  /** Ends one session; returns it when it was live. */
  end(id: string): OktaSession | undefined {
    const session = this.get(id);
    if (session) this.#sessions.delete(id);
    return session;
  }

  /** Ends every live session of the user; returns them, oldest first. */
  endAllForUser(userId: string): OktaSession[] {
    const ended = this.forUser(userId);
    for (const s of ended) this.#sessions.delete(s.id);
    return ended;
  }
}

/** Okta's `Session` object (`GET /api/v1/sessions/{sessionId}`). */
export function sessionView(session: OktaSession, orgUrl: string, idpId: string): Record<string, unknown> {
  return {
    id: session.id,
    userId: session.userId,
    login: session.login,
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    status: 'ACTIVE',
    lastPasswordVerification: new Date(session.lastPasswordVerification).toISOString(),
    amr: [...session.amr],
    idp: { id: idpId, type: 'OKTA' },
    mfaActive: false,
    _links: {
      self: { href: `${orgUrl}/api/v1/sessions/${session.id}`, hints: { allow: ['GET', 'DELETE'] } },
      refresh: {
        href: `${orgUrl}/api/v1/sessions/${session.id}/lifecycle/refresh`,
        hints: { allow: ['POST'] },
      },
      user: {
        name: session.login,
        href: `${orgUrl}/api/v1/users/${session.userId}`,
        hints: { allow: ['GET'] },
      },
    },
  };
}
