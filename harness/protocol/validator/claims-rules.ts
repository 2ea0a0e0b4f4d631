/**
 * Rules on the SET envelope: RFC 8417 §2.2 claims, SSF §4.1 (no sub, no exp, iss, aud, txn) and
 * §3.1 (top-level sub_id), plus what the receiver expects (issuer, audience) when the caller says.
 */
import { excerpt } from '../findings.ts';
import type { ValidationContext } from './context.ts';
import type { FindingSink } from './sink.ts';
import { judgeSubject } from './subject-rules.ts';

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isHttpsIssuer(value: string): { ok: true } | { ok: false; why: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, why: 'is not a URL' };
  }
  if (url.protocol !== 'https:')
    return { ok: false, why: `uses the "${url.protocol.slice(0, -1)}" scheme, not https` };
  if (url.search !== '' || value.includes('?')) return { ok: false, why: 'has a query component' };
  if (url.hash !== '' || value.includes('#')) return { ok: false, why: 'has a fragment component' };
  return { ok: true };
}

function audienceMatches(aud: unknown, expected: readonly string[], ignoreTrailingSlash: boolean): boolean {
  const norm = (v: string): string => (ignoreTrailingSlash && v.endsWith('/') ? v.slice(0, -1) : v);
  const wanted = new Set(expected.map(norm));
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return values.some((v) => typeof v === 'string' && wanted.has(norm(v)));
}

