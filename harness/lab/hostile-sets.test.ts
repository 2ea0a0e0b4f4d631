/**
 * Hostile suite: malformed and hostile SETs and bodies, seeded and bounded, thrown at a configured lab on
 * loopback — Okta's SET receiver (RFC8935 push), JSC's SSF stream management and each app's Global Token
 * Revocation endpoint. Every answer must be a 4xx (never 2xx, never 5xx), a refused SET must carry the
 * RFC8935-2.3 error shape, and nothing may happen to the users: no risk detected, no session ended.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seededRandom } from '../kernel/index.ts';
import { PUSH_ERROR_CODES } from '../protocol/index.ts';
import { type LabManifest, labManifest } from './manifest.ts';
import { configureSeed } from './seed-setup.ts';
import { type Lab, startLab } from './start-lab.ts';

let lab: Lab;
let manifest: LabManifest;
let kid = '';

/** The registered SET error codes (RFC8935-2.4 and SSF's invalid_state; Okta uses the same names). */
const SET_ERRORS = new Set<string>(PUSH_ERROR_CODES);

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', devices: 6, seed: 5 });
  await configureSeed(lab);
  manifest = labManifest(lab);
  const metadata = (await (await fetch(manifest.jamfSecurityCloud.wellKnownUrl)).json()) as {
    jwks_uri: string;
  };
  const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: { kid: string }[] };
  kid = jwks.keys[0]?.kid ?? '';
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The nested structure a parser might recurse into without end. */
const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Hostile SETs: each a mutation of a well-formed one, by a seeded generator so a failure reproduces. */
function hostileSets(count: number, seed: number): { name: string; body: string }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const now = Math.floor(Date.now() / 1000);
  const header = (): Record<string, unknown> => ({ alg: 'RS256', typ: 'secevent+jwt', kid });
  const payload = (): Record<string, unknown> => ({
    iss: manifest.jamfSecurityCloud.issuer,
    aud: manifest.okta.url,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    sub_id: { format: 'email', email: 'someone@example.com' },
    events: {
      'https://schemas.openid.net/secevent/caep/event-type/device-risk-change': { current_level: 'high' },
    },
  });
  const signature = (): string => randomBytes(256).toString('base64url');
  const weird: readonly unknown[] = [
    null,
    0,
    -1,
    1e308,
    '',
    'x'.repeat(3000),
    {},
    [],
    [1, 2],
    { __proto__: { admin: true } },
    '\u0000\u001b[2J',
    true,
  ];
  const headerKeys = ['alg', 'typ', 'kid', 'crit', 'jku', 'x5u', 'jwk', 'b64', 'cty', '__proto__'];
  const claimKeys = ['iss', 'aud', 'iat', 'jti', 'sub_id', 'events', 'toe', 'txn', 'exp', 'constructor'];
  const shapes: (() => { name: string; body: string })[] = [
    () => {
      const h = header();
      const key = pick(headerKeys);
      const value = pick(weird);
      h[key] = value;
      return {
        name: `header ${key}=${JSON.stringify(value)}`,
        body: `${b64(h)}.${b64(payload())}.${signature()}`,
      };
    },
    () => {
      const p = payload();
      const key = pick(claimKeys);
      const value = pick(weird);
      p[key] = value;
      return {
        name: `claim ${key}=${JSON.stringify(value)}`,
        body: `${b64(header())}.${b64(p)}.${signature()}`,
      };
    },
    () => ({
      name: 'alg none, no signature',
      body: `${b64({ ...header(), alg: pick(['none', 'None', 'NONE']) })}.${b64(payload())}.`,
    }),
    () => ({
      name: 'events nested deep',
      body: `${b64(header())}.${b64(`{"events":${deep(8000)}}`)}.${signature()}`,
    }),
    () => ({
      name: 'header nested deep',
      body: `${b64(`{"alg":${deep(8000)}}`)}.${b64(payload())}.${signature()}`,
    }),
    () => {
      const parts = [b64(header()), b64(payload()), signature()];
      const n = pick([1, 2, 4, 5]);
      return { name: `${n} segments`, body: Array.from({ length: n }, (_, i) => parts[i % 3]).join('.') };
    },
    () => ({
      name: 'not base64url',
      body: `${pick(['%%%', '***', 'ey J', 'eyJ===', '\u00ff\u00fe'])}.${b64(payload())}.${signature()}`,
    }),
    () => ({
      name: 'header not JSON',
      body: `${b64(pick(['{', 'null', '[]', '"x"', '{"alg":"RS256"}garbage', '\ufeff{}']))}.${b64(payload())}.${signature()}`,
    }),
    () => ({
      name: 'payload not JSON',
      body: `${b64(header())}.${b64(pick(['{', 'null', '1', '{"a":1}x']))}.${signature()}`,
    }),
    () => ({
      name: 'whitespace and control bytes',
      body: ` ${b64(header())}.\u0000${b64(payload())}.${signature()}\r\n`,
    }),
    () => ({ name: 'empty', body: pick(['', '.', '..', '...']) }),
    () => ({
      name: 'duplicate claims',
      body: `${b64(header())}.${b64(`{"iss":"a","iss":"${manifest.jamfSecurityCloud.issuer}","events":{}}`)}.${signature()}`,
    }),
  ];
  return Array.from({ length: count }, () => pick(shapes)());
}

