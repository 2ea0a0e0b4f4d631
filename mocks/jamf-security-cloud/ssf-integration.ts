/**
 * Jamf Security Cloud as an SSF transmitter. An admin configures a stream to a receiver (the seed: the
 * Okta org, pushing to `<org>/security/api/v1/security-events`, no authorization header, events
 * RISK_LEVEL_CHANGED and DEVICE_COMPLIANCE_CHANGE); each risk or compliance change becomes one SET per
 * stream, in the stream's format. Jamf does not publish its wire format, so the formats are choices
 * (README): `okta` — Okta's device-risk-change with the subject inside the event (what Okta documents
 * accepting); `ssf` — the same event with a top-level complex `sub_id` (strict SSF 1.0); `caep` — CAEP
 * risk-level-change. Compliance changes are CAEP device-compliance-change in every format.
 *
 * Routing is one code path for every stream, the console's and those receivers create themselves through
 * the SSF management API: a change goes to each stream whose `events_delivered` names a type for it, in
 * that type, its subject where the stream places it — and only when the stream carries the subject
 * (SSF §8.1.3: `default_subjects`, add and remove subject). A console stream's format is just the event
 * types it requests and its subject placement.
 */
import { EVENT_URIS, type SubjectPlacement } from '../../harness/protocol/index.ts';
import { SsfApiError, type Subject, type Transmitter } from '../../harness/ssf/index.ts';
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
 * The type a change goes out as on one stream: one event per stream per change, of a type the stream's
 * `events_delivered` names — whoever made the stream (the admin console or a receiver through the SSF
 * management API). A risk change is Okta's device-risk-change when the stream delivers it, else CAEP's
 * risk-level-change: the two say the same thing, and a receiver that asked for both gets one SET per
 * change, not two it would count twice. Undefined: the stream delivers no type for this change.
 */
function deliveredTypeFor(event: JscEventOption, delivered: readonly string[]): string | undefined {
  if (event === 'DEVICE_COMPLIANCE_CHANGE')
    return delivered.includes(EVENT_URIS.deviceComplianceChange)
      ? EVENT_URIS.deviceComplianceChange
      : undefined;
  if (delivered.includes(EVENT_URIS.oktaDeviceRiskChange)) return EVENT_URIS.oktaDeviceRiskChange;
  return delivered.includes(EVENT_URIS.riskLevelChange) ? EVENT_URIS.riskLevelChange : undefined;
}

/** Streams that get one change in the same shape: the event type and where the subject goes. */
interface StreamGroup {
  readonly eventType: string;
  readonly placement: SubjectPlacement;
  readonly streams: string[];
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

  /**
   * Adds a subject to a console stream or removes one from it, as a receiver does on a stream of its own
   * (SSF §8.1.3.2–3), so the console's streams honour `default_subjects` the same way: under `NONE` a
   * console stream gets events only about the subjects its admin adds. The subject is an SSF subject
   * identifier (`{format: email, email}`, `{format: opaque, id: <JSC device id>}`, a complex one…).
   */
  subjects(streamId: string, action: 'add' | 'remove', body: unknown): void {
    const integration = this.#integrations.get(streamId);
    const receiver = integration && this.#transmitter.auth.receiver(integration.receiverId);
    if (!receiver) throw notFound(`stream "${streamId}"`);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object: {"subject": <subject identifier>}');
    const request = { stream_id: streamId, subject: (body as Record<string, unknown>).subject };
    const admin = { receiver, scopes: new Set(['ssf.manage'] as const) };
    try {
      if (action === 'add') this.#transmitter.addSubject(admin, request);
      else this.#transmitter.removeSubject(admin, request);
    } catch (error) {
      // The transmitter's 400 (a subject that is no identifier) in JSC's own error shape.
      if (error instanceof SsfApiError && error.status === 400)
        throw invalid('INVALID_REQUEST', error.message);
      throw error;
    }
  }

