/**
 * The three wire formats of mock Jamf Security Cloud's RISK_LEVEL_CHANGED, side by side: one device's
 * risk change reaches three receivers, each judging its SET under the matching profile — `okta` (Okta's
 * device-risk-change, subject inside the event), `ssf` (the same event with a top-level complex `sub_id`,
 * SSF-1.0 strict) and `caep` (CAEP 1.0 risk-level-change, judged
 * under the ssf profile). Devices come from a UEM sync of mock
 * Jamf Pro, the user from a Jamf Trust activation.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { JscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { generateFleet } from '../fleet/index.ts';
import { EVENT_URIS, jwksFromUrl, type ProfileName } from '../protocol/index.ts';
import { type ReceivedSet, SetIntake, ssfPushEndpoint } from '../ssf/index.ts';
import { type JscOverJamfPro, jscOverJamfPro } from './jsc-over-jamf-pro.testing.ts';

const FLEET = { seed: 5, devices: 6 };
const fleet = generateFleet(FLEET);
const mac = fleet.devices.find((d) => d.kind === 'computer');
if (!mac) throw new Error('the fleet has no Mac');

interface Receiver {
  readonly origin: string;
  readonly app: FastifyInstance;
  readonly intake: SetIntake;
  readonly received: ReceivedSet[];
}

let lab: JscOverJamfPro;
let jsc: JscMock;
const receivers = new Map<'okta' | 'ssf' | 'caep', Receiver>();

async function receiver(origin: string, profile: ProfileName, fetchVia: typeof fetch): Promise<Receiver> {
  const received: ReceivedSet[] = [];
  const intake = new SetIntake({
    profile,
    keys: jwksFromUrl(`${jsc.issuer}/ssf/jwks.json`, { fetch: fetchVia }),
    expectedIssuer: jsc.issuer,
    expectedAudience: origin,
    onSet: (set) => {
      received.push(set);
    },
  });
  const app = Fastify();
  await app.register(ssfPushEndpoint, { path: '/events', intake });
  await app.ready();
  return { origin, app, intake, received };
}

beforeAll(async () => {
  lab = await jscOverJamfPro(FLEET, 'formats');
  jsc = lab.jsc;
  const { radarCall, routes } = lab;
  for (const [format, origin, profile] of [
    ['okta', 'https://okta.receiver.lab', 'okta'],
    ['ssf', 'https://ssf.receiver.lab', 'ssf'],
    // Not caep-interop: that profile requires receivers to support only email and iss_sub subjects
    // (CAEP-IOP-2.5), so the complex subject a device risk needs draws a warning there.
    ['caep', 'https://caep.receiver.lab', 'ssf'],
  ] as const) {
    const r = await receiver(origin, profile, lab.fetch);
    routes.set(origin, r.app);
    receivers.set(format, r);
  }
  const profile = await radarCall('POST', '/v1/activation-profiles', {
    name: 'No IdP',
    platforms: ['MAC_OS'],
    capabilities: { threatPrevention: true },
  });
  const activated = await jsc.app.inject({
    method: 'POST',
    url: `/_lab/devices/${mac.udid}/activate`,
    payload: { activationProfileId: profile.json().id, user: mac.user.email },
  });
  expect(activated.statusCode).toBe(200);
  for (const [format, r] of receivers) {
    const stream = await radarCall('POST', '/sse/v1/stream', {
      audience: r.origin,
      endpointUrl: `${r.origin}/events`,
      events: ['RISK_LEVEL_CHANGED'],
      format,
    });
    expect(stream.statusCode).toBe(201);
  }
});

afterAll(async () => {
  await lab.close();
  await Promise.all([...receivers.values()].map((r) => r.app.close()));
});

function only(format: 'okta' | 'ssf' | 'caep'): ReceivedSet {
  const r = receivers.get(format);
  expect(r?.received).toHaveLength(1);
  expect(r?.intake.stats).toMatchObject({ accepted: 1, rejected: 0 });
  return r?.received[0] as ReceivedSet;
}

test('one risk change reaches each stream once, in its format, and each receiver accepts it', async () => {
  const threat = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: mac.serialNumber, category: 'Malware', severity: 'HIGH' },
  });
  expect(threat.statusCode).toBe(201);
  await vi.waitFor(
    () => {
      for (const r of receivers.values())
        expect(r.received.length + r.intake.stats.rejected).toBeGreaterThan(0);
    },
    { timeout: 5000 },
  );
  const user = { format: 'email', email: mac.user.email };
  const device = { format: 'opaque', id: mac.jscDeviceId };

  const okta = only('okta');
  expect(okta.claims).not.toHaveProperty('sub_id');
  expect(okta.claims.events).toEqual({
    [EVENT_URIS.oktaDeviceRiskChange]: expect.objectContaining({
      previous_level: 'secure',
      current_level: 'high',
      subject: { user, device },
    }),
  });

  const ssf = only('ssf');
  expect(ssf.claims.sub_id).toEqual({ format: 'complex', user, device });
  const ssfEvent = (ssf.claims.events as Record<string, Record<string, unknown>>)[
    EVENT_URIS.oktaDeviceRiskChange
  ];
  expect(ssfEvent).toMatchObject({ previous_level: 'secure', current_level: 'high' });
  expect(ssfEvent).not.toHaveProperty('subject');

  const caep = only('caep');
  expect(caep.claims.sub_id).toEqual({ format: 'complex', user, device });
  expect(caep.claims.events).toEqual({
    [EVENT_URIS.riskLevelChange]: expect.objectContaining({
      principal: 'DEVICE',
      previous_level: 'LOW',
      current_level: 'HIGH',
      risk_reason: expect.any(String),
    }),
  });
});

test('Secure → Low is a change for Okta and SSF but none in CAEP, which knows no "secure"', async () => {
  const open = jsc.tenant.threats().filter((t) => t.resolvedAt === undefined);
  await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: mac.udid, category: 'Adware', severity: 'LOW' },
  });
  for (const t of open) await jsc.app.inject({ method: 'DELETE', url: `/_lab/threats/${t.id}` });
  // High → Low: all three; then resolving the Low threat: Low → Secure, which CAEP does not announce.
  const low = jsc.tenant.threats().find((t) => t.resolvedAt === undefined);
  await jsc.app.inject({ method: 'DELETE', url: `/_lab/threats/${low?.id as string}` });
  await jsc.tenant.idle();
  await vi.waitFor(() => {
    expect(receivers.get('okta')?.received).toHaveLength(3);
    expect(receivers.get('ssf')?.received).toHaveLength(3);
  });
  const caep = receivers.get('caep')?.received ?? [];
  expect(caep).toHaveLength(2);
  expect(
    (caep[1]?.claims.events as Record<string, Record<string, unknown>> | undefined)?.[
      EVENT_URIS.riskLevelChange
    ],
  ).toMatchObject({
    previous_level: 'HIGH',
    current_level: 'LOW',
  });
  for (const r of receivers.values()) expect(r.intake.stats.rejected).toBe(0);
});
