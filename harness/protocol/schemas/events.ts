/**
 * JSON Schemas for every event payload ssf-lab knows: the 8 CAEP 1.0 events, the 14 RISC 1.0 events,
 * the two SSF control events, Okta's three proprietary events, and Okta's receiver shapes of the three
 * standard events it accepts.
 *
 * Payload schemas stay open ("additionalProperties" not false): SSF 1.0 §4.2.3 lets transmitters add
 * fields anywhere and tells receivers to ignore them. A legacy in-event `subject` is declared so that a
 * schema consumer sees its shape; the validator judges subjects itself, under the subject rules.
 */
import type { JsonSchema } from './json-schema.ts';
import { SUBJECT_ID_SCHEMA_ID, subjectFormatSchemaId } from './subject-identifiers.ts';

export const CAEP_BASE = 'https://schemas.openid.net/secevent/caep/event-type/';
export const RISC_BASE = 'https://schemas.openid.net/secevent/risc/event-type/';
export const SSF_BASE = 'https://schemas.openid.net/secevent/ssf/event-type/';
export const OKTA_BASE = 'https://schemas.okta.com/secevent/okta/event-type/';

const COMMON = 'urn:ssf-lab:schema:event:common';

export function eventSchemaId(family: 'caep' | 'risc' | 'ssf' | 'okta' | 'okta-ssf', name: string): string {
  return `urn:ssf-lab:schema:event:${family}:${name}`;
}

/** CAEP 1.0 §2 optional claims, shared by CAEP events and RISC credential-compromise. */
const COMMON_SCHEMA: JsonSchema = {
  $id: COMMON,
  title: 'CAEP 1.0 §2 optional event claims',
  $defs: {
    event_timestamp: { type: 'number', minimum: 0 },
    initiating_entity: { enum: ['admin', 'user', 'policy', 'system'] },
    // One or more BCP 47 language tag → message pairs.
    reason: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$' },
      additionalProperties: { type: 'string' },
    },
  },
};

const commonProperties = {
  event_timestamp: { $ref: `${COMMON}#/$defs/event_timestamp` },
  initiating_entity: { $ref: `${COMMON}#/$defs/initiating_entity` },
  reason_admin: { $ref: `${COMMON}#/$defs/reason` },
  reason_user: { $ref: `${COMMON}#/$defs/reason` },
  subject: { $ref: SUBJECT_ID_SCHEMA_ID },
} as const;

const CREDENTIAL_TYPES = [
  'password',
  'pin',
  'x509',
  'fido2-platform',
  'fido2-roaming',
  'fido-u2f',
  'verifiable-credential',
  'phone-voice',
  'phone-sms',
  'app',
] as const;

/** CAEP 1.0 §3.3: the listed values "or any other credential type supported mutually". */
const credentialType = {
  type: 'string',
  minLength: 1,
  examples: CREDENTIAL_TYPES,
} as const;

function payload(
  family: 'caep' | 'risc' | 'ssf',
  name: string,
  title: string,
  properties: Record<string, unknown> = {},
  required: readonly string[] = [],
  withCommon = true,
): JsonSchema {
  return {
    $id: eventSchemaId(family, name),
    title,
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties: withCommon ? { ...commonProperties, ...properties } : properties,
  };
}

