/**
 * Contract test: the Okta mock against Okta's own published API description (management-minimal.yaml and
 * oauth-minimal.yaml, release 2026.06.3, in ../shared/vendor-specs/okta). For every operation the mock serves
 * from those files, the operationId and the OAuth scopes must be Okta's, and each answer the mock gives —
 * success and error — must validate against the response schema Okta publishes for that status. OpenAPI 3.0
 * is turned into JSON Schema for ajv (strict off): `nullable` becomes a `null` type, `discriminator` is
 * dropped (polymorphic apps are checked against OpenIdConnectApplication as well). One relaxation, stated:
 * Okta's own ListLogs example puts `null` in LogEvent fields the schema does not mark nullable
 * (`detailEntry`, `zone`, `outcome.reason`, `issuer`…), so inside Log* schemas every property may be null.
 * Only the path items of the mock's operations and the components they reach are parsed from the 3.4 MB
 * management file (a full parse costs ~3 s on two cores). Skips, saying why, when ../shared/vendor-specs/okta
 * is absent (a user's clone has no ../shared).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { generateSigningKey, publicJwks, type SigningKey, signSet } from '../../harness/protocol/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { buildOktaMock, OKTA_LAB_PASSWORD, type OktaMock, riskEngineOf } from './index.ts';
import {
  api,
  clientAssertion,
  clientKeyPair,
  createJamfTrustApp,
  injectFetch,
  type KeyPair,
  registerServiceApp,
  signIn,
  tokenRequest,
} from './okta.testing.ts';

/** The transmitter the SET operations are exercised with. */
const TRANSMITTER = 'https://transmitter.lab';
const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/vendor-specs/okta');
const FILES = {
  management: join(SPECS, 'management-minimal.yaml'),
  oauth: join(SPECS, 'oauth-minimal.yaml'),
} as const;
const PRESENT = existsSync(FILES.management) && existsSync(FILES.oauth);
const ABSENT = `Okta's published API description is not at ${SPECS} (management-minimal.yaml, oauth-minimal.yaml): the contract test needs ../shared/vendor-specs/okta beside the project, see its README`;

type Spec = 'management' | 'oauth';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv. */
function convert(node: unknown, nullableProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, nullableProperties));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => {
          const converted = convert(schema, nullableProperties);
          return [name, nullableProperties ? { anyOf: [converted, { type: 'null' }] } : converted];
        }),
      );
      continue;
    }
    out[key] = convert(value, nullableProperties);
  }
  const nullable = out.nullable === true;
  delete out.nullable;
  if (nullable) {
    if (typeof out.type === 'string' && !('allOf' in out) && !('$ref' in out)) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function convertDocument(doc: Json): Json {
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  return {
    paths: convert(doc.paths),
    components: {
      ...(convert(components) as Json),
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [name, convert(s, name.startsWith('Log'))]),
      ),
    },
  };
}

/**
 * Parses only what the test needs from the 3.4 MB management description — the path items holding the mock's
 * operations and the components they reach through `$ref` — because the whole file takes ~3 s to parse on two
 * cores. Okta's bundled YAML is regular: sections at column 0, path items at 2, components at 4 spaces.
 */
