/**
 * TypeScript shapes of the SSF wire objects: transmitter metadata (SSF 1.0 §7.1), stream management
 * bodies (§8.1.1 to §8.1.4) and the RFC 8935 / RFC 8936 delivery bodies. They are hand-written and tested
 * against the JSON Schemas in ../schemas/ssf-wire.ts (same members, same required set). Extra members that
 * the schemas tolerate are not typed: code that needs them reads the raw JSON.
 */
import type { SubjectIdentifier } from './subject-identifiers.ts';

/** SSF 1.0 §7.1 `authorization_schemes` entry. */
export interface AuthorizationScheme {
  /** A URN naming the authorization protocol, e.g. `urn:ietf:rfc:6749` (OAuth 2.0). */
  readonly spec_urn: string;
}

/** SSF 1.0 §7.1 transmitter configuration metadata. Arrays are never empty (empty claims are omitted). */
export interface TransmitterMetadata {
  /** Absent means `1_0-ID1`. */
  readonly spec_version?: string;
  /** Identical to the Issuer used for discovery and to the `iss` of every SET. */
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly delivery_methods_supported?: readonly string[];
  readonly configuration_endpoint?: string;
  readonly status_endpoint?: string;
  readonly add_subject_endpoint?: string;
  readonly remove_subject_endpoint?: string;
  readonly verification_endpoint?: string;
  readonly critical_subject_members?: readonly string[];
  readonly authorization_schemes?: readonly AuthorizationScheme[];
  readonly default_subjects?: 'ALL' | 'NONE';
}

/** SSF 1.0 §6.1.1 push delivery (RFC 8935). */
export interface PushDelivery {
  readonly method: 'urn:ietf:rfc:8935';
  /** Assigned by the Receiver. */
  readonly endpoint_url: string;
  /** Sent verbatim as the `Authorization` header of every push. */
  readonly authorization_header?: string;
}

/** SSF 1.0 §6.1.2 poll delivery (RFC 8936). */
export interface PollDelivery {
  readonly method: 'urn:ietf:rfc:8936';
  /** Assigned by the Transmitter; absent in a Receiver's request. */
  readonly endpoint_url?: string;
}

/** A delivery method defined elsewhere: only `method` is known; the extension defines the rest. */
export interface ExtensionDelivery {
  readonly method: string;
  readonly endpoint_url?: string;
  readonly [member: string]: unknown;
}

export type Delivery = PushDelivery | PollDelivery | ExtensionDelivery;

/** SSF 1.0 §8.1.1 stream configuration, as the Transmitter returns it. */
export interface StreamConfiguration {
  readonly stream_id: string;
  readonly iss: string;
  /** Cannot be changed by an update. */
  readonly aud: string | readonly string[];
  readonly events_supported?: readonly string[];
  readonly events_requested?: readonly string[];
  /** What the Receiver should expect: a subset of supported ∩ requested. */
  readonly events_delivered: readonly string[];
  readonly delivery: Delivery;
  /** Seconds. */
  readonly min_verification_interval?: number;
  readonly description?: string;
  /** Seconds. */
  readonly inactivity_timeout?: number;
}

/** SSF 1.0 §8.1.1.1 create body: the Receiver-supplied members. No `delivery` means poll. */
export interface StreamCreateRequest {
  readonly events_requested?: readonly string[];
  readonly delivery?: Delivery;
  readonly description?: string;
}

/**
 * SSF 1.0 §8.1.1.3 PATCH body. Omitted members stay unchanged; Transmitter-supplied members may appear
 * only with their current values.
 */
export interface StreamUpdateRequest extends Partial<Omit<StreamConfiguration, 'stream_id'>> {
  readonly stream_id: string;
}

/** SSF 1.0 §8.1.1.4 PUT body. An omitted Receiver-supplied member is a request to delete it. */
export interface StreamReplaceRequest extends Partial<Omit<StreamConfiguration, 'stream_id' | 'delivery'>> {
  readonly stream_id: string;
  readonly delivery: Delivery;
}

/** SSF 1.0 §8.1.2: paused holds events, disabled drops them. */
export type StreamStatusValue = 'enabled' | 'paused' | 'disabled';

/** SSF 1.0 §8.1.2.1 stream status. */
export interface StreamStatus {
  readonly stream_id: string;
  readonly status: StreamStatusValue;
  readonly reason?: string;
}

/** SSF 1.0 §8.1.2.2 status update body: the same members as the status it asks for. */
export interface StreamStatusUpdateRequest extends StreamStatus {}

/** SSF 1.0 §8.1.3.2 add subject body. */
export interface AddSubjectRequest {
  readonly stream_id: string;
  readonly subject: SubjectIdentifier;
  /** Absent means the Transmitter SHOULD assume true. */
  readonly verified?: boolean;
}

/** SSF 1.0 §8.1.3.3 remove subject body. */
export interface RemoveSubjectRequest {
  readonly stream_id: string;
  readonly subject: SubjectIdentifier;
}

/** SSF 1.0 §8.1.4.2 verification request body. */
export interface VerificationRequest {
  readonly stream_id: string;
  /** Echoed in the verification event when present. */
  readonly state?: string;
}

/** RFC 8935 §2.3 error body, also the value type of RFC 8936 `setErrs`. */
export interface PushErrorBody {
  /** A registered code (see PUSH_ERROR_CODES) or another one from the open IANA registry. */
  readonly err: string;
  readonly description: string;
}

/** RFC 8936 §2.4 poll request body; `{}` is a default poll. */
export interface PollRequest {
  /** 0 makes the request acknowledge-only; absent means no limit. */
  readonly maxEvents?: number;
  /** Absent means false: a long poll. */
  readonly returnImmediately?: boolean;
  /** jti values of SETs received and validated. */
  readonly ack?: readonly string[];
  /** jti → why that SET failed validation. */
  readonly setErrs?: Readonly<Record<string, PushErrorBody>>;
}

/** RFC 8936 §2.5 poll response body. */
export interface PollResponse {
  /** jti → SET in compact serialization; `{}` when nothing is available. */
  readonly sets: Readonly<Record<string, string>>;
  /** Absent means false. */
  readonly moreAvailable?: boolean;
}
