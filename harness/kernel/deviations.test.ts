import { expect, test } from 'vitest';
import { closestNames, Deviations, NO_DEVIATIONS } from './deviations.ts';
import { HarnessError } from './errors.ts';

const KNOWN = { 'transmitter-typ-jwt': 'types SETs as JWT', 'transmitter-no-txn': 'leaves txn out' };

test('a switch is off until enabled, and off again when disabled or cleared', () => {
  const d = new Deviations(KNOWN, ['transmitter-no-txn']);
  expect(d.on('transmitter-no-txn')).toBe(true);
  expect(d.on('transmitter-typ-jwt')).toBe(false);
  d.enable('transmitter-typ-jwt');
  expect(d.active()).toEqual(['transmitter-no-txn', 'transmitter-typ-jwt']);
  d.disable('transmitter-no-txn');
  expect(d.active()).toEqual(['transmitter-typ-jwt']);
  d.clear();
  expect(d.active()).toEqual([]);
  expect(NO_DEVIATIONS.on('transmitter-typ-jwt')).toBe(false);
});

test('a misspelt name is a usage error naming the closest ones, never a quietly compliant service', () => {
  const attempt = (): Deviations => new Deviations(KNOWN, ['transmiter-typ-jwt']);
  expect(attempt).toThrow(HarnessError);
  expect(attempt).toThrow(/unknown deviation "transmiter-typ-jwt"; did you mean "transmitter-typ-jwt"/);
  expect(() => new Deviations(KNOWN).disable('nothing-like-it')).toThrow(
    /unknown deviation "nothing-like-it" \(/,
  );
  expect(closestNames('zzzz', Object.keys(KNOWN))).toEqual([]);
});
