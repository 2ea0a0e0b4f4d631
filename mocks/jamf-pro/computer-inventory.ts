/**
 * Computers on the Jamf Pro API (`/api/v1/computers-inventory*`): the `ComputerInventory` object by section,
 * the filter and sort field tables, and the `ComputerInventoryUpdateRequest` PATCH. Field names, casing,
 * enums and types follow the 11.7.1 schema (the contract test holds the mock to it). Unrequested sections
 * are `null`, as a real server sends them (configurable: `unrequestedSections: 'omit'`). Members Jamf would
 * send as `null` inside a requested section are omitted when the schema does not allow null, and unset
 * editable text is an empty string.
 *
 * An extension attribute appears in the section its `inventoryDisplayType` names (`general`, `hardware`,
 * `operatingSystem`, `userAndLocation`, `purchasing`) or, for `EXTENSION_ATTRIBUTES`, in the top-level
 * `extensionAttributes` — once, not in both.
 */
import {
  isObject,
  type JsonObject,
  join,
  optArray,
  optBoolean,
  optDate,
  optId,
  optInteger,
  optObject,
  optString,
  optStringArray,
  requireBody,
} from './body.ts';
import type { Deployable } from './deployables.ts';
import type { ComputerRecord, Department, Location, Purchasing } from './devices.ts';
import { invalid } from './errors.ts';
import {
  type EaDefinition,
  type EaDisplay,
  type EaRegistry,
  normalizeValues,
} from './extension-attributes.ts';
import type { GroupRecord } from './groups.ts';
import type { SortTable } from './query.ts';
import type { RsqlField, RsqlScalar } from './rsql.ts';

export const COMPUTER_SECTIONS = [
  'GENERAL',
  'DISK_ENCRYPTION',
  'PURCHASING',
  'APPLICATIONS',
  'STORAGE',
  'USER_AND_LOCATION',
  'CONFIGURATION_PROFILES',
  'PRINTERS',
  'SERVICES',
  'HARDWARE',
  'LOCAL_USER_ACCOUNTS',
  'CERTIFICATES',
  'ATTACHMENTS',
  'PLUGINS',
  'PACKAGE_RECEIPTS',
  'FONTS',
  'SECURITY',
  'OPERATING_SYSTEM',
  'LICENSED_SOFTWARE',
  'IBEACONS',
  'SOFTWARE_UPDATES',
  'EXTENSION_ATTRIBUTES',
  'CONTENT_CACHING',
  'GROUP_MEMBERSHIPS',
] as const;
export type ComputerSection = (typeof COMPUTER_SECTIONS)[number];

/** What rendering needs beyond the record itself. */
export interface ComputerView {
  readonly eas: EaRegistry;
  readonly departments: readonly Department[];
  readonly groupsOf: (computer: ComputerRecord) => readonly GroupRecord[];
  readonly profilesOf: (computer: ComputerRecord) => readonly Deployable[];
  readonly appsOf: (computer: ComputerRecord) => readonly Deployable[];
  readonly jamfVersion: string;
  readonly unrequested: 'null' | 'omit';
}

const DATA_TYPE = { STRING: 'STRING', INTEGER: 'INTEGER', DATE: 'DATE_TIME' } as const;
const INPUT_TYPE = {
  TEXT: 'TEXT',
  POPUP: 'POPUP',
  SCRIPT: 'SCRIPT',
  DIRECTORY_SERVICE_ATTRIBUTE_MAPPING: 'LDAP',
} as const;

/** One `ComputerExtensionAttribute` (definition facts plus this computer's values). */
export function computerEa(def: EaDefinition, values: readonly string[] | undefined): JsonObject {
  return {
    definitionId: String(def.id),
    name: def.name,
    description: def.description === '' ? null : def.description,
    enabled: def.enabled,
    multiValue: false,
    values: [...(values ?? [])],
    dataType: DATA_TYPE[def.dataType],
    options: def.inputType === 'POPUP' ? [...def.popupMenuChoices] : [],
    inputType: INPUT_TYPE[def.inputType],
  };
}

