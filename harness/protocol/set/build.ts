/**
 * Building and signing SETs. `buildSetClaims` stamps `jti` and `iat` from injected sources; `signSet`
 * signs any claims object exactly as given (no claims are added, so a test can build a deliberately
 * broken SET); `buildEventSet` places the subject where the profile expects it.
 */
import { CompactSign } from 'jose';
import { type Clock, type IdSource, randomIds, secondsNow, systemClock } from '../../kernel/index.ts';
import type { SubjectIdentifier } from '../types/subject-identifiers.ts';
import type { SigningKey } from './keys.ts';
import { nodeJwsHandles, signInputWithNode } from './node-jws.ts';

export interface SetClaimsInput {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly events: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly sub_id?: SubjectIdentifier;
  readonly txn?: string;
  readonly jti?: string;
  readonly iat?: number;
  readonly toe?: number;
}

export interface StampOptions {
  readonly clock?: Clock;
  readonly ids?: IdSource;
}

/** Claims for a SET: the input plus a fresh `jti` and the current `iat` unless given. */
export function buildSetClaims(input: SetClaimsInput, options: StampOptions = {}): Record<string, unknown> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const claims: Record<string, unknown> = {
    iss: input.iss,
    jti: input.jti ?? ids(),
    iat: input.iat ?? secondsNow(clock),
    aud: input.aud,
  };
  if (input.txn !== undefined) claims.txn = input.txn;
  if (input.toe !== undefined) claims.toe = input.toe;
  if (input.sub_id !== undefined) claims.sub_id = input.sub_id;
  claims.events = input.events;
  return claims;
}

export type SubjectPlacement = 'sub_id' | 'in-event' | 'both';

export interface EventSetInput {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The subject: for `in-event` placement, Okta's `{user, device}` shape or an identifier. */
  readonly subject?: Readonly<Record<string, unknown>>;
  /** `sub_id` for SSF 1.0, `in-event` for Okta's receiver, `both` for legacy CAEP/RISC compatibility. */
  readonly placement?: SubjectPlacement;
  readonly txn?: string;
  readonly jti?: string;
  readonly iat?: number;
}

/** A one-event SET with the subject placed as the receiver expects. */
export function buildEventSet(input: EventSetInput, options: StampOptions = {}): Record<string, unknown> {
  const placement = input.placement ?? 'sub_id';
  const payload: Record<string, unknown> = { ...input.payload };
  if (input.subject !== undefined && placement !== 'sub_id') payload.subject = input.subject;
  return buildSetClaims(
    {
      iss: input.iss,
      aud: input.aud,
      events: { [input.eventType]: payload },
      ...(input.subject !== undefined && placement !== 'in-event'
        ? { sub_id: input.subject as SubjectIdentifier }
        : {}),
      ...(input.txn === undefined ? {} : { txn: input.txn }),
      ...(input.jti === undefined ? {} : { jti: input.jti }),
      ...(input.iat === undefined ? {} : { iat: input.iat }),
    },
    options,
  );
}

export interface SignOptions {
  /** Extra or replacement header parameters (e.g. a wrong `typ` for a negative test). */
  readonly header?: Readonly<Record<string, unknown>>;
}

const encoder = new TextEncoder();

/** What jose puts on the wire for a JSON text: its UTF-8 bytes, base64url-encoded. */
const utf8Base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Signs `claims` as a compact JWS with `typ: secevent+jwt` and the key's `kid` and `alg`. */
export async function signSet(claims: object, key: SigningKey, options: SignOptions = {}): Promise<string> {
  const header = { alg: key.alg, typ: 'secevent+jwt', kid: key.kid, ...options.header };
  // The usual case is signed on node:crypto, off the event loop (node-jws.ts); a header that changes the
  // algorithm or adds crit/b64 goes through jose, which checks it against the key.
  if (header.alg === key.alg && nodeJwsHandles(header)) {
    const input = `${utf8Base64url(JSON.stringify(header))}.${utf8Base64url(JSON.stringify(claims))}`;
    const signature = signInputWithNode(input, key.alg, key.privateKey);
    if (signature !== undefined) return `${input}.${await signature}`;
  }
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader(header as { alg: string })
    .sign(key.privateKey);
}
