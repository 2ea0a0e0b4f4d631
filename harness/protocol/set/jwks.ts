/**
 * Where verification keys come from: a JWKS held in memory, or one fetched from a URL (the transmitter's
 * `jwks_uri`). A remote set is cached, refetched at most once when a SET names an unknown `kid` (key
 * rotation), and fetched under a time limit and a size limit so a hanging or hostile endpoint cannot stall
 * or flood the receiver. Failures are returned as values for the validator to turn into findings.
 */
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { BODY_CAPS, BodyTooLargeError, type Clock, readBodyBytes, systemClock } from '../../kernel/index.ts';
import { excerpt } from '../findings.ts';
import { isJsonObject, parseStrictJson } from '../json/strict-json.ts';

export interface KeyQuery {
  readonly alg: string;
  readonly kid?: string;
}

export interface CandidateKey {
  readonly jwk: JWK;
  readonly key: CryptoKey | Uint8Array;
}

export type KeyProblem = 'no-matching-key' | 'unavailable' | 'invalid-jwks';

export type KeyLookup =
  | { readonly ok: true; readonly keys: readonly CandidateKey[] }
  | { readonly ok: false; readonly problem: KeyProblem; readonly message: string };

export interface KeySource {
  /** Where the keys come from, for messages (a URL or "in-memory JWKS"). */
  readonly description: string;
  keysFor(query: KeyQuery): Promise<KeyLookup>;
}

export interface JwkSet {
  readonly keys: readonly JWK[];
}

export type JwksParse =
  | { readonly ok: true; readonly jwks: JwkSet }
  | { readonly ok: false; readonly message: string };

/** Checks the RFC 7517 §5 shape: an object whose "keys" is an array of objects with a "kty". */
export function parseJwks(value: unknown): JwksParse {
  if (!isJsonObject(value)) return { ok: false, message: 'the JWKS is not a JSON object' };
  if (!Array.isArray(value.keys)) return { ok: false, message: 'the JWKS has no "keys" array' };
  for (const [i, key] of value.keys.entries()) {
    if (!isJsonObject(key) || typeof key.kty !== 'string') {
      return { ok: false, message: `JWKS key #${i} is not a JWK with a "kty"` };
    }
    if ('d' in key || ('k' in key && key.kty === 'oct')) {
      return {
        ok: false,
        message: `JWKS key #${i} contains private or secret key material; a published JWKS holds public keys only`,
      };
    }
  }
  return { ok: true, jwks: value as unknown as JwkSet };
}

/** The JWK key type (and curve) each JWS algorithm needs. */
function keyTypeFor(alg: string): { kty: string; crv?: readonly string[] } | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return { kty: 'RSA' };
  if (alg === 'ES256') return { kty: 'EC', crv: ['P-256'] };
  if (alg === 'ES384') return { kty: 'EC', crv: ['P-384'] };
  if (alg === 'ES512') return { kty: 'EC', crv: ['P-521'] };
  if (alg === 'Ed25519') return { kty: 'OKP', crv: ['Ed25519'] };
  if (alg === 'EdDSA') return { kty: 'OKP', crv: ['Ed25519', 'Ed448'] };
  if (/^HS(256|384|512)$/.test(alg)) return { kty: 'oct' };
  return undefined;
}

export function matchingKeys(jwks: JwkSet, query: KeyQuery): JWK[] {
  const type = keyTypeFor(query.alg);
  if (!type) return [];
  return jwks.keys.filter(
    (k) =>
      (query.kid === undefined || k.kid === query.kid) &&
      k.kty === type.kty &&
      (type.crv === undefined || (typeof k.crv === 'string' && type.crv.includes(k.crv))) &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === query.alg) &&
      (k.key_ops === undefined || k.key_ops.includes('verify')),
  );
}

const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

/** Imports a JWK for `alg` once; later lookups reuse the imported key. */
function importCached(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(jwk);
  if (!byAlg) {
    byAlg = new Map();
    imported.set(jwk, byAlg);
  }
  let key = byAlg.get(alg);
  if (!key) {
    key = importJWK(jwk, alg);
    byAlg.set(alg, key);
    // A JWK that cannot be imported must not poison the cache for a corrected retry.
    key.catch(() => byAlg.delete(alg));
  }
  return key;
}

async function candidates(jwks: JwkSet, query: KeyQuery): Promise<KeyLookup> {
  const matches = matchingKeys(jwks, query);
  if (matches.length === 0) return noMatch(jwks, query);
  const keys: CandidateKey[] = [];
  const problems: string[] = [];
  // A JWKS without kids may offer several keys of the right type; try a bounded number of them.
  for (const jwk of matches.slice(0, 5)) {
    try {
      keys.push({ jwk, key: await importCached(jwk, query.alg) });
    } catch (error) {
      problems.push(`key ${jwk.kid ?? '(no kid)'}: ${(error as Error).message}`);
    }
  }
  if (keys.length === 0)
    return { ok: false, problem: 'invalid-jwks', message: `no usable key: ${problems.join('; ')}` };
  return { ok: true, keys };
}

