/**
 * Streams a receiver creates itself at mock Jamf Security Cloud's SSF management API get its events, not
 * only the streams its admin console configures: a risk change goes out on each such stream once, in a
 * type the stream delivers, its subject a top-level complex `sub_id`; a stream that delivers no risk type
 * gets none. This is what lets the ssf-transmitter plan's `events` module grade real events from the lab
 * (its trigger is `POST /_lab/threats`). Devices come from a UEM sync of mock Jamf Pro.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { JscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { generateFleet } from '../fleet/index.ts';
import { decodeSet, EVENT_URIS, jwksFromObject, validateSet } from '../protocol/index.ts';
import { type JscOverJamfPro, jscOverJamfPro } from './jsc-over-jamf-pro.testing.ts';

const FLEET = { seed: 7, devices: 4 };
const mac = generateFleet(FLEET).devices.find((d) => d.kind === 'computer');
if (!mac) throw new Error('the fleet has no Mac');

let lab: JscOverJamfPro;
let jsc: JscMock;
let token = '';
let streamsPath = '';
let pollPath = (id: string): string => id;

async function asReceiver(method: 'GET' | 'POST', url: string, body?: unknown) {
  return jsc.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  lab = await jscOverJamfPro(FLEET, 'receiver-streams');
  jsc = lab.jsc;
  const account = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/ssf-receivers',
    payload: { audience: 'urn:example:receiver' },
  });
  token = account.json().token as string;
  const metadata = (
    await jsc.app.inject({
      method: 'GET',
      url: `/.well-known/ssf-configuration${new URL(jsc.issuer).pathname}`,
    })
  ).json() as { configuration_endpoint: string };
  streamsPath = new URL(metadata.configuration_endpoint).pathname;
  pollPath = (id) => `${new URL(jsc.issuer).pathname}/ssf/poll/${id}`;
});

afterAll(async () => {
  await lab?.close();
});

async function stream(eventsRequested?: readonly string[]): Promise<string> {
  const created = await asReceiver('POST', streamsPath, {
    delivery: { method: 'urn:ietf:rfc:8936' },
    ...(eventsRequested === undefined ? {} : { events_requested: eventsRequested }),
  });
  expect(created.statusCode).toBe(201);
  return created.json().stream_id as string;
}

async function poll(streamId: string): Promise<string[]> {
  const answer = await asReceiver('POST', pollPath(streamId), { returnImmediately: true });
  expect(answer.statusCode).toBe(200);
  return Object.values(answer.json().sets as Record<string, string>);
}

test('a risk change reaches each stream a receiver created once, in a type it delivers, the subject in sub_id', async () => {
  const everything = await stream();
  const caepOnly = await stream([EVENT_URIS.riskLevelChange]);
  const complianceOnly = await stream([EVENT_URIS.deviceComplianceChange]);
  const threat = await jsc.app.inject({
    method: 'POST',
    url: '/_lab/threats',
    payload: { device: mac.udid, category: 'ssf-lab test', severity: 'HIGH' },
  });
  expect(threat.statusCode).toBe(201);

  const sent = await poll(everything);
  expect(sent).toHaveLength(1);
  const okta = sent[0];
  const claims = decodeSet(okta ?? '').payload ?? {};
  const device = { format: 'opaque', id: mac.jscDeviceId };
  expect(claims.aud).toBe('urn:example:receiver');
  expect(claims.sub_id).toEqual({ format: 'complex', device });
  expect(claims.events).toEqual({
    [EVENT_URIS.oktaDeviceRiskChange]: expect.objectContaining({
      previous_level: 'secure',
      current_level: 'high',
    }),
  });
  expect(Object.values(claims.events as object)[0]).not.toHaveProperty('subject');
  // Strict SSF 1.0, signed with the key the transmitter publishes.
  const jwks = (
    await jsc.app.inject({ method: 'GET', url: `${new URL(jsc.issuer).pathname}/ssf/jwks.json` })
  ).json();
  const judged = await validateSet(okta ?? '', {
    profile: 'ssf',
    keys: jwksFromObject(jwks, 'jsc'),
    expectedIssuer: jsc.issuer,
    expectedAudience: 'urn:example:receiver',
  });
  expect(judged.findings.filter((f) => f.level === 'failure')).toEqual([]);

  const caep = await poll(caepOnly);
  expect(caep).toHaveLength(1);
  expect(decodeSet(caep[0] ?? '').payload?.events).toEqual({
    [EVENT_URIS.riskLevelChange]: expect.objectContaining({ principal: 'DEVICE', current_level: 'HIGH' }),
  });
  expect(await poll(complianceOnly)).toEqual([]);

  // Resolving is a change too (High → Secure); a deleted stream gets nothing more.
  const gone = await jsc.app.inject({
    method: 'DELETE',
    url: `${streamsPath}?stream_id=${caepOnly}`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(gone.statusCode).toBe(204);
  await jsc.app.inject({ method: 'DELETE', url: `/_lab/threats/${threat.json().id as string}` });
  const after = await poll(everything);
  expect(after).toHaveLength(1);
  expect(decodeSet(after[0] ?? '').payload?.events).toEqual({
    [EVENT_URIS.oktaDeviceRiskChange]: expect.objectContaining({
      previous_level: 'high',
      current_level: 'secure',
    }),
  });
});

test('under default_subjects NONE a console stream and a receiver stream get a change only about subjects added to them', async () => {
  const console_ = 'https://console.receiver.lab';
  const pushed: string[] = [];
  const endpoint = Fastify();
  endpoint.addContentTypeParser('application/secevent+jwt', { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  endpoint.post('/events', async (request, reply) => {
    pushed.push(request.body as string);
    return reply.code(202).send();
  });
  await endpoint.ready();
  lab.routes.set(console_, endpoint);
  const lab_ = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    jsc.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  const setsOf = async (streamId: string): Promise<number> =>
    (await lab_('GET', `/_lab/sets?streamId=${streamId}`)).json().matching as number;
  try {
    expect((await lab_('PUT', '/_lab/ssf-default-subjects', { defaultSubjects: 'NONE' })).statusCode).toBe(
      200,
    );
    const made = await lab.radarCall('POST', '/sse/v1/stream', {
      audience: console_,
      endpointUrl: `${console_}/events`,
      events: ['RISK_LEVEL_CHANGED'],
      format: 'okta',
    });
    expect(made.statusCode).toBe(201);
    const consoleStream = made.json().streamId as string;
    const own = await stream([EVENT_URIS.riskLevelChange]);

    const raise = async (): Promise<string> =>
      (
        await lab_('POST', '/_lab/threats', { device: mac.udid, category: 'subjects', severity: 'HIGH' })
      ).json().id as string;
    const first = await raise();
    expect([await setsOf(consoleStream), await setsOf(own)]).toEqual([0, 0]);

    // The device (an opaque JSC id) to the console stream; the same device, as a complex subject, to the own.
    const device = { format: 'opaque', id: mac.jscDeviceId };
    const addConsole = (action: 'add' | 'remove', subject: unknown, id = consoleStream) =>
      lab.radarCall('POST', `/sse/v1/stream/${id}/subjects/${action}`, { subject });
    expect((await addConsole('add', device)).statusCode).toBe(204);
    expect(
      (
        await asReceiver('POST', `${new URL(jsc.issuer).pathname}/ssf/subjects/add`, {
          stream_id: own,
          subject: { format: 'complex', device },
        })
      ).statusCode,
    ).toBe(200);
    // Bad input: a subject that is no identifier, a stream that does not exist.
    const bad = await addConsole('add', 'not-a-subject');
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'INVALID_REQUEST']);
    expect((await addConsole('add', device, 'no-such-stream')).statusCode).toBe(404);

    await lab_('DELETE', `/_lab/threats/${first}`);
    for (let i = 0; i < 100 && pushed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pushed).toHaveLength(1);
    // Okta's shape: the subject inside the event, no format of its own and no sub_id — matched all the same.
    const claims = decodeSet(pushed[0] ?? '').payload ?? {};
    expect(claims.sub_id).toBeUndefined();
    expect(claims.events).toEqual({
      [EVENT_URIS.oktaDeviceRiskChange]: expect.objectContaining({
        current_level: 'secure',
        subject: { device },
      }),
    });
    const polled = await poll(own);
    expect(polled).toHaveLength(1);
    expect(decodeSet(polled[0] ?? '').payload?.sub_id).toEqual({ format: 'complex', device });

    // Removed again, the console stream gets nothing more.
    expect((await addConsole('remove', device)).statusCode).toBe(204);
    await raise();
    expect(await setsOf(consoleStream)).toBe(1);
  } finally {
    await lab_('PUT', '/_lab/ssf-default-subjects', { defaultSubjects: 'ALL' });
    lab.routes.delete(console_);
    await endpoint.close();
  }
});
