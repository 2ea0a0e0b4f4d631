/**
 * The invalid corpus: SETs that each break one rule. Every entry names the check it must raise, and no
 * other failure-level check may fire (except the ones the entry lists as inherent companions), so a
 * check that cannot fail, or a rule that misfires on unrelated input, shows up here.
 */
import { type CryptoKey, exportSPKI, importJWK } from 'jose';
import { beforeAll, expect, test } from 'vitest';
import { fixedClock } from '../../kernel/index.ts';
import { CHECK_IDS, CHECKS, type CheckId } from '../checks.ts';
import { EVENT_URIS } from '../event-types.ts';
import type { RequirementId } from '../requirements.ts';
import { signSet } from '../set/build.ts';
import { jwksFromUrl } from '../set/jwks.ts';
import { signHmacRaw, signRaw } from '../set/raw.ts';
import {
  expectationsFor,
  ISS,
  judge,
  makeKeys,
  NOW,
  STREAM_ID,
  type TestKeys,
  validClaims,
} from './corpus.testing.ts';
import type { ProfileName } from './profiles.ts';
import type { ValidateSetOptions } from './validate-set.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await makeKeys();
});

type Claims = Record<string, unknown>;
type Events = Record<string, Record<string, unknown>>;

interface Case {
  readonly name: string;
  readonly expect: CheckId;
  readonly profile?: ProfileName;
  /** The event type the base claims are built for (default: CAEP session-revoked). */
  readonly uri?: string;
  /** Edits the valid claims, then they are signed normally. */
  readonly edit?: (claims: Claims) => void;
  /** Extra header parameters, or a function that builds the whole token. */
  readonly header?: Record<string, unknown>;
  readonly token?: (claims: Claims, k: TestKeys) => Promise<string> | string;
  readonly options?: Partial<ValidateSetOptions>;
  /** Failure-level checks that necessarily fire together with `expect`. */
  readonly also?: readonly CheckId[];
  /** The requirement the finding must cite, where a profile or event type decides it. */
  readonly requirement?: RequirementId;
  /** Judge without an expected audience (so only the missing claim is reported). */
  readonly withoutAudience?: boolean;
}

const SR = EVENT_URIS.sessionRevoked;
const h = (obj: unknown): string => JSON.stringify(obj);
const HEADER = { alg: 'RS256', typ: 'secevent+jwt', kid: 'rsa-1' };
const event = (c: Claims, uri: string = SR): Record<string, unknown> =>
  (c.events as Events)[uri] as Record<string, unknown>;

