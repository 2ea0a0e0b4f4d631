/**
 * The fleet is deterministic, unique where it must be, and scales.
 */
import { expect, test } from 'vitest';
import { generateFleet } from './fleet.ts';

test('the same seed gives the same fleet, another seed another one', () => {
  expect(generateFleet({ seed: 7 })).toEqual(generateFleet({ seed: 7 }));
  expect(generateFleet({ seed: 7 }).devices[0]?.udid).not.toBe(generateFleet({ seed: 8 }).devices[0]?.udid);
});

test('the default fleet has 20 devices of both kinds, each with a user whose email is on the domain', () => {
  const fleet = generateFleet();
  expect(fleet.devices).toHaveLength(20);
  expect(new Set(fleet.devices.map((d) => d.kind))).toEqual(new Set(['computer', 'mobile']));
  for (const device of fleet.devices) {
    expect(fleet.users).toContain(device.user);
    expect(device.user.email).toMatch(/^[a-z0-9._-]+@acme\.example$/);
    expect(device.udid).toMatch(/^[0-9A-F-]{36}$/);
    expect(device.jscDeviceId).toMatch(/^[0-9a-f-]{36}$/);
  }
});

test('identifiers are unique across a fleet of 10,000 devices', () => {
  const fleet = generateFleet({ seed: 3, devices: 10_000 });
  expect(fleet.devices).toHaveLength(10_000);
  for (const field of ['udid', 'serialNumber', 'jscDeviceId', 'managementId', 'key'] as const) {
    expect(new Set(fleet.devices.map((d) => d[field])).size, field).toBe(10_000);
  }
  expect(new Set(fleet.users.map((u) => u.email)).size).toBe(fleet.users.length);
});

test('a bad device count is refused', () => {
  expect(() => generateFleet({ devices: -1 })).toThrow(RangeError);
  expect(generateFleet({ devices: 0 }).devices).toEqual([]);
});
