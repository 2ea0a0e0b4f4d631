/**
 * Tests for the SSF wire schemas: realistic valid bodies, invalid bodies with the exact error each one
 * must produce, and a compile-time check that the hand-written types in ../types/ssf-wire.ts describe the
 * same members (and the same required members) as the schemas.
 */
import { expect, test } from 'vitest';
import type {
  AddSubjectRequest,
  Delivery,
  ExtensionDelivery,
  PollDelivery,
  PollRequest,
  PollResponse,
  PushDelivery,
  PushErrorBody,
  RemoveSubjectRequest,
  StreamConfiguration,
  StreamCreateRequest,
  StreamReplaceRequest,
  StreamStatus,
  StreamStatusUpdateRequest,
  StreamUpdateRequest,
  TransmitterMetadata,
  VerificationRequest,
} from '../types/ssf-wire.ts';
import type { JsonSchema } from './json-schema.ts';
import { type SchemaResult, validateWithSchema } from './registry.ts';
import {
  ADD_SUBJECT_REQUEST_SCHEMA_ID,
  DELIVERY_SCHEMA_ID,
  POLL_DELIVERY_METHOD,
  POLL_REQUEST_SCHEMA_ID,
  POLL_RESPONSE_SCHEMA_ID,
  PUSH_DELIVERY_METHOD,
  PUSH_ERROR_CODES,
  PUSH_ERROR_SCHEMA_ID,
  RECEIVER_SUPPLIED_MEMBERS,
  REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
  SSF_WIRE_SCHEMAS,
  STREAM_CONFIGURATION_SCHEMA_ID,
  STREAM_CREATE_REQUEST_SCHEMA_ID,
  STREAM_REPLACE_REQUEST_SCHEMA_ID,
  STREAM_STATUS_SCHEMA_ID,
  STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
  STREAM_UPDATE_REQUEST_SCHEMA_ID,
  TRANSMITTER_METADATA_SCHEMA_ID,
  TRANSMITTER_SUPPLIED_MEMBERS,
  VERIFICATION_REQUEST_SCHEMA_ID,
} from './ssf-wire.ts';

// --- Type-level helpers: key maps written with `satisfies` fail to compile on a missing or extra key. ---

/** T without its index signatures, so only the declared members remain (modifiers are kept). */
type Declared<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
/** Declared member names; distributes over unions, giving every member name any variant declares. */
type KnownKeys<T> = T extends unknown ? keyof Declared<T> : never;
/** Declared member names that are not optional. */
type RequiredKeys<T> = {
  [K in keyof Declared<T>]-?: Declared<T> extends Record<K, unknown> ? K : never;
}[keyof Declared<T>];

function schemaById(id: string): JsonSchema {
  const schema = SSF_WIRE_SCHEMAS.find((s) => s.$id === id);
  if (schema === undefined) throw new Error(`no SSF wire schema ${id}`);
  return schema;
}

function sortedKeys(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

/** Asserts the schema declares exactly `members` as properties and exactly `required` as required. */
function expectSchemaMembers(id: string, members: object, required: object): void {
  const schema = schemaById(id);
  expect(sortedKeys(schema.properties)).toEqual(sortedKeys(members));
  expect([...((schema.required as string[] | undefined) ?? [])].sort()).toEqual(sortedKeys(required));
}

function expectValid(id: string, data: unknown): void {
  const result = validateWithSchema(id, data);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
}

/** Asserts the data is invalid with (at least) an error of `keyword` at `path`, with matching params. */
function expectError(
  id: string,
  data: unknown,
  path: string,
  keyword: string,
  params?: Record<string, unknown>,
): SchemaResult {
  const result = validateWithSchema(id, data);
  expect(result.valid).toBe(false);
  expect(result.errors).toContainEqual(
    expect.objectContaining({
      path,
      keyword,
      ...(params === undefined ? {} : { params: expect.objectContaining(params) }),
    }),
  );
  return result;
}

// --- Realistic examples, typed with the hand-written types so that they also check the types. ---

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const SESSION_REVOKED = `${CAEP}session-revoked`;
const CREDENTIAL_CHANGE = `${CAEP}credential-change`;
const DEVICE_COMPLIANCE_CHANGE = `${CAEP}device-compliance-change`;

const metadata: TransmitterMetadata = {
  spec_version: '1_0',
  issuer: 'https://tr.example.com',
  jwks_uri: 'https://tr.example.com/jwks.json',
  delivery_methods_supported: [PUSH_DELIVERY_METHOD, POLL_DELIVERY_METHOD],
  configuration_endpoint: 'https://tr.example.com/ssf/mgmt/stream',
  status_endpoint: 'https://tr.example.com/ssf/mgmt/status',
  add_subject_endpoint: 'https://tr.example.com/ssf/mgmt/subject:add',
  remove_subject_endpoint: 'https://tr.example.com/ssf/mgmt/subject:remove',
  verification_endpoint: 'https://tr.example.com/ssf/mgmt/verification',
  critical_subject_members: ['tenant', 'user'],
  authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }, { spec_urn: 'urn:ietf:rfc:8705' }],
  default_subjects: 'NONE',
};

