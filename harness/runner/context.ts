/**
 * What steps and expectations share during one run: the lab, clients for each service's public API (with
 * the lab's credentials), device and user references, the threats the scenario raised, and real-time
 * marks (virtual time does not move while the services work, so latencies are measured in real time).
 */
import { jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { type ApiAnswer, apiCall, type CallOptions, field, type Lab, StepFailedError } from '../lab/index.ts';
import type { VirtualScheduler } from '../ssf/index.ts';
import type { ServiceName } from './scenario.ts';

export interface DeviceInfo {
  readonly udid: string;
  readonly serialNumber: string;
  readonly jscId: string;
  readonly os: 'MAC_OS' | 'IOS';
  readonly email?: string;
}

export class RunContext {
  readonly lab: Lab;
  readonly scheduler: VirtualScheduler;
  /** Virtual time when the run's steps began (System Log reads start here). */
  readonly startedAt: number;
  /** The first timeline seq of the run's steps (set-up exchanges come before). */
  readonly firstSeq: number;
  /** Real time (performance.now) when the first step started. */
  readonly startedReal: number;
  readonly threats = new Map<string, string>();
  readonly openThreats: string[] = [];
  /** Real completion time of each exchange, by seq. */
  readonly completedReal = new Map<number, number>();
  /** Exchanges completed between the services (not the runner's own reads): how waits tell the lab is busy. */
  serviceExchanges = 0;
  readonly #userIds = new Map<string, string>();
  #radar: string | undefined;
  #jamfToken: string | undefined;

  constructor(lab: Lab, scheduler: VirtualScheduler) {
    this.lab = lab;
    this.scheduler = scheduler;
    this.startedAt = scheduler.now();
    this.firstSeq = lab.timeline.nextSeq;
    this.startedReal = performance.now();
  }

  devices(): DeviceInfo[] {
    return this.lab.jsc.tenant.devices().map((d) => ({
      udid: d.udid,
      serialNumber: d.serialNumber,
      jscId: d.id,
      os: d.osType,
      ...(d.user?.email ? { email: d.user.email } : d.uem?.email ? { email: d.uem.email } : {}),
    }));
  }

  /** `mac`, `mobile`, `mac#2`, or a UDID, serial number or JSC device id. */
  device(ref: string): DeviceInfo {
    const all = this.devices();
    const m = /^(mac|mobile)(?:#(\d+))?$/.exec(ref);
    if (m) {
      const os = m[1] === 'mac' ? 'MAC_OS' : 'IOS';
      const bound = this.lab.jsc.tenant.devices().filter((d) => d.osType === os && d.user?.email);
      const n = Number(m[2] ?? '1');
      const found = bound[n - 1];
      if (!found)
        throw new StepFailedError(
          ref,
          `there is no ${n === 1 ? '' : `${n}th `}activated ${os === 'MAC_OS' ? 'macOS' : 'iOS'} device with a user`,
        );
      return all.find((d) => d.udid === found.udid) as DeviceInfo;
    }
    const lower = ref.toLowerCase();
    const found = all.find(
      (d) => d.udid.toLowerCase() === lower || d.serialNumber.toLowerCase() === lower || d.jscId === ref,
    );
    if (!found) throw new StepFailedError(ref, 'no device has this UDID, serial number or id');
    return found;
  }

  /** A user by email, or by a device reference (the device's user). */
  email(ref: string): string {
    if (ref.includes('@')) return ref;
    const email = this.device(ref).email;
    if (!email) throw new StepFailedError(ref, 'the device has no user');
    return email;
  }

  async oktaUserId(ref: string): Promise<string> {
    const email = this.email(ref);
    const known = this.#userIds.get(email);
    if (known) return known;
    const user = await this.call('okta', `okta: user ${email}`, `/api/v1/users/${encodeURIComponent(email)}`);
    const id = field(user, `okta: user ${email}`, 'id');
    this.#userIds.set(email, id);
    return id;
  }

  urlOf(service: ServiceName): string {
    const u = this.lab.urls;
    return service === 'okta'
      ? u.okta
      : service === 'jamf-pro'
        ? u.jamfPro
        : service === 'jamf-security-cloud'
          ? u.jamfSecurityCloud
          : u.apps[service];
  }

  async #authorization(service: ServiceName): Promise<string | undefined> {
    if (service === 'okta') return `SSWS ${this.lab.okta.apiToken}`;
    if (service === 'jamf-security-cloud') {
      if (!this.#radar) {
        const app = this.lab.jsc.apps[0];
        if (!app) throw new StepFailedError('jsc: login', 'the lab has no Radar application');
        const login = await apiCall(
          this.lab.fetch,
          'jsc: login',
          `${this.lab.urls.jamfSecurityCloud}/v1/login`,
          {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}`,
            },
          },
        );
        this.#radar = field(login, 'jsc: login', 'token');
      }
      return `Bearer ${this.#radar}`;
    }
    if (service === 'jamf-pro') {
      if (!this.#jamfToken) {
        const client = jamfProOf(this.lab.jamfPro).credentials.clients[0];
        if (!client) throw new StepFailedError('jamf-pro: token', 'the lab has no Jamf Pro API client');
        const token = await apiCall(
          this.lab.fetch,
          'jamf-pro: token',
          `${this.lab.urls.jamfPro}/api/oauth/token`,
          {
            form: {
              grant_type: 'client_credentials',
              client_id: client.clientId,
              client_secret: client.clientSecret,
            },
          },
        );
        this.#jamfToken = field(token, 'jamf-pro: token', 'access_token');
      }
      return `Bearer ${this.#jamfToken}`;
    }
    return undefined;
  }

  /** A call to a service's public API with the lab's credentials for it. */
  async call(
    service: ServiceName,
    step: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiAnswer> {
    const authorization = await this.#authorization(service);
    return apiCall(this.lab.fetch, step, `${this.urlOf(service)}${path}`, {
      ...options,
      headers: { ...(authorization ? { authorization } : {}), ...options.headers },
    });
  }

  /** The run's exchanges (after the set-up). */
  exchanges() {
    return this.lab.timeline.since(this.firstSeq);
  }
}
