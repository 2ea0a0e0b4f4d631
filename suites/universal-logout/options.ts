/**
 * The `universal-logout` plan's options: which app endpoint to grade, and what the harness needs to play
 * Okta towards it — the issuer the app trusts, a private key whose public half the app trusts (its JWKS
 * hosted by the user, or served by the harness), the client id Okta would put in `sub`, and a user the app
 * knows. Resolved once per run (the key import is async and costs a little).
 */
import { randomBytes } from 'node:crypto';
import { HarnessError } from '../../harness/kernel/index.ts';
import type { EmailSubject, IssSubSubject, SigningKey } from '../../harness/protocol/index.ts';
import { importSigningKey } from '../../harness/protocol/index.ts';

export type GtrSubject = EmailSubject | IssSubSubject;

/** A request that works with the user's session before the logout and must stop working after it. */
export interface SessionProbe {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** E.g. `{"cookie": "sid=…"}` or `{"authorization": "Bearer …"}` (redacted in the record). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface UniversalLogoutOptions {
  /** The app's Global Token Revocation endpoint; also the JWT `aud`. */
  readonly endpoint: string;
  /** The Okta org URL (or harness issuer) the app trusts: the JWT `iss`. */
  readonly issuer: string;
  /** The private JWK the harness signs with; the app must trust its public half. */
  readonly privateJwk: Readonly<Record<string, unknown>>;
  /** What Okta puts in the JWT `sub`: the app's OIDC client id or SAML app instance id. */
  readonly clientId: string;
  /** A user the app knows. Its sessions are revoked by the valid request. */
  readonly user: GtrSubject;
  /** A user the app does not know (default a random address under .invalid, or a random iss_sub). */
  readonly unknownUser?: GtrSubject;
  /** The subject format the app is configured for (default the user's format). */
  readonly subjectFormat?: 'email' | 'iss_sub';
  /** Serve the key's JWKS from the harness (at `jwksPath` below the served URL). */
  readonly serveJwks?: boolean;
  /** Default `/oauth2/v1/keys`, where Okta publishes its keys. */
  readonly jwksPath?: string;
  /** Optional: shows the logout took effect (skipped without it). */
  readonly sessionProbe?: SessionProbe;
}

const subjectSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['format', 'email'],
      properties: { format: { const: 'email' }, email: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['format', 'iss', 'sub'],
      properties: {
        format: { const: 'iss_sub' },
        iss: { type: 'string', minLength: 1 },
        sub: { type: 'string', minLength: 1 },
      },
      additionalProperties: false,
    },
  ],
} as const;

export const UNIVERSAL_LOGOUT_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'universal-logout plan options',
  type: 'object',
  required: ['endpoint', 'issuer', 'privateJwk', 'clientId', 'user'],
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', format: 'uri', description: "The app's Global Token Revocation URL." },
    issuer: { type: 'string', format: 'uri', description: 'The issuer the app trusts (JWT iss).' },
    privateJwk: { type: 'object', required: ['kty', 'd'], description: 'The private key the app trusts.' },
    clientId: { type: 'string', minLength: 1, description: 'JWT sub: client id or app instance id.' },
    user: subjectSchema,
    unknownUser: subjectSchema,
    subjectFormat: { enum: ['email', 'iss_sub'] },
    serveJwks: { type: 'boolean', default: false },
    jwksPath: { type: 'string', pattern: '^/', default: '/oauth2/v1/keys' },
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
} as const;

export interface ResolvedOptions {
  readonly endpoint: string;
  readonly issuer: string;
  readonly key: SigningKey;
  readonly clientId: string;
  readonly user: GtrSubject;
  readonly unknownUser: GtrSubject;
  readonly serveJwks: boolean;
  readonly jwksPath: string;
  readonly sessionProbe?: SessionProbe;
}

function usage(message: string): HarnessError {
  return new HarnessError('ERR_USAGE', `universal-logout: ${message}`);
}

function httpUrl(name: string, value: unknown): string {
  if (typeof value !== 'string') throw usage(`${name} must be a URL`);
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  throw usage(`${name} must be an http(s) URL, not ${JSON.stringify(value.slice(0, 100))}`);
}

/** Who a subject is, for messages and `ctx.intend`. */
export function describeSubject(subject: GtrSubject): string {
  return subject.format === 'email' ? subject.email : `${subject.sub} (issuer ${subject.iss})`;
}

function checkSubject(name: string, value: unknown): GtrSubject {
  const s = value as Partial<Record<string, unknown>> | null;
  if (typeof s === 'object' && s !== null) {
    if (s.format === 'email' && typeof s.email === 'string' && s.email !== '')
      return { format: 'email', email: s.email };
    if (s.format === 'iss_sub' && typeof s.iss === 'string' && typeof s.sub === 'string' && s.sub !== '')
      return { format: 'iss_sub', iss: s.iss, sub: s.sub };
  }
  throw usage(`${name} must be {"format": "email", "email": …} or {"format": "iss_sub", "iss": …, "sub": …}`);
}

/** A user no app knows: random, under the reserved .invalid domain (RFC 2606) or a random Okta-like id. */
export function randomUnknownUser(format: 'email' | 'iss_sub', issuer: string): GtrSubject {
  const tag = randomBytes(6).toString('hex');
  return format === 'email'
    ? { format: 'email', email: `nobody-${tag}@unknown-user.invalid` }
    : { format: 'iss_sub', iss: issuer, sub: `00u-ssf-lab-unknown-${tag}` };
}

export async function resolveOptions(raw: UniversalLogoutOptions): Promise<ResolvedOptions> {
  if (typeof raw !== 'object' || raw === null) throw usage('the options must be an object');
  const endpoint = httpUrl('endpoint', raw.endpoint);
  const issuer = httpUrl('issuer', raw.issuer);
  if (typeof raw.clientId !== 'string' || raw.clientId === '')
    throw usage('clientId must be a non-empty string');
  const user = checkSubject('user', raw.user);
  const format = raw.subjectFormat ?? user.format;
  if (format !== user.format)
    throw usage(`user is an ${user.format} subject but subjectFormat is ${format}; they must agree`);
  const unknownUser =
    raw.unknownUser === undefined
      ? randomUnknownUser(format, issuer)
      : checkSubject('unknownUser', raw.unknownUser);
  const jwksPath = raw.jwksPath ?? '/oauth2/v1/keys';
  if (!/^\/[\w\-./~]*$/.test(jwksPath)) throw usage(`jwksPath must be an absolute path, not ${jwksPath}`);
  const key = await importSigningKey(raw.privateJwk);
  return {
    endpoint,
    issuer,
    key,
    clientId: raw.clientId,
    user,
    unknownUser,
    serveJwks: raw.serveJwks ?? false,
    jwksPath,
    ...(raw.sessionProbe === undefined
      ? {}
      : { sessionProbe: { ...raw.sessionProbe, url: httpUrl('sessionProbe.url', raw.sessionProbe.url) } }),
  };
}
