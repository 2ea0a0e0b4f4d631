/**
 * Jamf Security Cloud as an SSF transmitter. An admin configures a stream to a receiver (the seed: the
 * Okta org, pushing to `<org>/security/api/v1/security-events`, no authorization header, events
 * RISK_LEVEL_CHANGED and DEVICE_COMPLIANCE_CHANGE); each risk or compliance change becomes one SET per
 * stream, in the stream's format. Jamf does not publish its wire format, so the formats are choices
 * (README): `okta` — Okta's device-risk-change with the subject inside the event (what Okta documents
 * accepting); `ssf` — the same event with a top-level complex `sub_id` (strict SSF 1.0); `caep` — CAEP
 * risk-level-change. Compliance changes are CAEP device-compliance-change in every format. A stream a
 * receiver created itself through the SSF management API gets the same events, in the types it asked for.
 */
import { EVENT_URIS } from '../../harness/protocol/index.ts';
import type { Transmitter } from '../../harness/ssf/index.ts';
import { invalid, notFound } from './errors.ts';
import { caepLevel, oktaLevel, type RiskLevel } from './levels.ts';

export const JSC_EVENTS = ['RISK_LEVEL_CHANGED', 'DEVICE_COMPLIANCE_CHANGE'] as const;
export type JscEventOption = (typeof JSC_EVENTS)[number];
export const FORMATS = ['okta', 'ssf', 'caep'] as const;
export type StreamFormat = (typeof FORMATS)[number];

export const SSF_SUPPORTED = [
  EVENT_URIS.oktaDeviceRiskChange,
  EVENT_URIS.riskLevelChange,
  EVENT_URIS.deviceComplianceChange,
] as const;

export interface Integration {
  readonly streamId: string;
  readonly receiverId: string;
  readonly audience: string;
  readonly endpointUrl: string;
  readonly events: readonly JscEventOption[];
  readonly format: StreamFormat;
  readonly createdAt: number;
}

/** Who the event is about: the device, and the user bound to it when one is (activation). */
export interface EventSubject {
  readonly deviceId: string;
  readonly email?: string;
}

function riskType(format: StreamFormat): string {
  return format === 'caep' ? EVENT_URIS.riskLevelChange : EVENT_URIS.oktaDeviceRiskChange;
}

function eventTypesFor(format: StreamFormat, events: readonly JscEventOption[]): string[] {
  return events.map((e) =>
    e === 'RISK_LEVEL_CHANGED' ? riskType(format) : EVENT_URIS.deviceComplianceChange,
  );
}

/**
 * How an event goes out on a stream a receiver created itself through the SSF management API (SSF
 * §8.1.1.1), rather than one the admin console configured: of a type its `events_delivered` names, its
 * subject a top-level complex `sub_id` (SSF 1.0's own placement). A change of risk level is one event per
 * stream, as on every stream: Okta's device-risk-change when the stream delivers it (the `ssf` format),
 * else CAEP's risk-level-change (`caep`). Undefined: the stream delivers no type for this event.
 */
function receiverStreamFormat(event: JscEventOption, delivered: readonly string[]): StreamFormat | undefined {
  if (event === 'DEVICE_COMPLIANCE_CHANGE')
    return delivered.includes(EVENT_URIS.deviceComplianceChange) ? 'ssf' : undefined;
  if (delivered.includes(EVENT_URIS.oktaDeviceRiskChange)) return 'ssf';
  return delivered.includes(EVENT_URIS.riskLevelChange) ? 'caep' : undefined;
}

export class SsfIntegrations {
  readonly #transmitter: Transmitter;
  readonly #now: () => number;
  readonly #integrations = new Map<string, Integration>();
  #receivers = 0;

  constructor(transmitter: Transmitter, now: () => number) {
    this.#transmitter = transmitter;
    this.#now = now;
  }

