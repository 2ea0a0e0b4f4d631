/**
 * A receiver of its own at Jamf Security Cloud, holding only the lab manifest: it reads the transmitter's
 * metadata, creates a push stream (to its own 127.0.0.1 endpoint) and a poll stream with the manifest's
 * `streamToken`, a threat is raised on a Mac through `POST /_lab/threats` (lab admin token), and the
 * device-risk-change SET arrives on both — signed with a key of JSC's JWKS, `aud` the receiver's audience,
 * the subject the Mac and its user. With `default_subjects: NONE` a stream gets nothing until its receiver
 * adds the user; another receiver's stream gets its own `aud` and cannot see the first's; the seed's Okta
 * stream keeps getting its SETs. In-process and on loopback alike.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, expect, test } from 'vitest';
import { generateFleet } from '../fleet/index.ts';
import { decodeSet, EVENT_URIS } from '../protocol/index.ts';
import { configureSeed, LAB_CLIENT_AUDIENCE, type Lab, labManifest, startLab } from './index.ts';

const FLEET = { seed: 7, devices: 4 };
const MAC_UDID = generateFleet(FLEET).devices.find((d) => d.kind === 'computer')?.udid ?? '';

let lab: Lab | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

/** A push endpoint on 127.0.0.1 that keeps every SET it is sent and answers 202 (RFC 8935 §2). */
async function pushReceiver(): Promise<{ url: string; sets: string[] }> {
  const sets: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (request.headers['content-type'] === 'application/secevent+jwt')
        sets.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(202).end();
    });
  });
  receiver = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, sets };
}

