/**
 * The seed's whole configuration, each step through a service's public API — what an admin does in the
 * consoles of Okta, Jamf Security Cloud and Jamf Pro to connect them:
 *
 *  1. Okta: the OIDC native app for Jamf Trust (refresh tokens, Jamf Trust's redirect URI, a groups claim
 *     "Matches regex .*", no consent prompt), assigned to Everyone.
 *  2. JSC: the Okta identity provider ("Test and Save" runs OIDC discovery).
 *  3. JSC: UEM Connect to Jamf Pro (OAuth client credentials; the first sync joins devices by UDID).
 *  4. Jamf Pro + JSC: Device Risk UEM Signaling — the risk extension attribute, smart groups of High-risk
 *     computers and of High-risk mobile devices on it, and signalling switched on in JSC.
 *  5. JSC + Jamf Pro: an activation profile authenticated by the identity provider, with an expiry,
 *     deployed through Jamf Pro, and the Jamf Trust app for macOS and iOS, installed automatically.
 *  6. JSC: the threat prevention policy with the Signal-UEM tags, a Mobile tag and a Computer tag.
 *  7. JSC: the SSF stream to the Okta org (RISK_LEVEL_CHANGED only, the risk signal Okta's policy acts on;
 *     no authorization header).
 *  8. Okta: the security events provider for JSC, from its well-known URL.
 *  9. Okta: the SaaS apps with Universal Logout (Salesforce, Google Workspace; Office 365 partial).
 * 10. Okta: the Entity Risk Policy rule — High → Logout and Revoke Tokens, Universal Logout to the apps.
 *
 * Then people start working: each device activates Jamf Trust (the user signs in through Okta, which
 * binds the user to the device in JSC and opens an Okta session), and each user signs in to the SaaS apps
 * (fleet-activation.ts: beyond the first 20 devices, in bulk, as a deployment through the UEM does it).
 */
import { type AppKind, DEFAULT_GTR_PATH } from '../../mocks/apps/index.ts';
import { jamfProOf } from '../../mocks/jamf-pro/index.ts';
import {
  JAMF_TRUST_POST_LOGOUT_REDIRECT_URI,
  JAMF_TRUST_REDIRECT_URI,
} from '../../mocks/jamf-security-cloud/index.ts';
import { type ApiAnswer, apiCall, type CallOptions, field, StepFailedError } from './api-call.ts';
import { activateFleet } from './fleet-activation.ts';
import { isLabAdminPath } from './lab-admin.ts';
import { APP_KINDS_IN_LAB, type Lab } from './start-lab.ts';

export const RISK_ATTRIBUTE = 'JSC Risk Level';
export const HIGH_RISK_GROUP = 'JSC High Risk';
/** The mobile twin of HIGH_RISK_GROUP: a smart group of mobile devices on the same risk attribute. */
export const MOBILE_HIGH_RISK_GROUP = 'JSC High Risk Mobile';
/** The Signal-UEM tags of the seed's threat prevention policy: one for mobile devices, one for computers. */
export const UEM_TAGS = { mobile: 'JSC Threat Mobile', computer: 'JSC Threat Computer' } as const;
/** The name the seed gives JSC's identity-provider connection to the Okta org. */
export const IDP_CONNECTION_NAME = 'Okta';
/** How long the seed's activation profile activates devices (a lab choice: one year). */
export const ACTIVATION_PROFILE_VALIDITY_MS = 365 * 86_400_000;
/** How the Jamf Trust app is distributed (Jamf Pro's Classic `deployment_type`). */
export const JAMF_TRUST_DISTRIBUTION = 'Install Automatically/Prompt Users to Install';
/** The OIN app keys (`name`) of the SaaS apps in Okta's Apps API. */
const OKTA_APP_NAMES: Readonly<Record<AppKind, string>> = {
  salesforce: 'salesforce',
  'google-workspace': 'google',
  office365: 'office365',
};
export const RULE_NAME = 'High risk: Logout and Revoke Tokens';

