/**
 * Key sources: fetching a JWKS from a real HTTP server on 127.0.0.1 (time limit, size limit, shape and
 * private-key checks), caching and key rotation in `jwksFromUrl`, key selection in `jwksFromObject`, and
 * the validator verifying a real SET against a served JWKS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { fixedClock } from '../../kernel/index.ts';
import { EVENT_URIS } from '../event-types.ts';
import { expectationsFor, validClaims } from '../validator/corpus.testing.ts';
import { validateSet } from '../validator/validate-set.ts';
import { signSet } from './build.ts';
import {
  fetchJwks,
  type JwkSet,
  type JwksFetchResult,
  jwksFromObject,
  jwksFromUrl,
  type KeyLookup,
  matchingKeys,
  parseJwks,
} from './jwks.ts';
import { generateSigningKey, publicJwks, type SigningKey } from './keys.ts';

interface Keys {
  readonly rsa1: SigningKey;
  readonly rsa2: SigningKey;
  readonly ec: SigningKey;
  readonly ed: SigningKey;
  readonly rsaPrivateJwk: JWK;
}

let keys: Keys;
beforeAll(async () => {
  const [rsa1, rsa2, ec, ed] = await Promise.all([
    generateSigningKey('RS256', { kid: 'rsa-1' }),
    generateSigningKey('RS256', { kid: 'rsa-2' }),
    generateSigningKey('ES256', { kid: 'ec-1' }),
    generateSigningKey('EdDSA', { kid: 'ed-1' }),
  ]);
  keys = { rsa1: rsa1.key, rsa2: rsa2.key, ec: ec.key, ed: ed.key, rsaPrivateJwk: rsa1.privateJwk };
});

// ---- a real HTTP server on 127.0.0.1 ------------------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface LocalServer {
  readonly url: string;
  /** Requests received so far. */
  hits(): number;
  /** Request headers of the latest request. */
  lastHeaders(): IncomingMessage['headers'] | undefined;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  return address.port;
}

async function serve(handler: Handler): Promise<LocalServer> {
  let hits = 0;
  let headers: IncomingMessage['headers'] | undefined;
  const server = createServer((req, res) => {
    hits += 1;
    headers = req.headers;
    handler(req, res);
  });
  servers.push(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/jwks.json`, hits: () => hits, lastHeaders: () => headers };
}

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/jwk-set+json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A server whose JWKS the test can swap (key rotation) or break (outage). */
async function serveJwks(
  initial: JwkSet,
): Promise<LocalServer & { set(jwks: JwkSet): void; fail(status: number): void }> {
  let current: JwkSet = initial;
  let failing: number | undefined;
  const server = await serve((_req, res) => {
    if (failing === undefined) sendJson(res, current);
    else sendJson(res, { error: 'down' }, failing);
  });
  return {
    ...server,
    set: (jwks) => {
      current = jwks;
      failing = undefined;
    },
    fail: (status) => {
      failing = status;
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens any more. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/jwks.json`;
}

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

function kidsOf(lookup: KeyLookup): (string | undefined)[] {
  return lookup.ok ? lookup.keys.map((k) => k.jwk.kid) : [];
}

function failureOf(result: JwksFetchResult | KeyLookup): { problem: string; message: string } | undefined {
  return result.ok ? undefined : { problem: result.problem, message: result.message };
}

// ---- fetchJwks ----------------------------------------------------------------------------------------

test('fetchJwks returns the keys a 200 response carries and asks for a JWK Set', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1, keys.ec));
  const result = await fetchJwks(server.url);
  expect(result.ok && result.jwks.keys.map((k) => k.kid)).toEqual(['rsa-1', 'ec-1']);
  expect(result.ok && result.jwks.keys[0]).toEqual(keys.rsa1.publicJwk);
  expect(server.lastHeaders()?.accept).toBe('application/jwk-set+json, application/json');
  expect(server.hits()).toBe(1);
});

test('fetchJwks reports a 404 as unavailable with the status in the message', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  const result = await fetchJwks(server.url);
  expect(failureOf(result)).toEqual({
    problem: 'unavailable',
    message: `GET ${server.url} answered HTTP 404`,
  });
});

test('fetchJwks gives up on a server that accepts the connection but never answers', async () => {
  const server = await serve(() => {
    // Never respond.
  });
  const started = performance.now();
  const result = await fetchJwks(server.url, { timeoutMs: 200 });
  const elapsed = performance.now() - started;
  expect(failureOf(result)).toEqual({
    problem: 'unavailable',
    message: `GET ${server.url} did not answer within 200 ms`,
  });
  expect(server.hits()).toBe(1);
  expect(elapsed).toBeGreaterThanOrEqual(150);
  expect(elapsed).toBeLessThan(3000);
});

