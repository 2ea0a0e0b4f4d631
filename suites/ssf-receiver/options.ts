/**
 * The `ssf-receiver` plan's options (a target file's `ssf-receiver` section, secrets resolved) and what
 * they default to. The harness plays the transmitter: it signs with `privateJwk` as `issuer`, and the
 * receiver must already trust that issuer and the public half of the key (published by the user, or served
 * by the harness at `jwksPath`).
 */
import { EVENT_URIS, type ProfileName } from '../../harness/protocol/index.ts';

export interface StreamManagementOptions {
  /** The receiver's own management client creates its stream at the harness (not implemented yet). */
  readonly enabled: boolean;
}

export interface SsfReceiverOptions {
  /** The receiver's push endpoint (RFC 8935). */
  readonly pushEndpoint: string;
  /** The Authorization header value the receiver requires on a push, verbatim (SSF-6.1.1-AUTHZ). */
  readonly authorization?: string;
  /** The `aud` the receiver expects (for Okta, the org URL). */
  readonly audience: string;
  /** The harness's issuer, as the receiver knows it. */
  readonly issuer: string;
  /** The harness's signing key, a private JWK (`ssf-lab keys generate`). */
  readonly privateJwk: Readonly<Record<string, unknown>>;
  /** When set, the harness serves the public JWKS at this path for each module (else the user hosts it). */
  readonly jwksPath?: string;
  /** How SETs are shaped and judged: strict SSF 1.0, the CAEP interop profile, or Okta's contract. */
  readonly profile?: ProfileName;
  /** Event types to send one valid SET each (default by profile). */
  readonly events?: readonly string[];
  /**
   * The subject of every SET: an RFC 9493 identifier placed as `sub_id` (ssf, caep-interop), or Okta's
   * `{user, device}` placed inside the event (okta). Default: each event type's example subject.
   */
  readonly subject?: Readonly<Record<string, unknown>>;
  readonly streamManagement?: StreamManagementOptions;
}

/** The CAEP interop use cases: what any SSF receiver of this project is expected to take. */
const SSF_DEFAULT_EVENTS: readonly string[] = [
  EVENT_URIS.sessionRevoked,
  EVENT_URIS.credentialChange,
  EVENT_URIS.deviceComplianceChange,
];

/** The six types Okta's receiver accepts (OKTA-SET-EVENTS). */
const OKTA_DEFAULT_EVENTS: readonly string[] = [
  EVENT_URIS.oktaDeviceRiskChange,
  EVENT_URIS.oktaUserRiskChange,
  EVENT_URIS.oktaIpChange,
  EVENT_URIS.deviceComplianceChange,
  EVENT_URIS.sessionRevoked,
  EVENT_URIS.identifierChanged,
];

export function profileOf(options: { readonly profile?: ProfileName }): ProfileName {
  return options.profile ?? 'ssf';
}

export function eventsOf(options: SsfReceiverOptions): readonly string[] {
  if (options.events !== undefined && options.events.length > 0) return options.events;
  return profileOf(options) === 'okta' ? OKTA_DEFAULT_EVENTS : SSF_DEFAULT_EVENTS;
}

/** The parts of the schema the Okta plan shares. */
export const TRANSMITTER_PROPERTIES = {
  pushEndpoint: { type: 'string', format: 'uri', description: "The receiver's push endpoint (RFC 8935)." },
  authorization: {
    type: 'string',
    description: 'The Authorization header value the receiver requires on a push, sent verbatim.',
  },
  audience: { type: 'string', minLength: 1, description: 'The "aud" the receiver expects.' },
  issuer: { type: 'string', minLength: 1, description: "The harness's issuer, as the receiver knows it." },
  privateJwk: {
    type: 'object',
    required: ['kty'],
    description: "The harness's private signing key as a JWK (keep it in a secret, not in the file).",
  },
  jwksPath: {
    type: 'string',
    pattern: '^/',
    description: 'Serve the public JWKS at this path on the harness (otherwise the user hosts it).',
  },
  subject: {
    type: 'object',
    description:
      'The subject of every SET: an RFC 9493 identifier (sub_id) or, for Okta, {user: {format: "email", email}, device: {format: "opaque", id}}.',
  },
} as const;

export const SSF_RECEIVER_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'ssf-receiver plan options',
  type: 'object',
  required: ['pushEndpoint', 'audience', 'issuer', 'privateJwk'],
  additionalProperties: false,
  properties: {
    ...TRANSMITTER_PROPERTIES,
    profile: { enum: ['ssf', 'caep-interop', 'okta'], default: 'ssf' },
    events: {
      type: 'array',
      items: { type: 'string', format: 'uri' },
      description:
        "Event type URIs to send one valid SET each (default: the CAEP interop trio, or Okta's six).",
    },
    streamManagement: {
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' } },
      description: 'Receivers that create their stream at the harness (verification; not implemented yet).',
    },
  },
} as const;
