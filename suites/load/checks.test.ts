/**
 * Every load check fails on a capture made to fail it, passes on a healthy one, and skips — never
 * passes — when the target file sets no objective for it.
 */
import { describe, expect, test } from 'vitest';
import { isSkip, type Verdict } from '../core/index.ts';
import {
  acceptedSetsTookEffect,
  invalidSetsRefused,
  LOAD_CHECKS,
  type LoadCapture,
  p50WithinSlo,
  p95WithinSlo,
  p99WithinSlo,
  throughputMeetsSlo,
  validSetsAccepted,
} from './checks.ts';
import type { LoadStats } from './load-stats.ts';

const STATS: LoadStats = {
  sent: 100,
  answered: 100,
  durationMs: 2000,
  throughput: 50,
  latencyMs: { p50: 4, p95: 9, p99: 15, max: 30, mean: 5 },
  statuses: { '202': 90, '400': 10 },
  errs: { invalid_key: 10 },
  timeouts: 0,
  connectionErrors: 0,
  valid: { sent: 90, accepted: 90, notAccepted: [] },
  invalid: { sent: 10, refused: 10, accepted: [] },
  histogram: { boundsMs: [1, 2, 5, 10, 20, 50], counts: [0, 0, 60, 35, 4, 1] },
  perSecond: [50, 50],
};

const HEALTHY: LoadCapture = {
  load: { count: 100, p50Ms: 5, p95Ms: 10, p99Ms: 20, minThroughput: 40, invalidShare: 0.1 },
  stats: STATS,
  effects: { listed: 90, lost: [], lostCount: 0, forged: [], forgedCount: 0 },
  signingMs: 10,
};

const messages = (v: Verdict): string[] => (isSkip(v) ? [`skip: ${v.skip}`] : v.map((p) => p.message));

test('a healthy capture passes every check', () => {
  for (const check of LOAD_CHECKS) expect(messages(check.evaluate(HEALTHY)), check.id).toEqual([]);
});

describe('each check fails', () => {
  test('latency above an objective', () => {
    const slow: LoadCapture = {
      ...HEALTHY,
      stats: { ...STATS, latencyMs: { p50: 6, p95: 11, p99: 21, max: 40, mean: 7 } },
    };
    expect(messages(p50WithinSlo.evaluate(slow))).toEqual([
      'p50 latency was 6.0 ms, above load.p50Ms = 5.0 ms',
    ]);
    expect(messages(p95WithinSlo.evaluate(slow))).toEqual([
      'p95 latency was 11.0 ms, above load.p95Ms = 10.0 ms',
    ]);
    expect(messages(p99WithinSlo.evaluate(slow))).toEqual([
      'p99 latency was 21.0 ms, above load.p99Ms = 20.0 ms',
    ]);
    const silent: LoadCapture = { ...HEALTHY, stats: { ...STATS, answered: 0 } };
    expect(messages(p99WithinSlo.evaluate(silent))).toEqual([
      'no answer came back, so no latency was measured',
    ]);
  });
  test('throughput below the objective', () => {
    const capture: LoadCapture = { ...HEALTHY, stats: { ...STATS, throughput: 39.5 } };
    expect(messages(throughputMeetsSlo.evaluate(capture))).toEqual([
      '39.5 answers/s over 2.0 s, below load.minThroughput = 40',
    ]);
  });
  test('valid SETs not acknowledged beyond the allowed share', () => {
    const capture: LoadCapture = {
      ...HEALTHY,
      stats: {
        ...STATS,
        statuses: { '202': 88, '400': 10, '503': 1, none: 1 },
        timeouts: 1,
        valid: { sent: 90, accepted: 88, notAccepted: ['a', 'b'] },
      },
    };
    expect(messages(validSetsAccepted.evaluate(capture))).toEqual([
      '2 of 90 valid SETs were not acknowledged with 202 (10× HTTP 400, 1× HTTP 503, 1× no answer; 1 timeouts), more than load.maxErrorRate = 0 allows',
    ]);
    // Within the share the file allows, it holds.
    expect(
      messages(validSetsAccepted.evaluate({ ...capture, load: { ...capture.load, maxErrorRate: 0.05 } })),
    ).toEqual([]);
  });
  test('a forged SET not refused', () => {
    const capture: LoadCapture = {
      ...HEALTHY,
      stats: { ...STATS, invalid: { sent: 10, refused: 9, accepted: ['f'] } },
    };
    expect(messages(invalidSetsRefused.evaluate(capture))).toEqual([
      '1 of 10 SETs signed by an unknown key were not refused with 400',
    ]);
  });
  test('an acknowledged SET lost, a forged one processed, or no list to read', () => {
    const capture: LoadCapture = {
      ...HEALTHY,
      effects: { listed: 90, lost: ['l'], lostCount: 3, forged: ['f'], forgedCount: 1 },
    };
    expect(messages(acceptedSetsTookEffect.evaluate(capture))).toEqual([
      "3 SETs acknowledged with 202 are not in the receiver's processed list",
      "1 SETs signed by an unknown key are in the receiver's processed list",
    ]);
    expect(messages(acceptedSetsTookEffect.evaluate({ ...HEALTHY, effects: { error: 'HTTP 500' } }))).toEqual(
      ['the processed list could not be read: HTTP 500'],
    );
  });
});

test('an objective the file does not set is skipped, not passed', () => {
  const bare: LoadCapture = {
    ...HEALTHY,
    load: { count: 100 },
    stats: { ...STATS, invalid: { sent: 0, refused: 0, accepted: [] } },
  };
  const { effects: _none, ...noList } = bare;
  for (const check of [p50WithinSlo, p95WithinSlo, p99WithinSlo, throughputMeetsSlo, invalidSetsRefused])
    expect(isSkip(check.evaluate(bare)), check.id).toBe(true);
  expect(isSkip(acceptedSetsTookEffect.evaluate(noList))).toBe(true);
});
