/**
 * Mobile devices on the Jamf Pro API: the `MobileDeviceV2` summary (`/api/v2/mobile-devices`), the
 * `MobileDeviceDetailsGetV2` detail, the sectioned iOS inventory of `/api/v2/mobile-devices/detail`
 * (`deviceType: "iOS"`, the `oneOf` member for iPhones and iPads), the `InventoryListMobileDevice` rows of
 * group membership lists, their filter and sort tables, and the `UpdateMobileDeviceV2` PATCH with
 * `updatedExtensionAttributes: [{id, value: [...]}]`. Shapes follow the 11.7.1 schema; as for computers,
 * an extension attribute appears once, in the section its inventory display names.
 */
import {
  isObject,
  type JsonObject,
  join,
  optArray,
  optBoolean,
  optId,
  optObject,
  optString,
  optStringArray,
  requireBody,
} from './body.ts';
import type { Deployable } from './deployables.ts';
import type { Department, Location, MobileRecord } from './devices.ts';
import { invalid } from './errors.ts';
import {
  type EaDefinition,
  type EaDisplay,
  type EaRegistry,
  normalizeValues,
} from './extension-attributes.ts';
import type { SortTable } from './query.ts';
import type { RsqlField, RsqlScalar } from './rsql.ts';

export const MOBILE_SECTIONS = [
  'GENERAL',
  'HARDWARE',
  'USER_AND_LOCATION',
  'PURCHASING',
  'SECURITY',
  'APPLICATIONS',
  'EBOOKS',
  'NETWORK',
  'SERVICE_SUBSCRIPTIONS',
  'CERTIFICATES',
  'PROFILES',
  'USER_PROFILES',
  'PROVISIONING_PROFILES',
  'SHARED_USERS',
  'EXTENSION_ATTRIBUTES',
] as const;
export type MobileSection = (typeof MOBILE_SECTIONS)[number];

export interface MobileView {
  readonly eas: EaRegistry;
  readonly departments: readonly Department[];
  readonly profilesOf: (device: MobileRecord) => readonly Deployable[];
  readonly appsOf: (device: MobileRecord) => readonly Deployable[];
  readonly unrequested: 'null' | 'omit';
}

function department(m: MobileRecord, view: MobileView): string {
  return view.departments.find((d) => d.id === m.location.departmentId)?.name ?? '';
}

/** `ExtensionAttributeV2` (detail) or `MobileDeviceExtensionAttribute` (inventory, with `inventoryDisplay`). */
export function mobileEa(
  def: EaDefinition,
  values: readonly string[] | undefined,
  withDisplay: boolean,
): JsonObject {
  return {
    id: String(def.id),
    name: def.name,
    type: def.dataType,
    value: [...(values ?? [])],
    extensionAttributeCollectionAllowed: false,
    ...(withDisplay ? { inventoryDisplay: def.inventoryDisplayType } : {}),
  };
}

function easIn(display: EaDisplay, m: MobileRecord, view: MobileView): JsonObject[] {
  return view.eas
    .list()
    .filter((d) => d.inventoryDisplayType === display)
    .map((d) => mobileEa(d, m.ea.get(d.id), true));
}

/** `MobileDeviceV2`, the list and by-id shape. */
export function renderMobileV2(m: MobileRecord): JsonObject {
  return {
    id: String(m.id),
    name: m.name,
    serialNumber: m.serialNumber,
    wifiMacAddress: m.wifiMacAddress,
    udid: m.udid,
    phoneNumber: m.phoneNumber,
    model: m.model,
    modelIdentifier: m.modelIdentifier,
    username: m.location.username,
    type: 'ios',
    managementId: m.managementId,
  };
}

function locationV2(l: Location): JsonObject {
  return {
    username: l.username,
    realName: l.realname,
    emailAddress: l.email,
    position: l.position,
    phoneNumber: l.phone,
    ...(l.departmentId === null ? {} : { departmentId: String(l.departmentId) }),
    ...(l.buildingId === null ? {} : { buildingId: String(l.buildingId) }),
    room: l.room,
  };
}

