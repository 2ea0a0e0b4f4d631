/**
 * Identity Threat Protection's receiving half, through HTTP: Security Events Providers (SSF discovery, the
 * exact-issuer check, the JWKS fetched at once, Okta's errors and lifecycle log events), the SET receiver
 * (202 or 400 `{err, description}`; every invalid SET of the foundation corpus, rewritten as Okta's
 * device-risk-change, answered with the error its check names; dropped and duplicate SETs; bad bodies), the
 * risk engine (level mapping, one TraceId per signal, publish only on a change, ordering, the reset), the User
 * Risk API and the lab views. Transmitters are tiny fastify apps reached through inject-fetch; SETs are signed
 * with the protocol core's `signSet`/`signRaw`.
 */

import Fastify, { type FastifyInstance } from 'fastify';
import { type CryptoKey, exportSPKI, importJWK } from 'jose';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { VirtualScheduler } from '../../../harness/kernel/index.ts';
import {
  CHECKS,
  type CheckId,
  generateSigningKey,
  PROFILES,
  publicJwks,
  type SigningKey,
  signHmacRaw,
  signRaw,
  signSet,
} from '../../../harness/protocol/index.ts';
import { createInjectFetch } from '../../../harness/ssf/index.ts';
import { buildOktaMock, type OktaMock, riskEngineOf } from '../index.ts';
import { api } from '../okta.testing.ts';
import type { RiskChange } from './itp-hub.ts';

const JSC = 'https://jsc.lab';
const ISS = `${JSC}/sse/t1`;
const WELL_KNOWN = `${JSC}/.well-known/ssf-configuration/sse/t1`;
const EDR = 'https://edr.lab';
/** Okta's own example issuer is no URL; an issuer + JWKS provider may use any string. */
const EDR_ISS = 'urn:edr:tenant-9';
const ORG = 'https://acme.okta.lab';
const PATH = '/security/api/v1/security-events';
const OKTA = 'https://schemas.okta.com/secevent/okta/event-type/';
const DRC = `${OKTA}device-risk-change`;
const URC = `${OKTA}user-risk-change`;
const IPC = `${OKTA}ip-change`;
const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const NOW = Math.floor(Date.UTC(2026, 0, 5, 9) / 1000);

type Json = Record<string, unknown>;
interface User {
  readonly id: string;
  readonly profile: { readonly login: string; readonly email: string };
}

let key: SigningKey;
let impostor: SigningKey;
let edrKey: SigningKey;
let scheduler: VirtualScheduler;
let okta: OktaMock;
let users: User[];
let jscProvider: Json;
let edrProvider: Json;
const changes: RiskChange[] = [];

/** What the transmitters serve; tests switch it. */
const serving = {
  jwks: 'ok' as 'ok' | 'html' | 'down',
  delayMs: 0,
  metadataIssuer: ISS,
  jwksUri: `${JSC}/sse/t1/jwks.json`,
};

function transmitters(): Map<string, FastifyInstance> {
  const jsc = Fastify();
  jsc.get('/.well-known/ssf-configuration/sse/t1', async () => ({
    spec_version: '1_0',
    issuer: serving.metadataIssuer,
    jwks_uri: serving.jwksUri,
    delivery_methods_supported: ['urn:ietf:rfc:8935'],
  }));
  jsc.get('/.well-known/ssf-configuration/sse/bare', async () => ({ issuer: `${JSC}/sse/bare` }));
  jsc.get('/sse/t1/jwks.json', async (_request, reply) => {
    if (serving.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, serving.delayMs));
    if (serving.jwks === 'down') return reply.code(503).send({ error: 'maintenance' });
    if (serving.jwks === 'html') return reply.type('text/html').send('<html><body>Sign in</body></html>');
    return publicJwks(key);
  });
  jsc.get('/sse/t1/html-jwks', async (_request, reply) => reply.type('text/html').send('<html></html>'));
  const edr = Fastify();
  edr.get('/keys', async () => publicJwks(edrKey));
  return new Map([
    [JSC, jsc],
    [EDR, edr],
  ]);
}

let jtiSeq = 0;
const nextJti = (): string => `jti-${++jtiSeq}`;

interface EventOptions {
  readonly type?: string;
  readonly email?: string;
  readonly level?: string;
  readonly previous?: string;
  readonly payload?: Json;
  readonly subject?: Json | null;
}

function eventFor(o: EventOptions = {}): Json {
  const type = o.type ?? DRC;
  const subject =
    o.subject === null
      ? {}
      : {
          subject: o.subject ?? {
            user: { format: 'email', email: o.email ?? users[0]?.profile.login },
            device: { format: 'opaque', id: 'device-1' },
          },
        };
  const levels =
    type === DRC || type === URC
      ? { current_level: o.level ?? 'high', previous_level: o.previous ?? 'low' }
      : type === IPC
        ? { current_ip_address: '203.0.113.7', previous_ip_address: '198.51.100.20' }
        : {};
  return {
    ...subject,
    ...levels,
    event_timestamp: NOW - 5,
    initiating_entity: 'policy',
    reason_admin: { en: 'Malicious app detected on device' },
    ...o.payload,
  };
}

function claims(o: EventOptions & { iss?: string; extra?: Json } = {}): Json {
  return {
    iss: o.iss ?? ISS,
    jti: nextJti(),
    iat: NOW,
    aud: ORG,
    events: { [o.type ?? DRC]: eventFor(o) },
    ...o.extra,
  };
}

async function push(token: string | Buffer, headers: Record<string, string> = {}) {
  return okta.app.inject({
    method: 'POST',
    url: PATH,
    headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json', ...headers },
    payload: token,
  });
}

async function pushClaims(c: Json, k: SigningKey = key) {
  const r = await push(await signSet(c, k));
  await riskEngineOf(okta.org)?.idle();
  return r;
}

async function risk(userId: string): Promise<Json> {
  return (await api(okta, 'GET', `/api/v1/users/${userId}/risk`)).json();
}

async function logs(filter: string): Promise<Json[]> {
  const r = await api(okta, 'GET', `/api/v1/logs?limit=1000&filter=${encodeURIComponent(filter)}`);
  expect(r.statusCode).toBe(200);
  return r.json();
}

const debug = (event: Json | undefined): Json =>
  ((event?.debugContext as Json | undefined)?.debugData as Json | undefined) ?? {};

beforeAll(async () => {
  [key, impostor, edrKey] = await Promise.all([
    generateSigningKey('RS256', { kid: 'jsc-1' }).then((k) => k.key),
    generateSigningKey('RS256', { kid: 'jsc-1' }).then((k) => k.key),
    generateSigningKey('ES256', { kid: 'edr-1' }).then((k) => k.key),
  ]);
  scheduler = new VirtualScheduler(NOW * 1000);
  okta = await buildOktaMock({
    orgUrl: ORG,
    fleet: { devices: 12 },
    clock: scheduler,
    signingKey: (await generateSigningKey('ES256', { kid: 'org' })).key,
    fetch: createInjectFetch(transmitters()),
  });
  okta.org.itp.onRiskChange((change) => {
    changes.push(change);
  });
  users = (await api(okta, 'GET', '/api/v1/users')).json();
  expect(users.length).toBeGreaterThanOrEqual(6);
  const created = await api(okta, 'POST', '/api/v1/security-events-providers', {
    name: 'Jamf Security Cloud',
    type: 'okta',
    settings: { well_known_url: WELL_KNOWN },
  });
  expect(created.statusCode, created.body).toBe(200);
  jscProvider = created.json();
  const edr = await api(okta, 'POST', '/api/v1/security-events-providers', {
    name: 'EDR',
    type: 'okta',
    settings: { issuer: EDR_ISS, jwks_url: `${EDR}/keys` },
  });
  expect(edr.statusCode, edr.body).toBe(200);
  edrProvider = edr.json();
});

