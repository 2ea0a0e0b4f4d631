/**
 * Done-when: no credential the lab issued appears in any file `ssf-lab demo` or `ssf-lab certify --lab`
 * writes. Both commands run for real, in-process, into temporary directories. The credentials are
 * collected independently of the redactor's registry of issued secrets: from every answer the lab's
 * services gave (each service's `inject`, through which an in-process lab hands every request to it, is
 * watched — session ids, one-time session tokens, codes, access, ID and refresh tokens, client secrets,
 * cookies, Radar and Jamf Pro tokens, stream tokens), and from the mocks' own stores and the manifest
 * (API token, passwords, client and app secrets, the stream and lab admin tokens). The harvest must be
 * large and hold the kinds the issue found leaking, so the test cannot pass by finding nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { type Lab, labManifest, onLabStarted } from '../lab/index.ts';
import { cli } from './cli.testing.ts';

type Kind = 'session id' | 'session token' | 'oauth token' | 'code' | 'secret' | 'cookie';
const harvest = new Map<string, Kind>();

const keep = (value: unknown, kind: Kind): void => {
  if (typeof value === 'string' && value.length >= 12) harvest.set(value, kind);
};

const TOKEN_KEYS: Readonly<Record<string, Kind>> = {
  sessionToken: 'session token',
  access_token: 'oauth token',
  id_token: 'oauth token',
  refresh_token: 'oauth token',
  accessToken: 'oauth token',
  refreshToken: 'oauth token',
  token: 'oauth token',
  clientSecret: 'secret',
  client_secret: 'secret',
};

/** Every credential in an answer's JSON, by the member it came in (`id` of a session object included). */
function fromJson(value: unknown, sessions: boolean, depth = 0): void {
  if (depth > 20 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) fromJson(v, sessions, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const kind = TOKEN_KEYS[key];
    if (kind !== undefined) keep(v, kind);
    // An Okta session object's own `id` (it has a `userId`; its `idp.id` is no secret).
    if (key === 'id' && sessions && 'userId' in value) keep(v, 'session id');
    if (key === 'sessionCookie' && typeof v === 'string') keep(v.split('=').slice(1).join('='), 'cookie');
    fromJson(v, sessions, depth + 1);
  }
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload: Buffer;
}

function fromAnswer(url: string, answer: Answer): void {
  const path = url.split('?')[0] ?? '';
  const text = answer.rawPayload.toString('utf8');
  if (/^\s*[[{]/.test(text)) {
    try {
      fromJson(JSON.parse(text), /\/sessions(\/|$)/.test(path));
    } catch {
      // Not JSON after all.
    }
  }
  const location = answer.headers.location;
  if (typeof location === 'string' && URL.canParse(location, 'http://x'))
    keep(new URL(location, 'http://x').searchParams.get('code'), 'code');
  const cookies = answer.headers['set-cookie'];
  for (const cookie of Array.isArray(cookies) ? cookies : typeof cookies === 'string' ? [cookies] : [])
    keep(/^[^=]+=([^;]*)/.exec(cookie)?.[1], 'cookie');
}

function watch(lab: Lab): void {
  const apps = [lab.okta.app, lab.jamfPro, lab.jsc.app, ...Object.values(lab.apps).map((a) => a.app)];
  for (const app of apps) {
    const inner = app.inject.bind(app) as (request: { url: string }) => Promise<Answer>;
    (app as unknown as { inject: unknown }).inject = async (request: { url: string }) => {
      const answer = await inner(request);
      fromAnswer(request.url, answer);
      return answer;
    };
  }
}

/** What the mocks hold and the manifest hands out. */
function fromStores(lab: Lab): void {
  const manifest = labManifest(lab);
  keep(manifest.okta.apiToken, 'secret');
  keep(manifest.jamfPro.password, 'secret');
  keep(manifest.jamfPro.clientSecret, 'secret');
  keep(manifest.jamfSecurityCloud.appSecret, 'secret');
  keep(manifest.jamfSecurityCloud.streamToken, 'secret');
  keep(lab.adminToken, 'secret');
  for (const app of lab.okta.org.apps.list()) keep(app.clientSecret, 'secret');
  for (const session of lab.okta.org.sessions.active()) keep(session.id, 'session id');
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-no-credential-'));
let stopWatching = (): void => undefined;
afterAll(() => {
  stopWatching();
  rmSync(dir, { recursive: true, force: true });
});

test('no credential the lab issued is in any file of a demo or of a certification of the lab', async () => {
  // Every lab the commands start is kept (and its services watched) so its credentials can be harvested.
  const labs: Lab[] = [];
  stopWatching = onLabStarted((lab) => {
    labs.push(lab);
    watch(lab);
  });
  const demo = await cli(['demo', '--out', join(dir, 'demo')]);
  expect(demo.code, demo.stderr).toBe(0);
  // The plans that sign users in and out (Okta sessions, session tokens, app sessions, service apps).
  const certify = await cli([
    'certify',
    '--lab',
    '--plan',
    'integration',
    '--plan',
    'universal-logout',
    '--plan',
    'okta-receiver',
    '--out',
    join(dir, 'certify'),
  ]);
  stopWatching();
  expect([0, 1], certify.stderr).toContain(certify.code);
  expect(labs.length).toBeGreaterThanOrEqual(2);
  for (const lab of labs) fromStores(lab);

  const written = files(dir);
  expect(written.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
    expect.arrayContaining(['certify/certification.json', 'certify/report.html', 'demo/certification.json']),
  );
  const kinds = new Map<Kind, number>();
  for (const kind of harvest.values()) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  expect(harvest.size, JSON.stringify([...kinds])).toBeGreaterThan(20);
  for (const kind of ['session id', 'session token', 'oauth token', 'secret'] as const)
    expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);

  const leaks: string[] = [];
  for (const file of written) {
    const text = readFileSync(file, 'utf8');
    for (const [value, kind] of harvest)
      if (text.includes(value))
        leaks.push(`${file.slice(dir.length + 1)}: a ${kind} (${value.slice(0, 6)}…)`);
  }
  // The console output is a report too.
  for (const [value, kind] of harvest)
    if (`${demo.stdout}${certify.stdout}${demo.stderr}${certify.stderr}`.includes(value))
      leaks.push(`console: a ${kind}`);
  expect(leaks).toEqual([]);
}, 120_000);