function purchasingV2(m: MobileRecord): JsonObject {
  const p = m.purchasing;
  // PurchasingV2 carries date-times; the record keeps dates.
  const at = (date: string | null) => (date ? `${date}T00:00:00Z` : undefined);
  const dates: Record<string, string> = {};
  for (const [key, value] of [
    ['poDate', at(p.poDate)],
    ['warrantyExpiresDate', at(p.warrantyDate)],
    ['leaseExpiresDate', at(p.leaseDate)],
  ] as const) {
    if (value) dates[key] = value;
  }
  return {
    purchased: p.purchased,
    leased: p.leased,
    poNumber: p.poNumber,
    vendor: p.vendor,
    appleCareId: p.appleCareId,
    purchasePrice: p.purchasePrice,
    purchasingAccount: p.purchasingAccount,
    ...dates,
    lifeExpectancy: p.lifeExpectancy,
    purchasingContact: p.purchasingContact,
  };
}

function securityV2(m: MobileRecord): JsonObject {
  return {
    dataProtected: true,
    blockLevelEncryptionCapable: true,
    fileLevelEncryptionCapable: true,
    passcodePresent: true,
    passcodeCompliant: true,
    passcodeCompliantWithProfile: true,
    hardwareEncryption: 3,
    activationLockEnabled: m.supervised,
    jailBreakDetected: false,
  };
}

function networkV2(m: MobileRecord): JsonObject {
  return {
    cellularTechnology: m.phoneNumber ? 'GSM' : 'Unknown',
    voiceRoamingEnabled: false,
    carrierSettingsVersion: '60.0',
    dataRoamingEnabled: false,
    roaming: false,
    personalHotspotEnabled: false,
    phoneNumber: m.phoneNumber,
  };
}

function mdmProfileExpiration(m: MobileRecord): string {
  const d = new Date(m.enrolledAt);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.toISOString();
}

/**
 * `MobileDeviceDetailsGetV2`; the PATCH response is `MobileDeviceDetailsV2`, the same without `managementId`
 * (so `withManagementId: false` there).
 */
export function renderMobileDetail(m: MobileRecord, view: MobileView, withManagementId = true): JsonObject {
  const used = Math.round(((m.capacityMb - m.availableMb) / m.capacityMb) * 100);
  return {
    id: String(m.id),
    name: m.name,
    enforceName: m.enforceName,
    assetTag: m.assetTag,
    lastInventoryUpdateTimestamp: m.reportDate,
    osVersion: m.osVersion,
    osBuild: m.osBuild,
    serialNumber: m.serialNumber,
    udid: m.udid,
    ipAddress: m.ipAddress,
    wifiMacAddress: m.wifiMacAddress,
    bluetoothMacAddress: m.bluetoothMacAddress,
    managed: m.managed,
    timeZone: m.timeZone,
    initialEntryTimestamp: m.enrolledAt,
    lastEnrollmentTimestamp: m.enrolledAt,
    mdmProfileExpirationTimestamp: mdmProfileExpiration(m),
    deviceOwnershipLevel: 'Institutional',
    enrollmentMethod: 'Automated Device Enrollment',
    enrollmentSessionTokenValid: false,
    declarativeDeviceManagementEnabled: true,
    site: { id: String(m.siteId), name: 'None' },
    extensionAttributes: view.eas.list().map((d) => mobileEa(d, m.ea.get(d.id), false)),
    location: locationV2(m.location),
    type: 'ios',
    ios: {
      model: m.model,
      modelIdentifier: m.modelIdentifier,
      modelNumber: m.modelNumber,
      supervised: m.supervised,
      batteryLevel: m.batteryLevel,
      capacityMb: m.capacityMb,
      availableMb: m.availableMb,
      percentageUsed: used,
      shared: false,
      deviceLocatorServiceEnabled: true,
      doNotDisturbEnabled: false,
      cloudBackupEnabled: false,
      locationServicesEnabled: true,
      iTunesStoreAccountActive: true,
      bleCapable: true,
      purchasing: purchasingV2(m),
      security: securityV2(m),
      network: networkV2(m),
      serviceSubscriptions: [],
      applications: view.appsOf(m).map((a) => ({
        identifier: a.identifier,
        name: a.displayName,
        version: a.version,
        shortVersion: a.version,
      })),
      certificates: [],
      ebooks: [],
      configurationProfiles: view.profilesOf(m).map((p) => ({
        displayName: p.displayName,
        version: '1',
        uuid: p.uuid,
        identifier: p.identifier,
      })),
      provisioningProfiles: [],
      attachments: [],
    },
    ...(withManagementId ? { managementId: m.managementId } : {}),
  };
}

