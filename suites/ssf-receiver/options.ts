/**
 * The `ssf-receiver` plan's options (a target file's `ssf-receiver` section, secrets resolved) and what
 * they default to. The harness plays the transmitter: it signs with `privateJwk` as `issuer`, and the
 * receiver must already trust that issuer and the public half of the key (published by the user, or served
 * by the harness at `jwksPath`).
 */
import { EVENT_URIS, type ProfileName } from '../../harness/protocol/index.ts';

/** What the harness waits for the receiver to do at its transmitter. */
export type StreamAction = 'create' | 'verify' | 'delete';

/**
 * For receivers that manage their own stream: the harness serves a transmitter (metadata, JWKS, the
 * management API) and waits for the receiver — configured with the harness issuer and `token` — to act.
 */
export interface StreamManagementOptions {
  /** The bearer token the receiver presents at the harness transmitter's management API. */
  readonly token: string;
  /** How long to wait for the receiver to act, in milliseconds (default 120 000). */
  readonly waitMs?: number;
  /** What the receiver is expected to do (default create and verify); waiting ends once all of it is seen. */
  readonly expect?: readonly StreamAction[];
  /**
   * The harness transmitter's issuer path below where it is served (default `/ssf-transmitter`): its
   * issuer is the served URL (the public URL when one is configured) followed by this path.
   */
  readonly issuerPath?: string;
}

/** A list of the SETs the receiver processed (its state, as far as the battery can see it). */
export interface ProcessedSetsOptions {
  /** A GET answering JSON `{"jtis": [...]}`: the `jti` of every SET the receiver processed. */
  readonly url: string;
  /** The Authorization header value the list requires, verbatim. */
  readonly authorization?: string;
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
  /**
   * Where the receiver lists the SETs it processed, so the battery can tell that a refused SET changed
   * nothing (LAB-REFUSED-NO-EFFECT): a GET answering JSON `{"jtis": ["…", …]}`. Optional — most receivers
   * expose no such list, and the check is then skipped.
   */
  readonly processedSets?: ProcessedSetsOptions;
  /**
   * How long the signing-keys module waits, after it changes the JWKS it serves, for the receiver to fetch
   * it again (pushing a SET every second meanwhile), in milliseconds (default 60 000).
   */
  readonly keyRotationWaitMs?: number;
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
    keyRotationWaitMs: {
      type: 'integer',
      minimum: 0,
      default: 60000,
      description:
        'How long the signing-keys module waits for the receiver to fetch the JWKS again after the harness changed it (needs jwksPath), in milliseconds.',
    },
    processedSets: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: {
        url: {
          type: 'string',
          format: 'uri',
          description: 'A GET answering JSON {"jtis": [...]}: the jti of every SET the receiver processed.',
        },
        authorization: {
          type: 'string',
          description: 'The Authorization header value the list requires, sent verbatim (a secret).',
        },
      },
      description:
        'Where the receiver lists the SETs it processed, so the battery can check that every SET it refused changed nothing.',
    },
    streamManagement: {
      type: 'object',
      required: ['token'],
      additionalProperties: false,
      properties: {
        token: {
          type: 'string',
          minLength: 1,
          description:
            'The bearer token the receiver uses at the harness transmitter\'s management API (a secret: give it as {"env": "NAME"}).',
        },
        waitMs: {
          type: 'integer',
          minimum: 1,
          default: 120000,
          description: 'How long to wait for the receiver to act, in milliseconds.',
        },
        expect: {
          type: 'array',
          items: { enum: ['create', 'verify', 'delete'] },
          uniqueItems: true,
          default: ['create', 'verify'],
          description: 'What the receiver is expected to do at the harness transmitter.',
        },
        issuerPath: {
          type: 'string',
          pattern: '^/[^?#]*$',
          default: '/ssf-transmitter',
          description:
            "The harness transmitter's issuer path: its issuer is the served (public) URL followed by this path.",
        },
      },
      description:
        'For receivers that manage their own stream: the harness serves a transmitter and waits for the receiver to create, verify and delete its stream there.',
    },
  },
} as const;
