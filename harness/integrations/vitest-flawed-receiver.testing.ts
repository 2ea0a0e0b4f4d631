/**
 * A vitest file as a vendor would write it, run by vitest.test.ts in a vitest of its own: the ssf-receiver
 * plan against a receiver written here on node:http and jose alone, with known flaws —
 * - a 202 with a body (MUST: RFC 8935 §2.2) → that check's test fails;
 * - jose's `jwtVerify` alone checks the signature, iss, aud and typ but not what RFC 8417 and RFC 9493
 *   require of a SET's claims and subject: a SET without "jti" or "events", or with a malformed subject,
 *   is accepted (MUST) → those checks' tests fail; the missing "iat" one is tolerated by the ledger →
 *   passes with an annotation;
 * - a forged signature answered "invalid_key" — one of the codes RFC 8935 lets fit it → passes;
 * - SETs with "sub" or "exp" and an oversized SET accepted (SHOULD) → pass with a warning annotation;
 * - no stream management → that module's checks are skipped.
 */
import { createServer } from 'node:http';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { afterAll } from 'vitest';
import { generateSigningKey } from '../protocol/index.ts';
import { describeConformance } from './vitest.ts';

const issuer = 'https://harness.ssf-lab.test/transmitter';
const audience = 'https://receiver.ssf-lab.test';
const { key, privateJwk } = await generateSigningKey('RS256');
const keys = createLocalJWKSet({ keys: [key.publicJwk] });

const server = createServer(async (request, response) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  try {
    await jwtVerify(body, keys, { issuer, audience, typ: 'secevent+jwt' });
    response.writeHead(202).end('accepted');
  } catch (error) {
    const claim = error instanceof errors.JWTClaimValidationFailed ? error.claim : undefined;
    const err =
      error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed
        ? 'invalid_key'
        : claim === 'iss'
          ? 'invalid_issuer'
          : claim === 'aud'
            ? 'invalid_audience'
            : 'invalid_request';
    response
      .writeHead(400, { 'content-type': 'application/json', 'content-language': 'en' })
      .end(JSON.stringify({ err, description: (error as Error).message }));
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describeConformance({
  target: {
    name: 'a flawed receiver',
    plans: {
      'ssf-receiver': { pushEndpoint: `http://127.0.0.1:${port}/events`, issuer, audience, privateJwk },
    },
  },
  ledger: [{ check: 'receiver-refuses-missing-iat', reason: 'vendor ticket 42' }],
  moduleTimeoutMs: 60_000,
});
