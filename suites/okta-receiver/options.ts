/**
 * The `okta-receiver` plan's options: the transmitter side as in `ssf-receiver` (always the `okta`
 * profile), plus the org's Management API for reading outcomes back, and whether the plan registers the
 * harness's issuer as a security events provider itself (by default that is the user's set-up).
 */
import { type SsfReceiverOptions, TRANSMITTER_PROPERTIES } from '../ssf-receiver/index.ts';
import type { OktaAccess } from './okta-api.ts';

export interface OktaReceiverOptions {
  /** `https://<org>/security/api/v1/security-events`. */
  readonly pushEndpoint: string;
  readonly authorization?: string;
  /** The org URL (Okta's guide). */
  readonly audience: string;
  readonly issuer: string;
  readonly privateJwk: Readonly<Record<string, unknown>>;
  readonly jwksPath?: string;
  /** Where Okta fetches the harness's JWKS, for `registerProvider` when the harness does not serve it. */
  readonly jwksUrl?: string;
  /** `{user: {format: "email", email}, device: {format: "opaque", id}}`: a user of the org. */
  readonly subject?: Readonly<Record<string, unknown>>;
  /** The org's Management API (SSWS token): without it, outcomes are not read back (skipped). */
  readonly okta?: OktaAccess;
  /** Register the issuer as a provider named `ssf-lab-…` for each module, and delete it after. */
  readonly registerProvider?: boolean;
  /** The org's ENTITY_RISK policy ends sessions and logs the user out on HIGH (default true). */
  readonly expectLogout?: boolean;
  /** How long to wait for the System Log chain (default 60 s). */
  readonly waitMs?: number;
  /**
   * How long to wait before concluding a redelivered SET was not processed again, and — once Universal
   * Logout is logged — for Okta's risk reset (user.risk.change) (default 3 s).
   */
  readonly settleMs?: number;
}

export const DEFAULT_SETTLE_MS = 3000;

/** The transmitter half, as the ssf-receiver plan's helpers take it. */
export function transmitterOptions(options: OktaReceiverOptions): SsfReceiverOptions {
  return {
    pushEndpoint: options.pushEndpoint,
    ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    audience: options.audience,
    issuer: options.issuer,
    privateJwk: options.privateJwk,
    ...(options.jwksPath === undefined ? {} : { jwksPath: options.jwksPath }),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    profile: 'okta',
  };
}

/** The user's sign-in email, from Okta's in-event subject. */
export function subjectEmail(options: OktaReceiverOptions): string | undefined {
  const user = options.subject?.user;
  if (typeof user !== 'object' || user === null) return undefined;
  const email = (user as Record<string, unknown>).email;
  return typeof email === 'string' ? email : undefined;
}

export const OKTA_RECEIVER_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'okta-receiver plan options',
  type: 'object',
  required: ['pushEndpoint', 'audience', 'issuer', 'privateJwk'],
  additionalProperties: false,
  properties: {
    ...TRANSMITTER_PROPERTIES,
    jwksUrl: {
      type: 'string',
      format: 'uri',
      description: 'Where Okta fetches the harness JWKS (registerProvider).',
    },
    okta: {
      type: 'object',
      required: ['url', 'apiToken'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri' },
        apiToken: { type: 'string', minLength: 1, description: 'An SSWS API token (keep it in a secret).' },
      },
    },
    registerProvider: { type: 'boolean', default: false },
    expectLogout: { type: 'boolean', default: true },
    waitMs: { type: 'integer', minimum: 0, default: 60000 },
    settleMs: {
      type: 'integer',
      minimum: 0,
      default: DEFAULT_SETTLE_MS,
      description:
        "How long to wait before concluding a redelivered SET was not processed again, and, once Universal Logout is logged, for Okta's risk reset (user.risk.change).",
    },
  },
} as const;
