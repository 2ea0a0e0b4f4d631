/**
 * The tokens the org authorization server mints, signed RS256 with the org key published at
 * `/oauth2/v1/keys`. Access tokens are JWTs for the Okta APIs (`aud` = the org, `cid`, `scp`, `uid` for a
 * user, `cnf.jkt` when DPoP-bound) and are also remembered, so revocation works by forgetting them. ID tokens
 * follow Okta's org authorization server (developer.okta.com/docs/reference/api/oidc/#id-token): `iss` the
 * org, `aud` the client id, `sub` the user id, `ver`, `jti` (`ID.…`), `amr`, `idp`, `auth_time`, `nonce`,
 * `at_hash`, and by scope `name`/`preferred_username` (profile), `email`/`email_verified` (email) and the
 * app's groups claim (groups), filtered as the app configures it.
 */
import { createHash } from 'node:crypto';
import { rememberIssuedSecret } from '../../../harness/kernel/index.ts';
import type { OktaApp } from '../apps/apps.ts';
import { secretToken } from '../core/ids.ts';
import type { OktaOrg } from '../core/org.ts';
import type { OktaUser } from '../directory/directory.ts';
import { ACCESS_TOKEN_TTL_S } from './tokens.ts';

export interface AccessTokenInput {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly user?: OktaUser;
  readonly sessionId?: string;
  readonly authTime?: number;
  readonly jkt?: string;
}

/** Mints and remembers an access token; returns it with its lifetime in seconds. */
export async function mintAccessToken(
  org: OktaOrg,
  input: AccessTokenInput,
): Promise<{ readonly token: string; readonly expiresIn: number }> {
  const iat = Math.floor(org.now() / 1000);
  const jti = secretToken('AT.', 24);
  const token = await org.signJwt({
    ver: 1,
    jti,
    iss: org.url,
    aud: org.url,
    iat,
    exp: iat + ACCESS_TOKEN_TTL_S,
    cid: input.clientId,
    ...(input.user ? { uid: input.user.id, sub: input.user.profile.login } : { sub: input.clientId }),
    scp: [...input.scopes],
    ...(input.authTime === undefined ? {} : { auth_time: Math.floor(input.authTime / 1000) }),
    ...(input.jkt === undefined ? {} : { cnf: { jkt: input.jkt } }),
  });
  rememberIssuedSecret(token);
  org.tokens.accessTokens.set(token, {
    jti,
    clientId: input.clientId,
    ...(input.user ? { userId: input.user.id } : {}),
    ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
    scopes: new Set(input.scopes),
    ...(input.jkt === undefined ? {} : { jkt: input.jkt }),
    expiresAt: (iat + ACCESS_TOKEN_TTL_S) * 1000,
  });
  return { token, expiresIn: ACCESS_TOKEN_TTL_S };
}

/** OIDC Core §3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface IdTokenInput {
  readonly app: OktaApp;
  readonly user: OktaUser;
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly nonce?: string;
  readonly accessToken?: string;
}

export async function mintIdToken(org: OktaOrg, input: IdTokenInput): Promise<string> {
  const iat = Math.floor(org.now() / 1000);
  const { user, app, scopes } = input;
  const groups = scopes.includes('groups') ? org.apps.groupsClaimValues(app, user.id) : undefined;
  const token = await org.signJwt({
    sub: user.id,
    ...(scopes.includes('profile')
      ? { name: user.profile.displayName, preferred_username: user.profile.login }
      : {}),
    ...(scopes.includes('email') ? { email: user.profile.email, email_verified: true } : {}),
    ver: 1,
    iss: org.url,
    aud: app.clientId,
    iat,
    exp: iat + 3600,
    jti: secretToken('ID.', 24),
    amr: ['pwd'],
    idp: org.idpId,
    ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    auth_time: Math.floor(input.authTime / 1000),
    ...(input.accessToken === undefined ? {} : { at_hash: atHash(input.accessToken) }),
    ...(groups === undefined || app.groupsClaim === undefined ? {} : { [app.groupsClaim.name]: groups }),
  });
  return rememberIssuedSecret(token);
}
