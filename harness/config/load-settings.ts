/**
 * A target file's `load` section: what `ssf-lab load` sends, how hard, and the service-level objectives it
 * grades the run against. The endpoint and the signing key are not repeated here: `plan` names the plan
 * section of the same file that already describes them (`ssf-receiver` or `okta-receiver`: `pushEndpoint`,
 * `authorization`, `audience`, `issuer`, `privateJwk`, `subject`, `profile`).
 *
 *   "load": { "plan": "okta-receiver", "count": 10000, "connections": 16,
 *             "p99Ms": 250, "minThroughput": 200, "invalidShare": 0.05 }
 */

export interface LoadSettings {
  /** The plan section holding the endpoint and the signing key. */
  readonly plan: 'ssf-receiver' | 'okta-receiver';
  /** How many SETs to send (default 1,000 when neither count nor duration is given). */
  readonly count?: number;
  /** How long to send, in seconds, at `rate` (which it needs): the run sends `rate × duration` SETs. */
  readonly duration?: number;
  /** Requests per second across all connections (open loop); without it, each connection sends as fast as answered. */
  readonly rate?: number;
  /** Concurrent connections (default 10). */
  readonly connections?: number;
  /** Share of SETs (0–1) signed with a key the receiver does not know; each must be refused (default 0). */
  readonly invalidShare?: number;
  /** Per-request timeout in milliseconds (default 10,000). */
  readonly timeoutMs?: number;
  /** SLO: the 50th, 95th and 99th percentile latency, in milliseconds, at most. */
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  /** SLO: completed requests per second, at least. */
  readonly minThroughput?: number;
  /** SLO: the share (0–1) of valid SETs that may go unaccepted (default 0: every one is accepted). */
  readonly maxErrorRate?: number;
  /**
   * Where the receiver lists what it processed (a GET answering `{"jtis": […]}` or an array of objects with
   * a `jti`), read after the run to tell whether each SET had its effect. Default: the plan's `processedSets`.
   */
  readonly processedSets?: { readonly url: string; readonly authorization?: string };
}

export const LOAD_DEFAULTS = {
  count: 1000,
  connections: 10,
  invalidShare: 0,
  timeoutMs: 10_000,
  maxErrorRate: 0,
} as const;

/** The most SETs one run signs up front. */
export const MAX_LOAD_SETS = 1_000_000;

const MS = { type: 'number', exclusiveMinimum: 0, maximum: 3_600_000 } as const;

export const LOAD_SETTINGS_SCHEMA = {
  type: 'object',
  required: ['plan'],
  additionalProperties: false,
  properties: {
    plan: { enum: ['ssf-receiver', 'okta-receiver'] },
    count: { type: 'integer', minimum: 1, maximum: MAX_LOAD_SETS },
    duration: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    rate: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
    connections: { type: 'integer', minimum: 1, maximum: 1024 },
    invalidShare: { type: 'number', minimum: 0, maximum: 1 },
    timeoutMs: MS,
    p50Ms: MS,
    p95Ms: MS,
    p99Ms: MS,
    minThroughput: { type: 'number', minimum: 0 },
    maxErrorRate: { type: 'number', minimum: 0, maximum: 1 },
    processedSets: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri', pattern: '^https?://' },
        authorization: { type: 'string' },
      },
    },
  },
} as const;
