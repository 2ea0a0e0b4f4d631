import { expect, test } from 'vitest';
import {
  longExchanges,
  pollingExchanges,
  scenarioModule,
  troubledExchanges,
} from './certification.fixtures.testing.ts';
import { DEFAULT_MAX_ARROWS, MAX_PARTICIPANTS, planSequence, renderSequenceSvg } from './sequence.ts';

test('a short run gets one arrow per exchange, participants in the flow order', () => {
  const exchanges = scenarioModule().exchanges;
  const plan = planSequence(exchanges);
  expect(plan.arrows).toBe(exchanges.length);
  expect(plan.rows.every((r) => r.kind === 'message' && r.exchanges.length === 1)).toBe(true);
  expect(plan.participants).toEqual([
    'harness',
    'jamf-security-cloud',
    'okta',
    'salesforce',
    'google-workspace',
    'office365',
  ]);
  // Jamf Pro comes between the harness and Jamf Security Cloud, whatever order the calls came in.
  expect(planSequence(troubledExchanges()).participants).toEqual([
    'harness',
    'jamf-pro',
    'jamf-security-cloud',
    'okta',
    'office365',
  ]);
});

test('three or more identical consecutive calls become one ×N arrow; the query does not matter', () => {
  const plan = planSequence(pollingExchanges(40));
  expect(plan.arrows).toBe(3);
  expect(plan.rows.map((r) => (r.kind === 'message' ? r.exchanges.length : -1))).toEqual([1, 40, 1]);
  expect(plan.groupedExchanges).toBe(39);
  expect(plan.elidedExchanges).toBe(0);
  // Two alike are drawn as two.
  expect(planSequence(pollingExchanges(2)).arrows).toBe(4);
});

test('past the cap, the first and last arrows and every notable one are kept, gaps counted', () => {
  const long = longExchanges(1000);
  const withSet = [...long];
  const set = scenarioModule().exchanges.find((e) => e.set);
  if (!set) throw new Error('fixture has no SET');
  withSet[500] = { ...set, seq: 501, at: withSet[500]?.at ?? 0 };
  const plan = planSequence(withSet, { maxArrows: 120 });
  expect(plan.arrows).toBe(120);
  expect(plan.elidedExchanges).toBe(1000 - 120);
  const drawn = plan.rows.flatMap((r) => (r.kind === 'message' ? r.exchanges.map((e) => e.seq) : []));
  expect(drawn[0]).toBe(1);
  expect(drawn.at(-1)).toBe(1000);
  expect(drawn).toContain(501);
  const gaps = plan.rows.filter((r) => r.kind === 'gap');
  expect(gaps.length).toBe(plan.gaps);
  expect(gaps.reduce((n, g) => n + (g.kind === 'gap' ? g.exchanges : 0), 0)).toBe(880);
  expect(planSequence(long).arrows).toBe(DEFAULT_MAX_ARROWS);
});

test('many unknown origins share one (other) lifeline', () => {
  const base = scenarioModule().exchanges[0];
  if (!base) throw new Error('fixture is empty');
  const timeline = Array.from({ length: 30 }, (_, i) => ({
    ...base,
    seq: i + 1,
    to: `https://host-${i}.example`,
  }));
  const plan = planSequence(timeline);
  expect(plan.participants).toHaveLength(MAX_PARTICIPANTS);
  expect(plan.participants.at(-1)).toBe('(other)');
});

test('the margin counts real time when every exchange carries it: a lab on virtual time keeps `at` still', () => {
  const exchanges = scenarioModule().exchanges;
  const still = exchanges[0]?.at ?? 0;
  const timeline = exchanges.map((x, i) => ({ ...x, at: still, realMs: 100 + i * 7 }));
  const plan = planSequence(timeline);
  const margins = (svg: string): string[] =>
    [...svg.matchAll(/<text class="elapsed"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
  const real = renderSequenceSvg(timeline, plan, {
    idPrefix: 'r',
    originMs: still,
    originRealMs: 0,
    title: 't',
  });
  expect(margins(String(real)).slice(0, 3)).toEqual(['+100 ms', '+107 ms', '+114 ms']);
  const lab = renderSequenceSvg(timeline, plan, { idPrefix: 'l', originMs: still, title: 't' });
  expect(new Set(margins(String(lab)))).toEqual(new Set(['+0 ms']));
});
