/**
 * How mock Jamf Security Cloud talks to Jamf Pro: only through Jamf Pro's public API, over HTTP, the way
 * UEM Connect does (Jamf does not publish which calls it makes; these are the documented ones that give
 * what it needs — vendor-apis.md §3.5). OAuth client credentials or a Basic-authenticated user token,
 * cached until shortly before it expires; paged inventory reads; extension-attribute writes; Classic API
 * configuration profiles for activation-profile deployment.
 */
import {
  BODY_CAPS,
  BodyTooLargeError,
  readBodyHeadText,
  readBodyText,
  type Scheduler,
} from '../../harness/kernel/index.ts';

export type JamfProAuth =
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export class JamfProError extends Error {
  readonly status: number;
  readonly operation: string;

  constructor(operation: string, status: number, message: string) {
    super(`${operation}: ${message}`);
    this.name = 'JamfProError';
    this.operation = operation;
    this.status = status;
  }
}

export interface JamfProClientOptions {
  readonly url: string;
  readonly auth: JamfProAuth;
  readonly fetch: typeof fetch;
  readonly scheduler: Scheduler;
  readonly timeoutMs?: number;
}

/** A Jamf Pro device as UEM Connect keeps it. */
export interface UemDevice {
  /** Jamf Pro id (string in the Pro API). */
  readonly jamfId: string;
  readonly kind: 'computer' | 'mobile';
  readonly udid: string;
  readonly serialNumber: string;
  readonly name: string;
  readonly model: string;
  readonly osVersion: string;
  readonly managed: boolean;
  readonly username?: string;
  readonly email?: string;
  readonly realName?: string;
  /** Computer group ids the device is in (from GROUP_MEMBERSHIPS); mobile devices report none here. */
  readonly groupIds: readonly string[];
}

export interface UemGroup {
  readonly id: string;
  readonly name: string;
  readonly smart: boolean;
  readonly kind: 'computer' | 'mobile';
}

interface Paged<T> {
  readonly totalCount: number;
  readonly results: readonly T[];
}

