/**
 * The SETs the plans push, judged by the protocol core's validator: a valid SET of each default event type
 * has no failure under its profile, and each battery case fails exactly as its name says, with the `err`
 * the reference receiver answers (pushErrorFor) among the ones the check expects.
 */
import { describe, expect, test } from 'vitest';
import {
  generateSigningKey,
  jwksFromObject,
  type ProfileName,
  pushErrorFor,
  validateSet,
} from '../../harness/protocol/index.ts';
import { eventsOf, type SsfReceiverOptions } from './options.ts';
import { INVALID_CASES, jwksOf, setFactory } from './sets.ts';

const AUDIENCE = 'https://receiver.example/';
const ISSUER = 'https://harness.example/';

/** One harness key for every test: RSA key generation is slow. */
const harnessKey = generateSigningKey('RS256');

async function optionsFor(profile: ProfileName): Promise<SsfReceiverOptions> {
  const { privateJwk } = await harnessKey;
  return {
    pushEndpoint: 'https://receiver.example/events',
    audience: AUDIENCE,
    issuer: ISSUER,
    privateJwk,
    profile,
  };
}

for (const profile of ['ssf', 'caep-interop', 'okta'] as const) {
  describe(`the ${profile} profile`, () => {
    test('a valid SET of each default event type passes the validator', async () => {
      const options = await optionsFor(profile);
      const factory = await setFactory(options, () => Date.now());
      const keys = jwksFromObject(jwksOf(factory));
      for (const eventType of eventsOf(options)) {
        const token = await factory.sign(factory.claims(eventType));
        const result = await validateSet(token, {
          profile,
          keys,
          expectedIssuer: ISSUER,
          expectedAudience: AUDIENCE,
        });
        expect(
          result.findings.filter((f) => f.level === 'failure').map((f) => `${f.check}: ${f.message}`),
          eventType,
        ).toEqual([]);
      }
    });

    test('each invalid case is refused with an err its check accepts', async () => {
      const options = await optionsFor(profile);
      const factory = await setFactory(options, () => Date.now());
      const keys = jwksFromObject(jwksOf(factory));
      const eventType = eventsOf(options)[0] ?? '';
      for (const c of INVALID_CASES) {
        if (c.profiles !== undefined && !c.profiles.includes(profile)) continue;
        const token = await c.make(factory, eventType);
        const result = await validateSet(token, {
          profile,
          keys,
          expectedIssuer: ISSUER,
          expectedAudience: AUDIENCE,
        });
        const error = pushErrorFor(result.findings);
        expect(error?.err, `${c.id}: ${error?.description ?? 'accepted'}`).toBeDefined();
        expect(c.expected, c.id).toContain(error?.err);
      }
    });
  });
}

test('the okta profile puts the subject in the event and reports no risk', async () => {
  const options = await optionsFor('okta');
  const factory = await setFactory(
    { ...options, subject: { user: { format: 'email', email: 'sam@acme.example' } } },
    () => 1_767_225_600_000,
  );
  const eventType = 'https://schemas.okta.com/secevent/okta/event-type/device-risk-change';
  const claims = factory.claims(eventType);
  const event = (claims.events as Record<string, Record<string, unknown>>)[eventType];
  expect(claims.sub_id).toBeUndefined();
  expect(claims.txn).toBeUndefined();
  expect(event?.subject).toEqual({ user: { format: 'email', email: 'sam@acme.example' } });
  expect(event?.current_level).toBe('low');
  expect(event?.event_timestamp).toBe(1_767_225_600);
  expect(claims.iat).toBe(1_767_225_600);
});
