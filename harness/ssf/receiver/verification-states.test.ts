/**
 * VerificationStates: how a Verification event's `state` is judged against what the Receiver asked for.
 */
import { expect, test } from 'vitest';
import { STATES_KEPT_PER_STREAM, VerificationStates } from './verification-states.ts';

test('an event without state is accepted even on a stream where a state was requested', () => {
  const states = new VerificationStates();
  states.expect('s1', 'abc');
  expect(states.judge('s1', undefined)).toBe('ok');
  // ...and the outstanding state is not consumed by it.
  expect(states.outstanding('s1')).toEqual(['abc']);
});

test('a state on a stream the receiver never asked to verify is accepted', () => {
  const states = new VerificationStates();
  states.expect('other', 'abc');
  expect(states.judge('s1', 'anything')).toBe('ok');
});

test('the state the receiver asked for matches and is then consumed', () => {
  const states = new VerificationStates();
  states.expect('s1', 'abc');
  expect(states.judge('s1', 'abc')).toBe('ok');
  expect(states.outstanding('s1')).toEqual([]);
  // Once consumed, the same state is no longer expected on that stream.
  expect(states.judge('s1', 'abc')).toBe('mismatch');
});

test('a state the receiver did not ask for on that stream is a mismatch', () => {
  const states = new VerificationStates();
  states.expect('s1', 'abc');
  states.expect('s2', 'xyz');
  expect(states.judge('s1', 'xyz')).toBe('mismatch');
  expect(states.judge('s1', 'ABC')).toBe('mismatch');
  expect(states.outstanding('s1')).toEqual(['abc']);
});

test('a state that is not a string is a mismatch on a stream that was asked', () => {
  const states = new VerificationStates();
  states.expect('s1', '42');
  expect(states.judge('s1', 42)).toBe('mismatch');
  expect(states.judge('s1', null)).toBe('mismatch');
});

test('only the last 8 states per stream are kept', () => {
  const states = new VerificationStates();
  for (let i = 1; i <= 10; i++) states.expect('s1', `st${i}`);
  expect(STATES_KEPT_PER_STREAM).toBe(8);
  expect(states.outstanding('s1')).toHaveLength(8);
  expect(states.judge('s1', 'st1')).toBe('mismatch');
  expect(states.judge('s1', 'st2')).toBe('mismatch');
  expect(states.judge('s1', 'st3')).toBe('ok');
  expect(states.judge('s1', 'st10')).toBe('ok');
});

test('any of the outstanding states matches, in any order', () => {
  const states = new VerificationStates();
  states.expect('s1', 'first');
  states.expect('s1', 'second');
  expect(states.judge('s1', 'second')).toBe('ok');
  expect(states.judge('s1', 'first')).toBe('ok');
});

test('a forgotten stream is judged as never asked', () => {
  const states = new VerificationStates();
  states.expect('s1', 'abc');
  states.forget('s1');
  expect(states.judge('s1', 'zzz')).toBe('ok');
});
