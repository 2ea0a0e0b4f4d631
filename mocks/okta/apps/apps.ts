/**
 * The org's OpenID Connect applications (Okta's `OpenIdConnectApplication`, `name: oidc_client`): native,
 * web and SPA apps that sign users in — the seed's Jamf Trust app (authorization code + PKCE, refresh
 * tokens, consent TRUSTED, groups claim "Matches regex" `.*`) — and API service apps that get tokens with
 * client credentials and `private_key_jwt` (the okta-sdk-nodejs `PrivateKey` mode). Also their user and group
 * assignments (only assigned users may sign in), the Okta API scopes granted to them (`/grants`), and the
 * groups claim, which Okta keeps outside the public app object (the Admin Console's "Groups claim filter",
 * read and written at `/api/v1/internal/apps/{id}/settings/oauth/idToken`, as the Okta Terraform provider
 * does). Bodies are validated in app-settings.ts; views are in apps-views.ts.
 */

import { rememberIssuedSecret } from '../../../harness/kernel/index.ts';
import type { JwkSet } from '../../../harness/protocol/index.ts';
import { validationFailed } from '../core/errors.ts';
import { issuedSecret } from '../core/ids.ts';
import type { Directory } from '../directory/directory.ts';
import { isObject, OKTA_SCOPE, parseAppBody } from './app-settings.ts';

export type ApplicationType = 'native' | 'web' | 'browser' | 'service';
export type ClientAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt';

export interface GroupsClaim {
  readonly valueType: 'GROUPS';
  readonly groupFilterType: 'REGEX' | 'STARTS_WITH' | 'EQUALS' | 'CONTAINS';
  readonly name: string;
  readonly value: string;
  readonly issuerMode: string;
}

export interface AppUserAssignment {
  readonly userId: string;
  readonly created: number;
  lastUpdated: number;
  profile: Record<string, unknown>;
}

export interface GroupAssignment {
  readonly groupId: string;
  lastUpdated: number;
  priority: number;
  profile: Record<string, unknown>;
}

export interface ScopeGrant {
  readonly id: string;
  readonly scopeId: string;
  readonly issuer: string;
  readonly created: number;
  readonly createdBy: { readonly id: string; readonly type: string };
}

/** Settings the mock reads; the rest of `settings.oauthClient` is kept and echoed as given. */
export interface OAuthClientSettings {
  readonly application_type: ApplicationType;
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris?: readonly string[];
  readonly consent_method: 'TRUSTED' | 'REQUIRED';
  readonly dpop_bound_access_tokens: boolean;
  readonly issuer_mode: string;
  readonly wildcard_redirect: string;
  readonly idp_initiated_login: Readonly<Record<string, unknown>>;
  readonly refresh_token?: { readonly rotation_type: 'ROTATE' | 'STATIC'; readonly leeway: number };
  readonly jwks?: JwkSet;
  readonly jwks_uri?: string;
  readonly [other: string]: unknown;
}

export interface OktaApp {
  readonly id: string;
  readonly name: 'oidc_client';
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  readonly created: number;
  lastUpdated: number;
  readonly clientId: string;
  readonly clientSecret?: string;
  authMethod: ClientAuthMethod;
  pkceRequired: boolean;
  oauthClient: OAuthClientSettings;
  profile?: Record<string, unknown>;
  groupsClaim?: GroupsClaim;
  readonly users: Map<string, AppUserAssignment>;
  readonly groups: Map<string, GroupAssignment>;
  readonly grants: Map<string, ScopeGrant>;
}

/**
 * A SAML 2.0 app instance — what the seed's SaaS apps with Universal Logout (Salesforce, Google Workspace,
 * Office 365) are in Okta. The lab creates them at `/_lab/saml-apps` (the Apps API here creates OIDC apps
 * only) and the Apps API lists and reads them (`SamlApplication`); every user has them (no assignments).
 */
export interface SamlApp {
  readonly id: string;
  /** The app's key (`name`): the OIN integration's (`salesforce`, `google`, `office365`) or a custom one. */
  readonly name: string;
  readonly label: string;
  readonly created: number;
}

export interface NewAppDeps {
  readonly now: () => number;
  readonly newId: (prefix: string) => string;
  readonly directory: Directory;
}

export class Applications {
  readonly #deps: NewAppDeps;
  readonly #apps = new Map<string, OktaApp>();
  readonly #saml = new Map<string, SamlApp>();

  constructor(deps: NewAppDeps) {
    this.#deps = deps;
  }

  /** Adds a SAML app instance (validated by the caller: universal-logout.ts). */
  addSaml(app: SamlApp): void {
    this.#saml.set(app.id, app);
  }

  /** The SAML app instance with this id. */
  saml(id: string): SamlApp | undefined {
    return this.#saml.get(id);
  }

