/**
 * The console over HTTP, against a loopback lab configured as the seed leaves it: who gets in (the admin
 * token as Bearer, or the session cookie the sign-in link sets — and nobody else), that the token never
 * comes back in a page, a header or the timeline, that bad input is a 400 with `{error}`, that each page's
 * API reads the lab and each action acts on it, and that the console speaks https with the lab's CA.
 */
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  configureSeed,
  createCertificateAuthority,
  type Lab,
  type LabManifest,
  labManifest,
  startLab,
} from '../lab/index.ts';
import { CHANGE_HEADER, type LabConsole, SESSION_COOKIE, startConsole } from './index.ts';

const SCENARIO = '02-macos-threat-logout.yaml';
let lab: Lab;
let manifest: LabManifest;
let konsole: LabConsole;
let token = '';
/** Everything the console answered in these tests, to look for the token in afterwards. */
const seen: string[] = [];

async function call(
  path: string,
  init: RequestInit & { auth?: 'bearer' | 'none' | string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const { auth = 'bearer', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth === 'bearer') headers.set('authorization', `Bearer ${token}`);
  else if (auth !== 'none') headers.set('cookie', auth);
  const response = await fetch(new URL(path, konsole.url), { ...rest, headers, redirect: 'manual' });
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const change = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { [CHANGE_HEADER]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
});

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', seed: 16, devices: 6 });
  await configureSeed(lab);
  manifest = labManifest(lab);
  token = lab.adminToken ?? '';
  konsole = await startConsole({
    lab,
    manifest,
    scenarios: [
      { name: SCENARIO, file: fileURLToPath(new URL(`../../scenarios/${SCENARIO}`, import.meta.url)) },
    ],
  });
}, 30_000);

afterAll(async () => {
  await konsole?.close();
  await lab?.close();
});