const pushDelivery: PushDelivery = {
  method: PUSH_DELIVERY_METHOD,
  endpoint_url: 'https://receiver.example.com/ssf/events',
  authorization_header: 'Bearer push_token_3f0c1d8e-6b5a-4c2f-9e7d-2a1b0c9d8e7f',
};

const pollDelivery: PollDelivery = {
  method: POLL_DELIVERY_METHOD,
  endpoint_url: 'https://tr.example.com/ssf/poll/f67e39a0a4d34d56b3aa1bc4cff0069f',
};

const pushStream: StreamConfiguration = {
  stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f',
  iss: 'https://tr.example.com',
  aud: ['https://receiver.example.com/web', 'https://receiver.example.com/mobile'],
  events_supported: [SESSION_REVOKED, CREDENTIAL_CHANGE, DEVICE_COMPLIANCE_CHANGE],
  events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
  events_delivered: [SESSION_REVOKED, CREDENTIAL_CHANGE],
  delivery: pushDelivery,
  min_verification_interval: 60,
  description: 'Session revocations for the web and mobile apps',
  inactivity_timeout: 86400,
};

const pollStream: StreamConfiguration = {
  stream_id: 'b2c9a4e1-poll',
  iss: 'https://tr.example.com/tenant-7',
  aud: 'https://receiver.example.com',
  events_delivered: [],
  delivery: pollDelivery,
};