/** What the set-up created, by service (ids only; no secrets). */
export interface SeedConfiguration {
  readonly okta: {
    readonly jamfTrustAppId: string;
    readonly providerId: string;
    readonly policyId: string;
    readonly ruleId: string;
    /** Okta app instance ids of the SaaS apps. */
    readonly apps: Readonly<Record<AppKind, string>>;
  };
  readonly jsc: {
    readonly identityProviderId: string;
    readonly connectorId: string;
    readonly activationProfileId: string;
    readonly streamId: string;
  };
  readonly jamfPro: {
    readonly riskAttributeId: string;
    readonly highRiskGroupId: string;
    readonly mobileRiskAttributeId: string;
    readonly mobileHighRiskGroupId: string;
  };
  /** Devices activated (by UDID) and the users signed in to the apps (by email). */
  readonly activated: readonly string[];
  readonly signedIn: readonly string[];
}

export interface SeedOptions {
  /** Devices to activate Jamf Trust on, by UDID (default every device of the fleet; `[]` for none). */
  readonly activate?: readonly string[];
  /** Sign the activated devices' users in to every SaaS app (default true). */
  readonly signInToApps?: boolean;
  /** Called as each step starts (a live printer, the scenario timeline). */
  readonly onStep?: (step: string) => void;
}

/** Universal Logout per app, as the seed sets it: partial support for Office 365 only. */
const PARTIAL: Readonly<Record<AppKind, boolean>> = {
  salesforce: false,
  'google-workspace': false,
  office365: true,
};

