/**
 * The names a smart-group criterion may use, per device kind, and how each reads a device record. These are
 * the display names Jamf Pro's criteria picker shows ("Serial Number", "Email Address", "Operating System
 * Version"…), matched case-insensitively; any other name is looked up as an extension attribute of that
 * kind. Kept in one table per kind so the README can list exactly what the mock supports.
 */
import type { Department, DeviceRecord } from './devices.ts';
import { type EaRegistry, eaDateMs } from './extension-attributes.ts';
import type { CriterionField, FieldResolver } from './groups.ts';

type Table<T> = Readonly<Record<string, CriterionField<T>>>;

function text<T>(get: (d: T) => string | undefined): CriterionField<T> {
  return { type: 'string', get };
}

function common<T extends DeviceRecord>(departments: () => readonly Department[]): Table<T> {
  const department = (d: T): string =>
    departments().find((x) => x.id === d.location.departmentId)?.name ?? '';
  return {
    'serial number': text((d) => d.serialNumber),
    udid: text((d) => d.udid),
    model: text((d) => d.model),
    'model identifier': text((d) => d.modelIdentifier),
    'asset tag': text((d) => d.assetTag),
    username: text((d) => d.location.username),
    'full name': text((d) => d.location.realname),
    'email address': text((d) => d.location.email),
    position: text((d) => d.location.position),
    'phone number': text((d) => d.location.phone),
    department: text(department),
    room: text((d) => d.location.room),
    managed: text((d) => (d.managed ? 'Managed' : 'Unmanaged')),
    supervised: text((d) => (d.supervised ? 'Supervised' : 'Not Supervised')),
    'last inventory update': { type: 'date', get: (d) => d.reportDate },
    'last enrollment': { type: 'date', get: (d) => d.enrolledAt },
    'management id': text((d) => d.managementId),
  };
}

/** Criterion names for computers (besides extension attribute names). */
export function computerCriteria(departments: () => readonly Department[]): Table<DeviceRecord> {
  return {
    ...common<DeviceRecord>(departments),
    'computer name': text((d) => d.name),
    'operating system': text((d) => `macOS ${d.osVersion}`),
    'operating system name': text(() => 'macOS'),
    'operating system version': text((d) => d.osVersion),
    'operating system build': text((d) => d.osBuild),
    'ip address': text((d) => (d.kind === 'computer' ? d.lastIpAddress : undefined)),
    'reported ip address': text((d) => (d.kind === 'computer' ? d.lastReportedIp : undefined)),
    'mac address': text((d) => (d.kind === 'computer' ? d.macAddress : undefined)),
    'barcode 1': text((d) => (d.kind === 'computer' ? d.barcode1 : undefined)),
    'barcode 2': text((d) => (d.kind === 'computer' ? d.barcode2 : undefined)),
    'processor type': text((d) => (d.kind === 'computer' ? d.processorType : undefined)),
  };
}

/** Criterion names for mobile devices (besides extension attribute names). */
export function mobileCriteria(departments: () => readonly Department[]): Table<DeviceRecord> {
  return {
    ...common<DeviceRecord>(departments),
    'display name': text((d) => d.name),
    'device name': text((d) => d.name),
    'os type': text((d) => (d.kind === 'mobile' ? d.osType : undefined)),
    'os version': text((d) => d.osVersion),
    'os build': text((d) => d.osBuild),
    'ip address': text((d) => (d.kind === 'mobile' ? d.ipAddress : undefined)),
    'wi-fi mac address': text((d) => (d.kind === 'mobile' ? d.wifiMacAddress : undefined)),
    'bluetooth mac address': text((d) => (d.kind === 'mobile' ? d.bluetoothMacAddress : undefined)),
    'model number': text((d) => (d.kind === 'mobile' ? d.modelNumber : undefined)),
    'phone number (device)': text((d) => (d.kind === 'mobile' ? d.phoneNumber : undefined)),
  };
}

/** Resolves a criterion name: a built-in field first, then an extension attribute of the same kind. */
export function criteriaResolver<T extends DeviceRecord>(
  table: Table<DeviceRecord>,
  eas: EaRegistry,
): FieldResolver<T> {
  return (name) => {
    const builtIn = table[name.toLowerCase()];
    if (builtIn) return builtIn;
    const def = eas.byName(name);
    if (!def) return undefined;
    const id = def.id;
    if (def.dataType === 'DATE') {
      return {
        type: 'date',
        get: (d) =>
          (d.ea.get(id) ?? []).map((v) => {
            const ms = eaDateMs(v);
            return Number.isNaN(ms) ? v : new Date(ms).toISOString();
          }),
      };
    }
    return { type: def.dataType === 'INTEGER' ? 'number' : 'string', get: (d) => d.ea.get(id) ?? [] };
  };
}

export function criteriaNames(table: Table<DeviceRecord>): string[] {
  return Object.keys(table);
}
