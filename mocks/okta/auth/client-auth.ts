/**
 * Client authentication at `POST /oauth2/v1/token` (RFC 6749 §2.3, RFC 7523, OIDC Core §9) by the method the
 * app registered: `none` (a public native app names itself with `client_id` and proves possession with
 * PKCE), `client_secret_basic`, `client_secret_post`, or `private_key_jwt` — what okta-sdk-nodejs's
 * `PrivateKey` mode sends (vendor-apis.md §1.1.1). Okta's rules for the assertion (developer.okta.com
 * build-self-signed-jwt): `iss` = `sub` = client id, `aud` exactly `<org>/oauth2/v1/token`, `exp` at most one
 * hour ahead, `iat` not in the future, a `jti` used once, a signature by a key in the app's `jwks` (or
 * `jwks_uri`, fetched with the org's outbound fetch and cached). Failures are 401 `invalid_client`.
 */
import { timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { jwksFromObject, jwksFromUrl, type KeySource } from '../../../harness/protocol/index.ts';
import type { OktaApp } from '../apps/apps.ts';
import { invalidClient, invalidRequest } from '../core/errors.ts';
import type { OktaOrg } from '../core/org.ts';
import { ExpiringStore } from '../oidc/tokens.ts';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const CLIENT_FAILED =
  'Client authentication failed. Either the client or the client credentials are invalid.';

interface Presented {
  readonly clientId: string;
  readonly secret?: string;
  readonly assertion?: string;
  readonly method: 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ClientAuthenticator {
  readonly #org: OktaOrg;
  readonly #usedJtis: ExpiringStore<{ readonly expiresAt: number }>;
  readonly #remoteKeys = new Map<string, KeySource>();

  constructor(org: OktaOrg) {
    this.#org = org;
    this.#usedJtis = new ExpiringStore(() => org.now(), 10_000);
  }

  get tokenUrl(): string {
    return `${this.#org.url}/oauth2/v1/token`;
  }

  /** What the request says about its client, without checking it (RFC 6749 allows one method only). */
  #presented(form: URLSearchParams, authorization: string | undefined): Presented {
    const formId = form.get('client_id') ?? undefined;
    const assertion = form.get('client_assertion') ?? undefined;
    const basic = authorization?.match(/^Basic\s+(.+)$/i)?.[1];
    const methods = [assertion !== undefined, basic !== undefined, form.has('client_secret')].filter(
      Boolean,
    ).length;
    if (methods > 1) throw invalidRequest('The client used more than one authentication method.');
    if (assertion !== undefined) {
      if (form.get('client_assertion_type') !== ASSERTION_TYPE)
        throw invalidRequest(`The client_assertion_type must be ${ASSERTION_TYPE}.`);
      let iss: unknown;
      try {
        iss = decodeJwt(assertion).iss;
      } catch {
        throw invalidClient('The client_assertion is not a valid JWT.');
      }
      if (typeof iss !== 'string' || iss === '')
        throw invalidClient("The client_assertion token has an invalid or missing 'iss' claim.");
      if (formId !== undefined && formId !== iss)
        throw invalidClient("The client_id does not match the client_assertion's 'iss'.");
      return { clientId: iss, assertion, method: 'private_key_jwt' };
    }
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw invalidClient(CLIENT_FAILED);
      try {
        // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
        const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
        const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
        return { clientId, secret, method: 'client_secret_basic' };
      } catch {
        throw invalidClient(CLIENT_FAILED);
      }
    }
    if (formId === undefined || formId === '') throw invalidClient(CLIENT_FAILED);
    const secret = form.get('client_secret');
    return secret === null
      ? { clientId: formId, method: 'none' }
      : { clientId: formId, secret, method: 'client_secret_post' };
  }

  /** The app the request claims to be, before its credentials are checked (to answer DPoP first). */
  identify(form: URLSearchParams, authorization: string | undefined): OktaApp {
    const presented = this.#presented(form, authorization);
    const app = this.#org.apps.byClientId(presented.clientId);
    if (app?.status !== 'ACTIVE') throw invalidClient(CLIENT_FAILED);
    return app;
  }

  /** Checks the client's credentials by its registered method; returns the app. */
  async authenticate(form: URLSearchParams, authorization: string | undefined): Promise<OktaApp> {
    const presented = this.#presented(form, authorization);
    const app = this.#org.apps.byClientId(presented.clientId);
    if (app?.status !== 'ACTIVE') throw invalidClient(CLIENT_FAILED);
    if (presented.method !== app.authMethod)
      throw invalidClient(
        `The client is registered for '${app.authMethod}' authentication, not '${presented.method}'.`,
      );
    if (presented.method === 'none') return app;
    if (presented.secret !== undefined) {
      if (app.clientSecret === undefined || !safeEqual(presented.secret, app.clientSecret))
        throw invalidClient(CLIENT_FAILED);
      return app;
    }
    await this.#verifyAssertion(app, presented.assertion ?? '');
    return app;
  }

  #keys(app: OktaApp): KeySource {
    const inline = app.oauthClient.jwks;
    if (inline) return jwksFromObject(inline, `the jwks of client ${app.clientId}`);
    const uri = app.oauthClient.jwks_uri ?? '';
    let source = this.#remoteKeys.get(`${app.id} ${uri}`);
    if (!source) {
      source = jwksFromUrl(uri, { fetch: this.#org.fetch, clock: { now: () => this.#org.now() } });
      this.#remoteKeys.set(`${app.id} ${uri}`, source);
    }
    return source;
  }

  async #verifyAssertion(app: OktaApp, assertion: string): Promise<void> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw invalidClient('The client_assertion is not a valid JWT.');
    }
    const alg = header.alg;
    if (typeof alg !== 'string' || !ASSERTION_ALGORITHMS.includes(alg))
      throw invalidClient(
        `The client_assertion must be signed with one of ${ASSERTION_ALGORITHMS.join(', ')}.`,
      );
    const lookup = await this.#keys(app).keysFor({
      alg,
      ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
    });
    if (!lookup.ok)
      throw invalidClient(`The client_assertion signature cannot be verified: ${lookup.message}`);
    const now = this.#org.now();
    let claims: Record<string, unknown> | undefined;
    let failure = 'The client_assertion signature is invalid.';
    for (const candidate of lookup.keys) {
      try {
        claims = (
          await jwtVerify(assertion, candidate.key, {
            algorithms: [alg],
            currentDate: new Date(now),
            requiredClaims: ['iss', 'sub', 'aud', 'exp'],
          })
        ).payload;
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') failure = 'The client_assertion token is expired.';
        else if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
          failure = `The client_assertion token is invalid: ${(error as Error).message}`;
        else if (code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
          failure = `The client_assertion is invalid: ${(error as Error).message}`;
      }
    }
    if (!claims) throw invalidClient(failure);
    if (claims.iss !== app.clientId || claims.sub !== app.clientId)
      throw invalidClient("The client_assertion token's 'iss' and 'sub' must both be the client_id.");
    const aud = claims.aud;
    if (aud !== this.tokenUrl && !(Array.isArray(aud) && aud.length === 1 && aud[0] === this.tokenUrl))
      throw invalidClient(
        `The audience claim for client_assertion must be the endpoint invoked for the request: ${this.tokenUrl}.`,
      );
    const exp = Number(claims.exp);
    if (exp - now / 1000 > 3600)
      throw invalidClient(
        'The client_assertion token has an expiration too far into the future (more than 1 hour).',
      );
    if (typeof claims.iat === 'number' && claims.iat > now / 1000 + 60)
      throw invalidClient('The client_assertion token was issued in the future.');
    if (claims.jti !== undefined) {
      const key = `${app.clientId}:${String(claims.jti)}`;
      if (this.#usedJtis.get(key)) throw invalidClient('The client_assertion token has already been used.');
      this.#usedJtis.set(key, { expiresAt: exp * 1000 });
    }
  }
}