interface Clients {
  okta(step: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  jsc(step: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  jamfPro(step: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
}

async function clientsFor(lab: Lab): Promise<Clients> {
  const f = lab.fetch;
  const app = lab.jsc.apps[0];
  const client = jamfProOf(lab.jamfPro).credentials.clients[0];
  if (!app || !client)
    throw new StepFailedError('set-up', 'the lab has no JSC application or Jamf Pro client');
  const login = await apiCall(f, 'jsc: Radar API login', `${lab.urls.jamfSecurityCloud}/v1/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}` },
  });
  const radar = field(login, 'jsc: Radar API login', 'token');
  const token = await apiCall(f, 'jamf-pro: OAuth token', `${lab.urls.jamfPro}/api/oauth/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    },
  });
  const jamfToken = field(token, 'jamf-pro: OAuth token', 'access_token');
  // A lab control takes the lab admin token (lab.fetch adds it), not the service's credential.
  const withAuth = (path: string, authorization: string, options: CallOptions = {}): CallOptions =>
    isLabAdminPath(path) ? options : { ...options, headers: { authorization, ...options.headers } };
  return {
    okta: (step, path, options) =>
      apiCall(f, step, `${lab.urls.okta}${path}`, withAuth(path, `SSWS ${lab.okta.apiToken}`, options)),
    jsc: (step, path, options) =>
      apiCall(f, step, `${lab.urls.jamfSecurityCloud}${path}`, withAuth(path, `Bearer ${radar}`, options)),
    jamfPro: (step, path, options) =>
      apiCall(f, step, `${lab.urls.jamfPro}${path}`, withAuth(path, `Bearer ${jamfToken}`, options)),
  };
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Runs the seed's configuration and the users' first sign-ins; throws a StepFailedError naming the step. */
export async function configureSeed(lab: Lab, options: SeedOptions = {}): Promise<SeedConfiguration> {
  const on = options.onStep ?? (() => undefined);
  const api = await clientsFor(lab);

  let step = 'okta: Jamf Trust OIDC app';
  on(step);
  const trustApp = await api.okta(step, '/api/v1/apps', {
    json: {
      name: 'oidc_client',
      label: 'Jamf Trust',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'none' } },
      settings: {
        oauthClient: {
          application_type: 'native',
          redirect_uris: [JAMF_TRUST_REDIRECT_URI],
          post_logout_redirect_uris: [JAMF_TRUST_POST_LOGOUT_REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          consent_method: 'TRUSTED',
        },
      },
    },
  });
  const jamfTrustAppId = field(trustApp, step, 'id');
  const jamfTrustClientId = field(trustApp, step, 'credentials', 'oauthClient', 'client_id');
  await api.okta(step, `/api/v1/internal/apps/${jamfTrustAppId}/settings/oauth/idToken`, {
    json: { valueType: 'GROUPS', groupFilterType: 'REGEX', name: 'groups', value: '.*' },
  });
  const everyone = await api.okta(step, `/api/v1/groups?q=Everyone`);
  const everyoneId = field(everyone, step, 0, 'id');
  await api.okta(step, `/api/v1/apps/${jamfTrustAppId}/groups/${everyoneId}`, { method: 'PUT', json: {} });

  step = 'jsc: Okta identity provider';
  on(step);
  const idp = await api.jsc(step, '/v1/identity-providers', {
    json: { type: 'OKTA', name: IDP_CONNECTION_NAME, domain: lab.urls.okta, clientId: jamfTrustClientId },
  });
  const identityProviderId = field(idp, step, 'id');

  step = 'jsc: UEM Connect to Jamf Pro';
  on(step);
  const client = jamfProOf(lab.jamfPro).credentials.clients[0];
  const connector = await api.jsc(step, '/uem-connect/v1/connectors', {
    json: {
      vendor: 'JAMF_PRO',
      url: lab.urls.jamfPro,
      authStrategy: 'JAMF_PRO_OAUTH',
      deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
    },
  });
  const connectorId = field(connector, step, 'id');

  step = 'jamf-pro + jsc: Device Risk UEM Signaling';
  on(step);
  const attribute = await api.jamfPro(step, '/api/v1/computer-extension-attributes', {
    json: { name: RISK_ATTRIBUTE, dataType: 'STRING', inputType: 'TEXT', enabled: true },
  });
  const riskAttributeId = field(attribute, step, 'id');
  const group = await api.jamfPro(step, '/api/v2/computer-groups/smart-groups', {
    json: {
      name: HIGH_RISK_GROUP,
      criteria: [{ name: RISK_ATTRIBUTE, priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
    },
  });
  const highRiskGroupId = field(group, step, 'id');
  // The same for mobile devices: JSC writes the risk to the mobile attribute of the same name.
  const mobileAttribute = await api.jamfPro(step, '/api/v1/mobile-device-extension-attributes', {
    json: { name: RISK_ATTRIBUTE, dataType: 'STRING', inputType: 'TEXT' },
  });
  const mobileRiskAttributeId = field(mobileAttribute, step, 'id');
  const mobileGroup = await api.jamfPro(step, '/api/v1/mobile-device-groups/smart-groups', {
    json: {
      groupName: MOBILE_HIGH_RISK_GROUP,
      criteria: [{ name: RISK_ATTRIBUTE, priority: 0, andOr: 'and', searchType: 'is', value: 'High' }],
    },
  });
  const mobileHighRiskGroupId = field(mobileGroup, step, 'id');
  const current = await api.jsc(step, '/threat-prevention/v1/policy');
  await api.jsc(step, '/threat-prevention/v1/policy', {
    method: 'PUT',
    json: { ...(current.body as object), uemSignaling: { enabled: true, riskAttribute: RISK_ATTRIBUTE } },
  });

  step = 'jsc + jamf-pro: activation profile, deployment and the Jamf Trust app';
  on(step);
  const profile = await api.jsc(step, '/v1/activation-profiles', {
    json: {
      name: 'Corporate devices',
      platforms: ['MAC_OS', 'IOS'],
      capabilities: { networkSecurity: true, threatPrevention: true },
      identityProviderId,
      expirationDate: new Date(lab.okta.org.now() + ACTIVATION_PROFILE_VALIDITY_MS).toISOString(),
    },
  });
  const activationProfileId = field(profile, step, 'id');
  await api.jsc(step, `/uem-connect/v1/connectors/${connectorId}/deployments`, {
    json: { activationProfileId },
  });
  const name = xmlEscape('Jamf Trust');
  const distribution = xmlEscape(JAMF_TRUST_DISTRIBUTION);
  await api.jamfPro(step, '/JSSResource/macapplications/id/0', {
    headers: { 'content-type': 'application/xml' },
    body: `<mac_application><general><name>${name}</name><bundle_id>com.jamf.trust</bundle_id><deployment_type>${distribution}</deployment_type></general><scope><all_computers>true</all_computers></scope></mac_application>`,
  });
  await api.jamfPro(step, '/JSSResource/mobiledeviceapplications/id/0', {
    headers: { 'content-type': 'application/xml' },
    body: `<mobile_device_application><general><name>${name}</name><bundle_id>com.jamf.trust</bundle_id><deployment_type>${distribution}</deployment_type></general><scope><all_mobile_devices>true</all_mobile_devices></scope></mobile_device_application>`,
  });

  step = 'jsc: threat prevention policy with Signal-UEM tags';
  on(step);
  const policy = (await api.jsc(step, '/threat-prevention/v1/policy')).body as {
    categories: Record<string, { severity: string; uemTag?: string }>;
    uemSignaling: unknown;
  };
  // Every category's Signal-UEM action tags the device with the seed's tag for its kind.
  const categories = Object.fromEntries(
    Object.entries(policy.categories).map(([category, { uemTag: _one, ...c }]) => [
      category,
      { ...c, uemTags: { ...UEM_TAGS } },
    ]),
  );
  await api.jsc(step, '/threat-prevention/v1/policy', { method: 'PUT', json: { ...policy, categories } });

  step = 'jsc: SSF stream to Okta';
  on(step);
  const stream = await api.jsc(step, '/sse/v1/stream', {
    json: {
      audience: lab.urls.okta,
      endpointUrl: `${lab.urls.okta}/security/api/v1/security-events`,
      events: ['RISK_LEVEL_CHANGED'],
    },
  });
  const streamId = field(stream, step, 'streamId');

  step = 'okta: security events provider for Jamf Security Cloud';
  on(step);
  // SSF discovery needs https (SSF-7.1); the loopback lab has none, so there the provider is registered
  // with Okta's other documented form, the issuer and its JWKS URL.
  const issuerPath = new URL(lab.jsc.issuer).pathname;
  const settings = lab.urls.jamfSecurityCloud.startsWith('https:')
    ? { well_known_url: `${lab.urls.jamfSecurityCloud}/.well-known/ssf-configuration${issuerPath}` }
    : { issuer: lab.jsc.issuer, jwks_url: `${lab.jsc.issuer}/ssf/jwks.json` };
  const provider = await api.okta(step, '/api/v1/security-events-providers', {
    json: { name: 'Jamf Security Cloud', type: 'Jamf', settings },
  });
  const providerId = field(provider, step, 'id');

  step = 'okta: SaaS apps with Universal Logout';
  on(step);
  const apps = {} as Record<AppKind, string>;
  for (const kind of APP_KINDS_IN_LAB) {
    const mock = lab.apps[kind];
    // The app's side already trusts this Okta app instance id (the JWT `sub` it expects).
    const saml = await api.okta(step, '/_lab/saml-apps', {
      json: { label: mock.label, id: mock.clientId, name: OKTA_APP_NAMES[kind] },
    });
    const appId = field(saml, step, 'id');
    await api.okta(step, `/_lab/apps/${appId}/universal-logout`, {
      method: 'PUT',
      json: {
        endpoint: `${lab.urls.apps[kind]}${DEFAULT_GTR_PATH}`,
        subjectFormat: mock.subjectFormat === 'iss_sub' ? 'ISS_SUB' : 'EMAIL',
        partialSupport: PARTIAL[kind],
        authenticationMethod: 'SIGNED_JWT',
      },
    });
    apps[kind] = appId;
  }

  step = 'okta: Entity Risk Policy rule';
  on(step);
  const policies = await api.okta(step, '/api/v1/policies?type=ENTITY_RISK');
  const policyId = field(policies, step, 0, 'id');
  const rule = await api.okta(step, `/api/v1/policies/${policyId}/rules`, {
    json: {
      type: 'ENTITY_RISK',
      name: RULE_NAME,
      priority: 0,
      conditions: {
        riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'] },
        entityRisk: { level: 'HIGH' },
      },
      actions: {
        entityRisk: {
          actions: [
            {
              action: 'TERMINATE_ALL_SESSIONS',
              slo: { appSelectionMode: 'SPECIFIC', appInstanceIds: APP_KINDS_IN_LAB.map((k) => apps[k]) },
            },
          ],
        },
      },
    },
  });
  const ruleId = field(rule, step, 'id');

  const { activated, signedIn } = await activateFleet(lab, api.okta, activationProfileId, {
    ...(options.activate === undefined ? {} : { activate: options.activate }),
    ...(options.signInToApps === undefined ? {} : { signInToApps: options.signInToApps }),
    onStep: on,
  });

  return {
    okta: { jamfTrustAppId, providerId, policyId, ruleId, apps },
    jsc: { identityProviderId, connectorId, activationProfileId, streamId },
    jamfPro: { riskAttributeId, highRiskGroupId, mobileRiskAttributeId, mobileHighRiskGroupId },
    activated,
    signedIn,
  };
}
