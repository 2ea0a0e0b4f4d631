/**
 * Rules on the JOSE header: explicit typing (SSF §4.1.1, read as RFC 7515 §4.1.9 defines "typ"), a real
 * algorithm (RFC 7515 §4.1.1, RFC 8417 §5.1), RS256 under the interop profile, a string `kid` (RFC 7515
 * §4.1.4, and Okta's required one), and no `crit` extension the validator does not understand (§4.1.11).
 */
import { excerpt } from '../findings.ts';
import type { FindingSink } from './sink.ts';

/** The SET media type (RFC 8417 §2.3) and the spelling RFC 8417 says SHOULD be used in "typ". */
const SET_MEDIA_TYPE = 'application/secevent+jwt';
const SHORT_TYP = 'secevent+jwt';

/**
 * The media type a "typ" names: RFC 7515 §4.1.9 — "A recipient using the media type value MUST treat it as
 * if 'application/' were prepended to any 'typ' value not containing a '/'" — compared without case, as
 * RFC 6838 §4.2 makes type and subtype names case-insensitive.
 */
function mediaTypeOfTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}

function judgeTyp(typ: unknown, sink: FindingSink): void {
  if (typ === undefined) {
    sink.report(
      'header-typ-is-secevent-jwt',
      'the header has no "typ"; SETs are explicitly typed "secevent+jwt"',
      { path: '/header/typ' },
    );
    return;
  }
  const exact = sink.profile.typMatching === 'exact';
  const names =
    typeof typ === 'string' && (exact ? typ === SHORT_TYP : mediaTypeOfTyp(typ) === SET_MEDIA_TYPE);
  if (!names) {
    const hint =
      exact && typeof typ === 'string' && mediaTypeOfTyp(typ) === SET_MEDIA_TYPE
        ? ` (the same media type, but this profile's vendor documents exactly "${SHORT_TYP}")`
        : '';
    sink.report(
      'header-typ-is-secevent-jwt',
      `"typ" is ${JSON.stringify(excerpt(typ))}, not "${SHORT_TYP}"${hint}`,
      { path: '/header/typ', evidence: excerpt(typ) },
    );
    return;
  }
  if (typ !== SHORT_TYP) {
    sink.report(
      'header-typ-is-short-form',
      `"typ" is ${JSON.stringify(excerpt(typ))}: the right media type, but RFC 8417 §2.3 says the value used SHOULD be "${SHORT_TYP}"`,
      { path: '/header/typ', evidence: excerpt(typ) },
    );
  }
}

/**
 * RFC 7515 §4.1.11: a recipient that does not understand a listed extension MUST treat the JWS as invalid.
 * ssf-lab understands no JWS extension, so any "crit" makes the SET invalid; the message says which rule a
 * malformed one also breaks.
 */
function judgeCrit(header: Record<string, unknown>, sink: FindingSink): void {
  if (!Object.hasOwn(header, 'crit')) return;
  const crit = header.crit;
  let why: string;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((c) => typeof c === 'string')) {
    why = '"crit" must be a non-empty array of header parameter names';
  } else {
    const absent = crit.filter((name) => !Object.hasOwn(header, name));
    why =
      absent.length > 0
        ? `"crit" lists ${absent.map((n) => `"${excerpt(n)}"`).join(', ')}, absent from the header`
        : `"crit" lists ${crit.map((n) => `"${excerpt(n)}"`).join(', ')}, an extension ssf-lab does not understand`;
  }
  sink.report('header-crit-is-understood', `${why}, so the JWS is invalid (RFC 7515 §4.1.11)`, {
    path: '/header/crit',
    evidence: excerpt(crit),
  });
}

export function judgeHeader(header: Record<string, unknown>, sink: FindingSink): void {
  const { typ, alg, kid } = header;

  judgeTyp(typ, sink);

  if (typeof alg !== 'string' || alg.length === 0) {
    sink.report(
      'header-has-alg',
      alg === undefined ? 'the header has no "alg"' : '"alg" is not a non-empty string',
      {
        path: '/header/alg',
        ...(alg === undefined ? {} : { evidence: excerpt(alg) }),
      },
    );
  } else if (alg.toLowerCase() === 'none') {
    sink.report(
      'header-alg-is-not-none',
      `"alg" is "${alg}": the SET is unsigned and cannot be authenticated`,
      {
        path: '/header/alg',
        evidence: alg,
      },
    );
  } else if (alg !== 'RS256') {
    sink.report('header-alg-is-rs256', `"alg" is "${excerpt(alg)}"; the interop profile requires RS256`, {
      path: '/header/alg',
      evidence: excerpt(alg),
    });
  }

  // RFC 7515 §4.1.4: "Its value MUST be a case-sensitive string." A number or object cannot name a key.
  if (kid !== undefined && typeof kid !== 'string') {
    sink.report('header-kid-is-string', `"kid" is ${JSON.stringify(excerpt(kid))}, not a string`, {
      path: '/header/kid',
      evidence: excerpt(kid),
    });
  }
  if (typeof kid !== 'string' || kid.length === 0) {
    sink.report(
      'header-has-kid',
      kid === undefined ? 'the header has no "kid"' : '"kid" is not a non-empty string',
      {
        path: '/header/kid',
        ...(kid === undefined ? {} : { evidence: excerpt(kid) }),
      },
    );
  }

  judgeCrit(header, sink);
}
