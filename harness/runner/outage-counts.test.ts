/**
 * Hostile suite: Okta's SET receiver is down while threats are raised on several devices at once. When
 * it comes back, every SET JSC raised must arrive exactly once — none lost in the retries, none delivered
 * twice — and each user be logged out. Counted from the wire (the lab's timeline), on loopback.
 */
import { expect, test } from 'vitest';
import { runScenarioModule } from './run-scenario.ts';
import { defineScenario } from './scenario.ts';

const DEVICES = ['mac', 'mac#2', 'mac#3', 'mobile', 'mobile#2'];

test('SETs raised during a receiver outage each arrive exactly once after it', async () => {
  const rssBefore = process.memoryUsage().rss;
  const module = await runScenarioModule(
    defineScenario({
      name: 'outage with several devices going High',
      setup: { seed: 11, devices: 16 },
      steps: [
        { down: { service: 'okta', path: '/security/' } },
        ...DEVICES.map((device) => ({ threat: { device, category: 'Malware' as const } })),
        // Within JSC's retry budget (8 attempts): a longer outage dead-letters the SET (delivery.test.ts).
        { wait: { until: { attempts: { to: 'okta', count: 4 } }, within: '5m' } },
        { up: { service: 'okta' } },
        { wait: { until: { delivered: { to: 'okta', count: DEVICES.length } }, within: '10m' } },
        { wait: { until: { idle: true }, within: '10m' } },
      ],
      expect: [
        { logout: { user: 'mac#3', salesforce: 'full', 'google-workspace': 'full', office365: 'partial' } },
      ],
    }),
    { target: { transport: 'loopback' } },
  );
  expect(module.error).toBeUndefined();
  expect(module.checks.map((c) => `${c.id}: ${c.status}`)).toEqual(
    module.checks.map((c) => `${c.id}: passed`),
  );
  const pushes = module.exchanges.filter((e) => e.to === 'okta' && e.set?.claims != null);
  const jtiOf = (e: (typeof pushes)[number]): string => String(e.set?.claims?.jti);
  const accepted = pushes.filter((e) => e.status !== undefined && e.status >= 200 && e.status < 300);
  const refused = pushes.filter((e) => !accepted.includes(e));
  // The outage was real: attempts failed before any got through.
  expect(refused.length).toBeGreaterThanOrEqual(4);
  const raised = new Set(pushes.map(jtiOf));
  expect(raised.size).toBeGreaterThanOrEqual(DEVICES.length);
  // Exactly once: every SET ever attempted was accepted once, and only once.
  const timesAccepted = new Map<string, number>();
  for (const e of accepted) timesAccepted.set(jtiOf(e), (timesAccepted.get(jtiOf(e)) ?? 0) + 1);
  expect([...raised].map((jti) => [jti, timesAccepted.get(jti) ?? 0])).toEqual(
    [...raised].map((jti) => [jti, 1]),
  );
  // And JSC's own account (GET /_lab/sets, kept in the run record) agrees: each delivered, none lost.
  const deliveries = module.story?.deliveries ?? [];
  expect(deliveries.filter((d) => raised.has(d.jti)).map((d) => [d.jti, d.state])).toEqual(
    [...raised].map((jti) => [jti, 'delivered']),
  );
  expect(deliveries.filter((d) => d.state === 'dead-lettered' || d.state === 'dropped')).toEqual([]);
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
}, 60_000);
