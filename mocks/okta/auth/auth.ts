/**
 * Who is calling the Management API, and may they? Okta accepts two schemes on almost every operation
 * (vendor-apis.md §1.1): `Authorization: SSWS <API token>` — an admin's token, allowed everything here — and
 * OAuth 2.0 access tokens from the org authorization server, `Bearer` or, when DPoP-bound, `DPoP` with a
 * proof. An OAuth caller needs one of the operation's scopes (Okta's API description lists them per
 * operation; a `.manage` scope also grants the matching `.read`). Failures are Okta's: 401 E0000011 for a
 * missing, unknown or wrongly presented token, 403 E0000006 for a missing scope, each with the
 * `WWW-Authenticate` challenge Okta sends to OAuth clients.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { accessDenied, invalidToken } from '../core/errors.ts';
import type { OktaOrg } from '../core/org.ts';
import type { LogActor } from '../system-log/system-log.ts';
import { type Dpop, DpopError } from './dpop.ts';

export interface ApiTokenPrincipal {
  readonly kind: 'api-token';
  readonly actor: LogActor;
}

export interface OAuthPrincipal {
  readonly kind: 'oauth';
  readonly clientId: string;
  /** The user the token acts for (authorization code flow); absent for client credentials. */
  readonly userId?: string;
  readonly scopes: ReadonlySet<string>;
  readonly actor: LogActor;
}

export type Principal = ApiTokenPrincipal | OAuthPrincipal;

/** Whether the principal holds one of `scopes` (`okta.x.manage` also grants `okta.x.read`). */
export function hasScope(principal: Principal, scopes: readonly string[]): boolean {
  if (principal.kind === 'api-token') return true;
  return scopes.some(
    (s) =>
      principal.scopes.has(s) || (s.endsWith('.read') && principal.scopes.has(`${s.slice(0, -5)}.manage`)),
  );
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ResourceAuth {
  readonly #org: OktaOrg;
  readonly #dpop: Dpop;
  readonly #apiTokens = new Map<string, ApiTokenPrincipal>();

  constructor(org: OktaOrg, dpop: Dpop) {
    this.#org = org;
    this.#dpop = dpop;
  }

  /** Accepts `token` as an SSWS API token of `actor` (kept as a hash only). */
  addApiToken(token: string, actor: LogActor): void {
    this.#apiTokens.set(digest(token), { kind: 'api-token', actor });
  }

  #challenge(
    scheme: 'Bearer' | 'DPoP',
    path: string,
    scopes: readonly string[],
    error: string,
    description: string,
  ): Record<string, string> {
    const org = this.#org.url;
    const algs = scheme === 'DPoP' ? ' algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512",' : '';
    return {
      'www-authenticate': `${scheme}${algs} authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${scopes.join(' ')}", error="${error}", error_description="${description}", resource="${path}"`,
    };
  }

  /** Authenticates the request for an operation needing one of `scopes`; throws OktaError. */
  async authenticate(request: FastifyRequest, path: string, scopes: readonly string[]): Promise<Principal> {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') throw invalidToken();
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const credential = space < 0 ? '' : header.slice(space + 1).trim();

    if (scheme === 'ssws') {
      const principal = this.#apiTokens.get(digest(credential));
      if (!principal) throw invalidToken();
      return principal;
    }
    if (scheme !== 'bearer' && scheme !== 'dpop') throw invalidToken();
    const presented = scheme === 'dpop' ? 'DPoP' : 'Bearer';
    const record = this.#org.tokens.accessTokens.get(credential);
    if (!record)
      throw invalidToken(
        this.#challenge(presented, path, scopes, 'invalid_token', 'The access token is invalid.'),
      );
    if (record.jkt !== undefined && scheme === 'bearer')
      throw invalidToken(
        this.#challenge(
          'DPoP',
          path,
          scopes,
          'invalid_token',
          'The access token is DPoP-bound: use the DPoP scheme.',
        ),
      );
    if (record.jkt === undefined && scheme === 'dpop')
      throw invalidToken(
        this.#challenge('Bearer', path, scopes, 'invalid_token', 'The access token is not DPoP-bound.'),
      );
    if (scheme === 'dpop') {
      try {
        await this.#dpop.verify(request.headers.dpop, {
          method: request.method,
          url: `${this.#org.url}${path}`,
          accessToken: credential,
          requireNonce: false,
          ...(record.jkt === undefined ? {} : { jkt: record.jkt }),
        });
      } catch (error) {
        if (!(error instanceof DpopError)) throw error;
        throw invalidToken(this.#challenge('DPoP', path, scopes, 'invalid_dpop_proof', error.message));
      }
    }
    const app = this.#org.apps.byClientId(record.clientId);
    const user = record.userId === undefined ? undefined : this.#org.directory.user(record.userId);
    const principal: OAuthPrincipal = {
      kind: 'oauth',
      clientId: record.clientId,
      ...(record.userId === undefined ? {} : { userId: record.userId }),
      scopes: record.scopes,
      actor: user
        ? {
            id: user.id,
            type: 'User',
            alternateId: user.profile.login,
            displayName: user.profile.displayName,
            detailEntry: null,
          }
        : {
            id: record.clientId,
            type: 'PublicClientApp',
            alternateId: record.clientId,
            displayName: app?.label ?? record.clientId,
            detailEntry: null,
          },
    };
    if (!hasScope(principal, scopes))
      throw accessDenied(
        this.#challenge(
          presented,
          path,
          scopes,
          'insufficient_scope',
          'The access token provided does not contain the required scopes.',
        ),
      );
    return principal;
  }
}
