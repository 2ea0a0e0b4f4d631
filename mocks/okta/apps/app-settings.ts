/**
 * Validation of the Apps API bodies (`POST /api/v1/apps`, `PUT /api/v1/apps/{id}`) for OpenID Connect apps,
 * following Okta's rules per `application_type` (developer.okta.com Apps API and the `OpenIdConnectApplication`
 * schema): the grant types each type may use, redirect URIs for the code grant, client authentication
 * methods, PKCE for public clients, keys for `private_key_jwt`, and the defaults Okta fills in. Every problem
 * is E0000001 naming the field; what passes is the normalized `settings.oauthClient` the org keeps.
 */

import { type JwkSet, parseJwks } from '../../../harness/protocol/index.ts';
import { validationFailed } from '../core/errors.ts';
import type { ClientAuthMethod, OAuthClientSettings, OktaApp } from './apps.ts';

/** Grant types the lab implements (the rest of Okta's list is refused by name). */
const SUPPORTED_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
const GRANTS_BY_TYPE: Readonly<Record<OAuthClientSettings['application_type'], readonly string[]>> = {
  native: ['authorization_code', 'refresh_token'],
  browser: ['authorization_code', 'refresh_token'],
  web: ['authorization_code', 'refresh_token', 'client_credentials'],
  service: ['client_credentials'],
};
const AUTH_METHODS: readonly ClientAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

/** An Okta API scope of the org authorization server (`okta.users.read`, `okta.logs.read`, …). */
export const OKTA_SCOPE = /^okta\.[A-Za-z]+(\.[A-Za-z]+)*$/;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw validationFailed(field, `${field}: must be an array of strings`);
  return value as string[];
}

