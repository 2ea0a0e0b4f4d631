/**
 * Security events providers (Okta's "SSF Receiver" configuration, management-minimal.yaml tag SSFReceiver):
 * the transmitters the org accepts SETs from. A provider is created from `settings.well_known_url` — SSF
 * discovery of the transmitter's metadata (SSF 1.0 §7.2: the document's `issuer` must be identical to the
 * issuer the URL was made from, SSF-7.2.4), then its `jwks_uri` — or from `settings.issuer` plus
 * `settings.jwks_url` for transmitters without SSF metadata. Either way the JWKS is fetched at once, so a
 * provider that could never authenticate a SET is refused (E0000001) instead of saved. Issuers are unique
 * per org: the SET receiver finds the provider by the SET's `iss`.
 */

import type { Scheduler } from '../../../harness/kernel/index.ts';
import { jwksFromUrl } from '../../../harness/protocol/index.ts';
import { discoverTransmitter } from '../../../harness/ssf/index.ts';
import { validationFailed } from '../core/errors.ts';
import type { LogTarget } from '../system-log/system-log.ts';

export const SSF_WELL_KNOWN_PATH = '/.well-known/ssf-configuration';

export interface ProviderSettings {
  readonly issuer: string;
  readonly jwks_url: string;
  readonly well_known_url: string | null;
}

/** A key source the receiver verifies SETs with (cached, refetched on an unknown kid); `refresh` fetches now. */
export type ProviderKeys = ReturnType<typeof jwksFromUrl>;

export interface SecurityEventsProvider {
  readonly id: string;
  name: string;
  type: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: ProviderSettings;
  /** The transmitter's `critical_subject_members` (SSF-3.6), from its metadata. */
  criticalSubjectMembers: readonly string[];
  keys: ProviderKeys;
  readonly created: number;
  lastUpdated: number;
  /** Bumped whenever the issuer or the keys change, so the receiver starts a new intake. */
  generation: number;
}

/** A validated create or replace request. */
export interface ProviderRequest {
  readonly name: string;
  readonly type: string;
  readonly settings:
    | { readonly well_known_url: string }
    | { readonly issuer: string; readonly jwks_url: string };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function httpUrl(value: string, https: boolean): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && (https || url.protocol !== 'http:')) return undefined;
  return url;
}

/**
 * Checks a `SecurityEventsProviderRequest` (name ≤ 100, type ≤ 255, settings one of the two shapes) and
 * throws E0000001 with one cause per problem. Lab choices where Okta is silent: name and type must not be
 * empty; `well_known_url` must be an https URL of the form `https://host/.well-known/ssf-configuration[/path]`
 * (SSF 1.0 §7.2.1, §7.2.4); `jwks_url` may be http or https (loopback labs); `issuer` is any non-empty string
 * (Okta's own example is `Issuer`) — a SET's `iss` must equal it byte for byte.
 */
export function parseProviderRequest(body: Record<string, unknown>): ProviderRequest {
  const causes: string[] = [];
  const text = (name: string, value: unknown, max: number): string => {
    if (typeof value !== 'string' || value.trim() === '') {
      causes.push(`${name}: The field cannot be left blank`);
      return '';
    }
    if (value.length > max) causes.push(`${name}: The field must be at most ${max} characters`);
    return value;
  };
  const name = text('name', body.name, 100);
  const type = text('type', body.type, 255);
  let settings: ProviderRequest['settings'] = { well_known_url: '' };
  const s = body.settings;
  if (!isObject(s)) {
    causes.push('settings: The field is required and must be an object');
  } else {
    const hasWellKnown = s.well_known_url !== undefined && s.well_known_url !== null;
    const hasIssuer = (s.issuer !== undefined && s.issuer !== null) || s.jwks_url !== undefined;
    if (hasWellKnown === hasIssuer) {
      causes.push('settings: Provide either well_known_url, or issuer and jwks_url');
    } else if (hasWellKnown) {
      const raw = text('settings.well_known_url', s.well_known_url, 1000);
      if (raw !== '') {
        const url = httpUrl(raw, true);
        if (!url) causes.push('settings.well_known_url: Must be an absolute https URL');
        else if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#'))
          causes.push('settings.well_known_url: Must not have a query or a fragment');
        else if (url.pathname !== SSF_WELL_KNOWN_PATH && !url.pathname.startsWith(`${SSF_WELL_KNOWN_PATH}/`))
          causes.push(
            `settings.well_known_url: Must be the transmitter's SSF configuration URL, https://<host>${SSF_WELL_KNOWN_PATH}[/<issuer path>] (SSF 1.0 §7.2.1)`,
          );
      }
      settings = { well_known_url: raw };
    } else {
      const issuer = text('settings.issuer', s.issuer, 700);
      const jwksUrl = text('settings.jwks_url', s.jwks_url, 1000);
      if (jwksUrl !== '' && !httpUrl(jwksUrl, false))
        causes.push('settings.jwks_url: Must be an absolute http or https URL');
      settings = { issuer, jwks_url: jwksUrl };
    }
  }
  if (causes.length > 0) throw validationFailed('SecurityEventsProvider', ...causes);
  return { name, type, settings };
}

/** The issuer a well-known URL was made from (SSF-7.2.1 path insertion, reversed). */
export function issuerOfWellKnownUrl(wellKnownUrl: string): string {
  const url = new URL(wellKnownUrl);
  return `${url.origin}${url.pathname.slice(SSF_WELL_KNOWN_PATH.length)}`;
}

