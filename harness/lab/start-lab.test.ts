/**
 * The lab's topology under both transports: every service answers at its URL through the lab's fetch, the
 * mocks reach each other (an app fetches Okta's keys to judge a logout call), in-process needs no socket
 * and lets unmodified clients in (global fetch), and bad options fail with a usage error.
 */
import Fastify from 'fastify';
import { afterAll, describe, expect, test } from 'vitest';
import { HarnessError } from '../kernel/index.ts';
import { type Lab, type LabTransport, startLab } from './start-lab.ts';

const labs: Lab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.close()));
});

describe.each<LabTransport>(['in-process', 'loopback'])('%s', (transport) => {
  test('every service answers at its URL, and the mocks reach each other', async () => {
    const lab = await startLab({ transport, seed: 3, devices: 4 });
    labs.push(lab);
    if (transport === 'in-process') expect(lab.urls.okta).toBe('https://acme.okta.lab');
    else expect(lab.urls.okta).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const okta = await lab.fetch(`${lab.urls.okta}/.well-known/openid-configuration`);
    expect(((await okta.json()) as { issuer: string }).issuer).toBe(lab.urls.okta);
    const jsc = await lab.fetch(`${lab.urls.jamfSecurityCloud}/sse/.well-known`);
    expect(((await jsc.json()) as { issuer: string }).issuer).toBe(lab.jsc.issuer);
    const jamfPro = await lab.fetch(`${lab.urls.jamfPro}/api/v1/jamf-pro-version`);
    expect(jamfPro.status).toBe(401);
    // An app judges a logout call by Okta's keys, fetched from the Okta mock through the lab.
    const forged = await lab.fetch(lab.apps.salesforce.gtrEndpoint, {
      method: 'POST',
      headers: { authorization: 'Bearer a.b.c', 'content-type': 'application/json' },
      body: JSON.stringify({ sub_id: { format: 'email', email: 'x@acme.example' } }),
    });
    expect(forged.status).toBe(401);
    if (transport === 'in-process') {
      // msw lets any client in this process reach the lab's https origins.
      expect((await fetch(`${lab.urls.okta}/oauth2/v1/keys`)).status).toBe(200);
    }
    await lab.close();
  });

  test("a harness endpoint attached to the lab is reached through the lab's fetch, the one its services use", async () => {
    const lab = await startLab({ transport, seed: 3, devices: 2, intercept: false });
    labs.push(lab);
    const app = Fastify();
    app.get('/jwks', async () => ({ keys: [] }));
    const { url, detach } = await lab.attach('receiver-keys', app);
    expect(url).toMatch(
      transport === 'in-process' ? /^https:\/\/receiver-keys\.harness\.lab$/ : /^http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(await (await lab.fetch(`${url}/jwks`)).json()).toEqual({ keys: [] });
    await expect(lab.attach('Not A Label', Fastify())).rejects.toThrow(/lowercase DNS label/);
    await detach();
    await expect(lab.fetch(`${url}/jwks`)).rejects.toThrow();
    await lab.close();
  });
});

test('bad options are usage errors that say what was wrong', async () => {
  await expect(startLab({ transport: 'tcp' as never })).rejects.toThrow(HarnessError);
  await expect(startLab({ devices: 0 })).rejects.toThrow(/devices must be an integer from 1 to 10000/);
  await expect(startLab({ basePort: 70000 })).rejects.toThrow(/basePort/);
});
