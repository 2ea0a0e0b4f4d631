/**
 * The stream-management checks against captured facts: each holds on what a well-behaved receiver leaves
 * behind, fails on a capture where it misbehaved, and skips where it cannot apply. Pure: no servers (the
 * module's run is proven against the reference receiver in harness/runner/certify-ssf-receiver-streams).
 */
import { describe, expect, test } from 'vitest';
import { transmitterPaths } from '../../harness/ssf/index.ts';
import { type Check, isSkip } from '../core/index.ts';
import {
  acceptsSolicitedVerification,
  acceptsUnsolicitedVerification,
  createsItsStream,
  deletesItsStream,
  type ManagementCall,
  operationOf,
  requestsVerification,
  STREAM_MANAGEMENT_CHECKS,
  type StreamManagementCapture,
  type VerificationOutcome,
} from './stream-management.ts';

const PUSH = 'urn:ietf:rfc:8935';
const POLL = 'urn:ietf:rfc:8936';

const call = (operation: ManagementCall['operation'], status: number): ManagementCall => ({
  operation,
  method: 'POST',
  path: '/x',
  status,
  atMs: 1,
});

const delivered = (jti: string, state?: string): VerificationOutcome => ({
  jti,
  ...(state === undefined ? {} : { state }),
  outcome: 'delivered',
  answers: [{ status: 202 }],
});

/** What the reference receiver leaves behind: create, verify (both events taken), delete. */
const good: StreamManagementCapture = {
  issuer: 'https://harness.example/ssf-transmitter',
  expected: ['create', 'verify', 'delete'],
  waitedMs: 800,
  calls: [call('metadata', 200), call('create', 201), call('verify', 204), call('delete', 204)],
  stream: {
    streamId: 's1',
    deliveryMethod: PUSH,
    endpointUrl: 'https://rx.example/push',
    eventsDelivered: [],
    deleted: true,
  },
  unsolicited: delivered('u1'),
  solicited: [delivered('v1', 'abc')],
};

function messages(check: Check<StreamManagementCapture>, captured: StreamManagementCapture): string[] {
  const verdict = check.evaluate(captured);
  if (isSkip(verdict)) throw new Error(`${check.id} skipped: ${verdict.skip}`);
  return verdict.map((p) => p.message);
}

function skips(check: Check<StreamManagementCapture>, captured: StreamManagementCapture): void {
  expect(isSkip(check.evaluate(captured)), check.id).toBe(true);
}

const { stream: _stream, unsolicited: _unsolicited, ...streamless } = good;
const noStream: StreamManagementCapture = { ...streamless, calls: [call('metadata', 200)], solicited: [] };

test('every check holds on what a well-behaved receiver leaves behind', () => {
  for (const check of STREAM_MANAGEMENT_CHECKS) expect(messages(check, good), check.id).toEqual([]);
});

test('with no stream created, only receiver-creates-its-stream is judged', () => {
  expect(messages(createsItsStream, noStream).join()).toMatch(/created no stream/);
  expect(messages(createsItsStream, { ...noStream, calls: [] }).join()).toMatch(
    /no request .*issuer https:\/\/harness\.example\/ssf-transmitter/,
  );
  expect(messages(createsItsStream, { ...noStream, calls: [call('create', 400)] }).join()).toMatch(
    /HTTP 400/,
  );
  skips(createsItsStream, { ...noStream, expected: ['verify'] });
  for (const check of STREAM_MANAGEMENT_CHECKS.filter((c) => c !== createsItsStream)) skips(check, noStream);
});

