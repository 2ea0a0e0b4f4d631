/**
 * Computers and mobile devices on the Classic API (`/JSSResource/computers`, `/JSSResource/mobiledevices`):
 * the lists, one device by `id`, `name`, `udid`, `serialnumber` or `macaddress` (optionally narrowed to
 * `/subset/General&Location&…`), and the XML PUT that scripts use to write extension attribute values:
 * `<computer><extension_attributes><extension_attribute><id>5</id><value>High</value>…`. A PUT is read
 * whole and validated before anything changes, then smart groups are recalculated, exactly as for the Pro
 * API. Success answers 201 with `<computer><id>N</id></computer>`, as Jamf's Classic API does for PUT.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClassicList, type ClassicObject } from './classic-format.ts';
import type { ComputerRecord, DeviceRecord, Location, MobileRecord } from './devices.ts';
import { invalid, notFound } from './errors.ts';
import { classicValueType, type EaRegistry, normalizeValues } from './extension-attributes.ts';
import { param, sendClassic, sendClassicId, xmlBody } from './http.ts';
import { classicDevice, classicDeviceList } from './schemas/classic-api.ts';
import type { JamfProServer } from './server.ts';
import type { DeviceLookup } from './state.ts';
import { child, childrenNamed, childText, type XmlElement } from './xml.ts';

const LOOKUPS: readonly DeviceLookup[] = ['id', 'name', 'udid', 'serialnumber', 'macaddress'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Jamf's three renderings of one instant: local-style text, epoch milliseconds and UTC with offset. */
function classicDates(prefix: string, iso: string): ClassicObject {
  const d = new Date(iso);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return {
    [prefix]: text,
    [`${prefix}_epoch`]: d.getTime(),
    [`${prefix}_utc`]: d.toISOString().replace('Z', '+0000'),
  };
}

function location(device: DeviceRecord, server: JamfProServer): ClassicObject {
  const l = device.location;
  return {
    username: l.username,
    realname: l.realname,
    real_name: l.realname,
    email_address: l.email,
    position: l.position,
    phone: l.phone,
    phone_number: l.phone,
    department: server.state.departments.find((d) => d.id === l.departmentId)?.name ?? '',
    building: '',
    room: l.room,
  };
}

function purchasing(device: DeviceRecord): ClassicObject {
  const p = device.purchasing;
  return {
    is_purchased: p.purchased,
    is_leased: p.leased,
    po_number: p.poNumber,
    vendor: p.vendor,
    applecare_id: p.appleCareId,
    purchase_price: p.purchasePrice,
    purchasing_account: p.purchasingAccount,
    po_date: p.poDate ?? '',
    warranty_expires: p.warrantyDate ?? '',
    lease_expires: p.leaseDate ?? '',
    life_expectancy: p.lifeExpectancy,
    purchasing_contact: p.purchasingContact,
  };
}

function extensionAttributes(device: DeviceRecord, eas: EaRegistry, multi: boolean): ClassicList {
  return new ClassicList(
    'extension_attribute',
    eas.list().map((def) => ({
      id: def.id,
      name: def.name,
      type: classicValueType(def),
      ...(multi ? { multi_value: false } : {}),
      value: device.ea.get(def.id)?.[0] ?? '',
    })),
    false,
  );
}

