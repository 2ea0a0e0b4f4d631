/**
 * The lab-wide controls over HTTP, as a client holding only the manifest uses them: faults taken and
 * brought back on any service's origin, the timeline read with a cursor, and JSC's idleness — in-process
 * and on loopback alike; bad input gets a 400 or 404 that says what was wrong.
 */
import { afterEach, expect, test } from 'vitest';
import { VirtualScheduler } from '../kernel/index.ts';
import { configureSeed, type Lab, labManifest, startLab } from './index.ts';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await (lab as Lab).clientFetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const put = (body: string): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body,
});

test.each(['in-process', 'loopback'] as const)(
  'faults, the timeline and JSC idleness are driven over HTTP (%s)',
  async (transport) => {
    const scheduler = new VirtualScheduler(Date.UTC(2026, 0, 1));
    lab = await startLab({ transport, seed: 7, devices: 6, scheduler, intercept: false });
    await configureSeed(lab);
    const m = labManifest(lab);
    const okta = m.okta.url;
    const jsc = m.jamfSecurityCloud.url;

    // The timeline from a cursor: everything so far, then nothing new.
    const first = (await json(`${okta}/_lab/timeline?limit=5000`)).body as {
      cursor: number;
      exchanges: unknown[];
    };
    expect(first.exchanges.length).toBeGreaterThan(10);
    expect(first.cursor).toBe(first.exchanges.length);
    const again = (await json(`${okta}/_lab/timeline?cursor=${first.cursor}`)).body as {
      exchanges: unknown[];
    };
    expect(again.exchanges).toEqual([]);

    // Okta's SET endpoint goes down for JSC (asked on JSC's origin: any origin answers).
    expect((await json(`${jsc}/_lab/faults/okta`, put('{"path":"/security/"}'))).status).toBe(200);
    expect((await json(`${okta}/_lab/faults`)).body).toEqual({ faults: { okta: { path: '/security/' } } });
    const devices = (await json(`${jsc}/_lab/state`)).body as {
      devices: { udid: string; osType: string; user?: unknown }[];
    };
    const mac = devices.devices.find((d) => d.osType === 'MAC_OS' && d.user);
    const raised = await json(`${jsc}/_lab/threats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device: mac?.udid, category: 'Malware' }),
    });
    expect(raised.status).toBe(201);
    const busy = await json(`${jsc}/_lab/idle?timeoutMs=50`);
    expect(busy.status).toBe(503);
    expect(busy.body).toMatchObject({ idle: false });
    // The refused push is on the timeline, after the cursor, with the error the fault gave.
    const after = (await json(`${okta}/_lab/timeline?cursor=${first.cursor}`)).body as {
      exchanges: { from: string; to: string; error?: string; set?: unknown }[];
    };
    expect(after.exchanges).toContainEqual(
      expect.objectContaining({ from: 'jamf-security-cloud', to: 'okta', error: 'ECONNREFUSED' }),
    );

    // Back up: the retry delivers once its backoff is due, and JSC is idle again.
    expect((await json(`${okta}/_lab/faults/okta`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`${okta}/_lab/faults`)).body).toEqual({ faults: {} });
    for (let i = 0; i < 20 && (await json(`${jsc}/_lab/idle?timeoutMs=50`)).status !== 204; i++) {
      const next = scheduler.nextAt();
      if (next !== undefined) await scheduler.advance(Math.max(0, next - scheduler.now()));
    }
    expect((await json(`${jsc}/_lab/idle?timeoutMs=1000`)).status).toBe(204);
  },
);

test('bad control requests are refused with what was wrong, and change nothing', async () => {
  lab = await startLab({ seed: 7, devices: 2, intercept: false });
  const okta = lab.urls.okta;
  const cases: [string, RequestInit, number, RegExp][] = [
    [`${okta}/_lab/faults/nowhere`, put('{}'), 404, /unknown service "nowhere"/],
    [`${okta}/_lab/faults/okta`, put('{"status":200}'), 400, /HTTP error status/],
    [`${okta}/_lab/faults/okta`, put('{"path":"x"}'), 400, /"path" must be a path/],
    [`${okta}/_lab/faults/okta`, put('{"delay":5}'), 400, /unknown member "delay"/],
    [`${okta}/_lab/faults/okta`, put('[1]'), 400, /JSON object/],
    [`${okta}/_lab/faults/okta`, put('{nope'), 400, /not valid JSON/],
    [`${okta}/_lab/faults/nowhere`, { method: 'DELETE' }, 404, /unknown service/],
    [`${okta}/_lab/timeline?cursor=-1`, {}, 400, /cursor/],
    [`${okta}/_lab/timeline?limit=0`, {}, 400, /limit/],
  ];
  for (const [url, init, status, message] of cases) {
    const answer = await json(url, init);
    expect(
      [answer.status, (answer.body as { error?: string }).error],
      `${init.method ?? 'GET'} ${url}`,
    ).toEqual([status, expect.stringMatching(message)]);
  }
  expect((await json(`${okta}/_lab/faults`)).body).toEqual({ faults: {} });
});

test('deviations are listed, switched on and off over HTTP, and act on what the service sends', async () => {
  lab = await startLab({ transport: 'loopback', seed: 7, devices: 6, intercept: false });
  await configureSeed(lab);
  const m = labManifest(lab);
  const okta = m.okta.url;
  const jsc = m.jamfSecurityCloud.url;

  const listed = (await json(`${okta}/_lab/deviations`)).body as {
    active: string[];
    known: Record<string, { service: string; description: string }>;
  };
  expect(listed.active).toEqual([]);
  expect(listed.known['transmitter-typ-jwt']).toEqual({
    service: 'jamf-security-cloud',
    description: expect.stringContaining('"typ": "JWT"'),
  });

  // A misspelt name changes nothing and says what was meant.
  const typo = await json(`${okta}/_lab/deviations/transmiter-typ-jwt`, { method: 'PUT' });
  expect(typo.status).toBe(404);
  expect(typo.body).toEqual({ error: expect.stringContaining('did you mean "transmitter-typ-jwt"') });
  expect(((await json(`${okta}/_lab/deviations`)).body as { active: string[] }).active).toEqual([]);

  const on = await json(`${jsc}/_lab/deviations/transmitter-typ-jwt`, { method: 'PUT' });
  expect(on).toEqual({ status: 200, body: { active: ['transmitter-typ-jwt'] } });
  // The next SET JSC pushes to Okta is typed JWT.
  const cursor = ((await json(`${okta}/_lab/timeline?limit=5000`)).body as { cursor: number }).cursor;
  const devices = (await json(`${jsc}/_lab/state`)).body as {
    devices: { udid: string; osType: string; user?: unknown }[];
  };
  const mac = devices.devices.find((d) => d.osType === 'MAC_OS' && d.user);
  await json(`${jsc}/_lab/threats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device: mac?.udid, category: 'Malware' }),
  });
  let pushed: { set?: { header: Record<string, unknown> | null } } | undefined;
  for (let i = 0; i < 50 && pushed === undefined; i++) {
    const page = (await json(`${okta}/_lab/timeline?cursor=${cursor}`)).body as {
      exchanges: { from: string; to: string; set?: { header: Record<string, unknown> | null } }[];
    };
    pushed = page.exchanges.find((e) => e.from === 'jamf-security-cloud' && e.to === 'okta' && e.set);
    if (pushed === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  expect(pushed?.set?.header).toMatchObject({ typ: 'JWT' });

  const off = await json(`${okta}/_lab/deviations/transmitter-typ-jwt`, { method: 'DELETE' });
  expect(off).toEqual({ status: 200, body: { active: [] } });
});