  /** Every SAML app instance, in creation order. */
  samlApps(): SamlApp[] {
    return [...this.#saml.values()];
  }

  /** Every app, ordered by id. */
  list(): OktaApp[] {
    return [...this.#apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  get(id: string): OktaApp | undefined {
    return this.#apps.get(id);
  }

  byClientId(clientId: string): OktaApp | undefined {
    for (const app of this.#apps.values()) if (app.clientId === clientId) return app;
    return undefined;
  }

  /** `POST /api/v1/apps`: validates like Okta and creates an ACTIVE app (or INACTIVE with activate=false). */
  create(body: unknown, activate = true): OktaApp {
    const parsed = parseAppBody(body, undefined);
    const id = this.#deps.newId('0oa');
    const credentials = isObject(body) && isObject(body.credentials) ? body.credentials : {};
    const oauth = isObject(credentials.oauthClient) ? credentials.oauthClient : {};
    const requestedId = oauth.client_id;
    if (requestedId !== undefined) {
      if (typeof requestedId !== 'string' || !/^[\w.-]{1,100}$/.test(requestedId))
        throw validationFailed('client_id', 'client_id: must be 1–100 letters, digits, ".", "_" or "-"');
      if (this.byClientId(requestedId))
        throw validationFailed('client_id', `client_id: "${requestedId}" is already in use`);
    }
    const needsSecret = parsed.authMethod.startsWith('client_secret');
    const givenSecret = oauth.client_secret;
    if (givenSecret !== undefined && (typeof givenSecret !== 'string' || givenSecret.length < 14))
      throw validationFailed(
        'client_secret',
        "client_secret: 'client_secret' must be at least '14' characters long.",
      );
    if (givenSecret !== undefined && !needsSecret)
      throw validationFailed(
        'client_secret',
        `'client_secret' can't be used when 'token_endpoint_auth_method' is '${parsed.authMethod}'.`,
      );
    const now = this.#deps.now();
    const app: OktaApp = {
      id,
      name: 'oidc_client',
      label: parsed.label,
      status: activate ? 'ACTIVE' : 'INACTIVE',
      created: now,
      lastUpdated: now,
      // Okta gives an OIDC app's client the app's own id unless the request names one.
      clientId: typeof requestedId === 'string' ? requestedId : id,
      ...(needsSecret
        ? {
            clientSecret:
              typeof givenSecret === 'string' ? rememberIssuedSecret(givenSecret) : issuedSecret('', 48),
          }
        : {}),
      authMethod: parsed.authMethod,
      pkceRequired: parsed.pkceRequired,
      oauthClient: parsed.oauthClient,
      ...(parsed.profile ? { profile: parsed.profile } : {}),
      users: new Map(),
      groups: new Map(),
      grants: new Map(),
    };
    this.#apps.set(id, app);
    return app;
  }

  /** `PUT /api/v1/apps/{id}`: replaces label, settings and profile; the client id and secret stay. */
  replace(app: OktaApp, body: unknown): OktaApp {
    const parsed = parseAppBody(body, app);
    app.label = parsed.label;
    app.authMethod = parsed.authMethod;
    app.pkceRequired = parsed.pkceRequired;
    app.oauthClient = parsed.oauthClient;
    if (parsed.profile) app.profile = parsed.profile;
    else delete app.profile;
    app.lastUpdated = this.#deps.now();
    return app;
  }

  /**
   * A service app for the lab (`POST /_lab/service-apps`): client credentials with `private_key_jwt`, the
   * given public keys and scopes granted, DPoP required when asked — what an admin sets up in the Admin
   * Console for okta-sdk-nodejs's `PrivateKey` mode.
   */
  registerServiceApp(input: {
    readonly clientId?: string;
    readonly name?: string;
    readonly jwks: unknown;
    readonly scopes: readonly string[];
    readonly requireDPoP?: boolean;
    readonly issuer: string;
    readonly grantedBy: { readonly id: string; readonly type: string };
  }): OktaApp {
    const app = this.create({
      name: 'oidc_client',
      label: input.name ?? 'Lab service app',
      signOnMode: 'OPENID_CONNECT',
      credentials: {
        oauthClient: {
          token_endpoint_auth_method: 'private_key_jwt',
          ...(input.clientId === undefined ? {} : { client_id: input.clientId }),
        },
      },
      settings: {
        oauthClient: {
          application_type: 'service',
          grant_types: ['client_credentials'],
          response_types: ['token'],
          jwks: input.jwks,
          dpop_bound_access_tokens: input.requireDPoP ?? false,
        },
      },
    });
    try {
      for (const scope of input.scopes)
        this.grant(app, { scopeId: scope, issuer: input.issuer }, input.grantedBy);
    } catch (error) {
      this.#apps.delete(app.id);
      throw error;
    }
    return app;
  }

  /** `POST /api/v1/apps/{id}/grants`: an Okta API scope for client credentials (the org is the issuer). */
  grant(
    app: OktaApp,
    body: unknown,
    createdBy: { readonly id: string; readonly type: string },
    orgUrl?: string,
  ): ScopeGrant {
    if (!isObject(body)) throw validationFailed('body', 'the grant must be a JSON object');
    const { scopeId, issuer } = body;
    if (typeof issuer !== 'string' || issuer === '')
      throw validationFailed('issuer', 'issuer: The field cannot be left blank');
    if (orgUrl !== undefined && issuer.replace(/\/+$/, '') !== orgUrl)
      throw validationFailed('issuer', `issuer: must be the org authorization server, ${orgUrl}`);
    if (typeof scopeId !== 'string' || !OKTA_SCOPE.test(scopeId))
      throw validationFailed('scopeId', `scopeId: ${JSON.stringify(scopeId)} is not an Okta API scope`);
    const existing = [...app.grants.values()].find((g) => g.scopeId === scopeId);
    if (existing) return existing;
    const grant: ScopeGrant = {
      id: this.#deps.newId('oag'),
      scopeId,
      issuer: issuer.replace(/\/+$/, ''),
      created: this.#deps.now(),
      createdBy,
    };
    app.grants.set(grant.id, grant);
    return grant;
  }

  grantedScopes(app: OktaApp): Set<string> {
    return new Set([...app.grants.values()].map((g) => g.scopeId));
  }

  assignUser(app: OktaApp, userId: string, profile: Record<string, unknown>): AppUserAssignment {
    const now = this.#deps.now();
    const current = app.users.get(userId);
    if (current) {
      current.profile = profile;
      current.lastUpdated = now;
      return current;
    }
    const assignment: AppUserAssignment = { userId, created: now, lastUpdated: now, profile };
    app.users.set(userId, assignment);
    return assignment;
  }

  assignGroup(
    app: OktaApp,
    groupId: string,
    priority: number,
    profile: Record<string, unknown>,
  ): GroupAssignment {
    const assignment: GroupAssignment = { groupId, lastUpdated: this.#deps.now(), priority, profile };
    app.groups.set(groupId, assignment);
    return assignment;
  }

  /** Whether the user may use the app: assigned directly or through one of their groups. */
  isAssigned(app: OktaApp, userId: string): boolean {
    if (app.users.has(userId)) return true;
    return this.#deps.directory.groupsOf(userId).some((g) => app.groups.has(g.id));
  }

  /** The app's users: direct assignments (scope USER) and members of assigned groups (scope GROUP). */
  appUsers(
    app: OktaApp,
  ): { readonly userId: string; readonly scope: 'USER' | 'GROUP'; readonly since: number }[] {
    const out = new Map<string, { userId: string; scope: 'USER' | 'GROUP'; since: number }>();
    for (const a of app.users.values())
      out.set(a.userId, { userId: a.userId, scope: 'USER', since: a.created });
    for (const g of app.groups.values()) {
      const group = this.#deps.directory.group(g.groupId);
      for (const userId of group?.members ?? []) {
        if (!out.has(userId)) out.set(userId, { userId, scope: 'GROUP', since: g.lastUpdated });
      }
    }
    return [...out.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }

  /** Sets the ID token's groups claim (the Admin Console's "Groups claim filter"). */
  setGroupsClaim(app: OktaApp, body: unknown): GroupsClaim {
    if (!isObject(body)) throw validationFailed('body', 'the groups claim must be a JSON object');
    const valueType = body.valueType ?? 'GROUPS';
    const filterType = body.groupFilterType ?? 'REGEX';
    const name = body.name ?? 'groups';
    const value = body.value;
    if (valueType !== 'GROUPS')
      throw validationFailed('valueType', 'valueType: the lab implements the GROUPS (filter) claim type');
    if (
      filterType !== 'REGEX' &&
      filterType !== 'STARTS_WITH' &&
      filterType !== 'EQUALS' &&
      filterType !== 'CONTAINS'
    )
      throw validationFailed(
        'groupFilterType',
        'groupFilterType: must be REGEX, STARTS_WITH, EQUALS or CONTAINS',
      );
    if (typeof name !== 'string' || !/^[A-Za-z_][\w-]{0,99}$/.test(name))
      throw validationFailed('name', 'name: must be a claim name');
    if (typeof value !== 'string' || value === '')
      throw validationFailed('value', 'value: The field cannot be left blank');
    if (filterType === 'REGEX') {
      try {
        new RegExp(value);
      } catch {
        throw validationFailed('value', `value: ${JSON.stringify(value)} is not a valid regular expression`);
      }
    }
    const claim: GroupsClaim = {
      valueType: 'GROUPS',
      groupFilterType: filterType,
      name,
      value,
      issuerMode: typeof body.issuerMode === 'string' ? body.issuerMode : app.oauthClient.issuer_mode,
    };
    app.groupsClaim = claim;
    app.lastUpdated = this.#deps.now();
    return claim;
  }

  /** The group names the user's ID token carries, filtered by the app's groups claim (Okta: "Matches regex" is a full match). */
  groupsClaimValues(app: OktaApp, userId: string): string[] | undefined {
    const claim = app.groupsClaim;
    if (!claim) return undefined;
    const names = this.#deps.directory.groupsOf(userId).map((g) => g.name);
    const v = claim.value;
    switch (claim.groupFilterType) {
      case 'REGEX': {
        const re = new RegExp(`^(?:${v})$`);
        return names.filter((n) => re.test(n));
      }
      case 'STARTS_WITH':
        return names.filter((n) => n.startsWith(v));
      case 'EQUALS':
        return names.filter((n) => n === v);
      default:
        return names.filter((n) => n.includes(v));
    }
  }
}
