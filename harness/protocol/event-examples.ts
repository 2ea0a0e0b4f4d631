/**
 * One well-formed example per event type and shape, with a subject of the kind the type expects. The
 * validator's corpus, the receiver suites ("one valid SET per supported event type") and the mocks'
 * sample generators all start from these, so there is one place that knows what a good event looks like.
 */
import { EVENT_TYPES, type EventType, eventType } from './event-types.ts';

export interface EventExample {
  readonly payload: Readonly<Record<string, unknown>>;
  /** The subject: an RFC 9493/SSF identifier (`ssf` shape) or Okta's `{user, device}` (`okta` shape). */
  readonly subject: Readonly<Record<string, unknown>>;
}

const TS = 1767225590;
const user = { format: 'iss_sub', iss: 'https://idp.example.com/', sub: '00u1a2b3c4d5e6f7g8h9' } as const;
const email = { format: 'email', email: 'pat.doe@acme.example' } as const;
const oktaSubject = {
  user: { format: 'email', email: 'pat.doe@acme.example' },
  device: { format: 'opaque', id: '0d1c2b3a-4f5e-4d6c-9b8a-7f6e5d4c3b2a' },
} as const;

const SSF_PAYLOADS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'caep/session-revoked': {
    event_timestamp: TS,
    initiating_entity: 'policy',
    reason_admin: { en: 'Landspeed policy violation: C076E82F' },
    reason_user: { en: 'Access attempt from multiple regions.' },
  },
  'caep/token-claims-change': { event_timestamp: TS, claims: { role: 'ro-admin' } },
  'caep/credential-change': {
    event_timestamp: TS,
    credential_type: 'fido2-roaming',
    change_type: 'create',
    friendly_name: 'Security key',
    fido2_aaguid: 'accced6a-63f5-490a-9eea-e59bc1896cfc',
    initiating_entity: 'user',
    reason_admin: { en: 'User self-enrollment' },
  },
  'caep/assurance-level-change': {
    event_timestamp: TS,
    namespace: 'NIST-AAL',
    current_level: 'nist-aal2',
    previous_level: 'nist-aal1',
    change_direction: 'increase',
    initiating_entity: 'user',
  },
  'caep/device-compliance-change': {
    event_timestamp: TS,
    previous_status: 'compliant',
    current_status: 'not-compliant',
    initiating_entity: 'policy',
    reason_admin: { en: 'Disk encryption turned off' },
  },
  'caep/session-established': {
    event_timestamp: TS,
    fp_ua: 'abb0b6e7da81a422',
    acr: 'AAL2',
    amr: ['otp'],
    ext_id: '12345',
  },
  'caep/session-presented': { event_timestamp: TS, fp_ua: 'abb0b6e7da81a422', ext_id: '12345' },
  'caep/risk-level-change': {
    event_timestamp: TS,
    principal: 'USER',
    current_level: 'HIGH',
    previous_level: 'LOW',
    risk_reason: 'PASSWORD_FOUND_IN_DATA_BREACH',
  },
  'risc/account-disabled': { reason: 'hijacking' },
  'risc/identifier-changed': { 'new-value': 'pat.roe@acme.example' },
  'risc/credential-compromise': { credential_type: 'password', event_timestamp: TS },
  'ssf/verification': { state: 'VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo' },
  'ssf/stream-updated': { status: 'paused', reason: 'Receiver asked for a pause' },
  'okta/device-risk-change': {
    event_timestamp: TS,
    current_level: 'high',
    previous_level: 'low',
    initiating_entity: 'system',
    reason_admin: { en: 'Malicious app detected on device' },
  },
  'okta/user-risk-change': { event_timestamp: TS, current_level: 'high', previous_level: 'low' },
  'okta/ip-change': {
    event_timestamp: TS,
    current_ip_address: '203.0.113.7',
    previous_ip_address: '198.51.100.20',
  },
};

/** Okta's receiver shapes add `event_timestamp` as an integer to the standard events it accepts. */
const OKTA_PAYLOADS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'caep/session-revoked': { event_timestamp: TS, reason_admin: { en: 'Signed out by the security team' } },
  'caep/device-compliance-change': {
    event_timestamp: TS,
    previous_status: 'compliant',
    current_status: 'not-compliant',
  },
  'risc/identifier-changed': { event_timestamp: TS, 'new-value': 'pat.roe@acme.example' },
};

function key(type: EventType): string {
  return `${type.family}/${type.name}`;
}

/** The stream id example control events name. */
export const EXAMPLE_STREAM_ID = 'f67e39a0a4d34d56b3aa1bc4cff0069f';

/** A well-formed example of `uri` in the given shape, or undefined if that shape does not exist. */
export function exampleEvent(uri: string, shape: 'ssf' | 'okta' = 'ssf'): EventExample | undefined {
  const type = eventType(uri);
  if (!type) return undefined;
  if (shape === 'okta') {
    if (!type.okta) return undefined;
    const payload = type.family === 'okta' ? SSF_PAYLOADS[key(type)] : OKTA_PAYLOADS[key(type)];
    return payload ? { payload, subject: oktaSubject } : undefined;
  }
  const payload = SSF_PAYLOADS[key(type)] ?? {};
  let subject: Readonly<Record<string, unknown>> = user;
  if (type.control) subject = { format: 'opaque', id: EXAMPLE_STREAM_ID };
  else if (type.identifierSubject || type.family === 'okta') subject = email;
  if (type.name === 'device-risk-change')
    subject = { format: 'complex', user: email, device: oktaSubject.device };
  return { payload, subject };
}

export function allEventUris(): string[] {
  return EVENT_TYPES.map((e) => e.uri);
}

/** Like exampleEvent, but throws for a type or shape that has no example (for fixtures and benchmarks). */
export function exampleEventFor(uri: string, shape: 'ssf' | 'okta' = 'ssf'): EventExample {
  const example = exampleEvent(uri, shape);
  if (!example) throw new TypeError(`no ${shape} example for event type ${uri}`);
  return example;
}
