/**
 * The Okta mock's exercise of every operation it takes from Okta's published descriptions, shared by the
 * contract test (answers against Okta's own schemas) and the route-contract test (answers against the
 * routes' declared schemas): one walk through users, groups, apps, grants, tokens, sessions, the System
 * Log, the ENTITY_RISK policy, security events providers, SETs and the User Risk API.
 */
import Fastify from 'fastify';
import { publicJwks, type SigningKey, signSet } from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { buildOktaMock, OKTA_LAB_PASSWORD, type OktaMock, riskEngineOf } from './index.ts';
import {
  api,
  clientAssertion,
  createJamfTrustApp,
  injectFetch,
  type KeyPair,
  registerServiceApp,
  signIn,
  tokenRequest,
} from './okta.testing.ts';

/** The transmitter the SET operations are exercised with. */
export const TRANSMITTER = 'https://transmitter.lab';

export interface Exchange {
  readonly operationId: string;
  readonly status: number;
  readonly body: unknown;
}

/** An outbound fetch reaching a transmitter with SSF metadata and a JWKS of `signingKey`. */
export function transmitterFetch(signingKey: SigningKey): typeof fetch {
  const transmitter = Fastify();
  transmitter.get('/.well-known/ssf-configuration/t1', async () => ({
    issuer: `${TRANSMITTER}/t1`,
    jwks_uri: `${TRANSMITTER}/jwks`,
  }));
  transmitter.get('/jwks', async () => publicJwks(signingKey));
  return createInjectFetch(new Map([[TRANSMITTER, transmitter]]));
}

/**
 * Runs every operation the mock takes from Okta's descriptions through HTTP — successes and the main
 * errors — recording status and body per operationId. `okta` must fetch through `transmitterFetch`.
 */
