/**
 * The lab admin token: what every `/_lab/` control asks for. The controls bypass every credential in the
 * manifest — they list live Okta session ids, register Okta API service apps, make an app trust any
 * issuer, raise threats, take services down, switch on deviations — so on a machine others can reach, a
 * lab whose controls answer anyone can be turned against its own users.
 *
 * The gate sits in the lab's routing, once per transport (listen.ts `gateLabAdmin` in front of each
 * service's server on loopback; start-lab.ts around each in-process inject route), never in a mock's
 * routes, so no control — the lab's or a mock's, present or future — can be left out. Only the readiness
 * probe, `GET /_lab/ready`, stays open: it says nothing and changes nothing.
 *
 * The token travels as `Authorization: Bearer <token>`: no `/_lab/` route uses Authorization for anything
 * else (the mocks' controls are unauthenticated; a vendor credential sent to one is ignored), so the
 * standard header, which every HTTP client and curl sends easily and every recorder already redacts, is
 * free for it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { rememberLabCredential } from '../kernel/index.ts';
import type { Injectable } from '../ssf/index.ts';

/** The lab's readiness probe, on every service's port: the one `/_lab/` path the gate leaves open. */
export const READY_PATH = '/_lab/ready';

/** The realm a refusal names in `WWW-Authenticate`. */
export const LAB_ADMIN_REALM = 'ssf-lab';

/** A fresh random lab admin token (remembered as issued, so no recorder or report keeps it). */
export function newLabAdminToken(): string {
  return rememberLabCredential(randomBytes(32).toString('base64url'));
}

/**
 * Whether a request target is a lab control the token guards: its path, decoded, with repeated slashes
 * folded and in any case, starts with `/_lab` — so `/%5Flab/sessions`, `//_lab/sessions` or an
 * absolute-form `http://host/_lab/sessions`, which a router might still send to a control, are guarded
 * too. The readiness probe is not.
 */
export function isLabAdminPath(target: string): boolean {
  let path = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return true;
    }
  }
  path = path.split(/[?#]/, 1)[0] ?? '';
  if (path === READY_PATH) return false;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape is judged as sent.
  }
  return path
    .replace(/\/{2,}/g, '/')
    .toLowerCase()
    .startsWith('/_lab');
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether an Authorization header carries `token` as a Bearer credential — compared in constant time
 * over SHA-256 digests, so neither the token's length nor its content leaks through the answer's timing.
 */
export function carriesLabAdminToken(authorization: string | undefined, token: string): boolean {
  const given = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  // A digest is compared even when nothing was sent, so a missing header costs the same as a wrong one.
  return timingSafeEqual(digest(given ?? ''), digest(token)) && given !== undefined;
}

/** The refusal every guarded control answers without the token: 401, a JSON error, a Bearer challenge. */
export const LAB_ADMIN_REFUSAL = {
  status: 401,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'www-authenticate': `Bearer realm="${LAB_ADMIN_REALM}"`,
  },
  body: JSON.stringify({
    error: 'unauthorized',
    message:
      "the lab's /_lab/ controls need the lab admin token (the manifest's lab.adminToken): Authorization: Bearer <token>",
  }),
} as const;

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * An in-process route with the gate in front: a guarded control without the token is refused here and
 * never reaches the service.
 */
export function gateInjectable(inner: Injectable, token: string): Injectable {
  return {
    inject: async (request) => {
      if (
        isLabAdminPath(request.url) &&
        !carriesLabAdminToken(headerValue(request.headers, 'authorization'), token)
      )
        return {
          statusCode: LAB_ADMIN_REFUSAL.status,
          headers: { ...LAB_ADMIN_REFUSAL.headers },
          rawPayload: Buffer.from(LAB_ADMIN_REFUSAL.body),
        };
      return inner.inject(request);
    },
  };
}

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

/**
 * A fetch that sends the lab admin token with every request for a lab control on one of the lab's
 * `origins` (and sends nothing new anywhere else, so the token never leaves for a receiver or an outside
 * endpoint). A request that already names an Authorization is sent as it is: a caller testing the gate
 * (a wrong token, another service's credential) is not overridden.
 */
export function withLabAdminToken(
  inner: typeof fetch,
  origins: Iterable<string>,
  token: string | undefined,
): typeof fetch {
  if (token === undefined) return inner;
  const own = new Set([...origins].map((o) => new URL(o).origin));
  return (input, init) => {
    const url = urlOf(input);
    if (!own.has(url.origin) || !isLabAdminPath(url.pathname)) return inner(input, init);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
    if (headers.has('authorization')) return inner(input, init);
    headers.set('authorization', `Bearer ${token}`);
    return inner(input, { ...init, headers });
  };
}

/** Every origin a manifest names (its services and apps): where its admin token may be sent. */
export function manifestOrigins(manifest: {
  readonly okta: { readonly url: string };
  readonly jamfPro?: { readonly url: string };
  readonly jamfSecurityCloud?: { readonly url: string };
  readonly apps: readonly { readonly url: string }[];
}): string[] {
  const urls = [manifest.okta.url, manifest.jamfPro?.url, manifest.jamfSecurityCloud?.url];
  for (const app of manifest.apps) urls.push(app.url);
  return urls.flatMap((url) => (url !== undefined && URL.canParse(url) ? [new URL(url).origin] : []));
}
