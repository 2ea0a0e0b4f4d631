/**
 * Hostile suite: every vendor route of every lab service, called with no credential and with the
 * credentials of the OTHER services (an Okta API token at Jamf Pro, a Jamf Pro token at Okta, JSC's stream
 * token at an app, …). None may answer 2xx except the routes a vendor leaves open on purpose (discovery
 * documents, key sets, token and sign-in endpoints that authenticate the body), and none may answer 5xx.
 * The routes come from the services themselves, so a route added tomorrow without a credential check
 * fails here. `/_lab/` controls are covered by the lab admin token's own test.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LabManifest, labManifest } from './manifest.ts';
import { filledPath, routesOfTree } from './routes.testing.ts';
import { type Lab, startLab } from './start-lab.ts';

let lab: Lab;
let manifest: LabManifest;

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', devices: 3 });
  manifest = labManifest(lab);
});
afterAll(async () => {
  await lab?.close();
});

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function token(url: string, init: RequestInit, field: string): Promise<string> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  const value = body[field];
  if (typeof value !== 'string') throw new Error(`no ${field} from ${url}: ${response.status}`);
  return value;
}

/**
 * Routes open to anyone on purpose — as on the real services: discovery and key sets, the OAuth token and
 * sign-in endpoints (they authenticate what the body carries), the SET receiver and the apps' logout
 * endpoints (they authenticate the signed token they are given), and Jamf Pro's version. And one of the
 * lab's: mock Okta's Workflows stand-in, which the org itself calls with no credential, as it runs a delegated
 * flow (mocks/okta/README.md, "Delegated flows"); it only keeps what it is sent, capped in size and count.
 */
const OPEN_ON_PURPOSE: Readonly<Record<string, readonly string[]>> = {
  okta: [
    'GET /.well-known/openid-configuration',
    'GET /.well-known/oauth-authorization-server',
    'GET /oauth2/v1/keys',
    'POST /workflows/api/flo/:flowKey/invoke',
  ],
  'jamf-pro': [],
  'jamf-security-cloud': [
    'GET /.well-known/ssf-configuration/sse/<tenant>',
    'GET /sse/<tenant>/ssf/jwks.json',
    'GET /sse/.well-known',
    'GET /sse/v1/jwks.json',
  ],
  app: [],
};

test('no vendor route of any service answers 2xx to a missing or foreign credential, nor 5xx', async () => {
  const rssAtStart = process.memoryUsage().rss;
  const jamfProToken = await token(
    `${manifest.jamfPro.url}/api/oauth/token`,
    {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: manifest.jamfPro.clientId,
        client_secret: manifest.jamfPro.clientSecret,
      }),
    },
    'access_token',
  );
  const jscToken = await token(
    `${manifest.jamfSecurityCloud.url}/v1/login`,
    {
      method: 'POST',
      headers: {
        authorization: basic(manifest.jamfSecurityCloud.appId, manifest.jamfSecurityCloud.appSecret),
      },
    },
    'token',
  );
  const okta = [`SSWS ${manifest.okta.apiToken}`, `Bearer ${manifest.okta.apiToken}`];
  const jamfPro = [`Bearer ${jamfProToken}`, basic(manifest.jamfPro.username, manifest.jamfPro.password)];
  const jsc = [
    `Bearer ${jscToken}`,
    `Bearer ${manifest.jamfSecurityCloud.streamToken}`,
    basic(manifest.jamfSecurityCloud.appId, manifest.jamfSecurityCloud.appSecret),
  ];
  const services: { name: string; open: string; url: string; tree: string; foreign: string[] }[] = [
    {
      name: 'okta',
      open: 'okta',
      url: lab.urls.okta,
      tree: lab.okta.app.printRoutes({ commonPrefix: false }),
      foreign: [...jamfPro, ...jsc],
    },
    {
      name: 'jamf-pro',
      open: 'jamf-pro',
      url: lab.urls.jamfPro,
      tree: lab.jamfPro.printRoutes({ commonPrefix: false }),
      foreign: [...okta, ...jsc],
    },
    {
      name: 'jamf-security-cloud',
      open: 'jamf-security-cloud',
      url: lab.urls.jamfSecurityCloud,
      tree: lab.jsc.app.printRoutes({ commonPrefix: false }),
      foreign: [...okta, ...jamfPro],
    },
    ...Object.values(lab.apps).map((app) => ({
      name: app.kind,
      open: 'app',
      url: lab.urls.apps[app.kind],
      tree: app.app.printRoutes({ commonPrefix: false }),
      foreign: [...okta, ...jamfPro, ...jsc],
    })),
  ];
  const answeredOk: string[] = [];
  const serverErrors: string[] = [];
  let calls = 0;
  for (const service of services) {
    const routes = routesOfTree(service.tree).filter((r) => !r.path.startsWith('/_lab/'));
    // The tree parsed: every service has vendor routes (a parser that found none would pass vacuously).
    expect(routes.length, service.name).toBeGreaterThan(3);
    for (const route of routes) {
      // JSC's SSF routes carry the tenant's id.
      const key = `${route.method} ${route.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, '<tenant>')}`;
      const open = OPEN_ON_PURPOSE[service.open]?.includes(key) === true;
      for (const authorization of [undefined, ...service.foreign]) {
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
        const response = await fetch(`${service.url}${filledPath(route.path, '00u1x2y3z4')}`, {
          method: route.method,
          headers: {
            ...(authorization === undefined ? {} : { authorization }),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body }),
          redirect: 'manual',
        });
        await response.arrayBuffer();
        calls++;
        const who = `${service.name} ${key} with ${authorization?.split(' ')[0] ?? 'no credential'}`;
        if (response.status >= 500) serverErrors.push(`${who} → ${response.status}`);
        if (response.status < 300 && !open) answeredOk.push(`${who} → ${response.status}`);
      }
    }
  }
  expect(serverErrors).toEqual([]);
  expect(answeredOk).toEqual([]);
  expect(calls).toBeGreaterThan(500);
  // The sweep left the lab's memory where it was (nothing it sent was kept).
  expect(process.memoryUsage().rss - rssAtStart).toBeLessThan(50 * 1024 * 1024);
}, 60_000);

test('the route lister reads nested routes and alternatives as full paths', () => {
  const tree = [
    '├── /api/v1/users (GET, HEAD)',
    '│   └── /:id|:userId (GET, HEAD)',
    '│       ├── /groups (GET, HEAD)',
    '│       └── /risk (GET, HEAD, PUT)',
    '└── /logout (POST)',
  ].join('\n');
  expect(routesOfTree(tree)).toEqual([
    { method: 'GET', path: '/api/v1/users' },
    { method: 'GET', path: '/api/v1/users/:id|:userId' },
    { method: 'GET', path: '/api/v1/users/:id|:userId/groups' },
    { method: 'GET', path: '/api/v1/users/:id|:userId/risk' },
    { method: 'PUT', path: '/api/v1/users/:id|:userId/risk' },
    { method: 'POST', path: '/logout' },
  ]);
  expect(filledPath('/api/v1/users/:id|:userId/risk', '00u1x2y3z4')).toBe('/api/v1/users/00u1x2y3z4/risk');
  expect(routesOfTree(tree, { head: true }).filter((r) => r.method === 'HEAD')).toHaveLength(4);
});
