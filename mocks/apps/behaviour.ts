/**
 * Lab switches that make an app fail Universal Logout on purpose, so a scenario can show what Okta does
 * when an app cannot log a user out. `failWith: 422` is the draft's "Unable to log out the user"
 * (draft-parecki-oauth-global-token-revocation-05 §3.4.2); 500 and 503 stand for an app that is broken or
 * down. The failure applies after the request authenticated and the user was found — exactly where a real
 * app would try, and fail, to revoke — for every user, or only for the listed emails.
 */
import { emailKey } from './directory.ts';
import { badRequest } from './errors.ts';

export const FORCIBLE_STATUSES = [422, 500, 503] as const;
export type ForcibleStatus = (typeof FORCIBLE_STATUSES)[number];

export interface Behaviour {
  /** Status every matching request is answered with instead of logging the user out; null = behave. */
  readonly failWith: ForcibleStatus | null;
  /** Only these users (emails, compared case-insensitively); null = everyone. */
  readonly emails: readonly string[] | null;
}

export const NORMAL_BEHAVIOUR: Behaviour = { failWith: null, emails: null };

/** Reads a `PUT /_lab/behaviour` body; 400 naming the member that is wrong. */
export function parseBehaviour(body: unknown): Behaviour {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a JSON object like {"failWith": 422, "emails": ["pat@acme.example"]}');
  const o = body as Record<string, unknown>;
  const extra = Object.keys(o).find((k) => k !== 'failWith' && k !== 'emails');
  if (extra !== undefined)
    throw badRequest(`unknown member "${extra.slice(0, 40)}"; use failWith and emails`);
  const failWith = o.failWith ?? null;
  if (failWith !== null && !(FORCIBLE_STATUSES as readonly unknown[]).includes(failWith))
    throw badRequest(`failWith must be one of ${FORCIBLE_STATUSES.join(', ')} or null`);
  const emails = o.emails ?? null;
  if (emails !== null) {
    if (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string' || e.trim() === ''))
      throw badRequest('emails must be an array of email strings (or absent for every user)');
    if (emails.length > 10_000) throw badRequest('emails may list at most 10,000 users');
  }
  return {
    failWith: failWith as ForcibleStatus | null,
    emails: emails === null ? null : (emails as string[]).map(emailKey),
  };
}

/** The forced status for this user, if any. */
export function forcedFailure(behaviour: Behaviour, email: string): ForcibleStatus | null {
  if (behaviour.failWith === null) return null;
  if (behaviour.emails !== null && !behaviour.emails.includes(emailKey(email))) return null;
  return behaviour.failWith;
}