afterAll(async () => {
  await okta?.close();
});

// --- Security Events Providers API ---------------------------------------------------------------------

test('a provider created from a well-known URL shows the issuer and jwks_url found by SSF discovery', async () => {
  expect(jscProvider).toEqual({
    id: expect.stringMatching(/^sse\w{17}$/),
    name: 'Jamf Security Cloud',
    type: 'okta',
    status: 'ACTIVE',
    settings: { well_known_url: WELL_KNOWN, issuer: ISS, jwks_url: `${JSC}/sse/t1/jwks.json` },
    _links: {
      self: {
        href: `${ORG}/api/v1/security-events-providers/${jscProvider.id}`,
        hints: { allow: ['GET', 'PUT', 'DELETE'] },
      },
      deactivate: {
        href: `${ORG}/api/v1/security-events-providers/${jscProvider.id}/lifecycle/deactivate`,
        hints: { allow: ['POST'] },
      },
    },
  });
  expect(edrProvider.settings).toEqual({ issuer: EDR_ISS, jwks_url: `${EDR}/keys` });
  const listed = (await api(okta, 'GET', '/api/v1/security-events-providers')).json();
  expect(listed.map((p: Json) => p.id)).toEqual([jscProvider.id, edrProvider.id]);
  expect((await api(okta, 'GET', `/api/v1/security-events-providers/${edrProvider.id}`)).json()).toEqual(
    edrProvider,
  );
  const [event] = await logs(
    `eventType eq "security.events.provider.create" and target.id eq "${jscProvider.id}"`,
  );
  expect(event?.actor).toMatchObject({ alternateId: 'admin@acme.okta.lab' });
  expect((event?.target as Json[] | undefined)?.[0]).toMatchObject({
    type: 'SecurityEventProvider',
    displayName: 'Jamf Security Cloud',
    detailEntry: {
      issuer: ISS,
      jwks_url: `${JSC}/sse/t1/jwks.json`,
      well_known_url: WELL_KNOWN,
      provider_type: 'okta',
      provider_name: 'Jamf Security Cloud',
    },
  });
});

test("invalid provider requests are 400 E0000001 with one cause per problem, in Okta's Error shape", async () => {
  const create = (body: unknown) => api(okta, 'POST', '/api/v1/security-events-providers', body);
  const causes = async (body: unknown): Promise<string[]> => {
    const r = await create(body);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().errorCode).toBe('E0000001');
    return r.json().errorCauses.map((c: { errorSummary: string }) => c.errorSummary);
  };
  expect(await causes({})).toEqual([
    'name: The field cannot be left blank',
    'type: The field cannot be left blank',
    'settings: The field is required and must be an object',
  ]);
  expect(await causes({ name: 'x'.repeat(101), type: 'okta', settings: {} })).toEqual([
    'name: The field must be at most 100 characters',
    'settings: Provide either well_known_url, or issuer and jwks_url',
  ]);
  expect(
    await causes({ name: 'a', type: 'okta', settings: { well_known_url: WELL_KNOWN, issuer: ISS } }),
  ).toEqual(['settings: Provide either well_known_url, or issuer and jwks_url']);
  expect(await causes({ name: 'a', type: 'okta', settings: { issuer: 'x' } })).toEqual([
    'settings.jwks_url: The field cannot be left blank',
  ]);
  expect(await causes({ name: 'a', type: 'okta', settings: { issuer: 'x', jwks_url: 'ftp://x/k' } })).toEqual(
    ['settings.jwks_url: Must be an absolute http or https URL'],
  );
  expect(
    await causes({
      name: 'a',
      type: 'okta',
      settings: { well_known_url: WELL_KNOWN.replace('https', 'http') },
    }),
  ).toEqual(['settings.well_known_url: Must be an absolute https URL']);
  expect(
    (await causes({ name: 'a', type: 'okta', settings: { well_known_url: `${JSC}/sse/t1/ssf-config` } }))[0],
  ).toMatch(/^settings\.well_known_url: Must be the transmitter's SSF configuration URL/);
  // An issuer is unique per org.
  expect(
    await causes({ name: 'again', type: 'okta', settings: { issuer: ISS, jwks_url: `${EDR}/keys` } }),
  ).toEqual([
    `settings.issuer: The security events provider ${jscProvider.id} already has the issuer ${ISS}`,
  ]);
  // SSF-7.2.4: the metadata's issuer must be identical to the one the URL was made from.
  serving.metadataIssuer = `${ISS}/`;
  try {
    const [cause] = await causes({ name: 'a', type: 'okta', settings: { well_known_url: WELL_KNOWN } });
    expect(cause).toMatch(/^settings\.well_known_url: SSF discovery failed: .*not identical to the Issuer/);
  } finally {
    serving.metadataIssuer = ISS;
  }
  // The JWKS is fetched at once: a provider that could never verify a SET is not saved.
  expect(
    await causes({
      name: 'a',
      type: 'okta',
      settings: { issuer: 'urn:x', jwks_url: `${JSC}/sse/t1/html-jwks` },
    }),
  ).toEqual([
    `settings.jwks_url: The JWKS at ${JSC}/sse/t1/html-jwks cannot be used: the JWKS URL ${JSC}/sse/t1/html-jwks returned HTML (content-type text/html), not a JWK Set`,
  ]);
  const bare = await causes({
    name: 'a',
    type: 'okta',
    settings: { well_known_url: `${JSC}/.well-known/ssf-configuration/sse/bare` },
  });
  expect(bare).toEqual([
    'settings.well_known_url: The transmitter metadata has no jwks_uri, so no SET could be verified',
  ]);
  const notJson = await create('{"name":');
  expect([notJson.statusCode, notJson.json().errorCode]).toEqual([400, 'E0000003']);
  const missing = await api(okta, 'GET', '/api/v1/security-events-providers/sse0000000000000none');
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({
    errorCode: 'E0000007',
    errorSummary: 'Not found: Resource not found: sse0000000000000none (SecurityEventsProvider)',
  });
  expect((await api(okta, 'GET', '/api/v1/security-events-providers')).json()).toHaveLength(2);
});