test('fetchJwks gives up on a server that sends headers and then stalls the body', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"keys":[');
  });
  const started = performance.now();
  const result = await fetchJwks(server.url, { timeoutMs: 200 });
  expect(failureOf(result)).toEqual({
    problem: 'unavailable',
    message: `GET ${server.url} did not answer within 200 ms`,
  });
  expect(performance.now() - started).toBeLessThan(3000);
});

test('fetchJwks refuses an HTML page and says it is HTML with its content type', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body><form>Sign in</form></body></html>');
  });
  const result = await fetchJwks(server.url);
  expect(failureOf(result)).toEqual({
    problem: 'invalid-jwks',
    message: `the JWKS URL ${server.url} returned HTML (content-type text/html; charset=utf-8), not a JWK Set`,
  });
});

test('fetchJwks refuses text that is not JSON', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('keys: none');
  });
  const result = await fetchJwks(server.url);
  expect(failureOf(result)?.problem).toBe('invalid-jwks');
  expect(failureOf(result)?.message).toContain('text that is not JSON (content-type text/plain)');
});

test('fetchJwks refuses a body whose Content-Length exceeds maxBytes and releases the connection', async () => {
  let released: Promise<void> = Promise.resolve();
  const server = await serve((_req, res) => {
    released = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1_000_000) });
    // Send part of the declared body and keep the response open.
    res.write(`{"keys":[${' '.repeat(4096)}`);
  });
  const result = await fetchJwks(server.url, { maxBytes: 1024, timeoutMs: 5000 });
  expect(failureOf(result)).toEqual({
    problem: 'invalid-jwks',
    message: `the JWKS at ${server.url} is larger than 1024 bytes`,
  });
  expect(await settlesWithin(released, 2000)).toBe(true);
});

test('fetchJwks stops reading an endless chunked body once it passes maxBytes', async () => {
  let sent = 0;
  let released: Promise<void> = Promise.resolve();
  const server = await serve((_req, res) => {
    released = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"keys":[');
    const timer = setInterval(() => {
      if (res.destroyed || sent > 50_000_000) {
        clearInterval(timer);
        return;
      }
      res.write(' '.repeat(512));
      sent += 512;
    }, 2);
    res.on('close', () => clearInterval(timer));
  });
  const result = await fetchJwks(server.url, { maxBytes: 4096, timeoutMs: 5000 });
  expect(failureOf(result)).toEqual({
    problem: 'invalid-jwks',
    message: `the JWKS at ${server.url} is larger than 4096 bytes`,
  });
  expect(await settlesWithin(released, 2000)).toBe(true);
  expect(sent).toBeLessThan(1_000_000);
});

test('fetchJwks accepts a body of exactly maxBytes with and without a Content-Length', async () => {
  const json = JSON.stringify(publicJwks(keys.ec));
  const maxBytes = json.length + 100;
  const body = json + ' '.repeat(maxBytes - json.length);
  const declared = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  });
  const chunked = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(body.slice(0, 50));
    res.end(body.slice(50));
  });
  expect((await fetchJwks(declared.url, { maxBytes })).ok).toBe(true);
  expect((await fetchJwks(chunked.url, { maxBytes })).ok).toBe(true);
  expect(failureOf(await fetchJwks(declared.url, { maxBytes: maxBytes - 1 }))?.message).toContain(
    'larger than',
  );
  expect(failureOf(await fetchJwks(chunked.url, { maxBytes: maxBytes - 1 }))?.message).toContain(
    'larger than',
  );
});

test.each([
  ['an object without "keys"', '{"foo":1}', 'the JWKS has no "keys" array'],
  ['a key without "kty"', '{"keys":[{"n":"x"}]}', 'JWKS key #0 is not a JWK with a "kty"'],
  ['"keys" that is not an array', '{"keys":{"kty":"RSA"}}', 'the JWKS has no "keys" array'],
  ['a key that is not an object', '{"keys":[{"kty":"EC"},"RSA"]}', 'JWKS key #1 is not a JWK with a "kty"'],
  ['a top-level array', '[{"kty":"RSA"}]', 'the JWKS is not a JSON object'],
  ['a top-level null', 'null', 'the JWKS is not a JSON object'],
])('fetchJwks refuses JSON that is not a JWK Set: %s', async (_name, body, message) => {
  const server = await serve((_req, res) => sendJson(res, body));
  const result = await fetchJwks(server.url);
  expect(failureOf(result)).toEqual({ problem: 'invalid-jwks', message: `${message} (from ${server.url})` });
});

