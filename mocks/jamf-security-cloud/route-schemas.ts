/**
 * The route schemas of mock Jamf Security Cloud: every route's request parts and answers, by status.
 *
 * Jamf publishes no API description for the Radar APIs, UEM Connect, identity providers or activation
 * profiles (none is in ../shared/vendor-specs), so these are written by hand from what the mock implements
 * and vendor-apis.md §3 says: the Risk API's paging (page ≥ 0, pageSize 1–100), the override body, the
 * `{token}` login answer. The SSF routes the transmitter plugin serves declare their own (harness/ssf);
 * the admin-side copies here (`/sse/.well-known`, `/sse/v1/jwks.json`) reuse the same wire schemas.
 *
 * A request a schema refuses is answered in JSC's error envelope (errors.ts): 400 with `error` the code
 * Jamf documents for the field where there is one (NEGATIVE_PAGE, MAX_LIMIT_PER_PAGE, INVALID_RISK…) and
 * INVALID_REQUEST otherwise, and a `message` naming the field — the same sentence the hand-written check
 * gave, for the fields whose wording clients and tests already rely on (`refusal`).
 */
import type { FastifyError } from 'fastify';
import { type JsonSchema, TRANSMITTER_METADATA_SCHEMA_ID } from '../../harness/protocol/index.ts';
import { addSchemaDocuments, JWK_SET_SCHEMA, validationCauses } from '../../harness/ssf/index.ts';
import { JscError } from './errors.ts';
import { LEVELS } from './levels.ts';

const DOC = 'urn:ssf-lab:jamf-security-cloud';
const def = (name: string): JsonSchema => ({ $ref: `${DOC}#/$defs/${name}` });

const str = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const int = { type: 'integer' } as const;
const object = (required: readonly string[], properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: [...required],
  properties,
});
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const severity = { enum: ['LOW', 'MEDIUM', 'HIGH'] } as const;
const risk = { enum: [...LEVELS] } as const;
const osType = { enum: ['MAC_OS', 'IOS'] } as const;
const epochMs = { type: 'number' } as const;

