/**
 * The org authorization server's metadata and keys: `/.well-known/openid-configuration` (and the RFC 8414
 * twin `/.well-known/oauth-authorization-server`) with the org URL itself as `issuer` — what mock Jamf
 * Security Cloud's "Test and Save" checks byte for byte — and `/oauth2/v1/keys`, the JWKS that verifies ID
 * tokens, access tokens and part B's global-token-revocation JWTs; `userinfo_endpoint` names userinfo.ts.
 * The document follows Okta's `OrgASOidcMetadata` example (oauth-minimal.yaml), trimmed to what the mock
 * implements.
 */

import { DPOP_ALGORITHMS } from '../auth/dpop.ts';
import type { OktaContext } from '../core/context.ts';
import { OIDC_SCOPES } from './authorize.ts';

export function discoveryRoutes(ctx: OktaContext): void {
  const { org, router } = ctx;
  const metadata = (): Record<string, unknown> => {
    const base = org.url;
    return {
      issuer: base,
      authorization_endpoint: `${base}/oauth2/v1/authorize`,
      token_endpoint: `${base}/oauth2/v1/token`,
      userinfo_endpoint: `${base}/oauth2/v1/userinfo`,
      jwks_uri: `${base}/oauth2/v1/keys`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [org.signingKey.alg],
      scopes_supported: [...OIDC_SCOPES],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
        'none',
      ],
      claims_supported: [
        'iss',
        'ver',
        'sub',
        'aud',
        'iat',
        'exp',
        'jti',
        'auth_time',
        'amr',
        'idp',
        'nonce',
        'name',
        'preferred_username',
        'email',
        'email_verified',
        'at_hash',
        'groups',
      ],
      code_challenge_methods_supported: ['S256'],
      request_parameter_supported: false,
      dpop_signing_alg_values_supported: DPOP_ALGORITHMS.filter((a) => !a.startsWith('PS')),
    };
  };
  const cache = { 'cache-control': 'max-age=86400, must-revalidate' };

  router.route(
    {
      operationId: 'getWellKnownOpenIDConfiguration',
      method: 'GET',
      path: '/.well-known/openid-configuration',
      spec: 'oauth',
    },
    async (_request, reply) => reply.headers(cache).send(metadata()),
  );
  router.route(
    {
      operationId: 'getWellKnownOAuthConfiguration',
      method: 'GET',
      path: '/.well-known/oauth-authorization-server',
      spec: 'none',
      // The org server's RFC 8414 alias serves the same document Okta describes for the OIDC one.
      schema: {
        response: {
          200: { $ref: 'urn:ssf-lab:okta-oauth-api#/$defs/OidcMetadata' },
          429: { $ref: 'urn:ssf-lab:okta-oauth-api#/$defs/Error' },
          '4xx': { $ref: 'urn:ssf-lab:okta-oauth-api#/$defs/OAuthError' },
          '5xx': { $ref: 'urn:ssf-lab:okta-oauth-api#/$defs/OAuthError' },
        },
      },
    },
    async (_request, reply) => reply.headers(cache).send(metadata()),
  );
  router.route(
    { operationId: 'oauthKeys', method: 'GET', path: '/oauth2/v1/keys', spec: 'oauth' },
    async (_request, reply) => reply.headers(cache).send(org.keys()),
  );
}