function generalSection(m: MobileRecord, view: MobileView): JsonObject {
  return {
    udid: m.udid,
    displayName: m.name,
    assetTag: m.assetTag,
    siteId: String(m.siteId),
    lastInventoryUpdateDate: m.reportDate,
    osVersion: m.osVersion,
    osBuild: m.osBuild,
    ipAddress: m.ipAddress,
    managed: m.managed,
    supervised: m.supervised,
    deviceOwnershipType: 'Institutional',
    enrollmentSessionTokenValid: false,
    lastEnrolledDate: m.enrolledAt,
    mdmProfileExpirationDate: mdmProfileExpiration(m),
    timeZone: m.timeZone,
    declarativeDeviceManagementEnabled: true,
    extensionAttributes: easIn('GENERAL', m, view),
    sharedIpad: false,
    diagnosticAndUsageReportingEnabled: false,
    appAnalyticsEnabled: false,
    residentUsers: 0,
    quotaSize: 0,
    temporarySessionOnly: false,
    temporarySessionTimeout: 0,
    userSessionTimeout: 0,
    syncedToComputer: 0,
    maximumSharediPadUsersStored: 0,
    deviceLocatorServiceEnabled: true,
    doNotDisturbEnabled: false,
    cloudBackupEnabled: false,
    locationServicesForSelfServiceMobileEnabled: false,
    itunesStoreAccountActive: true,
    tethered: false,
  };
}

const RENDER: Readonly<
  Record<MobileSection, { key: string; render: (m: MobileRecord, v: MobileView) => unknown }>
> = {
  GENERAL: { key: 'general', render: generalSection },
  HARDWARE: {
    key: 'hardware',
    render: (m, v) => ({
      capacityMb: m.capacityMb,
      availableSpaceMb: m.availableMb,
      usedSpacePercentage: Math.round(((m.capacityMb - m.availableMb) / m.capacityMb) * 100),
      batteryLevel: m.batteryLevel,
      serialNumber: m.serialNumber,
      wifiMacAddress: m.wifiMacAddress,
      bluetoothMacAddress: m.bluetoothMacAddress,
      model: m.model,
      modelIdentifier: m.modelIdentifier,
      modelNumber: m.modelNumber,
      bluetoothLowEnergyCapable: true,
      extensionAttributes: easIn('HARDWARE', m, v),
    }),
  },
  USER_AND_LOCATION: {
    key: 'userAndLocation',
    render: (m, v) => ({
      ...locationV2(m.location),
      department: department(m, v),
      extensionAttributes: easIn('USER_AND_LOCATION', m, v),
    }),
  },
  PURCHASING: {
    key: 'purchasing',
    render: (m, v) => ({ ...purchasingV2(m), extensionAttributes: easIn('PURCHASING', m, v) }),
  },
  SECURITY: {
    key: 'security',
    render: (m) => ({
      ...securityV2(m),
      passcodeLockGracePeriodEnforcedSeconds: 0,
      personalDeviceProfileCurrent: false,
      lostModeEnabled: false,
      lostModePersistent: false,
    }),
  },
  APPLICATIONS: {
    key: 'applications',
    render: (m, v) =>
      v.appsOf(m).map((a) => ({
        identifier: a.identifier,
        name: a.displayName,
        version: a.version,
        shortVersion: a.version,
        managementStatus: 'Managed',
        validationStatus: true,
        bundleSize: '52428800',
        dynamicSize: '1048576',
      })),
  },
  EBOOKS: { key: 'ebooks', render: () => [] },
  NETWORK: { key: 'network', render: (m) => networkV2(m) },
  SERVICE_SUBSCRIPTIONS: { key: 'serviceSubscriptions', render: () => [] },
  CERTIFICATES: { key: 'certificates', render: () => [] },
  PROFILES: {
    key: 'profiles',
    render: (m, v) =>
      v.profilesOf(m).map((p) => ({
        displayName: p.displayName,
        version: '1',
        uuid: p.uuid,
        identifier: p.identifier,
        removable: false,
        lastInstalled: p.createdAt,
      })),
  },
  USER_PROFILES: { key: 'userProfiles', render: () => [] },
  PROVISIONING_PROFILES: { key: 'provisioningProfiles', render: () => [] },
  SHARED_USERS: { key: 'sharedUsers', render: () => [] },
  EXTENSION_ATTRIBUTES: { key: 'extensionAttributes', render: (m, v) => easIn('EXTENSION_ATTRIBUTES', m, v) },
};

