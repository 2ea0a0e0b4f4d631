/**
 * Requirements only `ssf-lab load` cites: the service-level objectives a target file sets for a run
 * (`load.p99Ms`, `load.minThroughput`…) and the lab rule that an accepted SET has its effect. No spec
 * bounds a receiver's latency or throughput, so these are lab rules at the level the objective itself
 * asks for: a missed objective fails the run. Merged into the one registry in requirements.ts.
 */
import type { RequirementInput } from './requirements.ts';

export const LOAD_REQUIREMENTS = {
  'LAB-LOAD-SLO-LATENCY': {
    spec: 'LAB',
    section: 'load',
    anchor: 'limits',
    keyword: 'MUST',
    summary:
      "Under the run's load, the receiver answers within the latency the target file sets (load.p50Ms, load.p95Ms, load.p99Ms), at the percentile it names, over every answer.",
    why: "No spec bounds a receiver's latency: the objective is the target file's own, and a run that misses an objective it set fails.",
  },
  'LAB-LOAD-SLO-THROUGHPUT': {
    spec: 'LAB',
    section: 'load',
    anchor: 'limits',
    keyword: 'MUST',
    summary:
      "Under the run's load, the receiver completes at least the answers per second the target file sets (load.minThroughput), over the whole run.",
    why: "No spec sets a throughput: the objective is the target file's own, and a run that misses an objective it set fails.",
  },
  'LAB-LOAD-EFFECT': {
    spec: 'LAB',
    section: 'load',
    anchor: 'limits',
    keyword: 'MUST',
    summary:
      'Every SET the receiver acknowledged with 202 under load appears in the list of SETs it processed, and no SET it should have refused does.',
    why: 'No spec bounds what a receiver loses under load; RFC 8935 §2.2 has it acknowledge a SET it determined valid, so one acknowledged and then lost, or a refused one that takes effect, breaks what the 202 promised → failure.',
  },
} as const satisfies Record<string, RequirementInput>;