function parseSubset(text: string, operationIds: readonly string[], schemas: readonly string[]): Json {
  const lines = text.split('\n');
  const section = (name: string): number => lines.indexOf(`${name}:`);
  const block = (start: number, indent: number): string => {
    let end = start + 1;
    const deeper = new RegExp(`^ {${indent + 1},}\\S|^\\s*$`);
    while (end < lines.length && deeper.test(lines[end] ?? '')) end++;
    return lines.slice(start, end).join('\n');
  };
  const paths: Json = {};
  const pathsAt = section('paths');
  for (const id of operationIds) {
    let at = lines.indexOf(`      operationId: ${id}`, pathsAt);
    if (at < 0) continue;
    while (at > pathsAt && !/^ {2}\S/.test(lines[at] ?? '')) at--;
    Object.assign(paths, parse(block(at, 2)) as Json);
  }
  const componentsAt = section('components');
  const entries = new Map<string, number>();
  let kind = '';
  for (let i = componentsAt + 1; i < lines.length && !/^\S/.test(lines[i] ?? ''); i++) {
    const line = lines[i] ?? '';
    const k = /^ {2}(\w+):$/.exec(line);
    if (k?.[1]) kind = k[1];
    const name = /^ {4}([^\s:'"]+):$/.exec(line);
    if (name?.[1] && (kind === 'schemas' || kind === 'responses')) entries.set(`${kind}/${name[1]}`, i);
  }
  const components: Record<string, Json> = { schemas: {}, responses: {} };
  const queue: unknown[] = [paths, ...schemas.map((name) => ({ $ref: `#/components/schemas/${name}` }))];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) queue.push(...node);
    else if (isObject(node)) {
      const ref = node.$ref;
      const m = typeof ref === 'string' ? /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) : null;
      if (m?.[1] && m[2] && !seen.has(`${m[1]}/${m[2]}`)) {
        const key = `${m[1]}/${m[2]}`;
        seen.add(key);
        const at = entries.get(key);
        if (at !== undefined) {
          const parsed = parse(block(at, 4)) as Json;
          Object.assign(components[m[1]] ?? {}, parsed);
          queue.push(parsed);
        }
      }
      for (const [k, v] of Object.entries(node)) if (k !== 'examples' && k !== 'example') queue.push(v);
    }
  }
  return { paths, components };
}

const pointer = (...segments: string[]): string =>
  `#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

let docs: Record<Spec, Json> | undefined;
let ajv: Ajv;
let okta: OktaMock;

interface Exchange {
  readonly operationId: string;
  readonly status: number;
  readonly body: unknown;
}
const exchanges: Exchange[] = [];

beforeAll(async () => {
  if (!PRESENT) return;
  const [signingKey, key] = await Promise.all([
    generateSigningKey('ES256', { kid: 'org-test' }).then((k) => k.key),
    clientKeyPair('contract-client'),
  ]);
  // A transmitter for the security events provider and SET operations (part B1): SSF metadata and a JWKS.
  const transmitter = Fastify();
  transmitter.get('/.well-known/ssf-configuration/t1', async () => ({
    issuer: `${TRANSMITTER}/t1`,
    jwks_uri: `${TRANSMITTER}/jwks`,
  }));
  transmitter.get('/jwks', async () => publicJwks(signingKey));
  okta = await buildOktaMock({
    signingKey,
    fleet: { devices: 6 },
    fetch: createInjectFetch(new Map([[TRANSMITTER, transmitter]])),
  });
  const operationIds = okta.operations.filter((o) => o.spec === 'management').map((o) => o.operationId);
  docs = {
    management: parseSubset(readFileSync(FILES.management, 'utf8'), operationIds, [
      'OpenIdConnectApplication',
      'SamlApplication',
      'EntityRiskPolicy',
      'EntityRiskPolicyRule',
    ]),
    oauth: parse(readFileSync(FILES.oauth, 'utf8')) as Json,
  };
  ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  (ajvFormats.default as unknown as ajvFormats.FormatsPlugin)(ajv);
  ajv.addSchema(convertDocument(docs.management), 'management');
  ajv.addSchema(convertDocument(docs.oauth), 'oauth');
  await exercise(signingKey, key);
}, 60_000);
afterAll(async () => {
  await okta?.close();
});

/** Runs every implemented operation through HTTP, recording status and body per operationId. */
async function exercise(signingKey: SigningKey, key: KeyPair): Promise<void> {
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
}

interface SpecOperation {
  readonly spec: Spec;
  readonly path: string;
  readonly method: string;
  readonly operation: Json;
}

function specOperation(operationId: string): SpecOperation | undefined {
  for (const spec of ['management', 'oauth'] as const) {
    const paths = docs?.[spec].paths;
    if (!isObject(paths)) continue;
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const [method, operation] of Object.entries(item)) {
        if (isObject(operation) && operation.operationId === operationId)
          return { spec, path, method, operation };
      }
    }
  }
  return undefined;
}

/** The validator of the JSON body Okta documents for this status, or undefined when it documents none. */
function responseValidator(op: SpecOperation, status: number): ValidateFunction | undefined | 'undocumented' {
  const responses = op.operation.responses;
  if (!isObject(responses)) return 'undocumented';
  let response = responses[String(status)];
  let base = [`paths`, op.path, op.method, 'responses', String(status)];
  if (response === undefined) return 'undocumented';
  if (isObject(response) && typeof response.$ref === 'string') {
    const name = response.$ref.split('/').pop() ?? '';
    base = ['components', 'responses', name];
    const components = docs?.[op.spec].components;
    response =
      isObject(components) && isObject(components.responses) ? components.responses[name] : undefined;
  }
  if (!isObject(response) || !isObject(response.content)) return undefined;
  const type = Object.keys(response.content).find((t) => t.includes('json'));
  if (type === undefined) return undefined;
  return ajv.getSchema(`${op.spec}${pointer(...base, 'content', type, 'schema')}`);
}

function skipUnlessPresent(ctx: { skip: (note?: string) => never }): void {
  if (!PRESENT) ctx.skip(ABSENT);
}

test("every operation the mock takes from Okta's description has Okta's path, method and OAuth scopes", (ctx) => {
  skipUnlessPresent(ctx);
  const problems: string[] = [];
  for (const op of okta.operations.filter((o) => o.spec !== 'none')) {
    const found = specOperation(op.operationId);
    if (!found) {
      problems.push(`${op.operationId}: not in Okta's ${op.spec} description`);
      continue;
    }
    if (found.path !== op.path || found.method.toUpperCase() !== op.method)
      problems.push(
        `${op.operationId}: Okta has ${found.method.toUpperCase()} ${found.path}, the mock ${op.method} ${op.path}`,
      );
    const security = Array.isArray(found.operation.security) ? (found.operation.security as Json[]) : [];
    const scopes = security.flatMap((s) => (Array.isArray(s.oauth2) ? (s.oauth2 as string[]) : []));
    const mine = op.scopes ?? op.handlerScopes ?? [];
    if (JSON.stringify([...scopes].sort()) !== JSON.stringify([...mine].sort()))
      problems.push(
        `${op.operationId}: Okta's scopes ${JSON.stringify(scopes)}, the mock's ${JSON.stringify(mine)}`,
      );
    if (found.spec !== op.spec)
      problems.push(`${op.operationId}: in Okta's ${found.spec} description, not ${op.spec}`);
  }
  expect(problems).toEqual([]);
});