const PAGE_SIZE = 500;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export class JamfProClient {
  readonly #opts: JamfProClientOptions;
  readonly #base: string;
  #token: { value: string; expiresAt: number } | undefined;

  constructor(options: JamfProClientOptions) {
    this.#opts = options;
    this.#base = options.url.replace(/\/+$/, '');
  }

  async #request(operation: string, path: string, init: RequestInit = {}, authed = true): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', headers.get('accept') ?? 'application/json');
    if (authed) headers.set('authorization', `Bearer ${await this.token()}`);
    let response: Response;
    try {
      response = await this.#opts.fetch(`${this.#base}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const cause =
        (error as Error).cause instanceof Error ? ` (${((error as Error).cause as Error).message})` : '';
      throw new JamfProError(operation, 0, `${(error as Error).message}${cause}`);
    }
    if (response.status === 401 && authed) this.#token = undefined;
    if (!response.ok) {
      const text = (
        await readBodyHeadText(response, BODY_CAPS.errorBody).catch(() => ({ text: '' }))
      ).text.slice(0, 300);
      throw new JamfProError(operation, response.status, `HTTP ${response.status}${text ? `: ${text}` : ''}`);
    }
    return response;
  }

  async #json(operation: string, path: string, init: RequestInit = {}): Promise<unknown> {
    return this.#parse(operation, await this.#request(operation, path, init));
  }

  /** The answer's text, at most BODY_CAPS.apiAnswer: a larger one is cancelled unread and refused. */
  async #text(operation: string, response: Response): Promise<string> {
    try {
      return await readBodyText(response, BODY_CAPS.apiAnswer);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        throw new JamfProError(operation, response.status, error.message);
      throw new JamfProError(
        operation,
        response.status,
        `the answer could not be read: ${(error as Error).message}`,
      );
    }
  }

  async #parse(operation: string, response: Response): Promise<unknown> {
    const text = await this.#text(operation, response);
    try {
      return JSON.parse(text);
    } catch {
      throw new JamfProError(operation, response.status, 'the response is not JSON');
    }
  }

  /** A bearer token, fetched (OAuth client credentials or Basic user token) and cached until 30 s before expiry. */
  async token(): Promise<string> {
    const now = this.#opts.scheduler.now();
    if (this.#token && this.#token.expiresAt - 30_000 > now) return this.#token.value;
    const auth = this.#opts.auth;
    if (auth.kind === 'oauth') {
      const response = await this.#request(
        'oauth token',
        '/api/oauth/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: auth.clientId,
            client_secret: auth.clientSecret,
          }).toString(),
        },
        false,
      );
      const body = obj(await this.#parse('oauth token', response));
      const token = str(body.access_token);
      if (!token) throw new JamfProError('oauth token', response.status, 'no access_token in the response');
      const seconds = typeof body.expires_in === 'number' ? body.expires_in : 60;
      this.#token = { value: token, expiresAt: now + seconds * 1000 };
    } else {
      const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      const response = await this.#request(
        'user token',
        '/api/v1/auth/token',
        { method: 'POST', headers: { authorization: `Basic ${basic}` } },
        false,
      );
      const body = obj(await this.#parse('user token', response));
      const token = str(body.token);
      if (!token) throw new JamfProError('user token', response.status, 'no token in the response');
      const expires = typeof body.expires === 'string' ? Date.parse(body.expires) : Number.NaN;
      this.#token = { value: token, expiresAt: Number.isNaN(expires) ? now + 60_000 : expires };
    }
    return this.#token.value;
  }

  /** `GET /api/v1/jamf-pro-version`: also the connection test UEM Connect runs before saving. */
  async version(): Promise<string> {
    const body = obj(await this.#json('version', '/api/v1/jamf-pro-version'));
    const version = str(body.version);
    if (!version) throw new JamfProError('version', 200, 'no version in the response');
    return version;
  }

  async #allPages<T>(operation: string, path: (page: number) => string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 0; ; page++) {
      const body = (await this.#json(operation, path(page))) as Paged<T>;
      if (!Array.isArray(body.results))
        throw new JamfProError(operation, 200, 'no results array in the page');
      out.push(...body.results);
      if (body.results.length === 0 || out.length >= body.totalCount) return out;
    }
  }

  /** Every computer, with the sections UEM Connect needs (paged). */
  async computers(): Promise<UemDevice[]> {
    const sections = ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION', 'OPERATING_SYSTEM', 'GROUP_MEMBERSHIPS'];
    const query = sections.map((s) => `section=${s}`).join('&');
    const rows = await this.#allPages<Record<string, unknown>>(
      'computers',
      (page) => `/api/v1/computers-inventory?${query}&page=${page}&page-size=${PAGE_SIZE}&sort=id:asc`,
    );
    return rows.map((c) => {
      const general = obj(c.general);
      const hardware = obj(c.hardware);
      const user = obj(c.userAndLocation);
      const os = obj(c.operatingSystem);
      const groups = Array.isArray(c.groupMemberships) ? c.groupMemberships : [];
      return {
        jamfId: str(c.id) ?? '',
        kind: 'computer',
        udid: str(c.udid) ?? '',
        serialNumber: str(hardware.serialNumber) ?? '',
        name: str(general.name) ?? '',
        model: str(hardware.model) ?? '',
        osVersion: str(os.version) ?? '',
        managed: obj(general.remoteManagement).managed !== false,
        ...(str(user.username) ? { username: str(user.username) as string } : {}),
        ...(str(user.email) ? { email: str(user.email) as string } : {}),
        ...(str(user.realname) ? { realName: str(user.realname) as string } : {}),
        groupIds: groups.map((g) => str(obj(g).groupId) ?? '').filter(Boolean),
      };
    });
  }

  /** Every mobile device (sectioned inventory, paged). */
  async mobileDevices(): Promise<UemDevice[]> {
    const query = ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION'].map((s) => `section=${s}`).join('&');
    const rows = await this.#allPages<Record<string, unknown>>(
      'mobile devices',
      (page) =>
        `/api/v2/mobile-devices/detail?${query}&page=${page}&page-size=${PAGE_SIZE}&sort=mobileDeviceId:asc`,
    );
    return rows.map((m) => {
      const general = obj(m.general);
      const hardware = obj(m.hardware);
      const user = obj(m.userAndLocation);
      return {
        jamfId: str(m.mobileDeviceId) ?? '',
        kind: 'mobile',
        udid: str(general.udid) ?? '',
        serialNumber: str(hardware.serialNumber) ?? '',
        name: str(general.displayName) ?? '',
        model: str(hardware.model) ?? '',
        osVersion: str(general.osVersion) ?? '',
        managed: general.managed !== false,
        ...(str(user.username) ? { username: str(user.username) as string } : {}),
        ...(str(user.emailAddress) ? { email: str(user.emailAddress) as string } : {}),
        ...(str(user.realName) ? { realName: str(user.realName) as string } : {}),
        groupIds: [],
      };
    });
  }

  async groups(): Promise<UemGroup[]> {
    const computer = (await this.#json('computer groups', '/api/v1/computer-groups')) as Record<
      string,
      unknown
    >[];
    const mobile = (await this.#json('mobile device groups', '/api/v1/mobile-device-groups')) as Record<
      string,
      unknown
    >[];
    return [
      ...(Array.isArray(computer) ? computer : []).map((g) => ({
        id: str(g.id) ?? '',
        name: str(g.name) ?? '',
        smart: g.smartGroup === true,
        kind: 'computer' as const,
      })),
      ...(Array.isArray(mobile) ? mobile : []).map((g) => ({
        id: str(g.id) ?? '',
        name: str(g.name) ?? '',
        smart: g.isSmartGroup === true,
        kind: 'mobile' as const,
      })),
    ];
  }

  /** Members of a computer smart group (`GET /api/v2/computer-groups/smart-group-membership/{id}`). */
  async smartGroupMembers(groupId: string): Promise<string[]> {
    const body = obj(
      await this.#json(
        'smart group membership',
        `/api/v2/computer-groups/smart-group-membership/${encodeURIComponent(groupId)}`,
      ),
    );
    return Array.isArray(body.members) ? body.members.map((m) => String(m)) : [];
  }

  /** The id of the extension attribute named `name` for devices of `kind`, created (text input) if missing. */
  async ensureExtensionAttribute(kind: 'computer' | 'mobile', name: string): Promise<string> {
    const base =
      kind === 'computer'
        ? '/api/v1/computer-extension-attributes'
        : '/api/v1/mobile-device-extension-attributes';
    const filter = encodeURIComponent(`name=="${name.replaceAll('"', '\\"')}"`);
    const found = obj(
      await this.#json('find extension attribute', `${base}?page=0&page-size=100&filter=${filter}`),
    );
    const match = (Array.isArray(found.results) ? found.results : []).map(obj).find((ea) => ea.name === name);
    if (match) return str(match.id) ?? '';
    const created = obj(
      await this.#json('create extension attribute', base, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          description: 'Set by Jamf Security Cloud (UEM signaling)',
          dataType: 'STRING',
          inventoryDisplayType: 'EXTENSION_ATTRIBUTES',
          inputType: 'TEXT',
          ...(kind === 'computer' ? { enabled: true } : {}),
        }),
      }),
    );
    const id = str(created.id);
    if (!id) throw new JamfProError('create extension attribute', 201, 'no id in the response');
    return id;
  }

  /** Sets (or, with `[]`, clears) an extension attribute value on one device. */
  async setExtensionAttribute(
    kind: 'computer' | 'mobile',
    jamfId: string,
    eaId: string,
    values: readonly string[],
  ): Promise<void> {
    if (kind === 'computer') {
      await this.#request(
        'set computer extension attribute',
        `/api/v1/computers-inventory-detail/${encodeURIComponent(jamfId)}`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ extensionAttributes: [{ definitionId: eaId, values: [...values] }] }),
        },
      );
    } else {
      await this.#request(
        'set mobile extension attribute',
        `/api/v2/mobile-devices/${encodeURIComponent(jamfId)}`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ updatedExtensionAttributes: [{ id: eaId, value: [...values] }] }),
        },
      );
    }
  }

  /**
   * Creates a configuration profile through the Classic API (XML), scoped to the given groups or to all
   * devices. Returns the new Classic (integer) id.
   */
  async createConfigurationProfile(
    kind: 'computer' | 'mobile',
    profile: { readonly name: string; readonly payloads: string; readonly groupIds: readonly string[] },
  ): Promise<number> {
    const esc = (s: string): string =>
      s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
    const root = kind === 'computer' ? 'os_x_configuration_profile' : 'configuration_profile';
    const groupTag = kind === 'computer' ? 'computer_group' : 'mobile_device_group';
    const all = profile.groupIds.length === 0;
    const scope = all
      ? `<scope><${kind === 'computer' ? 'all_computers' : 'all_mobile_devices'}>true</${kind === 'computer' ? 'all_computers' : 'all_mobile_devices'}></scope>`
      : `<scope><${groupTag}s>${profile.groupIds.map((id) => `<${groupTag}><id>${esc(id)}</id></${groupTag}>`).join('')}</${groupTag}s></scope>`;
    const xml = `<${root}><general><name>${esc(profile.name)}</name><payloads>${esc(profile.payloads)}</payloads></general>${scope}</${root}>`;
    const path =
      kind === 'computer'
        ? '/JSSResource/osxconfigurationprofiles/id/0'
        : '/JSSResource/mobiledeviceconfigurationprofiles/id/0';
    const response = await this.#request('create configuration profile', path, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', accept: 'application/xml' },
      body: xml,
    });
    const id = /<id>(\d+)<\/id>/.exec(await this.#text('create configuration profile', response))?.[1];
    if (!id) throw new JamfProError('create configuration profile', response.status, 'no id in the response');
    return Number(id);
  }
}
