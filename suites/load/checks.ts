/**
 * The load plan's checks. Each judges the capture of one run — the figures (load-stats.ts), the
 * objectives the target file set, and what the receiver's processed list showed — and does no I/O.
 * An objective the file does not set is skipped, never passed.
 */
import { type Check, defineCheck, problem, skip, type Verdict } from '../core/index.ts';
import type { LoadStats } from './load-stats.ts';
import type { LoadKnobs } from './options.ts';

export interface EffectsCapture {
  /** How many SETs the list held. */
  readonly listed: number;
  /** Valid SETs answered 202 that the list lacks (the first 20), and how many in all. */
  readonly lost: readonly string[];
  readonly lostCount: number;
  /** Invalid SETs the list holds as processed (the first 20), and how many in all. */
  readonly forged: readonly string[];
  readonly forgedCount: number;
}

export interface LoadCapture {
  readonly load: LoadKnobs;
  readonly stats: LoadStats;
  /** The receiver's processed list after the run; absent when none was configured. */
  readonly effects?: EffectsCapture | { readonly error: string };
  /** Milliseconds spent signing the SETs before the run (not part of the run's figures). */
  readonly signingMs: number;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;

function latencyCheck(which: 'p50' | 'p95' | 'p99'): Check<LoadCapture> {
  const knob = `${which}Ms` as const;
  return defineCheck<LoadCapture>({
    id: `load-${which}-within-slo`,
    title: `The ${which} latency under load is within the target file's load.${knob}.`,
    requirement: 'LAB-LOAD-SLO-LATENCY',
    evaluate({ load, stats }): Verdict {
      const bound = load[knob];
      if (bound === undefined) return skip(`the target file sets no load.${knob}`);
      if (stats.answered === 0) return [problem('no answer came back, so no latency was measured')];
      const got = stats.latencyMs[which];
      return got <= bound
        ? []
        : [
            problem(`${which} latency was ${ms(got)}, above load.${knob} = ${ms(bound)}`, {
              [which]: got,
              bound,
            }),
          ];
    },
  });
}

export const p50WithinSlo = latencyCheck('p50');
export const p95WithinSlo = latencyCheck('p95');
export const p99WithinSlo = latencyCheck('p99');

export const throughputMeetsSlo = defineCheck<LoadCapture>({
  id: 'load-throughput-meets-slo',
  title: "The receiver's throughput under load is at least the target file's load.minThroughput.",
  requirement: 'LAB-LOAD-SLO-THROUGHPUT',
  evaluate({ load, stats }) {
    if (load.minThroughput === undefined) return skip('the target file sets no load.minThroughput');
    return stats.throughput >= load.minThroughput
      ? []
      : [
          problem(
            `${stats.throughput.toFixed(1)} answers/s over ${(stats.durationMs / 1000).toFixed(1)} s, below load.minThroughput = ${load.minThroughput}`,
            { throughput: stats.throughput, minThroughput: load.minThroughput },
          ),
        ];
  },
});

export const validSetsAccepted = defineCheck<LoadCapture>({
  id: 'load-valid-sets-accepted',
  title:
    'Under load, the receiver acknowledges valid SETs with 202, within the share load.maxErrorRate allows.',
  requirement: 'RFC8935-2.2',
  evaluate({ load, stats }) {
    const { sent, accepted, notAccepted } = stats.valid;
    if (sent === 0) return skip('no valid SET was sent');
    const allowed = load.maxErrorRate ?? 0;
    const missed = sent - accepted;
    if (missed / sent <= allowed) return [];
    const statuses = Object.entries(stats.statuses)
      .filter(([s]) => s !== '202')
      .map(([s, n]) => `${n}× ${s === 'none' ? 'no answer' : `HTTP ${s}`}`)
      .join(', ');
    return [
      problem(
        `${missed} of ${sent} valid SETs were not acknowledged with 202 (${statuses}${stats.timeouts > 0 ? `; ${stats.timeouts} timeouts` : ''}), more than load.maxErrorRate = ${allowed} allows`,
        { firstJtis: notAccepted, errs: stats.errs },
      ),
    ];
  },
});

export const invalidSetsRefused = defineCheck<LoadCapture>({
  id: 'load-invalid-sets-refused',
  title: 'Under load, the receiver refuses every SET signed by a key it does not know with 400.',
  requirement: 'RFC8935-2.3',
  evaluate({ stats }) {
    const { sent, refused, accepted } = stats.invalid;
    if (sent === 0) return skip('load.invalidShare is 0: no invalid SET was sent');
    if (refused === sent) return [];
    return [
      problem(`${sent - refused} of ${sent} SETs signed by an unknown key were not refused with 400`, {
        acceptedJtis: accepted,
      }),
    ];
  },
});

export const acceptedSetsTookEffect = defineCheck<LoadCapture>({
  id: 'load-accepted-sets-took-effect',
  title:
    'Every SET the receiver acknowledged under load is in its list of processed SETs, and no refused one is.',
  requirement: 'LAB-LOAD-EFFECT',
  evaluate({ effects }) {
    if (effects === undefined)
      return skip('the receiver exposes no list of the SETs it processed (no processedSets)');
    if ('error' in effects) return [problem(`the processed list could not be read: ${effects.error}`)];
    const problems = [];
    if (effects.lostCount > 0)
      problems.push(
        problem(`${effects.lostCount} SETs acknowledged with 202 are not in the receiver's processed list`, {
          firstJtis: effects.lost,
        }),
      );
    if (effects.forgedCount > 0)
      problems.push(
        problem(`${effects.forgedCount} SETs signed by an unknown key are in the receiver's processed list`, {
          firstJtis: effects.forged,
        }),
      );
    return problems;
  },
});

export const LOAD_CHECKS: readonly Check<LoadCapture>[] = [
  validSetsAccepted,
  invalidSetsRefused,
  acceptedSetsTookEffect,
  p50WithinSlo,
  p95WithinSlo,
  p99WithinSlo,
  throughputMeetsSlo,
];
