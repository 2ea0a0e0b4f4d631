/**
 * The Fleet page's data: Jamf Security Cloud's device view (`GET /risk/v2/devices`: platform, user, risk,
 * threats) joined by UDID with Jamf Pro's inventory (the extension attributes JSC's UEM signalling writes
 * and the groups each device is in), and the two actions — raise a threat, resolve one — through JSC's
 * lab controls. Jamf Pro is the UEM, so its name for a device is the one shown when it has the device.
 */
import { ConsoleError, type LabClient } from './lab-client.ts';

export interface FleetThreat {
  readonly id: string;
  readonly category: string;
  readonly severity: string;
  readonly status: string;
  readonly detectedAt: unknown;
}

export interface FleetDevice {
  readonly id: string;
  readonly udid: string;
  readonly name: string;
  readonly platform: string;
  readonly osVersion: string;
  readonly user: { readonly email: string; readonly name: string } | null;
  readonly risk: string;
  readonly threats: readonly FleetThreat[];
  /** Jamf Pro's record: the risk extension attribute, every other one with a value, and the groups. */
  readonly jamfPro: {
    readonly id: string;
    readonly riskAttribute: string;
    readonly attributes: readonly { readonly name: string; readonly value: string }[];
    readonly groups: readonly { readonly name: string; readonly smart: boolean }[];
  } | null;
}

export interface FleetView {
  readonly total: number;
  /** The devices matching the filter, at most FLEET_PAGE of them. */
  readonly devices: readonly FleetDevice[];
  readonly categories: readonly { readonly name: string; readonly severity: string }[];
  readonly riskAttribute: string;
}

/** Rows one page shows: a lab of 10,000 devices is filtered, not scrolled. */
export const FLEET_PAGE = 200;
/** Pages of JSC's device list read at most (100 per page: the lab's largest fleet). */
const MAX_PAGES = 100;
/** Jamf Pro inventory page size (its API's largest is 2000). */
const JAMF_PAGE = 1000;

const PLATFORMS: Readonly<Record<string, string>> = { MAC_OS: 'macOS', IOS: 'iOS', ANDROID: 'Android' };

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

interface UemRecord {
  readonly id: string;
  readonly name: string;
  readonly attributes: { name: string; value: string }[];
  readonly groups: { name: string; smart: boolean }[];
}

/** Every extension attribute of an inventory record, wherever its display type put it. */
function attributesOf(record: Record<string, unknown>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const take = (list: unknown): void => {
    for (const item of arr(list)) {
      const ea = obj(item);
      // Computers say `values`, mobile devices `value`.
      const values = arr(ea.values ?? ea.value).filter((v): v is string => typeof v === 'string');
      out.push({ name: str(ea.name), value: values.join(', ') });
    }
  };
  take(record.extensionAttributes);
  for (const section of Object.values(record))
    if (typeof section === 'object' && section !== null && !Array.isArray(section))
      take((section as Record<string, unknown>).extensionAttributes);
  return out;
}

async function jamfProInventory(client: LabClient): Promise<Map<string, UemRecord>> {
  const url = client.manifest.jamfPro.url;
  const headers = await client.jamfProHeaders();
  const byUdid = new Map<string, UemRecord>();
  const pages = async (path: string, add: (record: Record<string, unknown>) => void): Promise<void> => {
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = obj(await client.ok(`${url}${path}&page=${page}&page-size=${JAMF_PAGE}`, { headers }));
      const results = arr(body.results);
      for (const r of results) add(obj(r));
      if (results.length < JAMF_PAGE) break;
    }
  };
  await pages(
    '/api/v1/computers-inventory?section=GENERAL&section=EXTENSION_ATTRIBUTES&section=GROUP_MEMBERSHIPS',
    (r) =>
      byUdid.set(str(r.udid).toUpperCase(), {
        id: str(r.id),
        name: str(obj(r.general).name),
        attributes: attributesOf(r),
        groups: arr(r.groupMemberships).map((g) => ({
          name: str(obj(g).groupName),
          smart: obj(g).smartGroup === true,
        })),
      }),
  );
  await pages('/api/v2/mobile-devices/detail?section=GENERAL&section=EXTENSION_ATTRIBUTES', (r) => {
    const general = obj(r.general);
    byUdid.set(str(general.udid ?? r.udid).toUpperCase(), {
      id: str(r.mobileDeviceId ?? r.id),
      name: str(general.displayName ?? general.name),
      attributes: attributesOf(r),
      // The mobile inventory has no group section; Jamf Pro lists mobile group members per group only.
      groups: [],
    });
  });
  return byUdid;
}