test('fetchJwks refuses JSON nested deeper than a JWK Set can be', async () => {
  const server = await serve((_req, res) => sendJson(res, `{"keys":[${'['.repeat(40)}${']'.repeat(40)}]}`));
  const result = await fetchJwks(server.url);
  expect(failureOf(result)?.problem).toBe('invalid-jwks');
});

test('fetchJwks refuses a JWKS that publishes a private key ("d")', async () => {
  const server = await serve((_req, res) => sendJson(res, { keys: [keys.ec.publicJwk, keys.rsaPrivateJwk] }));
  const result = await fetchJwks(server.url);
  expect(failureOf(result)).toEqual({
    problem: 'invalid-jwks',
    message: `JWKS key #1 contains private or secret key material; a published JWKS holds public keys only (from ${server.url})`,
  });
});

test('parseJwks refuses a symmetric key ("k") and accepts the same set without it', () => {
  const secret: JWK = { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac-1' };
  const refused = parseJwks({ keys: [keys.rsa1.publicJwk, secret] });
  expect(refused.ok === false && refused.message).toMatch(
    /^JWKS key #1 contains private or secret key material/,
  );
  expect(parseJwks({ keys: [keys.rsa1.publicJwk] }).ok).toBe(true);
});

test('fetchJwks reports a refused connection as unavailable', async () => {
  const url = await closedPortUrl();
  const result = await fetchJwks(url, { timeoutMs: 2000 });
  expect(failureOf(result)?.problem).toBe('unavailable');
  expect(failureOf(result)?.message).toMatch(new RegExp(`^GET ${url} failed: .*ECONNREFUSED`));
});

test('fetchJwks does not follow a redirect', async () => {
  let redirectedTo = 0;
  const target = await serve((_req, res) => {
    redirectedTo += 1;
    sendJson(res, publicJwks(keys.rsa1));
  });
  const server = await serve((_req, res) => {
    res.writeHead(302, { location: target.url });
    res.end();
  });
  const result = await fetchJwks(server.url);
  expect(failureOf(result)?.problem).toBe('unavailable');
  expect(redirectedTo).toBe(0);
});

test('fetchJwks passes a timeout signal and redirect "error" to an injected fetch', async () => {
  let seen: RequestInit | undefined;
  const result = await fetchJwks('https://transmitter.example/jwks', {
    fetch: async (_input, init) => {
      seen = init;
      return new Response(JSON.stringify(publicJwks(keys.ed)), {
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  expect(result.ok && result.jwks.keys.map((k) => k.kid)).toEqual(['ed-1']);
  expect(seen?.redirect).toBe('error');
  expect(seen?.signal).toBeInstanceOf(AbortSignal);
});

test('fetchJwks names the cause of a network failure from an injected fetch', async () => {
  const result = await fetchJwks('https://transmitter.example/jwks', {
    fetch: async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND transmitter.example') });
    },
  });
  expect(failureOf(result)).toEqual({
    problem: 'unavailable',
    message:
      'GET https://transmitter.example/jwks failed: fetch failed (getaddrinfo ENOTFOUND transmitter.example)',
  });
});

test('fetchJwks treats an AbortError from an injected fetch as a timeout', async () => {
  const result = await fetchJwks('https://transmitter.example/jwks', {
    timeoutMs: 750,
    fetch: async () => {
      throw new DOMException('aborted', 'AbortError');
    },
  });
  expect(failureOf(result)).toEqual({
    problem: 'unavailable',
    message: 'GET https://transmitter.example/jwks did not answer within 750 ms',
  });
});

// ---- jwksFromUrl --------------------------------------------------------------------------------------

test('jwksFromUrl fetches once and answers later lookups from its cache', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1, keys.ec));
  const source = jwksFromUrl(server.url, { clock: fixedClock(0) });
  expect(source.description).toBe(server.url);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  expect(kidsOf(await source.keysFor({ alg: 'ES256', kid: 'ec-1' }))).toEqual(['ec-1']);
  expect(kidsOf(await source.keysFor({ alg: 'RS256' }))).toEqual(['rsa-1']);
  expect(server.hits()).toBe(1);
});

test('jwksFromUrl refetches once for an unknown kid and finds a key rotated in after the first fetch', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1));
  const clock = fixedClock(1_000_000);
  const source = jwksFromUrl(server.url, { clock, cooldownMs: 30_000 });
  const first = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), keys.rsa1);
  const rotated = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), keys.rsa2);
  const options = { ...expectationsFor(EVENT_URIS.sessionRevoked, 'ssf'), keys: source };

  const before = await validateSet(first, options);
  expect(before.signature).toBe('valid');
  expect(server.hits()).toBe(1);

  // The transmitter rotates to rsa-2 and starts signing with it; the cooldown since the last fetch has passed.
  server.set(publicJwks(keys.rsa1, keys.rsa2));
  clock.advance(30_000);
  const after = await validateSet(rotated, options);
  expect(after.signature).toBe('valid');
  expect(after.findings).toEqual([]);
  expect(server.hits()).toBe(2);

  // Both keys are now cached.
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-2' }))).toEqual(['rsa-2']);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  expect(server.hits()).toBe(2);
});