  list(): Integration[] {
    return [...this.#integrations.values()];
  }

  /** Configures a push stream to a receiver, as JSC's admin console does. */
  create(body: unknown): Integration {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    const audience = b.audience;
    const endpointUrl = b.endpointUrl;
    if (typeof audience !== 'string' || audience === '')
      throw invalid('INVALID_REQUEST', '"audience" (the receiver, e.g. the Okta org URL) is required');
    if (typeof endpointUrl !== 'string')
      throw invalid('INVALID_REQUEST', '"endpointUrl" (where SETs are pushed) is required');
    try {
      const url = new URL(endpointUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('scheme');
    } catch {
      throw invalid('INVALID_REQUEST', `"endpointUrl" is not an http(s) URL: ${JSON.stringify(endpointUrl)}`);
    }
    const events = b.events ?? [...JSC_EVENTS];
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      !events.every((e) => (JSC_EVENTS as readonly unknown[]).includes(e))
    ) {
      throw invalid('INVALID_REQUEST', `"events" must be a non-empty array of ${JSC_EVENTS.join(', ')}`);
    }
    const format = b.format ?? 'okta';
    if (!(FORMATS as readonly unknown[]).includes(format))
      throw invalid('INVALID_REQUEST', `"format" must be one of ${FORMATS.join(', ')}`);
    const authorizationHeader = b.authorizationHeader;
    if (authorizationHeader !== undefined && typeof authorizationHeader !== 'string') {
      throw invalid('INVALID_REQUEST', '"authorizationHeader" must be a string');
    }
    this.#receivers += 1;
    const receiverId = `receiver-${this.#receivers}`;
    this.#transmitter.addReceiver({ id: receiverId, audience });
    const f = format as StreamFormat;
    const config = this.#transmitter.createStream(
      receiverId,
      {
        events_requested: eventTypesFor(f, events as JscEventOption[]),
        delivery: {
          method: 'urn:ietf:rfc:8935',
          endpoint_url: endpointUrl,
          ...(authorizationHeader === undefined ? {} : { authorization_header: authorizationHeader }),
        },
        description: `Jamf Security Cloud → ${audience}`,
      },
      { subjectPlacement: f === 'okta' ? 'in-event' : 'sub_id' },
    );
    const integration: Integration = {
      streamId: config.stream_id,
      receiverId,
      audience,
      endpointUrl,
      events: events as JscEventOption[],
      format: f,
      createdAt: this.#now(),
    };
    this.#integrations.set(integration.streamId, integration);
    return integration;
  }

  remove(streamId: string): void {
    const integration = this.#integrations.get(streamId);
    if (!integration) throw notFound(`stream "${streamId}"`);
    this.#transmitter.removeStream(streamId);
    this.#integrations.delete(streamId);
  }

  /** Removes every configured stream (lab reset). */
  reset(): void {
    for (const streamId of [...this.#integrations.keys()]) this.remove(streamId);
  }

  #subject(format: StreamFormat, s: EventSubject): Record<string, unknown> {
    const device = { format: 'opaque', id: s.deviceId };
    const user = s.email === undefined ? undefined : { format: 'email', email: s.email };
    // Okta's in-event subject has no "format": it is { user, device } (SecurityEventSubject).
    if (format === 'okta') return { ...(user ? { user } : {}), device };
    return { format: 'complex', ...(user ? { user } : {}), device };
  }

  #streamsWith(event: JscEventOption): Map<StreamFormat, string[]> {
    const groups = new Map<StreamFormat, string[]>();
    const add = (format: StreamFormat, streamId: string): void => {
      groups.set(format, [...(groups.get(format) ?? []), streamId]);
    };
    for (const i of this.#integrations.values()) if (i.events.includes(event)) add(i.format, i.streamId);
    // SSF-6-DELIVERY (deviation): only the console's streams get events; a receiver's own stream stays
    // silent, though its events_delivered promises them.
    if (this.#transmitter.deviates('transmitter-no-events-on-receiver-streams')) return groups;
    for (const s of this.#transmitter.streams()) {
      if (this.#integrations.has(s.config.stream_id)) continue;
      const format = receiverStreamFormat(event, s.config.events_delivered);
      if (format !== undefined) add(format, s.config.stream_id);
    }
    return groups;
  }

  /** One RISK_LEVEL_CHANGED per stream. */
  async riskChanged(
    subject: EventSubject,
    previous: RiskLevel,
    current: RiskLevel,
    reason: string,
    initiator: 'policy' | 'admin',
  ): Promise<void> {
    const eventTimestamp = Math.floor(this.#now() / 1000);
    for (const [format, streams] of this.#streamsWith('RISK_LEVEL_CHANGED')) {
      // CAEP has no "secure": Secure and Low are both LOW there, so that step is no change to announce.
      if (format === 'caep' && caepLevel(previous) === caepLevel(current)) continue;
      const common = {
        event_timestamp: eventTimestamp,
        initiating_entity: initiator,
        reason_admin: { en: reason },
      };
      const payload =
        format === 'caep'
          ? {
              ...common,
              principal: 'DEVICE',
              current_level: caepLevel(current),
              previous_level: caepLevel(previous),
              risk_reason: reason,
            }
          : { ...common, current_level: oktaLevel(current), previous_level: oktaLevel(previous) };
      await this.#transmitter.emit({
        eventType: riskType(format),
        payload,
        subject: this.#subject(format, subject),
        streams,
      });
    }
  }

  /** One DEVICE_COMPLIANCE_CHANGE per stream (CAEP device-compliance-change). */
  async complianceChanged(subject: EventSubject, compliant: boolean, reason: string): Promise<void> {
    const status = (c: boolean): string => (c ? 'compliant' : 'not-compliant');
    for (const [format, streams] of this.#streamsWith('DEVICE_COMPLIANCE_CHANGE')) {
      await this.#transmitter.emit({
        eventType: EVENT_URIS.deviceComplianceChange,
        payload: {
          event_timestamp: Math.floor(this.#now() / 1000),
          previous_status: status(!compliant),
          current_status: status(compliant),
          initiating_entity: 'policy',
          reason_admin: { en: reason },
        },
        subject: this.#subject(format, subject),
        streams,
      });
    }
  }
}