const CASES: readonly Case[] = [
  // --- token structure ---
  {
    name: 'a 2 MB token',
    expect: 'token-size-is-within-limit',
    edit: (c) => {
      c.padding = 'x'.repeat(2 * 1024 * 1024);
    },
  },
  { name: 'garbage', expect: 'token-is-compact-jws', token: () => 'this is not a token' },
  { name: 'an empty token', expect: 'token-is-compact-jws', token: () => '' },
  {
    name: 'a truncated token (two segments)',
    expect: 'token-is-compact-jws',
    token: async (c, k) => (await signSet(c, k.rsa)).split('.').slice(0, 2).join('.'),
  },
  {
    name: 'a JWE (five segments)',
    expect: 'token-is-compact-jws',
    token: () => 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
  },
  {
    name: 'a signature segment with non-base64url characters',
    expect: 'token-is-compact-jws',
    token: async (c, k) => `${await signSet(c, k.rsa)}*=`,
  },
  {
    name: 'a header segment with non-base64url characters',
    expect: 'header-is-json-object',
    token: async (c, k) => `eyJ+hbGc*.${(await signSet(c, k.rsa)).split('.').slice(1).join('.')}`,
  },
  {
    name: 'a header that is not JSON',
    expect: 'header-is-json-object',
    token: (c, k) => signRaw('{alg: RS256}', h(c), k.rsa),
  },
  {
    name: 'a header that is a JSON array',
    expect: 'header-is-json-object',
    token: (c, k) => signRaw('["RS256"]', h(c), k.rsa),
  },
  {
    name: 'a header with "alg" twice',
    expect: 'header-parameter-names-are-unique',
    token: (c, k) => signRaw('{"alg":"RS256","typ":"secevent+jwt","kid":"rsa-1","alg":"RS256"}', h(c), k.rsa),
  },
  {
    name: 'a payload nested 40 levels deep',
    expect: 'json-nesting-is-within-limit',
    token: (c, k) =>
      signRaw(h(HEADER), `${h(c).slice(0, -1)},"deep":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, k.rsa),
  },
  {
    name: 'a payload that is not JSON',
    expect: 'payload-is-json-object',
    token: (_c, k) => signRaw(h(HEADER), 'iss=https://x', k.rsa),
  },
  {
    name: 'a payload that is a JSON string',
    expect: 'payload-is-json-object',
    token: (_c, k) => signRaw(h(HEADER), '"hello"', k.rsa),
  },
  {
    name: 'a payload that is not UTF-8',
    expect: 'payload-is-json-object',
    token: (_c, k) => signRaw(h(HEADER), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), k.rsa),
  },
  {
    name: 'a payload with "iss" twice',
    expect: 'claim-names-are-unique',
    token: (c, k) => signRaw(h(HEADER), `{"iss":"https://evil.example",${h(c).slice(1)}`, k.rsa),
  },
  {
    name: 'a payload with the same event type twice',
    expect: 'event-types-are-unique',
    token: (c, k) => {
      const text = h(c);
      const inner = h(event(c));
      return signRaw(h(HEADER), text.replace(`${h(SR)}:${inner}`, `${h(SR)}:${inner},${h(SR)}:{}`), k.rsa);
    },
  },
  {
    name: 'an event payload with a member twice (an escape spells the second)',
    expect: 'json-member-names-are-unique',
    token: (c, k) =>
      signRaw(
        h(HEADER),
        h(c).replace(
          '"initiating_entity":"policy"',
          '"initiating_entity":"policy","initiating\\u005fentity":"admin"',
        ),
        k.rsa,
      ),
  },

  // --- header ---
  {
    name: 'no "typ"',
    expect: 'header-typ-is-secevent-jwt',
    token: (c, k) => signRaw(h({ alg: 'RS256', kid: 'rsa-1' }), h(c), k.rsa),
  },
  { name: '"typ": "JWT"', expect: 'header-typ-is-secevent-jwt', header: { typ: 'JWT' } },
  {
    // RFC 7515 §4.1.9: the same media type as "secevent+jwt", so only RFC 8417 §2.3's SHOULD is broken —
    // a warning, and no failure-level check may fire.
    name: '"typ": "application/secevent+jwt"',
    expect: 'header-typ-is-short-form',
    header: { typ: 'application/secevent+jwt' },
  },
  {
    // Media type names are case-insensitive (RFC 6838 §4.2): still the SET media type, still a warning.
    name: '"typ": "SecEvent+JWT"',
    expect: 'header-typ-is-short-form',
    header: { typ: 'SecEvent+JWT' },
  },
  {
    // Okta documents "secevent+jwt" only; the okta profile keeps to that spelling.
    name: '"typ": "application/secevent+jwt" under the okta profile',
    expect: 'header-typ-is-secevent-jwt',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    header: { typ: 'application/secevent+jwt' },
    requirement: 'OKTA-SET-HEADER',
  },
  {
    name: '"typ": "application/jwt" (a "/" but another media type)',
    expect: 'header-typ-is-secevent-jwt',
    header: { typ: 'application/jwt' },
  },
  // RFC 7515 §4.1.4: a "kid" of any other type makes the header malformed (invalid_request in every profile).
  {
    name: 'a numeric "kid"',
    expect: 'header-kid-is-string',
    header: { kid: 12345 },
  },
  {
    name: 'an object "kid"',
    expect: 'header-kid-is-string',
    header: { kid: { kid: 'rsa-1' } },
  },
  {
    name: 'an array "kid"',
    expect: 'header-kid-is-string',
    header: { kid: ['rsa-1'] },
  },
  {
    // jose refuses the unknown extension too, so the signature is not accepted either.
    name: '"crit" naming an extension nobody understands',
    expect: 'header-crit-is-understood',
    also: ['signature-is-valid'],
    token: (c, k) =>
      signRaw(h({ ...HEADER, crit: ['urn:ssf-lab:unknown'], 'urn:ssf-lab:unknown': true }), h(c), k.rsa),
  },
  {
    name: '"crit" that is an empty list',
    expect: 'header-crit-is-understood',
    also: ['signature-is-valid'],
    token: (c, k) => signRaw(h({ ...HEADER, crit: [] }), h(c), k.rsa),
  },
  {
    name: '"typ": "JWT" under the okta profile',
    expect: 'header-typ-is-secevent-jwt',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    header: { typ: 'JWT' },
    requirement: 'OKTA-SET-HEADER',
  },
  {
    name: 'no "alg"',
    expect: 'header-has-alg',
    token: (c, k) => signRaw(h({ typ: 'secevent+jwt', kid: 'rsa-1' }), h(c), k.rsa),
  },
  {
    name: '"alg": "none" with an empty signature',
    expect: 'header-alg-is-not-none',
    token: (c) =>
      `${Buffer.from(h({ alg: 'none', typ: 'secevent+jwt' })).toString('base64url')}.${Buffer.from(h(c)).toString('base64url')}.`,
  },
  {
    name: 'an ES256 SET under the interop profile',
    expect: 'header-alg-is-rs256',
    profile: 'caep-interop',
    token: (c, k) => signSet(c, k.ec),
    also: ['signing-key-is-rsa-2048-or-larger'],
  },
  {
    name: 'no "kid" under the okta profile',
    expect: 'header-has-kid',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    token: (c, k) => signRaw(h({ alg: 'RS256', typ: 'secevent+jwt' }), h(c), k.rsa),
  },

  // --- claims ---
  { name: 'no "iss"', expect: 'claims-have-iss', edit: (c) => delete c.iss },
  {
    name: '"iss" as a number',
    expect: 'claims-have-iss',
    edit: (c) => {
      c.iss = 42;
    },
  },
  {
    name: '"iss" with the http scheme',
    expect: 'iss-is-https-url',
    edit: (c) => {
      c.iss = 'http://transmitter.example.com/tenant-1';
    },
    options: { expectedIssuer: 'http://transmitter.example.com/tenant-1' },
  },
  {
    name: '"iss" with a query',
    expect: 'iss-is-https-url',
    edit: (c) => {
      c.iss = 'https://transmitter.example.com/t?x=1';
    },
    options: { expectedIssuer: 'https://transmitter.example.com/t?x=1' },
  },
  {
    name: '"iss" differing from the expected issuer by a trailing slash',
    expect: 'iss-matches-expected-issuer',
    edit: (c) => {
      c.iss = `${ISS}/`;
    },
  },
  { name: 'no "iat"', expect: 'claims-have-iat', edit: (c) => delete c.iat },
  {
    name: '"iat" as a string',
    expect: 'claims-have-iat',
    edit: (c) => {
      c.iat = '1767225600';
    },
  },
  {
    name: 'a fractional "iat" under the okta profile',
    expect: 'claims-have-iat',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => {
      c.iat = NOW - 0.5;
    },
    requirement: 'OKTA-SET-BODY',
  },
  {
    name: '"iat" an hour in the future',
    expect: 'iat-is-not-in-future',
    edit: (c) => {
      c.iat = NOW + 3600;
    },
  },
  { name: 'no "jti"', expect: 'claims-have-jti', edit: (c) => delete c.jti },
  {
    name: 'an empty "jti"',
    expect: 'claims-have-jti',
    edit: (c) => {
      c.jti = '';
    },
  },
  { name: 'no "aud"', expect: 'claims-have-aud', edit: (c) => delete c.aud, withoutAudience: true },
  {
    name: '"aud" as a number',
    expect: 'aud-is-string-or-string-array',
    edit: (c) => {
      c.aud = 7;
    },
    also: ['aud-includes-expected-audience'],
  },
  {
    name: '"aud" as an empty array',
    expect: 'aud-is-string-or-string-array',
    edit: (c) => {
      c.aud = [];
    },
    also: ['aud-includes-expected-audience'],
  },
  {
    name: '"aud" as an array under the okta profile',
    expect: 'aud-is-single-string',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => {
      c.aud = ['https://acme.okta.example/'];
    },
  },
  {
    name: '"aud" naming another receiver',
    expect: 'aud-includes-expected-audience',
    edit: (c) => {
      c.aud = 'https://other.example.com';
    },
  },
  {
    name: 'a "sub" claim',
    expect: 'claims-have-no-sub',
    edit: (c) => {
      c.sub = 'pat.doe@acme.example';
    },
  },
  {
    name: 'an "exp" claim',
    expect: 'claims-have-no-exp',
    edit: (c) => {
      c.exp = NOW + 300;
    },
  },
  { name: 'no "sub_id"', expect: 'claims-have-sub-id', edit: (c) => delete c.sub_id },
  { name: 'no "txn"', expect: 'claims-have-txn', edit: (c) => delete c.txn },
  {
    name: '"txn" as a number',
    expect: 'txn-is-string',
    edit: (c) => {
      c.txn = 8675309;
    },
  },
  {
    name: '"toe" as a date string',
    expect: 'toe-is-numeric-date',
    edit: (c) => {
      c.toe = '2026-01-01T00:00:00Z';
    },
  },
  { name: 'no "events"', expect: 'claims-have-events', edit: (c) => delete c.events },
  {
    name: 'an empty "events"',
    expect: 'events-is-non-empty-object',
    edit: (c) => {
      c.events = {};
    },
  },
  {
    name: '"events" as an array',
    expect: 'events-is-non-empty-object',
    edit: (c) => {
      c.events = [event(c)];
    },
  },

  // --- events ---
  {
    name: 'an event type that is not a URI',
    expect: 'event-type-is-uri',
    edit: (c) => {
      c.events = { 'session-revoked': event(c) };
    },
  },
  {
    name: 'an event payload that is a string',
    expect: 'event-payload-is-json-object',
    edit: (c) => {
      (c.events as Record<string, unknown>)[SR] = 'revoked';
    },
  },
  {
    name: 'two events under the ssf profile',
    expect: 'events-has-one-event',
    edit: (c) => {
      (c.events as Events)[EVENT_URIS.credentialChange] = {
        credential_type: 'password',
        change_type: 'update',
      };
    },
  },
  {
    name: 'two events under the interop profile',
    expect: 'events-has-one-event',
    profile: 'caep-interop',
    requirement: 'CAEP-IOP-2.8.1',
    edit: (c) => {
      (c.events as Events)[EVENT_URIS.credentialChange] = {
        credential_type: 'password',
        change_type: 'update',
        reason_admin: { en: 'reset' },
      };
    },
  },
  {
    name: 'an event type ssf-lab does not know',
    expect: 'event-type-is-catalogued',
    edit: (c) => {
      c.events = { 'https://vendor.example.com/event/thing-happened': {} };
    },
  },
  {
    name: 'CAEP credential-change sent to Okta',
    expect: 'event-type-is-accepted-by-okta',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => {
      c.events = {
        [EVENT_URIS.credentialChange]: {
          credential_type: 'password',
          change_type: 'update',
          event_timestamp: NOW,
        },
      };
    },
  },
  {
    name: 'credential-change without change_type',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.credentialChange,
    requirement: 'CAEP-3.3',
    edit: (c) => delete event(c, EVENT_URIS.credentialChange).change_type,
  },
  {
    name: 'device-compliance-change with "non-compliant"',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.deviceComplianceChange,
    requirement: 'CAEP-3.5',
    edit: (c) => {
      event(c, EVENT_URIS.deviceComplianceChange).current_status = 'non-compliant';
    },
  },
  {
    name: 'risk-level-change with a lower-case level',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.riskLevelChange,
    requirement: 'CAEP-3.8',
    edit: (c) => {
      event(c, EVENT_URIS.riskLevelChange).current_level = 'high';
    },
  },
  {
    name: 'session-revoked with initiating_entity "robot"',
    expect: 'event-payload-matches-event-schema',
    requirement: 'CAEP-2',
    edit: (c) => {
      event(c).initiating_entity = 'robot';
    },
  },
  {
    name: 'session-revoked with an empty reason_admin',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      event(c).reason_admin = {};
    },
  },
  {
    name: 'session-revoked with event_timestamp as a string',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      event(c).event_timestamp = '1767225590';
    },
  },
  {
    name: 'assurance-level-change with change_direction "up"',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.assuranceLevelChange,
    requirement: 'CAEP-3.4',
    edit: (c) => {
      event(c, EVENT_URIS.assuranceLevelChange).change_direction = 'up';
    },
  },
  {
    name: 'token-claims-change without claims',
    expect: 'event-payload-matches-event-schema',
    uri: 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change',
    requirement: 'CAEP-3.2',
    edit: (c) =>
      delete event(c, 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change').claims,
  },
  {
    name: 'session-established with amr as a string',
    expect: 'event-payload-matches-event-schema',
    uri: 'https://schemas.openid.net/secevent/caep/event-type/session-established',
    requirement: 'CAEP-3.6',
    edit: (c) => {
      event(c, 'https://schemas.openid.net/secevent/caep/event-type/session-established').amr = 'otp';
    },
  },
  {
    name: 'stream-updated with status "stopped"',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.streamUpdated,
    requirement: 'SSF-8.1.5',
    edit: (c) => {
      event(c, EVENT_URIS.streamUpdated).status = 'stopped';
    },
    options: { expectedStreamId: STREAM_ID },
  },
  {
    name: 'account-disabled with reason "spam"',
    expect: 'event-payload-matches-event-schema',
    uri: 'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
    requirement: 'RISC-2.3',
    edit: (c) => {
      event(c, 'https://schemas.openid.net/secevent/risc/event-type/account-disabled').reason = 'spam';
    },
  },
  {
    name: 'credential-compromise without credential_type',
    expect: 'event-payload-matches-event-schema',
    uri: 'https://schemas.openid.net/secevent/risc/event-type/credential-compromise',
    requirement: 'RISC-2.7',
    edit: (c) =>
      delete event(c, 'https://schemas.openid.net/secevent/risc/event-type/credential-compromise')
        .credential_type,
  },
  {
    name: 'a verification with a numeric state',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.verification,
    requirement: 'SSF-8.1.4.1',
    edit: (c) => {
      event(c, EVENT_URIS.verification).state = 12;
    },
    also: ['verification-state-matches-expected'],
  },
  {
    name: 'Okta device-risk-change with "HIGH"',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    requirement: 'OKTA-SET-DEVICE-RISK-CHANGE',
    edit: (c) => {
      event(c, EVENT_URIS.oktaDeviceRiskChange).current_level = 'HIGH';
    },
  },
  {
    name: 'Okta device-risk-change without event_timestamp',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => delete event(c, EVENT_URIS.oktaDeviceRiskChange).event_timestamp,
  },
  {
    name: 'Okta device-risk-change without previous_level',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => delete event(c, EVENT_URIS.oktaDeviceRiskChange).previous_level,
  },
  {
    name: 'Okta device-risk-change without an in-event subject',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => delete event(c, EVENT_URIS.oktaDeviceRiskChange).subject,
  },
  {
    name: 'Okta subject.user as iss_sub',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    requirement: 'OKTA-SET-SUBJECT',
    edit: (c) => {
      event(c, EVENT_URIS.oktaDeviceRiskChange).subject = {
        user: { format: 'iss_sub', iss: 'https://x', sub: 'u' },
      };
    },
  },
  {
    name: 'Okta device-compliance-change with "non-compliant"',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.deviceComplianceChange,
    requirement: 'OKTA-SET-DEVICE-COMPLIANCE-CHANGE',
    edit: (c) => {
      event(c, EVENT_URIS.deviceComplianceChange).current_status = 'non-compliant';
    },
  },
  {
    name: 'Okta ip-change without previous_ip_address',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaIpChange,
    requirement: 'OKTA-SET-IP-CHANGE',
    edit: (c) => delete event(c, EVENT_URIS.oktaIpChange).previous_ip_address,
  },
  {
    name: 'Okta user-risk-change with reason_admin lacking "en"',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.oktaUserRiskChange,
    edit: (c) => {
      event(c, EVENT_URIS.oktaUserRiskChange).reason_admin = { de: 'Risiko' };
    },
  },
  {
    name: 'Okta session-revoked with a millisecond event_timestamp as a string',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: SR,
    requirement: 'OKTA-SET-SESSION-REVOKED',
    edit: (c) => {
      event(c).event_timestamp = '1767225590000';
    },
  },
  {
    name: 'Okta identifier-changed with a numeric new-value',
    expect: 'event-payload-matches-event-schema',
    profile: 'okta',
    uri: EVENT_URIS.identifierChanged,
    requirement: 'OKTA-SET-IDENTIFIER-CHANGED',
    edit: (c) => {
      event(c, EVENT_URIS.identifierChanged)['new-value'] = 5;
    },
  },
  {
    name: 'device-risk-change in strict SSF form with "HIGH"',
    expect: 'event-payload-matches-event-schema',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    requirement: 'OKTA-SET-DEVICE-RISK-CHANGE',
    edit: (c) => {
      event(c, EVENT_URIS.oktaDeviceRiskChange).current_level = 'HIGH';
    },
  },
  {
    name: 'RISC sessions-revoked',
    expect: 'event-type-is-not-deprecated',
    edit: (c) => {
      c.events = { 'https://schemas.openid.net/secevent/risc/event-type/sessions-revoked': {} };
    },
  },
  {
    name: 'a verification event with an in-event subject',
    expect: 'event-has-no-subject-member',
    uri: EVENT_URIS.verification,
    edit: (c) => {
      event(c, EVENT_URIS.verification).subject = { format: 'opaque', id: STREAM_ID };
    },
  },
  {
    name: 'an event type ssf-lab does not know, carrying an in-event subject (a new type: SSF §3.1.2)',
    expect: 'event-has-no-subject-member',
    edit: (c) => {
      c.events = {
        'https://vendor.example/event-type/new-thing': {
          subject: { format: 'email', email: 'pat.doe@acme.example' },
        },
      };
    },
  },
  {
    name: "Okta's in-event subject under the strict ssf profile",
    expect: 'event-has-no-subject-member',
    uri: EVENT_URIS.oktaDeviceRiskChange,
    edit: (c) => {
      event(c, EVENT_URIS.oktaDeviceRiskChange).subject = {
        user: { format: 'email', email: 'pat.doe@acme.example' },
      };
    },
  },
  {
    name: 'assurance-level-change with previous_level but no change_direction',
    expect: 'assurance-level-change-has-direction',
    uri: EVENT_URIS.assuranceLevelChange,
    edit: (c) => delete event(c, EVENT_URIS.assuranceLevelChange).change_direction,
  },
  {
    name: 'risk-level-change without risk_reason',
    expect: 'risk-level-change-has-reason',
    uri: EVENT_URIS.riskLevelChange,
    edit: (c) => delete event(c, EVENT_URIS.riskLevelChange).risk_reason,
  },
  {
    name: 'identifier-changed naming an iss_sub subject',
    expect: 'risc-identifier-subject-is-email-or-phone',
    uri: EVENT_URIS.identifierChanged,
    requirement: 'RISC-2.5',
    edit: (c) => {
      c.sub_id = { format: 'iss_sub', iss: 'https://idp.example.com/', sub: '42' };
    },
  },
  {
    name: 'identifier-recycled naming an opaque subject',
    expect: 'risc-identifier-subject-is-email-or-phone',
    uri: 'https://schemas.openid.net/secevent/risc/event-type/identifier-recycled',
    requirement: 'RISC-2.6',
    edit: (c) => {
      c.sub_id = { format: 'opaque', id: 'u-1' };
    },
  },
  {
    name: 'session-revoked without reason_admin under the interop profile',
    expect: 'interop-event-has-reason-admin',
    profile: 'caep-interop',
    requirement: 'CAEP-IOP-3.1',
    edit: (c) => delete event(c).reason_admin,
  },
  {
    name: 'credential-change with a blank reason_admin under the interop profile',
    expect: 'interop-event-has-reason-admin',
    profile: 'caep-interop',
    uri: EVENT_URIS.credentialChange,
    requirement: 'CAEP-IOP-3.2',
    edit: (c) => {
      event(c, EVENT_URIS.credentialChange).reason_admin = { en: '  ' };
    },
  },
  {
    name: 'a verification event naming an email subject',
    expect: 'control-event-subject-is-stream',
    uri: EVENT_URIS.verification,
    requirement: 'SSF-8.1.4.1',
    edit: (c) => {
      c.sub_id = { format: 'email', email: 'pat.doe@acme.example' };
    },
  },
  {
    name: 'a stream-updated event naming another stream',
    expect: 'control-event-subject-is-stream',
    uri: EVENT_URIS.streamUpdated,
    requirement: 'SSF-8.1.5',
    edit: (c) => {
      c.sub_id = { format: 'opaque', id: 'another-stream' };
    },
  },
  {
    name: 'a verification echoing the wrong state',
    expect: 'verification-state-matches-expected',
    uri: EVENT_URIS.verification,
    edit: (c) => {
      event(c, EVENT_URIS.verification).state = 'forged-state';
    },
  },
  {
    name: 'a verification with no state when one was requested',
    expect: 'verification-state-matches-expected',
    uri: EVENT_URIS.verification,
    edit: (c) => delete event(c, EVENT_URIS.verification).state,
  },
  {
    name: 'an unsolicited verification that carries a state',
    expect: 'verification-state-matches-expected',
    uri: EVENT_URIS.verification,
    options: { expectedState: null },
  },

  // --- subjects ---
  {
    name: 'an email subject that is not an address',
    expect: 'subject-identifier-is-valid',
    requirement: 'RFC9493-3',
    edit: (c) => {
      c.sub_id = { format: 'email', email: 'not-an-email' };
    },
  },
  {
    name: 'a phone_number subject not in E.164',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = { format: 'phone_number', phone_number: '555-1234' };
    },
  },
  {
    name: 'an iss_sub subject without sub',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = { format: 'iss_sub', iss: 'https://idp.example.com/' };
    },
  },
  {
    name: 'a complex subject with no members',
    expect: 'subject-identifier-is-valid',
    requirement: 'SSF-3.3',
    edit: (c) => {
      c.sub_id = { format: 'complex' };
    },
  },
  {
    name: 'a complex subject whose member is complex',
    expect: 'subject-identifier-is-valid',
    requirement: 'SSF-3.3',
    edit: (c) => {
      c.sub_id = { format: 'complex', user: { format: 'complex', device: { format: 'opaque', id: 'd' } } };
    },
  },
  {
    name: 'an aliases subject nesting aliases',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = {
        format: 'aliases',
        identifiers: [{ format: 'aliases', identifiers: [{ format: 'opaque', id: 'x' }] }],
      };
    },
  },
  {
    name: 'an ip-addresses subject with 300.1.1.1',
    expect: 'subject-identifier-is-valid',
    requirement: 'SSF-3.5',
    edit: (c) => {
      c.sub_id = { format: 'ip-addresses', 'ip-addresses': ['300.1.1.1'] };
    },
  },
  {
    name: 'a jwt_id subject without jti',
    expect: 'subject-identifier-is-valid',
    requirement: 'SSF-3.5',
    edit: (c) => {
      c.sub_id = { format: 'jwt_id', iss: 'https://idp.example.com/' };
    },
  },
  {
    name: 'a did subject whose url is not a DID',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = { format: 'did', url: 'https://example.com' };
    },
  },
  {
    name: 'an account subject without the acct: scheme',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = { format: 'account', uri: 'mailto:pat@acme.example' };
    },
  },
  {
    name: 'a sub_id that is a string',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      c.sub_id = 'pat.doe@acme.example';
    },
  },
  {
    name: 'a legacy in-event subject with a bad email',
    expect: 'subject-identifier-is-valid',
    edit: (c) => {
      event(c).subject = { format: 'email', email: 'nope' };
    },
  },
  {
    name: 'an email subject with an "id" member',
    expect: 'subject-identifier-has-only-described-members',
    edit: (c) => {
      c.sub_id = { format: 'email', email: 'pat.doe@acme.example', id: '42' };
    },
  },
  {
    name: 'a proprietary subject format',
    expect: 'subject-format-is-registered',
    edit: (c) => {
      c.sub_id = { format: 'catalog_item', catalog_id: 'c0384/winter/2354122' };
    },
  },
  {
    name: 'a phone_number sub_id under the interop profile',
    expect: 'subject-format-is-interoperable',
    profile: 'caep-interop',
    edit: (c) => {
      c.sub_id = { format: 'phone_number', phone_number: '+12065550100' };
    },
  },
  {
    name: 'a complex sub_id under the interop profile',
    expect: 'subject-format-is-interoperable',
    profile: 'caep-interop',
    edit: (c) => {
      c.sub_id = { format: 'complex', user: { format: 'email', email: 'pat.doe@acme.example' } };
    },
  },
  {
    // The interop profile lists opaque "for the Verification event only" (CAEP-IOP-2.5).
    name: 'an opaque sub_id on session-revoked under the interop profile',
    expect: 'subject-format-is-interoperable',
    profile: 'caep-interop',
    edit: (c) => {
      c.sub_id = { format: 'opaque', id: 'dMTlD|1600802906337.16|16008.16' };
    },
  },
  {
    // SSF §8.1.5 requires the opaque stream subject here; the interop profile does not list it for this event.
    name: 'a well-formed stream-updated under the interop profile',
    expect: 'subject-format-is-interoperable',
    profile: 'caep-interop',
    uri: EVENT_URIS.streamUpdated,
  },

  // --- signature and keys ---
  {
    name: 'a payload altered after signing',
    expect: 'signature-is-valid',
    token: async (c, k) => {
      const [hd, , sig] = (await signSet(c, k.rsa)).split('.');
      return `${hd}.${Buffer.from(h({ ...c, iss: ISS, jti: 'replayed' })).toString('base64url')}.${sig}`;
    },
  },
  {
    name: 'a SET signed by an impostor key reusing the kid',
    expect: 'signature-is-valid',
    token: (c, k) => signSet(c, k.impostor),
  },
  {
    name: 'HS256 signed with the RSA public key as the secret',
    expect: 'signature-is-valid',
    token: async (c, k) => {
      const pem = await exportSPKI(
        (await importJWK(k.rsa.publicJwk, 'RS256', { extractable: true })) as CryptoKey,
      );
      return signHmacRaw(
        h({ alg: 'HS256', typ: 'secevent+jwt', kid: 'rsa-1' }),
        h(c),
        new TextEncoder().encode(pem),
      );
    },
  },
  {
    name: 'a kid the JWKS does not hold',
    expect: 'signing-key-is-published',
    header: { kid: 'rotated-away' },
  },
  {
    name: 'an RSA-1024 key under the interop profile',
    expect: 'signing-key-is-rsa-2048-or-larger',
    profile: 'caep-interop',
    token: (c, k) => signRaw(h({ ...HEADER, kid: 'rsa-1024' }), h(c), k.rsa1024),
  },
  {
    name: 'an RSA-1024 key under the ssf profile',
    expect: 'signature-is-valid',
    token: (c, k) => signRaw(h({ ...HEADER, kid: 'rsa-1024' }), h(c), k.rsa1024),
  },
  {
    name: 'a JWKS URL that answers with HTML',
    expect: 'jwks-is-valid-jwk-set',
    options: {
      keys: jwksFromUrl('https://transmitter.example.com/jwks', {
        fetch: async () =>
          new Response('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } }),
      }),
    },
  },
  {
    name: 'a JWKS URL that cannot be reached',
    expect: 'jwks-is-retrievable',
    options: {
      keys: jwksFromUrl('https://transmitter.example.com/jwks', {
        fetch: async () => {
          throw new TypeError('fetch failed', {
            cause: new Error('getaddrinfo ENOTFOUND transmitter.example.com'),
          });
        },
      }),
    },
  },
];

test.each(CASES.map((c) => [c.name, c] as const))('%s raises its named check', async (_name, c) => {
  const profile = c.profile ?? 'ssf';
  const uri = c.uri ?? SR;
  const claims = validClaims(uri, profile);
  c.edit?.(claims);
  const token = c.token
    ? await c.token(claims, keys)
    : await signSet(claims, keys.rsa, c.header ? { header: c.header } : {});
  const { expectedAudience, ...base } = expectationsFor(uri, profile);
  const options: ValidateSetOptions = {
    ...base,
    ...(c.withoutAudience || expectedAudience === undefined ? {} : { expectedAudience }),
    clock: fixedClock(NOW * 1000),
    ...c.options,
  };
  const result = await judge(token, keys, options);
  const raised = result.findings.filter((f) => f.check === c.expect);
  expect(raised, JSON.stringify(result.findings, null, 1)).not.toHaveLength(0);
  if (c.requirement) expect(raised.map((f) => f.requirement)).toContain(c.requirement);
  const allowed = new Set<CheckId>([c.expect, ...(c.also ?? [])]);
  const unrelated = result.findings.filter((f) => f.level === 'failure' && !allowed.has(f.check));
  expect(unrelated, 'unrelated failures').toEqual([]);
});

test('the invalid corpus has at least 60 SETs', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
});

test('every check is raised by at least one SET in the invalid corpus', () => {
  const raised = new Set(CASES.map((c) => c.expect));
  expect(CHECK_IDS.filter((id) => !raised.has(id))).toEqual([]);
});

test('every check maps to an RFC 8935 error code', () => {
  for (const id of CHECK_IDS) expect(CHECKS[id].err).toMatch(/^[a-z_]+$/);
});
