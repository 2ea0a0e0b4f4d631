/**
 * The Global Token Revocation request body and the user lookup: both member names (`sub_id` from the
 * draft, `subject` from Okta's guide), both subject formats (`email`, `iss_sub`), and the 400s and 404s
 * for everything else. Authentication always comes first.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Lab, lab, OKTA_ISSUER } from './apps.testing.ts';

let mail: Lab;
let iss: Lab;
let users: string[];

beforeAll(async () => {
  mail = await lab({ kind: 'salesforce' });
  iss = await lab({ kind: 'google-workspace', subjectFormat: 'iss_sub' }, mail.keys);
  users = await mail.emails();
});
afterAll(async () => {
  await mail.close();
  await iss.close();
});
beforeEach(async () => {
  await mail.mock.app.inject({ method: 'POST', url: '/_lab/reset' });
  await iss.mock.app.inject({ method: 'POST', url: '/_lab/reset' });
});

const user = (i = 0): string => users[i] ?? '';

async function badRequest(l: Lab, body: unknown, contentType?: string): Promise<string> {
  const r = await l.gtr(body, contentType === undefined ? {} : { contentType });
  expect(r.statusCode, r.body).toBe(400);
  const json = r.json() as { error: string; error_description: string };
  expect(json.error).toBe('invalid_request');
  return json.error_description;
}

test('the subject under sub_id (draft §3.2) or subject (Okta guide) both log the user out', async () => {
  const first = await mail.signIn(user(0));
  const second = await mail.signIn(user(1));
  expect((await mail.gtr({ sub_id: { format: 'email', email: user(0) } })).statusCode).toBe(204);
  expect((await mail.gtr({ subject: { format: 'email', email: user(1) } })).statusCode).toBe(204);
  expect((await mail.me({ cookie: first.sessionCookie })).statusCode).toBe(401);
  expect((await mail.me({ cookie: second.sessionCookie })).statusCode).toBe(401);
  const keys = mail.mock.gtrRequests().map((r) => r.subjectKey);
  expect(keys).toEqual(['sub_id', 'subject']);
});

test('emails match case-insensitively', async () => {
  const s = await mail.signIn(user(0));
  expect((await mail.gtr({ sub_id: { format: 'email', email: user(0).toUpperCase() } })).statusCode).toBe(
    204,
  );
  expect((await mail.me({ accessToken: s.accessToken })).statusCode).toBe(401);
});

test('a fleet user with no session is found and answered 204 (nothing to revoke)', async () => {
  expect((await mail.gtr({ sub_id: { format: 'email', email: user(2) } })).statusCode).toBe(204);
  expect(mail.mock.gtrRequests().at(-1)?.revoked).toEqual({ sessions: 0, accessTokens: 0, refreshTokens: 0 });
});

test('an email the app does not know is 404 user_not_found', async () => {
  const r = await mail.gtr({ sub_id: { format: 'email', email: 'nobody@elsewhere.example' } });
  expect(r.statusCode).toBe(404);
  expect(r.json()).toMatchObject({ error: 'user_not_found' });
});

test('iss_sub: the Okta org and the Okta user id the app saw at SSO sign-in', async () => {
  const s = await iss.signIn(user(0), '00u1abcdEFGH23456789');
  const r = await iss.gtr({ sub_id: { format: 'iss_sub', iss: OKTA_ISSUER, sub: '00u1abcdEFGH23456789' } });
  expect(r.statusCode).toBe(204);
  expect((await iss.me({ cookie: s.sessionCookie })).statusCode).toBe(401);
  expect(iss.mock.gtrRequests().at(-1)).toMatchObject({ user: user(0), outcome: 'logged-out' });
  // Okta's guide writes issuers with a trailing slash; one is tolerated.
  await iss.signIn(user(1), '00u1other00000000000');
  const slash = await iss.gtr({
    subject: { format: 'iss_sub', iss: `${OKTA_ISSUER}/`, sub: '00u1other00000000000' },
  });
  expect(slash.statusCode).toBe(204);
});

test('iss_sub: another issuer, an unknown Okta id, or a user never seen through Okta is 404', async () => {
  await iss.signIn(user(0), '00u1abcdEFGH23456789');
  await iss.signIn(user(1)); // signed in, but the app never learned an Okta id for this user
  for (const subject of [
    { format: 'iss_sub', iss: 'https://other.okta.lab', sub: '00u1abcdEFGH23456789' },
    { format: 'iss_sub', iss: OKTA_ISSUER, sub: '00u1unknown000000000' },
  ])
    expect((await iss.gtr({ sub_id: subject })).statusCode).toBe(404);
});

test('the subject format must be the one the app is configured for', async () => {
  expect(await badRequest(iss, { sub_id: { format: 'email', email: user(0) } })).toContain(
    'configured for the "iss_sub"',
  );
  expect(await badRequest(mail, { sub_id: { format: 'iss_sub', iss: OKTA_ISSUER, sub: '00u1' } })).toContain(
    'configured for the "email"',
  );
  for (const subject of [
    { format: 'opaque', id: '00u1abcdEFGH23456789' },
    { format: 'phone_number', phone_number: '+12065550100' },
    { format: 'complex', user: { format: 'email', email: user(0) } },
  ])
    expect(await badRequest(mail, { sub_id: subject })).toContain('is not supported');
});

test('a malformed subject identifier is 400 naming the member (RFC 9493 §3.2)', async () => {
  expect(await badRequest(mail, { sub_id: { format: 'email' } })).toContain('"email"');
  expect(await badRequest(mail, { sub_id: { format: 'email', email: 'not an email' } })).toContain(
    'not a valid email',
  );
  expect(await badRequest(mail, { sub_id: { format: 'email', email: user(0), extra: 1 } })).toContain(
    '"extra"',
  );
  expect(await badRequest(mail, { sub_id: { email: user(0) } })).toContain('no "format"');
  expect(await badRequest(mail, { sub_id: 'pat@acme.example' })).toContain('subject identifier object');
  expect(await badRequest(iss, { sub_id: { format: 'iss_sub', iss: OKTA_ISSUER, sub: '' } })).toContain(
    '"sub"',
  );
});

test('the body: JSON object, exactly one of sub_id / subject, nothing else', async () => {
  const subject = { format: 'email', email: user(0) };
  expect(await badRequest(mail, {})).toContain('no subject');
  expect(await badRequest(mail, { sub_id: subject, subject })).toContain('both');
  expect(await badRequest(mail, { sub_id: subject, reason: 'risk' })).toContain('"reason"');
  expect(await badRequest(mail, [subject])).toContain('JSON object');
  expect(await badRequest(mail, '{"sub_id": ')).toContain('not JSON');
  expect(await badRequest(mail, '{"sub_id": {}, "sub_id": {}}')).toContain('twice');
  expect(await badRequest(mail, '')).toContain('empty');
});

test('the content type must be application/json (a charset parameter is fine)', async () => {
  const body = { sub_id: { format: 'email', email: user(0) } };
  expect(await badRequest(mail, body, 'text/plain')).toContain('application/json');
  expect(await badRequest(mail, body, 'application/x-www-form-urlencoded')).toContain('application/json');
  expect((await mail.gtr(body, { contentType: 'application/json; charset=utf-8' })).statusCode).toBe(204);
  const none = await mail.mock.app.inject({
    method: 'POST',
    url: '/oauth/global-token-revocation',
    headers: { authorization: `Bearer ${await mail.token()}` },
    payload: JSON.stringify(body),
  });
  expect(none.statusCode).toBe(400);
});

test('authentication comes before the body: a bad body without a token is 401, not 400', async () => {
  expect((await mail.gtr('garbage', { token: null })).statusCode).toBe(401);
  expect((await mail.gtr('x'.repeat(100_000), { token: null })).statusCode).toBe(401);
});

test('an oversized body is 400', async () => {
  const big = { sub_id: { format: 'email', email: user(0) }, pad: 'x'.repeat(20_000) };
  expect(await badRequest(mail, big)).toContain('larger than');
});

test('other methods on the endpoint are 405 with Allow: POST', async () => {
  const r = await mail.mock.app.inject({ method: 'GET', url: '/oauth/global-token-revocation' });
  expect(r.statusCode).toBe(405);
  expect(r.headers.allow).toBe('POST');
  expect(mail.mock.gtrRequests().at(-1)).toMatchObject({ status: 405, outcome: 'method-not-allowed' });
});
