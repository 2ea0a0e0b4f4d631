/**
 * What steps and the capture share during one run: the target (its manifest, a fetch, its clock), clients
 * for each service's public API with the manifest's credentials, device and user references, the threats
 * the scenario raised, and the run's exchanges — the runner's own calls, recorded here, and the services'
 * calls to each other, read from the lab's `GET /_lab/timeline`.
 */

import type { HttpRequestSpec } from '../../suites/integration/index.ts';
import {
  type ApiAnswer,
  apiCall,
  type CallOptions,
  field,
  isLabAdminPath,
  StepFailedError,
} from '../lab/index.ts';
import { type ExchangeRecord, Timeline } from '../records/index.ts';
import type { ServiceName } from './scenario.ts';
import type { RunTarget } from './target.ts';

export interface DeviceInfo {
  readonly udid: string;
  readonly serialNumber: string;
  readonly jscId: string;
  readonly os: string;
  readonly email?: string;
}

/** A device as JSC's `GET /_lab/state` lists it (the members the runner reads). */
interface StateDevice {
  readonly id: string;
  readonly udid: string;
  readonly serialNumber: string;
  readonly osType: string;
  readonly user?: { readonly email?: string };
  readonly uem?: { readonly email?: string };
}

const TIMELINE_PAGE = 1000;

export class RunContext {
  readonly target: RunTarget;
  /** Target time when the run's steps began (System Log reads start here). */
  readonly startedAt: number;
  /** Real time (performance.now) when the first step started. */
  startedReal: number;
  readonly threats = new Map<string, string>();
  readonly openThreats: string[] = [];
  /** Real endpoints: each trigger's JSON answer, by the threat's name (its resolve request is filled from it). */
  readonly triggered = new Map<string, unknown>();
  /** Faults the run put in place (undone at the end on a target that outlives the run). */
  readonly faults = new Set<ServiceName>();
  /** The runner's own calls, recorded. */
  readonly own: Timeline;
  /** A fetch that records into `own`. */
  readonly #fetch: typeof fetch;
  /** The services' exchanges read so far from the lab's timeline, with their real end in our clock. */
  readonly #lab: { exchange: ExchangeRecord; endReal: number }[] = [];
  #cursor = 0;
  /** Exchanges between the services seen so far: how waits tell the lab is busy. */
  serviceExchanges = 0;
  readonly #userIds = new Map<string, string>();
  #devices: DeviceInfo[] | undefined;
  #radar: string | undefined;
  #jamfToken: string | undefined;
  /** Hears of each exchange between the services as the run reads it (the narrator). */
  onServiceExchange: ((exchange: ExchangeRecord) => void) | undefined;

  /** `startedAt`: target time the run counts from (default now); a session's record counts from its lab's start. */
  constructor(target: RunTarget, options: { readonly startedAt?: number } = {}) {
    this.target = target;
    const m = target.manifest;
    const services = new Map<string, ServiceName>([
      [new URL(m.okta.url).origin, 'okta'],
      ...(m.jamfPro ? [[new URL(m.jamfPro.url).origin, 'jamf-pro'] as [string, ServiceName]] : []),
      ...(m.jamfSecurityCloud
        ? [[new URL(m.jamfSecurityCloud.url).origin, 'jamf-security-cloud'] as [string, ServiceName]]
        : []),
      ...m.apps.map((a): [string, ServiceName] => [new URL(a.url).origin, a.kind as ServiceName]),
    ]);
    this.own = new Timeline({ services, now: () => target.clock.now() });
    this.#fetch = this.own.recording(target.fetch, 'harness');
    this.startedAt = options.startedAt ?? target.clock.now();
    this.logSince = new Date(this.startedAt - 1000).toISOString();
    this.startedReal = performance.now();
  }

  /**
   * Where the run's reading of Okta's System Log starts. A second before the run by default — a margin
   * for a remote org's clock — and, once `skipSetUp` has read the log's newest event, just after that
   * event, so that what happened before the run (a previous run a moment ago, a threat raised from the
   * console) is never taken for the run's own.
   */
  logSince: string;

  /** Starts the lab timeline's cursor at its end: the set-up's exchanges are not the run's. */
  async skipSetUp(): Promise<void> {
    await this.poll();
    this.#lab.length = 0;
    this.serviceExchanges = 0;
    await this.#markLogStart();
  }