function classicComputer(c: ComputerRecord, server: JamfProServer): ClassicObject {
  const state = server.state;
  const view = server.computerView();
  return {
    general: {
      id: c.id,
      name: c.name,
      mac_address: c.macAddress,
      network_adapter_type: c.networkAdapterType,
      alt_mac_address: c.altMacAddress,
      alt_network_adapter_type: c.altNetworkAdapterType,
      ip_address: c.lastIpAddress,
      last_reported_ip: c.lastReportedIp,
      serial_number: c.serialNumber,
      udid: c.udid,
      jamf_version: server.version,
      platform: 'Mac',
      barcode_1: c.barcode1,
      barcode_2: c.barcode2,
      asset_tag: c.assetTag,
      remote_management: { managed: c.managed, management_username: 'jamfadmin' },
      supervised: c.supervised,
      mdm_capable: c.managed,
      mdm_capable_users: { mdm_capable_user: c.location.username },
      management_status: {
        enrolled_via_dep: c.enrolledViaAutomatedDeviceEnrollment,
        user_approved_enrollment: true,
        user_approved_mdm: true,
      },
      ...classicDates('report_date', c.reportDate),
      ...classicDates('last_contact_time', c.reportDate),
      initial_entry_date: c.enrolledAt.slice(0, 10),
      last_enrolled_date_epoch: Date.parse(c.enrolledAt),
      last_enrolled_date_utc: c.enrolledAt.replace('Z', '.000+0000'),
      site: { id: c.siteId, name: 'None' },
      itunes_store_account_is_active: false,
    },
    location: location(c, server),
    purchasing: purchasing(c),
    hardware: {
      make: 'Apple',
      model: c.model,
      model_identifier: c.modelIdentifier,
      os_name: 'macOS',
      os_version: c.osVersion,
      os_build: c.osBuild,
      active_directory_status: 'Not Bound',
      processor_type: c.processorType,
      processor_architecture: c.processorArchitecture,
      number_processors: 1,
      number_cores: c.coreCount,
      total_ram: c.totalRamMegabytes,
      total_ram_mb: c.totalRamMegabytes,
      sip_status: 'Enabled',
      gatekeeper_status: 'App Store and identified developers',
      is_apple_silicon: c.appleSilicon,
    },
    extension_attributes: extensionAttributes(c, state.computerEas, true),
    groups_accounts: {
      computer_group_memberships: new ClassicList(
        'group',
        state.computerGroups.groupsOf(c.id).map((g) => g.name),
        false,
      ),
      local_accounts: new ClassicList(
        'user',
        [
          {
            name: c.location.username,
            realname: c.location.realname,
            uid: '501',
            home: `/Users/${c.location.username}`,
            administrator: false,
            filevault_enabled: true,
          },
        ],
        false,
      ),
    },
    configuration_profiles: new ClassicList(
      'configuration_profile',
      view.profilesOf(c).map((p) => ({ id: p.id, name: p.name, uuid: p.uuid, is_removable: false })),
    ),
  };
}

function classicMobile(m: MobileRecord, server: JamfProServer): ClassicObject {
  const state = server.state;
  const view = server.mobileView();
  return {
    general: {
      id: m.id,
      display_name: m.name,
      device_name: m.name,
      name: m.name,
      asset_tag: m.assetTag,
      ...classicDates('last_inventory_update', m.reportDate),
      capacity: m.capacityMb,
      capacity_mb: m.capacityMb,
      available: m.availableMb,
      available_mb: m.availableMb,
      percentage_used: Math.round(((m.capacityMb - m.availableMb) / m.capacityMb) * 100),
      os_type: 'iOS',
      os_version: m.osVersion,
      os_build: m.osBuild,
      serial_number: m.serialNumber,
      udid: m.udid,
      initial_entry_date_epoch: Date.parse(m.enrolledAt),
      initial_entry_date_utc: m.enrolledAt.replace('Z', '.000+0000'),
      phone_number: m.phoneNumber,
      ip_address: m.ipAddress,
      wifi_mac_address: m.wifiMacAddress,
      bluetooth_mac_address: m.bluetoothMacAddress,
      model: m.model,
      model_identifier: m.modelIdentifier,
      model_number: m.modelNumber,
      model_display: m.model,
      device_ownership_level: 'Institutional',
      last_enrollment_epoch: Date.parse(m.enrolledAt),
      last_enrollment_utc: m.enrolledAt.replace('Z', '.000+0000'),
      managed: m.managed,
      supervised: m.supervised,
      battery_level: m.batteryLevel,
      site: { id: m.siteId, name: 'None' },
    },
    location: location(m, server),
    purchasing: purchasing(m),
    configuration_profiles: new ClassicList(
      'configuration_profile',
      view
        .profilesOf(m)
        .map((p) => ({ display_name: p.displayName, version: 1, identifier: p.identifier, uuid: p.uuid })),
    ),
    mobile_device_groups: new ClassicList(
      'mobile_device_group',
      state.mobileGroups.groupsOf(m.id).map((g) => ({ id: g.id, name: g.name })),
    ),
    extension_attributes: extensionAttributes(m, state.mobileEas, false),
  };
}