test('a provider is replaced, deactivated, activated and deleted, each logged once', async () => {
  const made = await api(okta, 'POST', '/api/v1/security-events-providers', {
    name: 'Temp',
    type: 'okta',
    settings: { issuer: 'urn:temp', jwks_url: `${EDR}/keys` },
  });
  const id = made.json().id as string;
  const base = `/api/v1/security-events-providers/${id}`;
  const replaced = await api(okta, 'PUT', base, {
    name: 'Temp 2',
    type: 'custom',
    settings: { issuer: 'urn:temp2', jwks_url: `${EDR}/keys` },
  });
  expect(replaced.statusCode).toBe(200);
  expect(replaced.json()).toMatchObject({
    name: 'Temp 2',
    type: 'custom',
    settings: { issuer: 'urn:temp2' },
  });
  const off = await api(okta, 'POST', `${base}/lifecycle/deactivate`);
  expect([off.statusCode, off.json().status, Object.keys(off.json()._links)]).toEqual([
    200,
    'INACTIVE',
    ['self', 'activate'],
  ]);
  await api(okta, 'POST', `${base}/lifecycle/deactivate`);
  const on = await api(okta, 'POST', `${base}/lifecycle/activate`);
  expect(on.json().status).toBe('ACTIVE');
  const deleted = await api(okta, 'DELETE', base);
  expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
  expect((await api(okta, 'GET', base)).statusCode).toBe(404);
  expect((await api(okta, 'DELETE', base)).statusCode).toBe(404);
  const events = await logs(`target.id eq "${id}"`);
  expect(events.map((e) => e.eventType)).toEqual([
    'security.events.provider.create',
    'security.events.provider.update',
    'security.events.provider.deactivate',
    'security.events.provider.activate',
    'security.events.provider.delete',
  ]);
});

// --- The SET receiver and the risk engine --------------------------------------------------------------

// The seed: the policy runs "whenever a user's Entity Risk Level is updated, such as during a user.risk.change
// event" — so a detection that raises the level is followed by user.risk.change, before the policy runs.
test('a device-risk-change SET: 202, then receive_event, user.risk.detect and user.risk.change (the level is updated) with one TraceId, and the change on the hub', async () => {
  const user = users[0] as User;
  const before = changes.length;
  const r = await pushClaims(claims({ email: user.profile.login }));
  expect([r.statusCode, r.body]).toEqual([202, '']);
  expect(await risk(user.id)).toEqual({
    riskLevel: 'HIGH',
    reason: 'Malicious app detected on device',
    _links: {
      self: { href: `${ORG}/api/v1/users/${user.id}/risk`, hints: { allow: ['GET', 'PUT'] } },
      user: { href: `${ORG}/api/v1/users/${user.id}`, hints: { allow: ['GET'] } },
    },
  });
  const chain = await logs(
    `target.id eq "${user.id}" and (eventType sw "security.events" or eventType sw "user.risk")`,
  );
  expect(chain.map((e) => e.eventType)).toEqual([
    'security.events.provider.receive_event',
    'user.risk.detect',
    'user.risk.change',
  ]);
  const [received, detected, changed] = chain;
  expect(received?.displayMessage).toBe('Security Events Provider Reported Risk');
  expect(received?.actor).toEqual({
    id: jscProvider.id,
    type: 'SecurityEventProvider',
    alternateId: ISS,
    displayName: 'Jamf Security Cloud',
    detailEntry: null,
  });
  expect(received?.target).toEqual([
    expect.objectContaining({ id: user.id, type: 'User', alternateId: user.profile.login }),
  ]);
  const traceId = debug(received).TraceId;
  expect(traceId).toMatch(/^[0-9a-f-]{36}$/);
  expect(debug(received)).toMatchObject({ EventType: DRC, Jti: `jti-${jtiSeq}` });
  expect(JSON.parse(String(debug(received).partnerRiskReportData))).toMatchObject({
    type: DRC,
    issuer: ISS,
    userId: user.id,
    claims: { current_level: 'high', previous_level: 'low' },
  });
  expect(detected?.actor).toEqual(received?.actor);
  expect(debug(detected)).toMatchObject({
    TraceId: traceId,
    Risk: `{previousLevel=NONE, level=HIGH, detectionName=Security Events Provider Reported Risk, reasons=Malicious app detected on device, issuer=${ISS}}`,
  });
  expect(detected?.transaction).toEqual(received?.transaction);
  expect(changed?.displayMessage).toBe('User risk level changed');
  expect(changed?.actor).toEqual(received?.actor);
  expect(changed?.transaction).toEqual(received?.transaction);
  expect(debug(changed)).toMatchObject({
    TraceId: traceId,
    Risk: `{previousLevel=NONE, level=HIGH, detectionName=Security Events Provider Reported Risk, reasons=Malicious app detected on device, issuer=${ISS}}`,
  });
  expect(changes.slice(before)).toEqual([
    {
      userId: user.id,
      previous: 'NONE',
      current: 'HIGH',
      detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
      traceId,
      at: NOW * 1000,
      provider: { id: jscProvider.id, name: 'Jamf Security Cloud', issuer: ISS },
      reason: 'Malicious app detected on device',
    },
  ]);
});

test('pushing the same SET again is 202 and changes nothing: no log event, no hub change', async () => {
  const user = users[1] as User;
  const token = await signSet(claims({ email: user.profile.login, level: 'medium' }), key);
  expect((await push(token)).statusCode).toBe(202);
  await riskEngineOf(okta.org)?.idle();
  expect((await risk(user.id)).riskLevel).toBe('MEDIUM');
  const logged = okta.org.systemLog.totals().appended;
  const published = changes.length;
  const again = await push(token);
  await riskEngineOf(okta.org)?.idle();
  expect([again.statusCode, again.body]).toEqual([202, '']);
  expect(okta.org.systemLog.totals().appended).toBe(logged);
  expect(changes.length).toBe(published);
  const receipts = (await okta.app.inject({ method: 'GET', url: '/_lab/security-events' })).json();
  expect(receipts.at(-1)).toMatchObject({ outcome: 'duplicate', providerId: jscProvider.id });
});

test('the level mapping: high, medium, low; secure is LOW; none changes nothing; a repeat is logged but not published', async () => {
  const user = users[2] as User;
  const steps: [string, string, string, boolean][] = [
    // [reported, expected level, Risk's previousLevel, published?]
    ['high', 'HIGH', 'NONE', true],
    ['high', 'HIGH', 'HIGH', false],
    ['secure', 'LOW', 'HIGH', true],
    ['medium', 'MEDIUM', 'LOW', true],
    ['low', 'LOW', 'MEDIUM', true],
  ];
  for (const [reported, level, previous, published] of steps) {
    const before = changes.length;
    await pushClaims(claims({ email: user.profile.login, level: reported }));
    expect((await risk(user.id)).riskLevel, reported).toBe(level);
    expect(changes.length - before, reported).toBe(published ? 1 : 0);
    const [last] = (await logs(`eventType eq "user.risk.detect" and target.id eq "${user.id}"`)).slice(-1);
    expect(String(debug(last).Risk), reported).toMatch(
      new RegExp(`^\\{previousLevel=${previous}, level=${level}, `),
    );
  }
  const detects = (await logs(`eventType eq "user.risk.detect" and target.id eq "${user.id}"`)).length;
  await pushClaims(claims({ email: user.profile.login, level: 'none', previous: 'low' }));
  expect((await risk(user.id)).riskLevel).toBe('LOW');
  expect(await logs(`eventType eq "user.risk.detect" and target.id eq "${user.id}"`)).toHaveLength(detects);
  const received = await logs(
    `eventType eq "security.events.provider.receive_event" and target.id eq "${user.id}"`,
  );
  expect(received).toHaveLength(steps.length + 1);
  // user-risk-change maps the same way.
  await pushClaims(claims({ type: URC, email: user.profile.login, level: 'high' }));
  expect((await risk(user.id)).riskLevel).toBe('HIGH');
  expect(changes.at(-1)).toMatchObject({ userId: user.id, previous: 'LOW', current: 'HIGH' });
});