const CAEP_SCHEMAS: readonly JsonSchema[] = [
  payload('caep', 'session-revoked', 'CAEP 1.0 §3.1 Session Revoked'),
  payload(
    'caep',
    'token-claims-change',
    'CAEP 1.0 §3.2 Token Claims Change',
    { claims: { type: 'object', minProperties: 1 } },
    ['claims'],
  ),
  payload(
    'caep',
    'credential-change',
    'CAEP 1.0 §3.3 Credential Change',
    {
      credential_type: credentialType,
      change_type: { enum: ['create', 'revoke', 'update', 'delete'] },
      friendly_name: { type: 'string' },
      x509_issuer: { type: 'string' },
      x509_serial: { type: 'string' },
      fido2_aaguid: { type: 'string' },
    },
    ['credential_type', 'change_type'],
  ),
  payload(
    'caep',
    'assurance-level-change',
    'CAEP 1.0 §3.4 Assurance Level Change',
    {
      namespace: { type: 'string', minLength: 1 },
      current_level: { type: 'string', minLength: 1 },
      previous_level: { type: 'string', minLength: 1 },
      change_direction: { enum: ['increase', 'decrease'] },
    },
    ['namespace', 'current_level'],
  ),
  payload(
    'caep',
    'device-compliance-change',
    'CAEP 1.0 §3.5 Device Compliance Change',
    {
      previous_status: { enum: ['compliant', 'not-compliant'] },
      current_status: { enum: ['compliant', 'not-compliant'] },
    },
    ['previous_status', 'current_status'],
  ),
  payload('caep', 'session-established', 'CAEP 1.0 §3.6 Session Established', {
    fp_ua: { type: 'string' },
    acr: { type: 'string' },
    amr: { type: 'array', items: { type: 'string' } },
    ext_id: { type: 'string' },
  }),
  payload('caep', 'session-presented', 'CAEP 1.0 §3.7 Session Presented', {
    fp_ua: { type: 'string' },
    ext_id: { type: 'string' },
  }),
  payload(
    'caep',
    'risk-level-change',
    'CAEP 1.0 §3.8 Risk Level Change',
    {
      // USER, DEVICE, SESSION, TENANT, ORG_UNIT, GROUP "or any other entity" defined by SSF §2.
      principal: {
        type: 'string',
        minLength: 1,
        examples: ['USER', 'DEVICE', 'SESSION', 'TENANT', 'ORG_UNIT', 'GROUP'],
      },
      current_level: { enum: ['LOW', 'MEDIUM', 'HIGH'] },
      previous_level: { enum: ['LOW', 'MEDIUM', 'HIGH'] },
      risk_reason: { type: 'string' },
    },
    ['principal', 'current_level'],
  ),
];

/** RISC 1.0 events carry no CAEP optional claims, except credential-compromise (§2.7). */
function risc(
  name: string,
  title: string,
  properties: Record<string, unknown> = {},
  required: readonly string[] = [],
): JsonSchema {
  return payload(
    'risc',
    name,
    title,
    { subject: { $ref: SUBJECT_ID_SCHEMA_ID }, ...properties },
    required,
    false,
  );
}

const RISC_SCHEMAS: readonly JsonSchema[] = [
  risc('account-credential-change-required', 'RISC 1.0 §2.1 Account Credential Change Required'),
  risc('account-purged', 'RISC 1.0 §2.2 Account Purged'),
  risc('account-disabled', 'RISC 1.0 §2.3 Account Disabled', {
    reason: { enum: ['hijacking', 'bulk-account'] },
  }),
  risc('account-enabled', 'RISC 1.0 §2.4 Account Enabled'),
  risc('identifier-changed', 'RISC 1.0 §2.5 Identifier Changed', {
    'new-value': { type: 'string', minLength: 1 },
  }),
  risc('identifier-recycled', 'RISC 1.0 §2.6 Identifier Recycled'),
  payload(
    'risc',
    'credential-compromise',
    'RISC 1.0 §2.7 Credential Compromise',
    { credential_type: credentialType },
    ['credential_type'],
  ),
  risc('opt-in', 'RISC 1.0 §2.8.1 Opt In'),
  risc('opt-out-initiated', 'RISC 1.0 §2.8.2 Opt Out Initiated'),
  risc('opt-out-cancelled', 'RISC 1.0 §2.8.3 Opt Out Cancelled'),
  risc('opt-out-effective', 'RISC 1.0 §2.8.4 Opt Out Effective'),
  risc('recovery-activated', 'RISC 1.0 §2.9 Recovery Activated'),
  risc('recovery-information-changed', 'RISC 1.0 §2.10 Recovery Information Changed'),
  risc('sessions-revoked', 'RISC 1.0 §2.11 Sessions Revoked (deprecated)'),
];

const SSF_SCHEMAS: readonly JsonSchema[] = [
  payload('ssf', 'verification', 'SSF 1.0 §8.1.4.1 Verification', { state: { type: 'string' } }, [], false),
  payload(
    'ssf',
    'stream-updated',
    'SSF 1.0 §8.1.5 Stream Updated',
    { status: { enum: ['enabled', 'paused', 'disabled'] }, reason: { type: 'string' } },
    ['status'],
    false,
  ),
];

// ---------------------------------------------------------------------------------------------------
// Okta (Management API release 2026.06.3: SecurityEventTokenRequestJwtEvents and the schemas it names)

const OKTA_SUBJECT = 'urn:ssf-lab:schema:event:okta:subject';

