/**
 * One mock Jamf Pro server: options resolved to defaults, the state, the token service, and the views the
 * routes render through. It is transport-free (no fastify here) so the plugin, the build function and the
 * lab controls share one object, and a lab can read the credentials programmatically instead of over HTTP
 * (secrets never leave through an endpoint).
 */
import { randomBytes } from 'node:crypto';
import type { FleetOptions } from '../../harness/fleet/index.ts';
import {
  type Clock,
  rememberLabCredential,
  type Scheduler,
  systemClock,
} from '../../harness/kernel/index.ts';
import { type ApiClientAccount, type TokenLifetimes, TokenService, type UserAccount } from './auth.ts';
import type { ComputerView } from './computer-inventory.ts';
import type { ScopeDirectory } from './deployables.ts';
import type { ComputerRecord, DeviceRecord, MobileRecord } from './devices.ts';
import type { MobileView } from './mobile-inventory.ts';
import { MAX_PAGE_SIZE } from './query.ts';
import { JamfProState } from './state.ts';

export interface JamfProMockOptions {
  /** The fleet to serve (seed, device count…; harness/fleet). */
  readonly fleet?: FleetOptions;
  /** API clients for `POST /api/oauth/token` (default: one lab client with a random secret). */
  readonly clients?: readonly ApiClientAccount[];
  /** User accounts for `POST /api/v1/auth/token` (default: one lab admin with a random password). */
  readonly users?: readonly UserAccount[];
  /** Token lifetimes in seconds (OAuth default 1200, user default 1800). */
  readonly tokenLifetimeSeconds?: TokenLifetimes;
  /**
   * Time for token expiry and created timestamps: a kernel Scheduler, the `clock` every mock takes (this
   * one only reads `now()`; default the system clock).
   */
  readonly clock?: Scheduler;
  /** Absolute origin for `href`s and the token `iss` (default `https://jamf-pro.lab`). */
  readonly baseUrl?: string;
  /** What `GET /api/v1/jamf-pro-version` answers (default `11.7.1-t1721903795`). */
  readonly version?: string;
  /** Largest `page-size` accepted (default 2000). */
  readonly maxPageSize?: number;
  /** Unrequested inventory sections: `null` members like Jamf (default) or left out. */
  readonly unrequestedSections?: 'null' | 'omit';
  /** Accept HTTP Basic on the Classic API (default false: new Jamf Pro servers turn it off). */
  readonly classicBasicAuth?: boolean;
  /** Create Jamf's built-in smart groups (default true). */
  readonly builtInGroups?: boolean;
}

export interface JamfProCredentials {
  readonly baseUrl: string;
  readonly clients: readonly ApiClientAccount[];
  readonly users: readonly UserAccount[];
}

export const DEFAULT_CLIENT_ID = 'ssf-lab-jamf-pro-client';
export const DEFAULT_USERNAME = 'lab-admin';

export class JamfProServer {
  readonly state: JamfProState;
  readonly tokens: TokenService;
  readonly credentials: JamfProCredentials;
  readonly clock: Clock;
  readonly baseUrl: string;
  readonly version: string;
  readonly maxPageSize: number;
  readonly unrequested: 'null' | 'omit';
  readonly classicBasicAuth: boolean;