test('jwksFromUrl does not refetch for an unknown kid within the cooldown, and does again after it', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1));
  const clock = fixedClock(0);
  const source = jwksFromUrl(server.url, { clock, cooldownMs: 5_000 });

  // Fetched just now, so an unknown kid does not cause a second fetch.
  const unknown = await source.keysFor({ alg: 'RS256', kid: 'forged-1' });
  expect(failureOf(unknown)?.problem).toBe('no-matching-key');
  expect(failureOf(unknown)?.message).toBe(
    'no RSA key for RS256 with kid "forged-1" in the JWKS (its keys: rsa-1)',
  );
  expect(server.hits()).toBe(1);

  clock.advance(5_000);
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'forged-2' }))?.problem).toBe('no-matching-key');
  expect(server.hits()).toBe(2);

  clock.advance(4_999);
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'forged-3' }))?.problem).toBe('no-matching-key');
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'forged-4' }))?.problem).toBe('no-matching-key');
  expect(server.hits()).toBe(2);

  clock.advance(1);
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'forged-5' }))?.problem).toBe('no-matching-key');
  expect(server.hits()).toBe(3);
});

test('jwksFromUrl refetches after cacheMaxAgeMs, so a key rotated out stops verifying', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1));
  const clock = fixedClock(0);
  const source = jwksFromUrl(server.url, { clock, cacheMaxAgeMs: 60_000, cooldownMs: 30_000 });
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);

  server.set(publicJwks(keys.rsa2));
  clock.advance(60_000);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  expect(server.hits()).toBe(1);

  clock.advance(1);
  const removed = await source.keysFor({ alg: 'RS256', kid: 'rsa-1' });
  expect(failureOf(removed)?.problem).toBe('no-matching-key');
  expect(server.hits()).toBe(2);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-2' }))).toEqual(['rsa-2']);
  expect(server.hits()).toBe(2);
});

test('jwksFromUrl shares one in-flight fetch among concurrent lookups', async () => {
  const server = await serve((_req, res) => {
    setTimeout(() => sendJson(res, publicJwks(keys.rsa1, keys.ec)), 100);
  });
  const source = jwksFromUrl(server.url, { clock: fixedClock(0) });
  const lookups = await Promise.all([
    source.keysFor({ alg: 'RS256', kid: 'rsa-1' }),
    source.keysFor({ alg: 'ES256', kid: 'ec-1' }),
    source.keysFor({ alg: 'RS256' }),
    source.refresh(),
    source.keysFor({ alg: 'RS256', kid: 'rsa-1' }),
  ]);
  expect(lookups.map((l) => l.ok)).toEqual([true, true, true, true, true]);
  expect(server.hits()).toBe(1);
});

test('jwksFromUrl keeps using its cached keys when a later refresh fails', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1));
  const clock = fixedClock(0);
  const source = jwksFromUrl(server.url, { clock, cacheMaxAgeMs: 10_000, cooldownMs: 1_000 });
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  server.fail(503);

  // An unknown kid after the cooldown refetches; the failed refetch is reported as the outage it is.
  clock.advance(2_000);
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-2' }))).toEqual({
    problem: 'unavailable',
    message: `GET ${server.url} answered HTTP 503`,
  });
  expect(server.hits()).toBe(2);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);

  // The cache expires while the host is down: the refresh fails and the cached key still verifies.
  clock.advance(10_000);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  expect(server.hits()).toBe(3);
  expect(failureOf(await source.refresh())?.problem).toBe('unavailable');
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);

  // Once the host is back, the next expiry picks up the new set.
  server.set(publicJwks(keys.rsa1, keys.rsa2));
  clock.advance(20_000);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-2' }))).toEqual(['rsa-2']);
});

