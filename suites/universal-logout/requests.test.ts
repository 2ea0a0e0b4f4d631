/**
 * The JWTs the harness mints as Okta would, and the option checks that stop a run before any request when
 * the target file is wrong.
 */
import type { FastifyInstance } from 'fastify';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { isHarnessError } from '../../harness/kernel/index.ts';
import { generateSigningKey } from '../../harness/protocol/index.ts';
import type { SuiteContext } from '../core/index.ts';
import {
  type ResolvedOptions,
  randomUnknownUser,
  resolveOptions,
  type UniversalLogoutOptions,
} from './options.ts';
import { GTR_JWT_TYP, impostorKey, mintToken, serveJwksOnce } from './requests.ts';

async function options(over: Partial<UniversalLogoutOptions> = {}): Promise<{
  raw: UniversalLogoutOptions;
  resolved: ResolvedOptions;
}> {
  const { privateJwk } = await generateSigningKey('ES256', { kid: 'k1' });
  const raw: UniversalLogoutOptions = {
    endpoint: 'https://app.example/oauth/global-token-revocation',
    issuer: 'https://acme.okta.example',
    privateJwk,
    clientId: '0oaclient',
    user: { format: 'email', email: 'pat@acme.example' },
    ...over,
  };
  return { raw, resolved: await resolveOptions(raw) };
}

test('a minted token has the header and seven claims of Okta’s GTR JWT, and verifies with the key', async () => {
  const { resolved } = await options();
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const token = await mintToken(resolved, now);
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: GTR_JWT_TYP, kid: 'k1' });
  const publicKey = await importJWK(resolved.key.publicJwk, 'ES256');
  const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(now), typ: GTR_JWT_TYP });
  const iat = now / 1000;
  expect(payload).toEqual({
    jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    iss: 'https://acme.okta.example',
    sub: '0oaclient',
    aud: 'https://app.example/oauth/global-token-revocation',
    iat,
    nbf: iat - 300,
    exp: iat + 300,
  });
  expect(await mintToken(resolved, now)).not.toBe(token);
});

test('the forger signs with another key under the trusted kid, so only the signature is wrong', async () => {
  const { resolved } = await options();
  const forger = await impostorKey(resolved);
  const token = await mintToken(resolved, Date.now(), { key: forger });
  expect(decodeProtectedHeader(token).kid).toBe('k1');
  const publicKey = await importJWK(resolved.key.publicJwk, 'ES256');
  await expect(jwtVerify(token, publicKey)).rejects.toThrow(/signature/);
});

test('defaults: the unknown user is random and of the user’s format', async () => {
  const { resolved } = await options();
  expect(resolved.unknownUser).toMatchObject({
    format: 'email',
    email: expect.stringMatching(/@unknown-user\.invalid$/),
  });
  expect(resolved.jwksPath).toBe('/oauth2/v1/keys');
  expect(resolved.serveJwks).toBe(false);
  expect(randomUnknownUser('iss_sub', 'https://o.example')).toMatchObject({
    format: 'iss_sub',
    iss: 'https://o.example',
  });
});

test.each([
  ['an endpoint that is not a URL', { endpoint: 'app.example/gtr' }],
  ['an empty clientId', { clientId: '' }],
  ['a user of no known format', { user: { format: 'opaque', id: 'x' } as never }],
  ['a subject format that contradicts the user', { subjectFormat: 'iss_sub' as const }],
  ['a key without its private part', { privateJwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } }],
])('options with %s are refused before any request', async (_name, over) => {
  const error = await options(over).catch((e: unknown) => e);
  expect(isHarnessError(error)).toBe(true);
});

test('serveJwks: the public key is served once per run, at jwksPath, without its private part', async () => {
  const { raw, resolved } = await options({ serveJwks: true, jwksPath: '/keys' });
  const apps: FastifyInstance[] = [];
  const lines: string[] = [];
  const ctx = {
    serve: async (_name: string, app: FastifyInstance) => {
      apps.push(app);
      return { url: 'https://harness.example', detach: async () => undefined };
    },
    progress: (line: string) => lines.push(line),
  } as unknown as SuiteContext;
  const first = serveJwksOnce(ctx, raw, resolved);
  expect(serveJwksOnce(ctx, raw, resolved)).toBe(first);
  expect(await first).toBe('https://harness.example/keys');
  expect(apps).toHaveLength(1);
  expect(lines).toEqual(["serving the signing key's JWKS at https://harness.example/keys"]);
  const response = await apps[0]?.inject({ method: 'GET', url: '/keys' });
  const jwks = response?.json() as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toEqual([expect.objectContaining({ kid: 'k1', kty: 'EC' })]);
  expect(jwks.keys[0]).not.toHaveProperty('d');
});
