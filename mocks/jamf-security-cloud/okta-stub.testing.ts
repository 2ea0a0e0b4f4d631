/**
 * A minimal stand-in for an Okta org's sign-in endpoints, for the identity tests of this mock until the
 * Okta mock exists: discovery, the Authentication API (`/api/v1/authn` → sessionToken), `/authorize` with a
 * session token and PKCE (302 with a code), the token endpoint and the JWKS. It checks what a real org
 * checks on this path, so a wrong PKCE verifier, redirect URI or password fails here too.
 */
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { generateSigningKey, publicJwks, type SigningKey } from '../../harness/protocol/index.ts';

export interface OktaStub {
  readonly app: FastifyInstance;
  readonly issuer: string;
  readonly clientId: string;
  /** Every request path seen, in order. */
  readonly seen: string[];
}

export async function startOktaStub(options: {
  issuer?: string;
  clientId?: string;
  redirectUri: string;
  users: Readonly<Record<string, { password: string; name: string }>>;
  now?: () => number;
}): Promise<OktaStub> {
  const issuer = options.issuer ?? 'https://acme.okta.lab';
  const clientId = options.clientId ?? '0oa-jamf-trust';
  const now = options.now ?? (() => Date.now());
  const key: SigningKey = (await generateSigningKey('RS256', { kid: 'okta-stub-1' })).key;
  const sessions = new Map<string, string>();
  const codes = new Map<string, { user: string; challenge: string; nonce: string; redirectUri: string }>();
  const seen: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => {
    seen.push(request.url.split('?')[0] ?? '');
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.get('/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/oauth2/v1/authorize`,
    token_endpoint: `${issuer}/oauth2/v1/token`,
    jwks_uri: `${issuer}/oauth2/v1/keys`,
  }));
  app.get('/oauth2/v1/keys', async () => publicJwks(key));
  app.post('/api/v1/authn', async (request, reply) => {
    const { username, password } = request.body as { username?: string; password?: string };
    const user = username === undefined ? undefined : options.users[username];
    if (!user || user.password !== password) {
      return reply.code(401).send({ errorCode: 'E0000004', errorSummary: 'Authentication failed' });
    }
    const token = randomBytes(16).toString('hex');
    sessions.set(token, username as string);
    return { status: 'SUCCESS', sessionToken: token };
  });
  app.get('/oauth2/v1/authorize', async (request, reply) => {
    const q = request.query as Record<string, string>;
    const user = sessions.get(q.sessionToken ?? '');
    sessions.delete(q.sessionToken ?? '');
    const back = new URL(q.redirect_uri ?? 'invalid:/');
    if (
      q.client_id !== clientId ||
      q.redirect_uri !== options.redirectUri ||
      q.code_challenge_method !== 'S256' ||
      !user
    ) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('state', q.state ?? '');
      return reply.redirect(back.href, 302);
    }
    const code = randomBytes(16).toString('hex');
    codes.set(code, {
      user,
      challenge: q.code_challenge ?? '',
      nonce: q.nonce ?? '',
      redirectUri: q.redirect_uri ?? '',
    });
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state ?? '');
    return reply.redirect(back.href, 302);
  });
  app.post('/oauth2/v1/token', async (request, reply) => {
    const b = request.body as Record<string, string>;
    const grant = codes.get(b.code ?? '');
    codes.delete(b.code ?? '');
    const verifier = createHash('sha256')
      .update(b.code_verifier ?? '')
      .digest('base64url');
    if (
      !grant ||
      grant.challenge !== verifier ||
      b.redirect_uri !== grant.redirectUri ||
      b.client_id !== clientId
    ) {
      return reply
        .code(400)
        .send({ error: 'invalid_grant', error_description: 'bad code, verifier or redirect' });
    }
    const user = options.users[grant.user] as { name: string };
    const iat = Math.floor(now() / 1000);
    const idToken = await new SignJWT({ email: grant.user, name: user.name, nonce: grant.nonce })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(`00u-${grant.user}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(key.privateKey);
    return {
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: 'at',
      id_token: idToken,
      scope: 'openid email profile',
    };
  });
  await app.ready();
  return { app, issuer, clientId, seen };
}