test('jwksFromUrl reports a failed first fetch, backs off, then fetches again', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1));
  server.fail(500);
  const clock = fixedClock(0);
  const source = jwksFromUrl(server.url, { clock, retryAfterFailureMs: 5000 });
  const failure = { problem: 'unavailable', message: `GET ${server.url} answered HTTP 500` };
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(failure);
  server.set(publicJwks(keys.rsa1));
  // Within the back-off the outage is answered from memory: an unreachable JWKS host is not hammered.
  clock.advance(4999);
  expect(failureOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(failure);
  expect(server.hits()).toBe(1);
  clock.advance(1);
  expect(kidsOf(await source.keysFor({ alg: 'RS256', kid: 'rsa-1' }))).toEqual(['rsa-1']);
  expect(server.hits()).toBe(2);
});

// ---- jwksFromObject and matchingKeys ------------------------------------------------------------------

function withoutMember(jwk: JWK, name: 'use' | 'alg'): JWK {
  const { [name]: _omitted, ...rest } = jwk;
  return rest;
}

function fullSet(): JwkSet {
  return publicJwks(keys.rsa1, keys.rsa2, keys.ec, keys.ed);
}

test('matchingKeys selects by kid', () => {
  expect(matchingKeys(fullSet(), { alg: 'RS256', kid: 'rsa-2' })).toEqual([keys.rsa2.publicJwk]);
  expect(matchingKeys(fullSet(), { alg: 'RS256', kid: 'ec-1' })).toEqual([]);
  expect(matchingKeys(fullSet(), { alg: 'RS256', kid: 'nope' })).toEqual([]);
});

test('matchingKeys selects by key type and curve for RS256, ES256 and EdDSA', () => {
  const kids = (alg: string): (string | undefined)[] => matchingKeys(fullSet(), { alg }).map((k) => k.kid);
  expect(kids('RS256')).toEqual(['rsa-1', 'rsa-2']);
  expect(kids('ES256')).toEqual(['ec-1']);
  expect(kids('EdDSA')).toEqual(['ed-1']);
  expect(kids('ES384')).toEqual([]);
  const p384: JWK = { ...keys.ec.publicJwk, kid: 'ec-384', crv: 'P-384', alg: 'ES384' };
  expect(matchingKeys({ keys: [p384] }, { alg: 'ES256' })).toEqual([]);
});

test('matchingKeys ignores keys published for encryption or without the verify operation', () => {
  const enc: JWK = { ...keys.rsa1.publicJwk, kid: 'enc-1', use: 'enc' };
  const wrap: JWK = { ...withoutMember(keys.rsa1.publicJwk, 'use'), kid: 'wrap-1', key_ops: ['wrapKey'] };
  const verify: JWK = { ...withoutMember(keys.rsa1.publicJwk, 'use'), kid: 'verify-1', key_ops: ['verify'] };
  const jwks = { keys: [enc, wrap, verify] };
  expect(matchingKeys(jwks, { alg: 'RS256' }).map((k) => k.kid)).toEqual(['verify-1']);
  expect(matchingKeys(jwks, { alg: 'RS256', kid: 'enc-1' })).toEqual([]);
});

test('matchingKeys ignores a key whose "alg" differs from the header\'s', () => {
  // The RSA keys are published with alg RS256, so they are not offered for PS256.
  expect(matchingKeys(fullSet(), { alg: 'PS256' })).toEqual([]);
  const noAlg: JWK = { ...withoutMember(keys.rsa1.publicJwk, 'alg'), kid: 'any-rsa' };
  expect(matchingKeys({ keys: [noAlg] }, { alg: 'PS256' }).map((k) => k.kid)).toEqual(['any-rsa']);
});

test('a header without kid finds the single matching key and verifies a real SET', async () => {
  const source = jwksFromObject(publicJwks(keys.rsa1, keys.ec));
  expect(kidsOf(await source.keysFor({ alg: 'ES256' }))).toEqual(['ec-1']);
  const token = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), keys.ec, {
    header: { kid: undefined },
  });
  const result = await validateSet(token, {
    ...expectationsFor(EVENT_URIS.sessionRevoked, 'ssf'),
    keys: source,
  });
  expect(result.header).not.toHaveProperty('kid');
  expect(result.signature).toBe('valid');
  expect(result.findings).toEqual([]);
});

