/**
 * Turning findings into the RFC 8935 §2.3 error a receiver answers a push with. The most specific code
 * wins: a forged signature is `authentication_failed` even if the SET is also malformed elsewhere.
 *
 * Both members are always given. RFC 8935 §2.3: the 400 body "MUST be a UTF-8 encoded JSON object
 * containing the following name/value pairs": `err` (a Security Event Token Error Code) and `description`
 * (a human-readable description); RFC 8936 §2.6 lists the same pair for each entry of a poll's `setErrs`.
 * Neither marks `description` optional, so the push-error schema requires it (schemas/ssf-wire.ts) and the
 * ssf-receiver plan's `receiver-error-is-json-with-err` requires a string `description` too.
 */
import { CHECKS, type PushErrorCode } from './checks.ts';
import type { Finding } from './findings.ts';

/**
 * Findings that mean the body cannot be read as a SET at all. RFC 8935 §2.4 gives `invalid_request` for "the
 * request body cannot be parsed as a SET"; nothing else about such a body can be trusted (an `aud` read from
 * a token whose header is garbage names nobody), so these outrank every other code.
 */
const UNPARSEABLE: ReadonlySet<string> = new Set([
  'token-size-is-within-limit',
  'token-is-compact-jws',
  'header-is-json-object',
  'header-parameter-names-are-unique',
  'header-kid-is-string',
  'json-nesting-is-within-limit',
  'payload-is-json-object',
]);

const PRIORITY: readonly PushErrorCode[] = [
  'authentication_failed',
  'invalid_key',
  'invalid_issuer',
  'invalid_audience',
  'access_denied',
  'invalid_state',
  'invalid_request',
];

/** The `{err, description}` body for failure-level findings, or `null` when there are none. */
export function pushErrorFor(
  findings: readonly Finding[],
): { err: PushErrorCode; description: string } | null {
  const failures = findings.filter((f) => f.level === 'failure');
  if (failures.length === 0) return null;
  let best: Finding | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const f of failures) {
    const rank = UNPARSEABLE.has(f.check) ? -1 : PRIORITY.indexOf(CHECKS[f.check].err);
    if (rank < bestRank) {
      best = f;
      bestRank = rank;
    }
  }
  const chosen = best as Finding;
  const others = failures.length - 1;
  return {
    err: CHECKS[chosen.check].err,
    description: `${chosen.message} [${chosen.check}, ${chosen.requirement}]${others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : ''}`,
  };
}