function easIn(display: EaDisplay, c: ComputerRecord, view: ComputerView): JsonObject[] {
  return view.eas
    .list()
    .filter((d) => d.inventoryDisplayType === display)
    .map((d) => computerEa(d, c.ea.get(d.id)));
}

function addYears(iso: string, years: number): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}

function general(c: ComputerRecord, view: ComputerView): JsonObject {
  const ade = c.enrolledViaAutomatedDeviceEnrollment;
  return {
    name: c.name,
    lastIpAddress: c.lastIpAddress,
    lastReportedIp: c.lastReportedIp,
    jamfBinaryVersion: view.jamfVersion,
    platform: 'Mac',
    barcode1: c.barcode1,
    barcode2: c.barcode2,
    assetTag: c.assetTag,
    remoteManagement: { managed: c.managed, managementUsername: 'jamfadmin' },
    supervised: c.supervised,
    mdmCapable: { capable: c.managed, capableUsers: [c.location.username] },
    reportDate: c.reportDate,
    lastContactTime: c.reportDate,
    lastEnrolledDate: c.enrolledAt,
    mdmProfileExpiration: addYears(c.enrolledAt, 2),
    initialEntryDate: c.enrolledAt.slice(0, 10),
    enrollmentMethod: ade
      ? { id: '1', objectName: 'Acme ADE', objectType: 'Automated Device Enrollment' }
      : { id: '1', objectName: c.location.email, objectType: 'User-initiated - no invitation' },
    site: { id: String(c.siteId), name: 'None' },
    itunesStoreAccountActive: false,
    enrolledViaAutomatedDeviceEnrollment: ade,
    userApprovedMdm: true,
    declarativeDeviceManagementEnabled: true,
    extensionAttributes: easIn('GENERAL', c, view),
    managementId: c.managementId,
  };
}

function hardware(c: ComputerRecord, view: ComputerView): JsonObject {
  const laptop = c.model.startsWith('MacBook');
  return {
    make: 'Apple',
    model: c.model,
    modelIdentifier: c.modelIdentifier,
    serialNumber: c.serialNumber,
    processorSpeedMhz: 0,
    processorCount: 1,
    coreCount: c.coreCount,
    processorType: c.processorType,
    processorArchitecture: c.processorArchitecture,
    busSpeedMhz: 0,
    cacheSizeKilobytes: 0,
    networkAdapterType: c.networkAdapterType,
    macAddress: c.macAddress,
    altNetworkAdapterType: c.altNetworkAdapterType,
    altMacAddress: c.altMacAddress,
    totalRamMegabytes: c.totalRamMegabytes,
    openRamSlots: 0,
    batteryCapacityPercent: laptop ? 80 + (c.id % 20) : 0,
    nicSpeed: 'n/a',
    bootRom: '10151.140.19',
    bleCapable: true,
    supportsIosAppInstalls: true,
    appleSilicon: c.appleSilicon,
    extensionAttributes: easIn('HARDWARE', c, view),
  };
}

function userAndLocation(c: ComputerRecord, view: ComputerView): JsonObject {
  const l = c.location;
  return {
    username: l.username,
    realname: l.realname,
    email: l.email,
    position: l.position,
    phone: l.phone,
    ...(l.departmentId === null ? {} : { departmentId: String(l.departmentId) }),
    ...(l.buildingId === null ? {} : { buildingId: String(l.buildingId) }),
    room: l.room,
    extensionAttributes: easIn('USER_AND_LOCATION', c, view),
  };
}

