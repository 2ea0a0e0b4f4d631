/**
 * Builds and judges the catalogue: for every event type a profile applies to, one well-formed SET from the
 * protocol core's example and one SET per broken variant, all signed with a key generated for the run, and
 * each judged by `validateSet` under the profile (signature included). What the checks get is only the
 * findings — plain data, so each check is a pure function of them.
 */
import { fixedClock } from '../../harness/kernel/index.ts';
import {
  buildEventSet,
  EVENT_TYPES,
  type EventType,
  EXAMPLE_STREAM_ID,
  exampleEvent,
  type Finding,
  generateSigningKey,
  jwksFromObject,
  type ProfileName,
  publicJwks,
  type SigningKey,
  signSet,
  type ValidateSetOptions,
  validateSet,
} from '../../harness/protocol/index.ts';
import { type Mutation, mutationsFor } from './negatives.ts';

export const EVENTS_ISSUER = 'https://transmitter.events.ssf-lab.example';
export const EVENTS_AUDIENCE = 'https://receiver.events.ssf-lab.example';

/** `<family>/<name>`: how the examples and the broken variants are keyed. */
export function typeKey(type: EventType): string {
  return `${type.family}/${type.name}`;
}

/**
 * The event types each profile judges, as the validator's valid corpus does: Okta only the six types its
 * receiver accepts; the interop profile CAEP events and verification; strict SSF every type. Deprecated
 * types (RISC sessions-revoked) are left out: the ssf profile flags every use of them, by design.
 */
export function appliesTo(profile: ProfileName, type: EventType): boolean {
  if (type.deprecated) return false;
  if (profile === 'okta') return type.okta !== undefined;
  // Not stream-updated: the interop profile lists opaque subjects for the Verification event only
  // (CAEP-IOP-2.5), so its well-formed example (opaque, as SSF §8.1.5 requires) warns there by design.
  if (profile === 'caep-interop') return type.family === 'caep' || type.name === 'verification';
  return true;
}

export interface Rejection {
  readonly what: string;
  readonly findings: readonly Finding[];
}

export interface TypeResult {
  /** Findings for the well-formed example (none expected). */
  readonly valid: readonly Finding[];
  /** One entry per broken variant (each expected to draw a failure). */
  readonly broken: readonly Rejection[];
}

export interface ProfileCapture {
  readonly profile: ProfileName;
  /** False when the run's `profiles` option leaves this profile out. */
  readonly selected: boolean;
  /** By event type URI. */
  readonly results: Readonly<Record<string, TypeResult>>;
}

function claimsFor(type: EventType, profile: ProfileName, nowMs: number): Record<string, unknown> {
  const shape = profile === 'okta' ? 'okta' : 'ssf';
  const example = exampleEvent(type.uri, shape);
  if (!example) throw new TypeError(`the protocol core has no ${shape} example for ${type.uri}`);
  let subject = example.subject;
  // The interop profile allows email and iss_sub subjects only (and opaque for control events).
  if (profile === 'caep-interop' && subject.format === 'complex')
    subject = { format: 'email', email: 'pat.doe@acme.example' };
  const claims = buildEventSet(
    {
      iss: EVENTS_ISSUER,
      aud: EVENTS_AUDIENCE,
      eventType: type.uri,
      payload: example.payload,
      subject,
      placement: profile === 'okta' ? 'in-event' : 'sub_id',
      ...(profile === 'okta' ? {} : { txn: 'ssf-lab-events-plan' }),
    },
    { clock: fixedClock(nowMs - 5000) },
  );
  return structuredClone(claims);
}

export function applyMutation(
  claims: Record<string, unknown>,
  uri: string,
  m: Mutation,
): Record<string, unknown> {
  const out = structuredClone(claims);
  const events = out.events as Record<string, unknown>;
  if (m.payload !== undefined) events[uri] = m.payload;
  const payload = events[uri] as Record<string, unknown>;
  if (m.remove !== undefined) delete payload[m.remove];
  if (m.set !== undefined) payload[m.set[0]] = m.set[1];
  if (m.subId !== undefined) out.sub_id = m.subId;
  return out;
}

function expectations(type: EventType, profile: ProfileName, nowMs: number): ValidateSetOptions {
  const state = exampleEvent(type.uri)?.payload.state;
  return {
    profile,
    clock: fixedClock(nowMs),
    expectedIssuer: EVENTS_ISSUER,
    expectedAudience: EVENTS_AUDIENCE,
    ...(type.control ? { expectedStreamId: EXAMPLE_STREAM_ID } : {}),
    ...(type.name === 'verification' && typeof state === 'string' ? { expectedState: state } : {}),
  };
}

/** A signing key the run's SETs are signed with (RS256: the interop profile requires it). */
export async function runKey(): Promise<SigningKey> {
  return (await generateSigningKey('RS256', { kid: 'ssf-lab-events' })).key;
}

/** Builds, signs and judges every applicable type under one profile. */
export async function judgeProfile(
  profile: ProfileName,
  key: SigningKey,
  nowMs: number,
): Promise<Readonly<Record<string, TypeResult>>> {
  const keys = jwksFromObject(publicJwks(key));
  const judge = async (claims: object, type: EventType): Promise<readonly Finding[]> =>
    (await validateSet(await signSet(claims, key), { ...expectations(type, profile, nowMs), keys })).findings;
  const results: Record<string, TypeResult> = {};
  for (const type of EVENT_TYPES.filter((t) => appliesTo(profile, t))) {
    const claims = claimsFor(type, profile, nowMs);
    const broken: Rejection[] = [];
    for (const m of mutationsFor(typeKey(type), profile))
      broken.push({ what: m.what, findings: await judge(applyMutation(claims, type.uri, m), type) });
    results[type.uri] = { valid: await judge(claims, type), broken };
  }
  return results;
}
