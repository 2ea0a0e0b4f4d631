/**
 * The invalid-SET battery: each case is the battery's baseline SET broken in exactly one way, so the
 * receiver's answer can be put down to that one fault — or a hostile request that is no SET at all. Each
 * case says what it pushes, which requirement makes refusing it a duty (and so the level of a receiver that
 * does not), and which RFC 8935 §2.4 codes fit.
 *
 * The codes. RFC 8935 §2.3 makes a refusal 400 with a registered `err`; §2.4 defines the codes but assigns
 * none to most faults. Where a definition singles one out — "the SET Issuer is invalid for the SET
 * Recipient" (invalid_issuer), "the SET Audience does not correspond to the SET Recipient"
 * (invalid_audience), a key "unacceptable to the SET Recipient" that it does not hold (invalid_key), "the
 * request body cannot be parsed as a SET or the Event Payload … does not conform to the event's definition"
 * (invalid_request) — the case is `codeDecided` and its check requires that code. Elsewhere every code whose
 * definition fits is listed, and another registered code is only a warning (receiver-error-code-fits-the-
 * fault, RFC8935-2.4-CODE): a bad signature may be authentication_failed ("could not authenticate the SET
 * Transmitter") or invalid_key (the key is "invalid or otherwise unacceptable").
 */
import { createPublicKey, type JsonWebKey, randomBytes, randomUUID } from 'node:crypto';
import {
  base64url,
  EVENT_URIS,
  isJsonObject,
  type ProfileName,
  type PushErrorCode,
  type RequirementId,
  type SigningAlgorithm,
  signCompactInput,
  signHmacRaw,
} from '../../harness/protocol/index.ts';
import { harnessSideKey } from './keys.ts';
import type { RawPush } from './push.ts';
import type { SetFactory } from './sets.ts';

type Json = Record<string, unknown>;

/** Anything that only has to differ from what the receiver accepts. */
export const UNKNOWN_ISSUER = 'https://unknown-issuer.ssf-lab.invalid/';
export const WRONG_AUDIENCE = 'https://wrong-audience.ssf-lab.invalid/';
const OTHER_AUDIENCE = 'https://another-receiver.ssf-lab.invalid/';
/** An event type no specification defines: a new type, which SSF §3.1.2 forbids an in-event subject. */
export const UNKNOWN_EVENT_TYPE = 'https://schemas.ssf-lab.example/event-type/unknown-with-subject';
/** A subject format nobody registered and nobody agreed with the receiver. */
export const UNKNOWN_SUBJECT_FORMAT = 'ssf-lab-unknown-format';
/** Where a header's key URL points when the harness serves no lure: a name that never resolves. */
const NOWHERE = 'https://keys.ssf-lab.invalid';

/** Larger than the 64 KiB no SET needs (LAB-SIZE). */
const OVERSIZED_PADDING = 70 * 1024;

/**
 * What the plan offers a case besides the factory: `lure`, a harness URL that counts the requests made to
 * it (set when the harness serves the JWKS), where `jku` and `x5u` point so a receiver that follows them
 * is seen doing it.
 */
export interface CaseContext {
  readonly lure?: string;
}

/** The lure paths a case points at, below CaseContext.lure. */
export const LURE_PATHS = { jku: '/ssf-lab-lure/jku.json', x5u: '/ssf-lab-lure/x5u.pem' } as const;

/** One case of the battery. */
export interface InvalidCase {
  readonly id: string;
  /** What is pushed, as a noun phrase: "a SET whose signature does not verify". */
  readonly pushed: string;
  /** Why refusing it is a duty; the keyword decides the level of a receiver that does not. */
  readonly requirement: RequirementId;
  /** The `err` values whose RFC 8935 §2.4 definition fits the fault. */
  readonly expected: readonly PushErrorCode[];
  /** The definitions single `expected` out: a refusal naming another code fails the case's own check. */
  readonly codeDecided: boolean;
  /** Statuses that refuse it as well as 400 (413 for the oversized SET, 415 for a mislabelled body). */
  readonly alsoRefusedWith?: readonly number[];
  /** Profiles the fault is a fault under (default all). */
  readonly profiles?: readonly ProfileName[];
  /** Why it does not apply under the other profiles. */
  readonly elsewhere?: string;
  make(factory: SetFactory, eventType: string, ctx: CaseContext): Promise<string | RawPush>;
}

const STRICT: readonly ProfileName[] = ['ssf', 'caep-interop'];

