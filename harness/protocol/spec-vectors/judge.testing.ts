/**
 * Test helper for the spec vectors: signs an example with one throwaway key, wraps what is shown alone
 * (a subject, an event fragment) in a minimal valid SET, judges it with the validator under a profile,
 * and reduces the findings to the verdict form the vectors use (check id → level).
 */
import { fixedClock } from '../../kernel/index.ts';
import type { CheckId } from '../checks.ts';
import { EVENT_URIS } from '../event-types.ts';
import type { Finding } from '../findings.ts';
import type { FindingLevel } from '../requirements.ts';
import { validateWithSchema } from '../schemas/registry.ts';
import { jwksFromObject, type KeySource } from '../set/jwks.ts';
import { generateSigningKey, publicJwks, type SigningKey } from '../set/keys.ts';
import { signHmacRaw, signRaw } from '../set/raw.ts';
import type { ProfileName } from '../validator/profiles.ts';
import { type ValidateSetOptions, validateSet } from '../validator/validate-set.ts';
import type { ClaimsVector, FragmentVector, SubjectVector, TokenVector, WireVector } from './types.ts';

/** 2026-01-01T00:00:00Z: after every example's "iat", so only a wrong one is in the future. */
const NOW = 1767225600;

const WRAPPER_ISSUER = 'https://transmitter.spec-vectors.example';
const WRAPPER_AUDIENCE = 'https://receiver.spec-vectors.example';
/** The subject of a wrapper whose own subject is not what is judged. */
export const WRAPPER_SUBJECT = { format: 'email', email: 'pat.doe@spec-vectors.example' } as const;

/** A minimal session-revoked payload valid under every profile's SSF shape (interop needs "reason_admin"). */
const SESSION_REVOKED = { event_timestamp: NOW - 60, reason_admin: { en: 'Spec example wrapper' } };

const SEVERITY: Readonly<Record<FindingLevel, number>> = { failure: 3, warning: 2, info: 1 };

export interface Judge {
  readonly key: SigningKey;
  readonly keys: KeySource;
}

/** One RS256 key for the whole run (generating keys is the slow part). */
export async function makeJudge(): Promise<Judge> {
  const { key } = await generateSigningKey('RS256', { kid: 'spec-vectors' });
  return { key, keys: jwksFromObject(publicJwks(key)) };
}

/** The verdict the validator reached: each check id once, at its most severe level. */
export function verdictOf(findings: readonly Finding[]): Partial<Record<CheckId, FindingLevel>> {
  const out: Partial<Record<CheckId, FindingLevel>> = {};
  for (const f of findings) {
    const seen = out[f.check];
    if (seen === undefined || SEVERITY[f.level] > SEVERITY[seen]) out[f.check] = f.level;
  }
  return out;
}

function expectations(
  profile: ProfileName,
  iss: unknown,
  aud: unknown,
  extra: Partial<ValidateSetOptions> = {},
): ValidateSetOptions {
  const audience =
    typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'))
      ? { expectedAudience: aud as string | readonly string[] }
      : {};
  return {
    profile,
    clock: fixedClock(NOW * 1000),
    ...(typeof iss === 'string' ? { expectedIssuer: iss } : {}),
    ...audience,
    ...extra,
  };
}

async function sign(
  judge: Judge,
  header: Readonly<Record<string, unknown>> | undefined,
  payload: string,
): Promise<string> {
  const alg = header?.alg;
  if (typeof alg === 'string' && alg.startsWith('HS')) {
    // An HMAC example is signed as shown, with a throwaway secret no receiver could know.
    return signHmacRaw(JSON.stringify(header), payload, new TextEncoder().encode('spec-vectors-throwaway'));
  }
  const base = { alg: judge.key.alg, typ: 'secevent+jwt', kid: judge.key.kid };
  return signRaw(JSON.stringify({ ...base, ...header }), payload, judge.key);
}

export async function judgeClaims(
  judge: Judge,
  v: ClaimsVector,
  profile: ProfileName,
): Promise<readonly Finding[]> {
  const text = typeof v.claims === 'string' ? v.claims : JSON.stringify(v.claims);
  const claims = typeof v.claims === 'string' ? {} : v.claims;
  const token = await sign(judge, v.header, text);
  const options = expectations(profile, claims.iss, claims.aud, {
    ...(v.expectedStreamId === undefined ? {} : { expectedStreamId: v.expectedStreamId }),
    ...(v.expectedState === undefined ? {} : { expectedState: v.expectedState }),
  });
  return (await validateSet(token, { ...options, keys: judge.keys })).findings;
}

export async function judgeToken(
  judge: Judge,
  v: TokenVector,
  profile: ProfileName,
): Promise<readonly Finding[]> {
  const options = expectations(profile, v.expectedIssuer, v.expectedAudience);
  return (await validateSet(v.token, { ...options, keys: judge.keys })).findings;
}

/** A minimal valid SET with `subId` as its sub_id and `payload` as its session-revoked event. */
function wrapperClaims(
  subId: unknown,
  payload: Readonly<Record<string, unknown>> = SESSION_REVOKED,
): Record<string, unknown> {
  return {
    iss: WRAPPER_ISSUER,
    jti: 'spec-vector-wrapper',
    iat: NOW - 5,
    aud: WRAPPER_AUDIENCE,
    txn: 'spec-vector-wrapper',
    sub_id: subId,
    events: { [EVENT_URIS.sessionRevoked]: payload },
  };
}

async function judgeWrapped(
  judge: Judge,
  claims: Record<string, unknown>,
  profile: ProfileName,
  header?: Readonly<Record<string, unknown>>,
): Promise<readonly Finding[]> {
  const token = await sign(judge, header, JSON.stringify(claims));
  return (
    await validateSet(token, { ...expectations(profile, WRAPPER_ISSUER, WRAPPER_AUDIENCE), keys: judge.keys })
  ).findings;
}

export function judgeSubject(
  judge: Judge,
  v: SubjectVector,
  profile: ProfileName,
): Promise<readonly Finding[]> {
  return judgeWrapped(judge, wrapperClaims(v.subject), profile);
}

export function judgeFragment(
  judge: Judge,
  v: FragmentVector,
  profile: ProfileName,
): Promise<readonly Finding[]> {
  if (v.eventType !== EVENT_URIS.sessionRevoked)
    throw new TypeError(`${v.id}: fragments are wrapped in session-revoked only, not ${v.eventType}`);
  return judgeWrapped(
    judge,
    wrapperClaims(WRAPPER_SUBJECT, { ...SESSION_REVOKED, ...v.fragment }),
    profile,
    v.header,
  );
}

/** The schema's verdict on a wire object: the instance paths it fails at (an array body is judged item by item). */
export function wireErrorPaths(v: WireVector): string[] {
  const items: readonly [string, unknown][] = v.each
    ? (v.body as unknown[]).map((item, i) => [`/${i}`, item] as const)
    : [['', v.body]];
  const paths = new Set<string>();
  for (const [prefix, item] of items)
    for (const e of validateWithSchema(v.schemaId, item).errors) paths.add(`${prefix}${e.path}`);
  return [...paths].sort();
}