function purchasing(c: ComputerRecord, view: ComputerView): JsonObject {
  const p = c.purchasing;
  return {
    leased: p.leased,
    purchased: p.purchased,
    poNumber: p.poNumber,
    ...(p.poDate ? { poDate: p.poDate } : {}),
    vendor: p.vendor,
    ...(p.warrantyDate ? { warrantyDate: p.warrantyDate } : {}),
    appleCareId: p.appleCareId,
    ...(p.leaseDate ? { leaseDate: p.leaseDate } : {}),
    purchasePrice: p.purchasePrice,
    lifeExpectancy: p.lifeExpectancy,
    purchasingAccount: p.purchasingAccount,
    purchasingContact: p.purchasingContact,
    extensionAttributes: easIn('PURCHASING', c, view),
  };
}

function operatingSystem(c: ComputerRecord, view: ComputerView): JsonObject {
  return {
    name: 'macOS',
    version: c.osVersion,
    build: c.osBuild,
    activeDirectoryStatus: 'Not Bound',
    fileVault2Status: 'ALL_ENCRYPTED',
    extensionAttributes: easIn('OPERATING_SYSTEM', c, view),
  };
}

const SECURITY = {
  sipStatus: 'ENABLED',
  gatekeeperStatus: 'APP_STORE_AND_IDENTIFIED_DEVELOPERS',
  xprotectVersion: '5287',
  autoLoginDisabled: true,
  remoteDesktopEnabled: false,
  activationLockEnabled: false,
  recoveryLockEnabled: false,
  firewallEnabled: true,
  secureBootLevel: 'FULL_SECURITY',
  externalBootLevel: 'DISALLOW_BOOTING_FROM_EXTERNAL_MEDIA',
  bootstrapTokenAllowed: true,
  bootstrapTokenEscrowedStatus: 'ESCROWED',
} as const;

function diskEncryption(c: ComputerRecord): JsonObject {
  return {
    bootPartitionEncryptionDetails: {
      partitionName: 'Macintosh HD (Boot Partition)',
      partitionFileVault2State: 'ENCRYPTED',
      partitionFileVault2Percent: 100,
    },
    individualRecoveryKeyValidityStatus: 'VALID',
    institutionalRecoveryKeyPresent: false,
    diskEncryptionConfigurationName: 'FileVault',
    fileVault2EnabledUserNames: [c.location.username],
    fileVault2EligibilityMessage: 'Eligible',
  };
}

function storage(c: ComputerRecord): JsonObject {
  const size = 494_384;
  const available = 120_000 + ((c.id * 7919) % 200_000);
  return {
    bootDriveAvailableSpaceMegabytes: available,
    disks: [
      {
        id: String(c.id),
        device: 'disk0',
        model: 'APPLE SSD AP0512Z',
        revision: '1412',
        serialNumber: `${c.serialNumber}D0`,
        sizeMegabytes: size,
        smartStatus: 'Verified',
        type: 'SSD',
        partitions: [
          {
            name: 'Macintosh HD (Boot Partition)',
            sizeMegabytes: size,
            availableMegabytes: available,
            partitionType: 'BOOT',
            percentUsed: Math.round(((size - available) / size) * 100),
            fileVault2State: 'ENCRYPTED',
            fileVault2ProgressPercent: 100,
            lvmManaged: false,
          },
        ],
      },
    ],
  };
}

function localUserAccounts(c: ComputerRecord): JsonObject[] {
  return [
    {
      uid: '501',
      userGuid: c.managementId.toUpperCase(),
      username: c.location.username,
      fullName: c.location.realname,
      admin: false,
      homeDirectory: `/Users/${c.location.username}`,
      homeDirectorySizeMb: 20_480,
      fileVault2Enabled: true,
      userAccountType: 'LOCAL',
      passwordMinLength: 8,
      passwordRequireAlphanumeric: true,
      azureActiveDirectoryId: 'UNKNOWN',
    },
  ];
}

function contentCaching(): JsonObject {
  return { parents: [], alerts: [], activated: false, active: false, cacheDetails: [] };
}

function groupMemberships(c: ComputerRecord, view: ComputerView): JsonObject[] {
  return view.groupsOf(c).map((g) => ({ groupId: String(g.id), groupName: g.name, smartGroup: g.smart }));
}

