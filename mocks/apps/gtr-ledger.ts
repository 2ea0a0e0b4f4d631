/**
 * The record of every Global Token Revocation request an app received, for the lab's timeline: when, the
 * status answered, what happened, whose subject, which JWT (`jti`, `alg`, `kid`). Never the Authorization
 * header or the token (ARCHITECTURE principle 8): nothing here could be replayed. Keeps the latest 1,000
 * records; `total` and the per-status counts keep counting past that.
 */
import type { SubjectKey, SubjectRef } from './gtr-request.ts';
import type { RevocationCounts } from './sessions.ts';

export type GtrOutcome =
  /** 204: sessions, access tokens and refresh tokens revoked. */
  | 'logged-out'
  /** 204 from a partial app: refresh tokens revoked; sessions and access tokens run until they expire. */
  | 'refresh-tokens-revoked'
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'user-not-found'
  | 'cannot-log-out'
  /** A lab-forced 500 or 503. */
  | 'forced-failure'
  /** 503: the Okta org's JWKS could not be fetched. */
  | 'unavailable'
  | 'method-not-allowed'
  /** 500 not asked for by the lab: a bug in the mock. */
  | 'mock-error'
  /** Answered as a lab deviation said (APP_DEVIATIONS): what a conforming app would not have answered. */
  | 'deviation';

export interface GtrRecord {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  /** When the request arrived (ISO 8601, the app's clock). */
  readonly at: string;
  readonly status: number;
  readonly outcome: GtrOutcome;
  /** The error code of the answer (absent on 204). */
  readonly error?: string;
  readonly errorDescription?: string;
  /** Which member carried the subject. */
  readonly subjectKey?: SubjectKey;
  readonly subject?: SubjectRef;
  /** The app user the subject resolved to. */
  readonly user?: string;
  readonly jti?: string;
  readonly alg?: string;
  readonly kid?: string;
  readonly revoked?: RevocationCounts;
}

/** The bounded list of records plus counters that survive the bound. */
export class GtrLedger {
  readonly #cap: number;
  #records: GtrRecord[] = [];
  #total = 0;
  #byStatus: Record<string, number> = {};

  constructor(cap = 1000) {
    this.#cap = cap;
  }

  nextSeq(): number {
    this.#total += 1;
    return this.#total;
  }

  add(record: GtrRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#cap) this.#records.splice(0, this.#records.length - this.#cap);
    const key = String(record.status);
    this.#byStatus[key] = (this.#byStatus[key] ?? 0) + 1;
  }

  list(): readonly GtrRecord[] {
    return this.#records;
  }

  summary(): { total: number; kept: number; byStatus: Readonly<Record<string, number>> } {
    return { total: this.#total, kept: this.#records.length, byStatus: { ...this.#byStatus } };
  }

  clear(): void {
    this.#records = [];
    this.#total = 0;
    this.#byStatus = {};
  }
}