  /** Removes every configured stream (lab reset). */
  reset(): void {
    for (const streamId of [...this.#integrations.keys()]) this.remove(streamId);
  }

  /**
   * What the event is about, as SSF identifies it: a complex subject of the user (email, when one is bound)
   * and the device (opaque JSC id). It is what a stream's subjects are matched against (SSF §8.1.3.1), so a
   * receiver that added the user's email, the device or both gets the device's changes.
   */
  #about(s: EventSubject): Subject {
    const device = { format: 'opaque', id: s.deviceId };
    const user = s.email === undefined ? undefined : { format: 'email', email: s.email };
    return { format: 'complex', ...(user ? { user } : {}), device };
  }

  /** The subject as a stream carries it: Okta's in-event `{user, device}` has no "format" (SecurityEventSubject). */
  #subject(placement: SubjectPlacement, about: Subject): Subject {
    if (placement !== 'in-event') return about;
    const { format: _complex, ...members } = about;
    return members;
  }

  /**
   * Every stream that delivers `event` in some type, grouped by type and subject placement — one code path
   * for the console's streams and the receivers' own: the transmitter then sends each the SET only if it
   * carries the subject and lets events out (enabled; held while paused).
   */
  #streamsWith(event: JscEventOption): StreamGroup[] {
    const groups = new Map<string, StreamGroup>();
    // SSF-6-DELIVERY (deviation): only the console's streams get events; a receiver's own stream stays
    // silent, though its events_delivered promises them.
    const consoleOnly = this.#transmitter.deviates('transmitter-no-events-on-receiver-streams');
    for (const s of this.#transmitter.streams()) {
      if (consoleOnly && !this.#integrations.has(s.config.stream_id)) continue;
      const eventType = deliveredTypeFor(event, s.config.events_delivered);
      if (eventType === undefined) continue;
      const key = `${eventType} ${s.subjectPlacement}`;
      const group = groups.get(key) ?? { eventType, placement: s.subjectPlacement, streams: [] };
      group.streams.push(s.config.stream_id);
      groups.set(key, group);
    }
    return [...groups.values()];
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
    const about = this.#about(subject);
    for (const { eventType, placement, streams } of this.#streamsWith('RISK_LEVEL_CHANGED')) {
      const caep = eventType === EVENT_URIS.riskLevelChange;
      // CAEP has no "secure": Secure and Low are both LOW there, so that step is no change to announce.
      if (caep && caepLevel(previous) === caepLevel(current)) continue;
      const common = {
        event_timestamp: eventTimestamp,
        initiating_entity: initiator,
        reason_admin: { en: reason },
      };
      const payload = caep
        ? {
            ...common,
            principal: 'DEVICE',
            current_level: caepLevel(current),
            previous_level: caepLevel(previous),
            risk_reason: reason,
          }
        : { ...common, current_level: oktaLevel(current), previous_level: oktaLevel(previous) };
      await this.#transmitter.emit({
        eventType,
        payload,
        subject: this.#subject(placement, about),
        about,
        streams,
      });
    }
  }

  /** One DEVICE_COMPLIANCE_CHANGE per stream (CAEP device-compliance-change). */
  async complianceChanged(subject: EventSubject, compliant: boolean, reason: string): Promise<void> {
    const status = (c: boolean): string => (c ? 'compliant' : 'not-compliant');
    const about = this.#about(subject);
    for (const { eventType, placement, streams } of this.#streamsWith('DEVICE_COMPLIANCE_CHANGE')) {
      await this.#transmitter.emit({
        eventType,
        payload: {
          event_timestamp: Math.floor(this.#now() / 1000),
          previous_status: status(!compliant),
          current_status: status(compliant),
          initiating_entity: 'policy',
          reason_admin: { en: reason },
        },
        subject: this.#subject(placement, about),
        about,
        streams,
      });
    }
  }
}
