/**
 * Everything one mock Jamf Pro server knows, in one place: the devices built from the fleet, extension
 * attribute definitions, groups with their memberships, and deployed profiles and apps. Routes read and
 * change state only through this object, and every change that can move a device in or out of a smart
 * group ends in one of the `…Changed` methods, so membership is recalculated whichever API made the change.
 * `reset()` rebuilds it all from the fleet (the `/_lab/reset` control); tokens are kept (auth.ts).
 */
import { type Fleet, type FleetOptions, sharedFleet } from '../../harness/fleet/index.ts';
import { computerCriteria, criteriaResolver, mobileCriteria } from './criteria-fields.ts';
import { DeployableStore } from './deployables.ts';
import {
  type ComputerRecord,
  type Department,
  type DeviceRecord,
  inventoryFromFleet,
  type MobileRecord,
} from './devices.ts';
import { notFound } from './errors.ts';
import { type EaDefinition, EaRegistry } from './extension-attributes.ts';
import { type Criterion, type GroupRecord, GroupStore } from './groups.ts';

export interface StateOptions {
  readonly fleet?: FleetOptions;
  /** Create Jamf's built-in smart groups ("All Managed Clients", "All Managed iPhones"…; default true). */
  readonly builtInGroups?: boolean;
}

function smart(name: string, criteria: Criterion[]) {
  return { name, description: '', siteId: -1, smart: true, criteria, members: [] };
}

function criterion(name: string, searchType: string, value: string): Criterion {
  return { name, priority: 0, andOr: 'and', searchType, value, openingParen: false, closingParen: false };
}

export type DeviceLookup = 'id' | 'udid' | 'serialnumber' | 'name' | 'macaddress';

class DeviceIndex<T extends DeviceRecord> {
  readonly list: T[];
  readonly #byId = new Map<number, T>();
  readonly #byUdid = new Map<string, T>();
  readonly #bySerial = new Map<string, T>();

  constructor(records: readonly T[]) {
    this.list = [...records];
    for (const r of records) {
      this.#byId.set(r.id, r);
      this.#byUdid.set(r.udid.toUpperCase(), r);
      this.#bySerial.set(r.serialNumber.toUpperCase(), r);
    }
  }

  byId(id: number): T | undefined {
    return this.#byId.get(id);
  }

  find(lookup: DeviceLookup, value: string): T | undefined {
    switch (lookup) {
      case 'id':
        return /^\d+$/.test(value) ? this.#byId.get(Number(value)) : undefined;
      case 'udid':
        return this.#byUdid.get(value.toUpperCase());
      case 'serialnumber':
        return this.#bySerial.get(value.toUpperCase());
      case 'name':
        return this.list.find((r) => r.name === value);
      case 'macaddress': {
        const mac = value.toUpperCase().replace(/[.-]/g, ':');
        return this.list.find(
          (r) =>
            (r.kind === 'computer' && (r.macAddress === mac || r.altMacAddress === mac)) ||
            (r.kind === 'mobile' && r.wifiMacAddress === mac),
        );
      }
    }
  }
}

export class JamfProState {
  readonly fleet: Fleet;
  readonly #builtInGroups: boolean;
  departments: readonly Department[] = [];
  computers: DeviceIndex<ComputerRecord> = new DeviceIndex([]);
  mobiles: DeviceIndex<MobileRecord> = new DeviceIndex([]);
  computerEas: EaRegistry = new EaRegistry('computer');
  mobileEas: EaRegistry = new EaRegistry('mobile');
  computerGroups = new GroupStore<ComputerRecord>(
    'computer',
    () => [],
    () => undefined,
  );
  mobileGroups = new GroupStore<MobileRecord>(
    'mobile',
    () => [],
    () => undefined,
  );
  deployables: DeployableStore = new DeployableStore();

  constructor(options: StateOptions = {}) {
    this.fleet = sharedFleet(options.fleet);
    this.#builtInGroups = options.builtInGroups ?? true;
    this.reset();
  }

  reset(): void {
    const inventory = inventoryFromFleet(this.fleet);
    this.departments = inventory.departments;
    this.computers = new DeviceIndex(inventory.computers);
    this.mobiles = new DeviceIndex(inventory.mobiles);
    this.computerEas = new EaRegistry('computer');
    this.mobileEas = new EaRegistry('mobile');
    const departments = () => this.departments;
    this.computerGroups = new GroupStore<ComputerRecord>(
      'computer',
      () => this.computers.list,
      criteriaResolver(computerCriteria(departments), this.computerEas),
    );
    this.mobileGroups = new GroupStore<MobileRecord>(
      'mobile',
      () => this.mobiles.list,
      criteriaResolver(mobileCriteria(departments), this.mobileEas),
    );
    this.deployables = new DeployableStore();
    if (this.#builtInGroups) {
      this.computerGroups.create(
        smart('All Managed Clients', [criterion('Operating System', 'not like', 'server')]),
      );
      this.computerGroups.create(
        smart('All Managed Servers', [criterion('Operating System', 'like', 'server')]),
      );
      this.mobileGroups.create(smart('All Managed iPads', [criterion('Model', 'like', 'iPad')]));
      this.mobileGroups.create(smart('All Managed iPhones', [criterion('Model', 'like', 'iPhone')]));
      this.mobileGroups.create(smart('All Managed iPod touches', [criterion('Model', 'like', 'iPod')]));
    }
  }

  requireComputer(idText: string): ComputerRecord {
    const c = this.computers.find('id', idText);
    if (!c) throw notFound('Computer', idText);
    return c;
  }

  requireMobile(idText: string): MobileRecord {
    const m = this.mobiles.find('id', idText);
    if (!m) throw notFound('Mobile device', idText);
    return m;
  }

  eas(kind: 'computer' | 'mobile'): EaRegistry {
    return kind === 'computer' ? this.computerEas : this.mobileEas;
  }

  groups(kind: 'computer' | 'mobile'): GroupStore<ComputerRecord> | GroupStore<MobileRecord> {
    return kind === 'computer' ? this.computerGroups : this.mobileGroups;
  }

  /** A device changed (through any API): re-test it against every smart group; returns its smart-group count. */
  deviceChanged(device: DeviceRecord): number {
    return device.kind === 'computer'
      ? this.computerGroups.recalculateDevice(device)
      : this.mobileGroups.recalculateDevice(device);
  }

  /** Definitions changed: criteria may resolve differently, so every smart group of that kind recalculates. */
  eaDefinitionsChanged(kind: 'computer' | 'mobile', rename?: { from: string; to: string }): void {
    const groups = this.groups(kind);
    if (rename && rename.from.toLowerCase() !== rename.to.toLowerCase())
      groups.renameCriteria(rename.from, rename.to);
    groups.recompileAll();
  }

  /** A definition is going away: drop its values from every device of its kind. */
  forgetEa(kind: 'computer' | 'mobile', def: EaDefinition): void {
    const list: readonly DeviceRecord[] = kind === 'computer' ? this.computers.list : this.mobiles.list;
    for (const d of list) d.ea.delete(def.id);
  }

  groupsOf(device: DeviceRecord): GroupRecord[] {
    return device.kind === 'computer'
      ? this.computerGroups.groupsOf(device.id)
      : this.mobileGroups.groupsOf(device.id);
  }
}
