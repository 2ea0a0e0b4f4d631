/**
 * One Jamf Security Cloud tenant: its devices (from UEM Connect), the threats found on them, the threat
 * prevention policy that turns threats into a device risk level, manual overrides, and what follows a
 * change of level — exactly one RISK_LEVEL_CHANGED per stream, and, with UEM signaling on, the risk
 * extension attribute set or cleared on the Jamf Pro device so smart groups follow.
 *
 * Device risk = the manual override if one is pinned, else the highest severity among active threats,
 * else Secure (issue 4).
 */
import { createHash } from 'node:crypto';
import type { Fleet } from '../../harness/fleet/index.ts';
import type { Scheduler } from '../../harness/kernel/index.ts';
import { invalid, JscError, notFound } from './errors.ts';
import type { UemDevice } from './jamf-pro-client.ts';
import { displayLevel, highest, isRiskLevel, type RiskLevel } from './levels.ts';
import type { SsfIntegrations } from './ssf-integration.ts';

export interface BoundUser {
  readonly email: string;
  readonly name?: string;
  readonly boundAt: number;
  /**
   * How the binding was made: Jamf Trust activation through the identity provider, a deployment that
   * handed the device its UEM user (the bulk activation), or a lab shortcut.
   */
  readonly via: 'identity-provider' | 'uem' | 'lab';
}

export interface JscDevice {
  readonly id: string;
  udid: string;
  serialNumber: string;
  name: string;
  model: string;
  osType: 'MAC_OS' | 'IOS';
  osVersion: string;
  uem?: {
    connectorId: string;
    jamfId: string;
    kind: 'computer' | 'mobile';
    groupIds: readonly string[];
    email?: string;
    username?: string;
    realName?: string;
  };
  user?: BoundUser;
  activation?: { profileId: string; at: number };
  /** The level the threats give. */
  computed: RiskLevel;
  /** A level pinned with the Risk API (`source: MANUAL`). */
  override?: RiskLevel;
  /** What the device is scored at: override, else computed. */
  risk: RiskLevel;
  compliant?: boolean;
  updatedAt: number;
}

export interface Threat {
  readonly id: string;
  readonly deviceId: string;
  readonly category: string;
  readonly severity: Exclude<RiskLevel, 'SECURE'>;
  readonly detectedAt: number;
  resolvedAt?: number;
}

export interface ThreatCategory {
  readonly severity: Exclude<RiskLevel, 'SECURE'>;
  /** A Jamf Pro extension attribute set to "true" on the device while a threat of this category is active. */
  readonly uemTag?: string;
  /**
   * Signal-UEM tags per device kind, as the seed's policy names them (a Mobile tag and a Computer tag):
   * the device's kind picks its tag, in place of `uemTag`.
   */
  readonly uemTags?: { readonly mobile?: string; readonly computer?: string };
}

/** The Signal-UEM tag a threat of `category` sets on `device`: its kind's tag, else the category's. */
export function uemTagFor(category: ThreatCategory | undefined, device: JscDevice): string | undefined {
  const kind = device.uem?.kind ?? (device.osType === 'IOS' ? 'mobile' : 'computer');
  return category?.uemTags?.[kind] ?? category?.uemTag;
}

export interface ThreatPolicy {
  readonly categories: Readonly<Record<string, ThreatCategory>>;
  /** Device Risk UEM Signaling: write the risk level into a Jamf Pro extension attribute. */
  readonly uemSignaling: { readonly enabled: boolean; readonly riskAttribute: string };
}

export const DEFAULT_POLICY: ThreatPolicy = {
  categories: {
    Malware: { severity: 'HIGH' },
    'Jailbroken Device': { severity: 'HIGH' },
    'Man-in-the-Middle': { severity: 'HIGH' },
    'Malicious Network': { severity: 'HIGH' },
    Phishing: { severity: 'MEDIUM' },
    'Risky App': { severity: 'MEDIUM' },
    'Vulnerable OS': { severity: 'LOW' },
  },
  uemSignaling: { enabled: false, riskAttribute: 'Jamf Security Cloud Risk' },
};

/** Writes a device's risk or tags into its UEM (Jamf Pro); set by UEM Connect. */
export interface UemSignaler {
  signal(device: JscDevice, attribute: string, value: string | null): Promise<void>;
}

export interface SignalError {
  readonly at: number;
  readonly deviceId: string;
  readonly attribute: string;
  readonly message: string;
}

