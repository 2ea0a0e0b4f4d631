/**
 * The route schemas of the mock's JSON routes: the Jamf Pro API (`/api`), the OAuth token endpoint and the
 * lab controls (`/_lab/`). Routes that Jamf Pro 11.7.1 describes take their schemas from the generated
 * module (`described`); the rest are written here, from vendor-apis.md §2.5–2.6 and the mock's own
 * answers, because Jamf publishes no description of them:
 * - the extension attribute definitions and the v2 computer / v1 mobile smart and static groups (newer
 *   than 11.7.1): answers as the mock renders them; request bodies typed member by member where a member
 *   is sent, with `null` allowed everywhere because Jamf's mapper reads `null` as "absent". What a body
 *   must contain (a name, a known data type…) stays with the handlers, which name the field and say why;
 * - `POST /api/oauth/token` (not in the description): a form body (it arrives as text) answering RFC 6749
 *   §5.1 JSON, or §5.2 errors;
 * - `/_lab/state` and `/_lab/reset`: the state summary, errors as `ApiError`.
 * A POST without a body in its description (keep-alive, recalculate…) declares `{}`: Jamf ignores a body.
 */
import type { FastifySchema } from 'fastify';
import { addSchemaDocuments } from '../../../harness/ssf/index.ts';
import { JAMF_PRO_API_DOCUMENT, JAMF_PRO_API_ROUTES } from './jamf-pro-api.generated.ts';
import { JAMF_PRO_API_SCHEMA_ID, REPEATABLE_STRING } from './jamf-pro-api-ids.ts';

const NEWER_ID = 'urn:ssf-lab:jamf-pro:api-newer';
const ref = (name: string) => ({ $ref: `${NEWER_ID}#/$defs/${name}` });
export const API_ERROR = { $ref: `${JAMF_PRO_API_SCHEMA_ID}#/$defs/ApiError` };

const text = { type: 'string' };
const optText = { type: ['string', 'null'] };
const optBool = { type: ['boolean', 'null'] };
const optId = { type: ['string', 'integer', 'null'] };
const optArray = { type: ['array', 'null'] };
const page = (item: object) => ({
  type: 'object',
  required: ['totalCount', 'results'],
  properties: { totalCount: { type: 'integer', minimum: 0 }, results: { type: 'array', items: item } },
});

addSchemaDocuments([
  JAMF_PRO_API_DOCUMENT,
  {
    $id: NEWER_ID,
    $defs: {
      IdHref: {
        type: 'object',
        required: ['id', 'href'],
        properties: { id: text, href: { type: 'string', format: 'uri' } },
      },
      ExtensionAttribute: {
        type: 'object',
        required: ['id', 'name', 'dataType', 'inputType', 'inventoryDisplayType'],
        properties: {
          id: text,
          name: text,
          description: text,
          dataType: { enum: ['STRING', 'INTEGER', 'DATE'] },
          enabled: { type: 'boolean' },
          inventoryDisplayType: text,
          inputType: text,
          popupMenuChoices: { type: ['array', 'null'], items: text },
          ldapAttributeMapping: optText,
          ldapExtensionAttributeAllowed: { type: 'boolean' },
          scriptContents: optText,
        },
      },
      ExtensionAttributeBody: {
        type: 'object',
        properties: {
          name: optText,
          description: optText,
          dataType: optText,
          enabled: optBool,
          inventoryDisplayType: optText,
          inputType: optText,
          popupMenuChoices: optArray,
          scriptContents: optText,
        },
      },
      Criterion: {
        type: 'object',
        required: ['name', 'priority', 'andOr', 'searchType', 'value'],
        properties: {
          name: text,
          priority: { type: 'integer' },
          andOr: { enum: ['and', 'or'] },
          searchType: text,
          value: text,
          openingParen: { type: 'boolean' },
          closingParen: { type: 'boolean' },
        },
      },
      SmartGroup: {
        type: 'object',
        required: ['id', 'name', 'siteId', 'membershipCount'],
        properties: {
          id: text,
          name: text,
          description: text,
          siteId: text,
          membershipCount: { type: 'integer', minimum: 0 },
          criteria: { type: 'array', items: ref('Criterion') },
        },
      },
      StaticGroup: {
        type: 'object',
        required: ['id', 'name', 'siteId', 'count'],
        properties: {
          id: text,
          name: text,
          description: text,
          siteId: text,
          count: { type: 'integer', minimum: 0 },
          assignments: { type: 'array', items: text },
        },
      },
      MobileSmartGroup: {
        type: 'object',
        required: ['groupId', 'groupName', 'siteId', 'count'],
        properties: {
          groupId: text,
          groupName: text,
          groupDescription: text,
          siteId: text,
          count: { type: 'integer', minimum: 0 },
          criteria: { type: 'array', items: ref('Criterion') },
        },
      },
      GroupBody: {
        type: 'object',
        properties: {
          name: optText,
          groupName: optText,
          description: optText,
          groupDescription: optText,
          siteId: optId,
          site: { type: ['object', 'null'], properties: { id: optId } },
          criteria: { type: ['array', 'null'], items: { type: ['object', 'null'] } },
          computerIds: optArray,
          assignments: optArray,
        },
      },
      LabSummary: {
        type: 'object',
        required: ['version', 'fleet', 'devices', 'computerGroups', 'mobileDeviceGroups'],
        properties: {
          version: text,
          fleet: { type: 'object' },
          devices: {
            type: 'object',
            required: ['computers', 'mobileDevices'],
            properties: {
              computers: { type: 'integer', minimum: 0 },
              mobileDevices: { type: 'integer', minimum: 0 },
            },
          },
          computerGroups: { type: 'array' },
          mobileDeviceGroups: { type: 'array' },
          extensionAttributes: { type: 'object' },
          deployed: { type: 'object' },
          activeTokens: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
]);

/** `:id` → `{id}`: the mock's url in the description's notation. */
const describedKey = (method: string, url: string) => `${method} ${url.replace(/:(\w+)/g, '{$1}')}`;

/** The schema of a route Jamf Pro 11.7.1 describes (generated); throws at start-up if it is not one. */
export function described(method: string, url: string): FastifySchema {
  const schema = JAMF_PRO_API_ROUTES[describedKey(method, url)];
  if (schema === undefined) throw new Error(`no described schema for ${method} ${url}`);
  if (['POST', 'PUT', 'PATCH'].includes(method) && schema.body === undefined) return { ...schema, body: {} };
  return schema;
}

const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1 } },
};
const PAGED_QUERY = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 0 },
    'page-size': { type: 'integer', minimum: 0 },
    sort: { type: 'array', items: text },
    filter: REPEATABLE_STRING,
  },
};
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = { '4xx': API_ERROR, '5xx': API_ERROR };
const NO_CONTENT = { type: 'null' };

