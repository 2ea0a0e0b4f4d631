/**
 * Rules on the JOSE header: explicit typing (SSF §4.1.1), a real algorithm (RFC 7515 §4.1.1,
 * RFC 8417 §5.1), RS256 under the interop profile, and Okta's required `kid`.
 */
import { excerpt } from '../findings.ts';
import type { FindingSink } from './sink.ts';

export function judgeHeader(header: Record<string, unknown>, sink: FindingSink): void {
  const { typ, alg, kid } = header;

  if (typ === undefined) {
    sink.report(
      'header-typ-is-secevent-jwt',
      'the header has no "typ"; SETs are explicitly typed "secevent+jwt"',
      {
        path: '/header/typ',
      },
    );
  } else if (typ !== 'secevent+jwt') {
    const hint =
      typ === 'application/secevent+jwt'
        ? ' (the long media-type form is not accepted; use "secevent+jwt")'
        : '';
    sink.report(
      'header-typ-is-secevent-jwt',
      `"typ" is ${JSON.stringify(excerpt(typ))}, not "secevent+jwt"${hint}`,
      {
        path: '/header/typ',
        evidence: excerpt(typ),
      },
    );
  }

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
}