/** A UUID derived from the UDID, for devices the fleet does not know (stable across runs). */
function derivedId(udid: string): string {
  const h = createHash('sha1').update(`jsc-device:${udid.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function validatePolicy(body: unknown): ThreatPolicy {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('INVALID_REQUEST', 'the policy must be a JSON object');
  const b = body as Record<string, unknown>;
  const categories = b.categories;
  if (typeof categories !== 'object' || categories === null || Array.isArray(categories)) {
    throw invalid(
      'INVALID_REQUEST',
      '"categories" must be an object of category name → { severity, uemTag?, uemTags? }',
    );
  }
  const out: Record<string, ThreatCategory> = {};
  for (const [name, value] of Object.entries(categories)) {
    const v = value as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null)
      throw invalid('INVALID_REQUEST', `category "${name}" must be an object`);
    if (v.severity !== 'LOW' && v.severity !== 'MEDIUM' && v.severity !== 'HIGH') {
      throw invalid('INVALID_REQUEST', `category "${name}": severity must be LOW, MEDIUM or HIGH`);
    }
    if (v.uemTag !== undefined && (typeof v.uemTag !== 'string' || v.uemTag === '')) {
      throw invalid('INVALID_REQUEST', `category "${name}": uemTag must be a non-empty string`);
    }
    const tags = v.uemTags;
    if (tags !== undefined) {
      const t = tags as Record<string, unknown> | null;
      if (
        typeof t !== 'object' ||
        t === null ||
        Array.isArray(t) ||
        !Object.entries(t).every(
          ([k, tag]) => (k === 'mobile' || k === 'computer') && typeof tag === 'string' && tag !== '',
        )
      )
        throw invalid(
          'INVALID_REQUEST',
          `category "${name}": uemTags must be { mobile?: <tag>, computer?: <tag> } with non-empty tags`,
        );
    }
    out[name] = {
      severity: v.severity,
      ...(v.uemTag === undefined ? {} : { uemTag: v.uemTag as string }),
      ...(tags === undefined ? {} : { uemTags: tags as ThreatCategory['uemTags'] & object }),
    };
  }
  const signaling = (b.uemSignaling ?? DEFAULT_POLICY.uemSignaling) as Record<string, unknown>;
  if (typeof signaling !== 'object' || signaling === null || typeof signaling.enabled !== 'boolean') {
    throw invalid('INVALID_REQUEST', '"uemSignaling" must be { enabled: boolean, riskAttribute?: string }');
  }
  const riskAttribute = signaling.riskAttribute ?? DEFAULT_POLICY.uemSignaling.riskAttribute;
  if (typeof riskAttribute !== 'string' || riskAttribute === '')
    throw invalid('INVALID_REQUEST', '"uemSignaling.riskAttribute" must be a non-empty string');
  return { categories: out, uemSignaling: { enabled: signaling.enabled, riskAttribute } };
}

export interface TenantOptions {
  readonly customerId: string;
  readonly scheduler: Scheduler;
  readonly ids: () => string;
  readonly fleet: Fleet;
  readonly integrations: SsfIntegrations;
}

export class JscTenant {
  readonly customerId: string;
  readonly #opts: TenantOptions;
  readonly #devices = new Map<string, JscDevice>();
  /** Devices by lower-cased UDID and by lower-cased serial number (UEM sync joins on UDID). */
  readonly #byUdid = new Map<string, JscDevice>();
  readonly #bySerial = new Map<string, JscDevice>();
  /** The fleet's JSC ids by lower-cased UDID, so a synced device keeps the id the fleet gave it. */
  readonly #fleetIds: ReadonlyMap<string, string>;
  readonly #threats = new Map<string, Threat>();
  readonly signalErrors: SignalError[] = [];
  #policy: ThreatPolicy = DEFAULT_POLICY;
  #signaler: UemSignaler | undefined;
  /** Changes still being signalled (events, UEM writes); `idle()` waits for them. */
  readonly #pending = new Set<Promise<void>>();

  constructor(options: TenantOptions) {
    this.customerId = options.customerId;
    this.#opts = options;
    this.#fleetIds = new Map(options.fleet.devices.map((d) => [d.udid.toLowerCase(), d.jscDeviceId]));
  }

  get policy(): ThreatPolicy {
    return this.#policy;
  }

  /** Back to a new tenant: no devices, threats or overrides, the default policy (lab reset). */
  reset(): void {
    this.#devices.clear();
    this.#byUdid.clear();
    this.#bySerial.clear();
    this.#threats.clear();
    this.signalErrors.length = 0;
    this.#policy = DEFAULT_POLICY;
  }

  setSignaler(signaler: UemSignaler | undefined): void {
    this.#signaler = signaler;
  }

  devices(): JscDevice[] {
    return [...this.#devices.values()];
  }

  threats(): Threat[] {
    return [...this.#threats.values()];
  }

  /** A device by JSC id, serial number or UDID (case-insensitive). */
  device(ref: string): JscDevice {
    const lower = ref.toLowerCase();
    const found = this.#devices.get(ref) ?? this.#byUdid.get(lower) ?? this.#bySerial.get(lower);
    if (!found) throw notFound(`device "${ref}"`);
    return found;
  }

  /** Adds or refreshes a device from a UEM sync, joined by UDID; returns it and whether it is new. */
  upsertFromUem(connectorId: string, d: UemDevice): { device: JscDevice; created: boolean } {
    const now = this.#opts.scheduler.now();
    const uem = {
      connectorId,
      jamfId: d.jamfId,
      kind: d.kind,
      groupIds: d.groupIds,
      ...(d.email === undefined ? {} : { email: d.email }),
      ...(d.username === undefined ? {} : { username: d.username }),
      ...(d.realName === undefined ? {} : { realName: d.realName }),
    };
    const lower = d.udid.toLowerCase();
    const existing = this.#byUdid.get(lower);
    if (existing) {
      this.#bySerial.delete(existing.serialNumber.toLowerCase());
      Object.assign(existing, {
        serialNumber: d.serialNumber,
        name: d.name,
        model: d.model,
        osVersion: d.osVersion,
        uem,
        updatedAt: now,
      });
      this.#bySerial.set(d.serialNumber.toLowerCase(), existing);
      return { device: existing, created: false };
    }
    const device: JscDevice = {
      id: this.#fleetIds.get(lower) ?? derivedId(d.udid),
      udid: d.udid,
      serialNumber: d.serialNumber,
      name: d.name,
      model: d.model,
      osType: d.kind === 'computer' ? 'MAC_OS' : 'IOS',
      osVersion: d.osVersion,
      uem,
      computed: 'SECURE',
      risk: 'SECURE',
      updatedAt: now,
    };
    this.#devices.set(device.id, device);
    this.#byUdid.set(lower, device);
    this.#bySerial.set(d.serialNumber.toLowerCase(), device);
    return { device, created: true };
  }

  bindUser(device: JscDevice, user: Omit<BoundUser, 'boundAt'>, profileId?: string): void {
    const now = this.#opts.scheduler.now();
    device.user = { ...user, boundAt: now };
    if (profileId !== undefined) device.activation = { profileId, at: now };
    device.updatedAt = now;
  }

  // ---- threats and risk ------------------------------------------------------------------------------

  addThreat(body: unknown): Threat {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (typeof b.device !== 'string' || b.device === '')
      throw invalid('INVALID_REQUEST', '"device" (JSC id, serial number or UDID) is required');
    if (typeof b.category !== 'string' || b.category === '')
      throw invalid('INVALID_REQUEST', '"category" is required');
    const device = this.device(b.device);
    const configured = this.#policy.categories[b.category];
    const severity = b.severity ?? configured?.severity;
    if (severity !== 'LOW' && severity !== 'MEDIUM' && severity !== 'HIGH') {
      throw invalid(
        'INVALID_REQUEST',
        configured
          ? '"severity" must be LOW, MEDIUM or HIGH'
          : `category "${b.category}" is not in the threat policy; give a "severity" (LOW, MEDIUM or HIGH)`,
      );
    }
    const threat: Threat = {
      id: this.#opts.ids(),
      deviceId: device.id,
      category: b.category,
      severity,
      detectedAt: this.#opts.scheduler.now(),
    };
    this.#threats.set(threat.id, threat);
    this.#track(this.#afterThreatChange(device, threat, 'detected'));
    return threat;
  }

  resolveThreat(id: string): Threat {
    const threat = this.#threats.get(id);
    if (!threat || threat.resolvedAt !== undefined) throw notFound(`active threat "${id}"`);
    threat.resolvedAt = this.#opts.scheduler.now();
    this.#track(this.#afterThreatChange(this.device(threat.deviceId), threat, 'resolved'));
    return threat;
  }

  #active(deviceId: string): Threat[] {
    return [...this.#threats.values()].filter((t) => t.deviceId === deviceId && t.resolvedAt === undefined);
  }

  async #afterThreatChange(device: JscDevice, threat: Threat, what: 'detected' | 'resolved'): Promise<void> {
    const tag = uemTagFor(this.#policy.categories[threat.category], device);
    if (tag) {
      const stillActive = this.#active(device.id).some(
        (t) => uemTagFor(this.#policy.categories[t.category], device) === tag,
      );
      await this.#signal(device, tag, stillActive ? 'true' : null);
    }
    await this.#recompute(device, `${threat.category} ${what}`, 'policy');
  }

  /** Recomputes every device's level (after a policy change). */
  #recomputeAll(reason: string): void {
    for (const device of this.#devices.values()) this.#track(this.#recompute(device, reason, 'policy'));
  }

  async #recompute(device: JscDevice, reason: string, initiator: 'policy' | 'admin'): Promise<void> {
    device.computed = highest(this.#active(device.id).map((t) => t.severity));
    const next = device.override ?? device.computed;
    if (next === device.risk) return;
    const previous = device.risk;
    device.risk = next;
    device.updatedAt = this.#opts.scheduler.now();
    const why = `Device risk ${displayLevel(previous)} → ${displayLevel(next)}: ${reason}`;
    // One event per change of level, then the UEM follows.
    await this.#opts.integrations.riskChanged(
      { deviceId: device.id, ...(device.user ? { email: device.user.email } : {}) },
      previous,
      next,
      why,
      initiator,
    );
    if (this.#policy.uemSignaling.enabled) {
      await this.#signal(
        device,
        this.#policy.uemSignaling.riskAttribute,
        next === 'SECURE' ? null : displayLevel(next),
      );
    }
  }

  async #signal(device: JscDevice, attribute: string, value: string | null): Promise<void> {
    if (!this.#signaler || !device.uem) return;
    try {
      await this.#signaler.signal(device, attribute, value);
    } catch (error) {
      this.signalErrors.push({
        at: this.#opts.scheduler.now(),
        deviceId: device.id,
        attribute,
        message: (error as Error).message,
      });
      if (this.signalErrors.length > 1000) this.signalErrors.shift();
    }
  }

  /** Risk API override (`PUT /risk/v1/override`): MANUAL pins a level, WANDERA hands back to the threats. */
  override(body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (!isRiskLevel(b.risk))
      throw invalid('INVALID_RISK', '"risk" must be one of SECURE, LOW, MEDIUM, HIGH');
    if (b.source !== 'MANUAL' && b.source !== 'WANDERA')
      throw invalid('INVALID_SOURCE', '"source" must be MANUAL or WANDERA');
    if (
      !Array.isArray(b.deviceIds) ||
      b.deviceIds.length === 0 ||
      !b.deviceIds.every((id) => typeof id === 'string')
    ) {
      throw invalid('INVALID_REQUEST', '"deviceIds" must be a non-empty array of device ids');
    }
    // Nothing is applied unless every device exists.
    const unknown = (b.deviceIds as string[]).filter((id) => !this.#devices.has(id));
    if (unknown.length > 0)
      throw new JscError(404, 'UNKNOWN_DEVICE', `unknown device ids: ${unknown.join(', ')}`);
    for (const id of b.deviceIds as string[]) {
      const device = this.#devices.get(id) as JscDevice;
      if (b.source === 'MANUAL') device.override = b.risk;
      else delete device.override;
      this.#track(
        this.#recompute(device, b.source === 'MANUAL' ? 'manual override' : 'override removed', 'admin'),
      );
    }
  }

  setPolicy(body: unknown): ThreatPolicy {
    this.#policy = validatePolicy(body);
    this.#recomputeAll('threat prevention policy changed');
    return this.#policy;
  }

  /** A compliance status from UEM sync; a change after the first known status is an event. */
  setCompliance(device: JscDevice, compliant: boolean, reason: string): void {
    const before = device.compliant;
    device.compliant = compliant;
    if (before === undefined || before === compliant) return;
    this.#track(
      this.#opts.integrations.complianceChanged(
        { deviceId: device.id, ...(device.user ? { email: device.user.email } : {}) },
        compliant,
        reason,
      ),
    );
  }

  #track(work: Promise<void>): void {
    // A failure to mint or queue an event is recorded, never an unhandled rejection.
    const p = work
      .catch((error: unknown) => {
        this.signalErrors.push({
          at: this.#opts.scheduler.now(),
          deviceId: '',
          attribute: 'event',
          message: (error as Error).message,
        });
      })
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Resolves when every change so far has been signalled (events minted and queued, UEM written). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