/** Waits (at most 5 s) until `sets` holds `count` SETs. */
async function arrived(sets: readonly string[], count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (sets.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

interface Metadata {
  readonly jwks_uri: string;
  readonly configuration_endpoint: string;
  readonly add_subject_endpoint: string;
  readonly default_subjects: string;
}

test.each(['in-process', 'loopback'] as const)(
  "a receiver's own stream at JSC gets the device-risk-change SET, push and poll, for its subjects (%s)",
  async (transport) => {
    lab = await startLab({ transport, ...FLEET });
    // One Mac activated (its user bound in JSC) is all this needs of the seed's people.
    const seed = await configureSeed(lab, { activate: [MAC_UDID], signInToApps: false });
    const m = labManifest(lab);
    const jsc = m.jamfSecurityCloud;
    const call = async (url: string, method: string, body?: unknown, token = jsc.streamToken) => {
      const response = await (lab as Lab).clientFetch(url, {
        method,
        headers: {
          // The lab's controls take the lab admin token (clientFetch adds it); the transmitter, the stream's.
          ...(url.includes('/_lab/') ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    };
    const metadata = async (): Promise<Metadata> => (await call(jsc.wellKnownUrl, 'GET')).body as Metadata;
    const before = await metadata();
    expect(before.default_subjects).toBe('ALL');
    const jwks = createLocalJWKSet((await call(before.jwks_uri, 'GET')).body as JSONWebKeySet);

    const push = await pushReceiver();
    const created = async (delivery: object, token?: string) => {
      const answer = await call(before.configuration_endpoint, 'POST', { delivery }, token);
      expect(answer.status).toBe(201);
      return answer.body as { stream_id: string; aud: string; delivery: { endpoint_url: string } };
    };
    const pushed = await created({ method: 'urn:ietf:rfc:8935', endpoint_url: push.url });
    const polled = await created({ method: 'urn:ietf:rfc:8936' });
    expect([pushed.aud, polled.aud]).toEqual([LAB_CLIENT_AUDIENCE, LAB_CLIENT_AUDIENCE]);
    // A second receiver: another token, another audience.
    const other = (await call(`${jsc.url}/_lab/ssf-receivers`, 'POST', { audience: 'urn:example:other' }))
      .body as { token: string };
    const others = await created({ method: 'urn:ietf:rfc:8936' }, other.token);
    // From here on new streams start empty (SSF §7.1 default_subjects NONE).
    const none = await call(`${jsc.url}/_lab/ssf-default-subjects`, 'PUT', { defaultSubjects: 'NONE' });
    expect(none).toEqual({ status: 200, body: { defaultSubjects: 'NONE' } });
    expect((await metadata()).default_subjects).toBe('NONE');
    const picky = await created({ method: 'urn:ietf:rfc:8936' });

    const devices = (await call(`${jsc.url}/_lab/state`, 'GET')).body.devices as {
      id: string;
      udid: string;
      osType: string;
      user?: { email: string };
    }[];
    const mac = devices.find((d) => d.udid === MAC_UDID && d.user);
    if (!mac?.user) throw new Error('no activated Mac in the lab');
    const threat = await call(`${jsc.url}/_lab/threats`, 'POST', {
      device: mac.udid,
      category: 'Malware',
      severity: 'HIGH',
    });
    expect(threat.status).toBe(201);
    // The poll streams hold their SETs by the time the threat is answered; a push is on its way.
    await arrived(push.sets, 1);

    const take = async (stream: { delivery: { endpoint_url: string } }, token?: string) => {
      const answer = await call(stream.delivery.endpoint_url, 'POST', { returnImmediately: true }, token);
      expect(answer.status).toBe(200);
      const sets = answer.body.sets as Record<string, string>;
      if (Object.keys(sets).length > 0)
        await call(stream.delivery.endpoint_url, 'POST', { ack: Object.keys(sets), maxEvents: 0 }, token);
      return Object.values(sets);
    };
    const subject = {
      format: 'complex',
      user: { format: 'email', email: mac.user.email },
      device: { format: 'opaque', id: mac.id },
    };
    const riskChange = async (token: string, audience: string, current: string) => {
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: jsc.issuer,
        audience,
        typ: 'secevent+jwt',
      });
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.sub_id).toEqual(subject);
      expect(payload.events).toEqual({
        [EVENT_URIS.oktaDeviceRiskChange]: expect.objectContaining({ current_level: current }),
      });
    };

    // Push and poll: the one change, once each, for the lab client's audience.
    expect(push.sets).toHaveLength(1);
    await riskChange(push.sets[0] ?? '', LAB_CLIENT_AUDIENCE, 'high');
    const fromPoll = await take(polled);
    expect(fromPoll).toHaveLength(1);
    await riskChange(fromPoll[0] ?? '', LAB_CLIENT_AUDIENCE, 'high');
    // Isolation: the other receiver's SET names only its own audience, and it cannot see the first's stream.
    const theirs = await take(others, other.token);
    expect(theirs).toHaveLength(1);
    await riskChange(theirs[0] ?? '', 'urn:example:other', 'high');
    expect(
      (
        await call(
          `${before.configuration_endpoint}?stream_id=${polled.stream_id}`,
          'GET',
          undefined,
          other.token,
        )
      ).status,
    ).toBe(404);
    // NONE: nothing about a subject the stream was not given …
    expect(await take(picky)).toEqual([]);
    const added = await call(before.add_subject_endpoint, 'POST', {
      stream_id: picky.stream_id,
      subject: { format: 'email', email: mac.user.email },
    });
    expect(added.status).toBe(200);
    // … and, once its user is added, the Mac's next change (resolved: High → Secure).
    const resolved = await call(`${jsc.url}/_lab/threats/${threat.body.id as string}`, 'DELETE');
    expect(resolved.status).toBe(204);
    await arrived(push.sets, 2);
    const afterAdd = await take(picky);
    expect(afterAdd).toHaveLength(1);
    await riskChange(afterAdd[0] ?? '', LAB_CLIENT_AUDIENCE, 'secure');
    expect(push.sets).toHaveLength(2);
    expect(decodeSet(push.sets[1] ?? '').payload?.aud).toBe(LAB_CLIENT_AUDIENCE);

    // The seed's Okta stream got both changes too, in Okta's format, delivered.
    const okta = (await call(`${jsc.url}/_lab/sets?streamId=${seed.jsc.streamId}`, 'GET')).body.sets as {
      eventType: string;
      state: string;
    }[];
    const risk = okta.filter((s) => s.eventType === EVENT_URIS.oktaDeviceRiskChange);
    expect(risk.map((s) => s.state)).toEqual(['delivered', 'delivered']);
  },
  30_000,
);
