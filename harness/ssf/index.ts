/**
 * The reference SSF engines: a complete transmitter and receiver (push and poll) on the protocol core,
 * and (re-exported from the kernel) the scheduler they share for time.
 * @module
 */

// The kernel's schedulers, which the engines run on, as this module has always offered them.
export {
  type Scheduler,
  seededRandom,
  systemScheduler,
  type Timer,
  VirtualScheduler,
} from '../kernel/index.ts';
export { createHttpFetch, type HttpFetchOptions } from './http-fetch.ts';
export { createInjectFetch, type Injectable } from './inject-fetch.ts';
export * from './receiver/index.ts';
export {
  addSchemaDocuments,
  type DeclaredRoute,
  declaredRoutes,
  type ObservedAnswer,
  observeResponses,
  type ResponseObserver,
  responseProblems,
  responseSchemaFor,
  useRouteSchemas,
  type ValidationCause,
  validationCauses,
} from './route-schemas.ts';
export * from './transmitter/index.ts';
