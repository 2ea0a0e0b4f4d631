/**
 * What Jamf Pro deploys to devices and the mock models: macOS and mobile configuration profiles, Mac App
 * Store apps and mobile device apps, written through the Classic API (the seed's "deploy the activation
 * profile and the Jamf Trust app" steps). Each object keeps its `general` basics (name, description, the
 * escaped plist in `payloads`, bundle id and version for apps) and its scope (all devices, listed devices,
 * listed groups). Scope is resolved when a device is rendered, against current group membership, so a
 * profile scoped to a smart group follows the group. Exclusions, limitations and self service are stored
 * as not supported: the mock answers them empty.
 */
import { createHash } from 'node:crypto';
import { ClassicList, type ClassicObject } from './classic-format.ts';
import { duplicate, invalid, notFound } from './errors.ts';
import { child, childrenNamed, childText, parseXml, type XmlElement } from './xml.ts';

export type DeployableKind =
  | 'osxconfigurationprofiles'
  | 'mobiledeviceconfigurationprofiles'
  | 'macapplications'
  | 'mobiledeviceapplications';

export interface DeployableSpec {
  readonly kind: DeployableKind;
  /** Root element of one object. */
  readonly root: string;
  /** Root element of the list. */
  readonly listRoot: string;
  readonly device: 'computer' | 'mobile';
  readonly app: boolean;
}

export const DEPLOYABLES: Readonly<Record<DeployableKind, DeployableSpec>> = {
  osxconfigurationprofiles: {
    kind: 'osxconfigurationprofiles',
    root: 'os_x_configuration_profile',
    listRoot: 'os_x_configuration_profiles',
    device: 'computer',
    app: false,
  },
  mobiledeviceconfigurationprofiles: {
    kind: 'mobiledeviceconfigurationprofiles',
    root: 'configuration_profile',
    listRoot: 'configuration_profiles',
    device: 'mobile',
    app: false,
  },
  macapplications: {
    kind: 'macapplications',
    root: 'mac_application',
    listRoot: 'mac_applications',
    device: 'computer',
    app: true,
  },
  mobiledeviceapplications: {
    kind: 'mobiledeviceapplications',
    root: 'mobile_device_application',
    listRoot: 'mobile_device_applications',
    device: 'mobile',
    app: true,
  },
};

/** The distribution methods the Classic API takes for Mac and mobile device apps (`deployment_type`). */
export const DEPLOYMENT_TYPES = [
  'Install Automatically/Prompt Users to Install',
  'Make Available in Self Service',
] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];
/** Jamf Pro's default for a new app: offered in Self Service. */
const DEFAULT_DEPLOYMENT_TYPE: DeploymentType = 'Make Available in Self Service';

export interface Scope {
  readonly all: boolean;
  readonly devices: readonly number[];
  readonly groups: readonly number[];
}

export interface Deployable {
  readonly id: number;
  readonly kind: DeployableKind;
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly payloads: string;
  /** The profile's PayloadUUID (or a stable derived one). */
  readonly uuid: string;
  /** The profile's PayloadIdentifier, or the app's bundle id. */
  readonly identifier: string;
  readonly version: string;
  readonly scope: Scope;
  /**
   * An app's distribution method (`general/deployment_type`): how Jamf Pro hands it to the devices in
   * scope. Kept as given and returned on read; absent for profiles.
   */
  readonly deploymentType?: DeploymentType;
  /** When it was created (ISO), from the injected clock. */
  readonly createdAt: string;
}

/** What a Classic body may reference, so scope entries can be checked and named. */
export interface ScopeDirectory {
  deviceName(id: number): string | undefined;
  deviceUdid(id: number): string | undefined;
  groupName(id: number): string | undefined;
  groupIdByName(name: string): number | undefined;
}

function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

/** Top-level `PayloadIdentifier`, `PayloadUUID`, `PayloadDisplayName` of a plist, when it parses. */
function plistTopKeys(payloads: string): Readonly<Record<string, string>> {
  if (payloads.trim() === '') return {};
  try {
    const dict = child(parseXml(payloads), 'dict');
    const out: Record<string, string> = {};
    const items = dict?.children ?? [];
    for (let i = 0; i + 1 < items.length; i++) {
      const key = items[i];
      const value = items[i + 1];
      if (key?.name === 'key' && value?.name === 'string') out[key.text.trim()] = value.text.trim();
    }
    return out;
  } catch {
    // Jamf stores payloads it cannot read as-is; so does the mock.
    return {};
  }
}

function bool(text: string | undefined, field: string): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  throw invalid(field, `Error: ${field} must be true or false`);
}