describe('who gets in', () => {
  test('without the token every page and API is 401, the API with a Bearer challenge', async () => {
    for (const path of ['/', '/console.js', '/console.css', '/api/fleet', '/api/timeline', '/api/sets/1']) {
      const answer = await call(path, { auth: 'none' });
      expect(answer.status, path).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ssf-lab console"');
    }
    expect((await call('/api/fleet', { auth: 'none' })).json()).toEqual({
      error: 'sign in first: the lab admin token is needed',
    });
    expect((await call('/', { auth: 'none' })).text).toContain('console.signInUrl');
    // A wrong token, a made-up session, a token as cookie: still 401.
    expect(
      (await call('/api/fleet', { auth: 'none', headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    expect((await call('/api/fleet', { auth: `${SESSION_COOKIE}=made-up` })).status).toBe(401);
    expect((await call('/api/fleet', { auth: `${SESSION_COOKIE}=${token}` })).status).toBe(401);
    expect((await call('/?token=wrong-token', { auth: 'none' })).status).toBe(401);
  });

  test('the sign-in link sets an HttpOnly SameSite=Strict session cookie and sends the browser to a URL without the token', async () => {
    expect(konsole.signInUrl).toBe(`${konsole.url}?token=${encodeURIComponent(token)}`);
    const signIn = await call(new URL(konsole.signInUrl).search.replace(/^/, '/'), { auth: 'none' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/');
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`),
    );
    expect(cookie).not.toContain(token);
    const session = cookie.split(';')[0] ?? '';
    const page = await call('/', { auth: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.text).toContain('role="tablist"');
    expect((await call('/api/streams', { auth: session })).status).toBe(200);
  });

  test('a change needs the console header (no other site can send it), even signed in', async () => {
    const answer = await call('/api/receiver', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ up: true }),
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toEqual({ error: `a change needs the header ${CHANGE_HEADER}: 1` });
  });
});

describe('bad input is a 400 with {error}, never a 500', () => {
  test.each([
    ['POST', '/api/threats', {}, '"device" must be a device id'],
    ['POST', '/api/threats', '{"device":', 'the body is not valid JSON'],
    [
      'POST',
      '/api/threats',
      { device: 'x', category: 'Malware', severity: 'HUGE' },
      '"severity" must be one of LOW, MEDIUM, HIGH',
    ],
    [
      'PUT',
      '/api/streams/s1/status',
      { status: 'asleep' },
      'the body must be {"status": "enabled"|"paused"|"disabled"}',
    ],
    ['PUT', '/api/receiver', { up: 'yes' }, 'the body must be {"up": true|false}'],
  ])('%s %s %j', async (method, path, body, error) => {
    const answer = await call(path, change(method, body));
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ error });
  });

  test('an unknown device, user, exchange or threat is said as such', async () => {
    const device = await call(
      '/api/threats',
      change('POST', { device: 'no-such-device', category: 'Malware' }),
    );
    expect(device.status).toBe(404);
    expect((device.json() as { error: string }).error).toContain('/_lab/threats: 404');
    expect((await call('/api/okta?user=nobody@nowhere.example')).status).toBe(404);
    expect((await call('/api/okta')).json()).toEqual({ error: 'give a user: ?user=<login>' });
    expect((await call('/api/sets/abc')).status).toBe(400);
    expect((await call('/api/sets/99999999')).status).toBe(404);
    expect((await call('/api/threats/bad id', change('DELETE'))).status).toBe(400);
    expect((await call('/api/nothing-here')).status).toBe(404);
  });
});

describe('the pages read the lab and act on it', () => {
  // First: a scenario judges the state of the Mac it picks, so it runs before the threats below end its sessions.
  test('runs: a scenario started from the console is narrated, judged, and opens as a report and a record', async () => {
    const listed = (await call('/api/runs')).json() as { scenarios: string[]; runs: unknown[] };
    expect(listed).toEqual({ scenarios: [SCENARIO], runs: [] });
    const unknown = await call('/api/runs', change('POST', { scenario: '../../etc/passwd' }));
    expect(unknown.status).toBe(400);
    expect((unknown.json() as { error: string }).error).toBe(`"scenario" must be one of ${SCENARIO}`);
    const started = await call('/api/runs', change('POST', { scenario: SCENARIO }));
    expect(started.status).toBe(202);
    const { id } = started.json() as { id: number };
    // One at a time: a second start while the first runs is refused.
    expect((await call('/api/runs', change('POST', { scenario: SCENARIO }))).status).toBe(409);
    const deadline = Date.now() + 15_000;
    let run: { state: string; lines: string[]; checks?: { passed: number; total: number } };
    for (;;) {
      run = ((await call('/api/runs')).json() as { runs: (typeof run)[] }).runs[0] as typeof run;
      if (run.state !== 'running') break;
      if (Date.now() > deadline) throw new Error('the run did not finish');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(run.state, run.lines.join('\n')).toBe('passed');
    expect(run.checks?.passed).toBe(run.checks?.total);
    expect(run.lines.join('\n')).toMatch(/SET device-risk-change secure → high — 202/);
    const report = await call(`/api/runs/${id}/report`);
    expect(report.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(report.text).toContain('<title>ssf-lab certification: the lab console</title>');
    const record = await call(`/api/runs/${id}/record`);
    expect(record.headers.get('content-disposition')).toBe(`attachment; filename="ssf-lab-run-${id}.json"`);
    expect(record.json()).toMatchObject({ schema: 'urn:ssf-lab:certification:2', passed: true });
    expect((await call('/api/runs/99/report')).status).toBe(404);
  }, 20_000);

  test('a threat raised through the console reaches Okta: the SET judged, the risk, the chain, the logouts', async () => {
    const fleet = (await call('/api/fleet')).json() as {
      total: number;
      devices: { id: string; platform: string; user: { email: string } | null; jamfPro: unknown }[];
      categories: { name: string }[];
    };
    expect(fleet.total).toBe(6);
    expect(fleet.categories.map((c) => c.name)).toContain('Malware');
    const mac = fleet.devices.find((d) => d.platform === 'macOS' && d.user !== null);
    if (mac?.user == null) throw new Error('no Mac with a user');
    expect(mac.jamfPro).not.toBeNull();
    const raised = await call('/api/threats', change('POST', { device: mac.id, category: 'Malware' }));
    expect(raised.status).toBe(201);
    const threatId = (raised.json() as { id: string }).id;

    const deadline = Date.now() + 8_000;
    let okta: {
      risk: { level: string };
      history: { current: string }[];
      signals: { rule: string; chain: { eventType: string }[] }[];
      apps: { kind: string; logouts: { scope: string; status: number }[] }[];
    };
    for (;;) {
      okta = (await call(`/api/okta?user=${encodeURIComponent(mac.user.email)}`)).json() as typeof okta;
      if ((okta.signals[0]?.chain.length ?? 0) >= 7 && okta.apps.every((a) => a.logouts.length > 0)) break;
      if (Date.now() > deadline) throw new Error(`Okta did not finish: ${JSON.stringify(okta)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(okta.history.map((h) => h.current)).toContain('HIGH');
    expect(okta.signals[0]?.rule).toBe('High risk: Logout and Revoke Tokens');
    expect(okta.signals[0]?.chain.map((c) => c.eventType)).toEqual(
      expect.arrayContaining([
        'security.events.provider.receive_event',
        'policy.entity_risk.action',
        'user.authentication.universal_logout',
      ]),
    );
    expect(Object.fromEntries(okta.apps.map((a) => [a.kind, a.logouts.at(-1)?.scope]))).toEqual({
      salesforce: 'full',
      'google-workspace': 'full',
      office365: 'partial',
    });

    // The SET on the lab's timeline, judged by the console: signed by JSC's published key.
    const push = lab.timeline.entries.findLast((e) => e.set !== undefined && e.to === 'okta');
    const judged = (await call(`/api/sets/${push?.seq}`)).json() as {
      signature: string;
      payload: { iss: string };
      profiles: Record<string, { level: string; check: string }[]>;
    };
    expect(judged.signature).toBe('valid');
    expect(judged.payload.iss).toBe(manifest.jamfSecurityCloud.issuer);
    expect(Object.keys(judged.profiles)).toEqual(['ssf', 'caep-interop', 'okta']);
    expect(judged.profiles.okta?.filter((f) => f.level === 'failure')).toEqual([]);

    expect((await call(`/api/threats/${threatId}`, change('DELETE'))).status).toBe(204);
  }, 20_000);

  test('the timeline streams the recent past, then each hop live', async () => {
    const response = await fetch(new URL('/api/timeline', konsole.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 5_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`not seen: ${pattern}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(/event: hop\ndata: \{[^\n]*"set":\{"event":"device-risk-change"/);
    const before = text.length;
    const fleet = (await call('/api/fleet?q=macOS')).json() as { devices: { id: string }[] };
    const raised = await call(
      '/api/threats',
      change('POST', { device: fleet.devices[0]?.id, category: 'Phishing' }),
    );
    expect(raised.status).toBe(201);
    await readUntil(/"summary":"[a-z]+ → medium"/);
    expect(text.slice(before)).toMatch(/"from":"jamf-security-cloud","to":"okta","method":"POST"/);
    await reader.cancel();
    seen.push(text);
    await call(`/api/threats/${(raised.json() as { id: string }).id}`, change('DELETE'));
  });

  test('streams: status, counts; pause and enable; Okta receiver down and up', async () => {
    const view = (await call('/api/streams')).json() as {
      streams: {
        streamId: string;
        status: string;
        madeBy: string;
        events: string[];
        counts: Record<string, number>;
      }[];
      receiver: { down: boolean };
    };
    const okta = view.streams.find((s) => s.madeBy === 'console');
    expect(okta).toMatchObject({ status: 'enabled', events: ['RISK_LEVEL_CHANGED'] });
    expect(okta?.counts.delivered).toBeGreaterThan(0);
    const paused = await call(`/api/streams/${okta?.streamId}/status`, change('PUT', { status: 'paused' }));
    expect(paused.json()).toMatchObject({ status: 'paused' });
    expect(lab.jsc.transmitter.stream(okta?.streamId ?? '')?.status).toBe('paused');
    await call(`/api/streams/${okta?.streamId}/status`, change('PUT', { status: 'enabled' }));
    expect(lab.jsc.transmitter.stream(okta?.streamId ?? '')?.status).toBe('enabled');
    expect(view.receiver.down).toBe(false);
    expect((await call('/api/receiver', change('PUT', { up: false }))).status).toBe(204);
    expect(lab.faults.active().okta).toMatchObject({ status: 503 });
    expect(((await call('/api/streams')).json() as { receiver: { down: boolean } }).receiver.down).toBe(true);
    await call('/api/receiver', change('PUT', { up: true }));
    expect(lab.faults.active().okta).toBeUndefined();
  });

  test('the token never came back: not in a page, a header or the lab timeline', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toContain(token);
    expect(JSON.stringify(lab.timeline.entries)).not.toContain(token);
  });
});

test('on a lab CA the console speaks https with a certificate from it', async () => {
  const ca = createCertificateAuthority();
  const secure = await startConsole({ lab, manifest, ca });
  try {
    expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const answer = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
      const req = httpsRequest(secure.signInUrl, { ca: ca.certPem }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(303);
    expect(answer.cookie).toContain('; Secure');
    // Without trusting the lab's CA, no connection.
    await expect(fetch(secure.url)).rejects.toThrow();
  } finally {
    await secure.close();
  }
});
