/**
 * The `ssf-transmitter` plan's options: where the transmitter is, how to authenticate to its management
 * API, which delivery methods to grade and how long to wait. Secrets are already resolved when they get
 * here (target files name environment variables; the runner reads them).
 */

export type DeliveryChoice = 'push' | 'poll' | 'both';

/**
 * The request that undoes what the trigger did (resolves the test threat), sent when the module ends.
 * `{trigger.<member>}` in its url, headers or body strings is replaced with that top-level member of the
 * trigger's JSON answer (the lab: `DELETE …/_lab/threats/{trigger.id}`).
 */
export interface TriggerResolve {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body. */
  readonly body?: unknown;
}

/** An HTTP request that makes the transmitter emit a real event (a test hook of the target). */
export interface EventTrigger {
  readonly method: 'POST' | 'PUT' | 'GET';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body. */
  readonly body?: unknown;
  /** The event type it makes the transmitter emit. */
  readonly eventType?: string;
  /**
   * Who the event is about (an RFC 9493 / SSF subject identifier). The harness adds it to the stream
   * before the trigger (SSF §8.1.3.2), so a transmitter whose `default_subjects` is NONE delivers it too.
   */
  readonly subject?: Readonly<Record<string, unknown>>;
  readonly resolve?: TriggerResolve;
}

export interface RetryOptions {
  /**
   * Also hold one push past the transmitter's per-attempt timeout and expect a retry. Off by default: it
   * costs `holdMs` of wall time (11 s against a transmitter with the reference engine's 10 s timeout).
   */
  readonly timeoutCase?: boolean;
  /** How long the harness holds the push in the timeout case (default 11 000 ms). */
  readonly holdMs?: number;
  /** After a 400, how long the harness watches for a (wrong) retry (default 2500 ms). */
  readonly noRetryWindowMs?: number;
  /** The Retry-After the harness sends with its 429, in seconds (default 2). */
  readonly retryAfterSeconds?: number;
}

export interface SsfTransmitterOptions {
  /** The Issuer; the metadata is found by inserting /.well-known/ssf-configuration between host and path. */
  readonly issuer: string;
  /** Bearer token for the management API (and the poll endpoint). */
  readonly token: string;
  /** A second receiver's token at the same transmitter: enables the stream isolation checks. */
  readonly secondToken?: string;
  /** The `aud` the transmitter gives this receiver's streams, when known (otherwise the stream's own). */
  readonly audience?: string;
  readonly delivery?: DeliveryChoice;
  readonly eventTrigger?: EventTrigger;
  /** Longest wait for an event the transmitter was asked to send (default 15 000 ms). */
  readonly eventTimeoutMs?: number;
  /** How long "nothing arrives" is watched for (a paused stream, a dropped event; default 600 ms). */
  readonly quietWindowMs?: number;
  /** Longest min_verification_interval the harness waits out to show a second request is accepted (default 3 s). */
  readonly verificationIntervalCapSeconds?: number;
  /** Accept http URLs (a lab on loopback); otherwise the https checks apply. */
  readonly allowHttp?: boolean;
  readonly retry?: RetryOptions;
  /** The inactivity module: whose stream to leave idle, and the longest inactivity_timeout waited out. */
  readonly inactivity?: {
    /** A receiver account's token whose streams have a short inactivity_timeout (default: `token`). */
    readonly token?: string;
    /** Longest inactivity_timeout the harness waits out (default 10 s; longer ones skip the module). */
    readonly maxWaitSeconds?: number;
  };
}

export interface ResolvedOptions {
  readonly issuer: string;
  readonly token: string;
  readonly secondToken: string | undefined;
  readonly audience: string | undefined;
  readonly delivery: DeliveryChoice;
  readonly eventTrigger: EventTrigger | undefined;
  readonly eventTimeoutMs: number;
  readonly quietWindowMs: number;
  readonly verificationIntervalCapSeconds: number;
  readonly allowHttp: boolean;
  readonly retry: Required<RetryOptions>;
}