/** A newer-than-11.7.1 Pro API collection: list, create, read, replace, delete of `item`. */
export function collectionSchemas(item: string, body: string, full = item) {
  return {
    list: { querystring: PAGED_QUERY, response: { 200: page(ref(item)), ...errors } },
    create: { body: json(ref(body)), response: { 201: ref('IdHref'), ...errors } },
    read: { params: ID_PARAMS, response: { 200: ref(full), ...errors } },
    replace: { params: ID_PARAMS, body: json(ref(body)), response: { 200: ref(full), ...errors } },
    remove: { params: ID_PARAMS, response: { 204: NO_CONTENT, ...errors } },
  } satisfies Record<string, FastifySchema>;
}

export const EXTENSION_ATTRIBUTES = {
  ...collectionSchemas('ExtensionAttribute', 'ExtensionAttributeBody'),
  deleteMultiple: {
    body: json({
      type: 'object',
      properties: { ids: { type: ['array', 'null'], items: { type: ['string', 'integer'] } } },
    }),
    response: { 204: NO_CONTENT, ...errors },
  },
} satisfies Record<string, FastifySchema>;

export const COMPUTER_SMART_GROUPS = {
  ...collectionSchemas('SmartGroup', 'GroupBody'),
  membership: {
    params: ID_PARAMS,
    response: {
      200: {
        type: 'object',
        required: ['members'],
        properties: { members: { type: 'array', items: { type: 'integer' } } },
      },
      ...errors,
    },
  },
} satisfies Record<string, FastifySchema>;

export const COMPUTER_STATIC_GROUPS = collectionSchemas('StaticGroup', 'GroupBody');

const mobileMembership = described('GET', '/api/v1/mobile-device-groups/static-group-membership/:id');

export const MOBILE_SMART_GROUPS = {
  ...collectionSchemas('MobileSmartGroup', 'GroupBody'),
  // The same page of devices as the static groups' membership, which 11.7.1 describes.
  membership: mobileMembership,
} satisfies Record<string, FastifySchema>;

export const OAUTH_TOKEN: FastifySchema = {
  // The form arrives as text (the plugin's parser); the token service reads and checks its fields.
  body: { content: { 'application/x-www-form-urlencoded': { schema: text } } },
  response: {
    200: {
      type: 'object',
      required: ['access_token', 'token_type', 'expires_in'],
      properties: {
        access_token: { type: 'string', minLength: 1 },
        scope: text,
        token_type: { const: 'Bearer' },
        expires_in: { type: 'integer', minimum: 1 },
      },
    },
    '4xx': {
      type: 'object',
      required: ['error'],
      properties: { error: text, error_description: text },
    },
    '5xx': { type: 'object', required: ['error'], properties: { error: text } },
  },
};

export const LAB_STATE: FastifySchema = { response: { 200: ref('LabSummary'), ...errors } };
export const LAB_RESET: FastifySchema = {
  // The reset takes nothing; a body sent anyway is ignored.
  body: {},
  response: { 200: ref('LabSummary'), ...errors },
};
