/** The verification-push module's conforming capture and its failing cases (its SET checks' included). */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import type { ReceivedPush } from './receiver.ts';
import { setCheckCases, VERIFICATION_SET } from './set-checks.cases.testing.ts';
import { type VerificationPushCapture, verificationPushChecks } from './verification-push.ts';
import type { Captured, JudgedSet } from './wire.ts';

export const at = (status: number): Captured => ({
  method: 'POST',
  url: 'https://tx.example/verify',
  status,
});

/** A push to slot `a` (the stream with an authorization_header) or `b` (the one without). */
export function push(slot: string, state: string | null, extra: Partial<ReceivedPush> = {}): ReceivedPush {
  return {
    slot,
    at: 2000,
    contentType: 'application/secevent+jwt',
    accept: 'application/json',
    authorization: slot === 'a' ? 'expected' : 'absent',
    token: 'x.y.z',
    jti: `j-${state}`,
    state,
    answered: 202,
    ...extra,
  };
}

export function judged(id: string, state: string | null): JudgedSet {
  return {
    via: 'push',
    jti: `j-${state}`,
    eventTypes: ['https://schemas.openid.net/secevent/ssf/event-type/verification'],
    state,
    subId: { format: 'opaque', id },
    findings: [],
    signature: 'valid',
  };
}

export const good: VerificationPushCapture = {
  streamId: 's1',
  plainStreamId: 's2',
  states: ['A', 'B', 'C'],
  verify: at(204),
  plainVerify: at(204),
  rate: { again: at(204) },
  requestedAt: 1000,
  pushes: [push('a', 'A'), push('a', 'B'), push('b', 'C'), push('a', null)],
  slot: 'a',
  plainSlot: 'b',
  sets: [judged('s1', 'A'), judged('s1', 'B'), judged('s2', 'C'), judged('s1', null)],
};

const fails = casesFor(verificationPushChecks);

export const VERIFICATION_PUSH_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-verify-answers-204',
    { ...good, verify: at(200) },
    'A verification request answers 200 instead of 204 No Content.',
    /HTTP 200, not 204/,
  ),
  fails(
    'transmitter-push-verification-echoes-the-state',
    { ...good, pushes: good.pushes.filter((p) => p.state !== 'A') },
    'The verification event asked for with state "A" never arrives by push.',
    /no verification event with the requested state arrived/,
  ),
  fails(
    'transmitter-verification-event-names-the-stream',
    { ...good, sets: [judged('other', 'A')] },
    "The verification event's sub_id names a stream other than the one verified.",
    /has sub_id \{"format":"opaque","id":"other"\}/,
  ),
  fails(
    'transmitter-verification-event-names-the-stream',
    {
      ...good,
      sets: [{ ...judged('s1', 'A'), subId: { format: 'email', email: 'pat.doe@acme.example' } }],
    },
    'The verification event names a user (an email sub_id) instead of the stream.',
    /has sub_id \{"format":"email"/,
  ),
  fails(
    'transmitter-unsolicited-verification-has-no-state',
    { ...good, pushes: [...good.pushes, push('a', 'Z', { at: 500 })] },
    'A verification event with a "state" arrives before any verification was requested.',
    /arrived before any was requested/,
  ),
  fails(
    'transmitter-unsolicited-verification-has-no-state',
    { ...good, pushes: [...good.pushes, push('a', 'Z', { at: 3000 })] },
    'An unsolicited verification event carries a "state" the harness never sent.',
    /carries a "state" the harness never sent/,
  ),
  fails(
    'transmitter-verify-429-only-when-too-fast',
    { ...good, rate: { again: at(429) } },
    'A second verification request answers 429 although the stream has no min_verification_interval.',
    /got 429 although the stream has no min_verification_interval/,
  ),
  fails(
    'transmitter-verify-429-only-when-too-fast',
    { ...good, rate: { again: at(429), intervalSeconds: 1, afterInterval: at(429) } },
    'A verification request made after waiting min_verification_interval still answers 429.',
    /after waiting min_verification_interval \(1 s\) still got 429/,
  ),
  fails(
    'transmitter-push-content-type-is-secevent-jwt',
    { ...good, pushes: [...good.pushes, push('a', null, { contentType: 'application/jwt' })] },
    'A push is sent with Content-Type application/jwt.',
    /Content-Type application\/jwt/,
  ),
  fails(
    'transmitter-push-accepts-json',
    { ...good, pushes: [push('a', 'A', { accept: '*/*' })] },
    'A push is sent with Accept: */* instead of application/json.',
    /Accept \*\/\*/,
  ),
  fails(
    'transmitter-push-sends-the-authorization-header',
    { ...good, pushes: [push('a', 'A', { authorization: 'different' })] },
    "A push carries an Authorization header other than the stream's authorization_header.",
    /not the stream's authorization_header/,
  ),
  fails(
    'transmitter-push-sends-the-authorization-header',
    { ...good, pushes: [push('a', 'A', { authorization: 'absent' })] },
    'A push to the stream with an authorization_header carries no Authorization header.',
    /carries no Authorization header/,
  ),
  fails(
    'transmitter-push-without-authorization-header-sends-none',
    { ...good, pushes: [...good.pushes, push('b', 'C', { authorization: 'present' })] },
    'A push to the stream without an authorization_header carries an Authorization header anyway.',
    /carries an Authorization header although none was configured/,
  ),
  ...(await setCheckCases(verificationPushChecks, good, VERIFICATION_SET('push'))),
];