test("Okta's SET receiver answers every hostile SET with a 4xx in the RFC8935 shape, and nothing happens", async () => {
  const rssBefore = process.memoryUsage().rss;
  const logBefore = await oktaLogCount();
  const url = `${manifest.okta.url}/security/api/v1/security-events`;
  const wrong: string[] = [];
  const cases = hostileSets(300, 14);
  for (const { name, body } of cases) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
      body,
    });
    const text = await response.text();
    if (response.status < 400 || response.status >= 500) {
      wrong.push(`${name} → ${response.status} ${text.slice(0, 120)}`);
      continue;
    }
    if (response.status === 400) {
      const error = JSON.parse(text) as { err?: unknown; description?: unknown };
      if (
        typeof error.err !== 'string' ||
        !SET_ERRORS.has(error.err) ||
        typeof error.description !== 'string'
      )
        wrong.push(`${name} → 400 not in the RFC8935 shape: ${text.slice(0, 120)}`);
    }
  }
  // Bodies that are not a SET at all: another media type, JSON, nothing.
  for (const [type, body] of [
    ['application/json', '{"events":{}}'],
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=b'],
    [undefined, 'x.y.z'],
  ] as const) {
    const response = await fetch(url, {
      method: 'POST',
      headers: type === undefined ? {} : { 'content-type': type },
      body,
    });
    await response.arrayBuffer();
    if (response.status < 400 || response.status >= 500) wrong.push(`${type} body → ${response.status}`);
  }
  expect(wrong).toEqual([]);
  // Nothing reached a user: no detection, no policy, no logout in the System Log.
  expect(await oktaLogCount()).toEqual(logBefore);
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
}, 60_000);

test('JSC stream management and the apps answer hostile JSON bodies with a 4xx, never a 5xx', async () => {
  const random = seededRandom(3);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const bodies = [
    '{',
    'null',
    '[]',
    '"text"',
    '1e999',
    deep(20_000),
    `{"delivery":${deep(5000)}}`,
    '{"__proto__":{"polluted":true},"delivery":{"method":"urn:ietf:rfc:8935"}}',
    '{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"http://169.254.169.254/latest/meta-data"}}',
    '{"delivery":{"method":"urn:ietf:rfc:8936"},"events_requested":"all"}',
    '{"stream_id":{"$ne":null},"status":"enabled"}',
    '{"subject":{"format":"email","email":{"x":1}}}',
    '\ufeff{"a":1}',
  ];
  const jsc = manifest.jamfSecurityCloud;
  const ssf = jsc.issuer;
  const stream = `Bearer ${jsc.streamToken}`;
  const targets: { method: string; url: string; authorization?: string }[] = [
    { method: 'POST', url: `${ssf}/ssf/streams`, authorization: stream },
    { method: 'PATCH', url: `${ssf}/ssf/streams`, authorization: stream },
    { method: 'PUT', url: `${ssf}/ssf/streams`, authorization: stream },
    { method: 'POST', url: `${ssf}/ssf/status`, authorization: stream },
    { method: 'POST', url: `${ssf}/ssf/subjects/add`, authorization: stream },
    { method: 'POST', url: `${ssf}/ssf/verify`, authorization: stream },
    ...Object.values(lab.urls.apps).map((app) => ({
      method: 'POST',
      url: `${app}/oauth/global-token-revocation`,
    })),
  ];
  const wrong: string[] = [];
  let sent = 0;
  for (const target of targets)
    for (let i = 0; i < 12; i++) {
      const body = pick(bodies);
      const response = await fetch(target.url, {
        method: target.method,
        headers: {
          'content-type': 'application/json',
          ...(target.authorization === undefined ? {} : { authorization: target.authorization }),
        },
        body,
      });
      await response.arrayBuffer();
      sent++;
      if (response.status >= 500 || response.status < 400)
        wrong.push(`${target.method} ${target.url} ${body.slice(0, 60)} → ${response.status}`);
    }
  expect(wrong).toEqual([]);
  expect(sent).toBe(targets.length * 12);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}, 60_000);

/** System Log events that would mean a SET did something to a user. */
const CONSEQUENCES =
  /^(user\.risk\.|policy\.entity_risk\.|user\.session\.end|user\.authentication\.universal_logout)/;

async function oktaLogCount(): Promise<number> {
  const response = await fetch(`${manifest.okta.url}/api/v1/logs?limit=1000&since=2000-01-01T00:00:00Z`, {
    headers: { authorization: `SSWS ${manifest.okta.apiToken}` },
  });
  const events = (await response.json()) as { eventType: string }[];
  return events.filter((e) => CONSEQUENCES.test(e.eventType)).length;
}
