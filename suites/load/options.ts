/**
 * What the load plan runs with: the receiver as its plan section describes it (endpoint, key, issuer,
 * audience, subject, profile), the knobs and objectives of the target file's `load` section, and the CA
 * to trust for https. The `load` section itself is validated with the target file
 * (harness/config/load-settings.ts); this plan only reads it.
 */
import type { OktaReceiverOptions } from '../okta-receiver/index.ts';
import type { ProcessedSetsOptions, SsfReceiverOptions } from '../ssf-receiver/index.ts';

export interface LoadKnobs {
  readonly count?: number;
  readonly duration?: number;
  readonly rate?: number;
  readonly connections?: number;
  readonly invalidShare?: number;
  readonly timeoutMs?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly minThroughput?: number;
  readonly maxErrorRate?: number;
  readonly processedSets?: ProcessedSetsOptions;
}

export type LoadRunOptions =
  | {
      readonly plan: 'ssf-receiver';
      readonly receiver: SsfReceiverOptions;
      readonly load: LoadKnobs;
      readonly ca?: string;
    }
  | {
      readonly plan: 'okta-receiver';
      readonly receiver: OktaReceiverOptions;
      readonly load: LoadKnobs;
      readonly ca?: string;
    };

export const LOAD_DEFAULT_COUNT = 1000;
export const LOAD_DEFAULT_CONNECTIONS = 10;
export const LOAD_DEFAULT_TIMEOUT_MS = 10_000;
/** How many SETs the run signs: the count, or `rate × duration` (a duration needs a rate: see load-run.ts). */
export function setsToSign(load: LoadKnobs): number {
  if (load.count !== undefined) return load.count;
  if (load.duration !== undefined && load.rate !== undefined) return Math.ceil(load.rate * load.duration);
  return LOAD_DEFAULT_COUNT;
}
