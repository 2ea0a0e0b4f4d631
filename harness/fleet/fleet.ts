/**
 * The lab's fleet: the same people and devices in every mock, generated deterministically from a seed.
 * Jamf Pro manages the devices, Jamf Security Cloud scores them, and Okta knows their users — so each
 * mock generates the fleet from the same seed instead of sharing state, and a device's user in a SET is
 * a user Okta has. The same seed always gives the same fleet (faker seeded, no clock, no Math.random).
 */
import type { Faker } from '@faker-js/faker';
// The English entry point alone: the package's main one loads every locale (about 200 ms at each start
// of every process that builds a fleet — each `ssf-lab` command, each test worker).
import { faker as english } from '@faker-js/faker/locale/en';

/** faker's class, taken from the English instance (its definitions are en + base, as before). */
const FakerClass = english.constructor as typeof Faker;

export interface FleetOptions {
  /** Seed for every generated value (default 1). */
  readonly seed?: number;
  /** Number of devices (default 20). Users: about one per device, some with two devices. */
  readonly devices?: number;
  /** Email domain of the users (default `acme.example`). */
  readonly domain?: string;
  /** Share of devices that are Macs; the rest are iPhones and iPads (default 0.6). */
  readonly macShare?: number;
}

export interface FleetUser {
  /** Stable index-based id, e.g. `user-0007`. */
  readonly key: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  /** Also the Okta login. */
  readonly email: string;
  /** Short username as a directory would have it (e.g. `pat.doe`). */
  readonly username: string;
  readonly department: string;
  readonly title: string;
  readonly phone: string;
}

export type DeviceKind = 'computer' | 'mobile';

export interface FleetDevice {
  /** Stable index-based id, e.g. `device-0007`. */
  readonly key: string;
  readonly kind: DeviceKind;
  /** Hardware UDID, an upper-case UUID (what Jamf Pro reports and Jamf Security Cloud joins on). */
  readonly udid: string;
  readonly serialNumber: string;
  readonly name: string;
  readonly model: string;
  readonly modelIdentifier: string;
  readonly osName: 'macOS' | 'iOS' | 'iPadOS';
  readonly osVersion: string;
  readonly osBuild: string;
  readonly macAddress: string;
  /** Jamf Pro's management id (UUID). */
  readonly managementId: string;
  /** Jamf Security Cloud's device id (UUID, lower case) — the opaque device id in SETs. */
  readonly jscDeviceId: string;
  /** The device's primary user. */
  readonly user: FleetUser;
  /** When the device enrolled (ISO date-time, fixed by the seed). */
  readonly enrolledAt: string;
}

export interface Fleet {
  readonly seed: number;
  readonly domain: string;
  readonly users: readonly FleetUser[];
  readonly devices: readonly FleetDevice[];
}

const MACS = [
  { model: 'MacBook Pro (14-inch, 2023)', id: 'Mac15,3' },
  { model: 'MacBook Air (M2, 2022)', id: 'Mac14,2' },
  { model: 'MacBook Pro (16-inch, 2021)', id: 'MacBookPro18,2' },
  { model: 'Mac mini (2023)', id: 'Mac14,3' },
  { model: 'iMac (24-inch, 2023)', id: 'Mac15,5' },
] as const;

const MOBILES = [
  { model: 'iPhone 15 Pro', id: 'iPhone16,1', os: 'iOS' },
  { model: 'iPhone 14', id: 'iPhone14,7', os: 'iOS' },
  { model: 'iPhone SE (3rd generation)', id: 'iPhone14,6', os: 'iOS' },
  { model: 'iPad Air (5th generation)', id: 'iPad13,16', os: 'iPadOS' },
] as const;

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Marketing', 'Support', 'Legal', 'People'] as const;

/** Fixed base time for generated dates, so no fleet depends on the clock. */
const EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w-]/g, '')
    .toLowerCase();
}

/** Generates the fleet for `options`; equal options give equal fleets. */
export function generateFleet(options: FleetOptions = {}): Fleet {
  const seed = options.seed ?? 1;
  const count = options.devices ?? 20;
  const domain = options.domain ?? 'acme.example';
  const macShare = options.macShare ?? 0.6;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`devices must be a non-negative integer, not ${count}`);
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed(seed);

  // About one user per device; roughly one in six users also has a second device.
  const userCount = Math.max(1, Math.ceil(count * 0.85));
  const emails = new Set<string>();
  const users: FleetUser[] = [];
  for (let i = 0; i < userCount && count > 0; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    let local = `${ascii(firstName)}.${ascii(lastName)}`;
    // Names repeat in a large fleet; the index keeps every login unique.
    if (emails.has(local)) local = `${local}${i}`;
    emails.add(local);
    users.push({
      key: `user-${pad(i)}`,
      firstName,
      lastName,
      displayName: `${firstName} ${lastName}`,
      email: `${local}@${domain}`,
      username: local,
      department: faker.helpers.arrayElement(DEPARTMENTS),
      title: faker.person.jobTitle(),
      phone: `+1206555${String(faker.number.int({ min: 0, max: 9999 })).padStart(4, '0')}`,
    });
  }

  const devices: FleetDevice[] = [];
  for (let i = 0; i < count; i++) {
    const user = users[i < userCount ? i : faker.number.int({ min: 0, max: userCount - 1 })] as FleetUser;
    const isMac = faker.number.float({ min: 0, max: 1 }) < macShare;
    const serialNumber = faker.string.alphanumeric({
      length: isMac ? 10 : 12,
      casing: 'upper',
      exclude: ['O', 'I'],
    });
    const enrolledAt = new Date(EPOCH - faker.number.int({ min: 1, max: 400 }) * 86_400_000)
      .toISOString()
      .replace('.000Z', 'Z');
    const common = {
      key: `device-${pad(i)}`,
      udid: faker.string.uuid().toUpperCase(),
      serialNumber,
      macAddress: faker.internet.mac(),
      managementId: faker.string.uuid(),
      jscDeviceId: faker.string.uuid(),
      user,
      enrolledAt,
    };
    if (isMac) {
      const model = faker.helpers.arrayElement(MACS);
      devices.push({
        ...common,
        kind: 'computer',
        name: `${user.firstName}'s ${model.model.split(' (')[0]}`,
        model: model.model,
        modelIdentifier: model.id,
        osName: 'macOS',
        osVersion: faker.helpers.arrayElement(['14.7.1', '15.1', '15.2']),
        osBuild: faker.helpers.arrayElement(['23H222', '24B83', '24C101']),
      });
    } else {
      const model = faker.helpers.arrayElement(MOBILES);
      devices.push({
        ...common,
        kind: 'mobile',
        name: `${user.firstName}'s ${model.model.split(' (')[0]}`,
        model: model.model,
        modelIdentifier: model.id,
        osName: model.os,
        osVersion: faker.helpers.arrayElement(['17.7', '18.1', '18.2']),
        osBuild: faker.helpers.arrayElement(['21H16', '22B83', '22C152']),
      });
    }
  }
  for (const record of [...users, ...devices]) flattenStrings(record);
  return { seed, domain, users, devices };
}

/**
 * Flattens each string member of `record`. faker builds a UUID, a MAC address or a serial number one
 * character at a time, and V8 keeps such a string as a tree of partial concatenations — about 1 KB for a
 * 36-character UUID, five of them per device. Reading a character makes V8 flatten the string in place
 * (the tree becomes garbage): about 10 MB less at 10,000 devices for a few milliseconds. Values unchanged.
 */
function flattenStrings(record: object): void {
  for (const value of Object.values(record)) if (typeof value === 'string') value.charCodeAt(0);
}
