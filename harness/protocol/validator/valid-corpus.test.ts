/**
 * The valid corpus: one SET per event type per profile where the type applies, plus variants that
 * exercise optional members (every subject format, toe, array aud, legacy in-event subject). Each must
 * produce no finding at all — which is the "passes" half of every check the profile runs.
 */
import { beforeAll, expect, test } from 'vitest';
import { CHECK_IDS } from '../checks.ts';
import { EVENT_TYPES, EVENT_URIS } from '../event-types.ts';
import { signSet } from '../set/build.ts';
import { AUD, expectationsFor, judge, makeKeys, type TestKeys, validClaims } from './corpus.testing.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from './profiles.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await makeKeys();
});

function applies(profile: ProfileName, uri: string): boolean {
  const type = EVENT_TYPES.find((e) => e.uri === uri);
  if (!type) return false;
  if (profile === 'okta') return type.okta !== undefined;
  if (type.deprecated) return false;
  // The interop profile lists opaque subjects for the Verification event only (CAEP-IOP-2.5), so a
  // well-formed stream-updated (opaque, as SSF §8.1.5 requires) draws its warning there by design.
  if (profile === 'caep-interop') return type.family === 'caep' || type.name === 'verification';
  return true;
}

const cases = PROFILE_NAMES.flatMap((profile) =>
  EVENT_TYPES.filter((e) => applies(profile, e.uri)).map((e) => ({
    profile,
    uri: e.uri,
    name: `${e.family}/${e.name}`,
  })),
);

test.each(cases)(
  'a valid $name SET passes the $profile profile with no finding',
  async ({ profile, uri }) => {
    const token = await signSet(validClaims(uri, profile), keys.rsa);
    const result = await judge(token, keys, expectationsFor(uri, profile));
    expect(result.findings).toEqual([]);
    expect(result.signature).toBe('valid');
  },
);

test('the valid corpus covers every event type in at least one profile', () => {
  const covered = new Set(cases.map((c) => c.uri));
  const uncovered = EVENT_TYPES.filter((e) => !covered.has(e.uri) && !e.deprecated).map((e) => e.uri);
  expect(uncovered).toEqual([]);
  expect(cases.filter((c) => c.profile === 'okta')).toHaveLength(6);
});

test('every check runs under at least one profile, so the valid corpus exercises its passing side', () => {
  const run = new Set(PROFILE_NAMES.flatMap((p) => [...PROFILES[p].checks]));
  expect(CHECK_IDS.filter((c) => !run.has(c))).toEqual([]);
});

const sessionRevoked = EVENT_URIS.sessionRevoked;
const accountEnabled = 'https://schemas.openid.net/secevent/risc/event-type/account-enabled';

const subjectVariants: readonly { name: string; sub_id: Record<string, unknown> }[] = [
  { name: 'account', sub_id: { format: 'account', uri: 'acct:pat.doe@acme.example' } },
  { name: 'email', sub_id: { format: 'email', email: 'pat.doe@acme.example' } },
  { name: 'iss_sub', sub_id: { format: 'iss_sub', iss: 'https://idp.example.com/', sub: '145234573' } },
  { name: 'opaque', sub_id: { format: 'opaque', id: '11112222333344445555' } },
  { name: 'phone_number', sub_id: { format: 'phone_number', phone_number: '+12065550100' } },
  { name: 'did', sub_id: { format: 'did', url: 'did:example:123456/did/url/path?versionId=1' } },
  { name: 'uri', sub_id: { format: 'uri', uri: 'https://user.example.com/' } },
  {
    name: 'aliases',
    sub_id: {
      format: 'aliases',
      identifiers: [
        { format: 'email', email: 'pat.doe@acme.example' },
        { format: 'phone_number', phone_number: '+12065550100' },
      ],
    },
  },
  {
    name: 'jwt_id',
    sub_id: {
      format: 'jwt_id',
      iss: 'https://idp.example.com/123456789/',
      jti: 'B70BA622-9515-4353-A866-823539EECBC8',
    },
  },
  {
    name: 'saml_assertion_id',
    sub_id: {
      format: 'saml_assertion_id',
      issuer: 'https://idp.example.com/123456789/',
      assertion_id: '_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6',
    },
  },
  {
    name: 'ip-addresses',
    sub_id: { format: 'ip-addresses', 'ip-addresses': ['10.29.37.75', '2001:db8::8a2e:370:7334'] },
  },
  {
    name: 'complex',
    sub_id: {
      format: 'complex',
      user: { format: 'email', email: 'pat.doe@acme.example' },
      device: { format: 'opaque', id: 'dev-42' },
      session: { format: 'opaque', id: 'sess-1' },
      tenant: { format: 'iss_sub', iss: 'https://example.com/idp1', sub: '1234' },
      // SSF §3.3: member names beyond the seven listed MAY be used.
      workstation: { format: 'opaque', id: 'ws-7' },
    },
  },
];

