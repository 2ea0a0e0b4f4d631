/**
 * The SETs the plans push, judged by the reference receiver's intake (the protocol core's validator under
 * each profile, with the policy the reference receiver adds): a valid SET of each default event type is
 * accepted, each battery case is refused with an `err` that fits it (the reference receiver is held to the
 * codes the case lists even where a check would only warn), and the long-form "typ" is accepted wherever
 * the profile reads "typ" as a media type. Transport cases (a body under another Content-Type) are the push
 * endpoint's to refuse: reference-receiver.test.ts pushes them over HTTP.
 */
import { describe, expect, test } from 'vitest';
import { generateSigningKey, jwksFromObject, type ProfileName } from '../../harness/protocol/index.ts';
import { SetIntake } from '../../harness/ssf/index.ts';
import { ACCEPTABLE_CASES, INVALID_CASES } from './battery.ts';
import { eventsOf, type SsfReceiverOptions } from './options.ts';
import { jwksOf, type SetFactory, setFactory } from './sets.ts';

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

function intakeFor(profile: ProfileName, factory: SetFactory): SetIntake {
  return new SetIntake({
    profile,
    keys: jwksFromObject(jwksOf(factory)),
    expectedIssuer: ISSUER,
    expectedAudience: AUDIENCE,
  });
}

for (const profile of ['ssf', 'caep-interop', 'okta'] as const) {
  describe(`the ${profile} profile`, () => {
    test('a valid SET of each default event type is accepted', async () => {
      const options = await optionsFor(profile);
      const factory = await setFactory(options, () => Date.now());
      const intake = intakeFor(profile, factory);
      for (const eventType of eventsOf(options)) {
        const result = await intake.accept(await factory.sign(factory.claims(eventType)), 'push');
        expect(result.status === 'rejected' ? result.description : result.status, eventType).toBe('accepted');
      }
    });

    test('each battery case that applies is refused with an err its case lists', async () => {
      const options = await optionsFor(profile);
      const factory = await setFactory(options, () => Date.now());
      const intake = intakeFor(profile, factory);
      const eventType = eventsOf(options)[0] ?? '';
      let judged = 0;
      for (const c of INVALID_CASES) {
        if (c.profiles !== undefined && !c.profiles.includes(profile)) continue;
        const made = await c.make(factory, eventType, {});
        if (typeof made !== 'string' && made.contentType !== undefined) continue;
        const result = await intake.accept(typeof made === 'string' ? made : made.body, 'push');
        const err = result.status === 'rejected' ? result.err : `accepted (${result.status})`;
        expect(c.expected, `${c.id}: ${result.status === 'rejected' ? result.description : err}`).toContain(
          err,
        );
        judged += 1;
      }
      expect(judged).toBeGreaterThanOrEqual(profile === 'okta' ? 33 : 40);
    });

    test('the long-form "typ" is accepted where the profile reads "typ" as a media type', async () => {
      const options = await optionsFor(profile);
      const factory = await setFactory(options, () => Date.now());
      const intake = intakeFor(profile, factory);
      const eventType = eventsOf(options)[0] ?? '';
      for (const c of ACCEPTABLE_CASES) {
        const result = await intake.accept(await c.make(factory, eventType), 'push');
        const applies = c.profiles === undefined || c.profiles.includes(profile);
        // Under the okta profile the case is not sent; Okta's contract refuses the long form, as documented.
        expect(result.status, `${c.id} under ${profile}`).toBe(applies ? 'accepted' : 'rejected');
      }
    });
  });
}

test('every case has a distinct id, and the battery holds at least 40 SETs under the strict profile', () => {
  const ids = INVALID_CASES.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(
    INVALID_CASES.filter((c) => c.profiles === undefined || c.profiles.includes('ssf')).length,
  ).toBeGreaterThanOrEqual(40);
});

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