  async #markLogStart(): Promise<void> {
    const path = `/api/v1/logs?since=${encodeURIComponent(this.logSince)}&sortOrder=DESCENDING&limit=1`;
    const answer = await this.peek('okta', 'okta: System Log (where the run starts)', path).catch(
      () => undefined,
    );
    const newest = Array.isArray(answer?.body)
      ? (answer.body[0] as { published?: unknown } | undefined)
      : undefined;
    const at = typeof newest?.published === 'string' ? Date.parse(newest.published) : Number.NaN;
    // Okta's own timestamp: no clock skew between this machine and the org can misplace the start.
    if (Number.isFinite(at)) this.logSince = new Date(at + 1).toISOString();
  }

  async #timelinePage(): Promise<{ exchanges: ExchangeRecord[] }> {
    // Real endpoints have no timeline: the run's exchanges are its own.
    if (!this.target.labControls) return { exchanges: [] };
    const url = `${this.target.manifest.okta.url}/_lab/timeline?cursor=${this.#cursor}&limit=${TIMELINE_PAGE}`;
    // Not recorded: reading the timeline is how the run sees the services, not part of what they did.
    const answer = await apiCall(this.target.fetch, 'lab: timeline', url);
    const page = answer.body as { exchanges: ExchangeRecord[]; cursor: number; realNowMs: number };
    const nowReal = performance.now();
    for (const exchange of page.exchanges) {
      // The lab's realMs counts from its own start; mapped onto ours through "now" on both sides.
      const endReal =
        nowReal - (page.realNowMs - ((exchange.realMs ?? page.realNowMs) + exchange.durationMs));
      this.#lab.push({ exchange, endReal });
      if (exchange.from !== 'harness') {
        this.serviceExchanges += 1;
        this.onServiceExchange?.(exchange);
      }
    }
    this.#cursor = page.cursor;
    return page;
  }

  /** Reads in progress, one after another: two at once would read the same page from the same cursor. */
  #polling: Promise<unknown> = Promise.resolve();

  /** Reads what the services did since the last read; returns the new exchanges between them. */
  poll(): Promise<ExchangeRecord[]> {
    const read = this.#polling.then(async () => {
      const before = this.#lab.length;
      for (;;) {
        const page = await this.#timelinePage();
        if (page.exchanges.length < TIMELINE_PAGE) break;
      }
      return this.#lab.slice(before).map((x) => x.exchange);
    });
    this.#polling = read.catch(() => undefined);
    return read;
  }

  /**
   * The run's exchanges: the services' calls to each other (not the lab's own harness calls, which are a
   * set-up's) and the runner's calls, in the order they left (target time, then real time).
   */
  exchanges(): ExchangeRecord[] {
    const services = this.#lab.map((x) => x.exchange).filter((x) => x.from !== 'harness');
    const merged = [...services, ...this.own.entries].sort(
      (a, b) => a.at - b.at || (a.realMs ?? 0) - (b.realMs ?? 0),
    );
    return merged.map((x, i) => ({ ...x, seq: i + 1 }));
  }

  /** Real ms from the first step to the end of the last logout call to an app, else of the last exchange. */
  flow(): { ms: number; until: 'logout' | 'exchange' } | undefined {
    const apps = new Set(this.target.manifest.apps.map((a) => a.kind));
    const logouts = this.#lab.filter((x) => x.exchange.from === 'okta' && apps.has(x.exchange.to));
    const last = (logouts.length ? logouts : this.#lab).at(-1);
    if (!last) return undefined;
    return {
      ms: Math.max(0, Math.round(last.endReal - this.startedReal)),
      until: logouts.length ? 'logout' : 'exchange',
    };
  }

  /** Every device, as JSC's lab state lists it (read once; again after a step changes the fleet). */
  async devices(refresh = false): Promise<DeviceInfo[]> {
    if (this.#devices && !refresh) return this.#devices;
    if (!this.target.labControls)
      throw new StepFailedError(
        'devices',
        `${this.target.name} has no lab to list devices in: this step needs the lab's /_lab/state`,
      );
    const state = await this.call('jamf-security-cloud', 'jsc: devices', '/_lab/state');
    const devices = ((state.body as { devices?: StateDevice[] } | undefined)?.devices ?? []).map((d) => {
      const email = d.user?.email ?? d.uem?.email;
      return {
        udid: d.udid,
        serialNumber: d.serialNumber,
        jscId: d.id,
        os: d.osType,
        ...(email ? { email } : {}),
        bound: d.user?.email !== undefined,
      };
    });
    this.#devices = devices;
    return devices;
  }

  /** `mac`, `mobile`, `mac#2`, or a UDID, serial number or JSC device id. */
  async device(ref: string): Promise<DeviceInfo> {
    const all = (await this.devices()) as (DeviceInfo & { bound: boolean })[];
    const m = /^(mac|mobile)(?:#(\d+))?$/.exec(ref);
    if (m) {
      const os = m[1] === 'mac' ? 'MAC_OS' : 'IOS';
      const n = Number(m[2] ?? '1');
      const found = all.filter((d) => d.os === os && d.bound)[n - 1];
      if (!found)
        throw new StepFailedError(
          ref,
          `there is no ${n === 1 ? '' : `${n}th `}activated ${os === 'MAC_OS' ? 'macOS' : 'iOS'} device with a user`,
        );
      return found;
    }
    const lower = ref.toLowerCase();
    const found = all.find(
      (d) => d.udid.toLowerCase() === lower || d.serialNumber.toLowerCase() === lower || d.jscId === ref,
    );
    if (!found) throw new StepFailedError(ref, 'no device has this UDID, serial number or id');
    return found;
  }

  /** A user by email, or by a device reference (the device's user). */
  async email(ref: string): Promise<string> {
    if (ref.includes('@')) return ref;
    // On real endpoints every device reference names the target file's one user.
    if (this.target.standIns) return this.target.standIns.user;
    const email = (await this.device(ref)).email;
    if (!email) throw new StepFailedError(ref, 'the device has no user');
    return email;
  }

  async oktaUserId(ref: string): Promise<string> {
    const email = await this.email(ref);
    const known = this.#userIds.get(email);
    if (known) return known;
    const user = await this.call('okta', `okta: user ${email}`, `/api/v1/users/${encodeURIComponent(email)}`);
    const id = field(user, `okta: user ${email}`, 'id');
    this.#userIds.set(email, id);
    return id;
  }

  urlOf(service: ServiceName): string {
    const m = this.target.manifest;
    if (service === 'okta') return m.okta.url;
    if (service === 'jamf-security-cloud' && m.jamfSecurityCloud) return m.jamfSecurityCloud.url;
    if (service === 'jamf-pro' && m.jamfPro) return m.jamfPro.url;
    const app = m.apps.find((a) => a.kind === service);
    if (!app) throw new StepFailedError(service, `${this.target.name} names no ${service}`);
    return app.url;
  }

  async #authorization(service: ServiceName): Promise<string | undefined> {
    const m = this.target.manifest;
    if (service === 'okta') return `SSWS ${m.okta.apiToken}`;
    if (service === 'jamf-security-cloud') {
      if (!this.#radar) {
        const jsc = m.jamfSecurityCloud;
        if (!jsc) throw new StepFailedError('jsc: login', `${this.target.name} names no Jamf Security Cloud`);
        const login = await apiCall(this.#fetch, 'jsc: login', `${jsc.url}/v1/login`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${jsc.appId}:${jsc.appSecret}`).toString('base64')}`,
          },
        });
        this.#radar = field(login, 'jsc: login', 'token');
      }
      return `Bearer ${this.#radar}`;
    }
    if (service === 'jamf-pro') {
      if (!this.#jamfToken) {
        const jamfPro = m.jamfPro;
        if (!jamfPro) throw new StepFailedError('jamf-pro: token', `${this.target.name} names no Jamf Pro`);
        const token = await apiCall(this.#fetch, 'jamf-pro: token', `${jamfPro.url}/api/oauth/token`, {
          form: {
            grant_type: 'client_credentials',
            client_id: jamfPro.clientId,
            client_secret: jamfPro.clientSecret,
          },
        });
        this.#jamfToken = field(token, 'jamf-pro: token', 'access_token');
      }
      return `Bearer ${this.#jamfToken}`;
    }
    return undefined;
  }

  /** Sends a request as a target file gives it (its secrets already resolved), recorded. */
  send(step: string, request: HttpRequestSpec): Promise<ApiAnswer> {
    return apiCall(this.#fetch, step, request.url, {
      method: request.method,
      ...(request.headers === undefined ? {} : { headers: request.headers }),
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  }

  /** A call to a service's public API (or its `/_lab/` controls) with the manifest's credentials for it. */
  async call(
    service: ServiceName,
    step: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiAnswer> {
    // A lab control takes the lab admin token (the target's fetch adds it), not the service's credential.
    const authorization = isLabAdminPath(path) ? undefined : await this.#authorization(service);
    return apiCall(this.#fetch, step, `${this.urlOf(service)}${path}`, {
      ...options,
      headers: { ...(authorization ? { authorization } : {}), ...options.headers },
    });
  }

  /**
   * A read for the person watching (the narrator's System Log tail), with the manifest's credentials but
   * not recorded: it is not part of what the run did.
   */
  async peek(service: ServiceName, step: string, path: string): Promise<ApiAnswer> {
    const authorization = isLabAdminPath(path) ? undefined : await this.#authorization(service);
    return apiCall(this.target.fetch, step, `${this.urlOf(service)}${path}`, {
      headers: authorization ? { authorization } : {},
    });
  }

  /** A call to the lab-wide controls (`/_lab/faults`), answered on every service's origin. */
  control(step: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    if (!this.target.labControls)
      return Promise.reject(
        new StepFailedError(step, `${this.target.name} is real endpoints: it has no lab control ${path}`),
      );
    return apiCall(this.#fetch, step, `${this.target.manifest.okta.url}${path}`, options);
  }
}