test('event types Okta accepts but does not turn into risk are logged as received and change nothing', async () => {
  const user = users[3] as User;
  const before = changes.length;
  for (const type of [
    IPC,
    `${CAEP}device-compliance-change`,
    `${CAEP}session-revoked`,
    `${RISC}identifier-changed`,
  ]) {
    const payload =
      type === `${CAEP}device-compliance-change`
        ? { current_status: 'not-compliant', previous_status: 'compliant' }
        : {};
    const r = await pushClaims(claims({ type, email: user.profile.login, payload }));
    expect(r.statusCode, `${type}: ${r.body}`).toBe(202);
  }
  expect((await risk(user.id)).riskLevel).toBe('NONE');
  expect(changes.length).toBe(before);
  const received = await logs(`target.id eq "${user.id}"`);
  expect(received.map((e) => debug(e).EventType)).toEqual([
    IPC,
    `${CAEP}device-compliance-change`,
    `${CAEP}session-revoked`,
    `${RISC}identifier-changed`,
  ]);
});

test('the subject: login ignoring case, a top-level sub_id (complex or iss_sub of the org), and nobody', async () => {
  const user = users[4] as User;
  const receipts = async (): Promise<Json[]> =>
    (await okta.app.inject({ method: 'GET', url: '/_lab/security-events' })).json();
  await pushClaims(claims({ email: user.profile.login.toUpperCase(), level: 'low' }));
  expect((await risk(user.id)).riskLevel).toBe('LOW');
  await pushClaims(
    claims({
      level: 'medium',
      subject: { device: { format: 'opaque', id: 'device-9' } },
      extra: { sub_id: { format: 'complex', user: { format: 'email', email: user.profile.email } } },
    }),
  );
  expect((await risk(user.id)).riskLevel).toBe('MEDIUM');
  await pushClaims(
    claims({
      level: 'high',
      subject: { device: { format: 'opaque', id: 'device-3' } },
      extra: { sub_id: { format: 'iss_sub', iss: `${ORG}/`, sub: user.id } },
    }),
  );
  expect((await risk(user.id)).riskLevel).toBe('HIGH');
  const detections = (
    await okta.app.inject({ method: 'GET', url: `/_lab/users/${user.id}/risk-detections` })
  ).json();
  expect(detections).toMatchObject({ userId: user.id, level: 'HIGH' });
  expect(
    detections.detections.map((d: Json) => [d.previous, d.current, (d.source as Json).deviceId]),
  ).toEqual([
    ['NONE', 'LOW', 'device-1'],
    ['LOW', 'MEDIUM', 'device-9'],
    ['MEDIUM', 'HIGH', 'device-3'],
  ]);

  // Nobody: an unknown email, a device alone, an iss_sub of another issuer, the org's iss_sub of a login.
  const logged = okta.org.systemLog.totals().appended;
  const published = changes.length;
  for (const c of [
    claims({ email: 'nobody@acme.example' }),
    claims({ subject: { device: { format: 'opaque', id: 'device-2' } } }),
    claims({
      subject: { device: { format: 'opaque', id: 'device-3' } },
      extra: { sub_id: { format: 'iss_sub', iss: 'https://idp.example', sub: user.id } },
    }),
    claims({
      subject: { device: { format: 'opaque', id: 'device-3' } },
      extra: { sub_id: { format: 'iss_sub', iss: ORG, sub: user.profile.login } },
    }),
    // The event's own subject wins: its unknown user is not replaced by the sub_id's.
    claims({
      email: 'nobody@acme.example',
      extra: { sub_id: { format: 'email', email: user.profile.login } },
    }),
  ]) {
    const r = await pushClaims(c);
    expect(r.statusCode).toBe(202);
  }
  expect(okta.org.systemLog.totals().appended).toBe(logged);
  expect(changes.length).toBe(published);
  const dropped = (await receipts()).slice(-5).map((r) => (r.events as Json[])[0]);
  expect(dropped.map((e) => [e?.result, e?.detail])).toEqual([
    ['dropped', 'email nobody@acme.example is not a user of this org'],
    ['dropped', 'the event names no user'],
    ['dropped', `iss_sub https://idp.example ${user.id} is not a user of this org`],
    ['dropped', `iss_sub ${ORG} ${user.profile.login} is not a user of this org`],
    ['dropped', 'email nobody@acme.example is not a user of this org'],
  ]);
});

