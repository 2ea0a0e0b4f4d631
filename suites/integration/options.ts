/**
 * The `integration` plan's options: how to make one user's device go High at the transmitter (a request
 * the harness sends — the lab's `/_lab/threats`, or whatever hook a real tenant offers), the Okta org to
 * read the outcome back from, the user's Okta sessions to see cleared, and one session probe per app the
 * org's Entity Risk Policy logs out of.
 */
import type { OktaAccess } from '../okta-receiver/index.ts';
import type { SessionProbe } from '../universal-logout/index.ts';

/** An HTTP request the harness sends as given (secrets in its headers come resolved from the target file). */
export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** An app the org's rule selects for Universal Logout, and how its logout shows. */
export interface IntegrationApp {
  readonly name: string;
  /**
   * Answers 2xx while the user's session lives and 400, 401 or 403 once it is revoked: a request on the
   * session for `full`, the refresh grant for `partial` (partial support revokes refresh tokens only).
   */
  readonly sessionProbe: SessionProbe;
  readonly expect: 'full' | 'partial';
}

export interface IntegrationOptions {
  /**
   * Makes the user's device risk go High at the transmitter. In the lab: `POST {jsc}/_lab/threats`. On a
   * real tenant: the user's own hook (a test-threat endpoint, an MDM script trigger); it must answer 2xx.
   */
  readonly trigger: HttpRequestSpec;
  /**
   * Undoes the threat when the module ends. `{trigger.<member>}` in its url, headers or body is replaced
   * with that top-level member of the trigger's JSON answer (the lab: `DELETE …/_lab/threats/{trigger.id}`).
   */
  readonly resolve?: HttpRequestSpec;
  /** The user's sign-in email at Okta. */
  readonly user: string;
  readonly okta: OktaAccess;
  /** The transmitter's issuer: tells its receive_events apart from other providers' (optional). */
  readonly issuer?: string;
  readonly apps: readonly IntegrationApp[];
  /**
   * The ids of the Okta sessions the user holds before the threat (each browser or device signed in:
   * `GET {org}/api/v1/sessions/me` there gives its id). Each is read through `GET /api/v1/sessions/{id}`
   * (scope okta.sessions.read) before the trigger and after the chain, and must be gone and named by a
   * user.session.end. Okta's API lists no user's sessions, so without them whether *all* were cleared is
   * not judged. A session id is a credential: keep them in a secret.
   */
  readonly oktaSessionIds?: readonly string[];
  /** How long to wait for the System Log chain after the trigger (default 60 s). */
  readonly waitMs?: number;
  /**
   * How long an app's probe may take to show the logout once Okta logged it, and how long Okta's risk
   * reset (user.risk.change) may take to follow Universal Logout in the log (default 5 s).
   */
  readonly settleMs?: number;
  /** The end-to-end bound, trigger → universal_logout (default 30 s; exceeding it is a warning). */
  readonly latencyBoundMs?: number;
}

export const DEFAULT_WAIT_MS = 60_000;
export const DEFAULT_SETTLE_MS = 5_000;
export const DEFAULT_LATENCY_BOUND_MS = 30_000;

const requestSchema = (what: string) =>
  ({
    type: 'object',
    required: ['method', 'url'],
    additionalProperties: false,
    description: what,
    properties: {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
      // Not `format: uri`: the resolve URL may hold a `{trigger.id}` placeholder.
      url: { type: 'string', pattern: '^https?://' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: { type: 'string' },
    },
  }) as const;

export const INTEGRATION_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'integration plan options',
  type: 'object',
  required: ['trigger', 'user', 'okta', 'apps'],
  additionalProperties: false,
  properties: {
    trigger: requestSchema(
      "A request that makes the user's device risk High at the transmitter (the lab: POST /_lab/threats).",
    ),
    resolve: requestSchema(
      'A request that undoes the threat, sent when the module ends; {trigger.<member>} is filled from the trigger answer.',
    ),
    user: { type: 'string', minLength: 3, description: "The user's sign-in email at Okta." },
    okta: {
      type: 'object',
      required: ['url', 'apiToken'],
      additionalProperties: false,
      description: "The org's Management API, to read the System Log and the user's risk.",
      properties: {
        url: { type: 'string', format: 'uri' },
        apiToken: { type: 'string', minLength: 1, description: 'An SSWS API token (keep it in a secret).' },
      },
    },
    issuer: {
      type: 'string',
      minLength: 1,
      description: "The transmitter's issuer, to tell its receive_events apart from other providers'.",
    },
    apps: {
      type: 'array',
      description: 'The apps the Entity Risk Policy logs out of, each with a session probe.',
      items: {
        type: 'object',
        required: ['name', 'sessionProbe', 'expect'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          expect: { enum: ['full', 'partial'] },
          sessionProbe: {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: {
              url: { type: 'string', format: 'uri' },
              method: { enum: ['GET', 'POST'] },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              body: { type: 'string' },
            },
          },
        },
      },
    },
    oktaSessionIds: {
      type: 'array',
      maxItems: 20,
      // writeOnly: a target file names each id through { "env": … }; a literal one is refused.
      items: { type: 'string', minLength: 1, writeOnly: true },
      description:
        'Optional: the ids of the Okta sessions the user holds before the threat (GET /api/v1/sessions/me in each signed-in browser). Each is read through GET /api/v1/sessions/{id} (scope okta.sessions.read) before the trigger and after the chain, and must be gone and named by a user.session.end; without them, whether all the user\'s sessions were cleared is skipped. Session ids are credentials: each is given as { "env": "VARIABLE" }, never literally.',
    },
    waitMs: {
      type: 'integer',
      minimum: 0,
      default: DEFAULT_WAIT_MS,
      description: 'How long to wait for the chain.',
    },
    settleMs: {
      type: 'integer',
      minimum: 0,
      default: DEFAULT_SETTLE_MS,
      description:
        "How long a probe may take to show the logout, and how long Okta's risk reset (user.risk.change) may take to follow Universal Logout in the log.",
    },
    latencyBoundMs: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_LATENCY_BOUND_MS,
      description: 'The end-to-end bound (a warning when exceeded).',
    },
  },
} as const;

/**
 * The resolve request with `{trigger.<member>}` filled from the trigger's JSON answer (URL-encoded in the
 * URL). A placeholder whose member is missing or not a string or number throws: the undo would miss.
 */
export function fillFromTrigger(request: HttpRequestSpec, answer: unknown): HttpRequestSpec {
  const members = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const fill = (text: string, encode: boolean): string =>
    text.replace(/\{trigger\.([A-Za-z0-9_]+)\}/g, (_all, name: string) => {
      const value = members[name];
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error(`the resolve request needs "${name}" from the trigger's answer, which has none`);
      return encode ? encodeURIComponent(String(value)) : String(value);
    });
  return {
    method: request.method,
    url: fill(request.url, true),
    ...(request.headers === undefined
      ? {}
      : {
          headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, fill(v, false)])),
        }),
    ...(request.body === undefined ? {} : { body: fill(request.body, false) }),
  };
}