test('every answer the mock gave validates against the schema Okta publishes for that operation and status', (ctx) => {
  skipUnlessPresent(ctx);
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const op = specOperation(exchange.operationId);
    if (!op) {
      problems.push(`${exchange.operationId}: not in Okta's description`);
      continue;
    }
    const validate = responseValidator(op, exchange.status);
    if (validate === 'undocumented') {
      // Okta lists only some statuses; a redirect from /authorize is the one undocumented answer expected.
      if (!(exchange.operationId === 'authorize' && exchange.status === 302))
        problems.push(`${exchange.operationId}: status ${exchange.status} is not documented by Okta`);
      continue;
    }
    if (validate === undefined) {
      if (
        exchange.body !== undefined &&
        !(isObject(exchange.body) && Object.keys(exchange.body).length === 0)
      )
        problems.push(
          `${exchange.operationId} ${exchange.status}: Okta documents no body, the mock sent one`,
        );
      continue;
    }
    if (!validate(exchange.body))
      problems.push(
        `${exchange.operationId} ${exchange.status}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`,
      );
  }
  expect(problems).toEqual([]);
});

test("the mock's applications also validate as OpenIdConnectApplication (the discriminator the check above drops)", (ctx) => {
  skipUnlessPresent(ctx);
  const validate = ajv.getSchema(`management${pointer('components', 'schemas', 'OpenIdConnectApplication')}`);
  expect(validate).toBeDefined();
  const apps = exchanges
    .filter((e) =>
      ['createApplication', 'getApplication', 'replaceApplication', 'listApplications'].includes(
        e.operationId,
      ),
    )
    .filter((e) => e.status === 200)
    .flatMap((e) => (Array.isArray(e.body) ? e.body : [e.body]));
  expect(apps.length).toBeGreaterThan(3);
  const problems = apps.filter((a) => !validate?.(a)).map(() => ajv.errorsText(validate?.errors));
  expect(problems).toEqual([]);
});

