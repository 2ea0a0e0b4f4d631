/**
 * The app's deviations through HTTP: off, the endpoint behaves; switched on (at run time, through the switch
 * the lab owns), the one rule each names is broken and the request is recorded as answered by a deviation.
 * docs/self-test.md shows every one failing its plan's check end to end; this pins the switch's plumbing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Deviations } from '../../harness/kernel/index.ts';
import { type Lab, lab } from './apps.testing.ts';
import { APP_DEVIATIONS } from './deviations.ts';

const deviations = new Deviations(APP_DEVIATIONS);
let l: Lab;
let email: string;

beforeAll(async () => {
  l = await lab({ kind: 'salesforce', deviations });
  email = (await l.emails())[0] ?? '';
});
afterAll(async () => {
  await l.close();
});

const subject = () => ({ sub_id: { format: 'email', email } });

test('app-ignores-revocation: the revocation is answered 204, and the session still works', async () => {
  const before = await l.signIn(email);
  deviations.enable('app-ignores-revocation');
  try {
    expect((await l.gtr(subject())).statusCode).toBe(204);
    expect((await l.me({ cookie: before.sessionCookie })).statusCode).toBe(200);
    expect(l.mock.gtrRequests().at(-1)).toMatchObject({ status: 204, outcome: 'deviation' });
  } finally {
    deviations.disable('app-ignores-revocation');
  }
  // Off again, the same request ends the session.
  expect((await l.gtr(subject())).statusCode).toBe(204);
  expect((await l.me({ cookie: before.sessionCookie })).statusCode).toBe(401);
});

test('app-accepts-expired-token: an expired JWT is refused until the deviation is on', async () => {
  const past = Math.floor(l.clock.now() / 1000) - 900;
  const expired = () => l.token({ claims: { iat: past, nbf: past, exp: past + 300 } });
  expect((await l.gtr(subject(), { token: await expired() })).statusCode).toBe(401);
  deviations.enable('app-accepts-expired-token');
  try {
    expect((await l.gtr(subject(), { token: await expired() })).statusCode).toBe(204);
  } finally {
    deviations.disable('app-accepts-expired-token');
  }
});

test('app-500-on-malformed-body breaks only the not-JSON answer: a body without a subject is still 400', async () => {
  deviations.enable('app-500-on-malformed-body');
  try {
    expect((await l.gtr('{"sub_id": ')).statusCode).toBe(500);
    expect((await l.gtr({})).statusCode).toBe(400);
  } finally {
    deviations.disable('app-500-on-malformed-body');
  }
  expect((await l.gtr('{"sub_id": ')).statusCode).toBe(400);
});