/** Okta's SecurityEventSubject, as its receiver guide documents it: user by email, device by opaque id. */
const OKTA_SUBJECT_SCHEMA: JsonSchema = {
  $id: OKTA_SUBJECT,
  title: "Okta SecurityEventSubject: the event's subject inside the event",
  type: 'object',
  minProperties: 1,
  properties: {
    user: { $ref: subjectFormatSchemaId('email') },
    device: { $ref: subjectFormatSchemaId('opaque') },
  },
};

const oktaReason = {
  type: 'object',
  required: ['en'],
  properties: { en: { type: 'string' } },
} as const;

const oktaLevel = { enum: ['low', 'medium', 'high', 'secure', 'none'] } as const;

const oktaCommon = {
  event_timestamp: { type: 'integer', minimum: 0 },
  initiating_entity: { enum: ['admin', 'user', 'policy', 'system'] },
  reason_admin: oktaReason,
  reason_user: oktaReason,
} as const;

interface OktaShape {
  readonly name: string;
  readonly title: string;
  readonly properties: Record<string, unknown>;
  readonly required: readonly string[];
}

const OKTA_SHAPES: readonly OktaShape[] = [
  {
    name: 'device-risk-change',
    title: 'Okta device-risk-change (OktaDeviceRiskChangeEvent)',
    properties: { current_level: oktaLevel, previous_level: oktaLevel },
    required: ['current_level', 'previous_level'],
  },
  {
    name: 'user-risk-change',
    title: 'Okta user-risk-change (OktaUserRiskChangeEvent)',
    properties: { current_level: oktaLevel, previous_level: oktaLevel },
    required: ['current_level', 'previous_level'],
  },
  {
    name: 'ip-change',
    title: 'Okta ip-change (OktaIpChangeEvent)',
    properties: {
      current_ip_address: { type: 'string', minLength: 1 },
      previous_ip_address: { type: 'string', minLength: 1 },
    },
    required: ['current_ip_address', 'previous_ip_address'],
  },
  {
    name: 'device-compliance-change',
    title: "Okta's shape of CAEP device-compliance-change (CaepDeviceComplianceChangeEvent)",
    properties: {
      current_status: { enum: ['compliant', 'not-compliant'] },
      previous_status: { enum: ['compliant', 'not-compliant'] },
    },
    required: ['current_status', 'previous_status'],
  },
  {
    name: 'session-revoked',
    title: "Okta's shape of CAEP session-revoked (CaepSessionRevokedEvent)",
    properties: {
      current_ip: { type: 'string' },
      current_user_agent: { type: 'string' },
      last_known_ip: { type: 'string' },
      last_known_user_agent: { type: 'string' },
    },
    required: [],
  },
  {
    name: 'identifier-changed',
    title: "Okta's shape of RISC identifier-changed (RiscIdentifierChangedEvent)",
    properties: { 'new-value': { type: 'string' } },
    required: [],
  },
];

/** Okta's receiver shape: in-event subject and event_timestamp required. */
function oktaSchema(shape: OktaShape): JsonSchema {
  return {
    $id: eventSchemaId('okta', shape.name),
    title: shape.title,
    type: 'object',
    required: ['event_timestamp', 'subject', ...shape.required],
    properties: { ...oktaCommon, subject: { $ref: OKTA_SUBJECT }, ...shape.properties },
  };
}

/**
 * The same payload in strict SSF form (top-level sub_id instead of an in-event subject), used to judge
 * Okta's proprietary event types under the `ssf` profile. event_timestamp stays required: it is part of
 * Okta's definition of the event, not of its subject placement.
 */
function oktaSsfSchema(shape: OktaShape): JsonSchema {
  return {
    $id: eventSchemaId('okta-ssf', shape.name),
    title: `${shape.title}, strict SSF form`,
    type: 'object',
    required: ['event_timestamp', ...shape.required],
    properties: { ...oktaCommon, ...shape.properties },
  };
}

export const OKTA_PROPRIETARY_EVENTS = ['device-risk-change', 'user-risk-change', 'ip-change'] as const;

export const EVENT_SCHEMAS: readonly JsonSchema[] = [
  COMMON_SCHEMA,
  ...CAEP_SCHEMAS,
  ...RISC_SCHEMAS,
  ...SSF_SCHEMAS,
  OKTA_SUBJECT_SCHEMA,
  ...OKTA_SHAPES.map(oktaSchema),
  ...OKTA_SHAPES.filter((s) => (OKTA_PROPRIETARY_EVENTS as readonly string[]).includes(s.name)).map(
    oktaSsfSchema,
  ),
];
