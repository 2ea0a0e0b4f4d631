/**
 * Lab-only extra issuers: once registered, a harness issuer's GTR JWTs are judged by the same checks as
 * Okta's (signature with its keys, this endpoint as audience, its client id as `sub`, the shared replay
 * cache); Okta's tokens keep working; reset forgets the issuer; bad registrations are 400.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../harness/protocol/index.ts';
import { type Lab, lab, mintGtrToken } from './apps.testing.ts';
import { peekIssuer } from './trusted-issuers.ts';

const HARNESS = 'https://universal-logout.harness.lab';
let l: Lab;
let user: string;
let harnessKey: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  l = await lab({ kind: 'salesforce', fleet: { seed: 3, devices: 3 } });
  user = (await l.emails())[0] ?? '';
  [harnessKey, otherKey] = await Promise.all([
    generateSigningKey('ES256').then((k) => k.key),
    generateSigningKey('ES256').then((k) => k.key),
  ]);
});
afterAll(() => l.close());

const register = (payload: unknown) =>
  l.mock.app.inject({ method: 'POST', url: '/_lab/trusted-issuers', payload: payload as object });

const harnessToken = (key: SigningKey, claims: Record<string, unknown> = {}) =>
  mintGtrToken(
    { ...l.mock, oktaIssuer: HARNESS, clientId: 'harness-client' },
    { current: key },
    l.clock.now(),
    {
      claims,
    },
  );

test('peekIssuer reads the unverified iss of a bearer JWT, and nothing else', async () => {
  expect(peekIssuer(`Bearer ${await harnessToken(harnessKey)}`)).toBe(HARNESS);
  expect(peekIssuer(undefined)).toBeUndefined();
  expect(peekIssuer('Bearer not-a-jwt')).toBeUndefined();
  expect(peekIssuer(`Basic ${Buffer.from('a:b').toString('base64')}`)).toBeUndefined();
});

test('before registration a harness token is refused; after, it is judged like an Okta token', async () => {
  const before = await l.gtr(
    { sub_id: { format: 'email', email: user } },
    { token: await harnessToken(harnessKey) },
  );
  expect(before.statusCode).toBe(401);

  const r = await register({
    issuer: HARNESS,
    jwks: { keys: [harnessKey.publicJwk] },
    clientId: 'harness-client',
  });
  expect(r.statusCode).toBe(201);
  expect(r.json()).toEqual({ issuer: HARNESS, clientId: 'harness-client', keys: 1 });
  expect((await l.mock.app.inject({ method: 'GET', url: '/_lab/trusted-issuers' })).json()).toEqual({
    issuers: [{ issuer: HARNESS, clientId: 'harness-client', keys: 1 }],
    // Trusting an issuer is an admin act, recorded with its time, control and actor.
    adminActs: [
      {
        seq: 1,
        at: new Date(l.clock.now()).toISOString(),
        actor: 'lab admin',
        control: 'POST /_lab/trusted-issuers',
        act: 'trust-issuer',
        issuer: HARNESS,
        clientId: 'harness-client',
      },
    ],
  });

  const body = { sub_id: { format: 'email', email: user } };
  const token = await harnessToken(harnessKey);
  expect((await l.gtr(body, { token })).statusCode).toBe(204);
  // The same checks as for Okta: replay, forged signature, wrong audience, another app, expiry.
  expect((await l.gtr(body, { token })).statusCode).toBe(401);
  expect((await l.gtr(body, { token: await harnessToken(otherKey) })).statusCode).toBe(401);
  expect(
    (await l.gtr(body, { token: await harnessToken(harnessKey, { aud: 'https://x.example/' }) })).statusCode,
  ).toBe(401);
  expect(
    (await l.gtr(body, { token: await harnessToken(harnessKey, { sub: 'another-app' }) })).statusCode,
  ).toBe(403);
  const past = Math.floor(l.clock.now() / 1000) - 3600;
  expect(
    (
      await l.gtr(body, {
        token: await harnessToken(harnessKey, { exp: past, iat: past - 300, nbf: past - 300 }),
      })
    ).statusCode,
  ).toBe(401);
  // Okta's own tokens are unaffected.
  expect((await l.gtr(body)).statusCode).toBe(204);
});

test('a JWKS URL is fetched with the app outbound fetch; reset and DELETE forget the issuers', async () => {
  const r = await register({ issuer: `${HARNESS}/other`, jwksUri: 'https://acme.okta.lab/oauth2/v1/keys' });
  expect(r.statusCode).toBe(201);
  expect(r.json()).toMatchObject({
    clientId: l.mock.clientId,
    jwksUri: 'https://acme.okta.lab/oauth2/v1/keys',
  });
  const token = await mintGtrToken({ ...l.mock, oktaIssuer: `${HARNESS}/other` }, l.keys, l.clock.now());
  expect((await l.gtr({ sub_id: { format: 'email', email: user } }, { token })).statusCode).toBe(204);

  expect((await l.mock.app.inject({ method: 'DELETE', url: '/_lab/trusted-issuers' })).statusCode).toBe(204);
  expect(l.mock.state()).toBeDefined();
  await register({ issuer: HARNESS, jwks: { keys: [harnessKey.publicJwk] } });
  l.mock.reset();
  const after = (await l.mock.app.inject({ method: 'GET', url: '/_lab/trusted-issuers' })).json();
  expect(after.issuers).toEqual([]);
  // The admin record outlives the reset: this test's trust, forget and trust, last and in order.
  expect(after.adminActs.slice(-3).map((a: { act: string }) => a.act)).toEqual([
    'trust-issuer',
    'forget-issuers',
    'trust-issuer',
  ]);
});

test.each([
  ['not an object', []],
  ['no issuer', { jwks: { keys: [] } }],
  ['the Okta org itself', { issuer: 'https://acme.okta.lab/', jwksUri: 'https://k.example/' }],
  ['neither jwks nor jwksUri', { issuer: HARNESS }],
  ['both jwks and jwksUri', { issuer: HARNESS, jwks: { keys: [] }, jwksUri: 'https://k.example/' }],
  ['a JWKS without keys', { issuer: HARNESS, jwks: { nope: 1 } }],
  ['an unknown member', { issuer: HARNESS, jwks: { keys: [] }, extra: 1 }],
  ['an empty clientId', { issuer: HARNESS, jwks: { keys: [] }, clientId: '' }],
])('a registration with %s is 400', async (_name, payload) => {
  const r = await register(payload);
  expect(r.statusCode).toBe(400);
  expect(r.json()).toMatchObject({ error: 'invalid_request' });
});