function noMatch(jwks: JwkSet, query: KeyQuery): KeyLookup {
  const type = keyTypeFor(query.alg);
  // The kid and alg come from the token: shorten them so a finding never carries a huge attacker string.
  const kid = query.kid === undefined ? 'no "kid"' : `kid "${String(excerpt(query.kid))}"`;
  const kids = jwks.keys.map((k) => k.kid ?? '(no kid)').join(', ') || 'none';
  const reason =
    type === undefined
      ? `"${String(excerpt(query.alg))}" is not a JWS algorithm ssf-lab knows`
      : `no ${type.kty} key for ${query.alg} with ${kid}`;
  return { ok: false, problem: 'no-matching-key', message: `${reason} in the JWKS (its keys: ${kids})` };
}

/** A key source over a JWKS already in memory. */
export function jwksFromObject(jwks: JwkSet, description = 'in-memory JWKS'): KeySource {
  return { description, keysFor: (query) => candidates(jwks, query) };
}

export interface RemoteJwksOptions {
  readonly fetch?: typeof fetch;
  /** Abort a fetch that takes longer than this (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Refuse a JWKS body larger than this (default BODY_CAPS.jwks, 256 KiB). */
  readonly maxBytes?: number;
  /** Refetch a cached JWKS after this long (default 10 minutes). */
  readonly cacheMaxAgeMs?: number;
  /** Do not refetch for an unknown kid more often than this (default 30 s), so forged kids cannot flood the JWKS host. */
  readonly cooldownMs?: number;
  /** After a failed fetch, wait this long before trying again (default 5 s), so an outage is not hammered. */
  readonly retryAfterFailureMs?: number;
  readonly clock?: Clock;
}

export type JwksFetchResult =
  | { readonly ok: true; readonly jwks: JwkSet }
  | { readonly ok: false; readonly problem: 'unavailable' | 'invalid-jwks'; readonly message: string };

/** Fetches and parses a JWKS once, bounded in time and size. */
export async function fetchJwks(url: string, options: RemoteJwksOptions = {}): Promise<JwksFetchResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? BODY_CAPS.jwks;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  let body: Uint8Array;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    response = await doFetch(url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      signal,
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, problem: 'unavailable', message: `GET ${url} answered HTTP ${response.status}` };
    }
    // Refused on a declared length over the cap, or cancelled the moment the stream passes it.
    body = await readBodyBytes(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return {
        ok: false,
        problem: 'invalid-jwks',
        message: `the JWKS at ${url} is larger than ${maxBytes} bytes`,
      };
    const e = error as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const why = timedOut
      ? `did not answer within ${timeoutMs} ms`
      : `failed: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`;
    return { ok: false, problem: 'unavailable', message: `GET ${url} ${why}` };
  }
  const text = new TextDecoder().decode(body);
  const contentType = response.headers.get('content-type') ?? '(none)';
  const parsed = parseStrictJson(text, 16);
  if (!parsed.ok) {
    const looksHtml = /^\s*</.test(text);
    const what = looksHtml
      ? `HTML (content-type ${contentType})`
      : `text that is not JSON (content-type ${contentType})`;
    return {
      ok: false,
      problem: 'invalid-jwks',
      message: `the JWKS URL ${url} returned ${what}, not a JWK Set`,
    };
  }
  const jwks = parseJwks(parsed.value);
  if (!jwks.ok) return { ok: false, problem: 'invalid-jwks', message: `${jwks.message} (from ${url})` };
  return { ok: true, jwks: jwks.jwks };
}

/** A key source over a remote JWKS: cached, refetched once on an unknown kid, bounded in time and size. */
export function jwksFromUrl(
  url: string,
  options: RemoteJwksOptions = {},
): KeySource & { refresh(): Promise<JwksFetchResult> } {
  const clock = options.clock ?? systemClock;
  const maxAge = options.cacheMaxAgeMs ?? 10 * 60_000;
  const cooldown = options.cooldownMs ?? 30_000;
  const retryAfterFailure = options.retryAfterFailureMs ?? 5_000;
  let cached: { jwks: JwkSet; at: number } | undefined;
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  let lastFailure: (JwksFetchResult & { ok: false }) | undefined;
  let inFlight: Promise<JwksFetchResult> | undefined;

  const refresh = (): Promise<JwksFetchResult> => {
    // Concurrent SETs share one fetch.
    inFlight ??= fetchJwks(url, options).then((result) => {
      lastFetchAt = clock.now();
      if (result.ok) cached = { jwks: result.jwks, at: lastFetchAt };
      lastFailure = result.ok ? undefined : result;
      inFlight = undefined;
      return result;
    });
    return inFlight;
  };

  /** A recent failure is answered from memory instead of fetching again. */
  const backingOff = (): boolean =>
    lastFailure !== undefined && clock.now() - lastFetchAt < retryAfterFailure;

  return {
    description: url,
    refresh,
    async keysFor(query) {
      if (!cached || clock.now() - cached.at > maxAge) {
        // Stale keys keep working through an outage; without any, the last failure is the answer.
        const result = backingOff() ? (lastFailure as JwksFetchResult) : await refresh();
        if (!result.ok && !cached) return result;
      }
      const current = cached as { jwks: JwkSet; at: number };
      const first = await candidates(current.jwks, query);
      if (first.ok || first.problem !== 'no-matching-key') return first;
      // Unknown kid: the transmitter may have rotated its key. Refetch once, unless we just did.
      if (clock.now() - lastFetchAt < cooldown) return first;
      const result = await refresh();
      if (!result.ok) return result;
      return candidates(result.jwks, query);
    },
  };
}