test('signals are processed one at a time in arrival order, each chain finished before the next', async () => {
  const user = users[5] as User;
  const order: string[] = [];
  const off = okta.org.itp.onRiskChange(async (change) => {
    if (change.userId !== user.id) return;
    order.push(`start ${change.current}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(`end ${change.current}`);
  });
  try {
    const tokens = await Promise.all(
      ['high', 'low', 'medium'].map((level) => signSet(claims({ email: user.profile.login, level }), key)),
    );
    const answers = await Promise.all(tokens.map((t) => push(t)));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
    await riskEngineOf(okta.org)?.idle();
  } finally {
    off();
  }
  expect(order).toEqual(['start HIGH', 'end HIGH', 'start LOW', 'end LOW', 'start MEDIUM', 'end MEDIUM']);
  expect((await risk(user.id)).riskLevel).toBe('MEDIUM');
});

test('a SET judged later than the next one (its kid needs a JWKS refetch) is still processed first', async () => {
  const user = users[9] as User;
  const rotated = (await generateSigningKey('ES256', { kid: 'jsc-rotated' })).key;
  const previous = key;
  const seen: string[] = [];
  const off = okta.org.itp.onRiskChange((change) => {
    if (change.userId === user.id) seen.push(`${change.previous}→${change.current}`);
  });
  try {
    key = rotated;
    serving.delayMs = 30;
    await scheduler.advance(31_000);
    const slow = await signSet(claims({ email: user.profile.login, level: 'high' }), rotated);
    const fast = await signSet(claims({ iss: EDR_ISS, email: user.profile.login, level: 'low' }), edrKey);
    const answers = await Promise.all([push(slow), push(fast)]);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    await riskEngineOf(okta.org)?.idle();
  } finally {
    off();
    key = previous;
    serving.delayMs = 0;
    await scheduler.advance(31_000);
  }
  expect(seen).toEqual(['NONE→HIGH', 'HIGH→LOW']);
  expect((await risk(user.id)).riskLevel).toBe('LOW');
});

test('SETs from an unknown issuer or an INACTIVE provider are 400 invalid_issuer; reactivated, the provider is heard again', async () => {
  const user = users[6] as User;
  const unknown = await push(
    await signSet(claims({ iss: 'https://stranger.example/t', email: user.profile.login }), key),
  );
  expect(unknown.statusCode).toBe(400);
  expect(unknown.headers['content-type']).toBe('application/json');
  expect(unknown.headers['content-language']).toBe('en');
  expect(unknown.json()).toEqual({
    err: 'invalid_issuer',
    description: expect.stringContaining('not the issuer of any security events provider of this org'),
  });
  const base = `/api/v1/security-events-providers/${edrProvider.id}`;
  await api(okta, 'POST', `${base}/lifecycle/deactivate`);
  const off = await push(await signSet(claims({ iss: EDR_ISS, email: user.profile.login }), edrKey));
  expect(off.json()).toEqual({ err: 'invalid_issuer', description: expect.stringContaining('INACTIVE') });
  // A malformed SET from an unknown issuer is answered by what outranks the issuer (a forged key would).
  const both = await push(
    await signSet({ ...claims({ iss: 'urn:nobody' }), aud: 'https://other.example' }, key),
  );
  expect(both.json().err).toBe('invalid_issuer');
  await api(okta, 'POST', `${base}/lifecycle/activate`);
  expect((await pushClaims(claims({ iss: EDR_ISS, email: user.profile.login }), edrKey)).statusCode).toBe(
    202,
  );
  expect((await risk(user.id)).riskLevel).toBe('HIGH');
  expect(changes.at(-1)?.provider).toEqual({ id: edrProvider.id, name: 'EDR', issuer: EDR_ISS });
});

test('bodies that are not one SET are 400 invalid_request, never a 5xx', async () => {
  const answers = [
    await push('eyJ.x', { 'content-type': 'application/json' }),
    await push('eyJ.x', { 'content-type': 'text/plain' }),
    await okta.app.inject({ method: 'POST', url: PATH, payload: 'a.b.c' }),
    await okta.app.inject({ method: 'POST', url: PATH }),
    await push(''),
    await push('x'.repeat(1024 * 1024 + 10)),
    await push(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22])),
    await push('{"iss":"https://jsc.lab/sse/t1"}'),
    await push('...'),
    await push(`${'a'.repeat(30_000)}.${'b'.repeat(30_000)}.${'c'.repeat(30_000)}`),
    await push('a.b.c', { 'content-type': 'application/secevent+jwt; charset=utf-8' }),
  ];
  for (const a of answers) {
    expect(a.statusCode, a.body).toBe(400);
    expect(a.headers['content-type']).toBe('application/json');
    expect(Object.keys(a.json())).toEqual(['err', 'description']);
    expect(a.json().err).toBe('invalid_request');
  }
  expect(answers[0]?.json().description).toBe(
    'a SET is pushed as Content-Type: application/secevent+jwt (RFC 8935 §2); got "application/json"',
  );
  expect(answers[5]?.json().description).toBe('the body is larger than 1048576 bytes, which no SET is');
  // Other methods on the path are Okta's 405.
  const get = await okta.app.inject({ method: 'GET', url: PATH });
  expect([get.statusCode, get.json().errorCode]).toEqual([405, 'E0000022']);
});

test("every err the receiver can answer under the okta profile is one of Okta's SecurityEventTokenError codes", () => {
  const codes = [
    'authentication_failed',
    'invalid_audience',
    'invalid_issuer',
    'invalid_key',
    'invalid_request',
  ];
  expect([...PROFILES.okta.checks].filter((id) => !codes.includes(CHECKS[id].err))).toEqual([]);
});

test('a hundred mangled copies of a valid SET are each answered 202 or 400, never anything else', async () => {
  const user = users[10] as User;
  const token = await signSet(claims({ email: user.profile.login }), key);
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = 'AZaz09-_.=+/ \u00e9\u0000"{}';
  const statuses = new Set<number>();
  for (let i = 0; i < 100; i++) {
    const at = random(token.length);
    const mangled =
      i % 3 === 0
        ? token.slice(0, at)
        : i % 3 === 1
          ? `${token.slice(0, at)}${alphabet[random(alphabet.length)]}${token.slice(at + 1)}`
          : `${token.slice(0, at)}${token.slice(at).split('').reverse().join('')}`;
    const r = await push(mangled);
    statuses.add(r.statusCode);
    if (r.statusCode === 400)
      expect(r.json().err).toMatch(/^(invalid_request|authentication_failed|invalid_key)$/);
  }
  await riskEngineOf(okta.org)?.idle();
  expect([...statuses].filter((status) => status !== 400 && status !== 202)).toEqual([]);
  expect(statuses.has(400)).toBe(true);
});

test('no credential is asked for, and an Authorization header sent anyway never reaches a log or a receipt', async () => {
  const user = users[7] as User;
  const secret = 'SSWS 00secret-token-that-must-not-leak';
  const r = await push(await signSet(claims({ email: user.profile.login }), key), { authorization: secret });
  await riskEngineOf(okta.org)?.idle();
  expect(r.statusCode).toBe(202);
  const everything = JSON.stringify([
    okta.org.systemLog.events(),
    (await okta.app.inject({ method: 'GET', url: '/_lab/security-events' })).json(),
  ]);
  expect(everything).toContain(user.id);
  expect(everything).not.toContain('secret-token');
  expect(everything).not.toContain(okta.apiToken);
});

test('keys: an unknown kid refetches the JWKS (key rotation); an unreachable JWKS is authentication_failed, an HTML one invalid_key', async () => {
  const user = users[1] as User;
  const rotated = (await generateSigningKey('ES256', { kid: 'jsc-2' })).key;
  const previous = key;
  try {
    // The JWKS now publishes jsc-2; the cooldown after the last fetch has passed.
    key = rotated;
    await scheduler.advance(31_000);
    expect((await pushClaims(claims({ email: user.profile.login }), rotated)).statusCode).toBe(202);
    // Within the cooldown, an unknown kid is not refetched: invalid_key at once.
    const forged = (await generateSigningKey('ES256', { kid: 'jsc-3' })).key;
    expect((await push(await signSet(claims({ email: user.profile.login }), forged))).json().err).toBe(
      'invalid_key',
    );
    await scheduler.advance(31_000);
    serving.jwks = 'down';
    const down = await push(await signSet(claims({ email: user.profile.login }), forged));
    expect(down.statusCode).toBe(400);
    expect(down.json()).toEqual({
      err: 'authentication_failed',
      description: expect.stringMatching(
        /^the Transmitter's keys could not be obtained: .*HTTP 503.*\[jwks-is-retrievable, RFC8935-2\]$/,
      ),
    });
    await scheduler.advance(31_000);
    serving.jwks = 'html';
    const html = await push(await signSet(claims({ email: user.profile.login }), forged));
    expect(html.json()).toEqual({
      err: 'invalid_key',
      description: expect.stringContaining('[jwks-is-valid-jwk-set, RFC7517-5]'),
    });
  } finally {
    serving.jwks = 'ok';
    key = previous;
    await scheduler.advance(31_000);
  }
});

// --- The foundation corpus, as Okta's receiver judges it --------------------------------------------------

interface CorpusCase {
  readonly name: string;
  readonly expect: CheckId;
  /** Other checks that may be the one the description names (same err). */
  readonly alsoNamed?: readonly CheckId[];
  readonly edit?: (c: Json) => void;
  readonly header?: Json;
  readonly token?: (c: Json) => Promise<string> | string;
}

const HEADER = { alg: 'RS256', typ: 'secevent+jwt', kid: 'jsc-1' };
const h = (v: unknown): string => JSON.stringify(v);
const ev = (c: Json, uri = DRC): Json => (c.events as Record<string, Json>)[uri] as Json;

const CORPUS: readonly CorpusCase[] = [
  {
    name: 'a 100 KB token',
    expect: 'token-size-is-within-limit',
    edit: (c) => {
      c.padding = 'x'.repeat(100 * 1024);
    },
  },
  { name: 'garbage', expect: 'token-is-compact-jws', token: () => 'this is not a token' },
  {
    name: 'a truncated token (two segments)',
    expect: 'token-is-compact-jws',
    token: async (c) => (await signSet(c, key)).split('.').slice(0, 2).join('.'),
  },
  {
    name: 'a JWE (five segments)',
    expect: 'token-is-compact-jws',
    token: () => 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
  },
  {
    name: 'a signature segment with non-base64url characters',
    expect: 'token-is-compact-jws',
    token: async (c) => `${await signSet(c, key)}*=`,
  },
  {
    name: 'a header segment with non-base64url characters',
    expect: 'header-is-json-object',
    token: async (c) => `eyJ+hbGc*.${(await signSet(c, key)).split('.').slice(1).join('.')}`,
  },
  {
    name: 'a header that is not JSON',
    expect: 'header-is-json-object',
    token: (c) => signRaw('{alg: RS256}', h(c), key),
  },
  {
    name: 'a header that is a JSON array',
    expect: 'header-is-json-object',
    token: (c) => signRaw('["RS256"]', h(c), key),
  },
  {
    name: 'a header with "alg" twice',
    expect: 'header-parameter-names-are-unique',
    token: (c) => signRaw('{"alg":"RS256","typ":"secevent+jwt","kid":"jsc-1","alg":"RS256"}', h(c), key),
  },
  {
    name: 'a payload nested 40 levels deep',
    expect: 'json-nesting-is-within-limit',
    token: (c) =>
      signRaw(h(HEADER), `${h(c).slice(0, -1)},"deep":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, key),
  },
  {
    name: 'a payload that is not JSON',
    expect: 'payload-is-json-object',
    token: () => signRaw(h(HEADER), 'iss=x', key),
  },
  {
    name: 'a payload that is a JSON string',
    expect: 'payload-is-json-object',
    token: () => signRaw(h(HEADER), '"hi"', key),
  },
  {
    name: 'a payload that is not UTF-8',
    expect: 'payload-is-json-object',
    token: () => signRaw(h(HEADER), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), key),
  },
  {
    name: 'a payload with "iss" twice',
    expect: 'claim-names-are-unique',
    token: (c) => signRaw(h(HEADER), `{"iss":"https://evil.example",${h(c).slice(1)}`, key),
  },
  {
    name: 'a payload with the same event type twice',
    expect: 'event-types-are-unique',
    token: (c) =>
      signRaw(h(HEADER), h(c).replace(`${h(DRC)}:${h(ev(c))}`, `${h(DRC)}:${h(ev(c))},${h(DRC)}:{}`), key),
  },
  {
    name: 'no "typ"',
    expect: 'header-typ-is-secevent-jwt',
    token: (c) => signRaw(h({ alg: 'RS256', kid: 'jsc-1' }), h(c), key),
  },
  { name: '"typ": "JWT"', expect: 'header-typ-is-secevent-jwt', header: { typ: 'JWT' } },
  {
    name: '"typ": "application/secevent+jwt"',
    expect: 'header-typ-is-secevent-jwt',
    header: { typ: 'application/secevent+jwt' },
  },
  {
    name: 'no "alg"',
    expect: 'header-has-alg',
    token: (c) => signRaw(h({ typ: 'secevent+jwt', kid: 'jsc-1' }), h(c), key),
  },
  {
    name: '"alg": "none" with an empty signature',
    expect: 'header-alg-is-not-none',
    token: (c) =>
      `${Buffer.from(h({ alg: 'none', typ: 'secevent+jwt', kid: 'jsc-1' })).toString('base64url')}.${Buffer.from(h(c)).toString('base64url')}.`,
  },
  {
    name: 'no "kid"',
    expect: 'header-has-kid',
    token: (c) => signRaw(h({ alg: 'RS256', typ: 'secevent+jwt' }), h(c), key),
  },
  { name: 'no "iss"', expect: 'claims-have-iss', edit: (c) => delete c.iss },
  {
    name: '"iss" as a number',
    expect: 'claims-have-iss',
    edit: (c) => {
      c.iss = 42;
    },
  },
  {
    name: '"iss" differing from the provider\'s issuer by a trailing slash',
    expect: 'iss-matches-expected-issuer',
    edit: (c) => {
      c.iss = `${ISS}/`;
    },
  },
  { name: 'no "iat"', expect: 'claims-have-iat', edit: (c) => delete c.iat },
  {
    name: '"iat" as a string',
    expect: 'claims-have-iat',
    edit: (c) => {
      c.iat = String(NOW);
    },
  },
  {
    name: 'a fractional "iat"',
    expect: 'claims-have-iat',
    edit: (c) => {
      c.iat = NOW - 0.5;
    },
  },
  { name: 'no "jti"', expect: 'claims-have-jti', edit: (c) => delete c.jti },
  {
    name: 'an empty "jti"',
    expect: 'claims-have-jti',
    edit: (c) => {
      c.jti = '';
    },
  },
  {
    name: 'no "aud"',
    expect: 'claims-have-aud',
    alsoNamed: ['aud-includes-expected-audience'],
    edit: (c) => delete c.aud,
  },
  {
    name: '"aud" as an array',
    expect: 'aud-is-single-string',
    edit: (c) => {
      c.aud = [`${ORG}/`];
    },
  },
  {
    name: '"aud" naming another receiver',
    expect: 'aud-includes-expected-audience',
    edit: (c) => {
      c.aud = 'https://other.example.com';
    },
  },
  { name: 'no "events"', expect: 'claims-have-events', edit: (c) => delete c.events },
  {
    name: 'an empty "events"',
    expect: 'events-is-non-empty-object',
    edit: (c) => {
      c.events = {};
    },
  },
  {
    name: '"events" as an array',
    expect: 'events-is-non-empty-object',
    edit: (c) => {
      c.events = [ev(c)];
    },
  },
  {
    name: 'an event type that is not a URI',
    expect: 'event-type-is-uri',
    alsoNamed: ['event-type-is-accepted-by-okta'],
    edit: (c) => {
      c.events = { 'device-risk-change': ev(c) };
    },
  },
  {
    name: 'an event payload that is a string',
    expect: 'event-payload-is-json-object',
    edit: (c) => {
      (c.events as Json)[DRC] = 'revoked';
    },
  },
  {
    name: 'CAEP credential-change sent to Okta',
    expect: 'event-type-is-accepted-by-okta',
    edit: (c) => {
      c.events = {
        [`${CAEP}credential-change`]: {
          credential_type: 'password',
          change_type: 'update',
          event_timestamp: NOW,
        },
      };
    },
  },
  {
    name: "CAEP risk-level-change (Jamf Security Cloud's caep format) sent to Okta",
    expect: 'event-type-is-accepted-by-okta',
    edit: (c) => {
      c.events = {
        [`${CAEP}risk-level-change`]: { principal: 'USER', current_level: 'HIGH', risk_reason: 'x' },
      };
    },
  },
  {
    name: 'device-risk-change with "HIGH"',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      ev(c).current_level = 'HIGH';
    },
  },
  {
    name: 'device-risk-change without event_timestamp',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => delete ev(c).event_timestamp,
  },
  {
    name: 'device-risk-change without previous_level',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => delete ev(c).previous_level,
  },
  {
    name: 'device-risk-change without an in-event subject',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => delete ev(c).subject,
  },
  {
    name: 'subject.user as iss_sub',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      ev(c).subject = { user: { format: 'iss_sub', iss: 'https://x', sub: 'u' } };
    },
  },
  {
    name: 'device-compliance-change with "non-compliant"',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      c.events = {
        [`${CAEP}device-compliance-change`]: {
          subject: ev(c).subject,
          event_timestamp: NOW,
          current_status: 'non-compliant',
          previous_status: 'compliant',
        },
      };
    },
  },
  {
    name: 'ip-change without previous_ip_address',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      c.events = {
        [IPC]: { subject: ev(c).subject, event_timestamp: NOW, current_ip_address: '203.0.113.7' },
      };
    },
  },
  {
    name: 'user-risk-change with reason_admin lacking "en"',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      c.events = { [URC]: { ...ev(c), reason_admin: { de: 'Risiko' } } };
    },
  },
  {
    name: 'session-revoked with a millisecond event_timestamp as a string',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      c.events = { [`${CAEP}session-revoked`]: { subject: ev(c).subject, event_timestamp: '1767225590000' } };
    },
  },
  {
    name: 'identifier-changed with a numeric new-value',
    expect: 'event-payload-matches-event-schema',
    edit: (c) => {
      c.events = {
        [`${RISC}identifier-changed`]: { subject: ev(c).subject, event_timestamp: NOW, 'new-value': 5 },
      };
    },
  },
  {
    name: 'a payload altered after signing',
    expect: 'signature-is-valid',
    token: async (c) => {
      const [hd, , sig] = (await signSet(c, key)).split('.');
      return `${hd}.${Buffer.from(h({ ...c, jti: 'replayed' })).toString('base64url')}.${sig}`;
    },
  },
  {
    name: 'a SET signed by an impostor key reusing the kid',
    expect: 'signature-is-valid',
    token: (c) => signSet(c, impostor),
  },
  {
    name: 'HS256 signed with the RSA public key as the secret',
    expect: 'signature-is-valid',
    token: async (c) => {
      const pem = await exportSPKI(
        (await importJWK(key.publicJwk, 'RS256', { extractable: true })) as CryptoKey,
      );
      return signHmacRaw(
        h({ alg: 'HS256', typ: 'secevent+jwt', kid: 'jsc-1' }),
        h(c),
        new TextEncoder().encode(pem),
      );
    },
  },
  {
    name: 'a kid the JWKS does not hold',
    expect: 'signing-key-is-published',
    header: { kid: 'rotated-away' },
  },
];

