/**
 * Shared fixtures for the validator's corpus tests: fixed time, issuer and audience, test keys, and
 * builders for valid SETs of every event type under every profile.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import type { CryptoKey, JWK } from 'jose';
import { fixedClock, sequentialIds } from '../../kernel/index.ts';
import { EXAMPLE_STREAM_ID, exampleEvent } from '../event-examples.ts';
import { eventType } from '../event-types.ts';
import { buildEventSet, signSet } from '../set/build.ts';
import { jwksFromObject, type KeySource } from '../set/jwks.ts';
import { generateSigningKey, publicJwks, type SigningKey } from '../set/keys.ts';
import type { ProfileName } from './profiles.ts';
import { type SetValidationResult, type ValidateSetOptions, validateSet } from './validate-set.ts';

export const NOW = 1767225600;
export const ISS = 'https://transmitter.example.com/tenant-1';
export const AUD = 'https://receiver.example.com';
export const STATE = 'VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo';
export const STREAM_ID = EXAMPLE_STREAM_ID;

export interface TestKeys {
  readonly rsa: SigningKey;
  /** A different RSA key that claims the same kid as `rsa` (a forgery). */
  readonly impostor: SigningKey;
  readonly rsa1024: SigningKey;
  readonly ec: SigningKey;
  readonly ed: SigningKey;
  readonly source: KeySource;
}

/** jose refuses to make RSA keys under 2048 bits, so the weak test key comes from node:crypto. */
async function weakRsaKey(): Promise<SigningKey> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const jwk = privateKey.export({ format: 'jwk' });
  const cryptoKey = await webcrypto.subtle.importKey(
    'jwk',
    jwk,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const publicJwk: JWK = {
    kty: 'RSA',
    n: String(jwk.n),
    e: String(jwk.e),
    kid: 'rsa-1024',
    alg: 'RS256',
    use: 'sig',
  };
  return { alg: 'RS256', kid: 'rsa-1024', privateKey: cryptoKey as CryptoKey, publicJwk };
}

export async function makeKeys(): Promise<TestKeys> {
  const [rsa, impostor, rsa1024, ec, ed] = await Promise.all([
    generateSigningKey('RS256', { kid: 'rsa-1' }),
    generateSigningKey('RS256', { kid: 'rsa-1' }),
    weakRsaKey(),
    generateSigningKey('ES256', { kid: 'ec-1' }),
    generateSigningKey('EdDSA', { kid: 'ed-1' }),
  ]);
  return {
    rsa: rsa.key,
    impostor: impostor.key,
    rsa1024,
    ec: ec.key,
    ed: ed.key,
    source: jwksFromObject(publicJwks(rsa.key, rsa1024, ec.key, ed.key)),
  };
}

/** Valid claims for one event type under a profile, as a plain mutable object. */
export function validClaims(uri: string, profile: ProfileName): Record<string, unknown> {
  const shape = profile === 'okta' ? 'okta' : 'ssf';
  const example = exampleEvent(uri, shape);
  if (!example) throw new TypeError(`no ${shape} example for ${uri}`);
  let subject = example.subject;
  // The interop profile allows only email and iss_sub subjects (and opaque for control events).
  if (profile === 'caep-interop' && subject.format === 'complex')
    subject = { format: 'email', email: 'pat.doe@acme.example' };
  const claims = buildEventSet(
    {
      iss: ISS,
      aud: profile === 'okta' ? 'https://acme.okta.example/' : AUD,
      eventType: uri,
      payload: example.payload,
      subject,
      placement: profile === 'okta' ? 'in-event' : 'sub_id',
      ...(profile === 'okta' ? {} : { txn: 'txn-8675309' }),
    },
    { clock: fixedClock((NOW - 5) * 1000), ids: sequentialIds('jti') },
  );
  return structuredClone(claims);
}

export function expectationsFor(uri: string, profile: ProfileName): ValidateSetOptions {
  const type = eventType(uri);
  return {
    profile,
    clock: fixedClock(NOW * 1000),
    expectedIssuer: ISS,
    expectedAudience: profile === 'okta' ? 'https://acme.okta.example' : AUD,
    ...(type?.control ? { expectedStreamId: STREAM_ID } : {}),
    ...(type?.name === 'verification' ? { expectedState: STATE } : {}),
  };
}

export async function judge(
  token: string,
  keys: TestKeys,
  options: ValidateSetOptions,
): Promise<SetValidationResult> {
  return validateSet(token, { keys: keys.source, ...options });
}

export { signSet };