function ids(
  container: XmlElement | undefined,
  item: string,
  field: string,
  exists: (id: number) => boolean,
  byName?: (name: string) => number | undefined,
): number[] {
  return childrenNamed(container, item).map((el) => {
    const idText = childText(el, 'id');
    const name = childText(el, 'name');
    const id = idText ? Number(idText) : name && byName ? byName(name) : undefined;
    if (id === undefined || !Number.isSafeInteger(id) || !exists(id))
      throw invalid(field, `Error: Problem with ${item} in scope: ${idText ?? name ?? 'no id'}`);
    return id;
  });
}

export class DeployableStore {
  readonly #items = new Map<number, Deployable>();
  readonly #nextId: Record<DeployableKind, number> = {
    osxconfigurationprofiles: 1,
    mobiledeviceconfigurationprofiles: 1,
    macapplications: 1,
    mobiledeviceapplications: 1,
  };
  // Ids are per kind in Jamf; the map key combines kind and id.
  readonly #keys = new Map<string, number>();
  #serial = 0;

  list(kind: DeployableKind): Deployable[] {
    return [...this.#items.values()].filter((d) => d.kind === kind);
  }

  all(): Deployable[] {
    return [...this.#items.values()];
  }

  find(kind: DeployableKind, lookup: 'id' | 'name', value: string): Deployable | undefined {
    if (lookup === 'id') {
      const serial = this.#keys.get(`${kind}/${value}`);
      return serial === undefined ? undefined : this.#items.get(serial);
    }
    return this.list(kind).find((d) => d.name === value);
  }

  require(kind: DeployableKind, lookup: 'id' | 'name', value: string): Deployable {
    const found = this.find(kind, lookup, value);
    if (!found) throw notFound(DEPLOYABLES[kind].root, value);
    return found;
  }

  /** Reads a Classic body into a deployable (new when `current` is absent). Validates before returning. */
  parse(
    kind: DeployableKind,
    root: XmlElement,
    dir: ScopeDirectory,
    now: string,
    current?: Deployable,
  ): Omit<Deployable, 'id'> {
    const spec = DEPLOYABLES[kind];
    if (root.name !== spec.root) throw invalid('root', `Error: the root element must be <${spec.root}>`);
    const general = child(root, 'general');
    const name = childText(general, 'name') ?? current?.name;
    if (!name) throw invalid('general/name', 'Error: general/name is required');
    const clash = this.find(kind, 'name', name);
    if (clash && clash !== current) throw duplicate('name', 'Error: Duplicate name');
    const payloads = childText(general, 'payloads') ?? current?.payloads ?? '';
    const keys = plistTopKeys(payloads);
    const scopeEl = child(root, 'scope');
    const device = spec.device === 'computer' ? 'computer' : 'mobile_device';
    const all = bool(
      childText(scopeEl, `all_${device === 'computer' ? 'computers' : 'mobile_devices'}`),
      'scope',
    );
    const devices = child(scopeEl, `${device}s`);
    const groups = child(scopeEl, `${device}_groups`);
    const scope: Scope = {
      all: all ?? current?.scope.all ?? false,
      devices: devices
        ? ids(devices, device, 'scope', (id) => dir.deviceName(id) !== undefined)
        : (current?.scope.devices ?? []),
      groups: groups
        ? ids(
            groups,
            `${device}_group`,
            'scope',
            (id) => dir.groupName(id) !== undefined,
            (n) => dir.groupIdByName(n),
          )
        : (current?.scope.groups ?? []),
    };
    const givenType = childText(general, 'deployment_type');
    if (givenType !== undefined && givenType !== '' && !spec.app)
      throw invalid('general/deployment_type', 'Error: deployment_type is for apps only');
    if (
      givenType !== undefined &&
      givenType !== '' &&
      !(DEPLOYMENT_TYPES as readonly string[]).includes(givenType)
    )
      throw invalid(
        'general/deployment_type',
        `Error: deployment_type must be one of ${DEPLOYMENT_TYPES.map((t) => `"${t}"`).join(', ')}`,
      );
    const deploymentType = spec.app
      ? (((givenType || undefined) as DeploymentType | undefined) ??
        current?.deploymentType ??
        DEFAULT_DEPLOYMENT_TYPE)
      : undefined;
    const bundleId = childText(general, 'bundle_id') ?? (current?.identifier || undefined);
    const identifier = spec.app
      ? (bundleId ?? '')
      : (keys.PayloadIdentifier ??
        current?.identifier ??
        `com.jamf.lab.${kind}.${name.replace(/\W+/g, '-')}`);
    return {
      kind,
      name,
      displayName:
        childText(general, 'display_name') ?? keys.PayloadDisplayName ?? current?.displayName ?? name,
      description: childText(general, 'description') ?? current?.description ?? '',
      payloads,
      uuid: childText(general, 'uuid') || keys.PayloadUUID || current?.uuid || stableUuid(`${kind}:${name}`),
      identifier,
      version: childText(general, 'version') ?? current?.version ?? '1',
      scope,
      ...(deploymentType === undefined ? {} : { deploymentType }),
      createdAt: current?.createdAt ?? now,
    };
  }

  create(input: Omit<Deployable, 'id'>): Deployable {
    const id = this.#nextId[input.kind]++;
    const serial = ++this.#serial;
    const item = { ...input, id };
    this.#items.set(serial, item);
    this.#keys.set(`${input.kind}/${id}`, serial);
    return item;
  }

  replace(current: Deployable, input: Omit<Deployable, 'id'>): Deployable {
    const serial = this.#keys.get(`${current.kind}/${current.id}`);
    const item = { ...input, id: current.id };
    if (serial !== undefined) this.#items.set(serial, item);
    return item;
  }

  delete(item: Deployable): void {
    const key = `${item.kind}/${item.id}`;
    const serial = this.#keys.get(key);
    if (serial !== undefined) this.#items.delete(serial);
    this.#keys.delete(key);
  }

  /** Everything of `kinds` in scope for a device (given the groups it is in now). */
  inScope(kind: DeployableKind, deviceId: number, groupIds: ReadonlySet<number>): Deployable[] {
    return this.list(kind).filter(
      (d) => d.scope.all || d.scope.devices.includes(deviceId) || d.scope.groups.some((g) => groupIds.has(g)),
    );
  }
}

/** The Classic object for one deployable. */
export function classicDeployable(d: Deployable, dir: ScopeDirectory): ClassicObject {
  const spec = DEPLOYABLES[d.kind];
  const device = spec.device === 'computer' ? 'computer' : 'mobile_device';
  const site = { id: -1, name: 'None' };
  const category = { id: -1, name: 'No category assigned' };
  const scope: ClassicObject = {
    [`all_${device === 'computer' ? 'computers' : 'mobile_devices'}`]: d.scope.all,
    all_jss_users: false,
    [`${device}s`]: new ClassicList(
      device,
      d.scope.devices.map((id) => ({ id, name: dir.deviceName(id) ?? '', udid: dir.deviceUdid(id) ?? '' })),
      false,
    ),
    [`${device}_groups`]: new ClassicList(
      `${device}_group`,
      d.scope.groups
        .filter((id) => dir.groupName(id) !== undefined)
        .map((id) => ({ id, name: dir.groupName(id) ?? '' })),
      false,
    ),
    buildings: new ClassicList('building', [], false),
    departments: new ClassicList('department', [], false),
    jss_users: new ClassicList('user', [], false),
    jss_user_groups: new ClassicList('user_group', [], false),
    exclusions: {
      [`${device}s`]: new ClassicList(device, [], false),
      [`${device}_groups`]: new ClassicList(`${device}_group`, [], false),
    },
  };
  let general: ClassicObject;
  if (d.kind === 'osxconfigurationprofiles') {
    general = {
      id: d.id,
      name: d.name,
      description: d.description,
      site,
      category,
      distribution_method: 'Install Automatically',
      user_removable: false,
      level: 'System',
      uuid: d.uuid,
      redeploy_on_update: 'Newly Assigned',
      payloads: d.payloads,
    };
  } else if (d.kind === 'mobiledeviceconfigurationprofiles') {
    general = {
      id: d.id,
      name: d.name,
      description: d.description,
      level: 'Device Level',
      site,
      category,
      uuid: d.uuid,
      deployment_method: 'Install Automatically',
      redeploy_on_update: 'Newly Assigned',
      payloads: d.payloads,
    };
  } else if (d.kind === 'macapplications') {
    general = {
      id: d.id,
      name: d.name,
      version: d.version,
      is_free: true,
      bundle_id: d.identifier,
      deployment_type: d.deploymentType ?? DEFAULT_DEPLOYMENT_TYPE,
      url: '',
      category,
      site,
    };
  } else {
    general = {
      id: d.id,
      name: d.name,
      display_name: d.displayName,
      description: d.description,
      bundle_id: d.identifier,
      version: d.version,
      internal_app: false,
      category,
      site,
      itunes_store_url: '',
      deployment_type: d.deploymentType ?? DEFAULT_DEPLOYMENT_TYPE,
      deploy_automatically:
        (d.deploymentType ?? DEFAULT_DEPLOYMENT_TYPE) !== 'Make Available in Self Service',
      deploy_as_managed_app: true,
      free: true,
    };
  }
  return { general, scope };
}