test.each(CORPUS.map((c) => [c.name, c] as const))(
  'corpus: %s is 400 with the err its check names',
  async (_name, c) => {
    expect(PROFILES.okta.checks.has(c.expect), `${c.expect} is judged under the okta profile`).toBe(true);
    const user = users[6] as User;
    const base = claims({ email: user.profile.login });
    c.edit?.(base);
    const token = c.token
      ? await c.token(base)
      : await signSet(base, key, c.header ? { header: c.header } : {});
    const before = okta.org.systemLog.totals().appended;
    const r = await push(token);
    await riskEngineOf(okta.org)?.idle();
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().err).toBe(CHECKS[c.expect].err);
    const named = [c.expect, ...(c.alsoNamed ?? [])];
    expect(
      named.some((id) => String(r.json().description).includes(`[${id}, `)),
      r.json().description,
    ).toBe(true);
    expect(okta.org.systemLog.totals().appended).toBe(before);
  },
);

test("corpus: what only the strict SSF profiles judge is accepted, as Okta's receiver contract does", async () => {
  const user = users[6] as User;
  const accepted = [
    claims({ email: user.profile.login, extra: { sub: user.profile.login } }), // claims-have-no-sub
    claims({ email: user.profile.login, extra: { exp: NOW + 300 } }), // claims-have-no-exp
    claims({ email: user.profile.login, extra: { txn: 8675309 } }), // txn-is-string
    // iat-is-not-in-future (the validator allows 60 s of skew); the replay window's 5 min still bound it.
    { ...claims({ email: user.profile.login }), iat: Math.floor(scheduler.now() / 1000) + 240 },
    // events-has-one-event: two events, each processed.
    {
      ...claims({ email: user.profile.login }),
      events: {
        [DRC]: eventFor({ email: user.profile.login }),
        [IPC]: eventFor({ type: IPC, email: user.profile.login }),
      },
    },
    { ...claims({ email: user.profile.login }), aud: `${ORG}/` }, // Okta's guide shows the trailing slash
  ];
  for (const c of accepted) {
    const r = await pushClaims(c);
    expect(r.statusCode, `${JSON.stringify(c).slice(0, 120)}: ${r.body}`).toBe(202);
  }
  // json-member-names-are-unique cites RFC 8259's SHOULD: a warning, so the SET stands.
  const twice = h(claims({ email: user.profile.login })).replace(
    '"initiating_entity":"policy"',
    '"initiating_entity":"policy","initiating\\u005fentity":"admin"',
  );
  expect(twice).toContain('initiating\\u005fentity');
  expect((await push(await signRaw(h(HEADER), twice, key))).statusCode).toBe(202);
  const receipts = (await okta.app.inject({ method: 'GET', url: '/_lab/security-events' })).json();
  const two = receipts.filter((r: Json) => (r.events as Json[]).length === 2).at(-1);
  expect(two.events.map((e: Json) => [e.eventType, e.result])).toEqual([
    [DRC, 'risk-detected'],
    [IPC, 'logged'],
  ]);
});