export function parseAppBody(
  body: unknown,
  existing: OktaApp | undefined,
): {
  label: string;
  authMethod: ClientAuthMethod;
  pkceRequired: boolean;
  oauthClient: OAuthClientSettings;
  profile?: Record<string, unknown>;
} {
  if (!isObject(body)) throw validationFailed('body', 'the application must be a JSON object');
  if (body.name !== 'oidc_client')
    throw validationFailed(
      'name',
      `name: the lab's org supports OpenID Connect apps only ("oidc_client"), not ${JSON.stringify(body.name)}`,
    );
  if (body.signOnMode !== undefined && body.signOnMode !== 'OPENID_CONNECT')
    throw validationFailed('signOnMode', 'signOnMode: an oidc_client app signs on with OPENID_CONNECT');
  const label = body.label;
  if (typeof label !== 'string' || label.trim() === '' || label.length > 100)
    throw validationFailed('label', 'label: The field cannot be left blank (at most 100 characters)');
  const settings = isObject(body.settings) ? body.settings : undefined;
  const client = settings && isObject(settings.oauthClient) ? settings.oauthClient : undefined;
  if (!client) throw validationFailed('settings', 'settings.oauthClient: The field cannot be left blank');

  const type = client.application_type ?? 'web';
  if (type !== 'native' && type !== 'web' && type !== 'browser' && type !== 'service')
    throw validationFailed(
      'application_type',
      'application_type: must be one of browser, native, service, web',
    );
  if (client.grant_types === undefined)
    throw validationFailed('grant_types', 'grant_types: The field cannot be left blank');
  const grants = stringList(client.grant_types, 'grant_types');
  if (grants.length === 0)
    throw validationFailed('grant_types', 'grant_types: The field cannot be left blank');
  for (const g of grants) {
    if (!(SUPPORTED_GRANTS as readonly string[]).includes(g))
      throw validationFailed('grant_types', `grant_types: the lab does not implement the "${g}" grant`);
    if (!(GRANTS_BY_TYPE[type] ?? []).includes(g))
      throw validationFailed('grant_types', `grant_types: '${g}' is not valid for a '${type}' application`);
  }
  if (grants.includes('refresh_token') && !grants.includes('authorization_code'))
    throw validationFailed('grant_types', "grant_types: 'refresh_token' requires 'authorization_code'");
  const redirectUris =
    client.redirect_uris === undefined ? [] : stringList(client.redirect_uris, 'redirect_uris');
  if (grants.includes('authorization_code') && redirectUris.length === 0)
    throw validationFailed('redirect_uris', 'redirect_uris: The field cannot be left blank');
  for (const uri of redirectUris) {
    let parsedUri: URL;
    try {
      parsedUri = new URL(uri);
    } catch {
      throw validationFailed('redirect_uris', `redirect_uris: "${uri}" is not an absolute URI`);
    }
    if (parsedUri.hash !== '')
      throw validationFailed('redirect_uris', `redirect_uris: "${uri}" must not contain a fragment`);
  }
  // Sign-out redirect URIs (the Admin Console's "Sign-out redirect URIs"): absolute, no fragment, like
  // redirect_uris; kept and returned on read.
  const logoutUris =
    client.post_logout_redirect_uris === undefined
      ? undefined
      : stringList(client.post_logout_redirect_uris, 'post_logout_redirect_uris');
  for (const uri of logoutUris ?? []) {
    let parsedUri: URL;
    try {
      parsedUri = new URL(uri);
    } catch {
      throw validationFailed(
        'post_logout_redirect_uris',
        `post_logout_redirect_uris: "${uri}" is not an absolute URI`,
      );
    }
    if (parsedUri.hash !== '')
      throw validationFailed(
        'post_logout_redirect_uris',
        `post_logout_redirect_uris: "${uri}" must not contain a fragment`,
      );
  }
  const responseTypes =
    client.response_types === undefined
      ? grants.includes('authorization_code')
        ? ['code']
        : []
      : stringList(client.response_types, 'response_types');
  for (const r of responseTypes) {
    if (r !== 'code' && r !== 'token' && r !== 'id_token')
      throw validationFailed('response_types', `response_types: "${r}" is not one of code, token, id_token`);
  }
  const consent = client.consent_method ?? 'TRUSTED';
  if (consent !== 'TRUSTED' && consent !== 'REQUIRED')
    throw validationFailed('consent_method', 'consent_method: must be TRUSTED or REQUIRED');
  const dpop = client.dpop_bound_access_tokens ?? false;
  if (typeof dpop !== 'boolean')
    throw validationFailed('dpop_bound_access_tokens', 'dpop_bound_access_tokens: must be a boolean');

  let jwks: JwkSet | undefined;
  if (client.jwks !== undefined) {
    const result = parseJwks(client.jwks);
    if (!result.ok) throw validationFailed('JsonWebKey', `jwks: ${result.message}`);
    const kids = result.jwks.keys.map((k) => k.kid).filter((k) => k !== undefined);
    if (new Set(kids).size !== kids.length)
      throw validationFailed('JsonWebKey', "All keys in the 'jwks' must have a unique `kid`.");
    jwks = result.jwks;
  }
  let jwksUri: string | undefined;
  if (client.jwks_uri !== undefined) {
    if (typeof client.jwks_uri !== 'string' || !/^https?:\/\//.test(client.jwks_uri))
      throw validationFailed('jwks_uri', 'jwks_uri: must be an http(s) URL');
    jwksUri = client.jwks_uri;
  }

  let refresh: OAuthClientSettings['refresh_token'];
  if (grants.includes('refresh_token')) {
    const given = isObject(client.refresh_token) ? client.refresh_token : {};
    const rotation = given.rotation_type ?? existing?.oauthClient.refresh_token?.rotation_type ?? 'STATIC';
    const leeway = given.leeway ?? existing?.oauthClient.refresh_token?.leeway ?? 30;
    if (rotation !== 'ROTATE' && rotation !== 'STATIC')
      throw validationFailed('refresh_token', 'refresh_token.rotation_type: must be ROTATE or STATIC');
    if (typeof leeway !== 'number' || !Number.isInteger(leeway) || leeway < 0 || leeway > 60)
      throw validationFailed('refresh_token', 'refresh_token.leeway: must be an integer from 0 to 60');
    refresh = { rotation_type: rotation, leeway };
  }

  const credentials = isObject(body.credentials) ? body.credentials : {};
  const oauth = isObject(credentials.oauthClient) ? credentials.oauthClient : {};
  const method = oauth.token_endpoint_auth_method ?? existing?.authMethod ?? 'client_secret_basic';
  if (!(AUTH_METHODS as readonly unknown[]).includes(method))
    throw validationFailed(
      'token_endpoint_auth_method',
      `token_endpoint_auth_method: must be one of ${AUTH_METHODS.join(', ')}`,
    );
  const authMethod = method as ClientAuthMethod;
  if (type === 'browser' && authMethod !== 'none')
    throw validationFailed(
      'token_endpoint_auth_method',
      "token_endpoint_auth_method: a 'browser' app must use 'none'",
    );
  if (type === 'service' && authMethod === 'none')
    throw validationFailed(
      'token_endpoint_auth_method',
      "token_endpoint_auth_method: a 'service' app cannot use 'none'",
    );
  if (authMethod === 'client_secret_jwt')
    throw validationFailed(
      'token_endpoint_auth_method',
      'token_endpoint_auth_method: the lab does not implement client_secret_jwt',
    );
  if (authMethod === 'private_key_jwt' && !jwks && !jwksUri)
    throw validationFailed(
      'jwks',
      "jwks: 'private_key_jwt' needs the client's public keys in 'jwks' or 'jwks_uri'",
    );
  if (existing && existing.clientSecret === undefined && authMethod.startsWith('client_secret'))
    throw validationFailed(
      'token_endpoint_auth_method',
      'token_endpoint_auth_method: this client has no secret',
    );
  const pkce = oauth.pkce_required ?? (authMethod === 'none' || type === 'native' || type === 'browser');
  if (typeof pkce !== 'boolean') throw validationFailed('pkce_required', 'pkce_required: must be a boolean');
  if (authMethod === 'none' && !pkce)
    throw validationFailed('pkce_required', "pkce_required: a client with 'none' must use PKCE");

  const {
    jwks: _jwks,
    jwks_uri: _jwksUri,
    refresh_token: _refresh,
    ...rest
  } = client as Record<string, unknown>;
  const oauthClient: OAuthClientSettings = {
    ...rest,
    application_type: type,
    grant_types: grants,
    response_types: responseTypes,
    redirect_uris: redirectUris,
    ...(logoutUris === undefined ? {} : { post_logout_redirect_uris: logoutUris }),
    consent_method: consent,
    dpop_bound_access_tokens: dpop,
    issuer_mode: typeof client.issuer_mode === 'string' ? client.issuer_mode : 'ORG_URL',
    wildcard_redirect: typeof client.wildcard_redirect === 'string' ? client.wildcard_redirect : 'DISABLED',
    idp_initiated_login: isObject(client.idp_initiated_login)
      ? client.idp_initiated_login
      : { mode: 'DISABLED', default_scope: [] },
    ...(refresh ? { refresh_token: refresh } : {}),
    ...(jwks ? { jwks } : {}),
    ...(jwksUri ? { jwks_uri: jwksUri } : {}),
  };
  return {
    label,
    authMethod,
    pkceRequired: pkce,
    oauthClient,
    ...(isObject(body.profile) ? { profile: body.profile } : {}),
  };
}
