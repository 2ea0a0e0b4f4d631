/**
 * The event catalogue: every event type ssf-lab knows, with the requirement that defines its payload,
 * the schema that checks it, and the facts the validator needs about it (may it carry a legacy in-event
 * subject, is it an SSF control event, does Okta accept it, what the interop profile adds).
 */
import type { RequirementId } from './requirements.ts';
import { CAEP_BASE, eventSchemaId, OKTA_BASE, RISC_BASE, SSF_BASE } from './schemas/events.ts';

export type EventFamily = 'caep' | 'risc' | 'ssf' | 'okta';

export interface EventType {
  readonly uri: string;
  readonly family: EventFamily;
  /** Short name, the last path segment of the URI. */
  readonly name: string;
  /** The requirement that defines the payload. */
  readonly requirement: RequirementId;
  /** Payload schema under the SSF profiles. */
  readonly schemaId: string;
  /** Okta's receiver shape, when Okta accepts this type. */
  readonly okta?: { readonly schemaId: string; readonly requirement: RequirementId };
  /** SSF 1.0 §3.1.1: types defined by CAEP and RISC may still carry `subject` inside the event. */
  readonly legacySubject: boolean;
  /** SSF's own stream control events: `sub_id` is the opaque stream id. */
  readonly control: boolean;
  readonly deprecated: boolean;
  /** CAEP interop profile §3: the use case requires a non-empty `reason_admin`. */
  readonly interopReasonAdmin?: RequirementId;
  /** RISC §2.5/§2.6: the subject must be an email or phone_number identifier. */
  readonly identifierSubject?: RequirementId;
}

interface Extra {
  readonly okta?: RequirementId;
  readonly deprecated?: boolean;
  readonly interopReasonAdmin?: RequirementId;
  readonly identifierSubject?: RequirementId;
}

function caep(name: string, requirement: RequirementId, extra: Extra = {}): EventType {
  return build('caep', CAEP_BASE, name, requirement, true, extra);
}
function risc(name: string, requirement: RequirementId, extra: Extra = {}): EventType {
  return build('risc', RISC_BASE, name, requirement, true, extra);
}

function build(
  family: EventFamily,
  base: string,
  name: string,
  requirement: RequirementId,
  legacySubject: boolean,
  extra: Extra,
): EventType {
  const isOktaFamily = family === 'okta';
  const entry: EventType = {
    uri: `${base}${name}`,
    family,
    name,
    requirement,
    // Okta's own types have no standard payload: under the SSF profiles they are judged in strict SSF form.
    schemaId: isOktaFamily
      ? eventSchemaId('okta-ssf', name)
      : eventSchemaId(family as 'caep' | 'risc' | 'ssf', name),
    legacySubject,
    control: family === 'ssf',
    deprecated: extra.deprecated ?? false,
    ...(extra.okta ? { okta: { schemaId: eventSchemaId('okta', name), requirement: extra.okta } } : {}),
    ...(extra.interopReasonAdmin ? { interopReasonAdmin: extra.interopReasonAdmin } : {}),
    ...(extra.identifierSubject ? { identifierSubject: extra.identifierSubject } : {}),
  };
  return Object.freeze(entry);
}

export const EVENT_TYPES: readonly EventType[] = Object.freeze([
  caep('session-revoked', 'CAEP-3.1', {
    okta: 'OKTA-SET-SESSION-REVOKED',
    interopReasonAdmin: 'CAEP-IOP-3.1',
  }),
  caep('token-claims-change', 'CAEP-3.2'),
  caep('credential-change', 'CAEP-3.3', { interopReasonAdmin: 'CAEP-IOP-3.2' }),
  caep('assurance-level-change', 'CAEP-3.4'),
  caep('device-compliance-change', 'CAEP-3.5', { okta: 'OKTA-SET-DEVICE-COMPLIANCE-CHANGE' }),
  caep('session-established', 'CAEP-3.6'),
  caep('session-presented', 'CAEP-3.7'),
  caep('risk-level-change', 'CAEP-3.8'),
  risc('account-credential-change-required', 'RISC-2.1'),
  risc('account-purged', 'RISC-2.2'),
  risc('account-disabled', 'RISC-2.3'),
  risc('account-enabled', 'RISC-2.4'),
  risc('identifier-changed', 'RISC-2.5', {
    okta: 'OKTA-SET-IDENTIFIER-CHANGED',
    identifierSubject: 'RISC-2.5',
  }),
  risc('identifier-recycled', 'RISC-2.6', { identifierSubject: 'RISC-2.6' }),
  risc('credential-compromise', 'RISC-2.7'),
  risc('opt-in', 'RISC-2.8.1'),
  risc('opt-out-initiated', 'RISC-2.8.2'),
  risc('opt-out-cancelled', 'RISC-2.8.3'),
  risc('opt-out-effective', 'RISC-2.8.4'),
  risc('recovery-activated', 'RISC-2.9'),
  risc('recovery-information-changed', 'RISC-2.10'),
  risc('sessions-revoked', 'RISC-2.11', { deprecated: true }),
  build('ssf', SSF_BASE, 'verification', 'SSF-8.1.4.1', false, {}),
  build('ssf', SSF_BASE, 'stream-updated', 'SSF-8.1.5', false, {}),
  build('okta', OKTA_BASE, 'device-risk-change', 'OKTA-SET-DEVICE-RISK-CHANGE', false, {
    okta: 'OKTA-SET-DEVICE-RISK-CHANGE',
  }),
  build('okta', OKTA_BASE, 'user-risk-change', 'OKTA-SET-USER-RISK-CHANGE', false, {
    okta: 'OKTA-SET-USER-RISK-CHANGE',
  }),
  build('okta', OKTA_BASE, 'ip-change', 'OKTA-SET-IP-CHANGE', false, { okta: 'OKTA-SET-IP-CHANGE' }),
]);

const BY_URI: ReadonlyMap<string, EventType> = new Map(EVENT_TYPES.map((e) => [e.uri, e]));

export function eventType(uri: string): EventType | undefined {
  return BY_URI.get(uri);
}

/** Named URIs for code that emits events. */
export const EVENT_URIS = {
  verification: `${SSF_BASE}verification`,
  streamUpdated: `${SSF_BASE}stream-updated`,
  sessionRevoked: `${CAEP_BASE}session-revoked`,
  credentialChange: `${CAEP_BASE}credential-change`,
  assuranceLevelChange: `${CAEP_BASE}assurance-level-change`,
  deviceComplianceChange: `${CAEP_BASE}device-compliance-change`,
  riskLevelChange: `${CAEP_BASE}risk-level-change`,
  identifierChanged: `${RISC_BASE}identifier-changed`,
  oktaDeviceRiskChange: `${OKTA_BASE}device-risk-change`,
  oktaUserRiskChange: `${OKTA_BASE}user-risk-change`,
  oktaIpChange: `${OKTA_BASE}ip-change`,
} as const;

/** The six event types Okta's SET receiver accepts (SecurityEventTokenRequestJwtEvents). */
export const OKTA_ACCEPTED_EVENT_URIS: readonly string[] = EVENT_TYPES.filter((e) => e.okta).map(
  (e) => e.uri,
);
