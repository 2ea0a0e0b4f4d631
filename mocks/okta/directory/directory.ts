/**
 * The org's directory: one ACTIVE Okta user per fleet user (harness/fleet, so a device's user in Jamf Pro
 * and Jamf Security Cloud is a user here, from the same seed), the built-in "Everyone" group and one group
 * per department. Ids and dates derive from the seed, so the same seed gives the same org. Views render
 * Okta's `User` and `Group` objects (management-minimal.yaml): timestamps in ISO-8601 with milliseconds,
 * nullable profile attributes as `null`, `_links` with absolute URLs under the org.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Fleet, FleetUser } from '../../../harness/fleet/index.ts';
import { oktaId } from '../core/ids.ts';

export interface OktaUser {
  readonly id: string;
  readonly status: 'ACTIVE';
  readonly created: number;
  readonly activated: number;
  readonly statusChanged: number;
  lastLogin: number | null;
  readonly lastUpdated: number;
  readonly passwordChanged: number;
  readonly typeId: string;
  readonly profile: {
    readonly login: string;
    readonly email: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly displayName: string;
    readonly department: string;
    readonly title: string;
    readonly mobilePhone: string | null;
    readonly secondEmail: string | null;
  };
  /** The fleet user this Okta user is (`user-0007`). */
  readonly fleetKey: string;
}

export interface OktaGroup {
  readonly id: string;
  readonly type: 'BUILT_IN' | 'OKTA_GROUP';
  readonly name: string;
  readonly description: string;
  readonly created: number;
  readonly lastUpdated: number;
  readonly lastMembershipUpdated: number;
  readonly members: ReadonlySet<string>;
}

/** When the lab org's directory was populated (fixed, so the same seed gives the same timestamps). */
const DIRECTORY_EPOCH = Date.UTC(2025, 5, 2, 16, 0, 0);

export class Directory {
  readonly #users: OktaUser[];
  readonly #byId = new Map<string, OktaUser>();
  readonly #byLogin = new Map<string, OktaUser>();
  readonly #shortNames = new Map<string, OktaUser[]>();
  readonly #groups: OktaGroup[];
  readonly #password: Buffer;
  readonly everyone: OktaGroup;