function configurationProfiles(c: ComputerRecord, view: ComputerView): JsonObject[] {
  return view.profilesOf(c).map((p) => ({
    id: String(p.id),
    username: '',
    lastInstalled: p.createdAt,
    removable: false,
    displayName: p.displayName,
    profileIdentifier: p.identifier,
  }));
}

function applications(c: ComputerRecord, view: ComputerView): JsonObject[] {
  return view.appsOf(c).map((a) => ({
    name: `${a.name}.app`,
    path: `/Applications/${a.name}.app`,
    version: a.version,
    macAppStore: true,
    sizeMegabytes: 48,
    bundleId: a.identifier,
    updateAvailable: false,
    externalVersionId: '0',
  }));
}

const SECTION_RENDERERS: Readonly<
  Record<ComputerSection, { key: string; render: (c: ComputerRecord, view: ComputerView) => unknown }>
> = {
  GENERAL: { key: 'general', render: general },
  DISK_ENCRYPTION: { key: 'diskEncryption', render: diskEncryption },
  PURCHASING: { key: 'purchasing', render: purchasing },
  APPLICATIONS: { key: 'applications', render: applications },
  STORAGE: { key: 'storage', render: storage },
  USER_AND_LOCATION: { key: 'userAndLocation', render: userAndLocation },
  CONFIGURATION_PROFILES: { key: 'configurationProfiles', render: configurationProfiles },
  PRINTERS: { key: 'printers', render: () => [] },
  SERVICES: { key: 'services', render: () => [] },
  HARDWARE: { key: 'hardware', render: hardware },
  LOCAL_USER_ACCOUNTS: { key: 'localUserAccounts', render: localUserAccounts },
  CERTIFICATES: { key: 'certificates', render: () => [] },
  ATTACHMENTS: { key: 'attachments', render: () => [] },
  PLUGINS: { key: 'plugins', render: () => [] },
  PACKAGE_RECEIPTS: {
    key: 'packageReceipts',
    render: () => ({ installedByJamfPro: [], installedByInstallerSwu: [], cached: [] }),
  },
  FONTS: { key: 'fonts', render: () => [] },
  SECURITY: { key: 'security', render: () => ({ ...SECURITY }) },
  OPERATING_SYSTEM: { key: 'operatingSystem', render: operatingSystem },
  LICENSED_SOFTWARE: { key: 'licensedSoftware', render: () => [] },
  IBEACONS: { key: 'ibeacons', render: () => [] },
  SOFTWARE_UPDATES: { key: 'softwareUpdates', render: () => [] },
  EXTENSION_ATTRIBUTES: { key: 'extensionAttributes', render: (c, v) => easIn('EXTENSION_ATTRIBUTES', c, v) },
  CONTENT_CACHING: { key: 'contentCaching', render: contentCaching },
  GROUP_MEMBERSHIPS: { key: 'groupMemberships', render: groupMemberships },
};

/** A `ComputerInventory` with the given sections populated. */
export function renderComputer(
  c: ComputerRecord,
  sections: ReadonlySet<ComputerSection>,
  view: ComputerView,
): JsonObject {
  const out: Record<string, unknown> = { id: String(c.id), udid: c.udid };
  for (const section of COMPUTER_SECTIONS) {
    const { key, render } = SECTION_RENDERERS[section];
    if (sections.has(section)) out[key] = render(c, view);
    else if (view.unrequested === 'null') out[key] = null;
  }
  return out;
}

export const ALL_COMPUTER_SECTIONS: ReadonlySet<ComputerSection> = new Set(COMPUTER_SECTIONS);

type Field = RsqlField<ComputerRecord>;
const s = (get: (c: ComputerRecord) => RsqlScalar): Field => ({ type: 'string', get });
const b = (get: (c: ComputerRecord) => RsqlScalar): Field => ({ type: 'boolean', get });
const d = (get: (c: ComputerRecord) => RsqlScalar): Field => ({ type: 'date', get });
const n = (get: (c: ComputerRecord) => RsqlScalar): Field => ({ type: 'number', get });
const none = (type: Field['type']): Field => ({ type, get: () => undefined });

