/**
 * UEM Connect: the link from Jamf Security Cloud to Jamf Pro (vendor-apis.md §3.4–3.5). Creating a
 * connector runs a live connection test (400 UEM_CONNECTION_FAILED when Jamf Pro cannot be reached or
 * refuses the credentials); a sync pulls computers, mobile devices and groups through Jamf Pro's public
 * API with paging and joins devices by UDID; it runs on demand and on an interval. The connector is also
 * how risk goes back: it writes extension attributes on Jamf Pro devices (UEM signaling) and deploys
 * activation profiles as Jamf Pro configuration profiles.
 *
 * Compliance (DEVICE_COMPLIANCE_CHANGE) comes from Jamf Pro the way Jamf's device compliance works: a
 * computer smart group names the compliant devices (`complianceGroupId`); a device outside it is not
 * compliant. Without one, every managed device is compliant.
 */
import type { Scheduler, Timer } from '../../harness/kernel/index.ts';
import { invalid, JscError, notFound } from './errors.ts';
import { type JamfProAuth, JamfProClient, JamfProError, type UemGroup } from './jamf-pro-client.ts';
import type { JscDevice, JscTenant, UemSignaler } from './tenant.ts';

export interface SyncSummary {
  readonly at: number;
  readonly ms: number;
  readonly devices: number;
  readonly created: number;
  readonly groups: number;
  readonly error?: string;
}

export interface Connector {
  readonly id: string;
  readonly vendor: 'JAMF_PRO';
  readonly url: string;
  readonly authStrategy: 'JAMF_PRO_OAUTH' | 'BASIC';
  readonly syncIntervalMinutes: number;
  readonly complianceGroupId?: string;
  readonly jamfProVersion: string;
  status: 'CONNECTED' | 'ERROR';
  lastSync?: SyncSummary;
  groups: readonly UemGroup[];
}

interface Live {
  readonly connector: Connector;
  readonly client: JamfProClient;
  timer?: Timer;
  /** Extension attribute ids by kind and name, so UEM signaling looks each up once. */
  readonly attributes: Map<string, string>;
}

export interface UemConnectOptions {
  readonly tenant: JscTenant;
  readonly scheduler: Scheduler;
  readonly fetch: typeof fetch;
  readonly ids: () => string;
}

/** What a connector looks like on the wire: credentials are write-only and never echoed. */
export function connectorView(c: Connector): Record<string, unknown> {
  return {
    id: c.id,
    vendor: c.vendor,
    url: c.url,
    authStrategy: c.authStrategy,
    syncIntervalMinutes: c.syncIntervalMinutes,
    ...(c.complianceGroupId === undefined ? {} : { complianceGroupId: c.complianceGroupId }),
    jamfProVersion: c.jamfProVersion,
    status: c.status,
    ...(c.lastSync === undefined ? {} : { lastSync: c.lastSync }),
  };
}

function authFrom(strategy: unknown, raw: unknown): JamfProAuth {
  const auth = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (strategy === 'JAMF_PRO_OAUTH') {
    if (typeof auth.clientId !== 'string' || typeof auth.clientSecret !== 'string') {
      throw invalid(
        'INVALID_REQUEST',
        'JAMF_PRO_OAUTH needs deviceSyncAuth.clientId and deviceSyncAuth.clientSecret',
      );
    }
    return { kind: 'oauth', clientId: auth.clientId, clientSecret: auth.clientSecret };
  }
  if (strategy === 'BASIC') {
    if (typeof auth.username !== 'string' || typeof auth.password !== 'string') {
      throw invalid('INVALID_REQUEST', 'BASIC needs deviceSyncAuth.username and deviceSyncAuth.password');
    }
    return { kind: 'basic', username: auth.username, password: auth.password };
  }
  throw invalid('INVALID_REQUEST', '"authStrategy" must be JAMF_PRO_OAUTH or BASIC');
}

export class UemConnect implements UemSignaler {
  readonly #opts: UemConnectOptions;
  readonly #live = new Map<string, Live>();

  constructor(options: UemConnectOptions) {
    this.#opts = options;
  }

