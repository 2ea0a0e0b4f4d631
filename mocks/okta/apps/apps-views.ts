/**
 * The Apps API's JSON: Okta's `OpenIdConnectApplication`, `AppUser`, `ApplicationGroupAssignment` and
 * `OAuth2ScopeConsentGrant` objects (management-minimal.yaml), with absolute `_links` under the org URL.
 * Values Okta's schemas type as strings are omitted rather than sent as null (the contract test holds them
 * to the schemas).
 */
import type { GroupAssignment, OktaApp, SamlApp, ScopeGrant } from './apps.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Okta's `OpenIdConnectApplication` as the Apps API returns it. */
export function appView(app: OktaApp, orgUrl: string, signingKid: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/apps/${app.id}`;
  return {
    id: app.id,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: iso(app.lastUpdated),
    created: iso(app.created),
    accessibility: { selfService: false },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      hide: { iOS: true, web: true },
      appLinks: { oidc_client_link: true },
    },
    features: [],
    signOnMode: 'OPENID_CONNECT',
    credentials: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's username template is this literal text.
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      signing: { kid: signingKid },
      oauthClient: {
        autoKeyRotation: true,
        client_id: app.clientId,
        ...(app.clientSecret === undefined ? {} : { client_secret: app.clientSecret }),
        token_endpoint_auth_method: app.authMethod,
        pkce_required: app.pkceRequired,
      },
    },
    settings: {
      app: {},
      implicitAssignment: false,
      manualProvisioning: false,
      oauthClient: { ...app.oauthClient },
    },
    ...(app.profile ? { profile: app.profile } : {}),
    _links: {
      appLinks: [
        {
          name: 'oidc_client_link',
          href: `${orgUrl}/home/oidc_client/${app.id}/aln1aqcs055ZRoizW0g8`,
          type: 'text/html',
        },
      ],
      groups: { href: `${self}/groups` },
      logo: [{ name: 'medium', href: `${orgUrl}/assets/img/logos/default.png`, type: 'image/png' }],
      users: { href: `${self}/users` },
      self: { href: self },
      ...(app.status === 'ACTIVE'
        ? { deactivate: { href: `${self}/lifecycle/deactivate` } }
        : { activate: { href: `${self}/lifecycle/activate` } }),
    },
  };
}

/**
 * Okta's `SamlApplication` for a lab SAML app instance: always ACTIVE, SAML 2.0 sign-on. Only what the lab
 * knows is filled in; Okta's SAML sign-on settings (ACS URL, audience, attribute statements) are not
 * modelled, so `settings.signOn` holds only the flags Okta's schema requires.
 */
export function samlAppView(app: SamlApp, orgUrl: string, signingKid: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/apps/${app.id}`;
  return {
    id: app.id,
    name: app.name,
    label: app.label,
    status: 'ACTIVE',
    lastUpdated: iso(app.created),
    created: iso(app.created),
    accessibility: { selfService: false },
    visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: false, web: false } },
    features: [],
    signOnMode: 'SAML_2_0',
    credentials: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Okta's username template is this literal text.
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      signing: { kid: signingKid },
    },
    settings: {
      app: {},
      implicitAssignment: false,
      manualProvisioning: false,
      // Okta's required sign-on flags, at Okta's defaults; the rest of SAML sign-on is not modelled.
      signOn: {
        allowMultipleAcsEndpoints: false,
        assertionSigned: true,
        honorForceAuthn: true,
        requestCompressed: false,
        responseSigned: true,
      },
    },
    _links: {
      logo: [{ name: 'medium', href: `${orgUrl}/assets/img/logos/default.png`, type: 'image/png' }],
      metadata: { href: `${self}/sso/saml/metadata`, type: 'application/xml' },
      users: { href: `${self}/users` },
      groups: { href: `${self}/groups` },
      self: { href: self },
      deactivate: { href: `${self}/lifecycle/deactivate` },
    },
  };
}

/** Okta's `AppUser`. */
export function appUserView(
  app: OktaApp,
  user: { readonly id: string; readonly profile: { readonly login: string } },
  entry: { readonly scope: 'USER' | 'GROUP'; readonly since: number },
  orgUrl: string,
): Record<string, unknown> {
  const assignment = app.users.get(user.id);
  return {
    id: user.id,
    created: iso(assignment?.created ?? entry.since),
    lastUpdated: iso(assignment?.lastUpdated ?? entry.since),
    scope: entry.scope,
    status: 'ACTIVE',
    statusChanged: iso(assignment?.created ?? entry.since),
    passwordChanged: null,
    syncState: 'DISABLED',
    credentials: { userName: user.profile.login },
    profile: assignment?.profile ?? {},
    _links: {
      app: { href: `${orgUrl}/api/v1/apps/${app.id}` },
      user: { href: `${orgUrl}/api/v1/users/${user.id}` },
    },
  };
}

/** Okta's `ApplicationGroupAssignment`. */
export function groupAssignmentView(
  app: OktaApp,
  a: GroupAssignment,
  orgUrl: string,
): Record<string, unknown> {
  return {
    id: a.groupId,
    lastUpdated: iso(a.lastUpdated),
    priority: a.priority,
    profile: a.profile,
    _links: {
      app: { href: `${orgUrl}/api/v1/apps/${app.id}` },
      self: { href: `${orgUrl}/api/v1/apps/${app.id}/groups/${a.groupId}` },
      group: { href: `${orgUrl}/api/v1/groups/${a.groupId}` },
    },
  };
}

/** Okta's `OAuth2ScopeConsentGrant`. */
export function grantView(app: OktaApp, g: ScopeGrant, orgUrl: string): Record<string, unknown> {
  return {
    id: g.id,
    status: 'ACTIVE',
    created: iso(g.created),
    lastUpdated: iso(g.created),
    createdBy: g.createdBy,
    issuer: g.issuer,
    clientId: app.clientId,
    scopeId: g.scopeId,
    source: 'ADMIN',
    _embedded: { scope: { id: g.scopeId } },
    _links: {
      app: { href: `${orgUrl}/api/v1/apps/${app.id}` },
      self: { href: `${orgUrl}/api/v1/apps/${app.id}/grants/${g.id}` },
      client: { href: `${orgUrl}/oauth2/v1/clients/${app.clientId}` },
    },
  };
}
