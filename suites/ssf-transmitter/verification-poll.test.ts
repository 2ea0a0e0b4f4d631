import { describe, test } from 'vitest';
import { buildSetClaims } from '../../harness/protocol/index.ts';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import {
  type PollExchange,
  type PollPhase,
  type VerificationPollCapture,
  verificationPollChecks,
} from './verification-poll.ts';
import type { Captured } from './wire.ts';

const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

/** An unsigned compact SET: the checks only decode it. */
function token(jti: string, state: string): string {
  const claims = buildSetClaims({
    iss: 'https://tx.example',
    aud: 'urn:rx',
    jti,
    sub_id: { format: 'opaque', id: 's1' },
    events: { [VERIFICATION]: { state } },
  } as never);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'RS256', typ: 'secevent+jwt' })}.${b64(claims)}.sig`;
}

function poll(phase: PollPhase, sets: Record<string, string>, status = 200): PollExchange {
  const response: Captured = { method: 'POST', url: 'https://tx.example/poll/s1', status, body: { sets } };
  return { phase, request: {}, response };
}

const A = token('jA', 'A');
const B = token('jB', 'B');

const good: VerificationPollCapture = {
  create: {
    method: 'POST',
    url: 'https://tx.example/streams',
    status: 201,
    body: {
      stream_id: 's1',
      delivery: { method: 'urn:ietf:rfc:8936', endpoint_url: 'https://tx.example/poll/s1' },
    },
  },
  verifyA: { method: 'POST', url: 'https://tx.example/verify', status: 204 },
  verifyB: { method: 'POST', url: 'https://tx.example/verify', status: 204 },
  stateA: 'A',
  stateB: 'B',
  polls: [
    poll('poll-only', {}),
    poll('poll-only', { jA: A }),
    poll('poll-and-ack', { jB: B }),
    poll('ack-only', {}),
    poll('after-ack', {}),
  ],
  acked: [
    { jti: 'jA', afterPoll: 3 },
    { jti: 'jB', afterPoll: 4 },
  ],
  sets: [],
};

const own = verificationPollChecks.filter((c) => !c.id.startsWith('transmitter-poll-sets-'));
const setIds = verificationPollChecks
  .filter((c) => c.id.startsWith('transmitter-poll-sets-'))
  .map((c) => c.id);

describe('verification over poll checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(verificationPollChecks, good, setIds));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(own, {
      'transmitter-create-without-delivery-is-poll': {
        ...good,
        create: { ...good.create, body: { stream_id: 's1', delivery: { method: 'urn:ietf:rfc:8935' } } },
      },
      'transmitter-poll-answers-sets-by-jti': {
        ...good,
        polls: [...good.polls, poll('poll-only', { wrong: A })],
      },
      'transmitter-poll-returns-the-verification-event': {
        ...good,
        polls: good.polls.filter((p) => p.phase !== 'poll-only'),
      },
      'transmitter-poll-and-ack-returns-the-next-event': {
        ...good,
        polls: good.polls.filter((p) => p.phase !== 'poll-and-ack'),
      },
      'transmitter-ack-only-answers-no-sets': {
        ...good,
        polls: good.polls.map((p) => (p.phase === 'ack-only' ? poll('ack-only', { jB: B }) : p)),
      },
      'transmitter-acked-sets-are-not-redelivered': {
        ...good,
        polls: good.polls.map((p) => (p.phase === 'after-ack' ? poll('after-ack', { jA: A }) : p)),
      },
    }));
});
