/**
 * The reference SSF engines: a complete transmitter and receiver (push and poll) on the protocol core,
 * and the scheduler they share for time.
 * @module
 */

export { createHttpFetch, type HttpFetchOptions } from './http-fetch.ts';
export { createInjectFetch, type Injectable } from './inject-fetch.ts';
export * from './receiver/index.ts';
export {
  type Scheduler,
  seededRandom,
  systemScheduler,
  type Timer,
  VirtualScheduler,
} from './scheduler.ts';
export * from './transmitter/index.ts';