export async function exerciseOktaOperations(
  okta: OktaMock,
  signingKey: SigningKey,
  key: KeyPair,
): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const record = async (operationId: string, response: Promise<{ statusCode: number; body: string }>) => {
    const r = await response;
    exchanges.push({
      operationId,
      status: r.statusCode,
      body: r.body === '' ? undefined : JSON.parse(r.body),
    });
    return r.body === '' ? undefined : JSON.parse(r.body);
  };

  const users = await record('listUsers', api(okta, 'GET', '/api/v1/users?limit=3'));
  const user = users[0];
  await record('getUser', api(okta, 'GET', `/api/v1/users/${user.id}`));
  await record('getUser', api(okta, 'GET', '/api/v1/users/nobody'));
  await record('listUserGroups', api(okta, 'GET', `/api/v1/users/${user.id}/groups`));
  const groups = await record('listGroups', api(okta, 'GET', '/api/v1/groups?expand=stats'));
  await record('getGroup', api(okta, 'GET', `/api/v1/groups/${groups[0].id}`));
  await record('getGroup', api(okta, 'GET', '/api/v1/groups/00gnone'));
  await record('listGroupUsers', api(okta, 'GET', `/api/v1/groups/${groups[0].id}/users`));

  const app = await createJamfTrustApp(okta, { groupsRegex: '.*' });
  const web = await record(
    'createApplication',
    api(okta, 'POST', '/api/v1/apps', {
      name: 'oidc_client',
      label: 'Portal',
      signOnMode: 'OPENID_CONNECT',
      settings: {
        oauthClient: {
          application_type: 'web',
          grant_types: ['authorization_code'],
          redirect_uris: ['https://portal.example/cb'],
        },
      },
    }),
  );
  await record('createApplication', api(okta, 'POST', '/api/v1/apps', { name: 'oidc_client' }));
  await record('listApplications', api(okta, 'GET', '/api/v1/apps'));
  await record('getApplication', api(okta, 'GET', `/api/v1/apps/${app.id}`));
  await record('getApplication', api(okta, 'GET', '/api/v1/apps/0oanone'));
  const current = (await api(okta, 'GET', `/api/v1/apps/${web.id}`)).json();
  await record(
    'replaceApplication',
    api(okta, 'PUT', `/api/v1/apps/${web.id}`, { ...current, label: 'Portal 2' }),
  );
  await record('deactivateApplication', api(okta, 'POST', `/api/v1/apps/${web.id}/lifecycle/deactivate`));
  await record('activateApplication', api(okta, 'POST', `/api/v1/apps/${web.id}/lifecycle/activate`));
  await record('assignUserToApplication', api(okta, 'POST', `/api/v1/apps/${web.id}/users`, { id: user.id }));
  await record('listApplicationUsers', api(okta, 'GET', `/api/v1/apps/${app.id}/users`));
  await record('getApplicationUser', api(okta, 'GET', `/api/v1/apps/${web.id}/users/${user.id}`));
  await record('unassignUserFromApplication', api(okta, 'DELETE', `/api/v1/apps/${web.id}/users/${user.id}`));
  await record(
    'assignGroupToApplication',
    api(okta, 'PUT', `/api/v1/apps/${web.id}/groups/${groups[0].id}`, {}),
  );
  await record('listApplicationGroupAssignments', api(okta, 'GET', `/api/v1/apps/${web.id}/groups`));
  await record(
    'getApplicationGroupAssignment',
    api(okta, 'GET', `/api/v1/apps/${web.id}/groups/${groups[0].id}`),
  );
  await record(
    'unassignApplicationFromGroup',
    api(okta, 'DELETE', `/api/v1/apps/${web.id}/groups/${groups[0].id}`),
  );

  const clientId = await registerServiceApp(okta, key, ['okta.users.read']);
  const service = okta.org.apps.byClientId(clientId);
  const grant = await record(
    'grantConsentToScope',
    api(okta, 'POST', `/api/v1/apps/${service?.id}/grants`, {
      issuer: okta.org.url,
      scopeId: 'okta.logs.read',
    }),
  );
  await record('listScopeConsentGrants', api(okta, 'GET', `/api/v1/apps/${service?.id}/grants`));
  await record('getScopeConsentGrant', api(okta, 'GET', `/api/v1/apps/${service?.id}/grants/${grant.id}`));

  const tokenUrl = `${okta.org.url}/oauth2/v1/token`;
  const assertion = await clientAssertion(key, clientId, tokenUrl);
  const form = {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  };
  const token = await record(
    'token',
    tokenRequest(okta, { ...form, scope: 'okta.users.read', client_assertion: assertion }),
  );
  await record(
    'token',
    tokenRequest(okta, { ...form, scope: 'okta.users.read', client_assertion: assertion }),
  );
  await record(
    'token',
    tokenRequest(okta, {
      ...form,
      scope: 'okta.apps.read',
      client_assertion: await clientAssertion(key, clientId, tokenUrl),
    }),
  );
  await record('listGroups', api(okta, 'GET', '/api/v1/groups', undefined, `Bearer ${token.access_token}`));
  await record(
    'revokeScopeConsentGrant',
    api(okta, 'DELETE', `/api/v1/apps/${service?.id}/grants/${grant.id}`),
  );

  const { tokens } = await signIn(
    injectFetch(okta),
    okta.org.url,
    app.clientId,
    user.profile.login,
    OKTA_LAB_PASSWORD,
  );
  exchanges.push({ operationId: 'token', status: 200, body: tokens });
  // OIDC Core §5.3: the user's claims for the access token; none without one.
  await record(
    'userinfo',
    api(okta, 'GET', '/oauth2/v1/userinfo', undefined, `Bearer ${String(tokens.access_token)}`),
  );
  await record('userinfo', api(okta, 'GET', '/oauth2/v1/userinfo', undefined, 'Bearer not-a-token'));
  const [session] = (await okta.app.inject({ method: 'GET', url: '/_lab/sessions' })).json();
  await record('getSession', api(okta, 'GET', `/api/v1/sessions/${session.id}`));
  await record('revokeSession', api(okta, 'DELETE', `/api/v1/sessions/${session.id}`));
  await record(
    'revokeUserSessions',
    api(okta, 'DELETE', `/api/v1/users/${user.id}/sessions?oauthTokens=true`),
  );
  await record('listLogEvents', api(okta, 'GET', '/api/v1/logs?limit=50'));
  await record('listLogEvents', api(okta, 'GET', '/api/v1/logs?since=yesterday'));
  await record('getWellKnownOpenIDConfiguration', api(okta, 'GET', '/.well-known/openid-configuration'));
  await record('oauthKeys', api(okta, 'GET', '/oauth2/v1/keys'));
  const sessionToken = (
    await okta.app.inject({
      method: 'POST',
      url: '/api/v1/authn',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: user.profile.login, password: OKTA_LAB_PASSWORD }),
    })
  ).json().sessionToken;
  const query = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: 'com.jamf.trust:/oauth2/callback',
    state: 's',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    sessionToken,
  });
  const authorize = await okta.app.inject({ method: 'GET', url: `/oauth2/v1/authorize?${query}` });
  exchanges.push({ operationId: 'authorize', status: authorize.statusCode, body: undefined });

  // The ENTITY_RISK policy and its rules (part B2).
  const [policy] = await record('listPolicies', api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK'));
  await record('getPolicy', api(okta, 'GET', `/api/v1/policies/${policy.id}`));
  await record('getPolicy', api(okta, 'GET', '/api/v1/policies/rstnone'));
  await record(
    'replacePolicy',
    api(okta, 'PUT', `/api/v1/policies/${policy.id}`, { ...policy, description: 'Lab' }),
  );
  await record(
    'createPolicy',
    api(okta, 'POST', '/api/v1/policies', { type: 'ENTITY_RISK', name: 'Another' }),
  );
  await record('deletePolicy', api(okta, 'DELETE', `/api/v1/policies/${policy.id}`));
  const rules = `/api/v1/policies/${policy.id}/rules`;
  const [catchAll] = await record('listPolicyRules', api(okta, 'GET', rules));
  const highRisk = await record(
    'createPolicyRule',
    api(okta, 'POST', rules, {
      type: 'ENTITY_RISK',
      name: 'High risk',
      conditions: {
        people: { users: { exclude: [user.id] }, groups: { include: [groups[0].id] } },
        riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'] },
        entityRisk: { level: 'HIGH' },
      },
      actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } },
    }),
  );
  await record(
    'createPolicyRule',
    api(okta, 'POST', `${rules}?activate=false`, {
      type: 'ENTITY_RISK',
      name: 'Medium risk',
      conditions: {
        riskDetectionTypes: { exclude: ['ADMIN_REPORTED_USER_RISK'] },
        entityRisk: { level: 'MEDIUM' },
      },
      actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: { id: 572749 } }] } },
    }),
  );
  await record('createPolicyRule', api(okta, 'POST', rules, { type: 'ENTITY_RISK', name: '' }));
  await record('listPolicyRules', api(okta, 'GET', `${rules}?limit=2`));
  await record('getPolicyRule', api(okta, 'GET', `${rules}/${highRisk.id}`));
  await record('getPolicyRule', api(okta, 'GET', `${rules}/rulnone`));
  await record(
    'replacePolicyRule',
    api(okta, 'PUT', `${rules}/${highRisk.id}`, { ...highRisk, priority: 1 }),
  );
  await record(
    'replacePolicyRule',
    api(okta, 'PUT', `${rules}/${catchAll.id}`, { ...catchAll, name: 'Default' }),
  );
  await record('deactivatePolicyRule', api(okta, 'POST', `${rules}/${highRisk.id}/lifecycle/deactivate`));
  await record('deactivatePolicyRule', api(okta, 'POST', `${rules}/${catchAll.id}/lifecycle/deactivate`));
  await record('activatePolicyRule', api(okta, 'POST', `${rules}/${highRisk.id}/lifecycle/activate`));
  await record('deletePolicyRule', api(okta, 'DELETE', `${rules}/${highRisk.id}`));
  await record('deletePolicyRule', api(okta, 'DELETE', `${rules}/${catchAll.id}`));

  // Security events providers, the SET receiver and the User Risk API (part B1).
  const providers = '/api/v1/security-events-providers';
  const provider = await record(
    'createSecurityEventsProviderInstance',
    api(okta, 'POST', providers, {
      name: 'Transmitter',
      type: 'okta',
      settings: { well_known_url: `${TRANSMITTER}/.well-known/ssf-configuration/t1` },
    }),
  );
  await record(
    'createSecurityEventsProviderInstance',
    api(okta, 'POST', providers, { name: 'x', type: 'okta', settings: {} }),
  );
  await record('listSecurityEventsProviderInstances', api(okta, 'GET', providers));
  await record('getSecurityEventsProviderInstance', api(okta, 'GET', `${providers}/${provider.id}`));
  await record('getSecurityEventsProviderInstance', api(okta, 'GET', `${providers}/ssenone`));
  await record(
    'replaceSecurityEventsProviderInstance',
    api(okta, 'PUT', `${providers}/${provider.id}`, {
      name: 'Transmitter 2',
      type: 'okta',
      settings: { issuer: `${TRANSMITTER}/t1`, jwks_url: `${TRANSMITTER}/jwks` },
    }),
  );
  await record(
    'deactivateSecurityEventsProviderInstance',
    api(okta, 'POST', `${providers}/${provider.id}/lifecycle/deactivate`),
  );
  await record(
    'activateSecurityEventsProviderInstance',
    api(okta, 'POST', `${providers}/${provider.id}/lifecycle/activate`),
  );
  const pushSet = async (token: string) =>
    okta.app.inject({
      method: 'POST',
      url: '/security/api/v1/security-events',
      headers: { 'content-type': 'application/secevent+jwt' },
      payload: token,
    });
  const set = await signSet(
    {
      iss: `${TRANSMITTER}/t1`,
      jti: 'contract-1',
      iat: Math.floor(Date.now() / 1000),
      aud: okta.org.url,
      events: {
        'https://schemas.okta.com/secevent/okta/event-type/device-risk-change': {
          subject: { user: { format: 'email', email: users[1].profile.login } },
          current_level: 'high',
          previous_level: 'low',
          event_timestamp: Math.floor(Date.now() / 1000),
        },
      },
    },
    signingKey,
  );
  await record('publishSecurityEventTokens', pushSet(set));
  await record('publishSecurityEventTokens', pushSet('not a token'));
  await riskEngineOf(okta.org)?.idle();
  await record('getUserRisk', api(okta, 'GET', `/api/v1/users/${users[1].id}/risk`));
  await record('getUserRisk', api(okta, 'GET', `/api/v1/users/${users[2].id}/risk`));
  await record('getUserRisk', api(okta, 'GET', '/api/v1/users/00unobody/risk'));
  await record(
    'upsertUserRisk',
    api(okta, 'PUT', `/api/v1/users/${users[2].id}/risk`, { riskLevel: 'MEDIUM' }),
  );
  await record(
    'upsertUserRisk',
    api(okta, 'PUT', `/api/v1/users/${users[2].id}/risk`, { riskLevel: 'LOW', riskReason: 'Ticket 42.' }),
  );
  await record(
    'upsertUserRisk',
    api(okta, 'PUT', `/api/v1/users/${users[2].id}/risk`, { riskLevel: 'NONE' }),
  );
  await record('deleteSecurityEventsProviderInstance', api(okta, 'DELETE', `${providers}/${provider.id}`));

  const limited = await buildOktaMock({ signingKey, rateLimit: { perMinute: 0 } });
  const tooMany = await api(limited, 'GET', '/api/v1/users');
  exchanges.push({ operationId: 'listUsers', status: tooMany.statusCode, body: tooMany.json() });
  await limited.close();
  return exchanges;
}
