/**
 * The harness pieces the Okta mock and its tests use, taken from their own modules instead of the unit
 * indexes: `harness/protocol/index.ts` also loads the SET validator, ajv and every wire schema, and
 * `harness/ssf/index.ts` the whole transmitter and receiver — about a second per process that the mock never
 * needs (measured on two cores). Only harness/protocol, harness/ssf and harness/fleet are imported, as
 * ARCHITECTURE.md allows a mock.
 */
export { type IdSource, randomIds } from '../../../harness/protocol/clock.ts';
export {
  type JwkSet,
  jwksFromObject,
  jwksFromUrl,
  type KeySource,
  parseJwks,
} from '../../../harness/protocol/set/jwks.ts';
export { generateSigningKey, publicJwks, type SigningKey } from '../../../harness/protocol/set/keys.ts';
export { createHttpFetch } from '../../../harness/ssf/http-fetch.ts';
export { createInjectFetch } from '../../../harness/ssf/inject-fetch.ts';
export { type Scheduler, systemScheduler, VirtualScheduler } from '../../../harness/ssf/scheduler.ts';
