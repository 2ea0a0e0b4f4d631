/**
 * The seed's set-up: every step through a public API in the seed's order, every answer a success, what it
 * created visible through the services' APIs; a step that fails stops the set-up with its name and the
 * service's (redacted) answer.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { StepFailedError } from './api-call.ts';
import { configureSeed, HIGH_RISK_GROUP, type SeedConfiguration } from './seed-setup.ts';
import { type Lab, startLab } from './start-lab.ts';

let lab: Lab;
let config: SeedConfiguration;
const steps: string[] = [];

beforeAll(async () => {
  lab = await startLab({ seed: 6, devices: 4, intercept: false });
  config = await configureSeed(lab, { onStep: (s) => steps.push(s) });
});
afterAll(async () => {
  await lab.close();
});

test("the steps run in the seed's order, each through HTTP, with no failed call", () => {
  expect(steps.slice(0, 10)).toEqual([
    'okta: Jamf Trust OIDC app',
    'jsc: Okta identity provider',
    'jsc: UEM Connect to Jamf Pro',
    'jamf-pro + jsc: Device Risk UEM Signaling',
    'jsc + jamf-pro: activation profile, deployment and the Jamf Trust app',
    'jsc: threat prevention policy with Signal-UEM tags',
    'jsc: SSF stream to Okta',
    'okta: security events provider for Jamf Security Cloud',
    'okta: SaaS apps with Universal Logout',
    'okta: Entity Risk Policy rule',
  ]);
  const calls = lab.timeline.entries.filter((e) => e.from === 'harness');
  expect(calls.length).toBeGreaterThan(20);
  expect(calls.filter((e) => (e.status ?? 0) >= 300)).toEqual([]);
  expect(config.activated).toHaveLength(4);
  expect(config.signedIn.length).toBeGreaterThan(0);
});

test('what the set-up made is there: users bound to devices, the smart group, the stream, the provider', async () => {
  for (const device of lab.jsc.tenant.devices()) expect(device.user?.via).toBe('identity-provider');
  const state = await (await lab.fetch(`${lab.urls.jamfSecurityCloud}/_lab/state`)).text();
  expect(state).toContain(config.jsc.streamId);
  const provider = await lab.fetch(
    `${lab.urls.okta}/api/v1/security-events-providers/${config.okta.providerId}`,
    {
      headers: { authorization: `SSWS ${lab.okta.apiToken}` },
    },
  );
  expect(((await provider.json()) as { status: string }).status).toBe('ACTIVE');
  expect(
    lab.timeline.entries.some(
      (e) =>
        e.url.endsWith('/api/v2/computer-groups/smart-groups') && e.requestBody?.includes(HIGH_RISK_GROUP),
    ),
  ).toBe(true);
});

test('a failing step stops the set-up and says which step, what was called and what came back', async () => {
  const broken = await startLab({ seed: 6, devices: 2, intercept: false });
  try {
    broken.faults.down('jamf-pro', { status: 503 });
    const error = await configureSeed(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).step).toBe('jamf-pro: OAuth token');
    expect((error as Error).message).toMatch(/POST https:\/\/jamf-pro\.lab\/api\/oauth\/token answered 503/);
  } finally {
    await broken.close();
  }
});
