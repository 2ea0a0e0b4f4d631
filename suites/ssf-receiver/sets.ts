/**
 * The SETs the receiver plans push: one valid SET per event type, shaped for the profile, signed by the
 * harness key or any other. Tokens are signed from raw header and payload text, so a battery case
 * (battery.ts) can carry what a JWT library would refuse to produce (no `typ`, `alg: none`, a member twice)
 * and still be otherwise genuine.
 */
import { randomUUID } from 'node:crypto';
import {
  buildEventSet,
  exampleEvent,
  importSigningKey,
  type ProfileName,
  publicJwks,
  type SigningKey,
  signRaw,
} from '../../harness/protocol/index.ts';
import { profileOf, type SsfReceiverOptions } from './options.ts';

type Json = Record<string, unknown>;

export interface SetFactory {
  readonly key: SigningKey;
  readonly profile: ProfileName;
  readonly options: SsfReceiverOptions;
  /** The claims of a valid SET of `eventType`, with a fresh `jti`. */
  claims(eventType: string, payloadOverrides?: Json): Json;
  /**
   * The header a SET signed by `signer` carries: its `alg`, `typ` "secevent+jwt" and the harness key's
   * `kid` (a forgery names the key it pretends to be), with `header` replacing or (as undefined) removing
   * parameters.
   */
  header(header?: Readonly<Record<string, unknown>>, signer?: SigningKey): Json;
  /** Signs claims with the harness key or `key`, the header made by `header()`. */
  sign(claims: Json, header?: Readonly<Record<string, unknown>>, key?: SigningKey): Promise<string>;
  /** Signs header and payload given as text, byte for byte (a member twice, JSON that is not an object). */
  signText(header: string, payload: string, key?: SigningKey): Promise<string>;
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
  const headerFor = (header: Readonly<Record<string, unknown>> = {}, signer: SigningKey = key): Json => {
    const merged: Json = { alg: signer.alg, typ: 'secevent+jwt', kid: key.kid, ...header };
    for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
    return merged;
  };
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
    header: headerFor,
    async sign(claims, header = {}, signer = key) {
      return signRaw(JSON.stringify(headerFor(header, signer)), JSON.stringify(claims), signer);
    },
    signText(header, payload, signer = key) {
      return signRaw(header, payload, signer);
    },
  };
}

/** The public JWKS of the harness key (what the receiver must trust). */
export function jwksOf(factory: SetFactory): ReturnType<typeof publicJwks> {
  return publicJwks(factory.key);
}
