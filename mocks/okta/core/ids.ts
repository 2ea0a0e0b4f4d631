/**
 * Okta-shaped identifiers and secrets. Okta object ids are 20 characters: a type prefix (`00u` users, `00g`
 * groups, `0oa` apps, `oty` user types, `oag` grants…) and base-62 characters (vendor-apis.md §1.3). The mock
 * derives them from a hash, so the same fleet seed gives the same user and group ids in every run and the
 * injected id source makes everything created later reproducible too. Secrets — API tokens, access, refresh
 * and session tokens, codes, session ids — are never derived: they come from node:crypto.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rememberIssuedSecret } from '../../../harness/kernel/index.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += BASE62[(bytes[i % bytes.length] ?? 0) % 62];
  return out;
}

/** A 20-character Okta id with `prefix`, derived from `seed` (equal seeds, equal ids). */
export function oktaId(prefix: string, seed: string): string {
  return prefix + base62(createHash('sha256').update(seed).digest(), 20 - prefix.length);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `raw` when it is a UUID (the default id source's output), else a UUID-shaped value derived from it. */
export function uuidFrom(raw: string): string {
  if (UUID.test(raw)) return raw.toLowerCase();
  const h = createHash('sha256').update(raw).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An unguessable token: `prefix` and `bytes` random bytes in base64url. */
export function secretToken(prefix = '', bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

/**
 * A credential the org hands out (API token, session id, session token, code, refresh token, client
 * secret): a `secretToken` also remembered as issued, so that every recorder redacts it by value wherever
 * it later appears (harness/kernel/issued-secrets.ts). Request ids and `jti`s are not credentials.
 */
export function issuedSecret(prefix = '', bytes = 32): string {
  return rememberIssuedSecret(secretToken(prefix, bytes));
}

/** Base-62 text of `length` characters derived from `seed` (request and error ids). */
export function derivedText(seed: string, length: number): string {
  return base62(createHash('sha512').update(seed).digest(), length);
}
