/**
 * Who may use the console: whoever holds the lab admin token — the same secret the `/_lab/` controls ask
 * for, since the console drives them. A request is let in with `Authorization: Bearer <token>` (a script)
 * or with the session cookie a sign-in gave (a browser).
 *
 * Sign-in: the link the lab prints, `<console>/?token=<token>`, answers a 303 to `/` that sets the cookie,
 * so the token leaves the address bar at once (a redirect leaves no history entry) and is never in a page,
 * the cookie or a log. The cookie carries a random session id, not the token: HttpOnly (no script reads
 * it), SameSite=Strict (no other site's page sends it), Secure on https. Sessions are kept in memory, a
 * bounded number of them; the console's stop forgets them all.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { rememberIssuedSecret } from '../kernel/index.ts';

export const SESSION_COOKIE = 'ssf_lab_console';
/** Sessions kept at once; the oldest goes when a sign-in would pass it. */
export const MAX_SESSIONS = 64;
/** How long a browser stays signed in (the cookie's Max-Age too). */
export const SESSION_SECONDS = 12 * 60 * 60;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compared by their hashes, in constant time: the length of a guess tells nothing either. */
function same(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** A cookie header's value for `name`, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class ConsoleAuth {
  readonly #token: string;
  readonly #secure: boolean;
  /** Session id → when it ends (ms). */
  readonly #sessions = new Map<string, number>();

  constructor(token: string, options: { secure: boolean }) {
    this.#token = token;
    this.#secure = options.secure;
  }

  /** Whether `token` is the admin token. */
  isToken(token: string): boolean {
    return same(token, this.#token);
  }

  /** Whether a request with these headers may use the console. */
  allows(headers: { authorization?: string | undefined; cookie?: string | undefined }): boolean {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer !== undefined && this.isToken(bearer)) return true;
    const session = cookieValue(headers.cookie, SESSION_COOKIE);
    if (session === undefined) return false;
    const until = this.#sessions.get(session);
    if (until === undefined) return false;
    if (until < Date.now()) {
      this.#sessions.delete(session);
      return false;
    }
    return true;
  }

  /** A new session: the Set-Cookie header value that carries it. */
  signIn(): string {
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    const id = rememberIssuedSecret(randomBytes(32).toString('base64url'));
    this.#sessions.set(id, Date.now() + SESSION_SECONDS * 1000);
    return [
      `${SESSION_COOKIE}=${id}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${SESSION_SECONDS}`,
      ...(this.#secure ? ['Secure'] : []),
    ].join('; ');
  }

  /** Forgets every session (the console stopping). */
  clear(): void {
    this.#sessions.clear();
  }
}