// Issue 15: the SaaS apps with Universal Logout the Entity Risk Policy rule names exist in the Apps API.
test("a SAML app instance (the seed's SaaS apps) is listed and read by id as a SamlApplication", async (ctx) => {
  skipUnlessPresent(ctx);
  const validate = ajv.getSchema(`management${pointer('components', 'schemas', 'SamlApplication')}`);
  expect(validate).toBeDefined();
  const created = await okta.app.inject({
    method: 'POST',
    url: '/_lab/saml-apps',
    payload: { label: 'Salesforce', name: 'salesforce' },
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  const byId = await api(okta, 'GET', `/api/v1/apps/${id}`);
  expect(byId.statusCode).toBe(200);
  const listed = (await api(okta, 'GET', '/api/v1/apps?filter=name%20eq%20%22salesforce%22')).json();
  expect(listed.map((a: Json) => a.id)).toEqual([id]);
  for (const app of [byId.json(), listed[0]]) {
    expect(app).toMatchObject({
      id,
      name: 'salesforce',
      label: 'Salesforce',
      signOnMode: 'SAML_2_0',
      status: 'ACTIVE',
    });
    expect(validate?.(app), ajv.errorsText(validate?.errors)).toBe(true);
  }
});

test('the ENTITY_RISK policy and its rules also validate as EntityRiskPolicy and EntityRiskPolicyRule', (ctx) => {
  skipUnlessPresent(ctx);
  const policySchema = ajv.getSchema(`management${pointer('components', 'schemas', 'EntityRiskPolicy')}`);
  const ruleSchema = ajv.getSchema(`management${pointer('components', 'schemas', 'EntityRiskPolicyRule')}`);
  const bodies = (ids: readonly string[]): Json[] =>
    exchanges
      .filter((e) => ids.includes(e.operationId) && e.status === 200)
      .flatMap((e) => (Array.isArray(e.body) ? e.body : [e.body]));
  const policies = bodies(['listPolicies', 'getPolicy', 'replacePolicy']);
  const rules = bodies(['listPolicyRules', 'getPolicyRule', 'createPolicyRule', 'replacePolicyRule']);
  expect([policies.length, rules.length]).toEqual([3, 8]);
  const problems = [
    ...policies.filter((p) => !policySchema?.(p)).map(() => ajv.errorsText(policySchema?.errors)),
    // Okta's own catch-all example has `conditions: null`, which EntityRiskPolicyRuleConditions does not allow.
    ...rules
      .map(({ conditions, ...rest }) => (conditions === null ? rest : { ...rest, conditions }))
      .filter((r) => !ruleSchema?.(r))
      .map(() => ajv.errorsText(ruleSchema?.errors)),
  ];
  expect(problems).toEqual([]);
});

test("every operation the mock takes from Okta's description was exercised by this test, with a success", (ctx) => {
  skipUnlessPresent(ctx);
  const succeeded = new Set(exchanges.filter((e) => e.status < 400).map((e) => e.operationId));
  // Served only to refuse as Okta does: the one ENTITY_RISK policy is the system's, never created or deleted.
  const refusals = new Set(['createPolicy', 'deletePolicy']);
  const exercised = new Set(exchanges.map((e) => e.operationId));
  const missing = okta.operations
    .filter(
      (o) => o.spec !== 'none' && !(refusals.has(o.operationId) ? exercised : succeeded).has(o.operationId),
    )
    .map((o) => o.operationId);
  expect(missing).toEqual([]);
  const errors = new Set(exchanges.filter((e) => e.status >= 400).map((e) => e.status));
  expect([...errors].sort()).toEqual([400, 401, 403, 404, 429]);
});