export interface ResolvedSettings {
  readonly settings: ProviderSettings;
  readonly criticalSubjectMembers: readonly string[];
  readonly keys: ProviderKeys;
}

export interface ResolveDeps {
  readonly fetch: typeof fetch;
  readonly scheduler: Scheduler;
}

/**
 * Turns request settings into a provider's: discovery for a well-known URL, then the JWKS fetched once
 * (kept by the returned key source: cached, refetched on an unknown kid). Failures are E0000001.
 */
export async function resolveSettings(
  request: ProviderRequest['settings'],
  deps: ResolveDeps,
): Promise<ResolvedSettings> {
  let issuer: string;
  let jwksUrl: string;
  let wellKnownUrl: string | null = null;
  let critical: readonly string[] = [];
  if ('well_known_url' in request) {
    wellKnownUrl = request.well_known_url;
    const derived = issuerOfWellKnownUrl(wellKnownUrl);
    // A transmitter at the host's root may spell its issuer with or without the trailing slash.
    const candidates = new URL(derived).pathname === '/' ? [derived.replace(/\/$/, ''), derived] : [derived];
    let metadata: Awaited<ReturnType<typeof discoverTransmitter>> | undefined;
    let firstError: unknown;
    for (const candidate of [...new Set(candidates)]) {
      try {
        metadata = await discoverTransmitter(candidate, { fetch: deps.fetch });
        break;
      } catch (error) {
        firstError ??= error;
      }
    }
    if (!metadata)
      throw validationFailed(
        'settings.well_known_url',
        `settings.well_known_url: SSF discovery failed: ${(firstError as Error).message}`,
      );
    if (typeof metadata.jwks_uri !== 'string')
      throw validationFailed(
        'settings.well_known_url',
        'settings.well_known_url: The transmitter metadata has no jwks_uri, so no SET could be verified',
      );
    issuer = metadata.issuer;
    jwksUrl = metadata.jwks_uri;
    critical = metadata.critical_subject_members ?? [];
  } else {
    issuer = request.issuer;
    jwksUrl = request.jwks_url;
  }
  const keys = jwksFromUrl(jwksUrl, { fetch: deps.fetch, clock: deps.scheduler });
  const fetched = await keys.refresh();
  if (!fetched.ok) {
    const field = wellKnownUrl === null ? 'settings.jwks_url' : 'settings.well_known_url';
    throw validationFailed(field, `${field}: The JWKS at ${jwksUrl} cannot be used: ${fetched.message}`);
  }
  return {
    settings: { issuer, jwks_url: jwksUrl, well_known_url: wellKnownUrl },
    criticalSubjectMembers: critical,
    keys,
  };
}

/** Okta's `SecurityEventsProviderResponse`. */
export function providerView(provider: SecurityEventsProvider, orgUrl: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/security-events-providers/${provider.id}`;
  const lifecycle = provider.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    id: provider.id,
    name: provider.name,
    type: provider.type,
    status: provider.status,
    settings: {
      ...(provider.settings.well_known_url === null
        ? {}
        : { well_known_url: provider.settings.well_known_url }),
      issuer: provider.settings.issuer,
      jwks_url: provider.settings.jwks_url,
    },
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    },
  };
}

/** The provider as a System Log target: the fields Okta's lifecycle events carry (events.md §8). */
export function providerTarget(provider: SecurityEventsProvider): LogTarget {
  return {
    id: provider.id,
    type: 'SecurityEventProvider',
    alternateId: provider.settings.issuer,
    displayName: provider.name,
    detailEntry: {
      issuer: provider.settings.issuer,
      jwks_url: provider.settings.jwks_url,
      well_known_url: provider.settings.well_known_url,
      provider_type: provider.type,
      provider_name: provider.name,
    },
  };
}

/** The provider as the actor of the events its SETs cause. */
export function providerActor(provider: SecurityEventsProvider): LogTarget {
  return {
    id: provider.id,
    type: 'SecurityEventProvider',
    alternateId: provider.settings.issuer,
    displayName: provider.name,
    detailEntry: null,
  };
}

/** The org's providers, in creation order. */
export class SecurityEventsProviders {
  readonly #byId = new Map<string, SecurityEventsProvider>();

  list(): readonly SecurityEventsProvider[] {
    return [...this.#byId.values()];
  }

  get(id: string): SecurityEventsProvider | undefined {
    return this.#byId.get(id);
  }

  /** The provider whose issuer is exactly `issuer` (active or not). */
  byIssuer(issuer: string): SecurityEventsProvider | undefined {
    for (const p of this.#byId.values()) if (p.settings.issuer === issuer) return p;
    return undefined;
  }

  /** Throws E0000001 when another provider already has `issuer`. */
  assertIssuerFree(issuer: string, except?: string): void {
    const other = this.byIssuer(issuer);
    if (other && other.id !== except)
      throw validationFailed(
        'settings.issuer',
        `settings.issuer: The security events provider ${other.id} already has the issuer ${issuer}`,
      );
  }

  add(provider: SecurityEventsProvider): void {
    this.#byId.set(provider.id, provider);
  }

  delete(id: string): boolean {
    return this.#byId.delete(id);
  }
}