const forger = (f: SetFactory) => harnessSideKey(f.key.alg, 'forger');

function without(claims: Json, name: string): Json {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
}

/** The claims with the subject replaced: `sub_id` (SSF), or the event's `subject.user` (Okta). */
function withSubject(f: SetFactory, eventType: string, subject: unknown): Json {
  const claims = f.claims(eventType);
  if (f.profile !== 'okta') return { ...claims, sub_id: subject };
  const event = ((claims.events as Json)[eventType] ?? {}) as Json;
  const current = isJsonObject(event.subject) ? event.subject : {};
  return { ...claims, events: { [eventType]: { ...event, subject: { ...current, user: subject } } } };
}

/** An algorithm the header claims while the key signs with its own. */
function otherAlgorithm(alg: SigningAlgorithm): string {
  if (alg === 'RS256' || alg === 'PS256') return 'RS512';
  return alg === 'ES256' ? 'ES384' : 'ES256';
}

/** `text` in standard base64 with padding: not base64url (RFC 7515 §2), whatever the decoder forgives. */
function standardBase64(text: string): string {
  for (let pad = ''; ; pad += ' ') {
    const encoded = Buffer.from(text + pad, 'utf8').toString('base64');
    if (encoded !== base64url(text + pad)) return encoded;
  }
}

