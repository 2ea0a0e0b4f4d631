/**
 * The one reading of an HTTP `Retry-After` header (RFC 9110 §10.2.3: `delay-seconds` or an `HTTP-date`),
 * shared by the transmitter's push retries, the receiver's poll loop and a certification run's 429
 * handling — so they cannot disagree about what a header asks for.
 */

/**
 * Milliseconds to wait from `nowMs`, or undefined when the header is absent or neither form: a whole
 * number of seconds, or an HTTP-date (which starts with the day's name — IMF-fixdate, and the obsolete
 * RFC 850 and asctime forms; an ISO 8601 string is not one). A date in the past asks for no wait.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
