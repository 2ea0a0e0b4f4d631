/**
 * SSF 1.0 §8.1.3.1 subject matching, including the spec's own examples.
 */
import { expect, test } from 'vitest';
import { StreamSubjects, subjectsMatch } from './subject-matching.ts';

const U = { format: 'email', email: 'u@example.com' };
const D = { format: 'opaque', id: 'device-1' };
const X = { format: 'opaque', id: 'tenant-x' };
const G1 = { format: 'opaque', id: 'g1' };
const G2 = { format: 'opaque', id: 'g2' };

test('simple subjects match only when identical (member order does not matter)', () => {
  expect(subjectsMatch(U, { email: 'u@example.com', format: 'email' })).toBe(true);
  expect(subjectsMatch(U, { format: 'email', email: 'v@example.com' })).toBe(false);
  expect(subjectsMatch(U, { format: 'opaque', id: 'u@example.com' })).toBe(false);
});

test('the spec examples: tenant matches tenant+user, user+device matches user, different groups do not', () => {
  expect(subjectsMatch({ format: 'complex', tenant: X }, { format: 'complex', tenant: X, user: U })).toBe(
    true,
  );
  expect(subjectsMatch({ format: 'complex', user: U, device: D }, { format: 'complex', user: U })).toBe(true);
  expect(
    subjectsMatch({ format: 'complex', user: U, group: G1 }, { format: 'complex', user: U, group: G2 }),
  ).toBe(false);
});

test('complex subjects with no member in common do not match', () => {
  expect(subjectsMatch({ format: 'complex', user: U }, { format: 'complex', device: D })).toBe(false);
});

test('a simple subject matches a complex subject that has it as a member', () => {
  expect(subjectsMatch(U, { format: 'complex', user: U, device: D })).toBe(true);
  expect(subjectsMatch({ format: 'complex', device: D }, U)).toBe(false);
});

test('a stream with default subjects NONE carries only what was added', () => {
  const subjects = new StreamSubjects('NONE');
  expect(subjects.includes(U)).toBe(false);
  subjects.add(U);
  expect(subjects.includes(U)).toBe(true);
  expect(subjects.includes({ format: 'complex', user: U, session: { format: 'opaque', id: 's' } })).toBe(
    true,
  );
  subjects.remove(U);
  expect(subjects.includes(U)).toBe(false);
});

test('a stream with default subjects ALL carries everything not removed, and re-adding restores it', () => {
  const subjects = new StreamSubjects('ALL');
  expect(subjects.includes(D)).toBe(true);
  subjects.remove(D);
  expect(subjects.includes(D)).toBe(false);
  expect(subjects.includes({ format: 'complex', user: U, device: D })).toBe(false);
  subjects.add(D);
  expect(subjects.includes(D)).toBe(true);
  expect(subjects.removed).toEqual([]);
});