test.each(subjectVariants)('a sub_id of format $name passes the ssf profile', async ({ sub_id }) => {
  const claims = validClaims(accountEnabled, 'ssf');
  claims.sub_id = sub_id;
  const result = await judge(await signSet(claims, keys.rsa), keys, expectationsFor(accountEnabled, 'ssf'));
  expect(result.findings).toEqual([]);
});

test('a legacy CAEP event may carry an in-event subject alongside sub_id', async () => {
  const claims = validClaims(sessionRevoked, 'ssf');
  (claims.events as Record<string, Record<string, unknown>>)[sessionRevoked] = {
    ...(claims.events as Record<string, Record<string, unknown>>)[sessionRevoked],
    subject: {
      format: 'complex',
      user: { format: 'email', email: 'pat.doe@acme.example' },
      session: { format: 'opaque', id: 's-1' },
    },
  };
  const result = await judge(await signSet(claims, keys.rsa), keys, expectationsFor(sessionRevoked, 'ssf'));
  expect(result.findings).toEqual([]);
});

test('toe, an array aud and extra fields anywhere are accepted (SSF §4.2.3)', async () => {
  const claims = validClaims(sessionRevoked, 'ssf');
  claims.toe = 1767225590;
  claims.aud = [AUD, 'https://receiver.example.com/mobile'];
  claims.x_vendor = { trace: 'abc' };
  (claims.events as Record<string, Record<string, unknown>>)[sessionRevoked] = {
    ...(claims.events as Record<string, Record<string, unknown>>)[sessionRevoked],
    x_extra: 1,
  };
  const result = await judge(await signSet(claims, keys.rsa), keys, expectationsFor(sessionRevoked, 'ssf'));
  expect(result.findings).toEqual([]);
});

test.each(['ec', 'ed'] as const)(
  'a SET signed with the %s key verifies under the ssf profile',
  async (which) => {
    const token = await signSet(validClaims(sessionRevoked, 'ssf'), keys[which]);
    const result = await judge(token, keys, expectationsFor(sessionRevoked, 'ssf'));
    expect(result.signature).toBe('valid');
    expect(result.findings).toEqual([]);
  },
);

test('an unsolicited verification without state passes when none is expected', async () => {
  const claims = validClaims(EVENT_URIS.verification, 'ssf');
  (claims.events as Record<string, unknown>)[EVENT_URIS.verification] = {};
  const result = await judge(await signSet(claims, keys.rsa), keys, {
    ...expectationsFor(EVENT_URIS.verification, 'ssf'),
    expectedState: null,
  });
  expect(result.findings).toEqual([]);
});

test("Okta's audience may differ from the org URL by a trailing slash", async () => {
  const claims = validClaims(EVENT_URIS.oktaDeviceRiskChange, 'okta');
  claims.aud = 'https://acme.okta.example';
  const result = await judge(await signSet(claims, keys.rsa), keys, {
    ...expectationsFor(EVENT_URIS.oktaDeviceRiskChange, 'okta'),
    expectedAudience: 'https://acme.okta.example/',
  });
  expect(result.findings).toEqual([]);
});
