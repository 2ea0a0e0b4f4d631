/**
 * TypeScript shapes of a decoded SET: its JOSE header and claims (RFC 8417 §2, SSF 1.0 §4).
 */
import type { SubjectIdentifier } from './subject-identifiers.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SetHeader {
  readonly alg: string;
  readonly typ?: string;
  readonly kid?: string;
  readonly [parameter: string]: unknown;
}

/** An event payload keyed by event type URI. */
export type SetEvents = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface SetClaims {
  readonly iss: string;
  readonly iat: number;
  readonly jti: string;
  readonly aud?: string | readonly string[];
  readonly txn?: string;
  readonly toe?: number;
  readonly sub_id?: SubjectIdentifier;
  readonly events: SetEvents;
  readonly [claim: string]: unknown;
}