  constructor(options: JamfProMockOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.baseUrl = (options.baseUrl ?? 'https://jamf-pro.lab').replace(/\/+$/, '');
    this.version = options.version ?? '11.7.1-t1721903795';
    this.maxPageSize = options.maxPageSize ?? MAX_PAGE_SIZE;
    this.unrequested = options.unrequestedSections ?? 'null';
    this.classicBasicAuth = options.classicBasicAuth ?? false;
    // Secrets are random even in a seeded run: they are never part of a report.
    const clients = options.clients ?? [
      {
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: randomBytes(24).toString('base64url'),
        scopes: ['api-role:1'],
      },
    ];
    const users = options.users ?? [
      { username: DEFAULT_USERNAME, password: randomBytes(18).toString('base64url') },
    ];
    // Remembered as issued so recorders redact them by value (harness/kernel/issued-secrets.ts).
    for (const c of clients) rememberLabCredential(c.clientSecret);
    for (const u of users) rememberLabCredential(u.password);
    this.credentials = { baseUrl: this.baseUrl, clients, users };
    this.tokens = new TokenService({
      clients,
      users,
      clock: this.clock,
      lifetimes: options.tokenLifetimeSeconds ?? {},
      issuer: this.baseUrl,
    });
    this.state = new JamfProState({
      ...(options.fleet ? { fleet: options.fleet } : {}),
      builtInGroups: options.builtInGroups ?? true,
    });
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  href(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  #deployedTo(device: DeviceRecord, profiles: boolean) {
    const groupIds = new Set(this.state.groupsOf(device).map((g) => g.id));
    const kind =
      device.kind === 'computer'
        ? profiles
          ? 'osxconfigurationprofiles'
          : 'macapplications'
        : profiles
          ? 'mobiledeviceconfigurationprofiles'
          : 'mobiledeviceapplications';
    return this.state.deployables.inScope(kind, device.id, groupIds);
  }

  computerView(): ComputerView {
    return {
      eas: this.state.computerEas,
      departments: this.state.departments,
      groupsOf: (c: ComputerRecord) => this.state.computerGroups.groupsOf(c.id),
      profilesOf: (c) => this.#deployedTo(c, true),
      appsOf: (c) => this.#deployedTo(c, false),
      jamfVersion: this.version,
      unrequested: this.unrequested,
    };
  }

  mobileView(): MobileView {
    return {
      eas: this.state.mobileEas,
      departments: this.state.departments,
      profilesOf: (m: MobileRecord) => this.#deployedTo(m, true),
      appsOf: (m) => this.#deployedTo(m, false),
      unrequested: this.unrequested,
    };
  }

  scopeDirectory(kind: 'computer' | 'mobile'): ScopeDirectory {
    const devices = kind === 'computer' ? this.state.computers : this.state.mobiles;
    const groups = this.state.groups(kind);
    return {
      deviceName: (id) => devices.byId(id)?.name,
      deviceUdid: (id) => devices.byId(id)?.udid,
      groupName: (id) => groups.get(id)?.name,
      groupIdByName: (name) => groups.byName(name)?.id,
    };
  }

  /** `/_lab/state`: counts and names, never secrets. */
  summary(): object {
    const s = this.state;
    const groups = (kind: 'computer' | 'mobile') =>
      s
        .groups(kind)
        .list()
        .map((g) => ({ id: g.id, name: g.name, smart: g.smart, members: g.members.size }));
    const eas = (kind: 'computer' | 'mobile') => {
      const list: readonly DeviceRecord[] = kind === 'computer' ? s.computers.list : s.mobiles.list;
      return s
        .eas(kind)
        .list()
        .map((d) => ({
          id: d.id,
          name: d.name,
          dataType: d.dataType,
          inputType: d.inputType,
          inventoryDisplayType: d.inventoryDisplayType,
          devicesWithValue: list.filter((x) => x.ea.has(d.id)).length,
        }));
    };
    return {
      version: this.version,
      fleet: { seed: s.fleet.seed, devices: s.fleet.devices.length, users: s.fleet.users.length },
      devices: { computers: s.computers.list.length, mobileDevices: s.mobiles.list.length },
      computerGroups: groups('computer'),
      mobileDeviceGroups: groups('mobile'),
      extensionAttributes: { computer: eas('computer'), mobileDevice: eas('mobile') },
      deployed: {
        osxConfigurationProfiles: s.deployables.list('osxconfigurationprofiles').length,
        mobileDeviceConfigurationProfiles: s.deployables.list('mobiledeviceconfigurationprofiles').length,
        macApplications: s.deployables.list('macapplications').length,
        mobileDeviceApplications: s.deployables.list('mobiledeviceapplications').length,
      },
      activeTokens: this.tokens.activeTokens,
    };
  }
}
