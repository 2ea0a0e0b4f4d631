/**
 * The app's users: the lab fleet's people, known by email (the same seed gives the same people in every
 * mock), plus the Okta user id each one signed in with. The app learns a user's Okta id only from an SSO
 * sign-in — that is all a real relying party ever sees of it — and `iss_sub` subjects are matched against
 * what it learned, so a user who never signed in through Okta cannot be found by Okta id.
 */
import type { Fleet, FleetUser } from '../../harness/fleet/index.ts';
import { type AppError, conflict } from './errors.ts';

/** Emails compare case-insensitively: Okta logins do, and so do the vendors' user lookups in practice. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export class AppDirectory {
  readonly #users = new Map<string, FleetUser>();
  readonly #oktaIdByEmail = new Map<string, string>();
  readonly #emailByOktaId = new Map<string, string>();

  constructor(fleet: Fleet) {
    for (const user of fleet.users) this.#users.set(emailKey(user.email), user);
  }

  get size(): number {
    return this.#users.size;
  }

  /** The users in fleet order. */
  list(): FleetUser[] {
    return [...this.#users.values()];
  }

  byEmail(email: string): FleetUser | undefined {
    return this.#users.get(emailKey(email));
  }

  byOktaId(oktaUserId: string): FleetUser | undefined {
    const email = this.#emailByOktaId.get(oktaUserId);
    return email === undefined ? undefined : this.#users.get(email);
  }

  oktaIdOf(user: FleetUser): string | undefined {
    return this.#oktaIdByEmail.get(emailKey(user.email));
  }

  /** Records the Okta id a sign-in carried; 409 when it contradicts one recorded before. */
  bindOktaId(user: FleetUser, oktaUserId: string): void {
    const refused = this.oktaIdConflict(user, oktaUserId);
    if (refused !== undefined) throw refused;
    const key = emailKey(user.email);
    this.#oktaIdByEmail.set(key, oktaUserId);
    this.#emailByOktaId.set(oktaUserId, key);
  }

  /** The 409 `bindOktaId` would throw for this pair, or undefined when it would bind (a check, no change). */
  oktaIdConflict(user: FleetUser, oktaUserId: string): AppError | undefined {
    const key = emailKey(user.email);
    const known = this.#oktaIdByEmail.get(key);
    if (known !== undefined && known !== oktaUserId)
      return conflict(`${user.email} signed in before as Okta user ${known}, not ${oktaUserId}`);
    const holder = this.#emailByOktaId.get(oktaUserId);
    if (holder !== undefined && holder !== key)
      return conflict(`Okta user ${oktaUserId} is already bound to another user of this app`);
    return undefined;
  }

  /** Forgets every learned Okta id (the fleet's people stay). */
  reset(): void {
    this.#oktaIdByEmail.clear();
    this.#emailByOktaId.clear();
  }
}
