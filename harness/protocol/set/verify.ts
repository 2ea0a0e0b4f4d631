/**
 * Signature verification of a SET against a key source, reported as findings. jose does the
 * cryptography; this module decides which keys to try, keeps algorithm confusion out (a published JWKS
 * never verifies an HMAC), and names what went wrong.
 */
import { compactVerify, type JWK, errors as joseErrors } from 'jose';
import { excerpt } from '../findings.ts';
import type { FindingSink } from '../validator/sink.ts';
import type { KeyProblem, KeySource } from './jwks.ts';
import { nodeJwsHandles, verifyCompactWithNode } from './node-jws.ts';

export type SignatureOutcome = 'valid' | 'invalid' | 'not-checked';

const PROBLEM_CHECK = {
  'no-matching-key': 'signing-key-is-published',
  unavailable: 'jwks-is-retrievable',
  'invalid-jwks': 'jwks-is-valid-jwk-set',
} as const satisfies Record<KeyProblem, string>;

function rsaModulusBits(n: unknown): number | undefined {
  return typeof n === 'string' ? Buffer.from(n, 'base64url').length * 8 : undefined;
}

/**
 * RSA keys under 2048 bits are refused before verifying: the interop profile forbids them (CAEP-IOP-2.6)
 * and jose will not verify with them at all, so under other profiles the signature cannot be accepted.
 */
function keyIsStrongEnough(jwk: JWK, sink: FindingSink): boolean {
  const interop = sink.runs('signing-key-is-rsa-2048-or-larger');
  if (jwk.kty !== 'RSA') {
    if (interop) {
      sink.report(
        'signing-key-is-rsa-2048-or-larger',
        `the signing key ${jwk.kid ?? ''} is ${jwk.kty}, not RSA`,
        {
          evidence: { kid: jwk.kid, kty: jwk.kty },
        },
      );
    }
    return true;
  }
  const bits = rsaModulusBits(jwk.n);
  if (bits === undefined || bits >= 2048) return true;
  const message = `the signing key ${jwk.kid ?? ''} is RSA-${bits}; RSA keys need at least 2048 bits`;
  if (interop)
    sink.report('signing-key-is-rsa-2048-or-larger', message, { evidence: { kid: jwk.kid, bits } });
  else
    sink.report('signature-is-valid', `${message}, so the signature cannot be trusted`, {
      evidence: { kid: jwk.kid, bits },
    });
  return false;
}

export async function verifySignature(
  token: string,
  header: Record<string, unknown>,
  keys: KeySource,
  sink: FindingSink,
): Promise<SignatureOutcome> {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg.length === 0 || alg.toLowerCase() === 'none') return 'not-checked';
  if (!sink.profile.algorithms.includes(alg)) {
    const message = /^HS(256|384|512)$/.test(alg)
      ? `"alg" is ${alg}, a shared-secret MAC: a transmitter's published JWKS holds public keys, so this SET cannot be authenticated (signing with the public key as an HMAC secret is a known forgery)`
      : `"alg" "${excerpt(alg)}" is not an accepted signature algorithm (accepted: ${sink.profile.algorithms.join(', ')})`;
    sink.report('signature-is-valid', message, { path: '/header/alg', evidence: excerpt(alg) });
    return 'invalid';
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  let lookup: Awaited<ReturnType<KeySource['keysFor']>>;
  try {
    lookup = await keys.keysFor(kid === undefined ? { alg } : { alg, kid });
  } catch (error) {
    // A key source should answer with a problem, not throw; if one throws, the keys are unavailable.
    sink.report(
      'jwks-is-retrievable',
      `the key source ${keys.description} failed: ${(error as Error)?.message ?? String(error)}`,
    );
    return 'invalid';
  }
  if (!lookup.ok) {
    sink.report(
      PROBLEM_CHECK[lookup.problem],
      lookup.message,
      lookup.problem === 'no-matching-key' ? { path: '/header/kid' } : {},
    );
    return 'invalid';
  }
  const failures: string[] = [];
  // Plain tokens (no crit, no b64) are verified on node:crypto: the same answer at a fraction of the cost.
  const plain = nodeJwsHandles(header);
  for (const candidate of lookup.keys) {
    if (!keyIsStrongEnough(candidate.jwk, sink)) return 'invalid';
    const fast = plain ? verifyCompactWithNode(token, alg, candidate.key) : undefined;
    if (fast !== undefined && (await fast)) return 'valid';
    if (fast !== undefined) {
      failures.push(`does not verify with key ${candidate.jwk.kid ?? '(no kid)'}`);
      continue;
    }
    try {
      await compactVerify(token, candidate.key, { algorithms: [alg] });
      return 'valid';
    } catch (error) {
      failures.push(
        error instanceof joseErrors.JWSSignatureVerificationFailed
          ? `does not verify with key ${candidate.jwk.kid ?? '(no kid)'}`
          : (error as Error).message,
      );
    }
  }
  sink.report('signature-is-valid', `the signature ${failures.join('; ')} (from ${keys.description})`, {
    path: '/signature',
  });
  return 'invalid';
}
