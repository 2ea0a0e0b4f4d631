/**
 * `ssf-lab serve` starts the lab console beside the lab: named in the manifest (`console.url`, and the
 * sign-in link `console.signInUrl` carrying the admin token), announced on stderr without the token,
 * refusing a request without it, and stopped with the lab.
 */
import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { serveInProcess } from './cli.testing.ts';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('serve runs the console on its own port, behind the admin token, and stops it with the lab', async () => {
  const s = serveInProcess(['--devices', '4'], { SSF_LAB_HTTP: '1' });
  try {
    const m = await s.manifest;
    const token = m.lab?.adminToken ?? '';
    expect(m.console?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = m.console?.url ?? '';
    expect(m.console?.signInUrl).toBe(`${url}?token=${encodeURIComponent(token)}`);
    const port = Number(new URL(url).port);
    expect(
      [m.okta.url, m.jamfPro.url, m.jamfSecurityCloud.url].map((u) => Number(new URL(u).port)),
    ).not.toContain(port);

    expect((await fetch(new URL('/api/fleet', url))).status).toBe(401);
    const signIn = await fetch(m.console?.signInUrl ?? '', { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const fleet = await fetch(new URL('/api/fleet', url), { headers: { cookie } });
    expect(fleet.status).toBe(200);
    expect(((await fleet.json()) as { total: number }).total).toBe(4);

    expect(s.stderr()).toContain(`Console: ${url} — open the manifest's console.signInUrl to sign in`);
    expect(s.stderr()).not.toContain(token);
    s.stop('SIGTERM');
    expect(await s.done).toBe(0);
    expect(await listening(port)).toBe(false);
  } finally {
    s.stop('SIGTERM');
    await s.done;
  }
}, 30_000);

/** A BASE with BASE…BASE+7 free on 127.0.0.1 right now. */
async function freeRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const taken = await Promise.all(Array.from({ length: count }, (_, i) => listening(base + i)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error('no free port range');
}

test('with a base port the console takes BASE+6 (one range to publish); SSF_LAB_CONSOLE_PORT or --console-port chooses another', async () => {
  const base = await freeRange(8);
  const first = serveInProcess(['--devices', '2', '--port', String(base)], { SSF_LAB_HTTP: '1' });
  try {
    expect(new URL((await first.manifest).console?.url ?? '').port).toBe(String(base + 6));
  } finally {
    first.stop('SIGTERM');
    await first.done;
  }
  const second = serveInProcess(['--devices', '2', '--port', String(base)], {
    SSF_LAB_HTTP: '1',
    SSF_LAB_CONSOLE_PORT: String(base + 7),
  });
  try {
    expect(new URL((await second.manifest).console?.url ?? '').port).toBe(String(base + 7));
  } finally {
    second.stop('SIGTERM');
    await second.done;
  }
  const bad = serveInProcess(['--devices', '2', '--console-port', 'seven'], { SSF_LAB_HTTP: '1' });
  expect(await bad.done).toBe(2);
  expect(bad.stderr()).toMatch(/--console-port/);
}, 60_000);