describe('verification events', () => {
  test('receiver-accepts-unsolicited-verification', () => {
    const refused: VerificationOutcome = {
      jti: 'u1',
      outcome: 'dead-lettered',
      reason: 'the receiver refused the SET: invalid_state',
      answers: [{ status: 400, err: 'invalid_state' }],
    };
    expect(messages(acceptsUnsolicitedVerification, { ...good, unsolicited: refused }).join()).toMatch(
      /unsolicited .* HTTP 400 "invalid_state"/,
    );
    // 200 is not the 202 RFC 8935 asks for, though the transmitter counts it delivered.
    const ok200: VerificationOutcome = { ...delivered('u1'), answers: [{ status: 200 }] };
    expect(messages(acceptsUnsolicitedVerification, { ...good, unsolicited: ok200 })).toHaveLength(1);
    const unanswered: VerificationOutcome = {
      jti: 'u1',
      outcome: 'queued',
      answers: [{ status: 0, error: 'timeout' }],
    };
    expect(messages(acceptsUnsolicitedVerification, { ...good, unsolicited: unanswered }).join()).toMatch(
      /no answer \(timeout\).*still queued/,
    );
    const { unsolicited: _gone, ...withoutUnsolicited } = good;
    skips(acceptsUnsolicitedVerification, withoutUnsolicited);
  });

  test('on a poll stream, accepted means acknowledged', () => {
    const poll = { ...good, stream: { ...good.stream, deliveryMethod: POLL } } as StreamManagementCapture;
    const acked: VerificationOutcome = { jti: 'u1', outcome: 'acked', answers: [] };
    expect(messages(acceptsUnsolicitedVerification, { ...poll, unsolicited: acked })).toEqual([]);
    expect(
      messages(acceptsUnsolicitedVerification, {
        ...poll,
        unsolicited: { jti: 'u1', outcome: 'in-flight', answers: [] },
      }).join(),
    ).toMatch(/never acknowledged/);
    // Acking only the solicited event does not satisfy the unsolicited check (OIDF's rule).
    expect(
      messages(acceptsSolicitedVerification, { ...poll, solicited: [{ ...acked, jti: 'v1', state: 'abc' }] }),
    ).toEqual([]);
  });

  test('receiver-requests-verification', () => {
    const none = { ...good, calls: [call('create', 201)], solicited: [] };
    expect(messages(requestsVerification, none).join()).toMatch(/requested no verification/);
    expect(messages(requestsVerification, { ...none, calls: [call('verify', 400)] }).join()).toMatch(
      /refused \(HTTP 400\)/,
    );
    skips(requestsVerification, { ...none, expected: ['create'] });
  });

  test('receiver-accepts-solicited-verification', () => {
    const refused: VerificationOutcome = {
      jti: 'v1',
      state: 'abc',
      outcome: 'dead-lettered',
      answers: [{ status: 400, err: 'invalid_request' }],
    };
    expect(messages(acceptsSolicitedVerification, { ...good, solicited: [refused] }).join()).toMatch(
      /solicited .* HTTP 400/,
    );
    skips(acceptsSolicitedVerification, { ...good, solicited: [] });
  });
});

test('receiver-deletes-its-stream', () => {
  const kept = {
    ...good,
    calls: good.calls.filter((c) => c.operation !== 'delete'),
    stream: { ...good.stream, deleted: false },
  } as StreamManagementCapture;
  expect(messages(deletesItsStream, kept).join()).toMatch(/did not delete/);
  expect(messages(deletesItsStream, { ...kept, calls: [call('delete', 404)] }).join()).toMatch(/HTTP 404/);
  skips(deletesItsStream, { ...kept, expected: ['create', 'verify'] });
});

test('a request is named by the endpoint it hit', () => {
  const paths = transmitterPaths('https://harness.example/ssf-transmitter');
  expect(operationOf(paths, 'GET', '/.well-known/ssf-configuration/ssf-transmitter')).toBe('metadata');
  expect(operationOf(paths, 'POST', paths.streams)).toBe('create');
  expect(operationOf(paths, 'PATCH', paths.streams)).toBe('update');
  expect(operationOf(paths, 'DELETE', paths.streams)).toBe('delete');
  expect(operationOf(paths, 'POST', paths.status)).toBe('update-status');
  expect(operationOf(paths, 'POST', paths.verify)).toBe('verify');
  expect(operationOf(paths, 'POST', `${paths.poll}/s1`)).toBe('poll');
  expect(operationOf(paths, 'GET', '/elsewhere')).toBe('other');
});
