/** The verification-poll module's conforming capture and its failing cases (its SET checks' included). */
import { buildSetClaims } from '../../harness/protocol/index.ts';
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { setCheckCases, VERIFICATION_SET } from './set-checks.cases.testing.ts';
import {
  type PollExchange,
  type PollPhase,
  type VerificationPollCapture,
  verificationPollChecks,
} from './verification-poll.ts';
import type { Captured } from './wire.ts';

const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

/** An unsigned compact SET: the checks only decode it. */
export function token(jti: string, state: string): string {
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

export function poll(phase: PollPhase, sets: Record<string, string>, status = 200): PollExchange {
  const response: Captured = { method: 'POST', url: 'https://tx.example/poll/s1', status, body: { sets } };
  return { phase, request: {}, response };
}

export const A = token('jA', 'A');
export const B = token('jB', 'B');

export const good: VerificationPollCapture = {
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

const fails = casesFor(verificationPollChecks);

export const VERIFICATION_POLL_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-create-without-delivery-is-poll',
    {
      ...good,
      create: { ...good.create, body: { stream_id: 's1', delivery: { method: 'urn:ietf:rfc:8935' } } },
    },
    'A stream created without "delivery" comes back as a push stream.',
    /delivery\.method is "urn:ietf:rfc:8935", not urn:ietf:rfc:8936/,
  ),
  fails(
    'transmitter-create-without-delivery-is-poll',
    {
      ...good,
      create: { ...good.create, body: { stream_id: 's1', delivery: { method: 'urn:ietf:rfc:8936' } } },
    },
    'The poll stream created without "delivery" has no transmitter-assigned endpoint_url to poll.',
    /delivery has no endpoint_url/,
  ),
  fails(
    'transmitter-create-without-delivery-is-poll',
    { ...good, create: { ...good.create, status: 400, body: { error: 'delivery is required' } } },
    'Creating a stream without "delivery" is refused with 400.',
    /the create without delivery answered HTTP 400/,
  ),
  fails(
    'transmitter-poll-answers-sets-by-jti',
    { ...good, polls: [...good.polls, poll('poll-only', { wrong: A })] },
    'A poll answer files a SET under a key that is not its jti.',
    /the SET under "wrong" is not a SET with that jti/,
  ),
  fails(
    'transmitter-poll-answers-sets-by-jti',
    {
      ...good,
      polls: [
        ...good.polls,
        {
          phase: 'poll-only',
          request: {},
          response: { method: 'POST', url: 'https://tx.example/poll/s1', status: 200, body: { sets: [A] } },
        },
      ],
    },
    'A poll answers "sets" as an array of SETs instead of an object keyed by jti.',
    /has no "sets" object/,
  ),
  fails(
    'transmitter-poll-returns-the-verification-event',
    { ...good, polls: good.polls.filter((p) => p.phase !== 'poll-only') },
    'No poll-only request returns the verification event that was requested.',
    /no poll-only request returned the verification event/,
  ),
  fails(
    'transmitter-poll-and-ack-returns-the-next-event',
    { ...good, polls: good.polls.filter((p) => p.phase !== 'poll-and-ack') },
    'The request that acknowledges the first SET and asks for more never returns the second event.',
    /no poll-and-acknowledge request returned the second verification event/,
  ),
  fails(
    'transmitter-ack-only-answers-no-sets',
    { ...good, polls: good.polls.map((p) => (p.phase === 'ack-only' ? poll('ack-only', { jB: B }) : p)) },
    'An acknowledge-only request (maxEvents 0) returns a SET anyway.',
    /it returned SETs/,
  ),
  fails(
    'transmitter-acked-sets-are-not-redelivered',
    { ...good, polls: good.polls.map((p) => (p.phase === 'after-ack' ? poll('after-ack', { jA: A }) : p)) },
    'A SET acknowledged in an earlier poll is returned again.',
    /SET jA came back after it was acknowledged/,
  ),
  ...(await setCheckCases(verificationPollChecks, good, VERIFICATION_SET('poll'))),
];