/** One result of `/api/v2/mobile-devices/detail`: the iOS inventory with the requested sections. */
export function renderMobileInventory(
  m: MobileRecord,
  sections: ReadonlySet<MobileSection>,
  view: MobileView,
): JsonObject {
  const out: Record<string, unknown> = { mobileDeviceId: String(m.id), deviceType: 'iOS' };
  for (const section of MOBILE_SECTIONS) {
    const { key, render } = RENDER[section];
    if (sections.has(section)) out[key] = render(m, view);
    else if (view.unrequested === 'null') out[key] = null;
  }
  return out;
}

/** `InventoryListMobileDevice`, the row of group membership lists. */
export function renderInventoryListMobile(m: MobileRecord, view: MobileView): JsonObject {
  return {
    mobileDeviceId: String(m.id),
    udid: m.udid,
    assetTag: m.assetTag,
    availableSpaceMb: m.availableMb,
    batteryLevel: m.batteryLevel,
    bluetoothMacAddress: m.bluetoothMacAddress,
    capacityMb: m.capacityMb,
    deviceOwnershipType: 'Institutional',
    devicePhoneNumber: m.phoneNumber,
    displayName: m.name,
    osBuild: m.osBuild,
    osVersion: m.osVersion,
    ipAddress: m.ipAddress,
    lastEnrolledDate: m.enrolledAt,
    lastInventoryUpdateDate: m.reportDate,
    managed: m.managed,
    model: m.model,
    modelIdentifier: m.modelIdentifier,
    modelNumber: m.modelNumber,
    serialNumber: m.serialNumber,
    supervised: m.supervised,
    timeZone: m.timeZone,
    wifiMacAddress: m.wifiMacAddress,
    department: department(m, view),
    emailAddress: m.location.email,
    fullName: m.location.realname,
    position: m.location.position,
    room: m.location.room,
    userPhoneNumber: m.location.phone,
    username: m.location.username,
  };
}

type Field = RsqlField<MobileRecord>;
const str = (get: (m: MobileRecord) => RsqlScalar): Field => ({ type: 'string', get });
const bool = (get: (m: MobileRecord) => RsqlScalar): Field => ({ type: 'boolean', get });
const num = (get: (m: MobileRecord) => RsqlScalar): Field => ({ type: 'number', get });
const date = (get: (m: MobileRecord) => RsqlScalar): Field => ({ type: 'date', get });
const none = (type: Field['type']): Field => ({ type, get: () => undefined });

const MODELLED: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['assetTag', str((m) => m.assetTag)],
  ['availableSpaceMb', num((m) => m.availableMb)],
  ['batteryLevel', num((m) => m.batteryLevel)],
  ['bluetoothLowEnergyCapable', bool(() => true)],
  ['bluetoothMacAddress', str((m) => m.bluetoothMacAddress)],
  ['capacityMb', num((m) => m.capacityMb)],
  ['declarativeDeviceManagementEnabled', bool(() => true)],
  ['deviceLocatorServiceEnabled', bool(() => true)],
  ['devicePhoneNumber', str((m) => m.phoneNumber)],
  ['displayName', str((m) => m.name)],
  ['osBuild', str((m) => m.osBuild)],
  ['osVersion', str((m) => m.osVersion)],
  ['ipAddress', str((m) => m.ipAddress)],
  ['itunesStoreAccountActive', bool(() => true)],
  ['mobileDeviceId', num((m) => m.id)],
  ['lastInventoryUpdateDate', date((m) => m.reportDate)],
  ['lastEnrolledDate', date((m) => m.enrolledAt)],
  ['managed', bool((m) => m.managed)],
  ['model', str((m) => m.model)],
  ['modelIdentifier', str((m) => m.modelIdentifier)],
  ['modelNumber', str((m) => m.modelNumber)],
  ['serialNumber', str((m) => m.serialNumber)],
  ['sharedIpad', bool(() => false)],
  ['supervised', bool((m) => m.supervised)],
  ['tethered', bool(() => false)],
  ['timeZone', str((m) => m.timeZone)],
  ['udid', str((m) => m.udid)],
  ['wifiMacAddress', str((m) => m.wifiMacAddress)],
  ['deviceOwnershipType', str(() => 'Institutional')],
  ['emailAddress', str((m) => m.location.email)],
  ['fullName', str((m) => m.location.realname)],
  ['userPhoneNumber', str((m) => m.location.phone)],
  ['position', str((m) => m.location.position)],
  ['room', str((m) => m.location.room)],
  ['username', str((m) => m.location.username)],
  ['lifeExpectancyYears', num((m) => m.purchasing.lifeExpectancy)],
  ['poNumber', str((m) => m.purchasing.poNumber)],
  ['purchasePrice', str((m) => m.purchasing.purchasePrice)],
  ['purchasedOrLeased', bool((m) => m.purchasing.purchased)],
  ['vendor', str((m) => m.purchasing.vendor)],
  ['appleCareId', str((m) => m.purchasing.appleCareId)],
  ['purchasingAccount', str((m) => m.purchasing.purchasingAccount)],
  ['purchasingContact', str((m) => m.purchasing.purchasingContact)],
  ['activationLockEnabled', bool((m) => m.supervised)],
  ['passcodePresent', bool(() => true)],
  ['passcodeCompliant', bool(() => true)],
  ['passcodeCompliantWithProfile', bool(() => true)],
  ['dataProtection', bool(() => true)],
  ['blockEncryptionCapable', bool(() => true)],
  ['fileEncryptionCapable', bool(() => true)],
  ['lostModeEnabled', bool(() => false)],
  ['cloudBackupEnabled', bool(() => false)],
  ['doNotDisturbEnabled', bool(() => false)],
  ['dataRoamingEnabled', bool(() => false)],
  ['roaming', bool(() => false)],
  ['personalHotspotEnabled', bool(() => false)],
]);

