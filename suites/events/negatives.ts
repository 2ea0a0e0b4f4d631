/**
 * Broken variants of each event type's example, written by hand from the specifications (CAEP 1.0 §2–3,
 * RISC 1.0 §2, SSF 1.0 §8.1, the CAEP Interoperability Profile §3, Okta's SecurityEventTokenRequestJwtEvents)
 * rather than derived from the schemas: a schema that forgot a required member or an enum would otherwise
 * "reject" exactly what it was built to reject, and the plan would prove nothing.
 *
 * Each variant must be rejected: at least one failure-level finding. A type whose spec defines no member
 * (most RISC types: "has no attributes"; extra members are allowed by SSF 1.0 §4.2.3) gets the one variant
 * every type shares — an event payload that is not a JSON object.
 */
import type { ProfileName } from '../../harness/protocol/index.ts';

export interface Mutation {
  /** How the example is broken, completing "the <type> example …". */
  readonly what: string;
  /** Remove this member of the event payload. */
  readonly remove?: string;
  /** Set this member of the event payload to this value. */
  readonly set?: readonly [string, unknown];
  /** Replace the top-level `sub_id`. */
  readonly subId?: Readonly<Record<string, unknown>>;
  /** Replace the whole event payload. */
  readonly payload?: unknown;
  /** Only under these profiles (default: every profile the type is judged under). */
  readonly profiles?: readonly ProfileName[];
}

const without = (member: string, profiles?: readonly ProfileName[]): Mutation => ({
  what: `without "${member}"`,
  remove: member,
  ...(profiles ? { profiles } : {}),
});

const wrong = (member: string, value: unknown): Mutation => ({
  what: `with "${member}": ${JSON.stringify(value)}`,
  set: [member, value],
});

export const NOT_AN_OBJECT: Mutation = {
  what: 'with an event payload that is a string, not a JSON object',
  payload: 'not-an-object',
};

const ISS_SUB = { format: 'iss_sub', iss: 'https://idp.example.com/', sub: '00u1a2b3c4d5e6f7g8h9' };

/** By `<family>/<name>`, for the SSF shape (ssf and caep-interop profiles). */
export const SSF_MUTATIONS: Readonly<Record<string, readonly Mutation[]>> = {
  'caep/session-revoked': [wrong('initiating_entity', 'robot'), without('reason_admin', ['caep-interop'])],
  'caep/token-claims-change': [without('claims'), wrong('claims', 'role=ro-admin')],
  'caep/credential-change': [
    without('credential_type'),
    without('change_type'),
    wrong('change_type', 'rotate'),
    without('reason_admin', ['caep-interop']),
  ],
  'caep/assurance-level-change': [
    without('namespace'),
    without('current_level'),
    wrong('change_direction', 'sideways'),
  ],
  'caep/device-compliance-change': [
    without('previous_status'),
    without('current_status'),
    wrong('current_status', 'non-compliant'),
  ],
  'caep/session-established': [wrong('amr', 'otp'), wrong('initiating_entity', 'Admin')],
  'caep/session-presented': [wrong('initiating_entity', 'robot')],
  // CAEP 1.0 §3.8 spells the levels in upper case.
  'caep/risk-level-change': [without('principal'), without('current_level'), wrong('current_level', 'high')],
  'risc/account-disabled': [wrong('reason', 'compromised')],
  'risc/identifier-changed': [
    { what: 'naming its subject by iss_sub instead of email or phone', subId: ISS_SUB },
  ],
  'risc/identifier-recycled': [
    { what: 'naming its subject by iss_sub instead of email or phone', subId: ISS_SUB },
  ],
  'risc/credential-compromise': [without('credential_type')],
  'ssf/verification': [
    {
      what: 'naming a user instead of the stream',
      subId: { format: 'email', email: 'pat.doe@acme.example' },
    },
  ],
  'ssf/stream-updated': [without('status'), wrong('status', 'suspended')],
  'okta/device-risk-change': [
    without('event_timestamp'),
    without('current_level'),
    wrong('current_level', 'HIGH'),
  ],
  'okta/user-risk-change': [without('previous_level'), wrong('previous_level', 'critical')],
  'okta/ip-change': [without('current_ip_address'), without('previous_ip_address')],
};

/** By `<family>/<name>`, for Okta's receiver shape (okta profile): the subject travels inside the event. */
export const OKTA_MUTATIONS: Readonly<Record<string, readonly Mutation[]>> = {
  'caep/session-revoked': [without('subject'), without('event_timestamp')],
  'caep/device-compliance-change': [
    without('subject'),
    without('event_timestamp'),
    wrong('current_status', 'non-compliant'),
  ],
  'risc/identifier-changed': [without('subject'), without('event_timestamp')],
  'okta/device-risk-change': [
    without('subject'),
    without('current_level'),
    wrong('current_level', 'critical'),
  ],
  'okta/user-risk-change': [without('subject'), without('previous_level'), wrong('previous_level', 'HIGH')],
  'okta/ip-change': [without('subject'), without('current_ip_address')],
};

/** The broken variants of a type under a profile: spec-derived ones, else the shared one. */
export function mutationsFor(key: string, profile: ProfileName): readonly Mutation[] {
  const table = profile === 'okta' ? OKTA_MUTATIONS : SSF_MUTATIONS;
  const own = (table[key] ?? []).filter((m) => m.profiles === undefined || m.profiles.includes(profile));
  return own.length > 0 ? own : [NOT_AN_OBJECT];
}