/**
 * Every field the 11.7.1 schema allows in `filter`. Fields the mock does not model read as absent: they
 * never equal a value and always differ from one.
 */
export const COMPUTER_FILTER_FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['general.name', s((c) => c.name)],
  ['udid', s((c) => c.udid)],
  ['id', n((c) => c.id)],
  ['general.assetTag', s((c) => c.assetTag)],
  ['general.barcode1', s((c) => c.barcode1)],
  ['general.barcode2', s((c) => c.barcode2)],
  ['general.enrolledViaAutomatedDeviceEnrollment', b((c) => c.enrolledViaAutomatedDeviceEnrollment)],
  ['general.lastIpAddress', s((c) => c.lastIpAddress)],
  ['general.itunesStoreAccountActive', b(() => false)],
  ['general.jamfBinaryVersion', none('string')],
  ['general.lastContactTime', d((c) => c.reportDate)],
  ['general.lastEnrolledDate', d((c) => c.enrolledAt)],
  ['general.lastCloudBackupDate', none('date')],
  ['general.reportDate', d((c) => c.reportDate)],
  ['general.lastReportedIp', s((c) => c.lastReportedIp)],
  ['general.managementId', s((c) => c.managementId)],
  ['general.remoteManagement.managed', b((c) => c.managed)],
  ['general.remoteManagement.managementUsername', s(() => 'jamfadmin')],
  ['general.mdmCapable.capable', b((c) => c.managed)],
  ['general.mdmCertificateExpiration', none('date')],
  ['general.platform', s(() => 'Mac')],
  ['general.supervised', b((c) => c.supervised)],
  ['general.userApprovedMdm', b(() => true)],
  ['general.declarativeDeviceManagementEnabled', b(() => true)],
  ['hardware.bleCapable', b(() => true)],
  ['hardware.macAddress', s((c) => c.macAddress)],
  ['hardware.make', s(() => 'Apple')],
  ['hardware.model', s((c) => c.model)],
  ['hardware.modelIdentifier', s((c) => c.modelIdentifier)],
  ['hardware.serialNumber', s((c) => c.serialNumber)],
  ['hardware.supportsIosAppInstalls', b(() => true)],
  ['hardware.appleSilicon', b((c) => c.appleSilicon)],
  ['operatingSystem.activeDirectoryStatus', s(() => 'Not Bound')],
  ['operatingSystem.fileVault2Status', s(() => 'ALL_ENCRYPTED')],
  ['operatingSystem.build', s((c) => c.osBuild)],
  ['operatingSystem.supplementalBuildVersion', none('string')],
  ['operatingSystem.rapidSecurityResponse', none('string')],
  ['operatingSystem.name', s(() => 'macOS')],
  ['operatingSystem.version', s((c) => c.osVersion)],
  ['security.activationLockEnabled', b(() => false)],
  ['security.recoveryLockEnabled', b(() => false)],
  ['security.firewallEnabled', b(() => true)],
  ['userAndLocation.buildingId', n((c) => c.location.buildingId)],
  ['userAndLocation.departmentId', n((c) => c.location.departmentId)],
  ['userAndLocation.email', s((c) => c.location.email)],
  ['userAndLocation.realname', s((c) => c.location.realname)],
  ['userAndLocation.phone', s((c) => c.location.phone)],
  ['userAndLocation.position', s((c) => c.location.position)],
  ['userAndLocation.room', s((c) => c.location.room)],
  ['userAndLocation.username', s((c) => c.location.username)],
  ['purchasing.appleCareId', s((c) => c.purchasing.appleCareId)],
  ['purchasing.lifeExpectancy', n((c) => c.purchasing.lifeExpectancy)],
  ['purchasing.purchased', b((c) => c.purchasing.purchased)],
  ['purchasing.leased', b((c) => c.purchasing.leased)],
  ['purchasing.vendor', s((c) => c.purchasing.vendor)],
  ['purchasing.warrantyDate', d((c) => c.purchasing.warrantyDate)],
]);