/** A compact JWS with a real-looking header and payload (the signature bytes are not checked here). */
function compactJws(claims: object): string {
  const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ typ: 'secevent+jwt', alg: 'RS256', kid: 'key-1' })}.${b64(claims)}.c2lnbmF0dXJlLWJ5dGVz`;
}

/** A copy of `value` without `member`, to build bodies that lack a required member. */
function without<T extends object>(value: T, member: keyof T & string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  delete copy[member];
  return copy;
}

// --- Registry-wide ---

test('every SSF wire schema has a distinct ssf-lab id and a title citing its spec section', () => {
  const ids = SSF_WIRE_SCHEMAS.map((s) => s.$id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const schema of SSF_WIRE_SCHEMAS) {
    expect(schema.$id).toMatch(/^urn:ssf-lab:schema:ssf:[a-z-]+$/);
    expect(schema.title).toMatch(/^(SSF 1\.0|RFC 893[56]) §\d/);
  }
});

test.each(SSF_WIRE_SCHEMAS.map((s) => s.$id as string))(
  'the %s schema rejects a body that is not a JSON object',
  (id) => {
    expectError(id, [], '', 'type', { type: 'object' });
    expectError(id, 'stream_id=abc', '', 'type', { type: 'object' });
  },
);

// --- Types agree with schemas ---

test('the TransmitterMetadata type has the members and required members of the metadata schema', () => {
  const members = {
    spec_version: true,
    issuer: true,
    jwks_uri: true,
    delivery_methods_supported: true,
    configuration_endpoint: true,
    status_endpoint: true,
    add_subject_endpoint: true,
    remove_subject_endpoint: true,
    verification_endpoint: true,
    critical_subject_members: true,
    authorization_schemes: true,
    default_subjects: true,
  } satisfies Record<KnownKeys<TransmitterMetadata>, true>;
  const required = { issuer: true } satisfies Record<RequiredKeys<TransmitterMetadata>, true>;
  expectSchemaMembers(TRANSMITTER_METADATA_SCHEMA_ID, members, required);
});

test('the Delivery union has the members of the delivery schema, and push alone requires endpoint_url', () => {
  const members = { method: true, endpoint_url: true, authorization_header: true } satisfies Record<
    KnownKeys<Delivery>,
    true
  >;
  // Required by every variant: what the schema requires unconditionally.
  const required = { method: true } satisfies Record<
    RequiredKeys<PushDelivery> & RequiredKeys<PollDelivery> & RequiredKeys<ExtensionDelivery>,
    true
  >;
  expectSchemaMembers(DELIVERY_SCHEMA_ID, members, required);
  const pushRequired = { method: true, endpoint_url: true } satisfies Record<
    RequiredKeys<PushDelivery>,
    true
  >;
  const [pushRule] = schemaById(DELIVERY_SCHEMA_ID).allOf as { then: { required: string[] } }[];
  expect(['method', ...(pushRule?.then.required ?? [])].sort()).toEqual(sortedKeys(pushRequired));
});

test('the StreamConfiguration type has the members and required members of the stream configuration schema', () => {
  const members = {
    stream_id: true,
    iss: true,
    aud: true,
    events_supported: true,
    events_requested: true,
    events_delivered: true,
    delivery: true,
    min_verification_interval: true,
    description: true,
    inactivity_timeout: true,
  } satisfies Record<KnownKeys<StreamConfiguration>, true>;
  const required = {
    stream_id: true,
    iss: true,
    aud: true,
    events_delivered: true,
    delivery: true,
  } satisfies Record<RequiredKeys<StreamConfiguration>, true>;
  expectSchemaMembers(STREAM_CONFIGURATION_SCHEMA_ID, members, required);
});

test('Receiver- and Transmitter-supplied member lists together cover the stream configuration', () => {
  RECEIVER_SUPPLIED_MEMBERS satisfies readonly KnownKeys<StreamCreateRequest>[];
  TRANSMITTER_SUPPLIED_MEMBERS satisfies readonly KnownKeys<StreamConfiguration>[];
  const all = new Set<string>([...RECEIVER_SUPPLIED_MEMBERS, ...TRANSMITTER_SUPPLIED_MEMBERS]);
  expect([...all].sort()).toEqual(sortedKeys(schemaById(STREAM_CONFIGURATION_SCHEMA_ID).properties));
  expect([...RECEIVER_SUPPLIED_MEMBERS].sort()).toEqual(
    sortedKeys(schemaById(STREAM_CREATE_REQUEST_SCHEMA_ID).properties),
  );
});

test('the StreamCreateRequest type has the members of the create request schema and requires none', () => {
  const members = { events_requested: true, delivery: true, description: true } satisfies Record<
    KnownKeys<StreamCreateRequest>,
    true
  >;
  const required = {} satisfies Record<RequiredKeys<StreamCreateRequest>, true>;
  expectSchemaMembers(STREAM_CREATE_REQUEST_SCHEMA_ID, members, required);
});

test('the update and replace request types have every stream member and their own required members', () => {
  const members = {
    stream_id: true,
    iss: true,
    aud: true,
    events_supported: true,
    events_requested: true,
    events_delivered: true,
    delivery: true,
    min_verification_interval: true,
    description: true,
    inactivity_timeout: true,
  } satisfies Record<KnownKeys<StreamReplaceRequest>, true>;
  members satisfies Record<KnownKeys<StreamUpdateRequest>, true>;
  const updateRequired = { stream_id: true } satisfies Record<RequiredKeys<StreamUpdateRequest>, true>;
  const replaceRequired = { stream_id: true, delivery: true } satisfies Record<
    RequiredKeys<StreamReplaceRequest>,
    true
  >;
  expectSchemaMembers(STREAM_UPDATE_REQUEST_SCHEMA_ID, members, updateRequired);
  expectSchemaMembers(STREAM_REPLACE_REQUEST_SCHEMA_ID, members, replaceRequired);
});

test('the stream status types have the members and required members of both status schemas', () => {
  const members = { stream_id: true, status: true, reason: true } satisfies Record<
    KnownKeys<StreamStatus>,
    true
  >;
  members satisfies Record<KnownKeys<StreamStatusUpdateRequest>, true>;
  const required = { stream_id: true, status: true } satisfies Record<RequiredKeys<StreamStatus>, true>;
  required satisfies Record<RequiredKeys<StreamStatusUpdateRequest>, true>;
  expectSchemaMembers(STREAM_STATUS_SCHEMA_ID, members, required);
  expectSchemaMembers(STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID, members, required);
  expect(schemaById(STREAM_STATUS_SCHEMA_ID).properties).toEqual(
    schemaById(STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID).properties,
  );
});

test('the subject request types have the members and required members of the add and remove schemas', () => {
  const addMembers = { stream_id: true, subject: true, verified: true } satisfies Record<
    KnownKeys<AddSubjectRequest>,
    true
  >;
  const addRequired = { stream_id: true, subject: true } satisfies Record<
    RequiredKeys<AddSubjectRequest>,
    true
  >;
  const removeMembers = { stream_id: true, subject: true } satisfies Record<
    KnownKeys<RemoveSubjectRequest>,
    true
  >;
  const removeRequired = { stream_id: true, subject: true } satisfies Record<
    RequiredKeys<RemoveSubjectRequest>,
    true
  >;
  expectSchemaMembers(ADD_SUBJECT_REQUEST_SCHEMA_ID, addMembers, addRequired);
  expectSchemaMembers(REMOVE_SUBJECT_REQUEST_SCHEMA_ID, removeMembers, removeRequired);
});

test('the VerificationRequest type has the members and required members of the verification schema', () => {
  const members = { stream_id: true, state: true } satisfies Record<KnownKeys<VerificationRequest>, true>;
  const required = { stream_id: true } satisfies Record<RequiredKeys<VerificationRequest>, true>;
  expectSchemaMembers(VERIFICATION_REQUEST_SCHEMA_ID, members, required);
});

test('the poll types have the members and required members of the poll request and response schemas', () => {
  const requestMembers = {
    maxEvents: true,
    returnImmediately: true,
    ack: true,
    setErrs: true,
  } satisfies Record<KnownKeys<PollRequest>, true>;
  const requestRequired = {} satisfies Record<RequiredKeys<PollRequest>, true>;
  const responseMembers = { sets: true, moreAvailable: true } satisfies Record<KnownKeys<PollResponse>, true>;
  const responseRequired = { sets: true } satisfies Record<RequiredKeys<PollResponse>, true>;
  expectSchemaMembers(POLL_REQUEST_SCHEMA_ID, requestMembers, requestRequired);
  expectSchemaMembers(POLL_RESPONSE_SCHEMA_ID, responseMembers, responseRequired);
});

test('the PushErrorBody type has the members of the push error schema and of each setErrs entry', () => {
  const members = { err: true, description: true } satisfies Record<KnownKeys<PushErrorBody>, true>;
  const required = { err: true, description: true } satisfies Record<RequiredKeys<PushErrorBody>, true>;
  expectSchemaMembers(PUSH_ERROR_SCHEMA_ID, members, required);
  const pollProperties = schemaById(POLL_REQUEST_SCHEMA_ID).properties as {
    setErrs: { additionalProperties: { properties: object; required: string[] } };
  };
  const entry = pollProperties.setErrs.additionalProperties;
  expect(sortedKeys(entry.properties)).toEqual(sortedKeys(members));
  expect([...entry.required].sort()).toEqual(sortedKeys(required));
});

// --- Transmitter metadata (SSF 1.0 §7.1) ---

test('full transmitter metadata with every member is valid', () => {
  expectValid(TRANSMITTER_METADATA_SCHEMA_ID, metadata);
});

test('metadata with only an issuer, or with extra claims, is valid', () => {
  expectValid(TRANSMITTER_METADATA_SCHEMA_ID, { issuer: 'https://tr.example.com/issuer1' });
  expectValid(TRANSMITTER_METADATA_SCHEMA_ID, {
    ...metadata,
    service_documentation: 'https://tr.example.com/docs',
  });
});

test('metadata without an issuer fails on the required issuer', () => {
  expectError(TRANSMITTER_METADATA_SCHEMA_ID, without(metadata, 'issuer'), '', 'required', {
    missingProperty: 'issuer',
  });
});

test('metadata whose issuer uses http instead of https fails the issuer pattern', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, issuer: 'http://tr.example.com' },
    '/issuer',
    'pattern',
  );
});

test('metadata whose issuer has a query string or a fragment fails the issuer pattern', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, issuer: 'https://tr.example.com?tenant=7' },
    '/issuer',
    'pattern',
  );
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, issuer: 'https://tr.example.com/#a' },
    '/issuer',
    'pattern',
  );
});

test('metadata whose issuer is not a URI at all fails the uri format', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, issuer: 'tr.example.com' },
    '/issuer',
    'format',
    {
      format: 'uri',
    },
  );
});

test('metadata with an http endpoint fails the https pattern on that endpoint', () => {
  const result = expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, configuration_endpoint: 'http://tr.example.com/ssf/mgmt/stream' },
    '/configuration_endpoint',
    'pattern',
  );
  expect(result.errors).toHaveLength(1);
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, jwks_uri: 'http://tr.example.com/jwks' },
    '/jwks_uri',
    'pattern',
  );
});

test('metadata endpoints may carry a query string, unlike the issuer', () => {
  expectValid(TRANSMITTER_METADATA_SCHEMA_ID, {
    ...metadata,
    status_endpoint: 'https://tr.example.com/ssf?op=status',
  });
});

test('metadata with an empty array fails minItems, since empty claims must be omitted', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, delivery_methods_supported: [] },
    '/delivery_methods_supported',
    'minItems',
    { limit: 1 },
  );
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, critical_subject_members: [] },
    '/critical_subject_members',
    'minItems',
  );
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, authorization_schemes: [] },
    '/authorization_schemes',
    'minItems',
  );
});

test('metadata with an extension delivery method URI is valid, but a bare word is not a URI', () => {
  expectValid(TRANSMITTER_METADATA_SCHEMA_ID, {
    ...metadata,
    delivery_methods_supported: [PUSH_DELIVERY_METHOD, 'https://schemas.example.com/delivery/websocket'],
  });
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, delivery_methods_supported: ['push'] },
    '/delivery_methods_supported/0',
    'format',
  );
});

test('metadata with default_subjects SOME fails the ALL/NONE enum', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, default_subjects: 'SOME' },
    '/default_subjects',
    'enum',
    {
      allowedValues: ['ALL', 'NONE'],
    },
  );
});

test('an authorization_schemes entry without spec_urn fails on the required spec_urn', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    {
      ...metadata,
      authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }, { grant: 'client_credentials' }],
    },
    '/authorization_schemes/1',
    'required',
    { missingProperty: 'spec_urn' },
  );
});

test('an authorization_schemes spec_urn that is not a URN fails the urn pattern', () => {
  expectError(
    TRANSMITTER_METADATA_SCHEMA_ID,
    { ...metadata, authorization_schemes: [{ spec_urn: 'https://datatracker.ietf.org/doc/html/rfc6749' }] },
    '/authorization_schemes/0/spec_urn',
    'pattern',
  );
});

// --- Delivery (SSF 1.0 §6.1) ---

test('push, poll and extension delivery objects are valid', () => {
  expectValid(DELIVERY_SCHEMA_ID, pushDelivery);
  expectValid(DELIVERY_SCHEMA_ID, {
    method: PUSH_DELIVERY_METHOD,
    endpoint_url: 'https://receiver.example.com/push',
  });
  expectValid(DELIVERY_SCHEMA_ID, pollDelivery);
  expectValid(DELIVERY_SCHEMA_ID, { method: POLL_DELIVERY_METHOD });
  const websocket: ExtensionDelivery = {
    method: 'https://schemas.example.com/delivery/websocket',
    channel: 'risk',
  };
  expectValid(DELIVERY_SCHEMA_ID, websocket);
});

test('a push delivery without endpoint_url fails on the required endpoint_url', () => {
  const result = expectError(DELIVERY_SCHEMA_ID, { method: PUSH_DELIVERY_METHOD }, '', 'required', {
    missingProperty: 'endpoint_url',
  });
  // The if/then structure yields one precise error, not a oneOf cascade.
  expect(result.errors).toHaveLength(1);
});

test('a delivery without a method, or with a method that is not a URI, fails on method', () => {
  expectError(DELIVERY_SCHEMA_ID, { endpoint_url: 'https://receiver.example.com/push' }, '', 'required', {
    missingProperty: 'method',
  });
  expectError(
    DELIVERY_SCHEMA_ID,
    { method: 'push', endpoint_url: 'https://receiver.example.com/push' },
    '/method',
    'format',
  );
});

test('a delivery whose authorization_header is not a string fails the type', () => {
  expectError(
    DELIVERY_SCHEMA_ID,
    { ...pushDelivery, authorization_header: { Bearer: 'x' } },
    '/authorization_header',
    'type',
  );
});

// --- Stream configuration (SSF 1.0 §8.1.1) ---

test('push and poll stream configurations returned by a transmitter are valid', () => {
  expectValid(STREAM_CONFIGURATION_SCHEMA_ID, pushStream);
  expectValid(STREAM_CONFIGURATION_SCHEMA_ID, pollStream);
  expectValid(STREAM_CONFIGURATION_SCHEMA_ID, { ...pollStream, x_vendor_region: 'eu-1' });
});

test.each(['stream_id', 'iss', 'aud', 'events_delivered', 'delivery'] as const)(
  'a stream configuration without %s fails on that required member',
  (member) => {
    expectError(STREAM_CONFIGURATION_SCHEMA_ID, without(pushStream, member), '', 'required', {
      missingProperty: member,
    });
  },
);

test('a stream configuration with a push delivery lacking endpoint_url fails at /delivery', () => {
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, delivery: { method: PUSH_DELIVERY_METHOD } },
    '/delivery',
    'required',
    {
      missingProperty: 'endpoint_url',
    },
  );
});

test('a stream configuration with a poll delivery lacking the transmitter-assigned endpoint_url fails', () => {
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pollStream, delivery: { method: POLL_DELIVERY_METHOD } },
    '/delivery',
    'required',
    {
      missingProperty: 'endpoint_url',
    },
  );
});

test('a stream configuration with an empty or non-string aud fails the aud anyOf', () => {
  const empty = expectError(STREAM_CONFIGURATION_SCHEMA_ID, { ...pushStream, aud: [] }, '/aud', 'anyOf');
  expect(empty.errors).toContainEqual(expect.objectContaining({ path: '/aud', keyword: 'minItems' }));
  expectError(STREAM_CONFIGURATION_SCHEMA_ID, { ...pushStream, aud: 42 }, '/aud', 'anyOf');
  expectError(STREAM_CONFIGURATION_SCHEMA_ID, { ...pushStream, aud: '' }, '/aud', 'anyOf');
});

test('a stream configuration with an http iss fails the issuer pattern', () => {
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, iss: 'http://tr.example.com' },
    '/iss',
    'pattern',
  );
});

test('a stream configuration with an empty stream_id fails minLength', () => {
  expectError(STREAM_CONFIGURATION_SCHEMA_ID, { ...pushStream, stream_id: '' }, '/stream_id', 'minLength');
});

test('a stream configuration with a negative or fractional interval fails minimum or integer type', () => {
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, min_verification_interval: -1 },
    '/min_verification_interval',
    'minimum',
  );
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, inactivity_timeout: 1.5 },
    '/inactivity_timeout',
    'type',
    {
      type: 'integer',
    },
  );
});

test('a stream configuration whose event list holds a non-URI entry fails the uri format at that entry', () => {
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, events_delivered: [SESSION_REVOKED, 'session revoked'] },
    '/events_delivered/1',
    'format',
  );
  expectError(
    STREAM_CONFIGURATION_SCHEMA_ID,
    { ...pushStream, events_supported: SESSION_REVOKED },
    '/events_supported',
    'type',
  );
});

// --- Create, update, replace (SSF 1.0 §8.1.1.1, §8.1.1.3, §8.1.1.4) ---

test('create requests with receiver-supplied members, or an empty body meaning poll, are valid', () => {
  const create: StreamCreateRequest = {
    events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE, DEVICE_COMPLIANCE_CHANGE],
    delivery: pushDelivery,
    description: 'Stream for OIDF Conformance Test-Suite',
  };
  expectValid(STREAM_CREATE_REQUEST_SCHEMA_ID, create);
  expectValid(STREAM_CREATE_REQUEST_SCHEMA_ID, { delivery: { method: POLL_DELIVERY_METHOD } });
  expectValid(STREAM_CREATE_REQUEST_SCHEMA_ID, {});
});

test('a create request carrying transmitter-supplied members is left for the transmitter to judge', () => {
  expectValid(STREAM_CREATE_REQUEST_SCHEMA_ID, { iss: 'https://tr.example.com', stream_id: 'mine' });
});

test('a create request with a push delivery lacking endpoint_url fails at /delivery', () => {
  expectError(
    STREAM_CREATE_REQUEST_SCHEMA_ID,
    { delivery: { method: PUSH_DELIVERY_METHOD } },
    '/delivery',
    'required',
    {
      missingProperty: 'endpoint_url',
    },
  );
});

test('a create request whose events_requested is a string fails the array type', () => {
  expectError(
    STREAM_CREATE_REQUEST_SCHEMA_ID,
    { events_requested: SESSION_REVOKED },
    '/events_requested',
    'type',
    {
      type: 'array',
    },
  );
});

test('update requests with a stream_id and any subset of members are valid', () => {
  const update: StreamUpdateRequest = {
    stream_id: pushStream.stream_id,
    events_requested: [SESSION_REVOKED],
  };
  expectValid(STREAM_UPDATE_REQUEST_SCHEMA_ID, update);
  expectValid(STREAM_UPDATE_REQUEST_SCHEMA_ID, { stream_id: pushStream.stream_id });
  // Echoing the whole configuration back is allowed when transmitter-supplied values are unchanged.
  expectValid(STREAM_UPDATE_REQUEST_SCHEMA_ID, pushStream);
});

test('an update request without stream_id fails on the required stream_id', () => {
  expectError(STREAM_UPDATE_REQUEST_SCHEMA_ID, { description: 'renamed' }, '', 'required', {
    missingProperty: 'stream_id',
  });
});

test('an update request with malformed members fails on those members', () => {
  expectError(STREAM_UPDATE_REQUEST_SCHEMA_ID, { stream_id: 'abc', aud: [] }, '/aud', 'anyOf');
  expectError(STREAM_UPDATE_REQUEST_SCHEMA_ID, { stream_id: 'abc', description: 7 }, '/description', 'type');
});

test('replace requests with stream_id and delivery are valid, with or without the optional members', () => {
  const replace: StreamReplaceRequest = {
    stream_id: pushStream.stream_id,
    events_requested: [SESSION_REVOKED],
    delivery: pushDelivery,
    description: 'Only session revocations',
  };
  expectValid(STREAM_REPLACE_REQUEST_SCHEMA_ID, replace);
  expectValid(STREAM_REPLACE_REQUEST_SCHEMA_ID, {
    stream_id: 'abc',
    delivery: { method: POLL_DELIVERY_METHOD },
  });
  expectValid(STREAM_REPLACE_REQUEST_SCHEMA_ID, pushStream);
});

test('a replace request without delivery fails on the required delivery', () => {
  expectError(
    STREAM_REPLACE_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', events_requested: [SESSION_REVOKED] },
    '',
    'required',
    {
      missingProperty: 'delivery',
    },
  );
});

test('a replace request without stream_id fails on the required stream_id', () => {
  expectError(STREAM_REPLACE_REQUEST_SCHEMA_ID, { delivery: pushDelivery }, '', 'required', {
    missingProperty: 'stream_id',
  });
});

// --- Status (SSF 1.0 §8.1.2) ---

test('stream statuses with each status value, with and without reason, are valid', () => {
  for (const status of ['enabled', 'paused', 'disabled'] as const) {
    const body: StreamStatus = { stream_id: pushStream.stream_id, status };
    expectValid(STREAM_STATUS_SCHEMA_ID, body);
  }
  expectValid(STREAM_STATUS_SCHEMA_ID, {
    stream_id: 'abc',
    status: 'paused',
    reason: 'Receiver asked to pause',
  });
});

test('a stream status of stopped fails the status enum', () => {
  expectError(STREAM_STATUS_SCHEMA_ID, { stream_id: 'abc', status: 'stopped' }, '/status', 'enum', {
    allowedValues: ['enabled', 'paused', 'disabled'],
  });
});

test('a stream status without stream_id, or with a non-string reason, fails on that member', () => {
  expectError(STREAM_STATUS_SCHEMA_ID, { status: 'enabled' }, '', 'required', {
    missingProperty: 'stream_id',
  });
  expectError(
    STREAM_STATUS_SCHEMA_ID,
    { stream_id: 'abc', status: 'disabled', reason: 503 },
    '/reason',
    'type',
  );
});

test('a status update request with stream_id, status and reason is valid', () => {
  const body: StreamStatusUpdateRequest = {
    stream_id: 'abc',
    status: 'paused',
    reason: 'Planned maintenance',
  };
  expectValid(STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID, body);
});

test('a status update request without status, or with status stopped, fails on status', () => {
  expectError(STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID, { stream_id: 'abc' }, '', 'required', {
    missingProperty: 'status',
  });
  expectError(
    STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', status: 'stopped' },
    '/status',
    'enum',
  );
});

// --- Subjects (SSF 1.0 §8.1.3) ---

test('add subject requests with simple and complex subjects are valid', () => {
  const add: AddSubjectRequest = {
    stream_id: pushStream.stream_id,
    subject: { format: 'email', email: 'example.user@example.com' },
    verified: true,
  };
  expectValid(ADD_SUBJECT_REQUEST_SCHEMA_ID, add);
  expectValid(ADD_SUBJECT_REQUEST_SCHEMA_ID, {
    stream_id: pushStream.stream_id,
    subject: {
      format: 'complex',
      user: { format: 'iss_sub', iss: 'https://idp.example.com', sub: 'u-2891' },
      tenant: { format: 'opaque', id: 'tenant-7' },
    },
  });
});

test('an add subject request without subject fails on the required subject', () => {
  expectError(ADD_SUBJECT_REQUEST_SCHEMA_ID, { stream_id: 'abc', verified: true }, '', 'required', {
    missingProperty: 'subject',
  });
});

test('an add subject request with a malformed subject fails inside /subject', () => {
  expectError(
    ADD_SUBJECT_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', subject: { format: 'email', email: 'not-an-address' } },
    '/subject/email',
    'format',
  );
  expectError(
    ADD_SUBJECT_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', subject: { email: 'a@example.com' } },
    '/subject',
    'required',
    {
      missingProperty: 'format',
    },
  );
});

test('an add subject request with a string verified flag fails the boolean type', () => {
  expectError(
    ADD_SUBJECT_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', subject: { format: 'opaque', id: 'u-1' }, verified: 'yes' },
    '/verified',
    'type',
  );
});

test('a remove subject request with stream_id and subject is valid', () => {
  const remove: RemoveSubjectRequest = {
    stream_id: pushStream.stream_id,
    subject: { format: 'phone_number', phone_number: '+12065550123' },
  };
  expectValid(REMOVE_SUBJECT_REQUEST_SCHEMA_ID, remove);
});

test('a remove subject request without stream_id, or with a string subject, fails on that member', () => {
  expectError(
    REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
    { subject: { format: 'opaque', id: 'u-1' } },
    '',
    'required',
    {
      missingProperty: 'stream_id',
    },
  );
  expectError(
    REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
    { stream_id: 'abc', subject: 'user@example.com' },
    '/subject',
    'type',
  );
});

// --- Verification (SSF 1.0 §8.1.4.2) ---

test('verification requests with and without state are valid', () => {
  const verify: VerificationRequest = { stream_id: pushStream.stream_id, state: 'VGhpcyBpcyBhbiBleGFtcGxl' };
  expectValid(VERIFICATION_REQUEST_SCHEMA_ID, verify);
  expectValid(VERIFICATION_REQUEST_SCHEMA_ID, { stream_id: pushStream.stream_id });
});

test('a verification request without stream_id, or with a numeric state, fails on that member', () => {
  expectError(VERIFICATION_REQUEST_SCHEMA_ID, { state: 'abc' }, '', 'required', {
    missingProperty: 'stream_id',
  });
  expectError(VERIFICATION_REQUEST_SCHEMA_ID, { stream_id: 'abc', state: 12345 }, '/state', 'type');
});

// --- Poll (RFC 8936 §2.4, §2.5) ---

test('default, combined and acknowledge-only poll requests are valid', () => {
  expectValid(POLL_REQUEST_SCHEMA_ID, {});
  const combined: PollRequest = {
    maxEvents: 10,
    returnImmediately: true,
    ack: ['4d3559ec67504aaba65d40b0363faad8', '3d0c3cf797584bd193bd0fb1bd4e7d30'],
    setErrs: {
      '2b6a4b7c1e5d4f8a9b0c1d2e3f4a5b6c': {
        err: 'invalid_state',
        description: 'state does not match the request',
      },
    },
  };
  expectValid(POLL_REQUEST_SCHEMA_ID, combined);
  expectValid(POLL_REQUEST_SCHEMA_ID, {
    maxEvents: 0,
    returnImmediately: true,
    ack: ['4d3559ec67504aaba65d40b0363faad8'],
  });
  expectValid(POLL_REQUEST_SCHEMA_ID, { ack: [], setErrs: {} });
});

test('a poll request with maxEvents -1 fails minimum', () => {
  expectError(POLL_REQUEST_SCHEMA_ID, { maxEvents: -1 }, '/maxEvents', 'minimum', { limit: 0 });
});

test('a poll request with fractional maxEvents or a string returnImmediately fails the type', () => {
  expectError(POLL_REQUEST_SCHEMA_ID, { maxEvents: 2.5 }, '/maxEvents', 'type', { type: 'integer' });
  expectError(POLL_REQUEST_SCHEMA_ID, { returnImmediately: 'true' }, '/returnImmediately', 'type', {
    type: 'boolean',
  });
});

test('a poll request acknowledging an empty jti fails minLength at that entry', () => {
  expectError(
    POLL_REQUEST_SCHEMA_ID,
    { ack: ['4d3559ec67504aaba65d40b0363faad8', ''] },
    '/ack/1',
    'minLength',
  );
});

test('a poll request whose setErrs entry lacks description fails on the required description', () => {
  expectError(
    POLL_REQUEST_SCHEMA_ID,
    { setErrs: { e1f2a3b4: { err: 'invalid_request' } } },
    '/setErrs/e1f2a3b4',
    'required',
    { missingProperty: 'description' },
  );
  expectError(POLL_REQUEST_SCHEMA_ID, { setErrs: ['e1f2a3b4'] }, '/setErrs', 'type', { type: 'object' });
});

test('poll responses with SETs, with none, and with moreAvailable are valid', () => {
  const jti = '4d3559ec67504aaba65d40b0363faad8';
  const response: PollResponse = {
    sets: {
      [jti]: compactJws({
        iss: 'https://tr.example.com',
        jti,
        iat: 1_735_689_600,
        aud: 'https://receiver.example.com',
      }),
    },
    moreAvailable: true,
  };
  expectValid(POLL_RESPONSE_SCHEMA_ID, response);
  expectValid(POLL_RESPONSE_SCHEMA_ID, { sets: {} });
});

test('a poll response whose sets is an array fails the object type', () => {
  expectError(POLL_RESPONSE_SCHEMA_ID, { sets: [compactJws({ jti: 'a' })] }, '/sets', 'type', {
    type: 'object',
  });
});

test('a poll response without sets fails on the required sets', () => {
  expectError(POLL_RESPONSE_SCHEMA_ID, { moreAvailable: false }, '', 'required', { missingProperty: 'sets' });
});

test('a poll response carrying a decoded SET instead of its compact form fails the JWS pattern', () => {
  expectError(POLL_RESPONSE_SCHEMA_ID, { sets: { a1: 'not a jws' } }, '/sets/a1', 'pattern');
  expectError(
    POLL_RESPONSE_SCHEMA_ID,
    { sets: { a1: { iss: 'https://tr.example.com' } } },
    '/sets/a1',
    'type',
  );
});

test('a poll response with a string moreAvailable fails the boolean type', () => {
  expectError(POLL_RESPONSE_SCHEMA_ID, { sets: {}, moreAvailable: 'no' }, '/moreAvailable', 'type');
});

// --- Push error (RFC 8935 §2.3) ---

test('push error bodies with every registered code, and with an unregistered code, are valid', () => {
  for (const err of PUSH_ERROR_CODES) {
    const body: PushErrorBody = { err, description: `SET rejected: ${err}` };
    expectValid(PUSH_ERROR_SCHEMA_ID, body);
  }
  // The IANA registry is open-ended: the schema leaves judging the code to a check.
  expectValid(PUSH_ERROR_SCHEMA_ID, { err: 'invalid_subject', description: 'Subject is not allowed' });
});

test('a push error without description fails on the required description', () => {
  expectError(PUSH_ERROR_SCHEMA_ID, { err: 'invalid_audience' }, '', 'required', {
    missingProperty: 'description',
  });
});

test('a push error with an empty or non-string err fails on err', () => {
  expectError(PUSH_ERROR_SCHEMA_ID, { err: '', description: 'x' }, '/err', 'minLength');
  expectError(PUSH_ERROR_SCHEMA_ID, { err: 400, description: 'x' }, '/err', 'type');
});