// --- The User Risk API ---------------------------------------------------------------------------------

test('the User Risk API: NONE without a reason, an admin PUT is 201 then 200, logged and published as ADMIN_REPORTED_USER_RISK', async () => {
  const user = users[3] as User;
  const url = `/api/v1/users/${user.id}/risk`;
  expect((await api(okta, 'GET', url)).json()).toEqual({
    riskLevel: 'NONE',
    _links: expect.objectContaining({ self: expect.anything(), user: expect.anything() }),
  });
  const before = changes.length;
  const put = await api(okta, 'PUT', url, { riskLevel: 'HIGH' });
  expect(put.statusCode).toBe(201);
  expect(put.json()).toMatchObject({ riskLevel: 'HIGH', reason: 'override.by.admin' });
  const again = await api(okta, 'PUT', `/api/v1/users/${user.profile.login}/risk`, {
    riskLevel: 'MEDIUM',
    riskReason: 'Phishing report, ticket 42.',
  });
  expect(again.statusCode).toBe(200);
  expect(again.json()).toMatchObject({ riskLevel: 'MEDIUM', reason: 'Phishing report, ticket 42.' });
  expect((await api(okta, 'GET', url)).json()).toMatchObject({
    riskLevel: 'MEDIUM',
    reason: 'Phishing report, ticket 42.',
  });
  await riskEngineOf(okta.org)?.idle();
  expect(changes.slice(before)).toEqual([
    expect.objectContaining({
      userId: user.id,
      previous: 'NONE',
      current: 'HIGH',
      detection: 'ADMIN_REPORTED_USER_RISK',
    }),
    expect.objectContaining({ previous: 'HIGH', current: 'MEDIUM', reason: 'Phishing report, ticket 42.' }),
  ]);
  expect(changes.at(-1)?.provider).toBeUndefined();
  const detects = await logs(`eventType eq "user.risk.detect" and target.id eq "${user.id}"`);
  expect(detects).toHaveLength(2);
  expect(detects[0]?.actor).toMatchObject({ alternateId: 'admin@acme.okta.lab' });
  expect(debug(detects[0])).toMatchObject({
    Risk: '{previousLevel=NONE, level=HIGH, detectionName=Admin Reported User Risk, reasons=override.by.admin, issuer=OKTA}',
    TraceId: changes[before]?.traceId,
  });
  // The same level again is a detection, not a change.
  const published = changes.length;
  expect((await api(okta, 'PUT', url, { riskLevel: 'MEDIUM' })).statusCode).toBe(200);
  await riskEngineOf(okta.org)?.idle();
  expect(changes.length).toBe(published);
});