/** Narrows a device object to `/subset/General&Location&…` (names compared without case or underscores). */
function subset(full: ClassicObject, subsets: string): ClassicObject {
  const wanted = new Set(subsets.split('&').map((s) => s.toLowerCase().replace(/_/g, '')));
  const out: Record<string, ClassicObject[string]> = {};
  for (const [key, value] of Object.entries(full)) if (wanted.has(key.replace(/_/g, ''))) out[key] = value;
  return out;
}

function lookupOf(request: FastifyRequest): DeviceLookup {
  const lookup = param(request, 'lookup').toLowerCase() as DeviceLookup;
  if (!LOOKUPS.includes(lookup)) throw notFound('resource', param(request, 'lookup'));
  return lookup;
}

/** What a Classic PUT may change, read and validated before it is applied. */
interface DeviceUpdate {
  readonly name?: string;
  readonly assetTag?: string;
  readonly location: Partial<Location>;
  readonly ea: ReadonlyMap<number, string[]>;
}

function readUpdate(
  root: XmlElement,
  expected: string,
  eas: EaRegistry,
  server: JamfProServer,
): DeviceUpdate {
  if (root.name !== expected) throw invalid('root', `Error: the root element must be <${expected}>`);
  const general = child(root, 'general');
  const name =
    childText(general, expected === 'computer' ? 'name' : 'display_name') ?? childText(general, 'name');
  if (name !== undefined && name === '') throw invalid('general/name', 'Error: name cannot be empty');
  const loc = child(root, 'location');
  const location: Partial<Location> = {};
  if (loc) {
    const pairs = [
      ['username', 'username'],
      ['realname', 'realname'],
      ['real_name', 'realname'],
      ['email_address', 'email'],
      ['position', 'position'],
      ['phone', 'phone'],
      ['phone_number', 'phone'],
      ['room', 'room'],
    ] as const;
    for (const [element, key] of pairs) {
      const v = childText(loc, element);
      if (v !== undefined) location[key] = v;
    }
    const department = childText(loc, 'department');
    if (department !== undefined) {
      const found = server.state.departments.find((d) => d.name.toLowerCase() === department.toLowerCase());
      if (department !== '' && !found)
        throw invalid('location/department', `Error: Problem with department ${department}`);
      location.departmentId = found?.id ?? null;
    }
    const building = childText(loc, 'building');
    if (building) throw invalid('location/building', `Error: Problem with building ${building}`);
  }
  const ea = new Map<number, string[]>();
  for (const el of childrenNamed(child(root, 'extension_attributes'), 'extension_attribute')) {
    const idText = childText(el, 'id');
    const nameText = childText(el, 'name');
    const def = idText
      ? /^\d+$/.test(idText)
        ? eas.get(Number(idText))
        : undefined
      : nameText
        ? eas.byName(nameText)
        : undefined;
    if (!def)
      throw invalid(
        'extension_attribute',
        `Error: Problem with extension attribute ${idText ?? nameText ?? '(no id or name)'}`,
      );
    const value = (child(el, 'value')?.text ?? '').trim();
    ea.set(def.id, normalizeValues(def, [value], `extension_attribute ${def.name}`));
  }
  return {
    ...(name !== undefined ? { name } : {}),
    ...(childText(general, 'asset_tag') !== undefined
      ? { assetTag: childText(general, 'asset_tag') ?? '' }
      : {}),
    location,
    ea,
  };
}

function applyUpdate(device: DeviceRecord, update: DeviceUpdate): void {
  if (update.name !== undefined) device.name = update.name;
  if (update.assetTag !== undefined) device.assetTag = update.assetTag;
  device.location = { ...device.location, ...update.location };
  for (const [id, values] of update.ea) {
    if (values.length === 0) device.ea.delete(id);
    else device.ea.set(id, values);
  }
}