addSchemaDocuments([
  {
    $id: DOC,
    $defs: {
      // errors.ts: `{statusCode, error, message, logref}`.
      Error: object(['statusCode', 'error', 'message', 'logref'], {
        statusCode: { type: 'integer', minimum: 400, maximum: 599 },
        error: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
        message: str,
        logref: str,
      }),
      Pagination: object(['page', 'pageSize', 'totalRecords', 'totalPages'], {
        page: int,
        pageSize: int,
        totalRecords: int,
        totalPages: int,
      }),
      User: object(['email'], { email: str, name: str }),
      Threat: object(['id', 'deviceId', 'category', 'severity', 'detectedAt'], {
        id: nonEmpty,
        deviceId: nonEmpty,
        category: nonEmpty,
        severity,
        detectedAt: epochMs,
        resolvedAt: epochMs,
      }),
      // The lab's whole view of a device (routes.ts deviceView).
      Device: object(
        ['id', 'udid', 'serialNumber', 'name', 'osType', 'risk', 'computedRisk', 'activeThreats'],
        {
          id: nonEmpty,
          udid: str,
          serialNumber: str,
          name: str,
          osType,
          osVersion: str,
          risk,
          computedRisk: risk,
          overrideRisk: risk,
          user: object(['email', 'boundAt', 'via'], {
            email: str,
            name: str,
            boundAt: epochMs,
            via: { enum: ['identity-provider', 'uem', 'lab'] },
          }),
          activation: object(['profileId', 'at'], { profileId: str, at: epochMs }),
          compliant: { type: 'boolean' },
          uem: object(['connectorId', 'jamfId', 'kind'], {
            connectorId: str,
            jamfId: str,
            kind: { enum: ['computer', 'mobile'] },
            email: str,
          }),
          activeThreats: arrayOf(def('Threat')),
        },
      ),
      Category: {
        type: 'object',
        required: ['severity'],
        properties: {
          severity,
          uemTag: nonEmpty,
          uemTags: {
            type: 'object',
            additionalProperties: false,
            properties: { mobile: nonEmpty, computer: nonEmpty },
          },
        },
      },
      Policy: object(['categories', 'uemSignaling'], {
        categories: { type: 'object', additionalProperties: def('Category') },
        uemSignaling: object(['enabled', 'riskAttribute'], {
          enabled: { type: 'boolean' },
          riskAttribute: nonEmpty,
        }),
      }),
      Integration: object(
        ['streamId', 'receiverId', 'audience', 'endpointUrl', 'events', 'format', 'createdAt'],
        {
          streamId: nonEmpty,
          receiverId: nonEmpty,
          audience: nonEmpty,
          endpointUrl: str,
          events: arrayOf({ enum: ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'] }),
          format: { enum: ['okta', 'ssf', 'caep'] },
          createdAt: epochMs,
        },
      ),
      SyncSummary: object(['at', 'ms', 'devices', 'created', 'groups'], {
        at: epochMs,
        ms: int,
        devices: int,
        created: int,
        groups: int,
        error: str,
      }),
      // uem-connect.ts connectorView: the credentials are write-only and never echoed.
      Connector: {
        ...object(
          ['id', 'vendor', 'url', 'authStrategy', 'syncIntervalMinutes', 'jamfProVersion', 'status'],
          {
            id: nonEmpty,
            vendor: { const: 'JAMF_PRO' },
            url: str,
            authStrategy: { enum: ['JAMF_PRO_OAUTH', 'BASIC'] },
            syncIntervalMinutes: { type: 'integer', minimum: 1 },
            complianceGroupId: str,
            jamfProVersion: str,
            status: { enum: ['CONNECTED', 'ERROR'] },
            lastSync: def('SyncSummary'),
          },
        ),
        not: {
          anyOf: [
            { required: ['deviceSyncAuth'] },
            { required: ['clientSecret'] },
            { required: ['password'] },
          ],
        },
      },
      IdentityProvider: object(
        [
          'id',
          'name',
          'type',
          'domain',
          'clientId',
          'issuer',
          'authorizationEndpoint',
          'tokenEndpoint',
          'jwksUri',
          'status',
          'createdAt',
        ],
        {
          id: nonEmpty,
          name: nonEmpty,
          type: { const: 'OKTA' },
          domain: str,
          clientId: str,
          issuer: str,
          authorizationEndpoint: str,
          tokenEndpoint: str,
          jwksUri: str,
          status: { const: 'CONNECTED' },
          createdAt: epochMs,
        },
      ),
      ActivationProfile: object(['id', 'name', 'platforms', 'capabilities', 'createdAt', 'deployments'], {
        id: nonEmpty,
        name: nonEmpty,
        platforms: arrayOf(osType),
        capabilities: { type: 'object', additionalProperties: { type: 'boolean' } },
        identityProviderId: str,
        expirationDate: { type: 'string', format: 'date-time' },
        createdAt: epochMs,
        deployments: arrayOf(
          object(['connectorId', 'kind', 'jamfProfileId', 'at'], {
            connectorId: str,
            kind: { enum: ['computer', 'mobile'] },
            jamfProfileId: int,
            at: epochMs,
          }),
        ),
      }),
    },
  },
]);

const errors = { '4xx': def('Error'), '5xx': def('Error') } as const;
const noBody: JsonSchema = { description: 'No body.' };
/** A POST that reads no body: whatever is sent is ignored. */
const ignoredBody: JsonSchema = { description: 'Ignored: this call reads no body.' };
const paging = {
  page: { type: 'integer', minimum: 0 },
  pageSize: { type: 'integer', minimum: 1, maximum: 100 },
} as const;
const idParam = (name: string): JsonSchema => object([name], { [name]: nonEmpty });
const query = (properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema =>
  object(required, properties);

export const JSC_ROUTE_SCHEMAS = {
  login: {
    body: {
      description: 'No body: the application authenticates with HTTP Basic (application id and secret).',
    },
    response: { 200: object(['token'], { token: nonEmpty }), ...errors },
  },
  riskDevicesV1: {
    querystring: query(paging),
    response: {
      200: object(['records', 'pagination'], {
        records: arrayOf(
          object(['deviceId', 'externalId', 'name', 'risk', 'osType', 'lastUpdated'], {
            deviceId: nonEmpty,
            externalId: str,
            name: str,
            risk,
            osType,
            osVersion: str,
            user: def('User'),
            lastUpdated: { type: 'string', format: 'date-time' },
          }),
        ),
        pagination: def('Pagination'),
      }),
      ...errors,
    },
  },
  riskDevicesV2: {
    querystring: query({ ...paging, guid: str, externalId: str }),
    response: {
      200: object(['customerId', 'userDeviceList', 'pagination'], {
        customerId: str,
        userDeviceList: arrayOf(
          object(
            ['guid', 'externalId', 'user', 'info', 'hardwareSpec', 'riskCategory', 'joinDate', 'threats'],
            {
              guid: nonEmpty,
              externalId: str,
              user: {
                anyOf: [
                  { type: 'null' },
                  object(['email', 'name'], { email: str, name: { type: ['string', 'null'] } }),
                ],
              },
              info: object(['device'], {
                device: object(['deviceName', 'deviceSystemVersion', 'osType'], {
                  deviceName: str,
                  deviceSystemVersion: str,
                  osType,
                }),
              }),
              hardwareSpec: object(['osType'], { osType }),
              riskCategory: risk,
              joinDate: { type: ['number', 'null'] },
              threats: arrayOf(
                object(['id', 'category', 'severity', 'status', 'detectedAt', 'resolvedAt'], {
                  id: nonEmpty,
                  category: str,
                  severity,
                  status: { enum: ['ACTIVE', 'RESOLVED'] },
                  detectedAt: { type: 'string', format: 'date-time' },
                  resolvedAt: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
                }),
              ),
            },
          ),
        ),
        pagination: def('Pagination'),
      }),
      ...errors,
    },
  },
  override: {
    body: object(['risk', 'source', 'deviceIds'], {
      risk,
      source: { enum: ['MANUAL', 'WANDERA'] },
      deviceIds: { type: 'array', minItems: 1, items: str },
    }),
    response: { 204: noBody, ...errors },
  },
  metadata: { response: { 200: { $ref: TRANSMITTER_METADATA_SCHEMA_ID }, ...errors } },
  jwks: { response: { 200: JWK_SET_SCHEMA, ...errors } },
  listStreams: { response: { 200: arrayOf(def('Integration')), ...errors } },
  createStream: {
    body: object(['audience', 'endpointUrl'], {
      audience: nonEmpty,
      endpointUrl: { type: 'string', format: 'uri' },
      events: {
        type: 'array',
        minItems: 1,
        items: { enum: ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'] },
      },
      format: { enum: ['okta', 'ssf', 'caep'] },
      authorizationHeader: str,
    }),
    response: { 201: def('Integration'), ...errors },
  },
  deleteStream: {
    querystring: query({ streamId: nonEmpty }, ['streamId']),
    response: { 204: noBody, ...errors },
  },
  streamSubjects: {
    params: idParam('streamId'),
    // The subject is an SSF subject identifier; the transmitter judges it (its 400 in JSC's envelope).
    body: object(['subject'], { subject: { type: 'object' } }),
    response: { 204: noBody, ...errors },
  },
  readPolicy: { response: { 200: def('Policy'), ...errors } },
  replacePolicy: {
    body: {
      type: 'object',
      required: ['categories'],
      properties: {
        categories: { type: 'object', additionalProperties: def('Category') },
        uemSignaling: object(['enabled'], { enabled: { type: 'boolean' }, riskAttribute: nonEmpty }),
      },
    },
    response: { 200: def('Policy'), ...errors },
  },
  listConnectors: { response: { 200: arrayOf(def('Connector')), ...errors } },
  createConnector: {
    body: object(['vendor', 'url', 'authStrategy', 'deviceSyncAuth'], {
      vendor: { const: 'JAMF_PRO' },
      url: { type: 'string', format: 'uri' },
      authStrategy: { enum: ['JAMF_PRO_OAUTH', 'BASIC'] },
      // clientId/clientSecret for JAMF_PRO_OAUTH, username/password for BASIC (checked by uem-connect.ts).
      deviceSyncAuth: {
        type: 'object',
        properties: { clientId: str, clientSecret: str, username: str, password: str },
      },
      syncIntervalMinutes: { type: 'integer', minimum: 1 },
      complianceGroupId: str,
    }),
    response: { 201: def('Connector'), ...errors },
  },
  readConnector: { params: idParam('id'), response: { 200: def('Connector'), ...errors } },
  deleteConnector: { params: idParam('id'), response: { 204: noBody, ...errors } },
  syncConnector: {
    params: idParam('id'),
    body: ignoredBody,
    response: { 200: def('SyncSummary'), ...errors },
  },
  deployProfile: {
    params: idParam('id'),
    body: object(['activationProfileId'], { activationProfileId: nonEmpty, uemGroups: arrayOf(str) }),
    response: {
      201: object(['activationProfileId', 'deployments'], {
        activationProfileId: nonEmpty,
        deployments: arrayOf(
          object(['kind', 'jamfProfileId'], { kind: { enum: ['computer', 'mobile'] }, jamfProfileId: int }),
        ),
      }),
      ...errors,
    },
  },
  listProviders: { response: { 200: arrayOf(def('IdentityProvider')), ...errors } },
  connectProvider: {
    body: object(['type', 'domain', 'clientId'], {
      type: { const: 'OKTA' },
      domain: nonEmpty,
      clientId: nonEmpty,
      name: { type: 'string', minLength: 1, maxLength: 100 },
    }),
    response: { 201: def('IdentityProvider'), ...errors },
  },
  listProfiles: { response: { 200: arrayOf(def('ActivationProfile')), ...errors } },
  createProfile: {
    body: object(['name', 'platforms'], {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      platforms: { type: 'array', minItems: 1, maxItems: 2, items: osType },
      capabilities: { type: 'object', additionalProperties: { type: 'boolean' } },
      identityProviderId: nonEmpty,
      expirationDate: { type: ['string', 'null'] },
    }),
    response: { 201: def('ActivationProfile'), ...errors },
  },
  readProfile: { params: idParam('id'), response: { 200: def('ActivationProfile'), ...errors } },
  // ---- lab controls ----
  raiseThreat: {
    body: object(['device', 'category'], { device: nonEmpty, category: nonEmpty, severity }),
    response: {
      201: { allOf: [def('Threat'), object(['device'], { device: def('Device') })] },
      ...errors,
    },
  },
  resolveThreat: { params: idParam('id'), response: { 204: noBody, ...errors } },
  addReceiver: {
    body: object(['audience'], {
      audience: nonEmpty,
      inactivityTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
    }),
    response: {
      201: object(['id', 'audience', 'token'], { id: nonEmpty, audience: nonEmpty, token: nonEmpty }),
      ...errors,
    },
  },
  readDefaultSubjects: {
    response: { 200: object(['defaultSubjects'], { defaultSubjects: { enum: ['ALL', 'NONE'] } }), ...errors },
  },
  setDefaultSubjects: {
    body: object(['defaultSubjects'], { defaultSubjects: { enum: ['ALL', 'NONE'] } }),
    response: { 200: object(['defaultSubjects'], { defaultSubjects: { enum: ['ALL', 'NONE'] } }), ...errors },
  },
  setStreamStatus: {
    params: idParam('streamId'),
    body: object(['status'], {
      status: { enum: ['enabled', 'paused', 'disabled'] },
      reason: { type: 'string', maxLength: 200 },
    }),
    response: {
      200: object(['streamId', 'status'], {
        streamId: nonEmpty,
        status: { enum: ['enabled', 'paused', 'disabled'] },
        reason: str,
      }),
      ...errors,
    },
  },
  idle: {
    querystring: query({ timeoutMs: { type: 'integer', minimum: 0, maximum: 999_999 } }),
    response: {
      204: noBody,
      503: object(['idle', 'signalling', 'queued', 'inFlight'], {
        idle: { const: false },
        signalling: { type: 'boolean' },
        queued: int,
        inFlight: int,
      }),
      ...errors,
    },
  },
  state: {
    response: {
      200: object(
        [
          'customerId',
          'issuer',
          'devices',
          'threats',
          'policy',
          'streams',
          'sets',
          'streamDelivery',
          'connectors',
          'identityProviders',
          'activationProfiles',
          'signalErrors',
        ],
        {
          customerId: str,
          issuer: str,
          devices: arrayOf(def('Device')),
          threats: arrayOf(def('Threat')),
          policy: def('Policy'),
          streams: arrayOf(def('Integration')),
          sets: { type: 'object' },
          streamDelivery: arrayOf(object(['streamId', 'status', 'held', 'queued', 'retrying'], {})),
          connectors: arrayOf(def('Connector')),
          identityProviders: arrayOf(def('IdentityProvider')),
          activationProfiles: arrayOf(def('ActivationProfile')),
          signalErrors: arrayOf(object(['at', 'deviceId', 'attribute', 'message'], {})),
        },
      ),
      ...errors,
    },
  },
  sets: {
    querystring: query({
      state: { enum: ['queued', 'held', 'in-flight', 'delivered', 'acked', 'dead-lettered', 'dropped'] },
      streamId: str,
      limit: { type: 'integer', minimum: 1, maximum: 10_000 },
    }),
    response: {
      200: object(['counts', 'totals', 'cap', 'forgotten', 'matching', 'sets'], {
        cap: int,
        forgotten: int,
        matching: int,
        // No SET token and no stream configuration (set-ledger-view.ts): the entries hold neither.
        sets: arrayOf({
          ...object(['jti', 'streamId', 'eventType', 'state', 'createdAt', 'updatedAt', 'attempts'], {
            jti: nonEmpty,
            streamId: str,
            eventType: str,
            state: str,
            attempts: { type: 'array' },
          }),
          not: { anyOf: [{ required: ['token'] }, { required: ['set'] }] },
        }),
      }),
      ...errors,
    },
  },
  reset: { body: ignoredBody, response: { 204: noBody, ...errors } },
  activateMany: {
    body: object(['activationProfileId'], {
      activationProfileId: nonEmpty,
      devices: { type: 'array', maxItems: 10_000, items: nonEmpty },
    }),
    response: { 200: object(['activated'], { activated: int }), ...errors },
  },
  activateOne: {
    params: idParam('id'),
    body: object(['activationProfileId'], {
      activationProfileId: nonEmpty,
      username: str,
      password: str,
      user: str,
    }),
    response: { 200: def('Device'), ...errors },
  },
} as const;

/**
 * The sentence and code a refused field gets where the hand-written check had its own: Jamf's documented
 * codes for paging and the override, and the wording existing clients match. Matched on the field's path.
 */
const REFUSALS: readonly [RegExp, (field: string, message: string) => { code: string; text: string }][] = [
  [/^page$/, () => ({ code: 'NEGATIVE_PAGE', text: 'page must be a non-negative integer' })],
  [
    /^pageSize$/,
    (_f, m) =>
      m.includes('<=')
        ? { code: 'MAX_LIMIT_PER_PAGE', text: 'pageSize can be at most 100' }
        : { code: 'NEGATIVE_PAGE_SIZE', text: 'pageSize must be a positive integer' },
  ],
  [/^risk$/, () => ({ code: 'INVALID_RISK', text: `"risk" must be one of ${LEVELS.join(', ')}` })],
  [/^source$/, () => ({ code: 'INVALID_SOURCE', text: '"source" must be MANUAL or WANDERA' })],
  [
    /^vendor$/,
    () => ({ code: 'UNSUPPORTED_VENDOR', text: 'only vendor JAMF_PRO is supported by this mock' }),
  ],
  [/^limit$/, () => ({ code: 'INVALID_REQUEST', text: '"limit" must be an integer from 1 to 10000' })],
  [/^endpointUrl$/, () => ({ code: 'INVALID_REQUEST', text: '"endpointUrl" is not an http(s) URL' })],
  [
    /^categories\.(.+)\.severity$/,
    (f) => ({
      code: 'INVALID_REQUEST',
      text: `category "${f.slice('categories.'.length, -'.severity'.length)}": severity must be LOW, MEDIUM or HIGH`,
    }),
  ],
];

/** The members of an ajv error this module reads. */
interface AjvError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
}

const fieldOf = (instancePath: string): string =>
  instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');

/** Fastify's schema-validation error as JSC answers it (400 naming the field), or undefined if it is not one. */
export function jscValidationError(error: FastifyError): JscError | undefined {
  const causes = validationCauses(error);
  if (causes === undefined) return undefined;
  // ajv's enum and const messages do not say what is allowed; its params do.
  const allowed = new Map<string, string>();
  for (const e of (error as { validation?: AjvError[] }).validation ?? []) {
    const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
    if (e.keyword === 'enum')
      allowed.set(fieldOf(e.instancePath), `must be one of ${(p.allowedValues ?? []).join(', ')}`);
    if (e.keyword === 'const') allowed.set(fieldOf(e.instancePath), `must be ${String(p.allowedValue)}`);
  }
  const said = causes.map((c) => {
    const refusal = REFUSALS.find(([pattern]) => pattern.test(c.field));
    if (refusal !== undefined) return refusal[1](c.field, c.message);
    const message = allowed.get(c.field) ?? c.message;
    const where = c.part === 'body' ? 'the body' : `the ${c.part === 'querystring' ? 'query' : c.part}`;
    const text =
      c.field === ''
        ? `${where} ${message === 'must be object' ? 'must be a JSON object' : message}`
        : `"${c.field}" ${message}`;
    return { code: 'INVALID_REQUEST', text };
  });
  const first = said[0] ?? { code: 'INVALID_REQUEST', text: 'the request is not valid' };
  return new JscError(400, first.code, [...new Set(said.map((s) => s.text))].join('; '));
}
