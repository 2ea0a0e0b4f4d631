/**
 * Turning findings into the RFC 8935 error a receiver answers with.
 */
import { expect, test } from 'vitest';
import { makeFinding } from './findings.ts';
import { pushErrorFor } from './push-error.ts';

test('no failure-level finding means no error body', () => {
  expect(pushErrorFor([])).toBeNull();
  expect(pushErrorFor([makeFinding('claims-have-txn', 'SSF-4.1.9', 'no txn')])).toBeNull();
});

test('the most specific code wins: a bad signature is authentication_failed even beside a malformed claim', () => {
  const body = pushErrorFor([
    makeFinding('claims-have-no-exp', 'SSF-4.1.7', 'exp present'),
    makeFinding('signature-is-valid', 'RFC7515-5.2', 'bad signature'),
  ]);
  expect(body?.err).toBe('authentication_failed');
  expect(body?.description).toContain('bad signature');
  expect(body?.description).toContain('and 1 more problem');
});

test.each([
  ['aud-includes-expected-audience', 'RFC8935-2', 'invalid_audience'],
  ['iss-matches-expected-issuer', 'SSF-4.1.6', 'invalid_issuer'],
  ['signing-key-is-published', 'RFC8935-2', 'invalid_key'],
  ['verification-state-matches-expected', 'SSF-8.1.4.1', 'invalid_state'],
  ['claims-have-jti', 'RFC8417-2.2', 'invalid_request'],
] as const)('a failing %s answers %s', (check, requirement, err) => {
  expect(pushErrorFor([makeFinding(check, requirement, 'x')])?.err).toBe(err);
});

test.each(['header-is-json-object', 'token-is-compact-jws', 'header-kid-is-string'] as const)(
  'a SET that cannot be parsed (%s) is invalid_request even when its aud is wrong too',
  (check) => {
    const body = pushErrorFor([
      makeFinding('aud-includes-expected-audience', 'RFC8935-2', 'wrong aud'),
      makeFinding('signature-is-valid', 'RFC7515-5.2', 'bad signature'),
      makeFinding(check, 'RFC7515-5.2', 'unreadable'),
    ]);
    expect(body?.err).toBe('invalid_request');
    expect(body?.description).toContain('unreadable');
  },
);
