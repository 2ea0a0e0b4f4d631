/**
 * The black-box target against a lab on loopback, reached only with the global fetch and its manifest:
 * the file it builds is a valid target file holding no secret, and the set-up it did is visible through
 * the same public APIs — and undone by close(). The full run against the built `ssf-lab serve` is
 * harness/cli/self-test-black-box.extended.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseTarget } from '../config/target.ts';
import { configureSeed, type Lab, type LabManifest, labManifest, startLab } from '../lab/index.ts';
import { blackBoxTarget } from './black-box-target.ts';
import { PLAN_ENTRIES } from './plan-entries.ts';

let lab: Lab;
let manifest: LabManifest;

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', seed: 1, devices: 4, intercept: false });
  await configureSeed(lab);
  manifest = labManifest(lab);
});

afterAll(async () => {
  await lab?.close();
});

const schemas = Object.fromEntries(PLAN_ENTRIES.map((e) => [e.plan.name, e.plan.optionsSchema as object]));

async function json(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  // A lab control takes the manifest's admin token, as the black-box set-up sends it.
  const admin: Record<string, string> =
    new URL(url).pathname.startsWith('/_lab/') && manifest.lab !== undefined
      ? { authorization: `Bearer ${manifest.lab.adminToken}` }
      : {};
  const response = await fetch(url, { headers: { accept: 'application/json', ...admin, ...headers } });
  expect(response.status, url).toBe(200);
  return response.json();
}

test('a valid, secret-free target file for every plan, whose set-up is visible through the APIs and undone by close()', async () => {
  const built = await blackBoxTarget(manifest);
  let closed = false;
  try {
    const text = JSON.stringify(built.target, null, 2);
    expect(Object.keys(built.target.plans)).toEqual(PLAN_ENTRIES.map((e) => e.plan.name));
    for (const value of Object.values(built.env)) expect(text).not.toContain(value);
    expect(Object.keys(built.env).sort()).toEqual([
      'SSF_LAB_APP_SESSION_COOKIE',
      'SSF_LAB_INTEGRATION_OKTA_SESSION_0',
      'SSF_LAB_INTEGRATION_PROBE_BODY_2',
      'SSF_LAB_INTEGRATION_PROBE_HEADERS_0',
      'SSF_LAB_INTEGRATION_PROBE_HEADERS_1',
      'SSF_LAB_INTEGRATION_PROBE_HEADERS_2',
      // The lab admin token for the triggers' /_lab/threats, named only.
      'SSF_LAB_INTEGRATION_RESOLVE_HEADERS',
      'SSF_LAB_INTEGRATION_TRIGGER_HEADERS',
      'SSF_LAB_LOGOUT_PRIVATE_JWK',
      'SSF_LAB_OKTA_API_TOKEN',
      'SSF_LAB_OKTA_RECEIVER_PRIVATE_JWK',
      'SSF_LAB_RECEIVER_PRIVATE_JWK',
      'SSF_LAB_STREAM_TOKEN',
      'SSF_LAB_TRANSMITTER_TRIGGER_HEADERS',
      'SSF_LAB_TRANSMITTER_TRIGGER_RESOLVE_HEADERS',
    ]);

    const target = parseTarget(text, 'black-box.target.json', schemas, built.env);
    expect([...target.secretPaths].sort()).toEqual([
      'plans.integration.apps[0].sessionProbe.headers',
      'plans.integration.apps[1].sessionProbe.headers',
      'plans.integration.apps[2].sessionProbe.body',
      'plans.integration.apps[2].sessionProbe.headers',
      'plans.integration.okta.apiToken',
      'plans.integration.oktaSessionIds[0]',
      'plans.integration.resolve.headers',
      'plans.integration.trigger.headers',
      'plans.okta-receiver.okta.apiToken',
      'plans.okta-receiver.privateJwk',
      'plans.ssf-receiver.privateJwk',
      'plans.ssf-transmitter.eventTrigger.headers',
      'plans.ssf-transmitter.eventTrigger.resolve.headers',
      'plans.ssf-transmitter.token',
      'plans.universal-logout.privateJwk',
      'plans.universal-logout.sessionProbe.headers.cookie',
    ]);
    const plans = target.plans as Record<string, Record<string, unknown>>;
    expect(plans['ssf-transmitter']?.token).toBe(manifest.jamfSecurityCloud.streamToken);
    // No API makes a second receiver account: the isolation check skips in black-box mode.
    expect(plans['ssf-transmitter']).not.toHaveProperty('secondToken');

    // The harness JWKS is hosted on 127.0.0.1, one issuer per plan, public keys only.
    const receiver = plans['ssf-receiver'] as { issuer: string; subject: unknown };
    const jwks = (await json(`${receiver.issuer}/jwks.json`)) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const okta = plans['okta-receiver'] as { jwksUrl: string; subject: unknown; registerProvider: boolean };
    expect(okta.registerProvider).toBe(true);
    expect(((await json(okta.jwksUrl)) as { keys: unknown[] }).keys).toHaveLength(1);
    // Two different fleet users, each on a device of theirs.
    expect(receiver.subject).not.toEqual(okta.subject);

    // Okta knows the ssf-receiver issuer as a provider; Salesforce trusts the logout issuer.
    const sswsHeader = { authorization: `SSWS ${manifest.okta.apiToken}` };
    const providers = async (): Promise<string[]> =>
      (
        (await json(`${manifest.okta.url}/api/v1/security-events-providers`, sswsHeader)) as {
          settings: { issuer: string };
        }[]
      ).map((p) => p.settings.issuer);
    expect(await providers()).toContain(receiver.issuer);
    const logout = plans['universal-logout'] as { issuer: string; endpoint: string };
    const salesforce = manifest.apps.find((a) => a.name === 'Salesforce')?.url ?? '';
    expect(logout.endpoint.startsWith(salesforce)).toBe(true);
    const trusted = (await json(`${salesforce}/_lab/trusted-issuers`)) as { issuers: { issuer: string }[] };
    expect(trusted.issuers.map((i) => i.issuer)).toContain(logout.issuer);

    await built.close();
    closed = true;
    expect(await providers()).not.toContain(receiver.issuer);
    await expect(fetch(`${receiver.issuer}/jwks.json`)).rejects.toThrow();
  } finally {
    if (!closed) await built.close();
  }
});
