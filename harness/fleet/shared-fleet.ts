/**
 * One fleet per process for each set of fleet options. Every mock of a lab generates the fleet from the
 * same options (they share no state, only the seed), and generating one costs about 0.1 ms per device
 * (faker) — a second at 10,000 devices, six times over for a whole lab. Fleets are immutable (every member
 * is readonly), so mocks built with equal options can share one.
 */
import { type Fleet, type FleetOptions, generateFleet } from './fleet.ts';

/** How many distinct fleets are kept; the oldest of more is dropped (a test process builds a few). */
export const FLEET_CACHE_SIZE = 8;

const fleets = new Map<string, Fleet>();

/**
 * `fleet` frozen through and through, so a mock that changed a shared user or device would throw (ES
 * modules are strict) instead of quietly changing every other mock's fleet.
 */
function frozen(fleet: Fleet): Fleet {
  for (const user of fleet.users) Object.freeze(user);
  for (const device of fleet.devices) Object.freeze(device);
  Object.freeze(fleet.users);
  Object.freeze(fleet.devices);
  return Object.freeze(fleet);
}

/** The fleet for `options`, generated once per process (equal to `generateFleet(options)`). */
export function sharedFleet(options: FleetOptions = {}): Fleet {
  const key = JSON.stringify([options.seed, options.devices, options.domain, options.macShare]);
  const cached = fleets.get(key);
  if (cached) {
    // Used again: to the young end, so the fleets in use are the last dropped.
    fleets.delete(key);
    fleets.set(key, cached);
    return cached;
  }
  const fleet = frozen(generateFleet(options));
  fleets.set(key, fleet);
  for (const old of fleets.keys()) {
    if (fleets.size <= FLEET_CACHE_SIZE) break;
    fleets.delete(old);
  }
  return fleet;
}