test('HS256 finds no key in a public JWKS', async () => {
  expect(matchingKeys(fullSet(), { alg: 'HS256' })).toEqual([]);
  const lookup = await jwksFromObject(fullSet()).keysFor({ alg: 'HS256', kid: 'rsa-1' });
  expect(failureOf(lookup)).toEqual({
    problem: 'no-matching-key',
    message: 'no oct key for HS256 with kid "rsa-1" in the JWKS (its keys: rsa-1, rsa-2, ec-1, ed-1)',
  });
});

test('an algorithm ssf-lab does not know finds no key and says so', async () => {
  expect(matchingKeys(fullSet(), { alg: 'none' })).toEqual([]);
  const lookup = await jwksFromObject(fullSet()).keysFor({ alg: 'XS999' });
  expect(failureOf(lookup)?.problem).toBe('no-matching-key');
  expect(failureOf(lookup)?.message).toMatch(/^"XS999" is not a JWS algorithm ssf-lab knows/);
});

test('a very long kid from a token is shortened in the no-matching-key message', async () => {
  const kid = 'k'.repeat(20_000);
  const lookup = await jwksFromObject(fullSet()).keysFor({ alg: 'RS256', kid });
  expect(failureOf(lookup)?.problem).toBe('no-matching-key');
  expect(failureOf(lookup)?.message).toContain('… (20000 chars)');
  expect(failureOf(lookup)?.message.length).toBeLessThan(500);
});

test('a matching JWK that cannot be imported is reported as an invalid JWKS', async () => {
  const broken: JWK = { kty: 'EC', crv: 'P-256', kid: 'broken', x: 'AAAA', y: 'AAAA' };
  const lookup = await jwksFromObject({ keys: [broken] }).keysFor({ alg: 'ES256', kid: 'broken' });
  expect(failureOf(lookup)?.problem).toBe('invalid-jwks');
  expect(failureOf(lookup)?.message).toMatch(/^no usable key: key broken: /);
});

test('jwksFromObject imports each key once and returns the same key object on later lookups', async () => {
  const source = jwksFromObject(fullSet());
  const first = await source.keysFor({ alg: 'EdDSA', kid: 'ed-1' });
  const second = await source.keysFor({ alg: 'EdDSA', kid: 'ed-1' });
  expect(first.ok && second.ok && first.keys[0]?.key === second.keys[0]?.key).toBe(true);
});

// ---- the validator against a served JWKS --------------------------------------------------------------

test('validateSet verifies a real SET against a JWKS served over HTTP', async () => {
  const server = await serveJwks(publicJwks(keys.rsa1, keys.ec, keys.ed));
  const source = jwksFromUrl(server.url);
  for (const key of [keys.rsa1, keys.ec, keys.ed]) {
    const token = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), key);
    const result = await validateSet(token, {
      ...expectationsFor(EVENT_URIS.sessionRevoked, 'ssf'),
      keys: source,
    });
    expect(result.signature).toBe('valid');
    expect(result.findings.filter((f) => f.level === 'failure')).toEqual([]);
  }
  expect(server.hits()).toBe(1);
});

test('validateSet reports a hanging JWKS URL as a jwks-is-retrievable finding instead of throwing', async () => {
  const server = await serve(() => {
    // Never respond.
  });
  const token = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), keys.rsa1);
  const pending = validateSet(token, {
    ...expectationsFor(EVENT_URIS.sessionRevoked, 'ssf'),
    keys: jwksFromUrl(server.url, { timeoutMs: 200 }),
  });
  await expect(pending).resolves.toBeDefined();
  const result = await pending;
  expect(result.signature).toBe('invalid');
  expect(result.findings).toEqual([
    expect.objectContaining({
      check: 'jwks-is-retrievable',
      level: 'failure',
      message: `GET ${server.url} did not answer within 200 ms`,
    }),
  ]);
});

test('validateSet reports a JWKS URL that refuses connections as a jwks-is-retrievable finding', async () => {
  const url = await closedPortUrl();
  const token = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), keys.rsa1);
  const result = await validateSet(token, {
    ...expectationsFor(EVENT_URIS.sessionRevoked, 'ssf'),
    keys: jwksFromUrl(url, { timeoutMs: 2000 }),
  });
  expect(result.signature).toBe('invalid');
  expect(result.findings.map((f) => f.check)).toEqual(['jwks-is-retrievable']);
});
