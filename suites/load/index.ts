/**
 * The load plan: `ssf-lab load` pushes SETs at a receiver and grades the run against the target file's
 * objectives.
 * @module
 */

export {
  ARTILLERY_AUTH_ENV,
  ARTILLERY_KEY_ENV,
  ARTILLERY_PROCESSOR,
  ARTILLERY_SCRIPT,
  type ArtilleryFiles,
  artilleryExport,
} from './artillery.ts';
export * from './checks.ts';
export { type LoadRequestSettings, type LoadSamples, runLoad, type SetOutcome } from './load-engine.ts';
export { type LatencySummary, type LoadStats, percentile, summarize } from './load-stats.ts';
export * from './options.ts';
export { loadPlan, processedJtis, receiverLoad } from './plan.ts';
export { buildSetPool, isInvalidAt, type SetPool } from './set-pool.ts';