const SORTABLE = [
  'general.name',
  'udid',
  'id',
  'general.assetTag',
  'general.jamfBinaryVersion',
  'general.lastContactTime',
  'general.lastEnrolledDate',
  'general.lastCloudBackupDate',
  'general.reportDate',
  'general.remoteManagement.managementUsername',
  'general.mdmCertificateExpiration',
  'general.platform',
  'hardware.make',
  'hardware.model',
  'operatingSystem.build',
  'operatingSystem.supplementalBuildVersion',
  'operatingSystem.rapidSecurityResponse',
  'operatingSystem.name',
  'operatingSystem.version',
  'userAndLocation.realname',
  'purchasing.lifeExpectancy',
  'purchasing.warrantyDate',
];

/** The sort fields the 11.7.1 schema lists, read the same way as their filter twins. */
export const COMPUTER_SORT_FIELDS: SortTable<ComputerRecord> = new Map(
  SORTABLE.map((name) => [name, COMPUTER_FILTER_FIELDS.get(name) ?? none('string')]),
);

/** A validated PATCH, applied only after the whole body has been read. */
export interface ComputerPatch {
  readonly general: Partial<
    Pick<
      ComputerRecord,
      'name' | 'assetTag' | 'barcode1' | 'barcode2' | 'lastIpAddress' | 'managed' | 'siteId'
    >
  >;
  readonly location: Partial<Location>;
  readonly purchasing: Partial<Purchasing>;
  readonly hardware: Partial<
    Pick<ComputerRecord, 'macAddress' | 'altMacAddress' | 'networkAdapterType' | 'altNetworkAdapterType'>
  >;
  readonly ea: ReadonlyMap<number, string[]>;
}

function readEas(
  items: readonly unknown[] | undefined,
  path: string,
  eas: EaRegistry,
  into: Map<number, string[]>,
) {
  (items ?? []).forEach((item, i) => {
    const at = join(path, i);
    if (!isObject(item)) throw invalid(at, `${at} must be an object`);
    const idText = optId(item, 'definitionId', at);
    if (idText === undefined)
      throw invalid(join(at, 'definitionId'), `${at}.definitionId is required`, 'MISSING_FIELD');
    const def = /^\d+$/.test(idText) ? eas.get(Number(idText)) : undefined;
    if (!def)
      throw invalid(join(at, 'definitionId'), `there is no computer extension attribute with id ${idText}`);
    const values = optStringArray(item, 'values', at) ?? [];
    into.set(def.id, normalizeValues(def, values, join(at, 'values')));
  });
}

