import { expect, test } from 'vitest';
import { rememberIssuedSecret } from './issued-secrets.ts';
import { REDACTED, redactBody, redactHeaders, redactJson, redactUrl } from './redact.ts';

test('credential headers are replaced, keeping the scheme; others are kept', () => {
  const headers = new Headers({
    authorization: 'SSWS 00abcdef',
    cookie: 'sid=xyz',
    dpop: 'eyJ.proof.sig',
    'content-type': 'application/json',
  });
  expect(redactHeaders(headers)).toEqual({
    authorization: `SSWS ${REDACTED}`,
    cookie: REDACTED,
    dpop: REDACTED,
    'content-type': 'application/json',
  });
  expect(
    redactHeaders({ Authorization: 'Bearer a.b.c', 'x-okta-request-id': 'r1', skip: undefined }),
  ).toEqual({
    authorization: `Bearer ${REDACTED}`,
    'x-okta-request-id': 'r1',
  });
  expect(redactHeaders([['authorization', 'opaque-no-scheme']])).toEqual({ authorization: REDACTED });
});

test('JSON credentials are replaced at any depth, whatever their spelling; error codes and public keys stay', () => {
  const input = {
    clientId: 'c',
    client_secret: 's',
    nested: [{ accessToken: 'a', 'refresh-token': 'r', note: 'keep' }],
    deviceSyncAuth: { clientSecret: 'x', password: 'p' },
    code: 'INVALID_FIELD',
    jwk: { kty: 'RSA', n: 'modulus', e: 'AQAB', d: 'private', p: 'prime' },
    notAJwk: { d: 'plain data' },
    emptyPassword: { password: '' },
  };
  expect(redactJson(input)).toEqual({
    clientId: 'c',
    client_secret: REDACTED,
    nested: [{ accessToken: REDACTED, 'refresh-token': REDACTED, note: 'keep' }],
    deviceSyncAuth: { clientSecret: REDACTED, password: REDACTED },
    code: 'INVALID_FIELD',
    jwk: { kty: 'RSA', n: 'modulus', e: 'AQAB', d: REDACTED, p: REDACTED },
    notAJwk: { d: 'plain data' },
    emptyPassword: { password: '' },
  });
  expect(input.client_secret).toBe('s'); // a copy, the input is untouched
});

test('a secret-named member holding an object keeps what describes the credential, loses the rest', () => {
  const input = {
    refreshToken: { state: 'revoked', value: 'rt-1', meta: { id: 'r1', raw: 'x' } },
    privateKey: { kty: 'RSA', kid: 'k1', n: 'modulus', d: 'private' },
    token: ['t1', 't2'],
  };
  expect(redactJson(input)).toEqual({
    refreshToken: { state: 'revoked', value: REDACTED, meta: { id: 'r1', raw: REDACTED } },
    privateKey: { kty: 'RSA', kid: 'k1', n: REDACTED, d: REDACTED },
    token: [REDACTED, REDACTED],
  });
});

test('forms and URLs lose codes, secrets and tokens, keep the rest', () => {
  expect(
    redactBody(
      'grant_type=client_credentials&client_id=a&client_secret=b',
      'application/x-www-form-urlencoded',
    ),
  ).toBe(`grant_type=client_credentials&client_id=a&client_secret=${encodeURIComponent(REDACTED)}`);
  expect(redactUrl('com.jamf.trust:/oauth2/callback?code=abc&state=s1')).toBe(
    `com.jamf.trust:/oauth2/callback?code=${encodeURIComponent(REDACTED)}&state=s1`,
  );
  expect(redactUrl('https://o.lab/x?state=1')).toBe('https://o.lab/x?state=1');
  expect(redactUrl('not a url')).toBe('not a url');
});

test('bodies of other types are kept as they are; broken JSON is kept rather than lost', () => {
  expect(redactBody('eyJhbGciOiJSUzI1NiJ9.e30.sig', 'application/secevent+jwt')).toBe(
    'eyJhbGciOiJSUzI1NiJ9.e30.sig',
  );
  expect(redactBody('{"password":', 'application/json')).toBe('{"password":');
  expect(redactBody('{"user":"u","password" : "p\\"q", ', 'application/json')).toBe(
    `{"user":"u","password" : "${REDACTED}", `,
  );
  expect(redactBody('{"password":"p"}', 'application/json; charset=utf-8')).toBe(
    `{"password":"${REDACTED}"}`,
  );
});

test("Okta's session ids in a System Log event are redacted: whoever holds one holds the session", () => {
  const event = {
    eventType: 'user.session.end',
    authenticationContext: { rootSessionId: '102GVet7-wiz4pQPatam1TCrj-t', externalSessionId: '102GVet7' },
    debugContext: { debugData: { EndedSessionId: '102GVet7-wiz4pQPatam1TCrj-t', TraceId: 't1' } },
  };
  expect(redactJson(event)).toEqual({
    eventType: 'user.session.end',
    authenticationContext: { rootSessionId: REDACTED, externalSessionId: REDACTED },
    debugContext: { debugData: { EndedSessionId: REDACTED, TraceId: 't1' } },
  });
});

test('JSON without a credential-named member keeps its text; issued credentials in it are still replaced', () => {
  const issued = rememberIssuedSecret('sess-0123456789abcdef-redact-fast');
  const text = '{\n  "id": "sess-0123456789abcdef-redact-fast",\n  "name": "Mac"\n}';
  expect(redactBody(text, 'application/json')).toBe(text.replace(issued, REDACTED));
  // A name that needs key-name redaction, even behind an escape, still goes the long way.
  expect(redactBody('{"pass\\u0077ord":"p","a":1}', 'application/json')).toBe(
    `{"password":"${REDACTED}","a":1}`,
  );
  expect(redactBody('{"key": {"kty": "oct", "k": "c2VjcmV0"}}', 'application/json')).toBe(
    `{"key":{"kty":"oct","k":"${REDACTED}"}}`,
  );
  expect(redactBody('{"a": {"clientSecret" : "s"}}', 'application/json')).toBe(
    `{"a":{"clientSecret":"${REDACTED}"}}`,
  );
});
