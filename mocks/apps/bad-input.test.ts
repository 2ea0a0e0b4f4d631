/**
 * Garbage in, a small JSON 4xx out — never a 5xx, never a stack trace — on every route of an app mock,
 * including the GTR endpoint behind a valid token, where the body is judged.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fakeOktaKeys, type Lab, lab } from './apps.testing.ts';

let l: Lab;
beforeAll(async () => {
  l = await lab({ kind: 'office365' }, await fakeOktaKeys('ES256'));
});
afterAll(() => l.close());

const BODIES: readonly (string | Buffer)[] = [
  '',
  'null',
  '[]',
  '"text"',
  '12',
  '{',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"sub_id": ${'{"a":'.repeat(50)}1${'}'.repeat(50)}}`,
  '{"sub_id": {"format": "email", "email": ["a@b.c"]}}',
  '{"sub_id": {"format": null}}',
  '{"sub_id": {"format": "iss_sub", "iss": 1, "sub": {}}}',
  '{"subject": {"format": "email", "email": "\\u0000@acme.example"}}',
  '{"email": "x@y.z", "oktaUserId": 7}',
  '{"failWith": 422, "emails": [null]}',
  'grant_type=refresh_token&refresh_token=rt_nope&refresh_token=again',
  'grant_type=password&username=a&password=b',
  Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]),
];
const TYPES = [
  undefined,
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/jwt',
];
const ROUTES: readonly [string, string][] = [
  ['POST', '/oauth/global-token-revocation'],
  ['PUT', '/oauth/global-token-revocation'],
  ['POST', '/_lab/sessions'],
  ['PUT', '/_lab/behaviour'],
  ['POST', '/oauth/token'],
  ['POST', '/logout'],
  ['GET', '/api/me'],
  ['GET', '/_lab/sessions?email=%00'],
  ['GET', '/_lab/gtr-requests?since=-1'],
  ['DELETE', '/_lab/state'],
  ['POST', '/nowhere'],
];

function expectSmall4xx(status: number, body: string, what: string): void {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  const json = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(json).sort(), what).toEqual(['error', 'error_description']);
  expect(body, what).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

test('garbage bodies on every route answer a JSON 4xx', async () => {
  let count = 0;
  for (const [method, url] of ROUTES)
    for (const payload of BODIES)
      for (const type of TYPES) {
        // The GTR endpoint gets a fresh valid token, so the body itself is what is judged.
        const authorization = url.startsWith('/oauth/global')
          ? `Bearer ${await l.token()}`
          : 'Bearer at_bogus';
        const r = await l.mock.app.inject({
          method: method as 'POST',
          url,
          headers: { authorization, ...(type === undefined ? {} : { 'content-type': type }) },
          payload,
        });
        const what = `${method} ${url} ${type} ${String(payload).slice(0, 40)}`;
        expectSmall4xx(r.statusCode, r.body, what);
        count += 1;
      }
  expect(count).toBe(ROUTES.length * BODIES.length * TYPES.length);
});

test('hostile headers answer a JSON 4xx', async () => {
  const authorizations = [
    'Bearer',
    'Bearer ',
    'bearer a.b.c',
    'Bearer a.b',
    `Bearer ${'x'.repeat(20_000)}`,
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    `Bearer ${Buffer.from('{"alg":"RS256","typ":"global-token-revocation+jwt","kid":{}}').toString('base64url')}.e30.AAAA`,
    `Bearer ${Buffer.from('{"alg":"RS256","typ":"global-token-revocation+jwt","crit":["exp"]}').toString('base64url')}.e30.AAAA`,
    `Bearer ${Buffer.from('[1]').toString('base64url')}.e30.AAAA`,
    'DPoP a.b.c',
    'SSWS 00abc',
  ];
  for (const authorization of authorizations) {
    const r = await l.gtr({ sub_id: { format: 'email', email: 'a@b.c' } }, { authorization });
    expectSmall4xx(r.statusCode, r.body, authorization.slice(0, 60));
  }
  for (const cookie of ['ESTSAUTH', 'ESTSAUTH=', '=;=;', `ESTSAUTH="${'q'.repeat(5000)}"`]) {
    const r = await l.me({ cookie });
    expectSmall4xx(r.statusCode, r.body, cookie.slice(0, 40));
  }
});