export function resolveOptions(o: SsfTransmitterOptions): ResolvedOptions {
  return {
    issuer: o.issuer,
    token: o.token,
    secondToken: o.secondToken,
    audience: o.audience,
    delivery: o.delivery ?? 'both',
    eventTrigger: o.eventTrigger,
    eventTimeoutMs: o.eventTimeoutMs ?? 15_000,
    quietWindowMs: o.quietWindowMs ?? 600,
    verificationIntervalCapSeconds: o.verificationIntervalCapSeconds ?? 3,
    allowHttp: o.allowHttp ?? false,
    retry: {
      timeoutCase: o.retry?.timeoutCase ?? false,
      holdMs: o.retry?.holdMs ?? 11_000,
      noRetryWindowMs: o.retry?.noRetryWindowMs ?? 2500,
      retryAfterSeconds: o.retry?.retryAfterSeconds ?? 2,
    },
  };
}

/** JSON Schema (2020-12) of the plan's section of a target file, secrets resolved. */
export const SSF_TRANSMITTER_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ssf-lab:plan-options:ssf-transmitter',
  title: 'ssf-transmitter plan options',
  type: 'object',
  required: ['issuer', 'token'],
  additionalProperties: false,
  properties: {
    issuer: { type: 'string', format: 'uri', description: 'The transmitter Issuer (SSF 1.0 §7.2).' },
    token: { type: 'string', minLength: 1, description: 'Bearer token for the management API.' },
    secondToken: {
      type: 'string',
      minLength: 1,
      description: "Another receiver's token at the same transmitter (stream isolation checks).",
    },
    audience: { type: 'string', minLength: 1, description: 'The aud expected on this receiver’s SETs.' },
    delivery: { enum: ['push', 'poll', 'both'], default: 'both' },
    eventTrigger: {
      type: 'object',
      required: ['method', 'url'],
      additionalProperties: false,
      properties: {
        method: { enum: ['POST', 'PUT', 'GET'] },
        url: { type: 'string', format: 'uri' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: {},
        eventType: { type: 'string' },
        subject: {
          type: 'object',
          description:
            'The subject the triggered event is about; added to the stream before the trigger (SSF 8.1.3.2).',
        },
        resolve: {
          type: 'object',
          required: ['method', 'url'],
          additionalProperties: false,
          description:
            "Undoes the trigger when the module ends; {trigger.<member>} is filled from the trigger's JSON answer.",
          properties: {
            method: { enum: ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] },
            // Not `format: uri`: the URL may hold a `{trigger.id}` placeholder.
            url: { type: 'string', pattern: '^https?://' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            body: {},
          },
        },
      },
    },
    eventTimeoutMs: { type: 'integer', minimum: 100, maximum: 600_000, default: 15_000 },
    quietWindowMs: { type: 'integer', minimum: 50, maximum: 60_000, default: 600 },
    verificationIntervalCapSeconds: { type: 'integer', minimum: 0, maximum: 600, default: 3 },
    allowHttp: { type: 'boolean', default: false },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeoutCase: { type: 'boolean', default: false },
        holdMs: { type: 'integer', minimum: 100, maximum: 600_000, default: 11_000 },
        noRetryWindowMs: { type: 'integer', minimum: 100, maximum: 600_000, default: 2500 },
        retryAfterSeconds: { type: 'integer', minimum: 1, maximum: 60, default: 2 },
      },
    },
    inactivity: {
      type: 'object',
      additionalProperties: false,
      properties: {
        token: {
          type: 'string',
          minLength: 1,
          description: 'A receiver token whose streams have a short inactivity_timeout (default: token).',
        },
        maxWaitSeconds: { type: 'integer', minimum: 0, maximum: 600, default: 10 },
      },
    },
  },
} as const;
