/**
 * Building, signing and key handling: the SET is exactly what was asked for (no claims added behind the
 * caller's back), explicitly typed, and verifiable with the published half of the key.
 */
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { expect, test } from 'vitest';
import { fixedClock, HarnessError, sequentialIds } from '../../kernel/index.ts';
import { EVENT_URIS } from '../event-types.ts';
import { buildEventSet, buildSetClaims, signSet } from './build.ts';
import { generateSigningKey, importSigningKey, publicJwks, SIGNING_ALGORITHMS } from './keys.ts';

const clock = fixedClock(1_767_225_600_000);

test('buildSetClaims stamps jti and iat from the injected sources and adds no exp or sub', () => {
  const claims = buildSetClaims(
    { iss: 'https://tx.example', aud: 'https://rx.example', events: { [EVENT_URIS.sessionRevoked]: {} } },
    { clock, ids: sequentialIds('set') },
  );
  expect(claims).toEqual({
    iss: 'https://tx.example',
    jti: 'set-1',
    iat: 1_767_225_600,
    aud: 'https://rx.example',
    events: { [EVENT_URIS.sessionRevoked]: {} },
  });
});

test('buildEventSet puts the subject in sub_id, inside the event, or both, as asked', () => {
  const base = {
    iss: 'https://tx.example',
    aud: 'https://rx.example',
    eventType: EVENT_URIS.sessionRevoked,
    payload: { event_timestamp: 1 },
  };
  const subject = { format: 'email', email: 'a@example.com' };
  const top = buildEventSet({ ...base, subject }, { clock });
  expect(top.sub_id).toEqual(subject);
  expect(
    (top.events as Record<string, Record<string, unknown>>)[EVENT_URIS.sessionRevoked]?.subject,
  ).toBeUndefined();
  const inEvent = buildEventSet({ ...base, subject, placement: 'in-event' }, { clock });
  expect(inEvent.sub_id).toBeUndefined();
  expect(
    (inEvent.events as Record<string, Record<string, unknown>>)[EVENT_URIS.sessionRevoked]?.subject,
  ).toEqual(subject);
  const both = buildEventSet({ ...base, subject, placement: 'both' }, { clock });
  expect(both.sub_id).toEqual(subject);
  expect(
    (both.events as Record<string, Record<string, unknown>>)[EVENT_URIS.sessionRevoked]?.subject,
  ).toEqual(subject);
});

test.each(SIGNING_ALGORITHMS)(
  'a SET signed with %s carries typ secevent+jwt and its kid, and verifies with the JWKS',
  async (alg) => {
    const { key } = await generateSigningKey(alg);
    const token = await signSet({ iss: 'https://tx.example', jti: '1' }, key);
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg, typ: 'secevent+jwt', kid: key.kid });
    const jwk = publicJwks(key).keys[0];
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty('d');
    const verified = await compactVerify(token, await importJWK(jwk ?? {}, alg));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({
      iss: 'https://tx.example',
      jti: '1',
    });
  },
);

test('signSet lets a test override header parameters', async () => {
  const { key } = await generateSigningKey('ES256', { kid: 'k1' });
  const token = await signSet({}, key, { header: { typ: 'JWT' } });
  expect(decodeProtectedHeader(token).typ).toBe('JWT');
});

test('the default kid is the RFC 7638 thumbprint, so a re-imported key keeps its kid', async () => {
  const { key, privateJwk } = await generateSigningKey('RS256');
  expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const again = await importSigningKey(privateJwk);
  expect(again.kid).toBe(key.kid);
  expect(again.alg).toBe('RS256');
});

test('importSigningKey refuses a public key, a non-JWK and an unsupported algorithm with a harness error', async () => {
  const { key } = await generateSigningKey('RS256');
  await expect(importSigningKey(key.publicJwk)).rejects.toThrow(/no private part/);
  await expect(importSigningKey('nope')).rejects.toBeInstanceOf(HarnessError);
  await expect(importSigningKey({ kty: 'oct', k: 'c2VjcmV0', d: 'x' })).rejects.toThrow(/cannot sign/);
  await expect(importSigningKey({ kty: 'RSA', alg: 'RS512', d: 'x' })).rejects.toThrow(/RS512/);
});