export function judgeClaims(
  claims: Record<string, unknown>,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  const { iss, iat, jti, aud, txn, toe, events } = claims;
  const has = (name: string): boolean => Object.hasOwn(claims, name);

  // iss
  if (typeof iss !== 'string' || iss.length === 0) {
    sink.report(
      'claims-have-iss',
      has('iss') ? `"iss" is ${describe(iss)}, not a non-empty string` : 'the SET has no "iss"',
      {
        path: '/payload/iss',
        ...(has('iss') ? { evidence: excerpt(iss) } : {}),
      },
    );
  } else {
    const https = sink.runs('iss-is-https-url') ? isHttpsIssuer(iss) : ({ ok: true } as const);
    if (!https.ok) {
      sink.report('iss-is-https-url', `"iss" ${https.why}`, { path: '/payload/iss', evidence: excerpt(iss) });
    }
    if (ctx.expectedIssuer !== undefined && iss !== ctx.expectedIssuer) {
      const near =
        iss.replace(/\/$/, '') === ctx.expectedIssuer.replace(/\/$/, '')
          ? ' (they differ only in a trailing "/")'
          : '';
      sink.report(
        'iss-matches-expected-issuer',
        `"iss" is "${excerpt(iss)}" but the expected issuer is "${ctx.expectedIssuer}"${near}`,
        {
          path: '/payload/iss',
          evidence: excerpt(iss),
        },
      );
    }
  }

  // iat
  const iatOk = ctx.profile.integerIat
    ? Number.isSafeInteger(iat) && (iat as number) >= 0
    : isNumericDate(iat);
  if (!iatOk) {
    const what = ctx.profile.integerIat
      ? 'an integer NumericDate'
      : 'a NumericDate (seconds since the epoch)';
    sink.report(
      'claims-have-iat',
      has('iat') ? `"iat" is ${JSON.stringify(excerpt(iat))}, not ${what}` : 'the SET has no "iat"',
      {
        path: '/payload/iat',
        ...(has('iat') ? { evidence: excerpt(iat) } : {}),
      },
    );
  } else if ((iat as number) > ctx.nowSeconds + ctx.clockSkewSeconds) {
    sink.report(
      'iat-is-not-in-future',
      `"iat" is ${Math.round((iat as number) - ctx.nowSeconds)} s in the future (allowed skew ${ctx.clockSkewSeconds} s)`,
      { path: '/payload/iat', evidence: iat },
    );
  }

  // jti
  if (typeof jti !== 'string' || jti.length === 0) {
    sink.report(
      'claims-have-jti',
      has('jti') ? `"jti" is ${describe(jti)}, not a non-empty string` : 'the SET has no "jti"',
      {
        path: '/payload/jti',
        ...(has('jti') ? { evidence: excerpt(jti) } : {}),
      },
    );
  }

  // aud
  if (!has('aud')) {
    sink.report('claims-have-aud', 'the SET has no "aud"', { path: '/payload/aud' });
  } else {
    const isString = typeof aud === 'string' && aud.length > 0;
    const isArray =
      Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a.length > 0);
    if (!isString && !isArray) {
      sink.report(
        'aud-is-string-or-string-array',
        `"aud" is ${JSON.stringify(excerpt(aud))}, not a string or a non-empty array of strings`,
        {
          path: '/payload/aud',
          evidence: excerpt(aud),
        },
      );
    }
    if (!isString) {
      sink.report(
        'aud-is-single-string',
        `"aud" is ${describe(aud)}; Okta expects a single string (the org URL)`,
        {
          path: '/payload/aud',
          evidence: excerpt(aud),
        },
      );
    }
    if (
      ctx.expectedAudience !== undefined &&
      !audienceMatches(aud, ctx.expectedAudience, ctx.profile.audienceIgnoresTrailingSlash)
    ) {
      sink.report(
        'aud-includes-expected-audience',
        `"aud" does not name this receiver (${ctx.expectedAudience.join(', ')})`,
        {
          path: '/payload/aud',
          evidence: excerpt(aud),
        },
      );
    }
  }

  // Claims SSF forbids (§4.1.2, §4.1.7): they make a SET look like an ID token or access token.
  if (has('sub')) {
    sink.report(
      'claims-have-no-sub',
      'the SET carries "sub"; SSF SETs describe their subject with "sub_id" only',
      {
        path: '/payload/sub',
        evidence: excerpt(claims.sub),
      },
    );
  }
  if (has('exp')) {
    sink.report(
      'claims-have-no-exp',
      'the SET carries "exp"; SSF forbids it so a SET is never mistaken for an access token',
      {
        path: '/payload/exp',
        evidence: excerpt(claims.exp),
      },
    );
  }

  // sub_id
  if (!has('sub_id')) {
    sink.report(
      'claims-have-sub-id',
      'the SET has no top-level "sub_id"; SSF requires it even when the event carries "subject"',
      {
        path: '/payload/sub_id',
      },
    );
  } else if (sink.runs('subject-identifier-is-valid')) {
    judgeSubject(claims.sub_id, '/payload/sub_id', sink);
  }

  // txn, toe
  if (!has('txn')) {
    sink.report(
      'claims-have-txn',
      'the SET has no "txn"; transmitters should set it to correlate SETs with one cause',
      {
        path: '/payload/txn',
      },
    );
  } else if (typeof txn !== 'string') {
    sink.report('txn-is-string', `"txn" is ${describe(txn)}; it is a string`, {
      path: '/payload/txn',
      evidence: excerpt(txn),
    });
  }
  if (has('toe') && !isNumericDate(toe)) {
    sink.report('toe-is-numeric-date', `"toe" is ${JSON.stringify(excerpt(toe))}, not a NumericDate`, {
      path: '/payload/toe',
      evidence: excerpt(toe),
    });
  }

  if (!has('events')) {
    sink.report('claims-have-events', 'the SET has no "events"', { path: '/payload/events' });
  } else if (
    events === null ||
    typeof events !== 'object' ||
    Array.isArray(events) ||
    Object.keys(events).length === 0
  ) {
    sink.report(
      'events-is-non-empty-object',
      `"events" is ${Array.isArray(events) ? 'an array' : events === null ? 'null' : typeof events === 'object' ? 'an empty object' : describe(events)}; it must be an object with at least one event`,
      {
        path: '/payload/events',
        evidence: excerpt(events),
      },
    );
  }
}