  constructor(fleet: Fleet, password: string) {
    const seed = `${fleet.seed}:${fleet.domain}`;
    const typeId = oktaId('oty', `user-type:${seed}`);
    this.#password = Buffer.from(password);
    this.#users = fleet.users.map((u, i) => toUser(u, i, seed, typeId));
    this.#users.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const user of this.#users) {
      this.#byId.set(user.id, user);
      this.#byLogin.set(user.profile.login.toLowerCase(), user);
      const short = user.profile.login.toLowerCase().split('@')[0] ?? '';
      this.#shortNames.set(short, [...(this.#shortNames.get(short) ?? []), user]);
    }
    const at = DIRECTORY_EPOCH - 86_400_000;
    this.everyone = {
      id: oktaId('00g', `group:Everyone:${seed}`),
      type: 'BUILT_IN',
      name: 'Everyone',
      description: 'All users in your organization',
      created: at,
      lastUpdated: at,
      lastMembershipUpdated: DIRECTORY_EPOCH,
      members: new Set(this.#users.map((u) => u.id)),
    };
    const departments = [...new Set(fleet.users.map((u) => u.department))].sort();
    this.#groups = [
      this.everyone,
      ...departments.map(
        (name): OktaGroup => ({
          id: oktaId('00g', `group:${name}:${seed}`),
          type: 'OKTA_GROUP',
          name,
          description: `Members of the ${name} department`,
          created: at,
          lastUpdated: at,
          lastMembershipUpdated: DIRECTORY_EPOCH,
          members: new Set(this.#users.filter((u) => u.profile.department === name).map((u) => u.id)),
        }),
      ),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Every user, ordered by id (Okta's list order). */
  users(): readonly OktaUser[] {
    return this.#users;
  }

  /**
   * A user by id, by login (case-insensitive) or by the login's short name when that is unambiguous —
   * the three keys `GET /api/v1/users/{id}` accepts.
   */
  user(key: string): OktaUser | undefined {
    const lower = key.toLowerCase();
    const byShort = this.#shortNames.get(lower);
    return (
      this.#byId.get(key) ?? this.#byLogin.get(lower) ?? (byShort?.length === 1 ? byShort[0] : undefined)
    );
  }

  /** Every group, ordered by id. */
  groups(): readonly OktaGroup[] {
    return this.#groups;
  }

  group(id: string): OktaGroup | undefined {
    return this.#groups.find((g) => g.id === id);
  }

  groupsOf(userId: string): readonly OktaGroup[] {
    return this.#groups.filter((g) => g.members.has(userId));
  }

  /** Whether `password` is the user's password (every lab user has the lab password). */
  passwordMatches(password: string): boolean {
    const given = Buffer.from(password);
    return given.length === this.#password.length && timingSafeEqual(given, this.#password);
  }
}

function toUser(u: FleetUser, index: number, seed: string, typeId: string): OktaUser {
  // Users were created a few minutes apart, in fleet order, and activated with a password at once.
  const created = DIRECTORY_EPOCH + index * 60_000;
  return {
    id: oktaId('00u', `user:${u.key}:${seed}`),
    status: 'ACTIVE',
    created,
    activated: created + 1000,
    statusChanged: created + 1000,
    lastLogin: null,
    lastUpdated: created + 1000,
    passwordChanged: created + 1000,
    typeId,
    profile: {
      login: u.email,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      displayName: u.displayName,
      department: u.department,
      title: u.title,
      mobilePhone: u.phone,
      secondEmail: null,
    },
    fleetKey: u.key,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const nullableIso = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Okta's `User`; a singleton (`GET /users/{id}`) carries the lifecycle links, a list item only `self`. */
export function userView(user: OktaUser, orgUrl: string, singleton = false): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/users/${user.id}`;
  const post = (path: string): { href: string; method: 'POST' } => ({
    href: `${self}${path}`,
    method: 'POST',
  });
  return {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: nullableIso(user.activated),
    statusChanged: nullableIso(user.statusChanged),
    lastLogin: nullableIso(user.lastLogin),
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: nullableIso(user.passwordChanged),
    type: { id: user.typeId },
    profile: { ...user.profile },
    credentials: {
      password: {},
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: singleton
      ? {
          suspend: post('/lifecycle/suspend'),
          schema: { href: `${orgUrl}/api/v1/meta/schemas/user/osc${user.typeId.slice(3)}` },
          resetPassword: post('/lifecycle/reset_password'),
          forgotPassword: post('/credentials/forgot_password'),
          expirePassword: post('/lifecycle/expire_password'),
          changeRecoveryQuestion: post('/credentials/change_recovery_question'),
          self: { href: self },
          type: { href: `${orgUrl}/api/v1/meta/types/user/${user.typeId}` },
          changePassword: post('/credentials/change_password'),
          deactivate: post('/lifecycle/deactivate'),
        }
      : { self: { href: self } },
  };
}

/** Okta's `Group`, with `_embedded.stats` when `expand=stats` asked for it (`appsCount` given). */
export function groupView(group: OktaGroup, orgUrl: string, appsCount?: number): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/groups/${group.id}`;
  return {
    id: group.id,
    created: iso(group.created),
    lastUpdated: iso(group.lastUpdated),
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
    objectClass: ['okta:user_group'],
    type: group.type,
    profile: { name: group.name, description: group.description },
    _links: {
      logo: [
        { name: 'medium', href: `${orgUrl}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' },
        { name: 'large', href: `${orgUrl}/assets/img/logos/groups/okta-large.png`, type: 'image/png' },
      ],
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
    ...(appsCount === undefined
      ? {}
      : { _embedded: { stats: { usersCount: group.members.size, appsCount, groupPushMappingsCount: 0 } } }),
  };
}
