/**
 * The SETs the receiver plans push: one valid SET per event type, shaped for the profile, and the
 * invalid-SET battery — each a valid SET broken in exactly one way, so the receiver's answer can be
 * attributed to that one fault. Tokens are signed from raw header and payload text, so a case can carry
 * what a JWT library would refuse to produce (no `typ`, `alg: none`) and still be otherwise genuine.
 */
import { randomUUID } from 'node:crypto';
import {
  base64url,
  buildEventSet,
  exampleEvent,
  generateSigningKey,
  importSigningKey,
  type ProfileName,
  publicJwks,
  type SigningKey,
  signRaw,
} from '../../harness/protocol/index.ts';
import { profileOf, type SsfReceiverOptions } from './options.ts';

type Json = Record<string, unknown>;

/** Anything that only has to differ from what the receiver accepts. */
export const UNKNOWN_ISSUER = 'https://unknown-issuer.ssf-lab.invalid/';
export const WRONG_AUDIENCE = 'https://wrong-audience.ssf-lab.invalid/';

/** Larger than the 64 KiB no SET needs (LAB-SIZE). */
const OVERSIZED_PADDING = 70 * 1024;

export interface SetFactory {
  readonly key: SigningKey;
  readonly profile: ProfileName;
  readonly options: SsfReceiverOptions;
  /** The claims of a valid SET of `eventType`, with a fresh `jti`. */
  claims(eventType: string, payloadOverrides?: Json): Json;
  /** Signs claims with the harness key; `header` replaces or (as undefined) removes header parameters. */
  sign(claims: Json, header?: Readonly<Record<string, unknown>>, key?: SigningKey): Promise<string>;
}

/** The event's example payload, made current and harmless for the profile. */
function payloadFor(eventType: string, profile: ProfileName, nowSeconds: number): Json | undefined {
  const example = exampleEvent(eventType, profile === 'okta' ? 'okta' : 'ssf');
  if (!example) return undefined;
  const payload: Json = { ...example.payload };
  if ('event_timestamp' in payload || profile === 'okta') payload.event_timestamp = nowSeconds;
  // This plan grades the wire, not what the receiver does with a signal: a risk report of "low" must not
  // log anybody out (the okta-receiver plan reports "high" on purpose).
  if (profile === 'okta' && typeof payload.current_level === 'string') {
    payload.current_level = 'low';
    payload.previous_level = 'low';
  }
  return payload;
}

export function subjectFor(eventType: string, options: SsfReceiverOptions): Json | undefined {
  const profile = profileOf(options);
  if (options.subject !== undefined) return { ...options.subject };
  const example = exampleEvent(eventType, profile === 'okta' ? 'okta' : 'ssf');
  return example ? { ...example.subject } : undefined;
}

export async function setFactory(options: SsfReceiverOptions, now: () => number): Promise<SetFactory> {
  const key = await importSigningKey(options.privateJwk);
  const profile = profileOf(options);
  return {
    key,
    profile,
    options,
    claims(eventType, payloadOverrides = {}) {
      const seconds = Math.floor(now() / 1000);
      const payload = payloadFor(eventType, profile, seconds) ?? {};
      const subject = subjectFor(eventType, options);
      return buildEventSet(
        {
          iss: options.issuer,
          aud: options.audience,
          eventType,
          payload: { ...payload, ...payloadOverrides },
          ...(subject === undefined ? {} : { subject }),
          placement: profile === 'okta' ? 'in-event' : 'sub_id',
          // SSF-4.1.9: transmitters SHOULD set txn; Okta's schema has no such claim.
          ...(profile === 'okta' ? {} : { txn: randomUUID() }),
          iat: seconds,
        },
        { ids: () => `ssf-lab-${randomUUID()}` },
      );
    },
    async sign(claims, header = {}, signer = key) {
      const merged: Json = { alg: signer.alg, typ: 'secevent+jwt', kid: key.kid, ...header };
      for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
      return signRaw(JSON.stringify(merged), JSON.stringify(claims), signer);
    },
  };
}

/** The public JWKS of the harness key (what the receiver must trust). */
export function jwksOf(factory: SetFactory): ReturnType<typeof publicJwks> {
  return publicJwks(factory.key);
}

