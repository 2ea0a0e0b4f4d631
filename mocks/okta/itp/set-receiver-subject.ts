/**
 * Who a SET's event is about, as a user of the org's directory. Okta reads the subject inside the event
 * (`SecurityEventSubject`: `user` as an email identifier, `device` as an opaque one — events.md §5); this
 * mock also reads a top-level `sub_id` (SSF 1.0 §4.1.2) when the event's subject names no user: a complex
 * subject's `user`, or the identifier itself. An `email` identifier is the user whose login — or, failing
 * that, whose one primary email — is that address, ignoring case (Okta: "a valid sign-in email in the org");
 * an `iss_sub` identifier is the user whose Okta id is `sub` when `iss` is the org itself (the form Okta's own
 * transmitter uses). Anything else names nobody, and the event is dropped.
 */
import type { OktaOrg } from '../core/org.ts';
import type { OktaUser } from '../directory/directory.ts';

export interface EventSubject {
  /** The directory user, when the subject names one. */
  readonly user?: OktaUser;
  /** How the user was named, for the receipt (`email pat@…`, `iss_sub …`), when a user identifier exists. */
  readonly userIdentifier?: string;
  /** Where the identifier came from. */
  readonly via?: 'subject.user' | 'sub_id';
  /** The device's opaque id, when the subject names one. */
  readonly deviceId?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function userByEmail(org: OktaOrg, email: string): OktaUser | undefined {
  const lower = email.toLowerCase();
  const byLogin = org.directory.user(email);
  if (byLogin && byLogin.profile.login.toLowerCase() === lower) return byLogin;
  const byEmail = org.directory.users().filter((u) => u.profile.email.toLowerCase() === lower);
  return byEmail.length === 1 ? byEmail[0] : undefined;
}

function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function resolveIdentifier(
  org: OktaOrg,
  id: Json,
): { readonly user?: OktaUser; readonly identifier: string } | undefined {
  if (id.format === 'email' && typeof id.email === 'string')
    return { identifier: `email ${id.email}`, ...optionalUser(userByEmail(org, id.email)) };
  if (id.format === 'iss_sub' && typeof id.iss === 'string' && typeof id.sub === 'string') {
    const candidate = sameIssuer(id.iss, org.url) ? org.directory.user(id.sub) : undefined;
    return {
      identifier: `iss_sub ${id.iss} ${id.sub}`,
      ...optionalUser(candidate?.id === id.sub ? candidate : undefined),
    };
  }
  return undefined;
}

const optionalUser = (user: OktaUser | undefined): { readonly user?: OktaUser } => (user ? { user } : {});

/** The user and device an event of a SET is about. */
export function eventSubject(org: OktaOrg, event: unknown, claims: Json): EventSubject {
  const subject = isObject(event) && isObject(event.subject) ? event.subject : undefined;
  const subId = isObject(claims.sub_id) ? claims.sub_id : undefined;
  const complex = subId?.format === 'complex' ? subId : undefined;
  const device = isObject(subject?.device) ? subject.device : isObject(complex?.device) ? complex.device : {};
  const deviceId = typeof device.id === 'string' ? { deviceId: device.id } : {};

  if (isObject(subject?.user)) {
    const found = resolveIdentifier(org, subject.user);
    return found
      ? { ...optionalUser(found.user), userIdentifier: found.identifier, via: 'subject.user', ...deviceId }
      : deviceId;
  }
  const fromSubId = complex ? (isObject(complex.user) ? complex.user : undefined) : subId;
  const found = fromSubId ? resolveIdentifier(org, fromSubId) : undefined;
  return found
    ? { ...optionalUser(found.user), userIdentifier: found.identifier, via: 'sub_id', ...deviceId }
    : deviceId;
}