function setIf<T extends object, K extends keyof T>(
  target: Partial<T>,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

/** Reads a `ComputerInventoryUpdateRequest`; throws 400 naming the first bad field. */
export function parseComputerPatch(
  body: unknown,
  eas: EaRegistry,
  departments: readonly Department[],
): ComputerPatch {
  const o = requireBody(body);
  const ea = new Map<number, string[]>();
  const g = optObject(o, 'general', '');
  const general: ComputerPatch['general'] & Record<string, unknown> = {};
  if (g) {
    setIf(general, 'name', optString(g, 'name', 'general'));
    if (general.name !== undefined && general.name.trim() === '')
      throw invalid('general.name', 'general.name cannot be empty');
    setIf(general, 'assetTag', optString(g, 'assetTag', 'general'));
    setIf(general, 'barcode1', optString(g, 'barcode1', 'general'));
    setIf(general, 'barcode2', optString(g, 'barcode2', 'general'));
    setIf(general, 'lastIpAddress', optString(g, 'lastIpAddress', 'general'));
    setIf(general, 'managed', optBoolean(g, 'managed', 'general'));
    const site = optId(g, 'siteId', 'general');
    if (site !== undefined) {
      if (site !== '-1') throw invalid('general.siteId', `there is no site with id ${site}`);
      general.siteId = -1;
    }
    readEas(optArray(g, 'extensionAttributes', 'general'), 'general.extensionAttributes', eas, ea);
  }
  const location: Partial<Location> = {};
  const u = optObject(o, 'userAndLocation', '');
  if (u) {
    for (const key of ['username', 'realname', 'email', 'position', 'phone', 'room'] as const)
      setIf(location, key, optString(u, key, 'userAndLocation'));
    const dept = optId(u, 'departmentId', 'userAndLocation');
    if (dept !== undefined) {
      if (dept === '' || dept === '-1') location.departmentId = null;
      else if (!departments.some((x) => String(x.id) === dept))
        throw invalid('userAndLocation.departmentId', `there is no department with id ${dept}`);
      else location.departmentId = Number(dept);
    }
    const building = optId(u, 'buildingId', 'userAndLocation');
    if (building !== undefined && building !== '' && building !== '-1')
      throw invalid('userAndLocation.buildingId', `there is no building with id ${building}`);
    if (building !== undefined) location.buildingId = null;
    readEas(
      optArray(u, 'extensionAttributes', 'userAndLocation'),
      'userAndLocation.extensionAttributes',
      eas,
      ea,
    );
  }
  const purchasingPatch: Partial<Purchasing> = {};
  const p = optObject(o, 'purchasing', '');
  if (p) {
    setIf(purchasingPatch, 'leased', optBoolean(p, 'leased', 'purchasing'));
    setIf(purchasingPatch, 'purchased', optBoolean(p, 'purchased', 'purchasing'));
    for (const key of [
      'poNumber',
      'vendor',
      'appleCareId',
      'purchasePrice',
      'purchasingAccount',
      'purchasingContact',
    ] as const)
      setIf(purchasingPatch, key, optString(p, key, 'purchasing'));
    for (const key of ['poDate', 'warrantyDate', 'leaseDate'] as const) {
      const v = optDate(p, key, 'purchasing');
      if (v !== undefined) purchasingPatch[key] = v === '' ? null : v;
    }
    setIf(purchasingPatch, 'lifeExpectancy', optInteger(p, 'lifeExpectancy', 'purchasing'));
    readEas(optArray(p, 'extensionAttributes', 'purchasing'), 'purchasing.extensionAttributes', eas, ea);
  }
  const hardwarePatch: ComputerPatch['hardware'] & Record<string, unknown> = {};
  const h = optObject(o, 'hardware', '');
  if (h) {
    for (const key of ['macAddress', 'altMacAddress', 'networkAdapterType', 'altNetworkAdapterType'] as const)
      setIf(hardwarePatch, key, optString(h, key, 'hardware'));
    readEas(optArray(h, 'extensionAttributes', 'hardware'), 'hardware.extensionAttributes', eas, ea);
  }
  const os = optObject(o, 'operatingSystem', '');
  if (os)
    readEas(
      optArray(os, 'extensionAttributes', 'operatingSystem'),
      'operatingSystem.extensionAttributes',
      eas,
      ea,
    );
  readEas(optArray(o, 'extensionAttributes', ''), 'extensionAttributes', eas, ea);
  optString(o, 'udid', '');
  return { general, location, purchasing: purchasingPatch, hardware: hardwarePatch, ea };
}

/** Applies a validated patch. */
export function applyComputerPatch(c: ComputerRecord, patch: ComputerPatch): void {
  Object.assign(c, patch.general, patch.hardware);
  c.location = { ...c.location, ...patch.location };
  c.purchasing = { ...c.purchasing, ...patch.purchasing };
  for (const [id, values] of patch.ea) {
    if (values.length === 0) c.ea.delete(id);
    else c.ea.set(id, values);
  }
}
