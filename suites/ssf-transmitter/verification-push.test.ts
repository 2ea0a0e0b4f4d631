import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import type { ReceivedPush } from './receiver.ts';
import { type VerificationPushCapture, verificationPushChecks } from './verification-push.ts';
import type { Captured, JudgedSet } from './wire.ts';

const at = (status: number): Captured => ({ method: 'POST', url: 'https://tx.example/verify', status });

function push(slot: string, state: string | null, extra: Partial<ReceivedPush> = {}): ReceivedPush {
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

function judged(id: string, state: string | null): JudgedSet {
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

const good: VerificationPushCapture = {
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

const own = verificationPushChecks.filter((c) => !c.id.startsWith('transmitter-push-sets-'));

describe('verification over push checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(verificationPushChecks, good));

  test('a 429 is fine when the stream has a min_verification_interval and a later request succeeds', () =>
    expectAllHold(verificationPushChecks, {
      ...good,
      rate: { again: at(429), intervalSeconds: 1, afterInterval: at(204) },
    }));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(own, {
      'transmitter-verify-answers-204': { ...good, verify: at(200) },
      'transmitter-push-verification-echoes-the-state': {
        ...good,
        pushes: good.pushes.filter((p) => p.state !== 'A'),
      },
      'transmitter-verification-event-names-the-stream': { ...good, sets: [judged('other', 'A')] },
      'transmitter-unsolicited-verification-has-no-state': {
        ...good,
        pushes: [...good.pushes, push('a', 'Z', { at: 500 })],
      },
      'transmitter-verify-429-only-when-too-fast': { ...good, rate: { again: at(429) } },
      'transmitter-push-content-type-is-secevent-jwt': {
        ...good,
        pushes: [...good.pushes, push('a', null, { contentType: 'application/jwt' })],
      },
      'transmitter-push-accepts-json': { ...good, pushes: [push('a', 'A', { accept: '*/*' })] },
      'transmitter-push-sends-the-authorization-header': {
        ...good,
        pushes: [push('a', 'A', { authorization: 'different' })],
      },
      'transmitter-push-without-authorization-header-sends-none': {
        ...good,
        pushes: [...good.pushes, push('b', 'C', { authorization: 'present' })],
      },
    }));
});