const signatureKeyAndAlgorithm: readonly InvalidCase[] = [
  {
    // The kid names the harness key, the signature is another key's: the key is fine, the SET is forged.
    id: 'bad-signature',
    pushed: 'a SET whose signature does not verify',
    requirement: 'RFC8935-2.3',
    expected: ['authentication_failed', 'invalid_key'],
    codeDecided: false,
    async make(f, type) {
      return f.sign(f.claims(type), {}, await forger(f));
    },
  },
  {
    id: 'tampered-payload',
    pushed: 'a SET whose payload was changed after it was signed',
    requirement: 'RFC8935-2.3',
    expected: ['authentication_failed', 'invalid_key'],
    codeDecided: false,
    async make(f, type) {
      const claims = f.claims(type);
      const [header, , signature] = (await f.sign(claims)).split('.');
      const changed = base64url(JSON.stringify({ ...claims, jti: `ssf-lab-${randomUUID()}` }));
      return `${header}.${changed}.${signature}`;
    },
  },
  {
    id: 'signature-stripped',
    pushed: 'a SET whose header names a signing algorithm but whose signature is empty',
    requirement: 'RFC8935-2.3',
    expected: ['authentication_failed', 'invalid_key', 'invalid_request'],
    codeDecided: false,
    async make(f, type) {
      const token = await f.sign(f.claims(type));
      return token.slice(0, token.lastIndexOf('.') + 1);
    },
  },
  {
    // A kid the published JWKS does not hold: "unacceptable to the SET Recipient" (invalid_key).
    id: 'unknown-kid',
    pushed: 'a SET signed with a key the JWKS does not hold',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_key'],
    codeDecided: true,
    async make(f, type) {
      const other = await harnessSideKey(f.key.alg, 'unknown-kid');
      return f.sign(f.claims(type), { kid: other.kid }, other);
    },
  },
  {
    // RFC 7515 §4.1.4: "Its value MUST be a case-sensitive string." Signed by the right key all the same.
    id: 'kid-not-string',
    pushed: 'a SET whose "kid" is a number',
    requirement: 'RFC7515-4.1.4',
    expected: ['invalid_request', 'invalid_key'],
    codeDecided: false,
    make: (f, type) => f.sign(f.claims(type), { kid: 12345 }),
  },
  {
    // Unsigned: malformed for a receiver that requires signatures (invalid_request), an unauthenticated
    // transmitter (authentication_failed), or no acceptable key at all (invalid_key): RFC 8935 assigns none.
    id: 'alg-none',
    pushed: 'an unsigned SET ("alg": "none")',
    requirement: 'RFC8417-5.1',
    expected: ['invalid_request', 'authentication_failed', 'invalid_key'],
    codeDecided: false,
    make: async (f, type) => {
      const header = { alg: 'none', typ: 'secevent+jwt', kid: f.key.kid };
      return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(f.claims(type)))}.`;
    },
  },
  {
    // The classic algorithm confusion: the transmitter's *public* key (its PEM, as a library would read
    // it) used as an HMAC secret. Keys from a JWKS are public, so an HMAC over them proves nothing.
    id: 'alg-hs256-public-key',
    pushed: 'a SET "signed" with HS256, the public key as the HMAC secret',
    requirement: 'RFC8935-2',
    expected: ['authentication_failed', 'invalid_key', 'invalid_request'],
    codeDecided: false,
    async make(f, type) {
      const pem = createPublicKey({ key: f.key.publicJwk as JsonWebKey, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const header = JSON.stringify(f.header({ alg: 'HS256' }));
      return signHmacRaw(header, JSON.stringify(f.claims(type)), new TextEncoder().encode(String(pem)));
    },
  },
  {
    id: 'alg-mismatch',
    pushed: 'a SET whose "alg" names another algorithm than the one its signature was made with',
    requirement: 'RFC7515-5.2',
    expected: ['authentication_failed', 'invalid_key', 'invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(f.claims(type), { alg: otherAlgorithm(f.key.alg) }),
  },
  {
    // SSF §4.1.4: the key comes from the transmitter's jwks_uri. A receiver that trusts the header's
    // "jku" fetches the forger's JWKS (the lure serves it) and accepts the forgery.
    id: 'jku-elsewhere',
    pushed: 'a SET signed with a stranger\'s key published at the "jku" URL its header names',
    requirement: 'RFC8935-2',
    expected: ['invalid_key', 'authentication_failed'],
    codeDecided: false,
    async make(f, type, ctx) {
      const k = await forger(f);
      return f.sign(f.claims(type), { kid: k.kid, jku: `${ctx.lure ?? NOWHERE}${LURE_PATHS.jku}` }, k);
    },
  },
  {
    id: 'x5u-elsewhere',
    pushed: 'a SET signed with a stranger\'s key and naming an "x5u" certificate URL',
    requirement: 'RFC8935-2',
    expected: ['invalid_key', 'authentication_failed'],
    codeDecided: false,
    async make(f, type, ctx) {
      const k = await forger(f);
      return f.sign(f.claims(type), { kid: k.kid, x5u: `${ctx.lure ?? NOWHERE}${LURE_PATHS.x5u}` }, k);
    },
  },
  {
    // The embedded-key forgery: the header carries the very key that verifies it.
    id: 'jwk-embedded',
    pushed: 'a SET signed with a stranger\'s key embedded in its header as "jwk"',
    requirement: 'RFC8935-2',
    expected: ['invalid_key', 'authentication_failed'],
    codeDecided: false,
    async make(f, type) {
      const k = await forger(f);
      return f.sign(f.claims(type), { kid: k.kid, jwk: k.publicJwk }, k);
    },
  },
  {
    // RFC 7515 §4.1.11: an extension the recipient does not understand makes the JWS invalid. Correctly
    // signed by the harness key, so only the extension is wrong.
    id: 'crit-unknown',
    pushed: 'a SET whose "crit" lists an extension no one defines',
    requirement: 'RFC7515-4.1.11',
    expected: ['invalid_request', 'authentication_failed'],
    codeDecided: false,
    make: (f, type) =>
      f.sign(f.claims(type), {
        crit: ['urn:ssf-lab:unknown-extension'],
        'urn:ssf-lab:unknown-extension': true,
      }),
  },
  {
    // RFC 7515 §4: a parser either rejects a header parameter given twice or keeps the lexically last.
    // The last "alg" here is "none", so both refuse it; only a first-wins parser verifies the RS256 one.
    id: 'duplicate-header-member',
    pushed: 'a SET whose header gives "alg" twice, the second time "none"',
    requirement: 'RFC7515-4',
    expected: ['invalid_request', 'authentication_failed', 'invalid_key'],
    codeDecided: false,
    make: (f, type) => {
      const header = JSON.stringify(f.header());
      return f.signText(`${header.slice(0, -1)},"alg":"none"}`, JSON.stringify(f.claims(type)));
    },
  },
];

const claims: readonly InvalidCase[] = [
  {
    id: 'wrong-issuer',
    pushed: 'a SET from an issuer the receiver does not accept',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_issuer'],
    codeDecided: true,
    make: (f, type) => f.sign({ ...f.claims(type), iss: UNKNOWN_ISSUER }),
  },
  {
    id: 'missing-iss',
    pushed: 'a SET without "iss"',
    requirement: 'RFC8417-2.2',
    expected: ['invalid_request', 'invalid_issuer'],
    codeDecided: false,
    make: (f, type) => f.sign(without(f.claims(type), 'iss')),
  },
  {
    id: 'wrong-audience',
    pushed: 'a SET for another audience',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_audience'],
    codeDecided: true,
    make: (f, type) => f.sign({ ...f.claims(type), aud: WRONG_AUDIENCE }),
  },
  {
    // Without "aud" the receiver cannot tell it is the intended recipient (RFC 8935 §2) — but RFC 8417
    // makes "aud" only RECOMMENDED, so refusing is a SHOULD.
    id: 'missing-aud',
    pushed: 'a SET without "aud"',
    requirement: 'RFC8935-2-AUD-REFUSE',
    expected: ['invalid_audience', 'invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(without(f.claims(type), 'aud')),
  },
  {
    id: 'aud-array-without-receiver',
    pushed: 'a SET whose "aud" is an array naming two other receivers',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_audience'],
    codeDecided: true,
    make: (f, type) => f.sign({ ...f.claims(type), aud: [WRONG_AUDIENCE, OTHER_AUDIENCE] }),
  },
  {
    id: 'missing-iat',
    pushed: 'a SET without "iat"',
    requirement: 'RFC8417-2.2',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(without(f.claims(type), 'iat')),
  },
  {
    id: 'iat-not-numeric',
    pushed: 'a SET whose "iat" is a date string, not a NumericDate',
    requirement: 'RFC8417-2.2',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign({ ...f.claims(type), iat: new Date().toISOString() }),
  },
  {
    id: 'iat-far-future',
    pushed: 'a SET issued a year from now ("iat")',
    requirement: 'LAB-IAT-NOT-FUTURE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere: 'Okta publishes no rule on an "iat" in the future',
    make: (f, type) => {
      const c = f.claims(type);
      return f.sign({ ...c, iat: (c.iat as number) + 365 * 24 * 3600 });
    },
  },
  {
    id: 'missing-jti',
    pushed: 'a SET without "jti"',
    requirement: 'RFC8417-2.2',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(without(f.claims(type), 'jti')),
  },
  {
    id: 'missing-typ',
    pushed: 'a SET without "typ"',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(f.claims(type), { typ: undefined }),
  },
  {
    id: 'wrong-typ',
    pushed: 'a SET whose "typ" is "JWT"',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(f.claims(type), { typ: 'JWT' }),
  },
  {
    id: 'sub-present',
    pushed: 'a SET carrying "sub"',
    requirement: 'SSF-4.1.2-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere: 'Okta\'s SET contract has no rule against "sub" (its schema neither lists nor forbids it)',
    make: (f, type) => f.sign({ ...f.claims(type), sub: 'pat.doe@acme.example' }),
  },
  {
    id: 'exp-present',
    pushed: 'a SET carrying "exp"',
    requirement: 'SSF-4.1.7-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere: 'Okta\'s SET contract has no rule against "exp" (its schema neither lists nor forbids it)',
    make: (f, type) => {
      const c = f.claims(type);
      return f.sign({ ...c, exp: (c.iat as number) + 300 });
    },
  },
  {
    id: 'missing-events',
    pushed: 'a SET without "events"',
    requirement: 'RFC8417-2.2-events',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(without(f.claims(type), 'events')),
  },
  {
    id: 'events-empty',
    pushed: 'a SET whose "events" is an empty object',
    requirement: 'RFC8417-2.2-events',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign({ ...f.claims(type), events: {} }),
  },
  {
    id: 'events-not-object',
    pushed: 'a SET whose "events" is an array',
    requirement: 'RFC8417-2.2-events',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign({ ...f.claims(type), events: [type] }),
  },
  {
    // Two independent events: the interop profile requires one. (SSF 1.0 §4.2.1 only says SHOULD.)
    id: 'several-events',
    pushed: 'a SET whose "events" holds two different events',
    requirement: 'CAEP-IOP-2.8.1-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: ['caep-interop'],
    elsewhere:
      'SSF 1.0 §4.2.1 says "events" SHOULD hold one event and Okta says nothing: only the interop profile makes it a rule',
    make: (f, type) => {
      const other =
        type === EVENT_URIS.sessionRevoked ? EVENT_URIS.deviceComplianceChange : EVENT_URIS.sessionRevoked;
      const c = f.claims(type);
      const second = (f.claims(other).events as Json)[other];
      return f.sign({ ...c, events: { ...(c.events as Json), [other]: second } });
    },
  },
  {
    id: 'unknown-event-with-subject',
    pushed: 'a SET of an event type no specification defines, carrying an in-event "subject"',
    requirement: 'SSF-3.1.2-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere:
      'Okta refuses every event type outside its six, so the in-event subject would not be what is judged',
    make: (f, type) => {
      const c = f.claims(type);
      return f.sign({ ...c, events: { [UNKNOWN_EVENT_TYPE]: { subject: c.sub_id } } });
    },
  },
  {
    // "the Event Payload within the SET does not conform to the event's definition": invalid_request.
    // CAEP §2 and Okta's schemas both make event_timestamp a number.
    id: 'event-payload-invalid',
    pushed: 'a SET whose event has an "event_timestamp" that is not a number',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: (f, type) => f.sign(f.claims(type, { event_timestamp: 'yesterday' })),
  },
  {
    // RFC 7519 §4: a parser rejects a claim given twice or keeps the lexically last. The last "aud" here
    // is another receiver's, so both refuse it; only a first-wins parser takes it for this receiver's.
    id: 'duplicate-claim',
    pushed: 'a SET that gives "aud" twice, this receiver first and another last',
    requirement: 'RFC7519-4',
    expected: ['invalid_request', 'invalid_audience'],
    codeDecided: false,
    make: (f, type) => {
      const text = JSON.stringify(f.claims(type));
      return f.signText(
        JSON.stringify(f.header()),
        `${text.slice(0, -1)},"aud":${JSON.stringify(WRONG_AUDIENCE)}}`,
      );
    },
  },
];

const subjects: readonly InvalidCase[] = [
  {
    id: 'sub-id-missing',
    pushed: 'a SET without a top-level "sub_id"',
    requirement: 'SSF-3.1-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere: "Okta's SETs name their subject inside the event, not in sub_id",
    make: (f, type) => f.sign(without(f.claims(type), 'sub_id')),
  },
  {
    id: 'subject-not-object',
    pushed: 'a SET whose subject is a bare string, not a subject identifier',
    requirement: 'RFC9493-3',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(withSubject(f, type, 'pat.doe@acme.example')),
  },
  {
    id: 'subject-unknown-format',
    pushed: 'a SET whose subject has a format nobody registered or agreed',
    requirement: 'SSF-3.4-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(withSubject(f, type, { format: UNKNOWN_SUBJECT_FORMAT, id: 'x-1' })),
  },
  {
    id: 'subject-missing-member',
    pushed: 'a SET whose email subject has no "email"',
    requirement: 'RFC9493-3',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(withSubject(f, type, { format: 'email' })),
  },
  {
    id: 'subject-bad-email',
    pushed: 'a SET whose email subject is not an email address',
    requirement: 'RFC9493-3',
    expected: ['invalid_request'],
    codeDecided: false,
    make: (f, type) => f.sign(withSubject(f, type, { format: 'email', email: 'not-an-email-address' })),
  },
  {
    id: 'subject-bad-phone',
    pushed: 'a SET whose phone_number subject is not an E.164 number',
    requirement: 'RFC9493-3',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere: "Okta's subject is an email user: a phone number is refused for its format before its syntax",
    make: (f, type) => f.sign(withSubject(f, type, { format: 'phone_number', phone_number: '555-0100' })),
  },
  {
    id: 'subject-bad-uri',
    pushed: 'a SET whose uri subject is not a URI',
    requirement: 'RFC9493-3',
    expected: ['invalid_request'],
    codeDecided: false,
    profiles: STRICT,
    elsewhere:
      "Okta's subject is an email user: a uri identifier is refused for its format before its syntax",
    make: (f, type) => f.sign(withSubject(f, type, { format: 'uri', uri: 'not a uri at all' })),
  },
];

const encoding: readonly InvalidCase[] = [
  {
    id: 'not-compact-jws',
    pushed: 'a token of two segments, not a compact JWS',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: async (f, type) => (await f.sign(f.claims(type))).split('.').slice(0, 2).join('.'),
  },
  {
    // Five segments: an encrypted SET, which the receiver never agreed to (and cannot decrypt).
    id: 'jwe-compact',
    pushed: 'a compact JWE (five segments) instead of a signed SET',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request', 'invalid_key'],
    codeDecided: false,
    make: async (f) => {
      const header = { alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'secevent+jwt', kid: f.key.kid };
      return [
        base64url(JSON.stringify(header)),
        base64url(randomBytes(256)),
        base64url(randomBytes(12)),
        base64url(randomBytes(96)),
        base64url(randomBytes(16)),
      ].join('.');
    },
  },
  {
    // Standard base64 with "=" padding: RFC 7515 §2 base64url has neither. The signature covers exactly
    // these bytes, so only the encoding is wrong.
    id: 'bad-base64url',
    pushed: 'a SET whose payload is standard base64 with padding, not base64url',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: (f, type) =>
      signCompactInput(
        `${base64url(JSON.stringify(f.header()))}.${standardBase64(JSON.stringify(f.claims(type)))}`,
        f.key,
      ),
  },
  {
    id: 'header-not-json',
    pushed: 'a token whose header is cut-off JSON',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: (f, type) =>
      signCompactInput(
        `${base64url('{"alg":"RS256","typ":')}.${base64url(JSON.stringify(f.claims(type)))}`,
        f.key,
      ),
  },
  {
    id: 'payload-not-json',
    pushed: 'a signed token whose payload is not JSON',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: (f) => f.signText(JSON.stringify(f.header()), 'this payload is not JSON'),
  },
  {
    id: 'payload-not-object',
    pushed: 'a signed token whose payload is a JSON array holding the claims',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: (f, type) => f.signText(JSON.stringify(f.header()), JSON.stringify([f.claims(type)])),
  },
  {
    id: 'oversized',
    pushed: 'a SET larger than 64 KiB',
    requirement: 'LAB-SIZE-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    alsoRefusedWith: [413],
    make: (f, type) => f.sign(f.claims(type, { ssf_lab_padding: 'x'.repeat(OVERSIZED_PADDING) })),
  },
];

const transport: readonly InvalidCase[] = [
  {
    // RFC 8935 §2.3 allows "the applicable HTTP Status Code" for a general HTTP error: 415 as well.
    id: 'wrong-content-type',
    pushed: 'a valid SET sent as "Content-Type: application/json"',
    requirement: 'RFC8935-2.1-REFUSE',
    expected: ['invalid_request'],
    codeDecided: false,
    alsoRefusedWith: [415],
    make: async (f, type) => ({ body: await f.sign(f.claims(type)), contentType: 'application/json' }),
  },
  {
    id: 'empty-body',
    pushed: 'an empty body',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: async () => ({ body: '' }),
  },
  {
    id: 'json-body',
    pushed: 'the claims as plain JSON instead of a SET',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: async (f, type) => ({ body: JSON.stringify(f.claims(type)) }),
  },
  {
    // RFC 8935 §2.1: the body is one SET.
    id: 'two-sets-in-body',
    pushed: 'two valid SETs in one body, a line apart',
    requirement: 'RFC8935-2.3',
    expected: ['invalid_request'],
    codeDecided: true,
    make: async (f, type) => ({
      body: `${await f.sign(f.claims(type))}\n${await f.sign(f.claims(type))}`,
    }),
  },
];

export const INVALID_CASES: readonly InvalidCase[] = [
  ...signatureKeyAndAlgorithm,
  ...claims,
  ...subjects,
  ...encoding,
  ...transport,
];

/**
 * The battery's Verification case: only a receiver that asked for a verification with a state can tell a
 * wrong one (SSF §8.1.4.1), so the push battery records it as not sent.
 */
export const WRONG_STATE = {
  id: 'wrong-state',
  pushed: 'a Verification event whose "state" it never asked for',
  requirement: 'SSF-8.1.4.1-STATE',
  expected: ['invalid_state'],
  codeDecided: true,
} as const satisfies Omit<InvalidCase, 'make'>;

/** A SET the receiver must accept though it is spelt unusually. */
export interface AcceptableCase {
  readonly id: string;
  readonly pushed: string;
  readonly requirement: RequirementId;
  readonly profiles?: readonly ProfileName[];
  readonly elsewhere?: string;
  make(factory: SetFactory, eventType: string): Promise<string>;
}

export const ACCEPTABLE_CASES: readonly AcceptableCase[] = [
  {
    // RFC 7515 §4.1.9: "application/secevent+jwt" and "secevent+jwt" are one media type.
    id: 'long-form-typ',
    pushed: 'a SET whose "typ" is the long form "application/secevent+jwt"',
    requirement: 'RFC7515-4.1.9-RECIPIENT',
    profiles: STRICT,
    elsewhere: 'Okta documents "typ" as exactly "secevent+jwt" and publishes no other form',
    make: (f, type) => f.sign(f.claims(type), { typ: 'application/secevent+jwt' }),
  },
];