const FILTERABLE =
  `airPlayPassword appAnalyticsEnabled assetTag availableSpaceMb batteryLevel bluetoothLowEnergyCapable
bluetoothMacAddress capacityMb declarativeDeviceManagementEnabled deviceId deviceLocatorServiceEnabled
devicePhoneNumber diagnosticAndUsageReportingEnabled displayName doNotDisturbEnabled exchangeDeviceId
cloudBackupEnabled osBuild osSupplementalBuildVersion osVersion osRapidSecurityResponse ipAddress
itunesStoreAccountActive mobileDeviceId languages lastInventoryUpdateDate locales
locationServicesForSelfServiceMobileEnabled lostModeEnabled managed model modelIdentifier modelNumber
modemFirmwareVersion quotaSize residentUsers serialNumber sharedIpad supervised tethered timeZone udid
usedSpacePercentage wifiMacAddress building department emailAddress fullName userPhoneNumber position room
username appleCareId lifeExpectancyYears poNumber purchasePrice purchasedOrLeased purchasingAccount
purchasingContact vendor activationLockEnabled blockEncryptionCapable dataProtection fileEncryptionCapable
passcodeCompliant passcodeCompliantWithProfile passcodeLockGracePeriodEnforcedSeconds passcodePresent
personalDeviceProfileCurrent carrierSettingsVersion currentCarrierNetwork currentMobileCountryCode
currentMobileNetworkCode dataRoamingEnabled eid network homeMobileCountryCode homeMobileNetworkCode iccid imei
imei2 meid personalHotspotEnabled roaming`.split(/\s+/);

/** The `filter` fields of `/api/v2/mobile-devices/detail` in 11.7.1 (no `deviceOwnershipType` among them). */
export const MOBILE_DETAIL_FILTER_FIELDS: ReadonlyMap<string, Field> = new Map(
  FILTERABLE.map((name) => [name, MODELLED.get(name) ?? none('string')]),
);

const DETAIL_SORTABLE = [
  ...FILTERABLE.filter((f) => f !== 'network'),
  'lostModeEnabledDate',
  'enrollmentSessionTokenValid',
  'lastBackupDate',
  'lastEnrolledDate',
  'lastCloudBackupDate',
  'mdmProfileExpirationDate',
  'deviceOwnershipType',
  'leaseExpirationDate',
  'poDate',
  'warrantyExpirationDate',
  'hardwareEncryptionSupported',
  'jailbreakStatus',
  'cellularTechnology',
  'voiceRoamingEnabled',
];

export const MOBILE_DETAIL_SORT_FIELDS: SortTable<MobileRecord> = new Map(
  DETAIL_SORTABLE.map((name) => [name, MODELLED.get(name) ?? none('string')]),
);

/** `/api/v2/mobile-devices` sorts by the `MobileDeviceV2` members. */
export const MOBILE_V2_SORT_FIELDS: SortTable<MobileRecord> = new Map<string, Field>([
  ['id', num((m) => m.id)],
  ['name', str((m) => m.name)],
  ['serialNumber', str((m) => m.serialNumber)],
  ['wifiMacAddress', str((m) => m.wifiMacAddress)],
  ['udid', str((m) => m.udid)],
  ['phoneNumber', str((m) => m.phoneNumber)],
  ['model', str((m) => m.model)],
  ['modelIdentifier', str((m) => m.modelIdentifier)],
  ['username', str((m) => m.location.username)],
  ['type', str(() => 'ios')],
  ['managementId', str((m) => m.managementId)],
]);

