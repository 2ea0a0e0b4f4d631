/**
 * The stream-management checks against captured facts: each holds on what a well-behaved receiver leaves
 * behind, fails on the plan's failing cases (failing-cases.testing.ts) saying what went wrong, and skips
 * where it cannot apply. Pure: no servers (the module's run is proven against the reference receiver in
 * harness/certify/certify-ssf-receiver-streams).
 */
import { describe, expect, test } from 'vitest';
import { transmitterPaths } from '../../harness/ssf/index.ts';
import { type Check, isSkip } from '../core/index.ts';
import {
  call,
  FAILING_CASES,
  WELL_BEHAVED as good,
  NO_STREAM as noStream,
  POLL,
} from './failing-cases.testing.ts';
import {
  acceptsSolicitedVerification,
  acceptsUnsolicitedVerification,
  createsItsStream,
  deletesItsStream,
  operationOf,
  refusesWrongState,
  requestsVerification,
  STREAM_MANAGEMENT_CHECKS,
  type StreamManagementCapture,
  type VerificationOutcome,
} from './stream-management.ts';

function messages(check: Check<StreamManagementCapture>, captured: StreamManagementCapture): string[] {
  const verdict = check.evaluate(captured);
  if (isSkip(verdict)) throw new Error(`${check.id} skipped: ${verdict.skip}`);
  return verdict.map((p) => p.message);
}

function skips(check: Check<StreamManagementCapture>, captured: StreamManagementCapture): void {
  expect(isSkip(check.evaluate(captured)), check.id).toBe(true);
}

/** What the failing cases of `check` whose `why` matches say (at least one case), one string per case. */
function saidBy(check: Check<StreamManagementCapture>, why: RegExp): string[] {
  const found = FAILING_CASES.filter((c) => c.check.id === check.id && why.test(c.why));
  expect(found.length, `no failing case of ${check.id} says ${why}`).toBeGreaterThan(0);
  return found.map((c) => messages(check, c.captured as StreamManagementCapture).join('\n'));
}

test('every check holds on what a well-behaved receiver leaves behind', () => {
  for (const check of STREAM_MANAGEMENT_CHECKS) expect(messages(check, good), check.id).toEqual([]);
});

test('with no stream created, only receiver-creates-its-stream is judged', () => {
  for (const said of saidBy(createsItsStream, /never creates/)) expect(said).toMatch(/created no stream/);
  for (const said of saidBy(createsItsStream, /no request at all/))
    expect(said).toMatch(/no request .*issuer https:\/\/harness\.example\/ssf-transmitter/);
  for (const said of saidBy(createsItsStream, /refused with 400/)) expect(said).toMatch(/HTTP 400/);
  skips(createsItsStream, { ...noStream, expected: ['verify'] });
  for (const check of STREAM_MANAGEMENT_CHECKS.filter((c) => c !== createsItsStream)) skips(check, noStream);
});

describe('verification events', () => {
  test('receiver-accepts-unsolicited-verification', () => {
    for (const said of saidBy(acceptsUnsolicitedVerification, /"invalid_state"/))
      expect(said).toMatch(/unsolicited .* HTTP 400 "invalid_state"/);
    // 200 is not the 202 RFC 8935 asks for, though the transmitter counts it delivered.
    for (const said of saidBy(acceptsUnsolicitedVerification, /with 200/)) expect(said).toMatch(/HTTP 200/);
    for (const said of saidBy(acceptsUnsolicitedVerification, /never answers/))
      expect(said).toMatch(/no answer \(timeout\).*still queued/);
    const { unsolicited: _gone, ...withoutUnsolicited } = good;
    skips(acceptsUnsolicitedVerification, withoutUnsolicited);
  });

  test('on a poll stream, accepted means acknowledged', () => {
    const poll = { ...good, stream: { ...good.stream, deliveryMethod: POLL } } as StreamManagementCapture;
    const acked: VerificationOutcome = { jti: 'u1', outcome: 'acked', answers: [] };
    expect(messages(acceptsUnsolicitedVerification, { ...poll, unsolicited: acked })).toEqual([]);
    for (const said of saidBy(acceptsUnsolicitedVerification, /never acknowledges/))
      expect(said).toMatch(/never acknowledged/);
    // Acking only the solicited event does not satisfy the unsolicited check (OIDF's rule).
    expect(
      messages(acceptsSolicitedVerification, { ...poll, solicited: [{ ...acked, jti: 'v1', state: 'abc' }] }),
    ).toEqual([]);
  });

  test('receiver-requests-verification', () => {
    for (const said of saidBy(requestsVerification, /never requests/))
      expect(said).toMatch(/requested no verification/);
    for (const said of saidBy(requestsVerification, /request is refused/))
      expect(said).toMatch(/refused \(HTTP 400\)/);
    skips(requestsVerification, {
      ...good,
      calls: [call('create', 201)],
      solicited: [],
      expected: ['create'],
    });
  });

  test('receiver-accepts-solicited-verification', () => {
    for (const said of saidBy(acceptsSolicitedVerification, /it asked for/))
      expect(said).toMatch(/solicited .* HTTP 400/);
    skips(acceptsSolicitedVerification, { ...good, solicited: [] });
  });
});

test('receiver-refuses-wrong-state', () => {
  for (const said of saidBy(refusesWrongState, /accepts a Verification event whose/))
    expect(said).toMatch(/took a Verification event whose state "never-asked" it never asked for/);
  for (const said of saidBy(refusesWrongState, /not "invalid_state"/))
    expect(said).toMatch(/invalid_request/);
  for (const said of saidBy(refusesWrongState, /polling receiver/))
    expect(said).toMatch(/took a Verification/);
  // Refused by poll with a setErr naming invalid_state.
  const polled = { ...good, stream: { ...good.stream, deliveryMethod: POLL } } as StreamManagementCapture;
  expect(
    refusesWrongState.evaluate({
      ...polled,
      wrongState: { jti: 'w1', outcome: 'dropped', reason: 'setErr invalid_state', answers: [] },
    }),
  ).toEqual([]);
  // No stream, no verification asked for, or the event never answered (the stream went first): skipped.
  skips(refusesWrongState, noStream);
  const { wrongState: _w, ...unasked } = good;
  skips(refusesWrongState, unasked);
  skips(refusesWrongState, { ...good, wrongState: { jti: 'w1', outcome: 'dropped', answers: [] } });
});

test('receiver-deletes-its-stream', () => {
  for (const said of saidBy(deletesItsStream, /never does/)) expect(said).toMatch(/did not delete/);
  for (const said of saidBy(deletesItsStream, /answered 404/)) expect(said).toMatch(/HTTP 404/);
  const kept = { ...good, calls: [], stream: { ...good.stream, deleted: false } } as StreamManagementCapture;
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
