/**
 * One fleet per set of options in a process: the mocks of a lab share it instead of generating it six
 * times, it equals a freshly generated one, and nothing can change it under the other mocks.
 */
import { expect, test } from 'vitest';
import { generateFleet } from './fleet.ts';
import { FLEET_CACHE_SIZE, sharedFleet } from './shared-fleet.ts';

test('equal options give the very same fleet, equal to a generated one; other options another', () => {
  const a = sharedFleet({ seed: 31, devices: 5 });
  expect(sharedFleet({ seed: 31, devices: 5 })).toBe(a);
  expect(a).toEqual(generateFleet({ seed: 31, devices: 5 }));
  expect(sharedFleet({ seed: 31, devices: 6 })).not.toBe(a);
});

test('a shared fleet is frozen: changing a user or a device throws', () => {
  const fleet = sharedFleet({ seed: 32, devices: 2 });
  const device = fleet.devices[0] as { name: string };
  expect(() => {
    device.name = 'changed';
  }).toThrow(TypeError);
  expect(() => (fleet.users as unknown[]).push({})).toThrow(TypeError);
  expect(Object.isFrozen(fleet.devices[0]?.user)).toBe(true);
});

test(`at most ${FLEET_CACHE_SIZE} fleets are kept; the least recently used goes first`, () => {
  const first = sharedFleet({ seed: 100, devices: 1 });
  const second = sharedFleet({ seed: 101, devices: 1 });
  for (let i = 2; i < FLEET_CACHE_SIZE; i++) sharedFleet({ seed: 100 + i, devices: 1 });
  expect(sharedFleet({ seed: 100, devices: 1 })).toBe(first); // used again: now the youngest
  sharedFleet({ seed: 200, devices: 1 }); // one more: the oldest other (seed 101) goes
  expect(sharedFleet({ seed: 100, devices: 1 })).toBe(first);
  const again = sharedFleet({ seed: 101, devices: 1 });
  expect(again).not.toBe(second);
  expect(again).toEqual(second);
});
