/**
 * The lab's deterministic fleet (users and devices), shared by the mocks through their seed.
 * @module
 */
export {
  type DeviceKind,
  type Fleet,
  type FleetDevice,
  type FleetOptions,
  type FleetUser,
  generateFleet,
} from './fleet.ts';
export { FLEET_CACHE_SIZE, sharedFleet } from './shared-fleet.ts';