/** One fault of the battery. */
export interface InvalidCase {
  readonly id: string;
  /** The `err` values that hold (RFC 8935 §2.3 leaves a choice in a few cases; see each case). */
  readonly expected: readonly string[];
  /** Profiles the fault is a fault under (default all). */
  readonly profiles?: readonly ProfileName[];
  /** Why it does not apply under the other profiles. */
  readonly elsewhere?: string;
  make(factory: SetFactory, eventType: string): Promise<string>;
}

/**
 * Keys nobody trusts, one per algorithm and role for the whole process: generating RSA keys is slow, and a
 * stranger's key only has to be a stranger's.
 */
const throwaway = new Map<string, Promise<SigningKey>>();

function throwawayKey(alg: SigningKey['alg'], role: 'forger' | 'unknown-kid'): Promise<SigningKey> {
  const name = `${alg}/${role}`;
  let key = throwaway.get(name);
  if (key === undefined) {
    const kid = role === 'unknown-kid' ? { kid: `ssf-lab-unknown-${randomUUID()}` } : {};
    key = generateSigningKey(alg, kid).then((generated) => generated.key);
    throwaway.set(name, key);
  }
  return key;
}

export const INVALID_CASES: readonly InvalidCase[] = [
  {
    // The kid names the harness key, the signature is another key's: the key is fine, the SET is forged.
    // RFC 8935 §2.3 `authentication_failed` ("could not authenticate the transmitter"), as the reference
    // receiver answers (harness/protocol/checks.ts `signature-is-valid`) and Okta is seen to answer.
    id: 'bad-signature',
    expected: ['authentication_failed'],
    async make(f, type) {
      return f.sign(f.claims(type), {}, await throwawayKey(f.key.alg, 'forger'));
    },
  },
  {
    // A kid the published JWKS does not hold: the key is unacceptable to the receiver (`invalid_key`).
    id: 'unknown-kid',
    expected: ['invalid_key'],
    async make(f, type) {
      const other = await throwawayKey(f.key.alg, 'unknown-kid');
      return f.sign(f.claims(type), { kid: other.kid }, other);
    },
  },
  {
    id: 'wrong-issuer',
    expected: ['invalid_issuer'],
    make: (f, type) => f.sign({ ...f.claims(type), iss: UNKNOWN_ISSUER }),
  },
  {
    id: 'wrong-audience',
    expected: ['invalid_audience'],
    make: (f, type) => f.sign({ ...f.claims(type), aud: WRONG_AUDIENCE }),
  },
  {
    id: 'missing-typ',
    expected: ['invalid_request'],
    make: (f, type) => f.sign(f.claims(type), { typ: undefined }),
  },
  {
    id: 'wrong-typ',
    expected: ['invalid_request'],
    make: (f, type) => f.sign(f.claims(type), { typ: 'JWT' }),
  },
  {
    id: 'sub-present',
    expected: ['invalid_request'],
    profiles: ['ssf', 'caep-interop'],
    elsewhere: 'Okta\'s SET contract has no rule against "sub" (its schema neither lists nor forbids it)',
    make: (f, type) => f.sign({ ...f.claims(type), sub: 'pat.doe@acme.example' }),
  },
  {
    id: 'exp-present',
    expected: ['invalid_request'],
    profiles: ['ssf', 'caep-interop'],
    elsewhere: 'Okta\'s SET contract has no rule against "exp" (its schema neither lists nor forbids it)',
    make: (f, type) => {
      const claims = f.claims(type);
      return f.sign({ ...claims, exp: (claims.iat as number) + 300 });
    },
  },
  {
    // Unsigned: malformed for a receiver that requires signatures (`invalid_request`, the reference
    // receiver's `header-alg-is-not-none`) or an unauthenticated transmitter (`authentication_failed`);
    // RFC 8935 §2.3 supports either reading, and both refuse the SET.
    id: 'alg-none',
    expected: ['invalid_request', 'authentication_failed'],
    make: async (f, type) => {
      const header = { alg: 'none', typ: 'secevent+jwt', kid: f.key.kid };
      return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(f.claims(type)))}.`;
    },
  },
  {
    id: 'oversized',
    expected: ['invalid_request'],
    make: (f, type) => f.sign(f.claims(type, { ssf_lab_padding: 'x'.repeat(OVERSIZED_PADDING) })),
  },
];
