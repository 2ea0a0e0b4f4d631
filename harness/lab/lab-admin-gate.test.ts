/**
 * Done-when: without the lab admin token, no `/_lab/` route reveals or creates a credential. Every
 * `/_lab/` route is enumerated from the fastify apps themselves (each mock's routes and the lab-wide
 * controls, read from `printRoutes`), so a route added later is tested without being named here. On a
 * loopback lab (the transport `ssf-lab serve` exposes), each route and method is sent with no token, a
 * wrong token, and another service's credential (Okta's SSWS API token, as SSWS and as Bearer): each is
 * 401 with the Bearer challenge, and the lab's state — read with the token before and after — has not
 * changed. With the token, every route answers (never 401, never 5xx). The readiness probe stays open.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Deviations } from '../kernel/index.ts';
import { Timeline } from '../records/index.ts';
import { LAB_DEVIATIONS } from './deviations.ts';
import { Faults } from './faults.ts';
import { buildLabControls } from './lab-controls.ts';
import { READY_PATH } from './listen.ts';
import { labManifest } from './manifest.ts';
import { filledPath, routesOf } from './routes.testing.ts';
import { type Lab, startLab } from './start-lab.ts';

interface Route {
  readonly method: string;
  /** With every parameter filled. */
  readonly path: string;
  /** The origins it answers on. */
  readonly origins: readonly string[];
}

let lab: Lab;
let token: string;
let routes: Route[];

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', devices: 3 });
  token = lab.adminToken ?? '';
  const services: [string, FastifyInstance][] = [
    [lab.urls.okta, lab.okta.app],
    [lab.urls.jamfPro, lab.jamfPro],
    [lab.urls.jamfSecurityCloud, lab.jsc.app],
    ...Object.values(lab.apps).map((app): [string, FastifyInstance] => [lab.urls.apps[app.kind], app.app]),
  ];
  const all = services.map(([origin]) => origin);
  // The lab-wide controls answer on every origin; an instance of their app lists their routes.
  const controls = await buildLabControls({
    faults: new Faults(new Map()),
    timeline: new Timeline({ services: new Map() }),
    deviations: new Deviations(LAB_DEVIATIONS, []),
  });
  const found = [
    ...services.flatMap(([origin, app]) =>
      routesOf(app, { head: true }).map((r): Route => ({ ...r, origins: [origin] })),
    ),
    ...routesOf(controls, { head: true }).map((r): Route => ({ ...r, origins: all })),
  ];
  await controls.close();
  routes = found
    .filter((r) => r.path.startsWith('/_lab'))
    // A value no store holds.
    .map((r) => ({ ...r, path: filledPath(r.path, 'no-such-id-0') }));
}, 30_000);

afterAll(async () => {
  await lab?.close();
});

/** The lab's state as its controls show it to the admin (what a refused request must not change). */
async function snapshot(): Promise<string> {
  const read = async (url: string): Promise<unknown> => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: await r.text() };
  };
  const reads: Record<string, unknown> = {};
  for (const route of routes) {
    if (route.method !== 'GET' || route.path.includes('no-such-id') || /idle|timeline/.test(route.path))
      continue;
    for (const origin of route.origins.slice(0, 1))
      reads[`${origin}${route.path}`] = await read(`${origin}${route.path}`);
  }
  const logs = await fetch(`${lab.urls.okta}/api/v1/logs?limit=1000`, {
    headers: { authorization: `SSWS ${lab.okta.apiToken}` },
  });
  reads.systemLog = ((await logs.json()) as unknown[]).length;
  return JSON.stringify(reads);
}

/** A body a control would act on, so a refusal is not merely a 400 for a missing body. */
function bodyFor(path: string): string {
  if (path === '/_lab/service-apps')
    return JSON.stringify({ jwks: { keys: [] }, scopes: ['okta.users.manage'] });
  if (path === '/_lab/sessions') return JSON.stringify({ login: 'nobody', email: 'nobody@example.com' });
  if (path === '/_lab/trusted-issuers')
    return JSON.stringify({ issuer: 'https://attacker.example', jwks: { keys: [] } });
  return '{}';
}

const send = (origin: string, route: Route, authorization?: string): Promise<Response> =>
  fetch(`${origin}${route.path}${route.path.endsWith('/idle') ? '?timeoutMs=1' : ''}`, {
    method: route.method,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { 'content-type': 'application/json' } : {}),
    },
    ...(['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) && route.method !== 'DELETE'
      ? { body: bodyFor(route.path) }
      : {}),
  });

test('the enumeration finds every kind of control, the credential-handing ones included', () => {
  const paths = new Set(routes.map((r) => r.path));
  for (const path of [
    '/_lab/sessions',
    '/_lab/service-apps',
    '/_lab/trusted-issuers',
    '/_lab/state',
    '/_lab/threats',
    '/_lab/ssf-receivers',
    '/_lab/faults/no-such-id-0',
    '/_lab/deviations/no-such-id-0',
    '/_lab/timeline',
    '/_lab/reset',
  ])
    expect(paths, path).toContain(path);
  expect(routes.length).toBeGreaterThan(60);
});

test('without the admin token every /_lab/ route on every port is 401 and changes nothing', async () => {
  const before = await snapshot();
  const wrong: (string | undefined)[] = [
    undefined,
    'Bearer not-the-lab-admin-token-0123456789',
    `SSWS ${lab.okta.apiToken}`,
    `Bearer ${lab.okta.apiToken}`,
  ];
  let sent = 0;
  for (const route of routes)
    for (const origin of route.origins)
      for (const authorization of wrong) {
        const r = await send(origin, route, authorization);
        sent++;
        const where = `${route.method} ${origin}${route.path} (${authorization?.split(' ')[0] ?? 'none'})`;
        expect(r.status, where).toBe(401);
        expect(r.headers.get('www-authenticate'), where).toBe('Bearer realm="ssf-lab"');
        if (route.method !== 'HEAD') expect(await r.json(), where).toMatchObject({ error: 'unauthorized' });
        else await r.arrayBuffer();
      }
  expect(sent).toBeGreaterThan(200);
  expect(await snapshot()).toBe(before);
}, 60_000);

test('the same controls under other spellings of the path are refused too', async () => {
  for (const path of ['/%5Flab/sessions', '//_lab/sessions', '/_LAB/sessions', '/_lab/./sessions'])
    expect((await fetch(`${lab.urls.okta}${path}`)).status, path).toBe(401);
});

test('with the admin token every route answers (not 401, not 5xx); the readiness probe needs none', async () => {
  for (const route of routes)
    for (const origin of route.origins.slice(0, 2)) {
      const r = await send(origin, route, `Bearer ${token}`);
      await r.arrayBuffer();
      const where = `${route.method} ${origin}${route.path}`;
      expect(r.status, where).not.toBe(401);
      expect(r.status, where).toBeLessThan(500);
    }
  for (const origin of [lab.urls.okta, lab.urls.apps.salesforce]) {
    const ready = await fetch(`${origin}${READY_PATH}`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  }
  expect(labManifest(lab).lab).toEqual({ adminToken: token });
}, 60_000);