export interface MobilePatch {
  readonly fields: Partial<Pick<MobileRecord, 'name' | 'enforceName' | 'assetTag' | 'timeZone' | 'siteId'>>;
  readonly location: Partial<Location>;
  readonly ea: ReadonlyMap<number, string[]>;
}

/** Reads an `UpdateMobileDeviceV2`; the whole body is validated before anything changes. */
export function parseMobilePatch(
  body: unknown,
  eas: EaRegistry,
  departments: readonly Department[],
): MobilePatch {
  const o = requireBody(body);
  const fields: MobilePatch['fields'] & Record<string, unknown> = {};
  const name = optString(o, 'name', '');
  if (name !== undefined) {
    if (name.trim() === '') throw invalid('name', 'name cannot be empty');
    fields.name = name;
  }
  const enforceName = optBoolean(o, 'enforceName', '');
  if (enforceName !== undefined) fields.enforceName = enforceName;
  const assetTag = optString(o, 'assetTag', '');
  if (assetTag !== undefined) fields.assetTag = assetTag;
  const timeZone = optString(o, 'timeZone', '');
  if (timeZone !== undefined) fields.timeZone = timeZone;
  const site = optId(o, 'siteId', '');
  if (site !== undefined) {
    if (site !== '-1') throw invalid('siteId', `there is no site with id ${site}`);
    fields.siteId = -1;
  }
  const location: Partial<Location> = {};
  const loc = optObject(o, 'location', '');
  if (loc) {
    const map = [
      ['username', 'username'],
      ['realName', 'realname'],
      ['emailAddress', 'email'],
      ['position', 'position'],
      ['phoneNumber', 'phone'],
      ['room', 'room'],
    ] as const;
    for (const [wire, key] of map) {
      const v = optString(loc, wire, 'location');
      if (v !== undefined) location[key] = v;
    }
    const dept = optId(loc, 'departmentId', 'location');
    if (dept !== undefined) {
      if (dept === '' || dept === '-1') location.departmentId = null;
      else if (!departments.some((d) => String(d.id) === dept))
        throw invalid('location.departmentId', `there is no department with id ${dept}`);
      else location.departmentId = Number(dept);
    }
    const building = optId(loc, 'buildingId', 'location');
    if (building !== undefined && building !== '' && building !== '-1')
      throw invalid('location.buildingId', `there is no building with id ${building}`);
  }
  const ea = new Map<number, string[]>();
  (optArray(o, 'updatedExtensionAttributes', '') ?? []).forEach((item, i) => {
    const at = join('updatedExtensionAttributes', i);
    if (!isObject(item)) throw invalid(at, `${at} must be an object`);
    const idText = optId(item, 'id', at);
    const byName = optString(item, 'name', at);
    // The id identifies the attribute; a name alone is accepted as a convenience, as the UI's picker is by name.
    const def =
      idText !== undefined
        ? /^\d+$/.test(idText)
          ? eas.get(Number(idText))
          : undefined
        : byName !== undefined
          ? eas.byName(byName)
          : undefined;
    if (idText === undefined && byName === undefined)
      throw invalid(join(at, 'id'), `${at}.id is required`, 'MISSING_FIELD');
    if (!def)
      throw invalid(join(at, 'id'), `there is no mobile device extension attribute ${idText ?? byName}`);
    optString(item, 'type', at);
    const values = optStringArray(item, 'value', at);
    if (values === undefined) throw invalid(join(at, 'value'), `${at}.value is required`, 'MISSING_FIELD');
    ea.set(def.id, normalizeValues(def, values, join(at, 'value')));
  });
  // ios/tvos purchasing members are read for type errors and otherwise not modelled.
  optObject(o, 'ios', '');
  optObject(o, 'tvos', '');
  return { fields, location, ea };
}

export function applyMobilePatch(m: MobileRecord, patch: MobilePatch): void {
  Object.assign(m, patch.fields);
  m.location = { ...m.location, ...patch.location };
  for (const [id, values] of patch.ea) {
    if (values.length === 0) m.ea.delete(id);
    else m.ea.set(id, values);
  }
}
