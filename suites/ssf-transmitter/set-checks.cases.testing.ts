/**
 * Failing cases for the SET checks every SET-receiving module makes (`setChecks`). Each case is a real
 * SET, signed and judged by `judgeSet` exactly as a module judges what reaches it (the `ssf` profile, the
 * transmitter's JWKS, the expected Issuer, audience and stream), that does one thing SSF forbids a
 * transmitter — so a case proves the whole path from the validator's rule to the plan's check. The same
 * SET without the misbehaviour (`cleanSet`) passes every SET check.
 */
import {
  buildSetClaims,
  EVENT_URIS,
  exampleEventFor,
  generateSigningKey,
  publicJwks,
  type SigningKey,
  type SubjectIdentifier,
  signSet,
} from '../../harness/protocol/index.ts';
import type { Check } from '../core/index.ts';
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { resolveOptions } from './options.ts';
import type { HasSets } from './set-checks.ts';
import { type Discovered, type JudgedSet, judgeSet } from './wire.ts';

export const SET_ISSUER = 'https://tx.example/iss1';
export const SET_AUDIENCE = 'urn:ssf-lab:receiver';
export const SET_STREAM = 's1';

/** The key the transmitter signs with and publishes, and a rotated one its jwks_uri does not list. */
const published: SigningKey = (await generateSigningKey('ES256', { kid: 'tx-published' })).key;
const unpublished: SigningKey = (await generateSigningKey('ES256', { kid: 'tx-unpublished' })).key;

const discovered: Discovered = {
  metadata: { issuer: SET_ISSUER, jwks_uri: `${SET_ISSUER}/jwks` },
  jwks: publicJwks(published),
};

/** The SETs a module receives: how, and which event. */
export interface SetShape {
  readonly via: 'push' | 'poll';
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly subId: Readonly<Record<string, unknown>>;
}

const stream = { format: 'opaque', id: SET_STREAM } as const;

/** A verification event answering a request (status, push, poll, retry). */
export const VERIFICATION_SET = (via: 'push' | 'poll'): SetShape => ({
  via,
  eventType: EVENT_URIS.verification,
  payload: { state: 'state-1' },
  subId: stream,
});

/** The Stream Updated event a transmitter sends when it pauses an inactive stream (inactivity). */
export const STREAM_UPDATED_SET: SetShape = {
  via: 'push',
  eventType: EVENT_URIS.streamUpdated,
  payload: { status: 'paused', reason: 'the receiver was inactive' },
  subId: stream,
};

/** A CAEP event the target was made to emit (events). */
export const DEVICE_COMPLIANCE_SET: SetShape = {
  via: 'push',
  eventType: EVENT_URIS.deviceComplianceChange,
  payload: exampleEventFor(EVENT_URIS.deviceComplianceChange).payload,
  subId: exampleEventFor(EVENT_URIS.deviceComplianceChange).subject,
};

type Claims = Record<string, unknown>;

interface Misbehaviour {
  /** The SET check it breaks: `transmitter-<module>-sets-<suffix>`. */
  readonly suffix: string;
  readonly why: string;
  readonly mentions: RegExp;
  readonly claims?: (c: Claims) => Claims;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly key?: SigningKey;
}

const MISBEHAVIOURS: readonly Misbehaviour[] = [
  {
    suffix: 'are-explicitly-typed',
    why: 'The SET is sent with the JOSE header "typ": "JWT" instead of "secevent+jwt".',
    mentions: /"typ" is "JWT"/,
    header: { typ: 'JWT' },
  },
  {
    suffix: 'have-no-sub',
    why: 'The SET carries the JWT "sub" claim besides "sub_id".',
    mentions: /carries "sub"/,
    claims: (c) => ({ ...c, sub: 'pat.doe@acme.example' }),
  },
  {
    suffix: 'have-no-exp',
    why: 'The SET carries an "exp" claim, as an access token would.',
    mentions: /carries "exp"/,
    claims: (c) => ({ ...c, exp: (c.iat as number) + 300 }),
  },
  {
    suffix: 'iss-is-the-issuer',
    why: 'The SET\'s "iss" has a trailing slash the Issuer does not have.',
    mentions: /"iss" is "https:\/\/tx\.example\/iss1\/" but the expected issuer/,
    claims: (c) => ({ ...c, iss: `${SET_ISSUER}/` }),
  },
  {
    suffix: 'aud-names-the-receiver',
    why: 'The SET is addressed to the transmitter\'s own Issuer, not to the receiver ("aud").',
    mentions: /"aud" does not name this receiver/,
    claims: (c) => ({ ...c, aud: SET_ISSUER }),
  },
  {
    suffix: 'signature-verifies',
    why: "The SET is signed with a rotated key that the transmitter's jwks_uri does not publish.",
    mentions: /the signature is invalid[\s\S]*kid "tx-unpublished"/,
    key: unpublished,
  },
  {
    suffix: 'meet-the-ssf-profile',
    why: 'The SET has no top-level "sub_id" naming its subject.',
    mentions: /no top-level "sub_id"/,
    claims: ({ sub_id: _s, ...c }) => c,
  },
  {
    suffix: 'meet-the-ssf-recommendations',
    why: 'The SET has no "txn" correlating it with its cause.',
    mentions: /no "txn"/,
    claims: ({ txn: _t, ...c }) => c,
  },
];

async function judged(shape: SetShape, m?: Misbehaviour): Promise<JudgedSet> {
  const claims = buildSetClaims({
    iss: SET_ISSUER,
    aud: SET_AUDIENCE,
    txn: 'txn-1',
    sub_id: shape.subId as SubjectIdentifier,
    events: { [shape.eventType]: shape.payload },
  });
  const token = await signSet(
    m?.claims ? m.claims(claims) : claims,
    m?.key ?? published,
    m?.header ? { header: m.header } : {},
  );
  return judgeSet(token, shape.via, discovered, resolveOptions({ issuer: SET_ISSUER, token: 'rx-token' }), {
    issuer: SET_ISSUER,
    audience: SET_AUDIENCE,
    streamId: SET_STREAM,
  });
}

/** The SET of `shape` with nothing wrong, judged: every SET check holds over it. */
export function cleanSet(shape: SetShape): Promise<JudgedSet> {
  return judged(shape);
}

/** The SET of `shape` with these JOSE header parameters, judged (e.g. the long-form "typ"). */
export function setWithHeader(
  shape: SetShape,
  header: Readonly<Record<string, unknown>>,
): Promise<JudgedSet> {
  return judged(shape, { suffix: 'none', why: 'a header variant', mentions: /./, header });
}

/**
 * One failing case per SET check in `checks` (the module's `…-sets-…` checks): `good` with `sets` holding
 * only the misbehaving SET.
 */
export async function setCheckCases<C extends HasSets>(
  checks: readonly Check<C>[],
  good: C,
  shape: SetShape,
): Promise<TransmitterCase[]> {
  const fails = casesFor(checks);
  const out: TransmitterCase[] = [];
  for (const m of MISBEHAVIOURS) {
    const check = checks.find((c) => c.id.endsWith(`-sets-${m.suffix}`));
    if (!check) throw new Error(`no SET check ends with -sets-${m.suffix}`);
    out.push(fails(check.id, { ...good, sets: [await judged(shape, m)] }, m.why, m.mentions));
  }
  return out;
}