test('invalid User Risk requests: E0000001 for the level and reason, E0000003 for no body, E0000007 for no user', async () => {
  const user = users[3] as User;
  const url = `/api/v1/users/${user.id}/risk`;
  const cause = async (body: unknown): Promise<string> => {
    const r = await api(okta, 'PUT', url, body);
    expect([r.statusCode, r.json().errorCode], r.body).toEqual([400, 'E0000001']);
    return r.json().errorCauses[0].errorSummary;
  };
  expect(await cause({ riskLevel: 'NONE' })).toBe('riskLevel: Must be one of HIGH, MEDIUM, LOW');
  expect(await cause({ riskLevel: 'high' })).toBe('riskLevel: Must be one of HIGH, MEDIUM, LOW');
  expect(await cause({})).toBe('riskLevel: The field cannot be left blank');
  expect(await cause({ riskLevel: 'LOW', riskReason: 'bad <script>' })).toBe(
    'riskReason: Only letters, digits, spaces, hyphens, commas and periods are allowed',
  );
  expect(await cause({ riskLevel: 'LOW', riskReason: 'a'.repeat(501) })).toBe(
    'riskReason: Must be at most 500 characters',
  );
  const empty = await api(okta, 'PUT', url, '');
  expect([empty.statusCode, empty.json().errorCode]).toEqual([400, 'E0000003']);
  const nobody = await api(okta, 'GET', '/api/v1/users/00unobody/risk');
  expect([nobody.statusCode, nobody.json().errorSummary]).toEqual([
    404,
    'Not found: Resource not found: 00unobody (User)',
  ]);
  expect((await api(okta, 'GET', url)).json().riskLevel).toBe('MEDIUM');
});

test('the reset after a policy action: LOW, logged as user.risk.change with the TraceId, not published; NONE when configured', async () => {
  const user = users[0] as User;
  expect((await risk(user.id)).riskLevel).toBe('HIGH');
  const before = changes.length;
  await okta.org.itp.resetRisk(user.id, 'trace-reset-1');
  expect(await risk(user.id)).toMatchObject({ riskLevel: 'LOW', reason: 'reset.after.policy.action' });
  await okta.org.itp.resetRisk(user.id, 'trace-reset-2');
  await riskEngineOf(okta.org)?.idle();
  expect(changes.length).toBe(before);
  // The user's risk changes so far were detections (their actor the provider); the reset is the system's.
  const logged = await logs(
    `eventType eq "user.risk.change" and target.id eq "${user.id}" and actor.type eq "SystemPrincipal"`,
  );
  expect(logged).toHaveLength(1);
  expect(debug(logged[0])).toEqual({
    Risk: '{previousLevel=HIGH, level=LOW, reasons=reset.after.policy.action, issuer=OKTA}',
    TraceId: 'trace-reset-1',
  });

  const counters = (await okta.app.inject({ method: 'GET', url: '/_lab/risk-engine' })).json();
  expect(counters).toEqual({
    detections: expect.any(Number),
    changes: expect.any(Number),
    resets: 1,
    failures: 0,
  });
  expect(counters.changes).toBeGreaterThan(10);
  expect(counters.detections).toBeGreaterThan(counters.changes);

  const other = await buildOktaMock({
    orgUrl: ORG,
    fleet: { devices: 2 },
    signingKey: key,
    risk: { resetLevel: 'NONE' },
  });
  try {
    const [someone] = (await api(other, 'GET', '/api/v1/users')).json();
    await api(other, 'PUT', `/api/v1/users/${someone.id}/risk`, { riskLevel: 'HIGH' });
    await other.org.itp.resetRisk(someone.id, 'trace-x');
    expect((await api(other, 'GET', `/api/v1/users/${someone.id}/risk`)).json()).toMatchObject({
      riskLevel: 'NONE',
    });
    expect((await api(other, 'GET', `/api/v1/users/${someone.id}/risk`)).json().reason).toBeUndefined();
  } finally {
    await other.close();
  }
});

// --- Replay window and malformed headers ---------------------------------------------------------------

test('a SET whose iat left the acceptance window (24 h) is 400 invalid_request naming iat, and changes nothing', async () => {
  const user = users[5] as User;
  const stale = {
    ...claims({ email: user.profile.login }),
    iat: Math.floor(scheduler.now() / 1000) - 86_401,
  };
  const before = okta.org.systemLog.totals().appended;
  const r = await pushClaims(stale);
  expect(r.statusCode).toBe(400);
  expect(r.json()).toEqual({
    err: 'invalid_request',
    description: expect.stringMatching(
      /^"iat" is 86401 s in the past, outside this Receiver's acceptance window/,
    ),
  });
  expect(okta.org.systemLog.totals().appended).toBe(before);
});

test('a kid that is an object or an array is 400 invalid_request naming kid', async () => {
  const user = users[5] as User;
  for (const kid of [{ k: 'jsc-1' }, ['jsc-1']]) {
    const token = await signRaw(
      JSON.stringify({ alg: 'RS256', typ: 'secevent+jwt', kid }),
      JSON.stringify({ ...claims({ email: user.profile.login }), iat: Math.floor(scheduler.now() / 1000) }),
      key,
    );
    const r = await push(token);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ err: 'invalid_request', description: expect.stringContaining('"kid"') });
  }
});

test('an unparseable SET header is invalid_request, even when the aud is wrong too (not invalid_audience)', async () => {
  const c = { ...claims(), aud: 'https://someone-else.example', iat: Math.floor(scheduler.now() / 1000) };
  const [, payload, signature] = (await signSet(c, key)).split('.');
  for (const header of [
    '!!!',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('[1]').toString('base64url'),
  ]) {
    const r = await push(`${header}.${payload}.${signature}`);
    expect(r.statusCode, header).toBe(400);
    expect(r.json().err, header).toBe('invalid_request');
  }
});