  list(): Connector[] {
    return [...this.#live.values()].map((l) => l.connector);
  }

  get(id: string): Connector {
    const live = this.#live.get(id);
    if (!live) throw notFound(`connector "${id}"`);
    return live.connector;
  }

  /** Creates a connector after a live connection test, then runs the first sync. */
  async create(body: unknown): Promise<Connector> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.vendor !== 'JAMF_PRO')
      throw invalid('UNSUPPORTED_VENDOR', 'only vendor JAMF_PRO is supported by this mock');
    if (this.#live.size > 0)
      throw new JscError(409, 'CONNECTOR_CONFIG_ALREADY_EXISTS', 'this tenant already has a UEM connector');
    if (typeof b.url !== 'string') throw invalid('INVALID_REQUEST', '"url" (the Jamf Pro URL) is required');
    try {
      new URL(b.url);
    } catch {
      throw invalid('INVALID_REQUEST', `"url" is not a URL: ${JSON.stringify(b.url)}`);
    }
    const auth = authFrom(b.authStrategy, b.deviceSyncAuth);
    const interval = b.syncIntervalMinutes ?? 60;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) {
      throw invalid('INVALID_REQUEST', '"syncIntervalMinutes" must be a positive integer');
    }
    if (b.complianceGroupId !== undefined && typeof b.complianceGroupId !== 'string') {
      throw invalid('INVALID_REQUEST', '"complianceGroupId" must be a Jamf Pro computer group id (string)');
    }
    const client = new JamfProClient({
      url: b.url,
      auth,
      fetch: this.#opts.fetch,
      scheduler: this.#opts.scheduler,
    });
    let version: string;
    try {
      await client.token();
      version = await client.version();
    } catch (error) {
      throw invalid(
        'UEM_CONNECTION_FAILED',
        `connection test against ${b.url} failed: ${(error as Error).message}`,
      );
    }
    const connector: Connector = {
      id: this.#opts.ids(),
      vendor: 'JAMF_PRO',
      url: b.url,
      authStrategy: b.authStrategy as 'JAMF_PRO_OAUTH' | 'BASIC',
      syncIntervalMinutes: interval,
      ...(b.complianceGroupId === undefined ? {} : { complianceGroupId: b.complianceGroupId as string }),
      jamfProVersion: version,
      status: 'CONNECTED',
      groups: [],
    };
    const live: Live = { connector, client, attributes: new Map() };
    this.#live.set(connector.id, live);
    this.#opts.tenant.setSignaler(this);
    await this.sync(connector.id);
    this.#schedule(live);
    return connector;
  }

  #schedule(live: Live): void {
    live.timer = this.#opts.scheduler.setTimer(live.connector.syncIntervalMinutes * 60_000, () => {
      void this.sync(live.connector.id).finally(() => {
        if (this.#live.get(live.connector.id) === live) this.#schedule(live);
      });
    });
  }

  remove(id: string): void {
    const live = this.#live.get(id);
    if (!live) throw notFound(`connector "${id}"`);
    live.timer?.cancel();
    this.#live.delete(id);
    if (this.#live.size === 0) this.#opts.tenant.setSignaler(undefined);
  }

  /** Pulls devices and groups from Jamf Pro and joins devices by UDID. A failure is recorded, not thrown. */
  async sync(id: string): Promise<SyncSummary> {
    const live = this.#live.get(id);
    if (!live) throw notFound(`connector "${id}"`);
    const started = performance.now();
    const at = this.#opts.scheduler.now();
    const { tenant } = this.#opts;
    try {
      const [computers, mobiles, groups] = await Promise.all([
        live.client.computers(),
        live.client.mobileDevices(),
        live.client.groups(),
      ]);
      const compliantIds =
        live.connector.complianceGroupId === undefined
          ? undefined
          : new Set(await live.client.smartGroupMembers(live.connector.complianceGroupId));
      let created = 0;
      for (const uem of [...computers, ...mobiles]) {
        if (!uem.udid) continue;
        const result = tenant.upsertFromUem(id, uem);
        if (result.created) created += 1;
        const compliant =
          uem.managed &&
          (uem.kind === 'mobile' || compliantIds === undefined || compliantIds.has(uem.jamfId));
        tenant.setCompliance(
          result.device,
          compliant,
          compliant
            ? 'Device meets the Jamf Pro compliance criteria'
            : 'Device no longer meets the Jamf Pro compliance criteria',
        );
      }
      live.connector.groups = groups;
      live.connector.status = 'CONNECTED';
      const summary: SyncSummary = {
        at,
        ms: Math.round(performance.now() - started),
        devices: computers.length + mobiles.length,
        created,
        groups: groups.length,
      };
      live.connector.lastSync = summary;
      return summary;
    } catch (error) {
      live.connector.status = 'ERROR';
      const summary: SyncSummary = {
        at,
        ms: Math.round(performance.now() - started),
        devices: 0,
        created: 0,
        groups: 0,
        error: (error as Error).message,
      };
      live.connector.lastSync = summary;
      return summary;
    }
  }

  /** UEM signaling: set (or clear, with null) an extension attribute on the device in Jamf Pro. */
  async signal(device: JscDevice, attribute: string, value: string | null): Promise<void> {
    const uem = device.uem;
    if (!uem) return;
    const live = this.#live.get(uem.connectorId);
    if (!live) throw new JamfProError('signal', 0, "the device's connector is gone");
    const key = `${uem.kind}:${attribute}`;
    let eaId = live.attributes.get(key);
    if (eaId === undefined) {
      eaId = await live.client.ensureExtensionAttribute(uem.kind, attribute);
      live.attributes.set(key, eaId);
    }
    await live.client.setExtensionAttribute(uem.kind, uem.jamfId, eaId, value === null ? [] : [value]);
  }

  /**
   * Deploys an activation profile into Jamf Pro as a configuration profile per platform, scoped to the
   * given UEM groups (`"123"`, `"computer_123"` or `"mobile_45"`) or to all devices.
   */
  async deploy(
    id: string,
    profile: { readonly id: string; readonly name: string; readonly platforms: readonly string[] },
    uemGroups: readonly string[],
  ): Promise<{ kind: 'computer' | 'mobile'; jamfProfileId: number }[]> {
    const live = this.#live.get(id);
    if (!live) throw notFound(`connector "${id}"`);
    if (live.connector.status !== 'CONNECTED')
      throw new JscError(422, 'CONNECTOR_NOT_CONNECTED', 'the connector is not connected');
    const computerGroups: string[] = [];
    const mobileGroups: string[] = [];
    for (const g of uemGroups) {
      const m = /^(computer_|mobile_)?(.+)$/.exec(g);
      if (m?.[1] === 'mobile_') mobileGroups.push(m[2] ?? '');
      else computerGroups.push(m?.[2] ?? g);
    }
    const kinds: ('computer' | 'mobile')[] = [];
    if (profile.platforms.includes('MAC_OS')) kinds.push('computer');
    if (profile.platforms.includes('IOS')) kinds.push('mobile');
    const out: { kind: 'computer' | 'mobile'; jamfProfileId: number }[] = [];
    for (const kind of kinds) {
      const payloads = `<plist><dict><key>ActivationProfileId</key><string>${profile.id}</string><key>Vendor</key><string>Jamf Security Cloud</string></dict></plist>`;
      try {
        const jamfProfileId = await live.client.createConfigurationProfile(kind, {
          name: `Jamf Trust – ${profile.name}`,
          payloads,
          groupIds: kind === 'computer' ? computerGroups : mobileGroups,
        });
        out.push({ kind, jamfProfileId });
      } catch (error) {
        throw new JscError(
          502,
          'UEM_DEPLOYMENT_FAILED',
          `deploying to Jamf Pro failed: ${(error as Error).message}`,
        );
      }
    }
    return out;
  }

  close(): void {
    for (const live of this.#live.values()) live.timer?.cancel();
  }

  /** Forgets every connector (lab reset). */
  reset(): void {
    this.close();
    this.#live.clear();
    this.#opts.tenant.setSignaler(undefined);
  }
}