export function registerClassicDevices(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;

  app.get('/JSSResource/computers', { schema: classicDeviceList('computers') }, async (request, reply) =>
    sendClassic(
      request,
      reply,
      200,
      'computers',
      new ClassicList(
        'computer',
        state.computers.list.map((c) => ({ id: c.id, name: c.name })),
      ),
    ),
  );

  // The list scripts use most: one row per computer with the fields inventory reports need.
  app.get(
    '/JSSResource/computers/subset/basic',
    { schema: classicDeviceList('computers') },
    async (request, reply) =>
      sendClassic(
        request,
        reply,
        200,
        'computers',
        new ClassicList(
          'computer',
          state.computers.list.map((c) => ({
            id: c.id,
            name: c.name,
            managed: c.managed,
            username: c.location.username,
            model: c.model,
            department: state.departments.find((d) => d.id === c.location.departmentId)?.name ?? '',
            building: '',
            mac_address: c.macAddress,
            udid: c.udid,
            serial_number: c.serialNumber,
            report_date_utc: c.reportDate.replace('Z', '+0000'),
            report_date_epoch: Date.parse(c.reportDate),
          })),
        ),
      ),
  );

  app.get(
    '/JSSResource/mobiledevices',
    { schema: classicDeviceList('mobile_devices') },
    async (request, reply) =>
      sendClassic(
        request,
        reply,
        200,
        'mobile_devices',
        new ClassicList(
          'mobile_device',
          state.mobiles.list.map((m) => ({
            id: m.id,
            name: m.name,
            device_name: m.name,
            udid: m.udid,
            serial_number: m.serialNumber,
            phone_number: m.phoneNumber,
            wifi_mac_address: m.wifiMacAddress,
            managed: m.managed,
            supervised: m.supervised,
            model: m.model,
            model_identifier: m.modelIdentifier,
            model_display: m.model,
            username: m.location.username,
          })),
        ),
      ),
  );

  const findComputer = (request: FastifyRequest): ComputerRecord => {
    const found = state.computers.find(lookupOf(request), param(request, 'value'));
    if (!found) throw notFound('computer', param(request, 'value'));
    return found;
  };
  const findMobile = (request: FastifyRequest): MobileRecord => {
    const found = state.mobiles.find(lookupOf(request), param(request, 'value'));
    if (!found) throw notFound('mobile device', param(request, 'value'));
    return found;
  };

  const computer = classicDevice('computer');
  const mobile = classicDevice('mobile_device');
  for (const suffix of ['', '/subset/:subset']) {
    app.get(
      `/JSSResource/computers/:lookup/:value${suffix}`,
      { schema: computer.read },
      async (request, reply) => {
        const full = classicComputer(findComputer(request), server);
        const sub = param(request, 'subset');
        return sendClassic(request, reply, 200, 'computer', sub ? subset(full, sub) : full);
      },
    );
    app.get(
      `/JSSResource/mobiledevices/:lookup/:value${suffix}`,
      { schema: mobile.read },
      async (request, reply) => {
        const full = classicMobile(findMobile(request), server);
        const sub = param(request, 'subset');
        return sendClassic(request, reply, 200, 'mobile_device', sub ? subset(full, sub) : full);
      },
    );
    app.put(
      `/JSSResource/computers/:lookup/:value${suffix}`,
      { schema: computer.update },
      async (request, reply) => {
        const computer = findComputer(request);
        const update = readUpdate(xmlBody(request), 'computer', state.computerEas, server);
        applyUpdate(computer, update);
        state.deviceChanged(computer);
        return sendClassicId(reply, 201, 'computer', computer.id);
      },
    );
    app.put(
      `/JSSResource/mobiledevices/:lookup/:value${suffix}`,
      { schema: mobile.update },
      async (request, reply) => {
        const device = findMobile(request);
        const update = readUpdate(xmlBody(request), 'mobile_device', state.mobileEas, server);
        applyUpdate(device, update);
        state.deviceChanged(device);
        return sendClassicId(reply, 201, 'mobile_device', device.id);
      },
    );
  }
}