function threatOf(value: unknown): FleetThreat {
  const t = obj(value);
  return {
    id: str(t.id),
    category: str(t.category),
    severity: str(t.severity),
    status: str(t.status),
    detectedAt: t.detectedAt,
  };
}

/** The fleet, filtered by `query` (any part of the name, user, platform, risk or a threat's category). */
export async function fleetView(client: LabClient, query: string): Promise<FleetView> {
  const jsc = client.manifest.jamfSecurityCloud.url;
  const headers = await client.jscHeaders();
  const [inventory, policy] = await Promise.all([
    jamfProInventory(client),
    client.ok(`${jsc}/threat-prevention/v1/policy`, { headers }),
  ]);
  const categories = Object.entries(obj(obj(policy).categories)).map(([name, c]) => ({
    name,
    severity: str(obj(c).severity),
  }));
  const riskAttribute = str(obj(obj(policy).uemSignaling).riskAttribute);
  const devices: FleetDevice[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = obj(await client.ok(`${jsc}/risk/v2/devices?page=${page}&pageSize=100`, { headers }));
    const list = arr(body.userDeviceList);
    for (const item of list) {
      const d = obj(item);
      const info = obj(obj(d.info).device);
      const user = obj(d.user);
      const udid = str(d.externalId);
      const uem = inventory.get(udid.toUpperCase());
      const attributes = uem?.attributes ?? [];
      devices.push({
        id: str(d.guid),
        udid,
        name: uem?.name || str(info.deviceName),
        platform: PLATFORMS[str(info.osType)] ?? str(info.osType),
        osVersion: str(info.deviceSystemVersion),
        user: str(user.email) === '' ? null : { email: str(user.email), name: str(user.name) },
        risk: str(d.riskCategory),
        threats: arr(d.threats).map(threatOf),
        jamfPro:
          uem === undefined
            ? null
            : {
                id: uem.id,
                riskAttribute: attributes.find((a) => a.name === riskAttribute)?.value ?? '',
                attributes: attributes.filter((a) => a.value !== '' && a.name !== riskAttribute),
                groups: uem.groups,
              },
      });
    }
    if (list.length < 100) break;
  }
  const needle = query.trim().toLowerCase();
  const matching =
    needle === ''
      ? devices
      : devices.filter((d) =>
          [
            d.name,
            d.platform,
            d.risk,
            d.udid,
            d.user?.email ?? '',
            d.user?.name ?? '',
            ...d.threats.map((t) => t.category),
          ].some((text) => text.toLowerCase().includes(needle)),
        );
  return { total: devices.length, devices: matching.slice(0, FLEET_PAGE), categories, riskAttribute };
}

const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH'];

/** What the page sends to raise a threat, checked before it reaches JSC. */
export function threatRequest(body: unknown): { device: string; category: string; severity?: string } {
  const b = obj(body);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ConsoleError(400, 'the body must be a JSON object {device, category, severity?}');
  if (typeof b.device !== 'string' || b.device === '' || b.device.length > 200)
    throw new ConsoleError(400, '"device" must be a device id');
  if (typeof b.category !== 'string' || b.category === '' || b.category.length > 100)
    throw new ConsoleError(400, '"category" must be a threat category');
  if (b.severity !== undefined && (typeof b.severity !== 'string' || !SEVERITIES.includes(b.severity)))
    throw new ConsoleError(400, `"severity" must be one of ${SEVERITIES.join(', ')}`);
  return {
    device: b.device,
    category: b.category,
    ...(b.severity === undefined ? {} : { severity: b.severity as string }),
  };
}

export async function raiseThreat(client: LabClient, body: unknown): Promise<unknown> {
  return client.ok(`${client.manifest.jamfSecurityCloud.url}/_lab/threats`, {
    method: 'POST',
    json: threatRequest(body),
  });
}

export async function resolveThreat(client: LabClient, id: string): Promise<void> {
  if (!/^[\w-]{1,100}$/.test(id)) throw new ConsoleError(400, 'not a threat id');
  await client.ok(`${client.manifest.jamfSecurityCloud.url}/_lab/threats/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
}
